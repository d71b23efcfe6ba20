/**
 * A fork killed in the middle. `fork -n 1` renames its source's frozen copy into the fork's
 * database instead of copying it again; name, owner and stamp change in one transaction.
 * Parked right after that rename (ASYM_FAULT_AT, src/process/faults.ts) and killed, it must
 * leave no database without its owner's stamp (one that `destroy` and doctor could never
 * remove), and doctor --fix must leave no orphan: no fork, no frozen copy, the source whole.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cloneHarness, historyTexts, slackClient } from '../support/clones.ts';
import { namesFor, parkAt as parkVerb, until } from '../support/faults.ts';
import { composePs } from '../../src/docker/compose.ts';
import { describeDocker, uniqueName } from '../support/docker.ts';
import { dumpDatabase, redisKeys } from '../support/infra.ts';
import { cloneLeftovers } from '../../src/docker/doctor.ts';
import { composeProjectName, databaseName, homeId, namesOf, ownerStamp, redisPrefixFor } from '../../src/docker/names.ts';
import { ensureInfra } from '../../src/docker/infra.ts';
import { PgAdmin } from '../../src/docker/postgres-admin.ts';

const h = cloneHarness('fkintr');
const markers = mkdtempSync(join(tmpdir(), 'asym-fork-faults-'));
afterAll(async () => {
  await h.cleanup();
  rmSync(markers, { recursive: true, force: true });
}, 180_000);

async function withPg<T>(fn: (pg: PgAdmin) => Promise<T>): Promise<T> {
  const pg = new PgAdmin(await ensureInfra());
  try {
    return await fn(pg);
  } finally {
    await pg.close();
  }
}

/** Every database named like one of this home's clones, with its stamp. */
async function homeDatabases(): Promise<{ name: string; stamp: string | null }[]> {
  const prefix = databaseName('');
  return withPg(async (pg) => {
    const out = [];
    for (const name of await pg.listDatabases(prefix)) out.push({ name, stamp: await pg.databaseStamp(name) });
    return out;
  });
}

/** No database of this home lacks a stamp of this home, and each names the clone whose name it carries. */
async function expectAllStamped(ids: string[]): Promise<void> {
  for (const db of await homeDatabases()) {
    expect({ db: db.name, home: db.stamp?.includes(`home=${homeId()}`) ?? false }).toEqual({ db: db.name, home: true });
    // The longest id whose database name this is a prefix of owns it (forks' ids extend the source's).
    const owner = ids.filter((id) => namesOf({ id, database: databaseName(id), redisPrefix: redisPrefixFor(id) }).ownsDatabase(db.name)).sort((a, b) => b.length - a.length)[0];
    if (owner) expect({ db: db.name, stamp: db.stamp }).toEqual({ db: db.name, stamp: ownerStamp(owner) });
  }
}

const parkAt = (point: string, args: string[]) => parkVerb(point, args, { env: h.env, markers });

