/**
 * The GitHub clone's behaviour on the `acme` fixture, through @octokit/rest: the pack is
 * visible, pagination walks to the end, permissions hide and refuse like GitHub, errors
 * carry GitHub's envelope, ETag/304 and x-ratelimit-* headers are served.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import type { Octokit } from '@octokit/rest';
import { describeDocker } from '../support/docker.ts';
import { newUser, octokit, schemaErrors, spinGithub, unique, type Clone, type Recorded, answerOf as status } from './helpers.ts';

const ACME_PUBLIC = ['api', 'cli', 'design-system', 'docs', 'handbook', 'sdk-js', 'web'];
const ACME_ALL = [...ACME_PUBLIC, 'billing', 'data-pipeline', 'infra', 'mobile', 'secrets'].sort();

describeDocker('github behaviour on the acme fixture', () => {
  let clone: Clone;
  let cleanup: () => Promise<void>;
  let run: (args: string[]) => Promise<{ code: number; json: any }>;
  const rec: Recorded[] = [];
  let bot: Octokit;
  let adminKit: Octokit;
  let stranger: { login: string; token: string };
  let strangerKit: Octokit;

  beforeAll(async () => {
    const s = await spinGithub('gh-behave');
    clone = s.clone;
    cleanup = () => s.h.cleanup();
    run = (args) => s.h.run(args) as never;
    bot = octokit(clone, clone.tokens.botToken, rec);
    adminKit = octokit(clone, clone.tokens.userToken, rec);
    const seeded = await run(['seed', clone.id, '--fixture', 'acme', '--json']);
    expect(seeded.code).toBe(0);
    expect(seeded.json.written).toBeGreaterThan(1000);
    stranger = await newUser(clone, unique('stranger').slice(0, 30));
    strangerKit = octokit(clone, stranger.token, rec);
  }, 120_000);
  afterAll(async () => {
    await cleanup?.();
  }, 60_000);

  test('the fixture is visible through the SDK', async () => {
    const repos = await bot.paginate(bot.rest.repos.listForOrg, { org: 'acme', per_page: 5 });
    expect(repos.map((r) => r.name).sort()).toEqual(ACME_ALL);
    const web = await bot.rest.repos.get({ owner: 'acme', repo: 'web' });
    expect(web.data.open_issues_count).toBeGreaterThan(0);
    expect(web.data.topics).toEqual(['web', 'storefront']);
    expect(web.data.language).toBe('TypeScript');
    expect(web.data.permissions?.push).toBe(true);
    expect(web.data.owner.login).toBe('acme');
    expect((await bot.rest.orgs.get({ org: 'acme' })).data.public_repos).toBe(ACME_PUBLIC.length);
    const labels = await bot.paginate(bot.rest.issues.listLabelsForRepo, { owner: 'acme', repo: 'web' });
    expect(labels.map((l) => l.name)).toContain('priority: high');
    const milestones = await bot.rest.issues.listMilestones({ owner: 'acme', repo: 'web', state: 'all' });
    expect(milestones.data.map((m) => m.title).sort()).toEqual(['Backlog', 'v1.0', 'v1.1']);
    const assigned = await bot.paginate(bot.rest.issues.listForAuthenticatedUser, { filter: 'assigned', state: 'all' });
    expect(assigned.length).toBeGreaterThan(5);
    expect(assigned.every((i) => i.assignees?.some((a) => a.login === 'asym-bot'))).toBe(true);
    expect((await bot.rest.repos.listContributors({ owner: 'acme', repo: 'web' })).data.length).toBeGreaterThan(0);
    expect((await bot.rest.repos.getBranch({ owner: 'acme', repo: 'web', branch: 'feature/search' })).data.name).toBe('feature/search');
  });

  test('comment counts are true and issue numbers continue per repository', async () => {
    const all = await bot.paginate(bot.rest.issues.listForRepo, { owner: 'acme', repo: 'web', state: 'all', per_page: 100 });
    for (const i of all.slice(0, 10)) {
      const comments = await bot.paginate(bot.rest.issues.listComments, { owner: 'acme', repo: 'web', issue_number: i.number });
      expect(comments.length).toBe(i.comments);
    }
    const created = await bot.rest.issues.create({ owner: 'acme', repo: 'web', title: 'numbered after the fixture' });
    expect(created.data.number).toBe(46);
    const other = await bot.rest.issues.create({ owner: 'acme', repo: 'api', title: 'numbered per repository' });
    expect(other.data.number).toBe(13);
    await bot.rest.issues.createComment({ owner: 'acme', repo: 'web', issue_number: 46, body: 'one' });
    expect((await bot.rest.issues.get({ owner: 'acme', repo: 'web', issue_number: 46 })).data.comments).toBe(1);
  });

  test('pagination: Link header and octokit.paginate to the end', async () => {
    const first = await bot.rest.issues.listForRepo({ owner: 'acme', repo: 'web', state: 'all', per_page: 10 });
    expect(first.data.length).toBe(10);
    const link = first.headers.link ?? '';
    expect(link).toContain(`<${clone.endpoints.api}/repos/acme/web/issues?state=all&per_page=10&page=2>; rel="next"`);
    expect(link).toContain('page=5>; rel="last"');
    const third = await bot.rest.issues.listForRepo({ owner: 'acme', repo: 'web', state: 'all', per_page: 10, page: 3 });
    expect(third.headers.link).toContain('rel="prev"');
    expect(third.headers.link).toContain('rel="first"');
    const all = await bot.paginate(bot.rest.issues.listForRepo, { owner: 'acme', repo: 'web', state: 'all', per_page: 10 });
    expect(all.length).toBe(46);
    expect(new Set(all.map((i) => i.number)).size).toBe(46);
    expect(all.map((i) => i.number)).toEqual([...all.map((i) => i.number)].sort((a, b) => b - a));
    const asc = await bot.paginate(bot.rest.issues.listForRepo, { owner: 'acme', repo: 'web', state: 'all', direction: 'asc', per_page: 7 });
    expect(asc.map((i) => i.number)).toEqual(Array.from({ length: 46 }, (_, i) => i + 1));
    const found = await bot.paginate(bot.rest.search.issuesAndPullRequests, { q: 'repo:acme/web is:issue', per_page: 20 });
    expect(found.length).toBe(46);
    const defaultPage = await bot.rest.issues.listForRepo({ owner: 'acme', repo: 'web', state: 'all' });
    expect(defaultPage.data.length).toBe(30);
  });

  test('issue filters on a repository match the data', async () => {
    const repo = { owner: 'acme', repo: 'web' };
    const all = await bot.paginate(bot.rest.issues.listForRepo, { ...repo, state: 'all', per_page: 100 });
    const names = (i: (typeof all)[number]) => i.labels.map((l) => (typeof l === 'string' ? l : l.name));
    const open = await bot.paginate(bot.rest.issues.listForRepo, { ...repo, per_page: 100 });
    expect(open.length).toBe(all.filter((i) => i.state === 'open').length);
    const closed = await bot.paginate(bot.rest.issues.listForRepo, { ...repo, state: 'closed', per_page: 100 });
    expect(closed.length).toBe(all.length - open.length);
    expect(closed.every((i) => i.closed_at && i.closed_by)).toBe(true);
    const bug = await bot.paginate(bot.rest.issues.listForRepo, { ...repo, state: 'all', labels: 'bug', per_page: 100 });
    expect(bug.map((i) => i.number)).toEqual(all.filter((i) => names(i).includes('bug')).map((i) => i.number));
    const mine = await bot.paginate(bot.rest.issues.listForRepo, { ...repo, state: 'all', assignee: 'asym-bot', per_page: 100 });
    expect(mine.map((i) => i.number)).toEqual(all.filter((i) => i.assignees?.some((a) => a.login === 'asym-bot')).map((i) => i.number));
    const none = await bot.paginate(bot.rest.issues.listForRepo, { ...repo, state: 'all', assignee: 'none', per_page: 100 });
    expect(none.length).toBe(all.filter((i) => !i.assignees?.length).length);
    const byBot = await bot.paginate(bot.rest.issues.listForRepo, { ...repo, state: 'all', creator: 'asym-bot', per_page: 100 });
    expect(byBot.map((i) => i.number)).toEqual(all.filter((i) => i.user?.login === 'asym-bot').map((i) => i.number));
    const ms1 = await bot.paginate(bot.rest.issues.listForRepo, { ...repo, state: 'all', milestone: '1', per_page: 100 });
    expect(ms1.map((i) => i.number)).toEqual(all.filter((i) => i.milestone?.number === 1).map((i) => i.number));
    const noMs = await bot.paginate(bot.rest.issues.listForRepo, { ...repo, state: 'all', milestone: 'none', per_page: 100 });
    expect(noMs.length).toBe(all.filter((i) => !i.milestone).length);
    const mentioned = await bot.paginate(bot.rest.issues.listForRepo, { ...repo, state: 'all', mentioned: 'asym-bot', per_page: 100 });
    expect(mentioned.every((i) => (i.body ?? '').includes('@asym-bot'))).toBe(true);
    const cut = all[10]!.updated_at;
    const since = await bot.paginate(bot.rest.issues.listForRepo, { ...repo, state: 'all', since: cut, per_page: 100 });
    expect(since.length).toBe(all.filter((i) => i.updated_at >= cut).length);
    const byComments = await bot.rest.issues.listForRepo({ ...repo, state: 'all', sort: 'comments', per_page: 100 });
    const c = byComments.data.map((i) => i.comments);
    expect(c).toEqual([...c].sort((a, b) => b - a));
  });

  test('search qualifiers', async () => {
    const all = await bot.paginate(bot.rest.issues.listForRepo, { owner: 'acme', repo: 'web', state: 'all', per_page: 100 });
    const count = async (q: string) => (await bot.rest.search.issuesAndPullRequests({ q })).data.total_count;
    expect(await count('repo:acme/web is:closed')).toBe(all.filter((i) => i.state === 'closed').length);
    expect(await count('repo:acme/web is:open is:issue')).toBe(all.filter((i) => i.state === 'open').length);
    expect(await count('repo:acme/web is:pr')).toBe(0);
    expect(await count('repo:acme/web label:bug')).toBe(all.filter((i) => i.labels.some((l) => typeof l !== 'string' && l.name === 'bug')).length);
    expect(await count('repo:acme/web label:"priority: high"')).toBe(all.filter((i) => i.labels.some((l) => typeof l !== 'string' && l.name === 'priority: high')).length);
    expect(await count('repo:acme/web assignee:asym-bot')).toBe(all.filter((i) => i.assignees?.some((a) => a.login === 'asym-bot')).length);
    expect(await count('repo:acme/web author:asym-bot')).toBe(all.filter((i) => i.user?.login === 'asym-bot').length);
    expect(await count('repo:acme/web checkout in:title')).toBe(all.filter((i) => /checkout/i.test(i.title)).length);
    expect(await count('org:acme dark mode')).toBeGreaterThan(0);
    // Private repositories of others never leak into search.
    expect(await count('repo:mallory/dotfiles')).toBe(3);
    const hidden = await status(bot.rest.search.issuesAndPullRequests({ q: 'repo:mallory/private-notes' }));
    expect(hidden.status).toBe(422);
    const strangerSees = (await strangerKit.rest.search.issuesAndPullRequests({ q: 'org:acme', per_page: 100 })).data;
    expect(strangerSees.items.every((i) => ACME_PUBLIC.some((r) => i.repository_url.endsWith(`/acme/${r}`)))).toBe(true);
    const missing = await status(bot.rest.search.issuesAndPullRequests({ q: '' }));
    expect(missing.status).toBe(422);
  });

  test('permissions: own and org repositories writable, others private invisible, others public read-only', async () => {
    expect((await bot.rest.repos.get({ owner: 'mallory', repo: 'dotfiles' })).data.permissions?.push).toBe(false);
    expect((await status(bot.rest.repos.get({ owner: 'mallory', repo: 'private-notes' }))).status).toBe(404);
    expect((await status(bot.rest.issues.listForRepo({ owner: 'mallory', repo: 'private-notes' }))).status).toBe(404);
    expect((await bot.paginate(bot.rest.repos.listForUser, { username: 'mallory' })).map((r) => r.name)).toEqual(['dotfiles']);
    // Anyone may open an issue on a public repository; labels and assignees need push access and are dropped.
    const opened = await bot.rest.issues.create({ owner: 'mallory', repo: 'dotfiles', title: 'hello', labels: ['bug'], assignees: ['mallory'] });
    expect(opened.status).toBe(201);
    expect(opened.data.labels).toEqual([]);
    expect(opened.data.assignees).toEqual([]);
    expect((await status(bot.rest.issues.createLabel({ owner: 'mallory', repo: 'dotfiles', name: 'nope' }))).status).toBe(404);
    expect((await status(bot.rest.issues.update({ owner: 'mallory', repo: 'dotfiles', issue_number: 1, title: 'mine now' }))).status).toBe(403);
    expect((await status(bot.rest.repos.update({ owner: 'mallory', repo: 'dotfiles', description: 'x' }))).status).toBe(403);
    expect((await status(bot.rest.repos.delete({ owner: 'mallory', repo: 'dotfiles' }))).status).toBe(403);
    expect((await status(bot.rest.issues.lock({ owner: 'mallory', repo: 'dotfiles', issue_number: 1 }))).status).toBe(404);
    // The author may still edit and close their own issue.
    expect((await bot.rest.issues.update({ owner: 'mallory', repo: 'dotfiles', issue_number: opened.data.number, state: 'closed' })).data.state).toBe('closed');

    // Org membership gives write access to the organisation's private repositories.
    expect((await bot.rest.issues.createLabel({ owner: 'acme', repo: 'mobile', name: unique('lbl') })).status).toBe(201);
    expect((await bot.rest.issues.create({ owner: 'acme', repo: 'mobile', title: 'member issue', labels: ['bug'] })).data.labels.length).toBe(1);
    expect((await status(bot.rest.repos.delete({ owner: 'acme', repo: 'web' }))).status).toBe(403);
    expect((await adminKit.rest.repos.get({ owner: 'acme', repo: 'web' })).data.permissions?.admin).toBe(true);

    // A user outside the org sees only its public repositories.
    expect((await status(strangerKit.rest.repos.get({ owner: 'acme', repo: 'mobile' }))).status).toBe(404);
    expect((await strangerKit.paginate(strangerKit.rest.repos.listForOrg, { org: 'acme' })).map((r) => r.name).sort()).toEqual(ACME_PUBLIC);
    expect((await status(strangerKit.rest.repos.createInOrg({ org: 'acme', name: 'sneaky' }))).status).toBe(403);
    expect((await strangerKit.rest.repos.listForAuthenticatedUser()).data).toEqual([]);
  });

  test('errors carry GitHub\'s envelope: 401, 404, 422, 410, not emulated', async () => {
    const bad = octokit(clone, 'ghp_000000000000000000000000000000000000');
    const e401 = await status(bad.rest.users.getAuthenticated());
    expect(e401.status).toBe(401);
    expect(e401.data).toEqual({ message: 'Bad credentials', documentation_url: expect.stringContaining('docs.github.com'), status: '401' });
    const anon = octokit(clone, undefined);
    expect((await status(anon.rest.users.getAuthenticated())).status).toBe(401);
    expect((await anon.rest.repos.get({ owner: 'acme', repo: 'web' })).status).toBe(200);
    expect((await status(anon.rest.repos.get({ owner: 'acme', repo: 'mobile' }))).status).toBe(404);

    const e404 = await status(bot.rest.repos.get({ owner: 'acme', repo: 'no-such-repo' }));
    expect(e404.status).toBe(404);
    expect(e404.data.message).toBe('Not Found');
    expect(e404.data.documentation_url).toBeString();
    expect((await status(bot.rest.issues.get({ owner: 'acme', repo: 'web', issue_number: 9999 }))).status).toBe(404);
    expect((await status(bot.rest.users.getByUsername({ username: 'nobody-here' }))).status).toBe(404);

    const e422 = await status(bot.rest.issues.create({ owner: 'acme', repo: 'web', title: '' }));
    expect(e422.status).toBe(422);
    expect(e422.data.message).toBe('Validation Failed');
    expect(e422.data.errors).toEqual([{ resource: 'Issue', code: 'missing_field', field: 'title' }]);
    const dupLabel = await status(bot.rest.issues.createLabel({ owner: 'acme', repo: 'web', name: 'bug' }));
    expect(dupLabel.data.errors[0]).toMatchObject({ resource: 'Label', code: 'already_exists', field: 'name' });
    const badAssignee = await status(bot.rest.issues.create({ owner: 'acme', repo: 'web', title: 't', assignees: ['mallory'] }));
    expect(badAssignee.status).toBe(422);
    const dupRepo = await status(bot.rest.repos.createInOrg({ org: 'acme', name: 'web' }));
    expect(dupRepo.status).toBe(422);

    const e410 = await status(bot.rest.issues.listForRepo({ owner: 'acme', repo: 'handbook' }));
    expect(e410.status).toBe(410);
    expect(e410.data.message).toBe('Issues are disabled for this repo');
    expect((await status(bot.rest.issues.create({ owner: 'acme', repo: 'handbook', title: 'x' }))).status).toBe(410);

    const pulls = await status(bot.request('GET /repos/{owner}/{repo}/hooks', { owner: 'acme', repo: 'web' }));
    expect(pulls.status).toBe(404);
    expect(pulls.data.message).toContain('not emulated by this asym clone');
    expect(pulls.data.documentation_url).toBeString();
    const locked = await status(strangerKit.rest.issues.createComment({ owner: 'acme', repo: 'api', issue_number: 2, body: 'let me in' }));
    expect(locked.status).toBe(403);
  });

  test('ETag and If-None-Match answer 304 without a body, and do not count', async () => {
    const first = await bot.rest.repos.get({ owner: 'acme', repo: 'web' });
    const etag = first.headers.etag!;
    expect(etag).toMatch(/^W\/"[0-9a-f]{40}"$/);
    const again = await status(bot.rest.repos.get({ owner: 'acme', repo: 'web', headers: { 'if-none-match': etag } }));
    expect(again.status).toBe(304);
    const raw = await fetch(`${clone.endpoints.api}/repos/acme/web`, { headers: { authorization: `token ${clone.tokens.botToken}`, 'if-none-match': etag } });
    expect(raw.status).toBe(304);
    expect(await raw.text()).toBe('');
    expect(raw.headers.get('etag')).toBe(etag);
    const used = Number(raw.headers.get('x-ratelimit-used'));
    const after = await fetch(`${clone.endpoints.api}/repos/acme/web`, { headers: { authorization: `token ${clone.tokens.botToken}`, 'if-none-match': etag } });
    expect(Number(after.headers.get('x-ratelimit-used'))).toBe(used);
    // A change gives a new ETag.
    await bot.rest.repos.update({ owner: 'acme', repo: 'web', description: unique('changed') }).catch(() => undefined);
    await adminKit.rest.repos.update({ owner: 'acme', repo: 'web', description: unique('changed') });
    const changed = await bot.rest.repos.get({ owner: 'acme', repo: 'web', headers: { 'if-none-match': etag } });
    expect(changed.status).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
  });

  test('x-ratelimit-* headers on every response, counted per token', async () => {
    const a = await bot.rest.users.getAuthenticated();
    const b = await bot.rest.users.getAuthenticated();
    for (const h of [a.headers, b.headers]) {
      expect(h['x-ratelimit-limit']).toBe('5000');
      expect(h['x-ratelimit-resource']).toBe('core');
      expect(Number(h['x-ratelimit-remaining'])).toBe(5000 - Number(h['x-ratelimit-used']));
      const reset = Number(h['x-ratelimit-reset']);
      expect(reset).toBeGreaterThan(Date.now() / 1000);
      expect(reset).toBeLessThanOrEqual(Date.now() / 1000 + 3600);
    }
    expect(Number(b.headers['x-ratelimit-used'])).toBe(Number(a.headers['x-ratelimit-used']) + 1);
    const other = await strangerKit.rest.users.getAuthenticated();
    expect(Number(other.headers['x-ratelimit-used'])).toBeLessThan(Number(b.headers['x-ratelimit-used']));
    const err = await status(bot.rest.repos.get({ owner: 'acme', repo: 'missing' }));
    expect(err.headers['x-ratelimit-remaining']).toBeDefined();
    const anon = await fetch(`${clone.endpoints.api}/repos/acme/web`);
    expect(anon.headers.get('x-ratelimit-limit')).toBe('60');
  });

  test('responses seen in this suite validate against the OpenAPI schemas', () => {
    const failures = rec.filter((r) => r.status < 300).flatMap((r) => schemaErrors(r).map((e) => `${r.key}: ${e}`));
    expect(failures.slice(0, 20)).toEqual([]);
    expect(rec.length).toBeGreaterThan(50);
  });
});
