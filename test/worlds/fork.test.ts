/**
 * asym fork: N clones from one clone's current state (a database copy, not a re-seed),
 * driven through the Slack SDK: each fork holds what the source held at the fork, writes
 * stay in the fork that made them, reset returns a fork to the forked state, and destroy
 * removes a fork's databases (they carry its own stamp, not the source's).
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { cloneHarness, historyTexts, slackClient } from '../support/clones.ts';
import { describeDocker, uniqueName } from '../support/docker.ts';
import { databaseExists, dumpDatabase } from '../support/infra.ts';
import { maskSecrets } from '../../src/worlds/secrets.ts';
import { namesOf } from '../../src/docker/names.ts';

const h = cloneHarness('fork');
afterAll(() => h.cleanup(), 180_000);

const state = async (c: { database: string }) => maskSecrets((await dumpDatabase(c.database)).replaceAll(c.database, 'DB'));

describeDocker('asym fork', () => {
  let src: any;
  let channel: string;
  let forks: any[];
  beforeAll(async () => {
    src = await h.spin('slack', ['--fixture', 'acme']);
    const slack = slackClient(src);
    channel = (await slack.conversations.create({ name: 'episode' })).channel!.id!;
    await slack.chat.postMessage({ channel, text: 'before the fork' });
    const prefix = uniqueName('fk');
    const r = await h.run(['fork', src.id, '-n', '2', '--prefix', prefix, '--json']);
    expect(r.code).toBe(0);
    forks = r.json.clones;
    for (const f of forks) h.track(f.id);
  }, 300_000);

  test('--json prints every fork, named <prefix>-N, with the source state', async () => {
    expect(forks.map((f) => f.id.replace(/^.*-/, ''))).toEqual(['1', '2']);
    // The frozen copy the forks were made from (dropped while they started) is gone.
    expect(await databaseExists(namesOf(src).snapshotDb('#fork'))).toBe(false);
    const source = await state(src);
    for (const f of forks) {
      expect(f.template).toBe('slack');
      expect(await state(f)).toBe(source);
      expect(await historyTexts(slackClient(f), channel)).toContain('before the fork');
    }
  }, 60_000);

  test('writes stay in the fork that made them; reset returns a fork to the forked state', async () => {
    const [a, b] = forks;
    await slackClient(a).chat.postMessage({ channel, text: 'only in fork 1' });
    expect(await historyTexts(slackClient(a), channel)).toContain('only in fork 1');
    expect(await historyTexts(slackClient(b), channel)).not.toContain('only in fork 1');
    expect(await historyTexts(slackClient(src), channel)).not.toContain('only in fork 1');
    const r = await h.run(['reset', a.id, '--json']);
    expect(r.code).toBe(0);
    const texts = await historyTexts(slackClient(a), channel);
    expect(texts).toContain('before the fork');
    expect(texts).not.toContain('only in fork 1');
  }, 60_000);

  test('destroying a fork removes its databases and leaves the source working', async () => {
    const f = forks[1];
    const r = await h.run(['destroy', f.id, '--yes', '--json']);
    expect(r.code).toBe(0);
    expect(await databaseExists(f.database)).toBe(false);
    expect(await historyTexts(slackClient(src), channel)).toContain('before the fork');
  }, 60_000);

  test('a bad -n or prefix creates nothing', async () => {
    const r = await h.run(['fork', src.id, '-n', '0', '--json']);
    expect(r.code).not.toBe(0);
    expect(r.json.error.code).toBe('INVALID_INPUT');
    const ls = await h.run(['ls', '--json']);
    expect(ls.json.length).toBe(2);
  }, 30_000);
});
