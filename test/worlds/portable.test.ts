/**
 * Portable worlds, through the CLI and the vendors' SDKs: a Slack clone with messages written
 * through @slack/web-api and a GitHub clone with issues written through Octokit are exported to
 * one file in one ASYM_HOME and brought back in another (spin --from, restore --from). The
 * imported clone answers to its own tokens only; refusals (newer version or migration level,
 * wrong template, truncated, garbage, tampered) leave the target exactly as it was; an older
 * file is migrated forward; a killed import leaves nothing half-done and doctor finishes it.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { Octokit } from '@octokit/rest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cloneHarness, historyTexts as allTexts, slackClient } from '../support/clones.ts';
import { parkAt as parkVerb } from '../support/faults.ts';
import { describeDocker, uniqueName } from '../support/docker.ts';
import { dumpDatabase } from '../support/infra.ts';
import { maskSecrets } from '../../src/worlds/secrets.ts';
import { encodeSnapshot, readSnapshot } from '../../src/worlds/snapshot-file.ts';
import { namesOf } from '../../src/docker/names.ts';
import { ensureInfra } from '../../src/docker/infra.ts';
import { adminUrl } from '../../src/docker/postgres-admin.ts';
import { cloneLeftovers } from '../../src/docker/doctor.ts';
import { stripeFor } from '../stripe/helpers.ts';

const b = cloneHarness('portb'); // the importing machine's home
const a = cloneHarness('porta'); // the exporting machine's home
const dir = mkdtempSync(join(tmpdir(), 'asym-portable-'));
afterAll(async () => {
  await a.cleanup();
  await b.cleanup();
  rmSync(dir, { recursive: true, force: true });
}, 240_000);

/** What people wrote in a channel (the join notice left out). */
const historyTexts = async (client: ReturnType<typeof slackClient>, channel: string) => (await allTexts(client, channel)).filter((t) => !t.endsWith('has joined the channel'));

/** The whole state of a database as sorted lines of its dump, secrets masked. */
const dumpOf = async (db: string) => maskSecrets((await dumpDatabase(db)).replaceAll(db, 'DB')).split('\n').filter((l) => l && !l.startsWith('--')).sort().join('\n');
const stateHash = async (h: typeof a, id: string) => {
  const r = await h.run(['diff', id, '--json']);
  expect(r.code).toBe(0);
  return r.json.hash.to as string;
};
const octokit = (c: any, token = c.tokens.botToken) => new Octokit({ auth: token, baseUrl: c.endpoints.api, log: { debug() {}, info() {}, warn() {}, error() {} }, request: { retries: 0 } });

async function sql<T>(db: string, fn: (s: Bun.SQL) => Promise<T>): Promise<T> {
  const s = new Bun.SQL({ url: adminUrl(await ensureInfra(), db), max: 1 });
  try {
    return await fn(s);
  } finally {
    await s.close();
  }
}

/** A copy of a checked file with its header changed, checksummed again (a well-formed file). */
function rewritten(file: string, out: string, change: (h: any) => void): string {
  const c = readSnapshot(file);
  const { format, database, redis, payload, checksum, ...rest } = c.header;
  change(rest);
  writeFileSync(out, encodeSnapshot(rest as any, c.database, c.redis));
  return out;
}

