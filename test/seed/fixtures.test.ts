/**
 * Issue 7's promise for every spinnable template: a fixture pack loaded on two fresh
 * clones gives identical databases, a second load is refused, and the records are visible
 * through the vendor's official SDK.
 *
 * Two clones differ only in what provision minted at random (ids, token hashes, secrets,
 * the time). Their dumps right after spin are aligned token by token to learn that
 * mapping; the fixture-loaded dump of one, mapped, must equal the other's byte for byte.
 * Any randomness the fixture itself introduced would not be in the mapping and fails.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { cloneHarness } from '../support/clones.ts';
import { describeDocker } from '../support/docker.ts';
import { dumpDatabase } from '../support/infra.ts';
import { fixturesOf, listTemplates } from '../../src/templates/catalog.ts';
import { sdkSees } from '../support/sdk-probes.ts';

const WORD = /[A-Za-z0-9_.:+\-/=]+/g;

export function learnMapping(a: string, b: string): Map<string, string> {
  const la = a.split('\n');
  const lb = b.split('\n');
  expect(la.length).toBe(lb.length);
  const map = new Map<string, string>();
  la.forEach((line, i) => {
    const wa = line.match(WORD) ?? [];
    const wb = lb[i]!.match(WORD) ?? [];
    if (wa.length !== wb.length) return;
    wa.forEach((w, j) => {
      if (w !== wb[j]) map.set(w, wb[j]!);
    });
  });
  return map;
}

function applyMapping(text: string, map: Map<string, string>): string {
  return text.replace(WORD, (w) => map.get(w) ?? w);
}

const templates = listTemplates().filter((t) => fixturesOf(t).length > 0);
const h = cloneHarness('fixt');
afterAll(() => h.cleanup(), 180_000);

for (const t of templates) {
  const name = t.manifest.name;
  const fixture = fixturesOf(t)[0]!;
  describeDocker(`fixture ${name}/${fixture}`, () => {
    let a: any;
    let b: any;
    let preA: string;
    let preB: string;
    beforeAll(async () => {
      [a, b] = await Promise.all([h.spin(name), h.spin(name)]);
      [preA, preB] = await Promise.all([dumpDatabase(a.database, { excludeData: ['asym_meta'] }), dumpDatabase(b.database, { excludeData: ['asym_meta'] })]);
    }, 300_000);

    test('loads to identical databases on two fresh clones', async () => {
      const map = learnMapping(preA, preB);
      const [ra, rb] = await Promise.all([
        h.run(['seed', a.id, '--fixture', fixture, '--json']),
        h.run(['seed', b.id, '--fixture', fixture, '--json']),
      ]);
      expect(ra.code).toBe(0);
      expect(rb.code).toBe(0);
      expect(ra.json.written).toBeGreaterThan(0);
      expect(ra.json.written).toBe(rb.json.written);
      expect(ra.json.bySource.fixture.written).toBe(ra.json.written);
      // asym_meta holds bookkeeping (when the seed ran), not the pack's data.
      const [postA, postB] = await Promise.all([dumpDatabase(a.database, { excludeData: ['asym_meta'] }), dumpDatabase(b.database, { excludeData: ['asym_meta'] })]);
      expect(postA.length).toBeGreaterThan(preA.length);
      expect(applyMapping(postA, map)).toBe(postB);
    }, 120_000);

    test('a second load is refused with a clear error unless forced; an unknown pack is named', async () => {
      const before = await dumpDatabase(a.database, { excludeData: ['asym_meta'] });
      const again = await h.run(['seed', a.id, '--fixture', fixture, '--json']);
      expect(again.code).toBe(1);
      expect(again.json.error.code).toBe('ALREADY_SEEDED');
      expect(again.json.error.hint).toContain('--force');
      expect(await dumpDatabase(a.database, { excludeData: ['asym_meta'] })).toBe(before);
      const forced = await h.run(['seed', a.id, '--fixture', fixture, '--force', '--json']);
      expect(forced.code).toBe(0);
      expect(forced.json.written).toBeGreaterThan(0);
      const missing = await h.run(['seed', b.id, '--fixture', 'no-such-pack', '--json']);
      expect(missing.json.error.code).toBe('FIXTURE_NOT_FOUND');
      const ls = await h.run(['ls', '--json']);
      expect(ls.json.find((c: any) => c.id === a.id).seed).toEqual({ fixture });
    }, 60_000);

    test('the records are visible through the official SDK', async () => {
      expect(await sdkSees(name, a)).toBe(true);
    });
  });
}
