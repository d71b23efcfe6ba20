/**
 * Clones that cannot hurt each other: two homes on one engine using the same clone name,
 * a clone named like the infra, names with `--`, and a failed spin next to someone else's
 * resources. Each of these destroyed other clones' data before names carried the home and
 * destructive steps checked owner stamps.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { cloneHarness, historyTexts, slackClient } from '../support/clones.ts';
import { describeDocker, uniqueName } from '../support/docker.ts';
import { databaseExists, dumpDatabase } from '../support/infra.ts';
import { docker } from '../../src/docker/spawn.ts';
import { ensureInfra } from '../../src/docker/infra.ts';
import { PgAdmin } from '../../src/docker/postgres-admin.ts';
import { databaseName, homeId, namesOf, ownerStamp } from '../../src/docker/names.ts';
import { infraProject } from '../../src/config.ts';
import { asym } from '../support/cli.ts';

const a = cloneHarness('isoa');
const b = cloneHarness('isob');
afterAll(async () => {
  await a.cleanup();
  await b.cleanup();
}, 240_000);

async function infraContainers(): Promise<string> {
  return (await docker(['ps', '-q', '--no-trunc', '--filter', `label=com.docker.compose.project=${infraProject()}`])).stdout.split('\n').filter(Boolean).sort().join(',');
}

describeDocker('clones that cannot hurt each other', () => {
  let infraBefore: string;
  beforeAll(async () => {
    await ensureInfra();
    infraBefore = await infraContainers();
  });

  test('the same clone name in two homes at once: both work, destroying one leaves the other whole', async () => {
    const name = uniqueName('same');
    const env = { ASYM_HOME: a.home.dir };
    const envB = { ASYM_HOME: b.home.dir };
    a.track(name);
    b.track(name);
    const ra = await asym(['spin', 'slack', '--name', name, '--json'], env);
    expect(ra.code).toBe(0);
    const rb = await asym(['spin', 'slack', '--name', name, '--json'], envB);
    expect(rb.code).toBe(0);
    const ca = ra.json;
    const cb = rb.json;
    expect(ca.composeProject).not.toBe(cb.composeProject);
    expect(ca.database).not.toBe(cb.database);
    expect(ca.redisPrefix).not.toBe(cb.redisPrefix);
    const slackA = slackClient(ca);
    const ch = (await slackA.conversations.create({ name: 'home-a' })).channel!.id!;
    await slackA.chat.postMessage({ channel: ch, text: 'belongs to home a' });
    const dumpA = await dumpDatabase(ca.database);

    const d = await asym(['destroy', name, '--yes', '--json'], envB);
    expect(d.code).toBe(0);
    expect(await databaseExists(cb.database)).toBe(false);
    expect(await databaseExists(ca.database)).toBe(true);
    expect(await dumpDatabase(ca.database)).toBe(dumpA);
    expect((await asym(['status', name, '--json'], env)).json.healthy).toBe(true);
    expect(await historyTexts(slackA, ch)).toContain('belongs to home a');
  }, 180_000);

  test('a clone named `infra` is just a clone: the shared Postgres and Redis are untouched by its spin and destroy', async () => {
    const c = await a.run(['spin', 'slack', '--name', 'infra', '--json']);
    a.track('infra');
    expect(c.code).toBe(0);
    expect(c.json.composeProject).not.toBe(infraProject());
    expect(await infraContainers()).toBe(infraBefore);
    expect((await a.run(['destroy', 'infra', '--yes', '--json'])).code).toBe(0);
    expect(await infraContainers()).toBe(infraBefore);
    const vols = (await docker(['volume', 'ls', '-q', '--filter', `label=com.docker.compose.project=${infraProject()}`])).stdout;
    expect(vols).toContain(`${infraProject()}-pgdata`);
  }, 120_000);

  test('an infra project shaped like a clone project is refused before anything runs', async () => {
    const r = await a.run(['ls', '--json'], { ASYM_INFRA_PROJECT: `asym-${homeId(a.home.dir).slice(0, 8)}-x` });
    // ls touches no Docker; spin does, and must refuse.
    const s = await a.run(['spin', 'slack', '--name', 'xx', '--json'], { ASYM_INFRA_PROJECT: `asym-${homeId(a.home.dir).slice(0, 8)}-x` });
    expect(r.code).toBe(0);
    expect(s.code).toBe(1);
    expect(s.json.error.code).toBe('INVALID_INPUT');
    expect(await infraContainers()).toBe(infraBefore);
  });

  test('`--` in names aliases nothing: destroying `agent` keeps `agent--v2`, resetting `o` keeps `o--pristine`', async () => {
    const base = uniqueName('ag');
    const agent = await a.run(['spin', 'slack', '--name', base, '--json']);
    a.track(base);
    const v2 = await a.run(['spin', 'slack', '--name', `${base}--v2`, '--json']);
    a.track(`${base}--v2`);
    const pristineLike = await a.run(['spin', 'slack', '--name', `${base}--pristine`, '--json']);
    a.track(`${base}--pristine`);
    expect([agent.code, v2.code, pristineLike.code]).toEqual([0, 0, 0]);
    const dumpV2 = await dumpDatabase(v2.json.database);
    const dumpP = await dumpDatabase(pristineLike.json.database);
    await slackClient(agent.json).conversations.create({ name: 'then-reset' });
    expect((await a.run(['reset', base, '--json'])).code).toBe(0);
    expect((await a.run(['snapshot', base, 'pristine', '--json'])).code).toBe(0);
    expect(await dumpDatabase(pristineLike.json.database)).toBe(dumpP);
    expect((await a.run(['destroy', base, '--yes', '--json'])).code).toBe(0);
    expect(await databaseExists(v2.json.database)).toBe(true);
    expect(await dumpDatabase(v2.json.database)).toBe(dumpV2);
    expect(await databaseExists(namesOf(v2.json).pristine)).toBe(true);
    expect((await a.run(['status', `${base}--v2`, '--json'])).json.healthy).toBe(true);
    expect((await a.run(['status', `${base}--pristine`, '--json'])).json.healthy).toBe(true);
  }, 180_000);

  test('a spin that fails on a name taken by another home removes nothing of that home', async () => {
    // Another home's database, stamped as that home's, sitting where this spin would put its own.
    const name = uniqueName('taken');
    const db = databaseName(name, a.home.dir);
    const pg = new PgAdmin(await ensureInfra());
    try {
      await pg.createCloneDatabase(db, db, 'x', ownerStamp(name, 'ffffffffffff'));
    } finally {
      await pg.close();
    }
    try {
      const r = await a.run(['spin', 'slack', '--name', name, '--json']);
      expect(r.code).toBe(1);
      expect(r.json.error.code).toBe('NAME_TAKEN');
      expect(await databaseExists(db)).toBe(true);
      // Nor does destroy (or doctor) of this home remove what carries another home's stamp.
      await a.run(['destroy', name, '--yes', '--json']);
      await a.run(['doctor', '--fix', '--json']);
      expect(await databaseExists(db)).toBe(true);
    } finally {
      const pg2 = new PgAdmin(await ensureInfra());
      await pg2.dropDatabase(db);
      await pg2.dropRole(db);
      await pg2.close();
    }
  }, 120_000);
});