describeDocker('portable worlds: Slack', () => {
  let src: any;
  let channel: string;
  const file = join(dir, 'slack.asym');
  beforeAll(async () => {
    src = await a.spin('slack', ['--fixture', 'acme']);
    const slack = slackClient(src);
    channel = (await slack.conversations.create({ name: 'portable' })).channel!.id!;
    await slack.chat.postMessage({ channel, text: 'written on machine A' });
    await slack.chat.postMessage({ channel, text: 'and a second one', thread_ts: undefined });
    expect((await a.run(['snapshot', src.id, 's1', '--json'])).code).toBe(0);
  }, 300_000);

  test('snapshot export writes one versioned, checksummed file and documents it in --json', async () => {
    const r = await a.run(['snapshot', 'export', src.id, 's1', '-o', file, '--json']);
    expect(r.code).toBe(0);
    expect(r.json).toMatchObject({ id: src.id, snapshot: 's1', file, template: 'slack', templateVersion: '0.1.0', redisKeys: expect.any(Number) });
    expect(r.json.migrations).toContain('001_init.sql');
    expect(r.json.bytes).toBe(readFileSync(file).length);
    const c = readSnapshot(file);
    expect(c.header).toMatchObject({ format: 1, template: 'slack', mode: 'api', world: src.world, seed: { fixture: 'acme' } });
    expect(c.header.clock).toMatchObject({ frozen: false });
    // No credential of the exporting clone is in the file.
    const text = c.database.toString('utf8');
    for (const secret of [src.tokens.botToken, src.tokens.userToken, src.tokens.signingSecret, new Bun.CryptoHasher('sha256').update(src.tokens.botToken).digest('hex')]) {
      expect(text.includes(secret)).toBe(false);
    }
    expect(text).toContain('asym:bot');
    // Never a half file: no temporary sibling is left.
    expect(existsSync(join(dir, `.slack.asym.${process.pid}.tmp`))).toBe(false);
    // A snapshot that does not exist, or a folder that does not, is a named error.
    expect((await a.run(['snapshot', 'export', src.id, 'nope', '-o', join(dir, 'x.asym'), '--json'])).json.error.code).toBe('SNAPSHOT_NOT_FOUND');
    expect((await a.run(['snapshot', 'export', src.id, 's1', '-o', join(dir, 'no/such/x.asym'), '--json'])).json.error.code).toBe('INVALID_INPUT');
  }, 60_000);

  test('spin --from in another home: the messages read back through the SDK, with the new clone’s own tokens', async () => {
    const name = uniqueName('pfrom');
    b.track(name);
    const r = await b.run(['spin', '--from', file, '--name', name, '--json']);
    expect(r.code).toBe(0);
    const clone = r.json;
    expect(clone).toMatchObject({ template: 'slack', state: 'running', world: src.world, seed: { fixture: 'acme' } });
    expect(clone.tokens.botToken).not.toBe(src.tokens.botToken);
    expect(clone.tokens.botUserId).toBe(src.tokens.botUserId);
    expect(await historyTexts(slackClient(clone), channel)).toEqual(['and a second one', 'written on machine A']);
    expect((await slackClient(clone, clone.tokens.userToken).auth.test()).user_id).toBe(src.tokens.adminUserId);
    // The exporting machine's tokens do not work here.
    await expect(slackClient(clone, src.tokens.botToken).auth.test()).rejects.toThrow(/invalid_auth/);
    await expect(slackClient(clone, src.tokens.userToken).auth.test()).rejects.toThrow(/invalid_auth/);
    // The same state: the snapshot's full dump (secrets masked), and diff is empty.
    expect(await dumpOf(clone.database)).toBe(await dumpOf(namesOf(src).snapshotDb('s1')));
    const d = await b.run(['diff', name, '--json']);
    expect(d.json.summary).toEqual({ tables: 0, added: 0, removed: 0, changed: 0 });
    // Writes work, and reset returns to the imported state.
    await slackClient(clone).chat.postMessage({ channel, text: 'written on machine B' });
    expect((await b.run(['reset', name, '--json'])).code).toBe(0);
    expect(await historyTexts(slackClient(clone), channel)).toEqual(['and a second one', 'written on machine A']);
  }, 120_000);

  test('restore --from into an existing clone: its state is the file’s, its tokens stay its own', async () => {
    const target = await b.spin('slack');
    expect(await historyTexts(slackClient(target), channel).catch((e) => String(e))).toMatch(/channel_not_found/);
    const r = await b.run(['restore', target.id, '--from', file, '--json']);
    expect(r.code).toBe(0);
    expect(r.json).toMatchObject({ id: target.id, template: 'slack', migrated: [] });
    expect(await historyTexts(slackClient(target), channel)).toEqual(['and a second one', 'written on machine A']);
    await expect(slackClient(target, src.tokens.botToken).auth.test()).rejects.toThrow(/invalid_auth/);
    // Back on machine A, into the exporting clone itself: later writes are gone, its tokens still work.
    await slackClient(src).chat.postMessage({ channel, text: 'after the snapshot' });
    expect((await a.run(['restore', src.id, '--from', file, '--json'])).code).toBe(0);
    expect(await historyTexts(slackClient(src), channel)).toEqual(['and a second one', 'written on machine A']);
  }, 120_000);

  describe('refusals leave the target exactly as it was', () => {
    let target: any;
    let before: string;
    let clones: number;
    beforeAll(async () => {
      target = await b.spin('slack');
      const mine = (await slackClient(target).conversations.create({ name: 'mine' })).channel!.id!;
      await slackClient(target).chat.postMessage({ channel: mine, text: 'mine' });
      before = await stateHash(b, target.id);
      clones = (await b.run(['ls', '--json'])).json.length;
    }, 120_000);

    const cases: [string, () => string, string][] = [
      ['a newer template version', () => rewritten(file, join(dir, 'newer.asym'), (h) => (h.templateVersion = '99.0.0')), 'SNAPSHOT_TOO_NEW'],
      ['a migration level this template does not know', () => rewritten(file, join(dir, 'migr.asym'), (h) => h.migrations.push('999_future.sql')), 'SNAPSHOT_TOO_NEW'],
      ['another template', () => rewritten(file, join(dir, 'gh.asym'), (h) => (h.template = 'github')), 'SNAPSHOT_INCOMPATIBLE'],
      ['another world', () => rewritten(file, join(dir, 'world.asym'), (h) => (h.world = { seed: 'elsewhere', start: h.world.start })), 'SNAPSHOT_INCOMPATIBLE'],
      ['a newer file format', () => {
        const out = join(dir, 'format.asym');
        writeFileSync(out, Buffer.concat([Buffer.from('ASYM-SNAPSHOT 2\n'), readFileSync(file).subarray(16)]));
        return out;
      }, 'SNAPSHOT_TOO_NEW'],
      ['a truncated file', () => {
        const out = join(dir, 'cut.asym');
        const bytes = readFileSync(file);
        writeFileSync(out, bytes.subarray(0, bytes.length - 200));
        return out;
      }, 'SNAPSHOT_CORRUPT'],
      ['one flipped byte', () => {
        const out = join(dir, 'flip.asym');
        const bytes = Buffer.from(readFileSync(file));
        bytes[bytes.length - 500] = bytes[bytes.length - 500]! ^ 0x01;
        writeFileSync(out, bytes);
        return out;
      }, 'SNAPSHOT_CORRUPT'],
      ['a tampered header', () => {
        const out = join(dir, 'tamper.asym');
        writeFileSync(out, readFileSync(file, 'latin1').replace('"mode":"api"', '"mode":"apx"'), 'latin1');
        return out;
      }, 'SNAPSHOT_CORRUPT'],
      ['garbage', () => {
        const out = join(dir, 'garbage.asym');
        writeFileSync(out, crypto.getRandomValues(new Uint8Array(4096)));
        return out;
      }, 'SNAPSHOT_CORRUPT'],
    ];

    test.each(cases)('%s', async (_what, make, code) => {
      const bad = make();
      const r = await b.run(['restore', target.id, '--from', bad, '--json']);
      expect(r.code).toBe(1);
      expect(r.json.error.code).toBe(code);
      expect(r.json.error.hint).toMatch(/nothing was changed/);
      expect(await stateHash(b, target.id)).toBe(before);
      if (!bad.endsWith('world.asym')) {
        const s = await b.run(['spin', 'slack', '--from', bad, '--name', uniqueName('pbad'), '--json']);
        expect(s.json.error.code).toBe(code);
        expect((await b.run(['ls', '--json'])).json.length).toBe(clones);
      }
      const { status } = await fetch(`${target.endpoints.api}/api/auth.test`, { headers: { authorization: `Bearer ${target.tokens.botToken}` } });
      expect(status).toBe(200);
    }, 60_000);

    test('a missing file is INVALID_INPUT', async () => {
      const r = await b.run(['restore', target.id, '--from', join(dir, 'absent.asym'), '--json']);
      expect(r.json.error.code).toBe('INVALID_INPUT');
      expect(await stateHash(b, target.id)).toBe(before);
    });
  });

  test('an older file (a migration level behind) is migrated forward when it is brought back', async () => {
    const old = await a.spin('slack');
    const slack = slackClient(old);
    const general = (await slack.conversations.create({ name: 'older' })).channel!.id!;
    await slack.chat.postMessage({ channel: general, text: 'from an older clone' });
    // Take the database back to the level before 003_files.sql (and 006_file_comments.sql,
    // whose table refers to files): what an older asym wrote (stopped first, or its server
    // would migrate it again as soon as it reconnects).
    expect((await a.run(['stop', old.id, '--json'])).code).toBe(0);
    await sql(old.database, async (s) => {
      await s.unsafe('drop table file_comments; drop table file_contents; drop table files; alter table messages drop column file_ids');
      await s`delete from asym_migrations where name in ('003_files.sql', '006_file_comments.sql')`;
    });
    expect((await a.run(['snapshot', old.id, 'old', '--json'])).code).toBe(0);
    const oldFile = join(dir, 'old.asym');
    const e = await a.run(['snapshot', 'export', old.id, 'old', '-o', oldFile, '--json']);
    expect(e.json.migrations).not.toContain('003_files.sql');
    const target = await b.spin('slack');
    const r = await b.run(['restore', target.id, '--from', oldFile, '--json']);
    expect(r.code).toBe(0);
    expect(r.json.migrated).toEqual(['003_files.sql', '006_file_comments.sql']);
    expect(await historyTexts(slackClient(target), general)).toContain('from an older clone');
    expect(await sql(target.database, (s) => s`select to_regclass('public.files')::text as t`)).toEqual([{ t: 'files' }]);
    // spin --from too: the new clone's server migrates it as it starts.
    const name = uniqueName('pold');
    b.track(name);
    const s = await b.run(['spin', '--from', oldFile, '--name', name, '--json']);
    expect(s.code).toBe(0);
    expect(await historyTexts(slackClient(s.json), general)).toContain('from an older clone');
    expect((await sql(s.json.database, (q) => q`select name from asym_migrations order by name`)).map((x: any) => x.name)).toContain('003_files.sql');
  }, 180_000);

  describe('an interrupted import', () => {
    const markers = mkdtempSync(join(tmpdir(), 'asym-pfaults-'));
    afterAll(() => rmSync(markers, { recursive: true, force: true }));

    const parkAt = async (point: string, args: string[]) => (await parkVerb(point, args, { env: b.env, markers })).proc;

    test('kill -9 before the swap: the clone is as it was; doctor --fix finishes the import from the file', async () => {
      const target = await b.spin('slack');
      const before = await stateHash(b, target.id);
      const proc = await parkAt('import:staged', ['restore', target.id, '--from', file]);
      proc.kill('SIGKILL');
      await proc.exited;
      expect(await stateHash(b, target.id)).toBe(before);
      expect((await b.run(['restore', target.id, '--from', file, '--json'])).json.error.code).toBe('CLONE_INTERRUPTED');
      const fixed = await b.run(['doctor', '--fix', '--json']);
      expect(fixed.json.findings.filter((f: any) => !f.fixed)).toEqual([]);
      expect(fixed.json.findings.some((f: any) => f.kind === 'interrupted-operation' && f.target === target.id)).toBe(true);
      expect((await b.run(['doctor', '--json'])).json.findings).toEqual([]);
      expect(await historyTexts(slackClient(target), channel)).toEqual(['and a second one', 'written on machine A']);
    }, 120_000);

    test('Ctrl-C before the swap: exits 130, the clone is as it was, nothing is left behind', async () => {
      const target = await b.spin('slack');
      const before = await stateHash(b, target.id);
      const proc = await parkAt('import:staged', ['restore', target.id, '--from', file]);
      proc.kill('SIGINT');
      expect(await proc.exited).toBe(130);
      expect(await stateHash(b, target.id)).toBe(before);
      expect((await b.run(['doctor', '--json'])).json.findings).toEqual([]);
    }, 120_000);

    test('kill -9 during spin --from: doctor --fix rolls the spin back and leaves nothing', async () => {
      const name = uniqueName('pkill');
      const proc = await parkAt('import:staged', ['spin', '--from', file, '--name', name]);
      proc.kill('SIGKILL');
      await proc.exited;
      const rec = (await b.run(['ls', '--json'])).json.find((c: any) => c.id === name);
      expect(rec.state).toBe('creating');
      const fixed = await b.run(['doctor', '--fix', '--json']);
      expect(fixed.json.findings.filter((f: any) => !f.fixed)).toEqual([]);
      expect((await b.run(['ls', '--json'])).json.some((c: any) => c.id === name)).toBe(false);
      expect(await cloneLeftovers(rec)).toEqual([]);
    }, 120_000);
  });
});

