/**
 * AI seeding of the GitHub clone end to end: the CLI asks a Messages-API server (local
 * stand-in) for users, repositories and issues, validates them, and the clone writes the
 * valid ones to its real database; we read them back through the official @octokit/rest.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { Octokit } from '@octokit/rest';
import { cloneHarness } from '../support/clones.ts';
import { describeDocker } from '../support/docker.ts';
import { startFakeAnthropic } from '../support/fake-anthropic.ts';
import { aiEntitiesFor, planEntities } from '../../src/seed/entities.ts';
import { targetCount } from '../../src/seed/ai.ts';

const records = {
  users: [
    { login: 'ada-lovelace', name: 'Ada Lovelace', email: 'ada@acme.test', bio: 'Engines and notes.', company: '@acme', location: 'London' },
    { login: 'alan-turing', name: 'Alan Turing', location: 'Manchester' },
    { login: '-bad-login-', name: 'Bad Login' },
  ],
  repositories: [
    { owner: 'acme', name: 'rocket-engine', description: 'Propulsion control software', topics: ['rockets', 'propulsion'], language: 'Rust' },
    { owner: 'ada-lovelace', name: 'analytical-notes', description: 'Notes on the engine', language: 'Python' },
    { owner: 'nobody-here', name: 'ghost-repo' },
  ],
  issues: [
    {
      repository: 'acme/rocket-engine',
      title: 'Thrust drops at high altitude',
      body: 'Telemetry shows a 4% drop above 30 km.',
      author: 'ada-lovelace',
      labels: ['bug', 'propulsion'],
      assignees: ['alan-turing'],
      comments: [
        { author: 'alan-turing', body: 'Looking into the fuel model.' },
        { author: 'asym-bot', body: 'Attached the telemetry export.' },
      ],
    },
    { repository: 'rocket-engine', title: 'Write the launch checklist', author: 'alan-turing', state: 'closed', labels: ['documentation'] },
    { repository: 'ada-lovelace/analytical-notes', title: 'Typo in note G', author: 'alan-turing' },
    { repository: 'acme/no-such-repo', title: 'Lost issue', author: 'ada-lovelace' },
    { repository: 'acme/rocket-engine', title: '', author: 'ada-lovelace' },
  ],
};

describe('GitHub AI seed entities', () => {
  test('issues pull in users and repositories, in order; issues outnumber users', () => {
    const all = aiEntitiesFor('github')!;
    expect(all.map((e) => e.name)).toEqual(['users', 'repositories', 'issues']);
    expect(planEntities(all, ['issues']).map((e) => e.name)).toEqual(['users', 'repositories', 'issues']);
    expect(planEntities(all, ['repositories']).map((e) => e.name)).toEqual(['users', 'repositories']);
    expect(targetCount(all[2]!, 'small')).toBeGreaterThan(targetCount(all[0]!, 'small'));
  });
});

const h = cloneHarness('aigithub');
const fake = startFakeAnthropic({ key: 'test-key', models: ['claude-haiku-4-5'], records });
afterAll(async () => {
  fake.stop();
  await h.cleanup();
});

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

describeDocker('AI seeding against a real GitHub clone', () => {
  let clone: any;
  let gh: Octokit;
  const adminPost = async (path: string, body: unknown) => {
    const res = await fetch(`${clone.endpoints.api}/__asym/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-asym-admin': clone.adminSecret },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as any };
  };

  beforeAll(async () => {
    clone = await h.spin('github');
    gh = new Octokit({ auth: clone.tokens.userToken, baseUrl: clone.endpoints.api, log: quiet, request: { retries: 0 } });
  }, 300_000);

  test('valid records are written, invalid ones rejected with reasons and counted', async () => {
    const r = await h.run(['seed', clone.id, '--ai', '--volume', '5', '--json'], { ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: fake.url });
    expect(r.code).toBe(0);
    const res = r.json;
    // users: 2 + 1 schema reject; repositories: 2 + 1 rejected by the clone (unknown owner);
    // issues: 3 + 1 schema reject + 1 rejected by the clone (unknown repository)
    expect(res.bySource.ai).toEqual({ written: 7, rejected: 4 });
    expect(res.written).toBe(7);
    expect(res.rejected).toBe(4);
    expect(res.rejections.map((x: any) => x.entity).sort()).toEqual(['issues', 'issues', 'repositories', 'users']);
    const reasons = res.rejections.map((x: any) => `${x.entity}: ${x.reason}`);
    expect(reasons).toEqual(expect.arrayContaining([
      expect.stringMatching(/^users: login/),
      expect.stringMatching(/^issues: title/),
      'repositories: unknown owner nobody-here',
      'issues: unknown repository acme/no-such-repo',
    ]));
    expect(fake.requests.map((q) => q.tool)).toEqual(['write_users', 'write_repositories', 'write_issues']);
    // The model is told earlier records by name, which the briefs rely on.
    expect(fake.requests[2]!.body.messages[0].content).toContain('rocket-engine');

    // Users: readable by login, members of acme (so assignable in its repositories).
    const ada = (await gh.users.getByUsername({ username: 'ada-lovelace' })).data;
    expect(ada).toMatchObject({ login: 'ada-lovelace', name: 'Ada Lovelace', type: 'User', location: 'London', company: '@acme', bio: 'Engines and notes.' });
    const assignable = (await gh.issues.listAssignees({ owner: 'acme', repo: 'rocket-engine', per_page: 100 })).data.map((u) => u.login);
    expect(assignable).toEqual(expect.arrayContaining(['ada-lovelace', 'alan-turing']));
    await expect(gh.users.getByUsername({ username: '-bad-login-' })).rejects.toMatchObject({ status: 404 });

    // Repositories: owner, topics, language, default labels.
    const repo = (await gh.repos.get({ owner: 'acme', repo: 'rocket-engine' })).data;
    expect(repo).toMatchObject({ full_name: 'acme/rocket-engine', private: false, description: 'Propulsion control software', language: 'Rust', has_issues: true, open_issues_count: 1 });
    expect(repo.topics).toEqual(['rockets', 'propulsion']);
    expect((await gh.repos.get({ owner: 'ada-lovelace', repo: 'analytical-notes' })).data.owner.login).toBe('ada-lovelace');
    await expect(gh.repos.get({ owner: 'nobody-here', repo: 'ghost-repo' })).rejects.toMatchObject({ status: 404 });
    const labels = (await gh.issues.listLabelsForRepo({ owner: 'acme', repo: 'rocket-engine', per_page: 100 })).data.map((l) => l.name);
    expect(labels).toEqual(expect.arrayContaining(['bug', 'documentation', 'enhancement', 'propulsion']));

    // Issues: numbered per repository, labels, assignees, state, comments and their count.
    const issues = (await gh.issues.listForRepo({ owner: 'acme', repo: 'rocket-engine', state: 'all', direction: 'asc' })).data;
    expect(issues.map((i) => [i.number, i.title, i.state])).toEqual([
      [1, 'Thrust drops at high altitude', 'open'],
      [2, 'Write the launch checklist', 'closed'],
    ]);
    const thrust = issues[0]!;
    expect(thrust.user!.login).toBe('ada-lovelace');
    expect(thrust.labels.map((l) => (typeof l === 'string' ? l : l.name)).sort()).toEqual(['bug', 'propulsion']);
    expect(thrust.assignees!.map((a) => a.login)).toEqual(['alan-turing']);
    expect(thrust.comments).toBe(2);
    const comments = (await gh.issues.listComments({ owner: 'acme', repo: 'rocket-engine', issue_number: 1 })).data;
    expect(comments.map((c) => [c.user!.login, c.body])).toEqual([
      ['alan-turing', 'Looking into the fuel model.'],
      ['asym-bot', 'Attached the telemetry export.'],
    ]);
    const closed = (await gh.issues.get({ owner: 'acme', repo: 'rocket-engine', issue_number: 2 })).data;
    expect(closed).toMatchObject({ state: 'closed', state_reason: 'completed', comments: 0 });
    expect(closed.closed_at).toBeTruthy();
    const events = (await gh.issues.listEvents({ owner: 'acme', repo: 'rocket-engine', issue_number: 1 })).data as any[];
    expect(events.filter((e) => e.event === 'labeled').map((e) => e.label?.name).sort()).toEqual(['bug', 'propulsion']);
    expect(events.find((e) => e.event === 'assigned')?.assignee?.login).toBe('alan-turing');
    const notes = (await gh.issues.listForRepo({ owner: 'ada-lovelace', repo: 'analytical-notes' })).data;
    expect(notes.map((i) => [i.number, i.title, i.user!.login])).toEqual([[1, 'Typo in note G', 'alan-turing']]);

    // A seeded user can get a token through the admin endpoint and act as themselves.
    const minted = await adminPost('github/user-token', { user: 'ada-lovelace' });
    expect(minted.status).toBe(200);
    const asAda = new Octokit({ auth: minted.body.token, baseUrl: clone.endpoints.api, log: quiet, request: { retries: 0 } });
    expect((await asAda.users.getAuthenticated()).data.login).toBe('ada-lovelace');
    const created = await asAda.issues.create({ owner: 'acme', repo: 'rocket-engine', title: 'Follow-up from Ada' });
    expect(created.data.number).toBe(3);
  }, 120_000);

  test('records sent again are checked for uniqueness and references by the clone', async () => {
    const r = await adminPost('seed', {
      records: {
        users: [{ login: 'Ada-Lovelace', name: 'Ada again' }, { login: 'grace-hopper', name: 'Grace Hopper' }],
        repositories: [{ owner: 'acme', name: 'Rocket-Engine' }, { owner: 'grace-hopper', name: 'cobol' }, { owner: 'acme', name: 'cobol' }],
        issues: [
          { repository: 'acme/rocket-engine', title: 'Numbered after the API-made issue', author: 'grace-hopper', comments: [{ author: 'ada-lovelace', body: 'Nice' }] },
          { repository: 'cobol', title: 'Which cobol?', author: 'grace-hopper' },
          { repository: 'grace-hopper/cobol', title: 'Nobody can be assigned here', author: 'grace-hopper', assignees: ['ada-lovelace'] },
          { repository: 'acme/rocket-engine', title: 'Ghost comment', author: 'ada-lovelace', comments: [{ author: 'no-such-user', body: 'boo' }] },
          { repository: 'acme/rocket-engine', title: 'By an organisation', author: 'acme' },
        ],
        widgets: [{}],
      },
    });
    expect(r.status).toBe(200);
    expect(r.body.written).toBe(4);
    expect(r.body.rejections).toEqual([
      { entity: 'users', index: 0, reason: 'login Ada-Lovelace is taken' },
      { entity: 'repositories', index: 0, reason: 'repository acme/Rocket-Engine exists' },
      { entity: 'issues', index: 1, reason: 'repository name cobol is ambiguous; give owner/name' },
      { entity: 'issues', index: 2, reason: 'ada-lovelace cannot be assigned in grace-hopper/cobol (only its owner or members of its organisation)' },
      { entity: 'issues', index: 3, reason: 'comments[0]: unknown user no-such-user (comment author)' },
      { entity: 'issues', index: 4, reason: 'acme is an organisation and cannot be an author' },
    ]);
    expect(r.body.warnings).toContain('unknown entity widgets; skipped');
    const four = (await gh.issues.get({ owner: 'acme', repo: 'rocket-engine', issue_number: 4 })).data;
    expect(four).toMatchObject({ title: 'Numbered after the API-made issue', comments: 1 });
    expect(four.user!.login).toBe('grace-hopper');
    expect((await gh.repos.listForOrg({ org: 'acme' })).data.map((x) => x.name).sort()).toEqual(['cobol', 'rocket-engine']);
  }, 60_000);
});
