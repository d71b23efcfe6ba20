/**
 * What a shared service meets, with faults placed by ASYM_FAULT_AT (no sleeps): a client
 * that disconnects mid-spin, a clean stop and a crash of asym serve mid-operation. A
 * create never leaves a zombie: it completes, or it is rolled back when the server starts
 * again; clones that were running keep running across restarts.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI } from '../support/cli.ts';
import { slackClient } from '../support/clones.ts';
import { describeDocker, labelled, uniqueName } from '../support/docker.ts';
import { until } from '../support/faults.ts';
import { serveHarness } from '../support/serve.ts';
import { databaseExists } from '../support/infra.ts';
import { databaseName } from '../../src/docker/names.ts';

const h = serveHarness('faults');
const faults = mkdtempSync(join(tmpdir(), 'asym-serve-faults-'));
afterAll(async () => {
  await h.cleanup();
  rmSync(faults, { recursive: true, force: true });
}, 240_000);

const parked = (point: string) => until(`the server to reach ${point}`, () => (existsSync(join(faults, point)) ? true : undefined));
const faultEnv = (point: string) => ({ ASYM_FAULT_AT: point, ASYM_FAULT_DIR: faults });

describeDocker('asym serve under faults', () => {
  let key: string;
  let kept: any; // spun before any fault; must live through every restart

  beforeAll(async () => {
    await h.start();
    key = await h.key('faulty');
    const r = await h.run(key, ['spin', 'slack', '--name', uniqueName('kept'), '--json']);
    if (r.code !== 0) throw new Error(r.stdout + r.stderr);
    kept = r.json;
  }, 180_000);

  test('a clean stop (SIGTERM) leaves running clones running, and a new server knows them', async () => {
    expect(await h.stop('SIGTERM')).toBe(0);
    expect((await slackClient(kept).auth.test()).ok).toBe(true);
    await h.start(faultEnv('spin:containers'));
    const st = await h.run(key, ['status', kept.id, '--json']);
    expect(st.json.healthy).toBe(true);
    expect(st.json.clone.ports).toEqual(kept.ports);
  }, 120_000);

  test('a client killed mid-spin: the create completes on the server, no zombie', async () => {
    const id = uniqueName('gone');
    const client = Bun.spawn(['bun', CLI, 'spin', 'slack', '--name', id, '--json'], {
      env: { ...process.env, NO_COLOR: '1', ASYM_HOME: h.clientHome, ASYM_REMOTE: h.url, ASYM_REMOTE_TOKEN: key },
      stdout: 'ignore',
      stderr: 'ignore',
    });
    await parked('spin:containers');
    client.kill('SIGKILL');
    await client.exited;
    rmSync(join(faults, 'spin:containers'));
    writeFileSync(join(faults, 'spin:containers.release'), '');
    const done = await until('the create to settle', async () => {
      const r = await h.run(key, ['ls', '--json']);
      const c = r.json.find((x: any) => x.id === id);
      return c && c.state !== 'creating' ? c : undefined;
    });
    expect(done.state).toBe('running');
    const tokens = await h.run(key, ['tokens', id, '--json']);
    expect((await slackClient({ endpoints: done.endpoints, tokens: tokens.json }).auth.test()).ok).toBe(true);
    expect((await h.run(key, ['destroy', id, '--yes', '--json'])).code).toBe(0);
    expect((await labelled(id)).containers).toEqual([]);
  }, 180_000);

  test('Ctrl-C on the client mid-spin ends its wait at once (exit 130, INTERRUPTED); the server still completes the create', async () => {
    const id = uniqueName('ctrlc');
    const client = Bun.spawn(['bun', CLI, 'spin', 'slack', '--name', id, '--json'], {
      env: { ...process.env, NO_COLOR: '1', ASYM_HOME: h.clientHome, ASYM_REMOTE: h.url, ASYM_REMOTE_TOKEN: key },
      stdout: 'pipe',
      stderr: 'ignore',
    });
    await parked('spin:containers');
    client.kill('SIGINT');
    // The server is still parked: the client's answer cannot be the create's.
    expect(await client.exited).toBe(130);
    const doc = JSON.parse(await new Response(client.stdout).text());
    expect(doc.error.code).toBe('INTERRUPTED');
    expect(doc.error.hint).toContain('asym ls');
    expect((await h.run(key, ['ls', '--json'])).json.find((x: any) => x.id === id).state).toBe('creating');
    rmSync(join(faults, 'spin:containers'));
    writeFileSync(join(faults, 'spin:containers.release'), '');
    const done = await until('the create to settle', async () => {
      const c = (await h.run(key, ['ls', '--json'])).json.find((x: any) => x.id === id);
      return c && c.state !== 'creating' ? c : undefined;
    });
    expect(done.state).toBe('running');
    expect((await h.run(key, ['destroy', id, '--yes', '--json'])).code).toBe(0);
  }, 180_000);

  test('the server killed mid-spin: at its next start the create is rolled back; other clones keep running', async () => {
    const id = uniqueName('crash');
    const pending = h.api(key, 'POST', '/v1/clones', { template: 'slack', name: id }).catch((e) => e);
    await parked('spin:containers');
    expect((await labelled(id)).containers.length).toBeGreaterThan(0);
    await h.stop('SIGKILL');
    await pending; // the connection broke
    rmSync(join(faults, 'spin:containers'));
    await h.start();
    expect(h.server.log()).toContain(`reconciled ${id}`);
    const r = await h.run(key, ['status', id, '--json']);
    expect(r.json.error.code).toBe('CLONE_NOT_FOUND');
    expect((await labelled(id)).containers).toEqual([]);
    expect(await databaseExists(databaseName(id, h.home))).toBe(false);
    // Its claim went with it: the tenant holds only what it had.
    expect((await h.run(key, ['ls', '--json'])).json.map((c: any) => c.id)).toEqual([kept.id]);
    expect((await slackClient(kept).auth.test()).ok).toBe(true);
    expect((await h.run(key, ['status', kept.id, '--json'])).json.healthy).toBe(true);
  }, 180_000);

  test('SIGTERM during a spin: the server rolls it back before it exits', async () => {
    await h.stop('SIGTERM');
    await h.start(faultEnv('spin:database'));
    const id = uniqueName('term');
    const pending = h.api(key, 'POST', '/v1/clones', { template: 'slack', name: id }).then(async (res) => ({ status: res.status, body: (await res.json()) as any }));
    await parked('spin:database');
    expect(await databaseExists(databaseName(id, h.home))).toBe(true);
    rmSync(join(faults, 'spin:database'));
    const code = await h.stop('SIGTERM');
    expect(code).toBe(0);
    const answer = await pending;
    expect(answer.body.error.code).toBe('INTERRUPTED');
    await h.start();
    expect((await h.run(key, ['status', id, '--json'])).json.error.code).toBe('CLONE_NOT_FOUND');
    expect(await databaseExists(databaseName(id, h.home))).toBe(false);
  }, 180_000);
});
