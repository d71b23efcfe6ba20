/** One-file template images: every template opts in, bundles, and keeps the health check the compose model runs. */
import { expect, test } from 'bun:test';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBundle, wantsBundle } from '../../src/docker/bundle.ts';

const root = join(import.meta.dir, '../../templates');
const TEMPLATES = ['github', 'hubspot', 'linear', 'notion', 'slack', 'stripe'];

test('each template bundles its server into dist/server.js, which the image runs', async () => {
  for (const t of TEMPLATES) {
    const dockerfile = join(root, t, 'Dockerfile');
    expect([t, wantsBundle(join(root, t), dockerfile)]).toEqual([t, true]);
    await ensureBundle(root, join(root, t), dockerfile);
    const text = readFileSync(dockerfile, 'utf8');
    expect(text).toContain(`CMD ["bun", "/app/${t}/dist/server.js"]`);
    expect(existsSync(join(root, t, 'dist', 'server.js'))).toBe(true);
    // No sources and no node_modules in the image: the bundle inlines them.
    expect(text).not.toMatch(/COPY .*\/src\b|node_modules/);
  }
  // graphql-js is inside Linear's bundle, not imported from a package at run time.
  const linear = readFileSync(join(root, 'linear/dist/server.js'), 'utf8');
  expect(linear).toContain('buildASTSchema');
  expect(linear).not.toMatch(/from\s+["']graphql["']/);
});

test('the image keeps /app/_kit/healthcheck.ts, the health check its HEALTHCHECK runs outside asym', () => {
  for (const t of TEMPLATES) expect([t, readFileSync(join(root, t, 'Dockerfile'), 'utf8').includes('COPY _kit/healthcheck.ts /app/_kit/healthcheck.ts')]).toEqual([t, true]);
});
