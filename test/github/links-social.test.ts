/**
 * Sub-issues, dependencies, timeline, pinned comments, repository and user search, stars,
 * follows and GET /users on the `acme` fixture, through @octokit/rest: GitHub's rules and
 * errors, both directions of a dependency, private-repository visibility, true counts.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import type { Octokit } from '@octokit/rest';
import { describeDocker } from '../support/docker.ts';
import { admin, newUser, octokit, schemaErrors, spinGithub, unique, type Clone, type Recorded, answerOf as status } from './helpers.ts';

describeDocker('github sub-issues, dependencies, search, stars and follows', () => {
  let clone: Clone;
  let cleanup: () => Promise<void>;
  const rec: Recorded[] = [];
  let bot: Octokit;
  let stranger: { login: string; token: string; id: number };
  let strangerKit: Octokit;
  let malloryKit: Octokit;
  const web = { owner: 'acme', repo: 'web' };
  const newIssue = async (title: string) => (await bot.rest.issues.create({ ...web, title })).data;

  beforeAll(async () => {
    const s = await spinGithub('gh-links');
    clone = s.clone;
    cleanup = () => s.h.cleanup();
    bot = octokit(clone, clone.tokens.botToken, rec);
    const seeded = (await s.h.run(['seed', clone.id, '--fixture', 'acme', '--json'])) as { code: number };
    expect(seeded.code).toBe(0);
    stranger = await newUser(clone, unique('stranger').slice(0, 30));
    strangerKit = octokit(clone, stranger.token, rec);
    malloryKit = octokit(clone, (await admin(clone, 'user-token', { user: 'mallory' })).token, rec);
  }, 120_000);
  afterAll(async () => {
    await cleanup?.();
  }, 60_000);

  test('a sub-issue has one parent; GitHub refuses self, cycles, other owners, and non-writers', async () => {
    const p1 = await newIssue('parent one');
    const p2 = await newIssue('parent two');
    const child = await newIssue('child');
    const grandchild = await newIssue('grandchild');
    await bot.rest.issues.addSubIssue({ ...web, issue_number: p1.number, sub_issue_id: child.id });

    const again = await status(bot.rest.issues.addSubIssue({ ...web, issue_number: p2.number, sub_issue_id: child.id }));
    expect(again.status).toBe(422);
    expect(again.data.errors[0].message).toBe('Sub issue may only have one parent');
    const dup = await status(bot.rest.issues.addSubIssue({ ...web, issue_number: p1.number, sub_issue_id: child.id }));
    expect(dup.status).toBe(422);

    // The issue number is not the id: GitHub wants sub_issue_id = issue.id.
    const byNumber = await status(bot.rest.issues.addSubIssue({ ...web, issue_number: p2.number, sub_issue_id: child.number }));
    expect(byNumber.status).toBe(422);
    expect((await status(bot.rest.issues.addSubIssue({ ...web, issue_number: p2.number, sub_issue_id: p2.id }))).status).toBe(422);

    await bot.rest.issues.addSubIssue({ ...web, issue_number: child.number, sub_issue_id: grandchild.id });
    const cycle = await status(bot.rest.issues.addSubIssue({ ...web, issue_number: grandchild.number, sub_issue_id: p1.id }));
    expect(cycle.status).toBe(422);

    const moved = await bot.rest.issues.addSubIssue({ ...web, issue_number: p2.number, sub_issue_id: child.id, replace_parent: true });
    expect(moved.status).toBe(201);
    expect((await bot.rest.issues.getParent({ ...web, issue_number: child.number })).data.number).toBe(p2.number);
    expect((await bot.rest.issues.listSubIssues({ ...web, issue_number: p1.number })).data).toEqual([]);
    expect((await bot.rest.issues.get({ ...web, issue_number: child.number })).data.parent_issue_url).toBe(`${clone.endpoints.api}/repos/acme/web/issues/${p2.number}`);
    expect((await status(bot.rest.issues.getParent({ ...web, issue_number: p1.number }))).status).toBe(404);

    // Other owner's issue.
    const theirs = await malloryKit.rest.issues.create({ owner: 'mallory', repo: 'dotfiles', title: 'not acme' });
    expect((await status(bot.rest.issues.addSubIssue({ ...web, issue_number: p1.number, sub_issue_id: theirs.data.id }))).status).toBe(422);
    // Readers without write access are refused.
    expect((await status(strangerKit.rest.issues.addSubIssue({ ...web, issue_number: p1.number, sub_issue_id: grandchild.id }))).status).toBe(403);

    // Removing something that is not a sub-issue of this parent is a 404; removing works once.
    expect((await status(bot.rest.issues.removeSubIssue({ ...web, issue_number: p1.number, sub_issue_id: child.id }))).status).toBe(404);

    // The summary counts closed sub-issues as completed.
    await bot.rest.issues.update({ ...web, issue_number: child.number, state: 'closed' });
    expect((await bot.rest.issues.get({ ...web, issue_number: p2.number })).data.sub_issues_summary).toEqual({ total: 1, completed: 1, percent_completed: 100 });
    const removed = await bot.rest.issues.removeSubIssue({ ...web, issue_number: p2.number, sub_issue_id: child.id });
    expect(removed.data.sub_issues_summary?.total).toBe(0);

    const events = (await bot.rest.issues.listEvents({ ...web, issue_number: child.number })).data.map((e) => ('event' in e ? e.event : ''));
    expect(events).toEqual(expect.arrayContaining(['parent_issue_added', 'parent_issue_removed']));
    const timeline = await bot.rest.issues.listEventsForTimeline({ ...web, issue_number: p2.number });
    const added = timeline.data.find((e) => 'event' in e && e.event === 'sub_issue_added') as { sub_issue?: { number: number } } | undefined;
    expect(added?.sub_issue?.number).toBe(child.number);
  });

  test('dependencies list both ways and summarise open blockers', async () => {
    const a = await newIssue('blocked');
    const b = await newIssue('blocker one');
    const c = await newIssue('blocker two');
    await bot.rest.issues.addBlockedByDependency({ ...web, issue_number: a.number, issue_id: b.id });
    await bot.rest.issues.addBlockedByDependency({ ...web, issue_number: a.number, issue_id: c.id });
    expect((await bot.rest.issues.listDependenciesBlockedBy({ ...web, issue_number: a.number })).data.map((i) => i.number)).toEqual([b.number, c.number]);
    expect((await bot.rest.issues.listDependenciesBlocking({ ...web, issue_number: b.number })).data.map((i) => i.number)).toEqual([a.number]);
    expect((await bot.rest.issues.listDependenciesBlocking({ ...web, issue_number: a.number })).data).toEqual([]);
    expect((await status(bot.rest.issues.addBlockedByDependency({ ...web, issue_number: a.number, issue_id: b.id }))).status).toBe(422);
    expect((await status(bot.rest.issues.addBlockedByDependency({ ...web, issue_number: a.number, issue_id: a.id }))).status).toBe(422);
    await bot.rest.issues.update({ ...web, issue_number: b.number, state: 'closed' });
    expect((await bot.rest.issues.get({ ...web, issue_number: a.number })).data.issue_dependencies_summary).toEqual({ blocked_by: 1, blocking: 0, total_blocked_by: 2, total_blocking: 0 });
    expect((await bot.rest.issues.get({ ...web, issue_number: c.number })).data.issue_dependencies_summary?.total_blocking).toBe(1);
    await bot.rest.issues.removeDependencyBlockedBy({ ...web, issue_number: a.number, issue_id: c.id });
    expect((await status(bot.rest.issues.removeDependencyBlockedBy({ ...web, issue_number: a.number, issue_id: c.id }))).status).toBe(404);
    expect((await bot.rest.issues.listDependenciesBlockedBy({ ...web, issue_number: a.number })).data.map((i) => i.number)).toEqual([b.number]);
  });

  test('timeline merges events and comments; one pinned comment per issue', async () => {
    const i = await newIssue('timeline');
    const n = { ...web, issue_number: i.number };
    const c1 = await bot.rest.issues.createComment({ ...n, body: 'one' });
    await bot.rest.issues.addLabels({ ...n, labels: ['bug'] });
    const c2 = await bot.rest.issues.createComment({ ...n, body: 'two' });
    await bot.rest.issues.update({ ...n, title: 'timeline (renamed)', state: 'closed' });
    const items = await bot.paginate(bot.rest.issues.listEventsForTimeline, { ...n, per_page: 2 });
    expect(items.map((e) => ('event' in e ? e.event : ''))).toEqual(['commented', 'labeled', 'commented', 'renamed', 'closed']);
    expect((items[0] as { actor?: { login: string } }).actor?.login).toBe('asym-bot');

    await bot.request('PUT /repos/{owner}/{repo}/issues/comments/{comment_id}/pin', { ...web, comment_id: c1.data.id });
    await bot.request('PUT /repos/{owner}/{repo}/issues/comments/{comment_id}/pin', { ...web, comment_id: c2.data.id });
    expect(((await bot.rest.issues.getComment({ ...web, comment_id: c1.data.id })).data as { pin?: unknown }).pin).toBeNull();
    expect(((await bot.rest.issues.get(n)).data as { pinned_comment?: { id: number } }).pinned_comment?.id).toBe(c2.data.id);
    const refused = await status(strangerKit.request('PUT /repos/{owner}/{repo}/issues/comments/{comment_id}/pin', { ...web, comment_id: c1.data.id }));
    expect(refused.status).toBe(403);
    await bot.request('DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}/pin', { ...web, comment_id: c2.data.id });
    expect(((await bot.rest.issues.get(n)).data as { pinned_comment?: unknown }).pinned_comment).toBeNull();
  });

  test('repository search: qualifiers, sorting, paging, private visibility', async () => {
    const privateAcme = await bot.rest.search.repos({ q: 'org:acme is:private' });
    expect(privateAcme.data.items.map((r) => r.name).sort()).toEqual(['billing', 'data-pipeline', 'infra', 'mobile', 'secrets']);
    expect((await strangerKit.rest.search.repos({ q: 'org:acme is:private' })).data.total_count).toBe(0);
    expect((await bot.rest.search.repos({ q: 'user:mallory' })).data.items.map((r) => r.name)).toEqual(['dotfiles']);
    expect((await malloryKit.rest.search.repos({ q: 'user:mallory' })).data.items.map((r) => r.name).sort()).toEqual(['dotfiles', 'private-notes']);
    expect((await bot.rest.search.repos({ q: 'language:go' })).data.items.map((r) => r.name)).toEqual(['api']);
    expect((await bot.rest.search.repos({ q: 'topic:storefront' })).data.items.map((r) => r.name)).toEqual(['web']);
    expect((await bot.rest.search.repos({ q: 'storefront in:description' })).data.items.map((r) => r.name)).toEqual(['web']);
    expect((await bot.rest.search.repos({ q: 'storefront in:name' })).data.total_count).toBe(0);
    const byStars = await bot.rest.search.repos({ q: 'org:acme', sort: 'stars', order: 'desc' });
    const stars = byStars.data.items.map((r) => r.stargazers_count);
    expect(stars).toEqual([...stars].sort((x, y) => y - x));
    const asc = await bot.rest.search.repos({ q: 'org:acme', sort: 'stars', order: 'asc' });
    expect(asc.data.items[0]!.stargazers_count).toBe(Math.min(...stars));
    const page = await bot.rest.search.repos({ q: 'org:acme', per_page: 5 });
    expect(page.headers.link).toContain('rel="next"');
    const all = await bot.paginate(bot.rest.search.repos, { q: 'org:acme', per_page: 5 });
    expect(all.length).toBe(12);
    expect(new Set(all.map((r) => r.id)).size).toBe(12);
    const missing = await status(bot.rest.search.repos({ q: '' }));
    expect(missing.status).toBe(422);
  });

  test('user search: in:login/name/email, type:user/org', async () => {
    expect((await bot.rest.search.users({ q: 'type:org' })).data.items.map((u) => u.login)).toEqual(['acme']);
    expect((await bot.rest.search.users({ q: 'chen in:name' })).data.items.map((u) => u.login)).toEqual(['alice']);
    expect((await bot.rest.search.users({ q: 'chen in:login' })).data.total_count).toBe(0);
    expect((await bot.rest.search.users({ q: 'bob@acme in:email' })).data.items.map((u) => u.login)).toEqual(['bob']);
    const acme = await bot.rest.search.users({ q: 'acme type:user', per_page: 100 });
    expect(acme.data.items.every((u) => u.type === 'User')).toBe(true);
    expect(acme.data.items.map((u) => u.login)).toEqual(expect.arrayContaining(['alice', 'asym-admin', 'mallory']));
  });

  test('stars and follows keep counts true', async () => {
    const before = (await bot.rest.repos.get(web)).data.stargazers_count;
    await strangerKit.rest.activity.starRepoForAuthenticatedUser(web);
    await strangerKit.rest.activity.starRepoForAuthenticatedUser(web);
    await bot.rest.activity.starRepoForAuthenticatedUser(web);
    expect((await bot.rest.repos.get(web)).data.stargazers_count).toBe(before + 2);
    expect((await strangerKit.rest.activity.listReposStarredByAuthenticatedUser()).data.map((r) => r.full_name)).toEqual(['acme/web']);
    await strangerKit.rest.activity.unstarRepoForAuthenticatedUser(web);
    expect((await status(strangerKit.rest.activity.checkRepoIsStarredByAuthenticatedUser(web))).status).toBe(404);
    expect((await bot.rest.repos.get(web)).data.stargazers_count).toBe(before + 1);
    expect((await status(strangerKit.rest.activity.starRepoForAuthenticatedUser({ owner: 'acme', repo: 'billing' }))).status).toBe(404);

    await strangerKit.rest.users.follow({ username: 'alice' });
    await strangerKit.rest.users.follow({ username: 'alice' });
    await bot.rest.users.follow({ username: 'alice' });
    expect((await bot.rest.users.getByUsername({ username: 'alice' })).data.followers).toBe(2);
    expect((await strangerKit.rest.users.getAuthenticated()).data.following).toBe(1);
    expect((await bot.rest.users.listFollowersForUser({ username: 'alice' })).data.map((u) => u.login).sort()).toEqual(['asym-bot', stranger.login].sort());
    expect((await status(strangerKit.rest.users.follow({ username: stranger.login }))).status).toBe(422);
    expect((await status(strangerKit.rest.users.follow({ username: 'no-such-user-xyz' }))).status).toBe(404);
    await strangerKit.rest.users.unfollow({ username: 'alice' });
    expect((await bot.rest.users.getByUsername({ username: 'alice' })).data.followers).toBe(1);
    expect((await status(bot.rest.users.checkFollowingForUser({ username: stranger.login, target_user: 'alice' }))).status).toBe(404);
    expect((await bot.rest.users.checkFollowingForUser({ username: 'asym-bot', target_user: 'alice' })).status).toBe(204);
  });

  test('GET /users pages by `since` and octokit.paginate walks every account', async () => {
    const all = await bot.paginate(bot.rest.users.list, { per_page: 3 });
    const ids = all.map((u) => u.id);
    expect(ids).toEqual([...ids].sort((x, y) => x - y));
    expect(new Set(ids).size).toBe(ids.length);
    expect(all.map((u) => u.login)).toEqual(expect.arrayContaining(['acme', 'asym-admin', 'asym-bot', 'alice', 'oscar', stranger.login]));
    const after = await bot.rest.users.list({ since: 2005, per_page: 2 });
    expect(after.data.map((u) => u.login)).toEqual(['frank', 'grace']);
    expect(after.headers.link).toContain('since=2007');
    expect((await bot.rest.users.getById({ account_id: 2001 })).data.login).toBe('alice');
    expect((await status(bot.rest.users.getById({ account_id: 999_999 }))).status).toBe(404);
    expect((await bot.rest.orgs.getMembershipForAuthenticatedUser({ org: 'acme' })).data.state).toBe('active');
    expect((await status(strangerKit.rest.orgs.getMembershipForAuthenticatedUser({ org: 'acme' }))).status).toBe(404);
    expect((await strangerKit.rest.orgs.listMembershipsForAuthenticatedUser()).data).toEqual([]);
  });

  test('every successful response validates against its schema', () => {
    const failures = rec.flatMap((r) => schemaErrors(r).map((e) => `${r.key}: ${e}`));
    expect(failures).toEqual([]);
  });
});
