/**
 * Reset, snapshot, restore and doctor against real clones, checked with database dumps
 * (pg_dump of the clone's own database) and through the official SDK.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { cloneHarness, historyTexts, slackClient } from '../support/clones.ts';
import { describeDocker, labelled } from '../support/docker.ts';
import { databaseExists, dumpDatabase, redisKeys } from '../support/infra.ts';
import { docker } from '../../src/docker/spawn.ts';
import { ensureInfra } from '../../src/docker/infra.ts';
import { PgAdmin } from '../../src/docker/postgres-admin.ts';
import { homeId, ownerStamp } from '../../src/docker/names.ts';
import { CLI } from '../support/cli.ts';

const h = cloneHarness('rst');
afterAll(() => h.cleanup(), 180_000);

describeDocker('reset, snapshot, restore', () => {
  let c: any;
  let channel: string;
  let afterSpin: string;
  beforeAll(async () => {
    // Spun with a fixture: reset must return to the seeded state, not to empty.
    c = await h.spin('slack', ['--fixture', 'acme']);
    afterSpin = await dumpDatabase(c.database);
  }, 300_000);

  test('reset after writes through the SDK is byte-identical to right after spin; tokens keep working', async () => {
    const slack = slackClient(c);
    const created = await slack.conversations.create({ name: 'to-be-reset' });
    channel = created.channel!.id!;
    await slack.chat.postMessage({ channel, text: 'written before reset' });
    expect(await dumpDatabase(c.database)).not.toBe(afterSpin);
    const r = await h.run(['reset', c.id, '--json']);
    expect(r.code).toBe(0);
    expect(r.json.reset).toBe(true);
    expect(await dumpDatabase(c.database)).toBe(afterSpin);
    expect((await slack.auth.test()).ok).toBe(true);
    await expect(slack.conversations.history({ channel })).rejects.toMatchObject({ data: { error: 'channel_not_found' } });
    expect(await redisKeys(c.redisPrefix)).toBe(0);
    const users = await slackClient(c, c.tokens.userToken).users.list({ limit: 200 });
    expect((users.members ?? []).length).toBeGreaterThan(10); // the fixture's people are still there
  }, 60_000);

  test('snapshot, write more, restore: exactly the snapshot', async () => {
    const slack = slackClient(c);
    const created = await slack.conversations.create({ name: 'snap' });
    channel = created.channel!.id!;
    await slack.chat.postMessage({ channel, text: 'in the snapshot' });
    const before = await dumpDatabase(c.database);
    const s = await h.run(['snapshot', c.id, 'before', '--json']);
    expect(s.code).toBe(0);
    await slack.chat.postMessage({ channel, text: 'after the snapshot' });
    expect(await historyTexts(slack, channel)).toContain('after the snapshot');
    const r = await h.run(['restore', c.id, 'before', '--json']);
    expect(r.code).toBe(0);
    expect(await dumpDatabase(c.database)).toBe(before);
    const texts = await historyTexts(slack, channel);
    expect(texts).toContain('in the snapshot');
    expect(texts).not.toContain('after the snapshot');
    const ls = await h.run(['snapshot', 'ls', c.id, '--json']);
    expect(ls.json.map((x: any) => x.name)).toEqual(['before']);
    const dup = await h.run(['snapshot', c.id, 'before', '--json']);
    expect(dup.json.error.code).toBe('SNAPSHOT_EXISTS');
    const missing = await h.run(['restore', c.id, 'nope', '--json']);
    expect(missing.json.error.code).toBe('SNAPSHOT_NOT_FOUND');
  }, 60_000);

  test('a snapshot killed midway is not listed and does not break restoring earlier ones', async () => {
    // Kill snapshot processes at several points of their run (start-up, copy, metadata):
    // each time, what is listed must be whole and restorable, and nothing half-made listed.
    for (const [i, delay] of [120, 250, 400, 550, 700].entries()) {
      const name = `interrupted-${i}`;
      const proc = Bun.spawn(['bun', CLI, 'snapshot', c.id, name, '--json'], { env: { ...process.env, ...h.env }, stdout: 'pipe', stderr: 'pipe' });
      await Bun.sleep(delay);
      proc.kill('SIGKILL');
      await proc.exited;
      // A kill inside the operation leaves its lock: verbs then say so, and doctor --fix rolls it back.
      const next = await h.run(['snapshot', 'ls', c.id, '--json']);
      expect(next.code).toBe(0);
      const fixed = await h.run(['doctor', '--fix', '--json']);
      expect(fixed.json.findings.filter((f: any) => !f.fixed)).toEqual([]);
      const names = (await h.run(['snapshot', 'ls', c.id, '--json'])).json.map((x: any) => x.name);
      expect(names).toContain('before');
      if (names.includes(name)) expect((await h.run(['restore', c.id, name, '--json'])).code).toBe(0);
    }
    const r = await h.run(['restore', c.id, 'before', '--json']);
    expect(r.code).toBe(0);
    expect(await historyTexts(slackClient(c), channel)).toContain('in the snapshot');
    const rm = await h.run(['snapshot', 'rm', c.id, 'before', '--json']);
    expect(rm.code).toBe(0);
    expect((await h.run(['snapshot', 'ls', c.id, '--json'])).json.map((x: any) => x.name)).not.toContain('before');
  }, 60_000);

  test('doctor finds and fixes: containers removed by hand (brought back, data kept), a labelled container with no record, a database and role with no clone', async () => {
    const ok = await h.run(['doctor', '--json']);
    expect(ok.json.checks.every((x: any) => x.ok)).toBe(true);

    const gone = await h.spin('slack');
    const goneSlack = slackClient(gone);
    const kept = (await goneSlack.conversations.create({ name: 'survives-doctor' })).channel!.id!;
    const ids = (await docker(['ps', '-aq', '--filter', `label=asym.clone=${gone.id}`])).stdout.split('\n').filter(Boolean);
    await docker(['rm', '-f', ...ids]);
    const strayName = `asym-stray-${Date.now().toString(36)}`;
    await docker(['create', '--name', strayName, '--label', `asym.clone=${strayName}`, '--label', `asym.home=${homeId()}`, process.env.ASYM_BUN_IMAGE || 'oven/bun:1', 'true']);
    const strayDb = `asym_stray_${Date.now().toString(36)}`;
    const pg = new PgAdmin(await ensureInfra());
    try {
      await pg.createCloneDatabase(strayDb, strayDb, 'x', ownerStamp('stray', homeId()));
    } finally {
      await pg.close();
    }

    const found = await h.run(['doctor', '--json']);
    expect(found.code).toBe(1);
    const kinds = found.json.findings.map((f: any) => `${f.kind}:${f.target}`);
    expect(kinds).toContain(`gone-clone:${gone.id}`);
    expect(kinds).toContain(`orphan-container:${strayName}`);
    expect(kinds).toContain(`orphan-database:${strayDb}`);
    expect(kinds).toContain(`orphan-role:${strayDb}`);
    expect(kinds.some((k: string) => k.includes(c.id))).toBe(false);

    const fixed = await h.run(['doctor', '--fix', '--json']);
    expect(fixed.json.findings.every((f: any) => f.fixed)).toBe(true);
    // The gone clone is back with its data, not destroyed.
    expect((await h.run(['status', gone.id, '--json'])).json.healthy).toBe(true);
    expect((await goneSlack.conversations.info({ channel: kept })).ok).toBe(true);
    expect(await databaseExists(strayDb)).toBe(false);
    expect((await labelled(strayName)).containers).toEqual([]);
    const clean = await h.run(['doctor', '--json']);
    expect(clean.json.findings).toEqual([]);
  }, 120_000);
});
