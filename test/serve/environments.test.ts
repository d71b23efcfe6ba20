/**
 * `asym env …` through a control plane: the environment file is read on the client, the
 * members are spun on the server under the caller's key (claimed, counted, released), every
 * verb answers the document it prints locally, and another tenant's environment answers
 * exactly as one that does not exist.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as v from 'valibot';
import { Octokit } from '@octokit/rest';
import { EnvClockResultSchema, EnvDiffResultSchema, EnvDownResultSchema, EnvListEntrySchema, EnvResetResultSchema, EnvStatusResultSchema, EnvUpResultSchema } from '../../src/contract/environment.ts';
import { slackClient } from '../support/clones.ts';
import { describeDocker, labelled, uniqueName } from '../support/docker.ts';
import { serveHarness } from '../support/serve.ts';
import { asym } from '../support/cli.ts';

const h = serveHarness('env');
const dir = mkdtempSync(join(tmpdir(), 'asym-serve-envfile-'));
afterAll(async () => {
  await h.cleanup();
  rmSync(dir, { recursive: true, force: true });
}, 240_000);

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

describeDocker('asym env through asym serve', () => {
  let a: string;
  let b: string;
  const envName = uniqueName('renv');
  const slackId = `${envName}-slack`;
  const githubId = `${envName}-github`;
  const spec = join(dir, 'environment.yaml');
  let up: any;

  beforeAll(async () => {
    await h.start();
    a = await h.key('env-a');
    b = await h.key('env-b');
    writeFileSync(spec, [`name: ${envName}`, 'clones:', '  - template: slack', '  - template: github', ''].join('\n'));
  }, 120_000);

  test('env up: the local document, members running on the server, the spec the client file', async () => {
    const r = await h.run(a, ['env', 'up', '-f', spec, '--json']);
    expect(r.code).toBe(0);
    up = v.parse(EnvUpResultSchema, r.json);
    expect(Object.keys(r.json).sort()).toEqual(['clones', 'environment', 'results']);
    expect(up.environment).toMatchObject({ name: envName, members: [slackId, githubId], spec, state: 'running' });
    expect(up.results).toEqual([{ clone: slackId, ok: true }, { clone: githubId, ok: true }]);
    expect(up.clones.map((c: any) => c.id)).toEqual([slackId, githubId]);
    for (const c of up.clones) expect(c.endpoints.api).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(JSON.stringify(r.json)).not.toContain('"owner"');
    expect(existsSync(join(h.clientHome, 'registry.json'))).toBe(false);
    // The members are the caller's clones: in its ls, and the SDKs reach them.
    expect((await h.run(a, ['ls', '--json'])).json.map((c: any) => c.id).sort()).toEqual([githubId, slackId].sort());
    const slack = slackClient(up.clones[0]);
    expect((await slack.auth.test()).ok).toBe(true);
    const gh = up.clones[1];
    const octo = new Octokit({ baseUrl: gh.endpoints.api, auth: gh.tokens.botToken, log: quiet, request: { retries: 0 } });
    expect((await octo.rest.users.getAuthenticated()).status).toBe(200);
    // Twice changes nothing.
    const again = await h.run(a, ['env', 'up', '-f', spec, '--json']);
    expect(again.code).toBe(0);
    expect(again.json.results.every((x: any) => x.ok)).toBe(true);
  }, 400_000);

  test('ls, status, diff, clock and tokens answer the local documents', async () => {
    const ls = await h.run(a, ['env', 'ls', '--json']);
    expect(ls.code).toBe(0);
    expect(ls.json.map((e: any) => v.parse(EnvListEntrySchema, e).name)).toEqual([envName]);
    expect(ls.json[0].clones).toEqual([{ id: slackId, template: 'slack', state: 'running' }, { id: githubId, template: 'github', state: 'running' }]);
    const st = await h.run(a, ['env', 'status', envName, '--json']);
    expect(st.code).toBe(0);
    expect(v.parse(EnvStatusResultSchema, st.json).state).toBe('running');
    expect(st.json.members.every((m: any) => m.healthy)).toBe(true);
    const d = await h.run(a, ['env', 'diff', envName, '--json']);
    expect(d.code).toBe(0);
    expect(Object.keys(v.parse(EnvDiffResultSchema, d.json).diffs).sort()).toEqual([githubId, slackId].sort());
    const frozen = await h.run(a, ['env', 'clock', envName, 'freeze', '--json']);
    expect(frozen.code).toBe(0);
    const before = v.parse(EnvClockResultSchema, frozen.json).clock!.at;
    const adv = await h.run(a, ['env', 'clock', envName, 'advance', '1d', '--json']);
    expect(adv.code).toBe(0);
    expect(adv.json.members.map((m: any) => m.at)).toEqual([adv.json.clock.at, adv.json.clock.at]);
    expect(Date.parse(adv.json.clock.at) - Date.parse(before)).toBe(86_400_000);
    const tk = await h.run(a, ['env', 'tokens', envName, '--json']);
    expect(tk.code).toBe(0);
    const vars = JSON.stringify(tk.json);
    expect(vars).toContain(up.clones[0].endpoints.api);
    expect(vars).toContain(up.clones[0].tokens.botToken);
    expect(vars).toContain(up.clones[1].endpoints.api);
  }, 120_000);

  test('another tenant: the same not-found as a missing environment, and the name is taken', async () => {
    const verbs = [['status'], ['diff'], ['clock'], ['tokens'], ['reset'], ['down'], ['down', '--destroy', '--yes']];
    for (const verb of verbs) {
      const theirs = await h.run(b, ['env', verb[0]!, envName, ...verb.slice(1), '--json']);
      const none = await h.run(b, ['env', verb[0]!, 'no-such-env', ...verb.slice(1), '--json']);
      expect(theirs.code).toBe(1);
      expect(theirs.json.error.code).toBe('ENVIRONMENT_NOT_FOUND');
      expect(theirs.json.error.hint).not.toContain(envName);
      expect({ ...theirs.json.error, message: '' }).toEqual({ ...none.json.error, message: '' });
    }
    expect((await h.run(b, ['env', 'ls', '--json'])).json).toEqual([]);
    const taken = await h.run(b, ['env', 'up', '-f', spec, '--json']);
    expect(taken.code).toBe(1);
    expect(taken.json.error.code).toBe('NAME_TAKEN');
    // Nor can a clone of b's join a's environment.
    const joined = await h.run(b, ['spin', 'slack', '--name', uniqueName('join'), '--group', envName, '--json']);
    expect(joined.code).toBe(1);
    expect(joined.json.error.code).toBe('NAME_TAKEN');
    // a's environment is untouched.
    expect((await h.run(a, ['env', 'status', envName, '--json'])).json.state).toBe('running');
  }, 120_000);

  test('members count against the key\'s quota', async () => {
    const z = await h.key('env-zero', 0);
    const file = join(dir, 'zero.yaml');
    const name = uniqueName('zenv');
    writeFileSync(file, [`name: ${name}`, 'clones:', '  - template: slack', ''].join('\n'));
    const r = await h.run(z, ['env', 'up', '-f', file, '--json']);
    expect(r.code).toBe(1);
    expect(r.json.results).toEqual([{ clone: `${name}-slack`, ok: false, error: { code: 'QUOTA_EXCEEDED', message: expect.any(String) } }]);
    expect((await h.run(z, ['ls', '--json'])).json).toEqual([]);
    expect((await h.run(z, ['env', 'down', name, '--destroy', '--yes', '--json'])).code).toBe(0);
  }, 60_000);

  test('env up prints each member\'s steps and outcome as it happens on the server, in the local lines', async () => {
    const name = uniqueName('penv');
    const file = join(dir, 'progress.yaml');
    writeFileSync(file, [`name: ${name}`, 'clones:', `  - template: slack`, `    name: ${name}-one`, `  - template: slack`, `    name: ${name}-two`, ''].join('\n'));
    try {
      const r = await h.run(a, ['env', 'up', '-f', file]);
      expect(r.code).toBe(0);
      const lines = r.stderr.split('\n');
      const at = (re: RegExp) => lines.findIndex((l) => re.test(l));
      const oneStep = at(new RegExp(`^… ${name}-one: waiting for health`));
      const oneDone = at(new RegExp(`^✔ ${name}-one: created$`));
      const twoStep = at(new RegExp(`^… ${name}-two: waiting for health`));
      const twoDone = at(new RegExp(`^✔ ${name}-two: created$`));
      // The first member's steps, then its line, then the second's: not all at the end.
      expect([oneStep, oneDone, twoStep, twoDone].every((i) => i >= 0)).toBe(true);
      expect(oneStep).toBeLessThan(oneDone);
      expect(oneDone).toBeLessThan(twoStep);
      expect(twoStep).toBeLessThan(twoDone);
      const down = await h.run(a, ['env', 'down', name, '--destroy', '--yes']);
      expect(down.code).toBe(0);
      expect(down.stderr).toMatch(new RegExp(`✔ ${name}-one: destroyed[\\s\\S]*✔ ${name}-two: destroyed`));
    } finally {
      await h.run(a, ['env', 'down', name, '--destroy', '--yes', '--json']);
    }
  }, 240_000);

  test('env up of a name the server already has (an environment of its own home) is NAME_TAKEN and changes nothing', async () => {
    const name = uniqueName('lenv');
    const file = join(dir, 'server-side.yaml');
    writeFileSync(file, [`name: ${name}`, 'clones:', '  - template: slack', ''].join('\n'));
    const local = { ASYM_HOME: h.home, ASYM_REMOTE: '' };
    try {
      expect((await asym(['env', 'up', '-f', file, '--json'], local)).code).toBe(0);
      const r = await h.run(a, ['env', 'up', '-f', file, '--json']);
      expect(r.code).toBe(1);
      expect(r.json.error.code).toBe('NAME_TAKEN');
      expect(r.json.error.message).toContain(name);
      // It stays out of the tenant's view, and the server's own environment is as it was.
      expect((await h.run(a, ['env', 'status', name, '--json'])).json.error.code).toBe('ENVIRONMENT_NOT_FOUND');
      expect((await h.run(a, ['env', 'ls', '--json'])).json.map((e: any) => e.name)).not.toContain(name);
      const there = await asym(['env', 'status', name, '--json'], local);
      expect(there.json.state).toBe('running');
      const owners = JSON.parse(readFileSync(join(h.home, 'serve', 'owners.json'), 'utf8'));
      expect(owners.environments[name]).toBeUndefined();
    } finally {
      await asym(['env', 'down', name, '--destroy', '--yes', '--json'], local);
    }
  }, 180_000);

  test('reset, down (data kept) and up again', async () => {
    const rs = await h.run(a, ['env', 'reset', envName, '--json']);
    expect(rs.code).toBe(0);
    expect(v.parse(EnvResetResultSchema, rs.json).results.every((x) => x.ok)).toBe(true);
    const down = await h.run(a, ['env', 'down', envName, '--json']);
    expect(down.code).toBe(0);
    expect(v.parse(EnvDownResultSchema, down.json)).toMatchObject({ destroyed: false, environment: { state: 'stopped' } });
    const back = await h.run(a, ['env', 'up', '-f', spec, '--json']);
    expect(back.code).toBe(0);
    expect(back.json.environment.state).toBe('running');
  }, 300_000);

  test('down --destroy removes the members, their containers and the environment; the name is free again', async () => {
    const r = await h.run(a, ['env', 'down', envName, '--destroy', '--yes', '--json']);
    expect(r.code).toBe(0);
    expect(r.json).toMatchObject({ environment: null, destroyed: true });
    expect((await h.run(a, ['env', 'ls', '--json'])).json).toEqual([]);
    expect((await h.run(a, ['ls', '--json'])).json).toEqual([]);
    for (const id of [slackId, githubId]) expect((await labelled(id)).containers).toEqual([]);
    const owners = JSON.parse(readFileSync(join(h.home, 'serve', 'owners.json'), 'utf8'));
    expect(owners.environments[envName]).toBeUndefined();
    expect(Object.keys(owners.clones)).not.toContain(slackId);
  }, 120_000);

  test('/v1/openapi.json describes the environment routes', async () => {
    const doc: any = await (await fetch(`${h.url}/v1/openapi.json`)).json();
    expect(doc.paths['/v1/environments'].post.requestBody.content['application/json'].schema.$ref).toBe('#/components/schemas/EnvironmentRequest');
    expect(doc.paths['/v1/environments/{env}/clock'].post.responses['200'].content['application/json'].schema.$ref).toBe('#/components/schemas/EnvironmentClock');
    expect(doc.components.schemas.EnvironmentRequest.required.sort()).toEqual(['clones', 'name', 'spec']);
  });
});
