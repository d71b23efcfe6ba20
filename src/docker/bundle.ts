/**
 * One-file template servers. A template whose Dockerfile copies `dist/server.js` is bundled
 * with `bun build --target=bun` before its image is hashed and built: its libraries (Linear's
 * graphql-js) are inlined, so the image is the Bun runtime plus one file and needs no
 * registry or node_modules. The bundle lives in templates/<t>/dist/ (git-ignored), is
 * rewritten only when its bytes change, and is part of the content hash like any source.
 * The compiled asym carries the bundles built by scripts/build.ts.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AsymmetricError } from '../contract/errors.ts';

const done = new Set<string>();

export function wantsBundle(templateDir: string, dockerfile: string): boolean {
  return existsSync(join(templateDir, 'src', 'server.ts')) && existsSync(dockerfile) && readFileSync(dockerfile, 'utf8').includes('dist/server.js');
}

async function bundleOne(entry: string, out: string): Promise<boolean> {
  const res = await Bun.build({ entrypoints: [entry], target: 'bun', minify: false });
  if (!res.success || !res.outputs[0]) return false;
  const text = await res.outputs[0].text();
  // Same bytes: only touch the file, so the content hash (and the image) stays the same.
  // Written whole under a temporary name then renamed: a concurrent asym hashing the
  // template never reads half a bundle.
  if (!existsSync(out) || readFileSync(out, 'utf8') !== text) {
    const tmp = `${out}.${process.pid}.tmp`;
    writeFileSync(tmp, text);
    renameSync(tmp, out);
  }
  else utimesSync(out, new Date(), new Date());
  return true;
}

function newest(dir: string): number {
  let max = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    max = Math.max(max, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return max;
}

/** The bundle is current when it is newer than the template's sources, the kit and the lockfile. */
function fresh(root: string, templateDir: string, out: string): boolean {
  if (!existsSync(out)) return false;
  const lock = join(root, '..', 'bun.lock');
  const inputs = Math.max(newest(join(templateDir, 'src')), newest(join(root, '_kit')), existsSync(lock) ? statSync(lock).mtimeMs : 0);
  return statSync(out).mtimeMs >= inputs;
}

export async function ensureBundle(root: string, templateDir: string, dockerfile: string): Promise<void> {
  if (done.has(templateDir) || !wantsBundle(templateDir, dockerfile)) return;
  const dist = join(templateDir, 'dist');
  if (fresh(root, templateDir, join(dist, 'server.js'))) {
    done.add(templateDir);
    return;
  }
  mkdirSync(dist, { recursive: true });
  // The health check stays /app/_kit/healthcheck.ts (the compose model names it): a
  // dependency-free file the Dockerfile copies as is.
  const ok = await bundleOne(join(templateDir, 'src', 'server.ts'), join(dist, 'server.js')).catch(() => false);
  // Without the sources' dependencies (a compiled asym), the embedded bundle is used as is.
  if (!ok && !existsSync(join(dist, 'server.js'))) {
    throw new AsymmetricError('BUILD_FAILED', `bundling ${templateDir}/src/server.ts failed and no prebuilt bundle exists`, { hint: 'run bun install in the checkout, or use a release build of asym' });
  }
  done.add(templateDir);
}
