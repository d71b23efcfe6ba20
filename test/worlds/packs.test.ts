/**
 * An AI seed saved as a pack: `seed --ai … --save-as NAME` asks the model once (a local server
 * speaking the Messages API), and `seed --pack NAME` / `spin --pack NAME` bring back the very
 * same state with no key and no model call: equal state hashes and equal full dumps.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { cloneHarness, slackClient } from '../support/clones.ts';
import { describeDocker, uniqueName } from '../support/docker.ts';
import { dumpDatabase } from '../support/infra.ts';
import { startFakeAnthropic } from '../support/fake-anthropic.ts';
import { maskSecrets } from '../../src/worlds/secrets.ts';

const records = {
  users: [
    { name: 'ada.lovelace', real_name: 'Ada Lovelace', email: 'ada@acme.test', title: 'CTO' },
    { name: 'alan.turing', real_name: 'Alan Turing', email: 'alan@acme.test' },
  ],
  channels: [{ name: 'launch-plans', topic: 'Q4 launch', members: ['ada.lovelace', 'alan.turing'] }],
  messages: [
    { channel: 'launch-plans', user: 'ada.lovelace', text: 'Kickoff tomorrow at 10' },
    { channel: 'launch-plans', user: 'alan.turing', text: 'I will bring the numbers', thread: 0 },
  ],
};

const h = cloneHarness('packs');
const fake = startFakeAnthropic({ key: 'test-key', models: ['claude-haiku-4-5'], records });
afterAll(async () => {
  fake.stop();
  await h.cleanup();
}, 180_000);

const dumpOf = async (db: string) => maskSecrets((await dumpDatabase(db)).replaceAll(db, 'DB')).split('\n').filter((l) => l && !l.startsWith('--')).sort().join('\n');
const hashOf = async (id: string) => (await h.run(['diff', id, '--json'])).json.hash.to as string;
const noModel = { ANTHROPIC_API_KEY: '', ANTHROPIC_BASE_URL: 'http://127.0.0.1:9' };

describeDocker('AI seed saved as a pack', () => {
  let first: any;
  let saved: any;
  beforeAll(async () => {
    first = await h.spin('slack');
    const r = await h.run(['seed', first.id, '--ai', '--volume', '2', '--save-as', 'rocket', '--json'], { ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: fake.url });
    if (r.code !== 0) throw new Error(r.stdout + r.stderr);
    saved = r.json;
  }, 300_000);

  test('--save-as writes the seeded state as a pack of this home and says so in --json', () => {
    expect(saved.bySource.ai.written).toBeGreaterThan(0);
    expect(saved.warnings.join('\n')).toMatch(/saved as pack rocket/);
    expect(existsSync(join(h.home.dir, 'packs', 'slack', 'rocket.asym'))).toBe(true);
    expect(fake.requests.length).toBe(3);
  });

  test('seed --pack on another clone gives the same state, without the model', async () => {
    const other = await h.spin('slack');
    const r = await h.run(['seed', other.id, '--pack', 'rocket', '--json'], noModel);
    expect(r.code).toBe(0);
    expect(fake.requests.length).toBe(3);
    expect(await hashOf(other.id)).toBe(await hashOf(first.id));
    expect(await dumpOf(other.database)).toBe(await dumpOf(first.database));
    // Its own tokens work on the replayed world; the first clone's do not.
    const users = (await slackClient(other).users.list({})).members!.map((u) => u.name);
    expect(users).toEqual(expect.arrayContaining(['ada.lovelace', 'alan.turing']));
    await expect(slackClient(other, first.tokens.botToken).auth.test()).rejects.toThrow(/invalid_auth/);
    // The pack is what reset returns to, and the record says where the seed came from.
    expect((await h.run(['reset', other.id, '--json'])).code).toBe(0);
    expect(await hashOf(other.id)).toBe(await hashOf(first.id));
    expect((await h.run(['ls', '--json'])).json.find((c: any) => c.id === other.id).seed).toEqual({ pack: 'rocket' });
  }, 120_000);

  test('spin --pack makes a clone of that state in one step', async () => {
    const name = uniqueName('packs');
    h.track(name);
    const r = await h.run(['spin', 'slack', '--pack', 'rocket', '--name', name, '--json'], noModel);
    expect(r.code).toBe(0);
    expect(await dumpOf(r.json.database)).toBe(await dumpOf(first.database));
  }, 120_000);

  test('unknown packs and taken names are named errors that change nothing', async () => {
    const before = await hashOf(first.id);
    const unknown = await h.run(['seed', first.id, '--pack', 'nope', '--json'], noModel);
    expect(unknown.json.error.code).toBe('FIXTURE_NOT_FOUND');
    expect(unknown.json.error.hint).toMatch(/rocket/);
    const taken = await h.run(['seed', first.id, '--fixture', 'acme', '--save-as', 'rocket', '--json']);
    expect(taken.json.error.code).toBe('NAME_TAKEN');
    const shipped = await h.run(['seed', first.id, '--fixture', 'acme', '--save-as', 'acme', '--json']);
    expect(shipped.json.error.code).toBe('NAME_TAKEN');
    const both = await h.run(['seed', first.id, '--pack', 'rocket', '--ai', '--json']);
    expect(both.json.error.code).toBe('INVALID_INPUT');
    expect(await hashOf(first.id)).toBe(before);
    const spun = await h.run(['spin', 'slack', '--pack', 'nope', '--name', uniqueName('packs'), '--json'], noModel);
    expect(spun.json.error.code).toBe('FIXTURE_NOT_FOUND');
  }, 60_000);
});
