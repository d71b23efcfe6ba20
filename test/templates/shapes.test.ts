/**
 * Derived response shapes (templates/<t>/verify/shapes.json) are current: each is re-derived in
 * memory from the vendors' descriptions (../shared/reference, the SDKs) exactly as
 * `bun scripts/derive-shapes.ts` writes it and compared byte for byte. Every file is in the one
 * pretty-printed format, and covers the operations its template lists.
 */
import { describe, expect, test } from 'bun:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { derivedText, shapeSources } from '../../scripts/derive-shapes.ts';
import { formatJson } from '../../scripts/shapes/format.ts';

const sources = await shapeSources();

test('every template with REST or Web API shapes has a derivation', () => {
  expect(sources.map((s) => s.template)).toEqual(['github', 'hubspot', 'notion', 'slack', 'stripe']);
});

describe.each(sources)('$template', (s) => {
  const text = readFileSync(s.file, 'utf8');
  const ops = JSON.parse(readFileSync(join(s.file, '..', '..', 'operations.json'), 'utf8')) as Array<{ method: string; path?: string; implemented: boolean }>;

  test('pretty-printed in the one format (one line would be unreviewable)', () => {
    expect(formatJson(JSON.parse(text))).toBe(text);
    expect(text.split('\n').length).toBeGreaterThan(1000);
  });

  test('keyed by the operations the template lists', () => {
    const data = JSON.parse(text);
    const keys = (list: typeof ops) => list.map((o) => (o.path ? `${o.method} ${o.path}` : o.method)).sort();
    if (s.template === 'github') expect(Object.keys(data).sort()).toEqual(keys(ops.filter((o) => o.implemented)));
    if (s.template === 'slack') expect(Object.keys(data.shapes).every((m) => keys(ops).includes(m))).toBe(true);
    if (s.template === 'notion' || s.template === 'hubspot') expect(Object.keys(data.operations).every((k) => keys(ops).includes(k))).toBe(true);
    if (s.template === 'stripe') expect(Object.keys(data.definitions)).toContain('Customer');
  });

  // GitHub's description (385 MB) is not kept on the machine: set GITHUB_OPENAPI to check it too.
  test.skipIf(!!s.unavailable)(`re-derived from the vendor's description, it is what the file holds${s.unavailable ? ` (not here: ${s.unavailable})` : ''}`, async () => {
    expect((await derivedText(s)) === text).toBe(true);
  }, 60_000);
});
