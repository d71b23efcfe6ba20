/**
 * One operation at a time per clone, and recovery that keeps data: concurrent resets and a
 * reset beside a snapshot all succeed (serialised by the clone's lock); `start` and
 * `env up` bring back containers removed by hand; doctor reports exited containers, a
 * missing database, a registry others can read, and the infra down while clones exist.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { chmodSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cloneHarness, historyTexts, slackClient } from '../support/clones.ts';
import { describeDocker, uniqueName } from '../support/docker.ts';
import { dumpDatabase } from '../support/infra.ts';
import { docker } from '../../src/docker/spawn.ts';
import { ensureInfra } from '../../src/docker/infra.ts';
import { PgAdmin } from '../../src/docker/postgres-admin.ts';

const h = cloneHarness('recv');
afterAll(() => h.cleanup(), 240_000);

async function containersOf(id: string): Promise<string[]> {
  return (await docker(['ps', '-aq', '--filter', `label=asym.clone=${id}`, '--filter', `label=asym.home`])).stdout.split('\n').filter(Boolean);
}

describeDocker('one operation at a time, and recovery', () => {
  let c: any;
  let pristine: string;
  beforeAll(async () => {
    c = await h.spin('slack', ['--fixture', 'acme']);
    pristine = await dumpDatabase(c.database);
  }, 300_000);

  test('eight concurrent resets of one clone all succeed and leave it exactly pristine', async () => {
    await slackClient(c).conversations.create({ name: 'before-the-resets' });
    const runs = await Promise.all(Array.from({ length: 8 }, () => h.run(['reset', c.id, '--json'])));
    expect(runs.map((r) => r.code)).toEqual(Array(8).fill(0));
    expect(await dumpDatabase(c.database)).toBe(pristine);
  }, 120_000);

  test('reset beside snapshot: both succeed, every time, and the snapshot is whole', async () => {
    const slack = slackClient(c);
    for (let i = 0; i < 4; i++) {
      const ch = (await slack.conversations.create({ name: `side-${i}` })).channel!.id!;
      await slack.chat.postMessage({ channel: ch, text: `round ${i}` });
      const [r, s] = await Promise.all([h.run(['reset', c.id, '--json']), h.run(['snapshot', c.id, `side-${i}`, '--json'])]);
      expect([r.code, s.code]).toEqual([0, 0]);
      expect((await h.run(['restore', c.id, `side-${i}`, '--json'])).code).toBe(0);
      // The snapshot was taken either before the reset (has the round's message) or after (pristine).
      const dump = await dumpDatabase(c.database);
      if (dump !== pristine) expect(await historyTexts(slack, ch)).toContain(`round ${i}`);
    }
  }, 180_000);

  test('a busy clone makes the second verb wait, then CLONE_BUSY after the timeout', async () => {
    const lock = join(h.home.dir, 'locks', `${c.id}.lock`);
    // A live holder (this test process) doing a long operation.
    writeFileSync(lock, JSON.stringify({ pid: process.pid, host: (await import('node:os')).hostname(), at: new Date().toISOString(), op: 'upgrade' }));
    try {
      const r = await h.run(['reset', c.id, '--json'], { ASYM_LOCK_TIMEOUT_MS: '300' });
      expect(r.code).toBe(1);
      expect(r.json.error.code).toBe('CLONE_BUSY');
      expect(r.json.error.message).toContain('upgrade');
    } finally {
      (await import('node:fs')).rmSync(lock, { force: true });
    }
  });

  test('start brings back containers removed by hand, with the data; status hints start first', async () => {
    const slack = slackClient(c);
    const ch = (await slack.conversations.create({ name: 'kept-through-rm' })).channel!.id!;
    await slack.chat.postMessage({ channel: ch, text: 'still here' });
    await docker(['rm', '-f', ...(await containersOf(c.id))]);
    const st = await h.run(['status', c.id]);
    expect(st.stdout).toContain(`asym start ${c.id}`);
    const r = await h.run(['start', c.id, '--json']);
    expect(r.code).toBe(0);
    expect((await containersOf(c.id)).length).toBeGreaterThan(0);
    expect((await h.run(['status', c.id, '--json'])).json.healthy).toBe(true);
    expect(await historyTexts(slack, ch)).toContain('still here');
  }, 120_000);

  test('env up repairs a member whose containers are gone instead of reporting it unchanged', async () => {
    const env = uniqueName('renv');
    const file = join(h.home.dir, 'environment.yaml');
    const member = `${env}-slack`;
    h.track(member);
    writeFileSync(file, `name: ${env}\nclones:\n  - template: slack\n`);
    expect((await h.run(['env', 'up', '-f', file, '--json'])).code).toBe(0);
    await docker(['rm', '-f', ...(await containersOf(member))]);
    const up = await h.run(['env', 'up', '-f', file, '--json']);
    expect(up.code).toBe(0);
    expect(up.json.results.every((x: any) => x.ok)).toBe(true);
    expect((await containersOf(member)).length).toBeGreaterThan(0);
    expect((await h.run(['status', member, '--json'])).json.healthy).toBe(true);
    expect((await h.run(['env', 'down', env, '--destroy', '--yes', '--json'])).code).toBe(0);
  }, 180_000);

  test('doctor reports an exited container and brings it back; a registry others can read is made 0600', async () => {
    const api = (await docker(['ps', '-q', '--filter', `label=asym.clone=${c.id}`, '--filter', 'label=asym.service=api'])).stdout.trim();
    await docker(['stop', '-t', '1', api]);
    chmodSync(join(h.home.dir, 'registry.json'), 0o644);
    const found = await h.run(['doctor', '--json']);
    const kinds = found.json.findings.map((f: any) => `${f.kind}:${f.target}`);
    expect(kinds).toContain(`exited-container:${c.id}`);
    expect(kinds).toContain(`registry-permissions:${join(h.home.dir, 'registry.json')}`);
    const fixed = await h.run(['doctor', '--fix', '--json']);
    expect(fixed.json.findings.filter((f: any) => !f.fixed)).toEqual([]);
    expect(statSync(join(h.home.dir, 'registry.json')).mode & 0o777).toBe(0o600);
    expect((await h.run(['status', c.id, '--json'])).json.healthy).toBe(true);
  }, 120_000);

  test('doctor reports a clone whose database is missing, and offers no fix that pretends', async () => {
    const lost = await h.spin('slack');
    const pg = new PgAdmin(await ensureInfra());
    try {
      await pg.dropDatabase(lost.database);
    } finally {
      await pg.close();
    }
    const r = await h.run(['doctor', '--fix', '--json']);
    const f = r.json.findings.find((x: any) => x.kind === 'missing-database' && x.target === lost.id);
    expect(f).toBeDefined();
    expect(f.fixed).toBe(false);
    expect(r.code).toBe(1);
    expect((await h.run(['destroy', lost.id, '--yes', '--json'])).code).toBe(0);
  }, 120_000);
});

describeDocker('the infra down while clones exist', () => {
  // A private infra project, so stopping it touches no other test's clones.
  const project = uniqueName('asym-priv');
  const p = cloneHarness('infd');
  afterAll(async () => {
    await p.cleanup();
    await docker(['compose', '-p', project, 'down', '-v', '-t', '0'], { allowFailure: true });
  }, 120_000);

  test('doctor says so, and --fix starts it again', async () => {
    const env = { ASYM_INFRA_PROJECT: project };
    const name = uniqueName('inf');
    p.track(name);
    const s = await p.run(['spin', 'slack', '--name', name, '--json'], env);
    expect(s.code).toBe(0);
    await docker(['compose', '-p', project, 'stop', '-t', '1']);
    const found = await p.run(['doctor', '--json'], env);
    expect(found.json.findings.map((f: any) => f.kind)).toContain('infra-down');
    const fixed = await p.run(['doctor', '--fix', '--json'], env);
    expect(fixed.json.findings.find((f: any) => f.kind === 'infra-down')?.fixed).toBe(true);
    expect(fixed.json.checks.find((c: any) => c.name === 'infra').ok).toBe(true);
    expect((await p.run(['destroy', name, '--yes', '--json'], env)).code).toBe(0);
  }, 240_000);
});
