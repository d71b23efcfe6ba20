/**
 * Release files: `asym` for every platform a user may download it for, a SHA256SUMS file
 * (sha256sum's format, checked by install.sh and by `sha256sum -c`), and install.sh itself.
 * Bun fetches the runtimes of the other platforms from the npm registry on first use.
 *
 *   bun scripts/release.ts [--out DIR] [--target linux-x64,…]    default dist/release, all four
 */
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildInfo, compile, prepareEntry, root } from './build.ts';

/** Release file suffix → bun's compile target. The names are what install.sh derives from uname. */
export const TARGETS = {
  'linux-x64': 'bun-linux-x64',
  'linux-arm64': 'bun-linux-arm64',
  'darwin-x64': 'bun-darwin-x64',
  'darwin-arm64': 'bun-darwin-arm64',
} as const;

type Platform = keyof typeof TARGETS;

const { values } = parseArgs({ options: { out: { type: 'string' }, target: { type: 'string' } } });
const out = values.out ?? join(root, 'dist', 'release');
const wanted = (values.target?.split(',') ?? Object.keys(TARGETS)) as Platform[];
for (const p of wanted) {
  if (!(p in TARGETS)) {
    console.error(`unknown target ${p}; known: ${Object.keys(TARGETS).join(', ')}`);
    process.exit(2);
  }
}

const started = performance.now();
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const { entry, files, digest } = await prepareEntry();
const info = buildInfo();
const sums: string[] = [];
const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

for (const platform of wanted) {
  const file = `asym-${platform}`;
  const ms = compile(entry, join(out, file), info, TARGETS[platform]);
  const mb = (statSync(join(out, file)).size / 1024 / 1024).toFixed(1);
  console.error(`${file}: ${mb} MiB in ${ms} ms`);
  sums.push(`${sha256(join(out, file))}  ${file}`);
}
copyFileSync(join(root, 'install.sh'), join(out, 'install.sh'));
sums.push(`${sha256(join(out, 'install.sh'))}  install.sh`);
writeFileSync(join(out, 'SHA256SUMS'), `${sums.join('\n')}\n`);
console.error(
  `release ${info.version} (${info.commit.slice(0, 12) || 'no commit'}${info.commit.endsWith('+dirty') ? '+dirty' : ''}), ${files} template files (${digest}), in ${out} after ${Math.round(performance.now() - started)} ms`,
);
