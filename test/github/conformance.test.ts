/**
 * Every implemented operation, called through @octokit/rest against a spun clone, with its
 * response body validated against the schema GitHub's OpenAPI description gives it
 * (templates/github/verify/shapes.json, derived by scripts/derive-shapes.ts).
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { generateKeyPairSync } from 'node:crypto';
import { describeDocker } from '../support/docker.ts';
import type { Octokit } from '@octokit/rest';
import operations from '../../templates/github/operations.json';
import { GPG_ED25519 } from '../../templates/github/verify/gpg-key.ts';
import { attestationsConformance, billingConformance, migrationsConformance, packagesConformance, projectsConformance } from './conformance-account.ts';
import { octokit, schemaErrors, spinGithub, unique, type Clone, type Recorded } from './helpers.ts';
import { callExtrasA } from './conformance-a.ts';
import { invitationsConformance } from './conformance-invitations.ts';
import { appsConformance } from './conformance-apps.ts';

describeDocker('github conformance (every implemented operation, validated against the OpenAPI schema)', () => {
  let clone: Clone;
  let cleanup: () => Promise<void>;
  const rec: Recorded[] = [];
  let bot: Octokit;
  let adminKit: Octokit;
  const mine = unique('conf');
  const orgRepo = unique('conf-org');
  let issueNumber = 0;
  let commentId = 0;

  beforeAll(async () => {
    const s = await spinGithub('gh-conf');
    clone = s.clone;
    cleanup = () => s.h.cleanup();
    bot = octokit(clone, clone.tokens.botToken, rec);
    adminKit = octokit(clone, clone.tokens.userToken, rec);
  }, 120_000);
  afterAll(async () => {
    await cleanup?.();
  }, 60_000);

  test('users and organisations', async () => {
    const me = await bot.rest.users.getAuthenticated();
    expect(me.data.login).toBe('asym-bot');
    expect(String(me.data.id)).toBe(clone.tokens.botUserId);
    expect((await bot.rest.users.getByUsername({ username: 'asym-admin' })).data.id).toBe(Number(clone.tokens.adminUserId));
    expect((await bot.rest.users.updateAuthenticated({ bio: 'conformance' })).data.bio).toBe('conformance');
    expect((await bot.rest.orgs.listForAuthenticatedUser()).data.map((o) => o.login)).toContain('acme');
    expect((await bot.rest.orgs.listForUser({ username: 'asym-admin' })).data.map((o) => o.login)).toContain('acme');
    expect((await bot.rest.orgs.get({ org: 'acme' })).data.login).toBe(clone.tokens.workspaceId);
  });

  test('repositories', async () => {
    const created = await bot.rest.repos.createForAuthenticatedUser({ name: mine, description: 'conformance repo', auto_init: true });
    expect(created.status).toBe(201);
    expect(created.data.full_name).toBe(`asym-bot/${mine}`);
    expect(created.data.url).toBe(`${clone.endpoints.api}/repos/asym-bot/${mine}`);
    const inOrg = await bot.rest.repos.createInOrg({ org: 'acme', name: orgRepo, private: true });
    expect(inOrg.data.private).toBe(true);
    expect((await bot.rest.repos.get({ owner: 'asym-bot', repo: mine })).data.description).toBe('conformance repo');
    expect((await bot.rest.repos.update({ owner: 'asym-bot', repo: mine, homepage: 'https://example.test', has_wiki: false })).data.has_wiki).toBe(false);
    expect((await bot.rest.repos.listForUser({ username: 'asym-bot' })).data.map((r) => r.name)).toContain(mine);
    expect((await bot.rest.repos.listForOrg({ org: 'acme' })).data.map((r) => r.name)).toContain(orgRepo);
    expect((await bot.rest.repos.listForAuthenticatedUser()).data.map((r) => r.name)).toEqual(expect.arrayContaining([mine, orgRepo]));
    expect((await bot.rest.repos.replaceAllTopics({ owner: 'asym-bot', repo: mine, names: ['agents', 'testing'] })).data.names).toEqual(['agents', 'testing']);
    expect((await bot.rest.repos.getAllTopics({ owner: 'asym-bot', repo: mine })).data.names).toEqual(['agents', 'testing']);
    expect((await bot.rest.repos.listLanguages({ owner: 'asym-bot', repo: mine })).data).toEqual({});
    expect((await bot.rest.repos.listContributors({ owner: 'asym-bot', repo: mine })).data.map((c) => c.login)).toEqual(['asym-bot']);
    expect((await bot.rest.repos.listBranches({ owner: 'asym-bot', repo: mine })).data.map((b) => b.name)).toEqual(['main']);
    expect((await bot.rest.repos.getBranch({ owner: 'asym-bot', repo: mine, branch: 'main' })).data.name).toBe('main');
  });

  test('labels and milestones', async () => {
    const repo = { owner: 'asym-bot', repo: mine };
    expect((await bot.rest.issues.listLabelsForRepo(repo)).data.map((l) => l.name)).toContain('bug');
    expect((await bot.rest.issues.createLabel({ ...repo, name: 'triage', color: 'ff0000', description: 'needs triage' })).status).toBe(201);
    expect((await bot.rest.issues.getLabel({ ...repo, name: 'triage' })).data.color).toBe('ff0000');
    expect((await bot.rest.issues.updateLabel({ ...repo, name: 'triage', new_name: 'needs triage', color: '00ff00' })).data.name).toBe('needs triage');
    const ms = await bot.rest.issues.createMilestone({ ...repo, title: 'v1.0', due_on: '2030-01-01T00:00:00Z', description: 'first' });
    expect(ms.status).toBe(201);
    expect(ms.data.number).toBe(1);
    expect((await bot.rest.issues.getMilestone({ ...repo, milestone_number: 1 })).data.title).toBe('v1.0');
    expect((await bot.rest.issues.updateMilestone({ ...repo, milestone_number: 1, description: 'first release' })).data.description).toBe('first release');
    expect((await bot.rest.issues.listMilestones(repo)).data.length).toBe(1);
  });

  test('issues', async () => {
    const repo = { owner: 'asym-bot', repo: mine };
    const created = await bot.rest.issues.create({ ...repo, title: 'First bug', body: 'it breaks, cc @asym-bot', labels: ['bug', 'needs triage'], assignees: ['asym-bot'], milestone: 1 });
    expect(created.status).toBe(201);
    issueNumber = created.data.number;
    expect(issueNumber).toBe(1);
    expect(created.data.labels.map((l) => (typeof l === 'string' ? l : l.name))).toEqual(['bug', 'needs triage']);
    expect(created.data.assignee?.login).toBe('asym-bot');
    expect(created.data.milestone?.number).toBe(1);
    const issue = { ...repo, issue_number: issueNumber };
    expect((await bot.rest.issues.get(issue)).data.title).toBe('First bug');
    expect((await bot.rest.issues.listForRepo(repo)).data.map((i) => i.number)).toEqual([issueNumber]);
    const closed = await bot.rest.issues.update({ ...issue, state: 'closed', state_reason: 'not_planned', title: 'First bug (renamed)' });
    expect(closed.data.state).toBe('closed');
    expect(closed.data.state_reason).toBe('not_planned');
    expect(closed.data.closed_by?.login).toBe('asym-bot');
    expect(closed.data.closed_at).toBeString();
    const reopened = await bot.rest.issues.update({ ...issue, state: 'open' });
    expect(reopened.data.state_reason).toBe('reopened');
    expect(reopened.data.closed_at).toBeNull();
    expect((await bot.rest.issues.list({ filter: 'all', state: 'all' })).data.some((i) => i.number === issueNumber && i.repository?.name === mine)).toBe(true);
    expect((await bot.rest.issues.listForAuthenticatedUser({ filter: 'assigned' })).data.some((i) => i.title === 'First bug (renamed)')).toBe(true);
    await bot.rest.issues.create({ owner: 'acme', repo: orgRepo, title: 'org issue', assignees: ['asym-bot'] });
    expect((await bot.rest.issues.listForOrg({ org: 'acme', filter: 'assigned' })).data.map((i) => i.title)).toContain('org issue');
    expect((await bot.rest.issues.lock({ ...issue, lock_reason: 'resolved' })).status).toBe(204);
    expect((await bot.rest.issues.get(issue)).data.active_lock_reason).toBe('resolved');
    expect((await bot.rest.issues.unlock(issue)).status).toBe(204);
    expect((await bot.rest.issues.get(issue)).data.locked).toBe(false);
  });

  test('comments and reactions', async () => {
    const repo = { owner: 'asym-bot', repo: mine };
    const issue = { ...repo, issue_number: issueNumber };
    const c = await bot.rest.issues.createComment({ ...issue, body: 'first comment' });
    expect(c.status).toBe(201);
    commentId = c.data.id;
    await adminKit.rest.issues.createComment({ ...issue, body: 'second comment' });
    expect((await bot.rest.issues.get(issue)).data.comments).toBe(2);
    expect((await bot.rest.issues.listComments(issue)).data.map((x) => x.body)).toEqual(['first comment', 'second comment']);
    expect((await bot.rest.issues.listCommentsForRepo(repo)).data.length).toBe(2);
    expect((await bot.rest.issues.getComment({ ...repo, comment_id: commentId })).data.body).toBe('first comment');
    expect((await bot.rest.issues.updateComment({ ...repo, comment_id: commentId, body: 'edited' })).data.body).toBe('edited');

    const r1 = await bot.rest.reactions.createForIssue({ ...issue, content: 'heart' });
    expect(r1.status).toBe(201);
    expect((await bot.rest.reactions.createForIssue({ ...issue, content: 'heart' })).status).toBe(200);
    expect((await bot.rest.reactions.listForIssue(issue)).data.map((r) => r.content)).toEqual(['heart']);
    expect((await bot.rest.issues.get(issue)).data.reactions?.heart).toBe(1);
    expect((await bot.rest.reactions.deleteForIssue({ ...issue, reaction_id: r1.data.id })).status).toBe(204);
    const r2 = await bot.rest.reactions.createForIssueComment({ ...repo, comment_id: commentId, content: '+1' });
    expect(r2.status).toBe(201);
    expect((await bot.rest.reactions.listForIssueComment({ ...repo, comment_id: commentId })).data.length).toBe(1);
    expect((await bot.rest.reactions.deleteForIssueComment({ ...repo, comment_id: commentId, reaction_id: r2.data.id })).status).toBe(204);
  });

  test('labels on an issue, assignees', async () => {
    const repo = { owner: 'asym-bot', repo: mine };
    const issue = { ...repo, issue_number: issueNumber };
    expect((await bot.rest.issues.listLabelsOnIssue(issue)).data.map((l) => l.name)).toEqual(['bug', 'needs triage']);
    expect((await bot.rest.issues.addLabels({ ...issue, labels: ['enhancement'] })).data.map((l) => l.name)).toEqual(['bug', 'enhancement', 'needs triage']);
    expect((await bot.rest.issues.setLabels({ ...issue, labels: ['question', 'bug'] })).data.map((l) => l.name)).toEqual(['bug', 'question']);
    expect((await bot.rest.issues.removeLabel({ ...issue, name: 'question' })).data.map((l) => l.name)).toEqual(['bug']);
    expect((await bot.rest.issues.listLabelsForMilestone({ ...repo, milestone_number: 1 })).data.map((l) => l.name)).toEqual(['bug']);
    expect((await bot.rest.issues.removeAllLabels(issue)).status as number).toBe(204);
    expect((await bot.rest.issues.listLabelsOnIssue(issue)).data).toEqual([]);

    expect((await bot.rest.issues.listAssignees(repo)).data.map((u) => u.login)).toEqual(['asym-bot']);
    expect((await bot.rest.issues.checkUserCanBeAssigned({ ...repo, assignee: 'asym-bot' })).status).toBe(204);
    expect((await bot.rest.issues.checkUserCanBeAssignedToIssue({ ...issue, assignee: 'asym-bot' })).status).toBe(204);
    expect((await bot.rest.issues.removeAssignees({ ...issue, assignees: ['asym-bot'] })).data.assignees).toEqual([]);
    const added = await bot.rest.issues.addAssignees({ ...issue, assignees: ['asym-bot'] });
    expect(added.status).toBe(201);
    expect(added.data.assignees?.map((a) => a.login)).toEqual(['asym-bot']);
  });

  test('events and search', async () => {
    const repo = { owner: 'asym-bot', repo: mine };
    const events = await bot.rest.issues.listEvents({ ...repo, issue_number: issueNumber });
    const kinds = events.data.map((e) => ('event' in e ? e.event : ''));
    expect(kinds).toEqual(expect.arrayContaining(['labeled', 'assigned', 'milestoned', 'renamed', 'closed', 'reopened', 'locked', 'unlocked', 'unlabeled', 'unassigned']));
    const forRepo = await bot.rest.issues.listEventsForRepo(repo);
    expect(forRepo.data.length).toBe(events.data.length);
    const one = await bot.rest.issues.getEvent({ ...repo, event_id: forRepo.data[0]!.id });
    expect(one.data.issue?.number).toBe(issueNumber);

    const found = await bot.rest.search.issuesAndPullRequests({ q: `repo:asym-bot/${mine} is:issue is:open renamed in:title` });
    expect(found.data.total_count).toBe(1);
    expect(found.data.items[0]!.number).toBe(issueNumber);
  });

  test('sub-issues, dependencies, timeline, pinned comments', async () => {
    const repo = { owner: 'asym-bot', repo: mine };
    const parent = { ...repo, issue_number: issueNumber };
    const a = (await bot.rest.issues.create({ ...repo, title: 'sub a' })).data;
    const b = (await bot.rest.issues.create({ ...repo, title: 'sub b' })).data;
    const blocker = (await bot.rest.issues.create({ ...repo, title: 'blocker' })).data;
    const added = await bot.rest.issues.addSubIssue({ ...parent, sub_issue_id: a.id });
    expect(added.status).toBe(201);
    expect(added.data.sub_issues_summary).toEqual({ total: 1, completed: 0, percent_completed: 0 });
    await bot.rest.issues.addSubIssue({ ...parent, sub_issue_id: b.id });
    expect((await bot.rest.issues.listSubIssues(parent)).data.map((i) => i.number)).toEqual([a.number, b.number]);
    expect((await bot.rest.issues.reprioritizeSubIssue({ ...parent, sub_issue_id: b.id, before_id: a.id })).status).toBe(200);
    expect((await bot.rest.issues.listSubIssues(parent)).data.map((i) => i.number)).toEqual([b.number, a.number]);
    expect((await bot.rest.issues.getParent({ ...repo, issue_number: a.number })).data.number).toBe(issueNumber);
    expect((await bot.rest.issues.removeSubIssue({ ...parent, sub_issue_id: b.id })).data.sub_issues_summary?.total).toBe(1);

    const dep = await bot.rest.issues.addBlockedByDependency({ ...parent, issue_id: blocker.id });
    expect(dep.status).toBe(201);
    expect(dep.data.number).toBe(blocker.number);
    expect((await bot.rest.issues.listDependenciesBlockedBy(parent)).data.map((i) => i.number)).toEqual([blocker.number]);
    expect((await bot.rest.issues.listDependenciesBlocking({ ...repo, issue_number: blocker.number })).data.map((i) => i.number)).toEqual([issueNumber]);
    expect((await bot.rest.issues.get(parent)).data.issue_dependencies_summary).toEqual({ blocked_by: 1, blocking: 0, total_blocked_by: 1, total_blocking: 0 });
    expect((await bot.rest.issues.removeDependencyBlockedBy({ ...parent, issue_id: blocker.id })).data.number).toBe(blocker.number);

    const pinned = await bot.request('PUT /repos/{owner}/{repo}/issues/comments/{comment_id}/pin', { ...repo, comment_id: commentId });
    expect(pinned.data.pin?.pinned_by?.login).toBe('asym-bot');
    expect(((await bot.rest.issues.get(parent)).data as { pinned_comment?: { id: number } }).pinned_comment?.id).toBe(commentId);
    expect((await bot.request('DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}/pin', { ...repo, comment_id: commentId })).status).toBe(204);

    const timeline = await bot.rest.issues.listEventsForTimeline({ ...parent, per_page: 100 });
    const kinds = timeline.data.map((e) => ('event' in e ? e.event : ''));
    expect(kinds).toEqual(expect.arrayContaining(['labeled', 'assigned', 'milestoned', 'renamed', 'closed', 'reopened', 'locked', 'commented', 'sub_issue_added', 'blocked_by_added']));
  });

  test('accounts, stars, follows, memberships, repository and user search', async () => {
    const users = await bot.rest.users.list({ per_page: 2 });
    expect(users.data.length).toBe(2);
    expect(users.headers.link).toContain('since=');
    expect((await bot.rest.users.getById({ account_id: Number(clone.tokens.botUserId) })).data.login).toBe('asym-bot');

    const repo = { owner: 'asym-bot', repo: mine };
    expect((await bot.rest.activity.starRepoForAuthenticatedUser(repo)).status).toBe(204);
    expect((await bot.rest.activity.checkRepoIsStarredByAuthenticatedUser(repo)).status).toBe(204);
    expect((await bot.rest.repos.get(repo)).data.stargazers_count).toBe(1);
    expect((await bot.rest.activity.listReposStarredByAuthenticatedUser()).data.map((r) => r.name)).toEqual([mine]);
    expect((await bot.rest.activity.listReposStarredByUser({ username: 'asym-bot' })).data.map((r) => ('repo' in r ? r.repo.name : r.name))).toEqual([mine]);
    expect((await bot.rest.activity.unstarRepoForAuthenticatedUser(repo)).status).toBe(204);
    expect((await bot.rest.repos.get(repo)).data.stargazers_count).toBe(0);

    expect((await bot.rest.users.follow({ username: 'asym-admin' })).status).toBe(204);
    expect((await bot.rest.users.checkPersonIsFollowedByAuthenticated({ username: 'asym-admin' })).status).toBe(204);
    expect((await bot.rest.users.checkFollowingForUser({ username: 'asym-bot', target_user: 'asym-admin' })).status).toBe(204);
    expect((await bot.rest.users.listFollowedByAuthenticatedUser()).data.map((u) => u.login)).toEqual(['asym-admin']);
    expect((await adminKit.rest.users.listFollowersForAuthenticatedUser()).data.map((u) => u.login)).toEqual(['asym-bot']);
    expect((await bot.rest.users.listFollowersForUser({ username: 'asym-admin' })).data.map((u) => u.login)).toEqual(['asym-bot']);
    expect((await bot.rest.users.listFollowingForUser({ username: 'asym-bot' })).data.map((u) => u.login)).toEqual(['asym-admin']);
    expect((await bot.rest.users.getByUsername({ username: 'asym-admin' })).data.followers).toBe(1);
    expect((await bot.rest.users.unfollow({ username: 'asym-admin' })).status).toBe(204);

    expect((await bot.rest.orgs.listMembershipsForAuthenticatedUser()).data.map((m) => [m.organization.login, m.role])).toEqual([['acme', 'member']]);
    expect((await adminKit.rest.orgs.getMembershipForAuthenticatedUser({ org: 'acme' })).data.role).toBe('admin');

    const repos = await bot.rest.search.repos({ q: `${mine} in:name user:asym-bot` });
    expect(repos.data.items.map((r) => r.name)).toEqual([mine]);
    const people = await bot.rest.search.users({ q: 'asym in:login type:user' });
    expect(people.data.items.map((u) => u.login).sort()).toEqual(['asym-admin', 'asym-bot']);
  });

  test('blocks, public repositories, emails, SSH, signing and GPG keys, social accounts, interaction limits', async () => {
    expect((await bot.rest.users.block({ username: 'asym-admin' })).status).toBe(204);
    expect((await bot.rest.users.checkBlocked({ username: 'asym-admin' })).status).toBe(204);
    expect((await bot.rest.users.listBlockedByAuthenticatedUser()).data.map((u) => u.login)).toEqual(['asym-admin']);
    expect((await bot.rest.users.unblock({ username: 'asym-admin' })).status).toBe(204);

    expect((await bot.rest.repos.listPublic()).data.map((r) => r.name)).toContain(mine);

    const address = `${mine}@example.test`;
    expect((await bot.rest.users.addEmailForAuthenticatedUser({ emails: [address] })).status).toBe(201);
    expect((await bot.rest.users.listEmailsForAuthenticatedUser()).data.map((e) => e.email)).toContain(address);
    expect((await bot.rest.users.setPrimaryEmailVisibilityForAuthenticatedUser({ visibility: 'public' })).data.some((e) => e.primary && e.visibility === 'public')).toBe(true);
    expect((await bot.rest.users.listPublicEmailsForAuthenticatedUser()).data).toHaveLength(1);
    expect((await bot.rest.users.deleteEmailForAuthenticatedUser({ emails: [address] })).status).toBe(204);

    const raw = generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
    const str = (b: Buffer) => Buffer.concat([Buffer.from([0, 0, 0, b.length]), b]);
    const key = `ssh-ed25519 ${Buffer.concat([str(Buffer.from('ssh-ed25519')), str(raw)]).toString('base64')}`;
    const auth = (await bot.rest.users.createPublicSshKeyForAuthenticatedUser({ title: 'conf', key })).data;
    expect((await bot.rest.users.getPublicSshKeyForAuthenticatedUser({ key_id: auth.id })).data.key).toBe(key);
    expect((await bot.rest.users.listPublicSshKeysForAuthenticatedUser()).data.map((k) => k.id)).toEqual([auth.id]);
    expect((await bot.rest.users.listPublicKeysForUser({ username: 'asym-bot' })).data.map((k) => k.id)).toEqual([auth.id]);
    expect((await bot.rest.users.deletePublicSshKeyForAuthenticatedUser({ key_id: auth.id })).status).toBe(204);
    const signing = (await bot.rest.users.createSshSigningKeyForAuthenticatedUser({ title: 'conf', key })).data;
    expect((await bot.rest.users.getSshSigningKeyForAuthenticatedUser({ ssh_signing_key_id: signing.id })).data.key).toBe(key);
    expect((await bot.rest.users.listSshSigningKeysForAuthenticatedUser()).data.map((k) => k.id)).toEqual([signing.id]);
    expect((await bot.rest.users.listSshSigningKeysForUser({ username: 'asym-bot' })).data.map((k) => k.id)).toEqual([signing.id]);
    expect((await bot.rest.users.deleteSshSigningKeyForAuthenticatedUser({ ssh_signing_key_id: signing.id })).status).toBe(204);

    const armored = GPG_ED25519;
    const gpg = (await bot.rest.users.createGpgKeyForAuthenticatedUser({ name: 'conf', armored_public_key: armored })).data;
    expect((await bot.rest.users.getGpgKeyForAuthenticatedUser({ gpg_key_id: gpg.id })).data.key_id).toBe('AADB792634AFE2D3');
    expect((await bot.rest.users.listGpgKeysForAuthenticatedUser()).data.map((k) => k.id)).toEqual([gpg.id]);
    expect((await bot.rest.users.listGpgKeysForUser({ username: 'asym-bot' })).data.map((k) => k.id)).toEqual([gpg.id]);
    expect((await bot.rest.users.deleteGpgKeyForAuthenticatedUser({ gpg_key_id: gpg.id })).status).toBe(204);

    expect((await bot.rest.users.addSocialAccountForAuthenticatedUser({ account_urls: ['https://twitter.com/asym'] })).data).toEqual([{ provider: 'twitter', url: 'https://twitter.com/asym' }]);
    expect((await bot.rest.users.listSocialAccountsForAuthenticatedUser()).data).toHaveLength(1);
    expect((await bot.rest.users.listSocialAccountsForUser({ username: 'asym-bot' })).data).toHaveLength(1);
    expect((await bot.rest.users.deleteSocialAccountForAuthenticatedUser({ account_urls: ['https://twitter.com/asym'] })).status).toBe(204);

    expect((await bot.rest.interactions.setRestrictionsForAuthenticatedUser({ limit: 'contributors_only' })).data.limit).toBe('contributors_only');
    expect((await bot.rest.interactions.getRestrictionsForAuthenticatedUser()).data).toMatchObject({ limit: 'contributors_only', origin: 'user' });
    expect((await bot.rest.interactions.removeRestrictionsForAuthenticatedUser()).status).toBe(204);
  });

  test('contents, refs, pull requests and reviews', async () => {
    const o = { owner: 'acme', repo: orgRepo };
    const b64 = (t: string) => Buffer.from(t).toString('base64');
    const first = (await bot.rest.repos.createOrUpdateFileContents({ ...o, path: 'README.md', message: 'first', content: b64('a\n') })).data;
    expect(first.commit.parents).toEqual([]);
    expect((await bot.rest.repos.getContent({ ...o, path: 'README.md' })).data).toMatchObject({ path: 'README.md', sha: first.content!.sha });
    expect((await bot.rest.git.getRef({ ...o, ref: 'heads/main' })).data.object.sha).toBe(first.commit.sha!);
    expect((await bot.rest.git.createRef({ ...o, ref: 'refs/heads/topic', sha: first.commit.sha! })).status).toBe(201);
    await bot.rest.repos.createOrUpdateFileContents({ ...o, path: 'b.txt', message: 'add b', content: b64('b\n'), branch: 'topic' });
    const created = (await bot.rest.pulls.create({ ...o, head: 'topic', base: 'main', title: 'Topic' })).data;
    const pr = { ...o, pull_number: created.number };
    expect((await bot.rest.pulls.get(pr)).data.commits).toBe(1);
    expect((await bot.rest.pulls.list(o)).data.map((p) => p.number)).toEqual([created.number]);
    expect((await bot.rest.pulls.update({ ...pr, body: 'about' })).data.body).toBe('about');
    expect((await bot.rest.pulls.listCommits(pr)).data.map((c) => c.commit.message)).toEqual(['add b']);
    expect((await bot.rest.pulls.listFiles(pr)).data.map((f) => f.filename)).toEqual(['b.txt']);
    expect((await bot.rest.pulls.requestReviewers({ ...pr, reviewers: ['asym-admin'] })).status).toBe(201);
    expect((await bot.rest.pulls.listRequestedReviewers(pr)).data.users.map((u) => u.login)).toEqual(['asym-admin']);
    expect((await bot.rest.pulls.removeRequestedReviewers({ ...pr, reviewers: ['asym-admin'] })).data.requested_reviewers).toEqual([]);
    const pending = (await adminKit.rest.pulls.createReview({ ...pr, body: 'hm' })).data;
    expect((await adminKit.rest.pulls.updateReview({ ...pr, review_id: pending.id, body: 'ok' })).data.body).toBe('ok');
    expect((await adminKit.rest.pulls.submitReview({ ...pr, review_id: pending.id, event: 'APPROVE' })).data.state).toBe('APPROVED');
    expect((await bot.rest.pulls.getReview({ ...pr, review_id: pending.id })).data.state).toBe('APPROVED');
    expect((await bot.rest.pulls.listReviews(pr)).data).toHaveLength(1);
    expect((await bot.rest.pulls.dismissReview({ ...pr, review_id: pending.id, message: 'stale' })).data.state).toBe('DISMISSED');
    const scratch = (await adminKit.rest.pulls.createReview({ ...pr })).data;
    expect((await adminKit.rest.pulls.deletePendingReview({ ...pr, review_id: scratch.id })).data.id).toBe(scratch.id);
    const head = (await bot.rest.pulls.get(pr)).data.head.sha;
    const rc = (await adminKit.rest.pulls.createReviewComment({ ...pr, body: 'nit', commit_id: head, path: 'b.txt', line: 1 })).data;
    expect((await bot.rest.pulls.createReplyForReviewComment({ ...pr, comment_id: rc.id, body: 'ok' })).data.in_reply_to_id).toBe(rc.id);
    expect((await bot.rest.pulls.listReviewComments(pr)).data).toHaveLength(2);
    expect((await bot.rest.pulls.listReviewCommentsForRepo(o)).data).toHaveLength(2);
    expect((await bot.rest.pulls.listCommentsForReview({ ...pr, review_id: rc.pull_request_review_id! })).data).toHaveLength(1);
    expect((await adminKit.rest.pulls.updateReviewComment({ ...o, comment_id: rc.id, body: 'nit!' })).data.body).toBe('nit!');
    expect((await bot.rest.pulls.getReviewComment({ ...o, comment_id: rc.id })).data.line).toBe(1);
    expect((await adminKit.rest.pulls.deleteReviewComment({ ...o, comment_id: rc.id })).status).toBe(204);
    const side = (await bot.rest.repos.createOrUpdateFileContents({ ...o, path: 'side.txt', message: 'side', content: b64('s\n') })).data;
    expect((await bot.rest.pulls.updateBranch(pr)).status).toBe(202);
    expect((await bot.rest.repos.deleteFile({ ...o, path: 'side.txt', message: 'drop side', sha: side.content!.sha! })).data.content).toBeNull();
    expect((await bot.rest.pulls.merge(pr)).data.merged).toBe(true);
    expect((await bot.rest.pulls.checkIfMerged(pr)).status).toBe(204);
    expect((await bot.rest.git.deleteRef({ ...o, ref: 'heads/topic' })).status).toBe(204);
  });

  test('deletes', async () => {
    const repo = { owner: 'asym-bot', repo: mine };
    expect((await bot.rest.issues.deleteComment({ ...repo, comment_id: commentId })).status).toBe(204);
    expect((await bot.rest.issues.get({ ...repo, issue_number: issueNumber })).data.comments).toBe(1);
    expect((await bot.rest.issues.deleteLabel({ ...repo, name: 'needs triage' })).status).toBe(204);
    expect((await bot.rest.issues.deleteMilestone({ ...repo, milestone_number: 1 })).status).toBe(204);
    expect((await bot.rest.repos.delete({ owner: 'acme', repo: orgRepo }).catch((e) => e)).status).toBe(403);
    expect((await adminKit.rest.repos.delete({ owner: 'acme', repo: orgRepo })).status).toBe(204);
    expect((await bot.rest.repos.delete(repo)).status).toBe(204);
  });

  test('user extras: codespaces, activity, issue fields and suggestions, memberships', () => callExtrasA(clone, bot, rec));
  test('account-level: packages', () => packagesConformance(clone, bot, adminKit));
  test('account-level: projects', () => projectsConformance(clone, bot, adminKit));
  test('account-level: migrations', () => migrationsConformance(clone, bot));
  test('account-level: attestations', () => attestationsConformance(clone, bot));
  test('account-level: billing', () => billingConformance(clone, bot));
  test('repository invitations', () => invitationsConformance(clone, bot, rec));
  test('GitHub App: installations, marketplace', () => appsConformance(clone, rec));

  test('every implemented operation was called and its response validates', () => {
    const implemented = operations.filter((o) => o.implemented).map((o) => `${o.method} ${o.path}`);
    const called = new Set(rec.map((r) => r.key));
    expect(implemented.filter((k) => !called.has(k))).toEqual([]);
    const failures = rec.flatMap((r) => schemaErrors(r).map((e) => `${r.key}: ${e}`));
    expect(failures).toEqual([]);
    expect(rec.length).toBeGreaterThan(implemented.length);
  });
});

describe('templates/github/verify/shapes.json', () => {
  test('holds a schema entry for every implemented operation', () => {
    const implemented = operations.filter((o) => o.implemented).map((o) => `${o.method} ${o.path}`);
    const table = require('../../templates/github/verify/shapes.json') as Record<string, unknown>;
    expect(implemented.filter((k) => !(k in table))).toEqual([]);
  });
});