describeDocker('portable worlds: GitHub (JSON-heavy)', () => {
  test('issues with labels and bodies written through Octokit travel to another home', async () => {
    const src = await a.spin('github');
    const bot = octokit(src);
    const me = (await bot.rest.users.getAuthenticated()).data.login;
    const repo = uniqueName('repo');
    await bot.rest.repos.createForAuthenticatedUser({ name: repo, description: 'portable' });
    await bot.rest.issues.create({ owner: me, repo, title: 'first', body: '**markdown** with `code`', labels: ['bug'] });
    await bot.rest.issues.create({ owner: me, repo, title: 'second', labels: ['enhancement', 'documentation'] });
    await bot.rest.issues.createComment({ owner: me, repo, issue_number: 1, body: 'a comment' });
    expect((await a.run(['snapshot', src.id, 'gh', '--json'])).code).toBe(0);
    const file = join(dir, 'github.asym');
    expect((await a.run(['snapshot', 'export', src.id, 'gh', '-o', file, '--json'])).code).toBe(0);
    const name = uniqueName('pgh');
    b.track(name);
    const r = await b.run(['spin', 'github', '--from', file, '--name', name, '--json']);
    expect(r.code).toBe(0);
    const mine = octokit(r.json);
    const issues = (await mine.rest.issues.listForRepo({ owner: me, repo, state: 'all', sort: 'created', direction: 'asc' })).data;
    expect(issues.map((i) => [i.title, i.body ?? null, i.labels.map((l: any) => l.name).sort()])).toEqual([
      ['first', '**markdown** with `code`', ['bug']],
      ['second', null, ['documentation', 'enhancement']],
    ]);
    expect((await mine.rest.issues.listComments({ owner: me, repo, issue_number: 1 })).data.map((c) => c.body)).toEqual(['a comment']);
    expect(await dumpOf(r.json.database)).toBe(await dumpOf(namesOf(src).snapshotDb('gh')));
    await expect(octokit(r.json, src.tokens.botToken).rest.users.getAuthenticated()).rejects.toMatchObject({ status: 401 });
    // A GitHub file is not a Slack clone's.
    const slack = await b.spin('slack');
    const before = await stateHash(b, slack.id);
    const wrong = await b.run(['restore', slack.id, '--from', file, '--json']);
    expect(wrong.json.error.code).toBe('SNAPSHOT_INCOMPATIBLE');
    expect(await stateHash(b, slack.id)).toBe(before);
  }, 240_000);
});

