/**
 * An environment's clones share one clock (`asym env clock`): a Slack message and the GitHub
 * issue it mentions agree on time. Set, advance and freeze move every member to one target;
 * a clone that joins later adopts the environment's time; env reset puts them back in step.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Octokit } from '@octokit/rest';
import { cloneHarness, slackClient } from '../support/clones.ts';
import { describeDocker, uniqueName } from '../support/docker.ts';

const h = cloneHarness('envclk');
const dir = mkdtempSync(join(tmpdir(), 'asym-envclock-'));
const envName = uniqueName('ec');
const slackId = `${envName}-slack`;
const githubId = `${envName}-github`;
const joinerId = uniqueName('ecj');
for (const id of [slackId, githubId, joinerId]) h.track(id);

afterAll(async () => {
  await h.run(['env', 'down', envName, '--destroy', '--yes', '--json']);
  await h.cleanup();
  rmSync(dir, { recursive: true, force: true });
}, 180_000);

const T = '2026-04-10T15:30:00.000Z';
const quiet = { debug() {}, info() {}, warn() {}, error() {} };

async function envClock(...words: string[]) {
  const r = await h.run(['env', 'clock', envName, ...words, '--json']);
  if (r.code !== 0) throw new Error(`env clock ${words.join(' ')}: ${r.stdout} ${r.stderr}`);
  return r.json as { clock: { at: string; frozen: boolean }; members: { id: string; at: string; frozen: boolean }[]; skewMs: number; results: { clone: string; ok: boolean }[] };
}

describeDocker('asym env clock', () => {
  let slack: any;
  let github: any;

  beforeAll(async () => {
    const spec = join(dir, 'environment.yaml');
    writeFileSync(spec, [`name: ${envName}`, 'clones:', '  - template: slack', '  - template: github', ''].join('\n'));
    const r = await h.run(['env', 'up', '-f', spec, '--json']);
    if (r.code !== 0) throw new Error(`env up failed: ${r.stdout} ${r.stderr}`);
    slack = r.json.clones.find((c: any) => c.id === slackId);
    github = r.json.clones.find((c: any) => c.id === githubId);
  }, 300_000);

  test('members spun one after the other already agree (the second adopted the first one\'s time)', async () => {
    const shown = await envClock();
    expect(shown.members.map((m) => m.id)).toEqual([slackId, githubId]);
    expect(shown.skewMs).toBeLessThan(500);
  });

  test('set while running: every member at the target and still running, in step', async () => {
    const r = await envClock('set', T);
    expect(r.results).toEqual([{ clone: slackId, ok: true }, { clone: githubId, ok: true }]);
    expect(r.members.every((m) => !m.frozen)).toBe(true);
    expect(r.skewMs).toBeLessThan(200);
    for (const m of r.members) expect(Date.parse(m.at) - Date.parse(T)).toBeLessThan(5_000);
  });

  test('frozen and advanced: a Slack message and the GitHub issue it mentions carry the same time', async () => {
    const frozen = await envClock('freeze');
    expect(frozen.members.every((m) => m.frozen)).toBe(true);
    expect(frozen.skewMs).toBeLessThan(50);
    const r = await envClock('advance', '1d');
    const at = r.clock.at;
    expect(r.members.map((m) => m.at)).toEqual([at, at]);

    const gh = new Octokit({ auth: github.tokens.botToken, baseUrl: github.endpoints.api, log: quiet, request: { retries: 0 } });
    const repo = (await gh.repos.createForAuthenticatedUser({ name: `ec-${Date.now().toString(36)}` })).data;
    const issue = (await gh.issues.create({ owner: repo.owner.login, repo: repo.name, title: 'the bug' })).data;
    const sc = slackClient(slack);
    const ch = (await sc.conversations.create({ name: `ec-${Date.now().toString(36)}` })).channel!.id!;
    const msg = await sc.chat.postMessage({ channel: ch, text: `see ${issue.html_url}` });
    expect(Math.floor(Number(msg.ts))).toBe(Date.parse(issue.created_at) / 1000);
    expect(Date.parse(issue.created_at)).toBe(Math.floor(Date.parse(at) / 1000) * 1000);
  });

  test('a clone that joins the environment takes its time', async () => {
    const shown = await envClock();
    const r = await h.run(['spin', 'slack', '--name', joinerId, '--group', envName, '--json']);
    expect(r.code).toBe(0);
    const joined = await h.run(['clock', joinerId, '--json']);
    expect(joined.json).toMatchObject({ at: shown.clock.at, frozen: true });
    const all = await envClock();
    expect(all.members.map((m) => m.id)).toEqual([slackId, githubId, joinerId]);
    expect(new Set(all.members.map((m) => m.at)).size).toBe(1);
  }, 120_000);

  test('run: every member goes on together; env reset takes them back to the world start, in step', async () => {
    const run = await envClock('run');
    expect(run.members.every((m) => !m.frozen)).toBe(true);
    expect(run.skewMs).toBeLessThan(200);
    const reset = await h.run(['env', 'reset', envName, '--json']);
    expect(reset.code).toBe(0);
    const after = await envClock();
    expect(after.skewMs).toBeLessThan(200);
    for (const m of after.members) {
      expect(m.frozen).toBe(false);
      expect(Date.parse(m.at) - Date.parse('2026-01-01T00:00:00.000Z')).toBeLessThan(30_000);
    }
  }, 180_000);

  test('an unknown environment is named', async () => {
    const r = await h.run(['env', 'clock', 'no-such-env', 'freeze', '--json']);
    expect(r.code).not.toBe(0);
    expect(r.json.error.code).toBe('ENVIRONMENT_NOT_FOUND');
  });
});
