/**
 * Activity events (a user's, received, the org dashboard), watched repositories, gists and the
 * hovercard through @octokit/rest, read from the issues, comments, issue events, stars and
 * follows the test makes; private events only to their user.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import type { Octokit } from '@octokit/rest';
import { describeDocker } from '../support/docker.ts';
import { admin, newUser, octokit, schemaErrors, spinGithub, unique, type Clone, type Recorded, statusOf as status } from './helpers.ts';

describeDocker('github activity events, watched repositories, hovercard', () => {
  let clone: Clone;
  let cleanup: () => Promise<void>;
  const rec: Recorded[] = [];
  let bot: Octokit;
  let adminKit: Octokit;
  let strangerKit: Octokit;
  const pub = { owner: 'asym-bot', repo: unique('act-pub') };
  const priv = { owner: 'asym-bot', repo: unique('act-priv') };
  const orgRepo = { owner: '', repo: unique('act-org') };
  let issueNumber = 0;
  let pubId = 0;

  beforeAll(async () => {
    const s = await spinGithub('gh-activity');
    clone = s.clone;
    cleanup = () => s.h.cleanup();
    bot = octokit(clone, clone.tokens.botToken, rec);
    adminKit = octokit(clone, clone.tokens.userToken, rec);
    strangerKit = octokit(clone, (await newUser(clone, unique('onlooker').slice(0, 30))).token, rec);
    orgRepo.owner = clone.tokens.workspaceId;
    pubId = (await bot.rest.repos.createForAuthenticatedUser({ name: pub.repo })).data.id;
    await bot.rest.repos.createForAuthenticatedUser({ name: priv.repo, private: true });
    await bot.rest.repos.createInOrg({ org: orgRepo.owner, name: orgRepo.repo, private: true });
    issueNumber = (await bot.rest.issues.create({ ...pub, title: 'public one' })).data.number;
    await bot.rest.issues.createComment({ ...pub, issue_number: issueNumber, body: 'noted' });
    await bot.rest.issues.update({ ...pub, issue_number: issueNumber, state: 'closed' });
    await bot.rest.issues.create({ ...priv, title: 'private one' });
    await bot.rest.issues.create({ ...orgRepo, title: 'org one' });
    await bot.rest.activity.starRepoForAuthenticatedUser(pub);
  }, 120_000);
  afterAll(async () => {
    await cleanup?.();
  }, 60_000);

  const kinds = (events: Array<{ type: string | null; payload: { action?: string }; repo: { name: string } }>) => events.map((e) => `${e.type}:${e.payload.action}:${e.repo.name.split('/')[1]}`);

  test('a user\'s events: newest first, private ones only to the user', async () => {
    const mine = kinds((await bot.rest.activity.listEventsForAuthenticatedUser({ username: 'asym-bot', per_page: 100 })).data as never);
    expect(mine.slice(0, 6)).toEqual([
      `WatchEvent:started:${pub.repo}`,
      `IssuesEvent:opened:${orgRepo.repo}`,
      `IssuesEvent:opened:${priv.repo}`,
      `IssuesEvent:closed:${pub.repo}`,
      `IssueCommentEvent:created:${pub.repo}`,
      `IssuesEvent:opened:${pub.repo}`,
    ]);
    const seen = kinds((await strangerKit.rest.activity.listEventsForAuthenticatedUser({ username: 'asym-bot', per_page: 100 })).data as never);
    expect(seen.some((k) => k.includes(priv.repo) || k.includes(orgRepo.repo))).toBe(false);
    expect(seen).toContain(`IssuesEvent:closed:${pub.repo}`);
    const publicOnly = kinds((await bot.rest.activity.listPublicEventsForUser({ username: 'asym-bot', per_page: 100 })).data as never);
    expect(publicOnly.some((k) => k.includes(priv.repo))).toBe(false);
    expect(publicOnly).toContain(`IssueCommentEvent:created:${pub.repo}`);
    expect(await status(bot.rest.activity.listEventsForAuthenticatedUser({ username: 'no-such-user-zz' }))).toBe(404);
  });

  test('received events: people followed and repositories watched, not one\'s own', async () => {
    const stranger = (await strangerKit.rest.users.getAuthenticated()).data.login;
    expect((await strangerKit.rest.activity.listReceivedEventsForUser({ username: stranger })).data).toEqual([]);
    await strangerKit.rest.users.follow({ username: 'asym-bot' });
    const got = kinds((await strangerKit.rest.activity.listReceivedEventsForUser({ username: stranger, per_page: 100 })).data as never);
    expect(got).toContain(`IssuesEvent:opened:${pub.repo}`);
    expect(got.some((k) => k.includes(priv.repo))).toBe(false);
    // asym-admin watches the org's repositories (an org admin): the bot's issue there reaches them, privately.
    const admin = kinds((await adminKit.rest.activity.listReceivedEventsForUser({ username: 'asym-admin', per_page: 100 })).data as never);
    expect(admin).toContain(`IssuesEvent:opened:${orgRepo.repo}`);
    const adminPublic = kinds((await adminKit.rest.activity.listReceivedPublicEventsForUser({ username: 'asym-admin', per_page: 100 })).data as never);
    expect(adminPublic).not.toContain(`IssuesEvent:opened:${orgRepo.repo}`);
  });

  test('the org dashboard is the user\'s own, for an org they belong to', async () => {
    const org = orgRepo.owner;
    const dash = (await bot.rest.activity.listOrgEventsForAuthenticatedUser({ username: 'asym-bot', org, per_page: 100 })).data;
    expect(kinds(dash as never)).toContain(`IssuesEvent:opened:${orgRepo.repo}`);
    expect(dash.every((e) => e.repo.name.startsWith(`${org}/`) && e.org?.login === org)).toBe(true);
    expect(await status(adminKit.rest.activity.listOrgEventsForAuthenticatedUser({ username: 'asym-bot', org }))).toBe(404);
  });

  test('watched repositories: created or given push access to; private ones to those who can read them', async () => {
    const mine = (await bot.rest.activity.listWatchedReposForAuthenticatedUser({ per_page: 100 })).data.map((r) => r.name);
    expect(mine).toEqual(expect.arrayContaining([pub.repo, priv.repo, orgRepo.repo]));
    const seen = (await strangerKit.rest.activity.listReposWatchedByUser({ username: 'asym-bot', per_page: 100 })).data.map((r) => r.name);
    expect(seen).toContain(pub.repo);
    expect(seen).not.toContain(priv.repo);
    expect(seen).not.toContain(orgRepo.repo);
  });

  test('hovercard: the subject\'s context, else the user\'s organisations', async () => {
    const owns = (await strangerKit.rest.users.getContextForUser({ username: 'asym-bot', subject_type: 'repository', subject_id: String(pubId) })).data;
    expect(owns.contexts).toEqual([{ message: 'Owns this repository', octicon: 'repo' }]);
    const issueId = (await bot.rest.issues.get({ ...pub, issue_number: issueNumber })).data.id;
    const opened = (await strangerKit.rest.users.getContextForUser({ username: 'asym-bot', subject_type: 'issue', subject_id: String(issueId) })).data;
    expect(opened.contexts[0]?.message).toBe('Opened this issue');
    const plain = (await strangerKit.rest.users.getContextForUser({ username: 'asym-bot' })).data;
    expect(plain.contexts.map((c) => c.message)).toContain(`Member of @${orgRepo.owner}`);
    expect(await status(strangerKit.rest.users.getContextForUser({ username: 'asym-bot', subject_type: 'repository' }))).toBe(422);
    expect(await status(strangerKit.rest.users.getContextForUser({ username: 'asym-bot', subject_type: 'team' as never, subject_id: '1' }))).toBe(422);
    expect(await status(strangerKit.rest.users.getContextForUser({ username: 'asym-bot', subject_type: 'repository', subject_id: '999999' }))).toBe(404);
  });

  test('a user\'s public gists, newest first, since', async () => {
    expect((await strangerKit.rest.gists.listForUser({ username: 'asym-bot' })).data).toEqual([]);
    const first = (await admin(clone, 'gists', { user: 'asym-bot', description: 'first', files: { 'a.md': { content: '# a' } } })).gist.id;
    await admin(clone, 'gists', { user: 'asym-bot', description: 'secret', public: false, files: { 'b.txt': { content: 'b' } } });
    const second = (await admin(clone, 'gists', { user: 'asym-bot', description: 'second', files: { 'c.py': { content: 'print(1)' }, 'd.json': { content: '{}' } } })).gist.id;
    const listed = (await strangerKit.rest.gists.listForUser({ username: 'asym-bot' })).data;
    expect(listed.map((x) => x.id)).toEqual([second, first]);
    expect(listed[0]!.files['c.py']).toMatchObject({ filename: 'c.py', language: 'Python', size: 8 });
    expect(listed[0]!.owner?.login).toBe('asym-bot');
    expect((await strangerKit.rest.gists.listForUser({ username: 'asym-bot', since: '2999-01-01T00:00:00Z' })).data).toEqual([]);
    expect(await status(strangerKit.rest.gists.listForUser({ username: 'asym-bot', since: 'yesterday' }))).toBe(422);
    expect(await status(strangerKit.rest.gists.listForUser({ username: 'no-such-user-zz' }))).toBe(404);
  });

  test('every answer matches GitHub\'s schema', () => {
    const problems = rec.filter((r) => r.status === 200 && /events|subscriptions|hovercard|gists/.test(r.key)).flatMap(schemaErrors);
    expect(problems).toEqual([]);
  });
});