describeDocker('fork -n 1 interrupted', () => {
  let src: any;
  let channel: string;
  let srcState: string;
  // A fork first writes the source's clock reading into its database (so forks go on from
  // now): that one row changes; nothing else may.
  const sourceState = async () => `${(await dumpDatabase(src.database)).replace(/^clock\t.*$/m, 'clock (checkpointed)')}\n--pristine--\n${await dumpDatabase(namesOf(src).pristine)}\n--keys ${await redisKeys(src.redisPrefix)}`;
  const sourceWhole = async () => {
    expect(await sourceState()).toBe(srcState);
    const names = namesOf(src);
    const own = (await homeDatabases()).map((d) => d.name).filter((d) => names.ownsDatabase(d));
    // The frozen copy (a snapshot-like database of the source) is gone too.
    expect(own.sort()).toEqual([src.database, names.pristine].sort());
    expect(await historyTexts(slackClient(src), channel)).toContain('before the fork');
  };

  beforeAll(async () => {
    src = await h.spin('slack', ['--fixture', 'acme']);
    const slack = slackClient(src);
    channel = (await slack.conversations.create({ name: 'episode' })).channel!.id!;
    await slack.chat.postMessage({ channel, text: 'before the fork' });
    srcState = await sourceState();
  }, 300_000);

  test('kill -9 right after the frozen copy is renamed into the fork: it carries the fork\'s stamp; doctor --fix leaves nothing', async () => {
    const prefix = uniqueName('fk');
    const id = `${prefix}-1`;
    h.track(id);
    const p = await parkAt('fork:database', ['fork', src.id, '-n', '1', '--prefix', prefix]);
    // Parked inside the step: the rename happened, and the stamp with it.
    const frozen = namesOf(src).snapshotDb('#fork');
    expect(await withPg((pg) => pg.databaseExists(frozen))).toBe(false);
    // It is staged under the fork's incoming name until its pristine copy is made.
    expect(await withPg((pg) => pg.databaseStamp(namesOf(namesFor(id)).incoming(databaseName(id))))).toBe(ownerStamp(id));
    await expectAllStamped([src.id, id]);
    p.proc.kill('SIGKILL');
    await p.proc.exited;
    await expectAllStamped([src.id, id]);

    const fixed = await h.run(['doctor', '--fix', '--json']);
    const findings = fixed.json.findings as any[];
    expect(findings.filter((f) => !f.fixed)).toEqual([]);
    expect(findings.some((f) => f.kind === 'interrupted-operation' && f.target === id)).toBe(true);
    expect((await h.run(['doctor', '--json'])).json.findings).toEqual([]);
    expect((await h.run(['ls', '--json'])).json.map((c: any) => c.id)).toEqual([src.id]);
    expect(await cloneLeftovers(namesFor(id))).toEqual([]);
    await sourceWhole();
  }, 120_000);

  test('SIGTERM at the same point undoes the fork and exits 143; no doctor needed', async () => {
    const prefix = uniqueName('fk');
    const id = `${prefix}-1`;
    h.track(id);
    const p = await parkAt('fork:database', ['fork', src.id, '-n', '1', '--prefix', prefix]);
    p.proc.kill('SIGTERM');
    const code = await p.proc.exited;
    expect(code).toBe(143);
    expect(JSON.parse(await p.out).error.code).toBe('INTERRUPTED');
    expect((await h.run(['doctor', '--json'])).json.findings).toEqual([]);
    expect(await cloneLeftovers(namesFor(id))).toEqual([]);
    await sourceWhole();
  }, 120_000);

  test('kill -9 with the frozen copy made, the fork\'s containers started meanwhile: doctor --fix removes both', async () => {
    const prefix = uniqueName('fk');
    const id = `${prefix}-1`;
    h.track(id);
    const p = await parkAt('fork:frozen', ['fork', src.id, '-n', '1', '--prefix', prefix]);
    expect(await withPg((pg) => pg.databaseStamp(namesOf(src).snapshotDb('#fork')))).toBe(ownerStamp(src.id));
    // The fork does not wait for the copy to start its containers (they retry their first
    // connection until its database exists): parked after the copy, they come up anyway.
    await until('the fork\'s container while the source copy is parked', async () => ((await composePs(composeProjectName(id))).some((c) => c.State === 'running') ? true : undefined), 60_000);
    expect(await withPg((pg) => pg.databaseExists(databaseName(id)))).toBe(false);
    p.proc.kill('SIGKILL');
    await p.proc.exited;
    const fixed = await h.run(['doctor', '--fix', '--json']);
    expect((fixed.json.findings as any[]).filter((f) => !f.fixed)).toEqual([]);
    expect((await h.run(['doctor', '--json'])).json.findings).toEqual([]);
    expect(await cloneLeftovers(namesFor(id))).toEqual([]);
    await sourceWhole();
  }, 120_000);

  test('an uninterrupted fork -n 1 holds the source state; reset returns it there', async () => {
    const prefix = uniqueName('fk');
    const r = await h.run(['fork', src.id, '-n', '1', '--prefix', prefix, '--json']);
    expect(r.code).toBe(0);
    const [f] = r.json.clones;
    h.track(f.id);
    const texts = await historyTexts(slackClient(f), channel);
    expect(texts).toContain('before the fork');
    await slackClient(f).chat.postMessage({ channel, text: 'only in the fork' });
    expect((await h.run(['reset', f.id, '--json'])).code).toBe(0);
    expect(await historyTexts(slackClient(f), channel)).not.toContain('only in the fork');
    await expectAllStamped([src.id, f.id]);
    await sourceWhole();
  }, 120_000);
});
