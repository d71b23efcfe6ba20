/** The compiled binary's list of template modules is generated from the manifests: it must be current and complete. */
import { expect, test } from 'bun:test';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { INDEX_FILE, renderIndex } from '../../scripts/template-index.ts';
import { listTemplates } from '../../src/templates/catalog.ts';
import { TEMPLATE_MODULES } from '../../src/templates/generated-index.ts';
import { isCliOnly } from '../../src/templates/modules.ts';

test('src/templates/generated-index.ts is what scripts/template-index.ts writes (run it after changing a manifest)', () => {
  expect(readFileSync(INDEX_FILE, 'utf8')).toBe(renderIndex());
});

test('every template names its verify modules and AI-seed entities, and the files exist', async () => {
  const templates = listTemplates();
  expect(Object.keys(TEMPLATE_MODULES)).toEqual(templates.map((t) => t.manifest.name));
  for (const t of templates) {
    const m = t.manifest;
    expect([m.name, m.verify && m.seed.ai.schemas ? 'declared' : 'missing']).toEqual([m.name, 'declared']);
    for (const rel of [m.verify!.verifier, m.verify!.scenario, m.verify!.shapes, m.seed.ai.schemas].filter(Boolean)) {
      expect([m.name, rel, existsSync(join(t.dir, rel!))]).toEqual([m.name, rel, true]);
      expect(isCliOnly(`${m.name}/${rel}`)).toBe(true);
    }
    const mods = TEMPLATE_MODULES[m.name]!;
    // The manifest's entity names are the ones the module declares.
    expect(mods.entities!.map((e) => e.name).sort()).toEqual([...m.seed.ai.entities].sort());
    expect(typeof (await mods.verify!.verifier())).toBe('function');
  }
});

test('verify/ and seed/ are CLI-only, the kit and a template\'s sources are not', () => {
  expect(isCliOnly('slack/verify/shapes.json')).toBe(true);
  expect(isCliOnly('slack/seed')).toBe(true);
  expect(isCliOnly('slack/src/server.ts')).toBe(false);
  expect(isCliOnly('_kit/verify')).toBe(false);
});
