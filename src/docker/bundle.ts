/**
 * One-file template servers. A template whose Dockerfile copies `dist/server.js` is bundled
 * with `bun build --target=bun` before its image is hashed and built: its libraries (Linear's
 * graphql-js) are inlined, so the image is the Bun runtime plus one file and needs no
 * registry or node_modules. The bundle lives in templates/<t>/dist/ (git-ignored), is
 * rewritten only when its bytes change, and is part of the content hash like any source.
 * The compiled asym carries the bundles built by scripts/build.ts.
 */
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
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
  if (!existsSync(out) || readFileSync(out, 'utf8') !== text) writeFileSync(out, text);
  return true;
}

export async function ensureBundle(root: string, templateDir: string, dockerfile: string): Promise<void> {
  if (done.has(templateDir) || !wantsBundle(templateDir, dockerfile)) return;
  const dist = join(templateDir, 'dist');
  mkdirSync(dist, { recursive: true });
  const ok = (await bundleOne(join(templateDir, 'src', 'server.ts'), join(dist, 'server.js')).catch(() => false))
    && (await bundleOne(join(root, '_kit', 'healthcheck.ts'), join(dist, 'healthcheck.js')).catch(() => false));
  // Without the sources' dependencies (a compiled asym), the embedded bundle is used as is.
  if (!ok && !existsSync(join(dist, 'server.js'))) {
    throw new AsymmetricError('BUILD_FAILED', `bundling ${templateDir}/src/server.ts failed and no prebuilt bundle exists`, { hint: 'run bun install in the checkout, or use a release build of asym' });
  }
  done.add(templateDir);
}
