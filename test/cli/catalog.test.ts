/** Only templates that can really be spun are in the catalog. */
import { afterAll, expect, test } from 'bun:test';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asym } from '../support/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'asym-catalog-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('a placeholder template (no Dockerfile, no image) or an invalid manifest is not listed and cannot be spun', async () => {
  const root = join(dir, 'templates');
  cpSync(join(import.meta.dir, '../../templates/_kit'), join(root, '_kit'), { recursive: true });
  cpSync(join(import.meta.dir, '../../templates/slack'), join(root, 'slack'), { recursive: true });
  mkdirSync(join(root, 'notion'));
  const manifest = JSON.parse(await Bun.file(join(root, 'slack/clone.manifest.json')).text());
  manifest.name = 'notion';
  manifest.services.api = { build: { dockerfile: 'notion/Dockerfile' }, port: 8080, endpoint: 'api' };
  writeFileSync(join(root, 'notion/clone.manifest.json'), JSON.stringify(manifest));
  mkdirSync(join(root, 'broken'));
  writeFileSync(join(root, 'broken/clone.manifest.json'), '{"name": "broken"}');
  const env = { ASYM_TEMPLATES_DIR: root, ASYM_HOME: join(dir, 'home') };
  const list = await asym(['templates', '--json'], env);
  expect(list.json.map((t: any) => t.name)).toEqual(['slack']);
  const spin = await asym(['spin', 'notion', '--json'], env);
  expect(spin.json.error.code).toBe('TEMPLATE_NOT_FOUND');
  expect(spin.json.error.hint).toContain('slack');
});
