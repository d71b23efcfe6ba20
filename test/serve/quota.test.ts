/**
 * --max-clones counts what a key holds on the machine: a create in progress counts (its id is
 * claimed before the engine starts), so a burst cannot slip past the quota; a create that
 * failed and was rolled back does not, so a key is not locked out by its own failures.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeDocker, labelled, uniqueName } from '../support/docker.ts';
import { until } from '../support/faults.ts';
import { serveHarness } from '../support/serve.ts';

const parkedServer = serveHarness('quota-park');
const plain = serveHarness('quota');
const faults = mkdtempSync(join(tmpdir(), 'asym-serve-quota-'));
afterAll(async () => {
  await parkedServer.cleanup();
  await plain.cleanup();
  rmSync(faults, { recursive: true, force: true });
}, 240_000);

const post = async (h: ReturnType<typeof serveHarness>, key: string, body: unknown) => {
  const res = await h.api(key, 'POST', '/v1/clones', body);
  return { status: res.status, body: (await res.json()) as any };
};

describeDocker('the quota counts a create in progress', () => {
  beforeAll(async () => {
    // Every create parks once its database exists, until the test releases it.
    await parkedServer.start({ ASYM_FAULT_AT: 'spin:database', ASYM_FAULT_DIR: faults });
  }, 60_000);

  test('a key of 1 with a create parked mid-way: a second create is QUOTA_EXCEEDED; the first then completes', async () => {
    const key = await parkedServer.key('park-one', 1);
    const first = uniqueName('park');
    const pending = post(parkedServer, key, { template: 'slack', name: first });
    await until('the first create to park', () => (existsSync(join(faults, 'spin:database')) ? true : undefined));
    // The parked clone is in the engine's registry as `creating`, and in the key's count.
    const second = await post(parkedServer, key, { template: 'slack', name: uniqueName('park2') });
    expect(second.status).toBe(403);
    expect(second.body.error.code).toBe('QUOTA_EXCEEDED');
    expect(second.body.error.details).toEqual({ maxClones: 1, clones: 1 });
    writeFileSync(join(faults, 'spin:database.release'), '');
    const done = await pending;
    expect(done.status).toBe(201);
    expect(done.body.state).toBe('running');
    expect((await parkedServer.api(key, 'DELETE', `/v1/clones/${first}`)).status).toBe(200);
    expect((await labelled(first)).containers).toEqual([]);
  }, 180_000);
});

describeDocker('the quota under bursts and failures', () => {
  beforeAll(async () => {
    // AI seeding is pointed at a port where nothing listens: such a create fails after its clone was recorded.
    await plain.start({ ANTHROPIC_API_KEY: 'sk-ant-test-not-a-key', ANTHROPIC_BASE_URL: 'http://127.0.0.1:1' });
  }, 60_000);

  test('50 concurrent creates on a key of 2: exactly 2 succeed, 48 are QUOTA_EXCEEDED and create nothing', async () => {
    const key = await plain.key('burst', 2);
    const names = Array.from({ length: 50 }, (_, i) => uniqueName(`b${i}`));
    const results = await Promise.all(names.map((name) => post(plain, key, { template: 'slack', name })));
    const ok = results.filter((r) => r.status === 201);
    try {
      expect(ok.length).toBe(2);
      expect(results.filter((r) => r.status === 403 && r.body.error.code === 'QUOTA_EXCEEDED').length).toBe(48);
      const ls = await plain.run(key, ['ls', '--json']);
      expect(ls.json.map((c: any) => c.id).sort()).toEqual(ok.map((r) => r.body.id).sort());
    } finally {
      for (const r of ok) await plain.api(key, 'DELETE', `/v1/clones/${r.body.id}`);
    }
    for (const r of ok) expect((await labelled(r.body.id)).containers).toEqual([]);
  }, 400_000);

  test('50 concurrent creates from 5 keys of 2: exactly 2 per key succeed, on distinct ports, each key sees only its own', async () => {
    const keys = await Promise.all(Array.from({ length: 5 }, (_, i) => plain.key(`burst5-${i}`, 2)));
    const results = await Promise.all(Array.from({ length: 50 }, async (_, i) => {
      const key = keys[i % 5]!;
      return { key, ...(await post(plain, key, { template: 'slack', name: uniqueName(`m${i}`) })) };
    }));
    const ok = results.filter((r) => r.status === 201);
    try {
      expect(results.filter((r) => r.status !== 201).map((r) => r.body.error.code)).toEqual(Array(40).fill('QUOTA_EXCEEDED'));
      expect(ok.length).toBe(10);
      expect(new Set(ok.map((r) => r.body.ports.api)).size).toBe(10);
      for (const r of ok) expect(r.body.state).toBe('running');
      for (const key of keys) {
        const mine = ok.filter((r) => r.key === key).map((r) => r.body.id).sort();
        expect(mine.length).toBe(2);
        expect((await plain.run(key, ['ls', '--json'])).json.map((c: any) => c.id).sort()).toEqual(mine);
      }
    } finally {
      await Promise.all(ok.map((r) => plain.api(r.key, 'DELETE', `/v1/clones/${r.body.id}`)));
    }
    for (const r of ok) expect((await labelled(r.body.id)).containers).toEqual([]);
  }, 400_000);

  test('a create that failed and was rolled back does not count: the key of 1 can spin at once, under the same name', async () => {
    const key = await plain.key('fails', 1);
    const name = uniqueName('fail');
    const failed = await post(plain, key, { template: 'slack', name, seed: { ai: true } });
    expect(failed.status).toBe(502);
    expect(failed.body.error.code).toBe('AI_REQUEST_FAILED');
    // Nothing of it is left: not in the key's clones, not in the engine, no containers.
    expect((await plain.run(key, ['ls', '--json'])).json).toEqual([]);
    expect((await labelled(name)).containers).toEqual([]);
    const again = await post(plain, key, { template: 'slack', name });
    expect([again.status, again.body.error?.code]).toEqual([201, undefined]);
    expect(again.body.state).toBe('running');
    expect((await plain.api(key, 'DELETE', `/v1/clones/${name}`)).status).toBe(200);
  }, 240_000);
});