describeDocker('portable worlds: Stripe (API keys keep their last 4)', () => {
  test('customers and metadata travel; the importing clone’s secret key works, the exporting one’s does not', async () => {
    const src = await a.spin('stripe');
    const stripe = stripeFor(src);
    const c1 = await stripe.customers.create({ email: 'ada@acme.test', name: 'Ada', metadata: { tier: 'gold', seats: '12' } });
    await stripe.customers.create({ email: 'alan@acme.test', name: 'Alan', address: { city: 'London', country: 'GB' } });
    const product = await stripe.products.create({ name: 'Seats' });
    await stripe.prices.create({ product: product.id, currency: 'usd', unit_amount: 1200, recurring: { interval: 'month' } });
    expect((await a.run(['snapshot', src.id, 'st', '--json'])).code).toBe(0);
    const file = join(dir, 'stripe.asym');
    expect((await a.run(['snapshot', 'export', src.id, 'st', '-o', file, '--json'])).code).toBe(0);
    const target = await b.spin('stripe');
    const r = await b.run(['restore', target.id, '--from', file, '--json']);
    expect(r.code).toBe(0);
    const mine = stripeFor(target);
    const list = (await mine.customers.list({ limit: 10 })).data;
    expect(list.map((c) => c.email).sort()).toEqual(['ada@acme.test', 'alan@acme.test']);
    expect((await mine.customers.retrieve(c1.id)) as any).toMatchObject({ id: c1.id, metadata: { tier: 'gold', seats: '12' } });
    expect((await mine.prices.list({ product: product.id })).data.map((p) => p.unit_amount)).toEqual([1200]);
    await expect(stripeFor(target, src.tokens.botToken).customers.list()).rejects.toMatchObject({ statusCode: 401 });
    // The key rows carry the importing clone's keys, last 4 included (as Stripe shows them).
    const rows = await sql(target.database, (s) => s`select last4 from api_keys order by last4`);
    expect(rows.map((x: any) => x.last4).sort()).toEqual([target.tokens.botToken.slice(-4), target.tokens.userToken.slice(-4)].sort());
    expect(await dumpOf(target.database)).toBe(await dumpOf(namesOf(src).snapshotDb('st')));
  }, 180_000);
});
