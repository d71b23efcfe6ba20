/**
 * Deterministic worlds: two clones spun from the same template, mode and fixture pack hold
 * the same state byte for byte (ids, timestamps, ordering, counters). Secrets (token and
 * signing-secret hashes, Linear's webhook secret row) stay random per clone and are masked before comparing, as `diff`
 * leaves them out of its hash.
 */
import { afterAll, expect, test } from 'bun:test';
import { cloneHarness } from '../support/clones.ts';
import { describeDocker } from '../support/docker.ts';
import { dumpDatabase } from '../support/infra.ts';
import { maskSecrets } from '../../src/worlds/secrets.ts';

const h = cloneHarness('det');
afterAll(() => h.cleanup(), 180_000);

const PACKS: [string, string][] = [
  ['slack', 'acme'],
  ['github', 'acme'],
  ['stripe', 'saas'],
  ['hubspot', 'acme'],
  ['notion', 'acme'],
  ['linear', 'acme'],
];

/** The dump with the clone's own database name (in comments) and secret columns masked. */
async function state(c: { database: string }): Promise<string> {
  return maskSecrets((await dumpDatabase(c.database)).replaceAll(c.database, 'DB'));
}

function firstDifference(a: string, b: string): string {
  const la = a.split('\n');
  const lb = b.split('\n');
  for (let i = 0; i < Math.max(la.length, lb.length); i++) if (la[i] !== lb[i]) return `line ${i + 1}:\n- ${la[i]}\n+ ${lb[i]}`;
  return '';
}

describeDocker('deterministic worlds', () => {
  for (const [template, pack] of PACKS) {
    test(`${template}: two clones from pack ${pack} have byte-identical state`, async () => {
      const [a, b] = await Promise.all([h.spin(template, ['--fixture', pack]), h.spin(template, ['--fixture', pack])]);
      const [da, db] = await Promise.all([state(a), state(b)]);
      expect(firstDifference(da, db)).toBe('');
      // The secrets themselves differ: each clone's tokens are its own.
      expect(a.tokens.botToken).not.toBe(b.tokens.botToken);
      expect(a.tokens.workspaceId).toBe(b.tokens.workspaceId);
      // diff's state hash leaves the secrets out, so both worlds hash alike.
      const [ha, hb] = await Promise.all([h.run(['diff', a.id, '--json']), h.run(['diff', b.id, '--json'])]);
      expect(ha.json.hash.from).toBe(hb.json.hash.from);
      await Promise.all([h.run(['destroy', a.id, '--yes', '--json']), h.run(['destroy', b.id, '--yes', '--json'])]);
    }, 240_000);
  }
});
