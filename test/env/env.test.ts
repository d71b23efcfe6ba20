/**
 * `asym env`: an environment.yaml with a Slack and a GitHub clone, brought up, reset,
 * stopped, brought back and destroyed through the real CLI against a real Docker engine.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Octokit } from '@octokit/rest';
import { cloneHarness, historyTexts, slackClient } from '../support/clones.ts';
import { describeDocker, labelled, uniqueName } from '../support/docker.ts';
import { databaseExists } from '../support/infra.ts';

const h = cloneHarness('env');
const dir = mkdtempSync(join(tmpdir(), 'asym-env-files-'));
const envName = uniqueName('env');
const slackId = `${envName}-slack`;
const githubId = uniqueName('envgh');
const partialName = uniqueName('envp');
h.track(slackId);
h.track(githubId);
h.track(`${partialName}-slack`);
h.track(`${partialName}-github`);

afterAll(async () => {
  await h.run(['env', 'down', envName, '--destroy', '--yes', '--json']);
  await h.run(['env', 'down', partialName, '--destroy', '--yes', '--json']);
  await h.cleanup();
  rmSync(dir, { recursive: true, force: true });
}, 180_000);

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const octokit = (c: any) => new Octokit({ auth: c.tokens.botToken, baseUrl: c.endpoints.api, log: quiet, request: { retries: 0 } });
const byId = (clones: any[], id: string) => clones.find((c) => c.id === id);

describeDocker('asym env', () => {
  const spec = file('environment.yaml', [
    `name: ${envName}`,
    'clones:',
    '  - template: slack',
    '    seed:',
    '      fixture: acme',
    '  - template: github',
    `    name: ${githubId}`,
    '',
  ].join('\n'));
  let first: any;
  let slack: any;
  let github: any;
  let channel: string;

  beforeAll(async () => {
    const r = await h.run(['env', 'up', '-f', spec, '--json']);
    if (r.code !== 0) throw new Error(`env up failed: ${r.stdout} ${r.stderr}`);
    first = r.json;
    slack = byId(first.clones, slackId);
    github = byId(first.clones, githubId);
  }, 300_000);

  test('up spins every clone of the file, running, with usable tokens', async () => {
    expect(first.environment).toMatchObject({ name: envName, members: [slackId, githubId], spec, state: 'running' });
    expect(first.results).toEqual([{ clone: slackId, ok: true }, { clone: githubId, ok: true }]);
    expect(slack).toMatchObject({ template: 'slack', state: 'running', seed: { fixture: 'acme' } });
    expect(github).toMatchObject({ template: 'github', state: 'running' });
    for (const c of [slack, github]) expect((await fetch(`${c.endpoints.api}/__asym/health`)).status).toBe(200);
    const auth = await slackClient(slack).auth.test();
    expect(auth.user_id).toBe(slack.tokens.botUserId);
    const me = await octokit(github).users.getAuthenticated();
    expect(me.status).toBe(200);
    expect(typeof me.data.login).toBe('string');
  });

  test('a second up changes nothing', async () => {
    const r = await h.run(['env', 'up', '-f', spec, '--json']);
    expect(r.code).toBe(0);
    expect(r.json.results).toEqual(first.results);
    expect(r.json.environment).toEqual(first.environment);
    expect(r.json.clones).toEqual(first.clones);
  }, 60_000);

  test('ls and status show the environment and its members', async () => {
    const ls = await h.run(['env', 'ls', '--json']);
    expect(ls.code).toBe(0);
    const row = ls.json.find((e: any) => e.name === envName);
    expect(row).toMatchObject({ state: 'running', members: [slackId, githubId], spec });
    expect(row.clones).toEqual([{ id: slackId, template: 'slack', state: 'running' }, { id: githubId, template: 'github', state: 'running' }]);
    const st = await h.run(['env', 'status', envName, '--json']);
    expect(st.code).toBe(0);
    expect(st.json.state).toBe('running');
    expect(st.json.members.map((m: any) => [m.id, m.state, m.healthy])).toEqual([[slackId, 'running', true], [githubId, 'running', true]]);
  });

  test('reset undoes a write made through the SDK and keeps the fixture', async () => {
    const client = slackClient(slack);
    const made = await client.conversations.create({ name: 'env-reset-me' });
    await client.chat.postMessage({ channel: made.channel!.id!, text: 'gone after reset' });
    // env diff: the Slack member shows the write, the GitHub member nothing.
    const before = await h.run(['env', 'diff', envName, '--json']);
    expect(before.code).toBe(0);
    expect(before.json.results).toEqual([{ clone: slackId, ok: true }, { clone: githubId, ok: true }]);
    const slackDiff = before.json.diffs[slackId];
    expect(slackDiff.tables.find((t: any) => t.table === 'messages').added.map((m: any) => m.text)).toContain('gone after reset');
    expect(before.json.diffs[githubId].summary).toEqual({ tables: 0, added: 0, removed: 0, changed: 0 });
    const r = await h.run(['env', 'reset', envName, '--json']);
    expect(r.code).toBe(0);
    expect(r.json.results).toEqual([{ clone: slackId, ok: true }, { clone: githubId, ok: true }]);
    const names = ((await client.conversations.list({ types: 'public_channel,private_channel' })).channels ?? []).map((c) => c.name);
    expect(names).not.toContain('env-reset-me');
    expect(names).toContain('engineering');
    expect((await octokit(github).users.getAuthenticated()).status).toBe(200);
    const after = await h.run(['env', 'diff', envName, '--json']);
    expect(after.json.diffs[slackId].summary.tables).toBe(0);
    expect(after.json.diffs[slackId].hash.to).toBe(slackDiff.hash.from);
  }, 60_000);

  test('down stops every member; up brings them back with their data', async () => {
    const client = slackClient(slack);
    const made = await client.conversations.create({ name: 'env-kept' });
    channel = made.channel!.id!;
    await client.chat.postMessage({ channel, text: 'kept across down and up' });

    const down = await h.run(['env', 'down', envName, '--json']);
    expect(down.code).toBe(0);
    expect(down.json.destroyed).toBe(false);
    expect(down.json.environment.state).toBe('stopped');
    const st = await h.run(['env', 'status', envName, '--json']);
    expect(st.json.state).toBe('stopped');
    expect(st.json.members.map((m: any) => m.state)).toEqual(['stopped', 'stopped']);
    expect((await h.run(['env', 'ls', '--json'])).json.find((e: any) => e.name === envName).state).toBe('stopped');

    const up = await h.run(['env', 'up', '-f', spec, '--json']);
    expect(up.code).toBe(0);
    expect(up.json.environment.state).toBe('running');
    expect(up.json.clones.map((c: any) => c.state)).toEqual(['running', 'running']);
    expect(byId(up.json.clones, slackId).tokens.botToken).toBe(slack.tokens.botToken);
    expect(await historyTexts(client, channel)).toContain('kept across down and up');
    expect((await octokit(github).users.getAuthenticated()).status).toBe(200);
  }, 120_000);

  test('down --destroy leaves no clone, environment or labelled resource', async () => {
    const r = await h.run(['env', 'down', envName, '--destroy', '--yes', '--json']);
    expect(r.code).toBe(0);
    expect(r.json).toMatchObject({ environment: null, destroyed: true });
    expect(r.json.results).toEqual([{ clone: slackId, ok: true }, { clone: githubId, ok: true }]);
    expect((await h.run(['env', 'ls', '--json'])).json.map((e: any) => e.name)).not.toContain(envName);
    const ids = (await h.run(['ls', '--json'])).json.map((c: any) => c.id);
    expect(ids).not.toContain(slackId);
    expect(ids).not.toContain(githubId);
    for (const c of [slack, github]) {
      expect(await labelled(c.id)).toEqual({ containers: [], networks: [], volumes: [] });
      expect(await databaseExists(c.database)).toBe(false);
    }
    expect((await h.run(['env', 'status', envName, '--json'])).json.error.code).toBe('ENVIRONMENT_NOT_FOUND');
  }, 120_000);
});

describeDocker('asym env with a member that fails', () => {
  test('the others stay, each outcome is reported, the exit code is non-zero; a later up completes it', async () => {
    // Hold a port and give the GitHub clone only that one: its spin fails, the Slack one must not.
    const held = Bun.listen({ hostname: '127.0.0.1', port: 0, socket: { data() {} } });
    const spec = file('partial.yaml', [
      `name: ${partialName}`,
      'clones:',
      '  - template: slack',
      '  - template: github',
      `    portRange: { from: ${held.port}, to: ${held.port} }`,
      '',
    ].join('\n'));
    let r;
    try {
      r = await h.run(['env', 'up', '-f', spec, '--json']);
    } finally {
      held.stop(true);
    }
    expect(r.code).toBe(1);
    expect(r.json.results[0]).toEqual({ clone: `${partialName}-slack`, ok: true });
    expect(r.json.results[1]).toMatchObject({ clone: `${partialName}-github`, ok: false, error: { code: 'PORTS_EXHAUSTED' } });
    expect(r.json.clones.map((c: any) => [c.id, c.state])).toEqual([[`${partialName}-slack`, 'running']]);

    const again = await h.run(['env', 'up', '-f', spec, '--json']);
    expect(again.code).toBe(0);
    expect(again.json.results.every((x: any) => x.ok)).toBe(true);
    expect(again.json.environment.state).toBe('running');
    expect(again.json.clones.map((c: any) => [c.id, c.state])).toEqual([[`${partialName}-slack`, 'running'], [`${partialName}-github`, 'running']]);
    expect(byId(again.json.clones, `${partialName}-slack`).createdAt).toBe(r.json.clones[0].createdAt);

    const gone = await h.run(['env', 'down', partialName, '--destroy', '--yes', '--json']);
    expect(gone.json.destroyed).toBe(true);
  }, 240_000);
});

describe('asym env: bad input is a named error', () => {
  test.each([
    ['invalid YAML', 'bad-yaml.yaml', 'name: x\nclones: [\n', 'not valid YAML'],
    ['an unknown field', 'bad-field.yaml', 'name: x-env\nclones:\n  - template: slack\n    colour: red\n', 'unknown field clones[0].colour'],
    ['a bad value', 'bad-value.yaml', 'name: x-env\nclones:\n  - template: slack\n    mode: API!\n', 'clones[0].mode'],
    ['a missing name', 'no-name.yaml', 'clones:\n  - template: slack\n', 'missing field name'],
    ['duplicate clone names', 'dup.yaml', 'name: x-env\nclones:\n  - template: slack\n  - template: slack\n', 'x-env-slack is already used'],
    ['an unknown template', 'nosuch.yaml', 'name: x-env\nclones:\n  - template: nosuch\n', 'no template named nosuch'],
  ])('%s', async (_what, name, text, message) => {
    const path = file(name, text);
    const r = await h.run(['env', 'up', '-f', path, '--json']);
    expect(r.code).toBe(1);
    expect(r.json.error.code).toBe(name === 'nosuch.yaml' ? 'TEMPLATE_NOT_FOUND' : 'INVALID_INPUT');
    expect(r.json.error.message).toContain(path);
    expect(r.json.error.message).toContain(message);
    expect((await h.run(['env', 'ls', '--json'])).json.map((e: any) => e.name)).not.toContain('x-env');
  });

  test('a missing file names its path', async () => {
    const r = await h.run(['env', 'up', '-f', join(dir, 'absent.yaml'), '--json']);
    expect(r.json.error.code).toBe('INVALID_INPUT');
    expect(r.json.error.message).toContain(join(dir, 'absent.yaml'));
  });

  test.each([['status'], ['down'], ['reset'], ['diff']])('env %s of an unknown environment is ENVIRONMENT_NOT_FOUND', async (verb) => {
    const r = await h.run(['env', verb, 'nosuch', '--json']);
    expect(r.code).toBe(1);
    expect(r.json.error.code).toBe('ENVIRONMENT_NOT_FOUND');
    expect(r.json.error.hint).toContain('asym env');
  });
});
