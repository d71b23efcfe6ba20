import { Octokit } from '@octokit/rest';
import { stepFailed, type Scenario } from '../types.ts';

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * Drives every implemented operation of templates/github/operations.json. Provision makes
 * the org `acme`, its admin `asym-admin` (userToken) and the member `asym-bot` (botToken);
 * everything else (repos, labels, milestones, issues, comments, reactions) is created here.
 */
export const scenario: Scenario = async (ctx) => {
  const kit = (auth: string) => new Octokit({ auth, baseUrl: ctx.apiUrl, log: quiet, request: { retries: 0 } });
  const tokens = ctx.clone.tokens;
  const bot = kit(tokens.botToken);
  const adminKit = kit(tokens.userToken);
  const me = 'asym-bot';
  const org = tokens.workspaceId;
  const repo = { owner: me, repo: `verify-${ctx.unique}` };
  const orgRepo = { owner: org, repo: `verify-org-${ctx.unique}` };
  let milestone = 0;
  let issue = { ...repo, issue_number: 0 };
  let commentId = 0;

  await ctx.step('users and organisations', async () => {
    await bot.rest.users.getAuthenticated();
    await bot.rest.users.getByUsername({ username: 'asym-admin' });
    await bot.rest.users.updateAuthenticated({ bio: `verify ${ctx.unique}` });
    await bot.rest.orgs.listForAuthenticatedUser();
    await bot.rest.orgs.listForUser({ username: 'asym-admin' });
    await bot.rest.orgs.get({ org });
  });

  await ctx.step('repositories', async () => {
    await bot.rest.repos.createForAuthenticatedUser({ name: repo.repo, description: 'asym verify', auto_init: true });
    await bot.rest.repos.createInOrg({ org, name: orgRepo.repo, private: true });
    await bot.rest.repos.get(repo);
    await bot.rest.repos.update({ ...repo, homepage: 'https://example.test', has_wiki: false });
    await bot.rest.repos.listForUser({ username: me });
    await bot.rest.repos.listForOrg({ org });
    await bot.rest.repos.listForAuthenticatedUser();
    await bot.rest.repos.replaceAllTopics({ ...repo, names: ['agents', 'testing'] });
    await bot.rest.repos.getAllTopics(repo);
    await bot.rest.repos.listLanguages(repo);
    await bot.rest.repos.listContributors(repo);
    await bot.rest.repos.listBranches(repo);
    await bot.rest.repos.getBranch({ ...repo, branch: 'main' });
  });

  await ctx.step('labels', async () => {
    await bot.rest.issues.listLabelsForRepo(repo);
    await bot.rest.issues.createLabel({ ...repo, name: 'triage', color: 'ff0000', description: 'needs triage' });
    await bot.rest.issues.getLabel({ ...repo, name: 'triage' });
    await bot.rest.issues.updateLabel({ ...repo, name: 'triage', new_name: 'needs triage', color: '00ff00' });
  });

  await ctx.step('milestones', async () => {
    milestone = (await bot.rest.issues.createMilestone({ ...repo, title: 'v1.0', due_on: '2030-01-01T00:00:00Z', description: 'first' })).data.number;
    await bot.rest.issues.getMilestone({ ...repo, milestone_number: milestone });
    await bot.rest.issues.updateMilestone({ ...repo, milestone_number: milestone, description: 'first release' });
    await bot.rest.issues.listMilestones(repo);
  });

  await ctx.step('issues', async () => {
    const created = await bot.rest.issues.create({ ...repo, title: 'First bug', body: 'it breaks', labels: ['bug'], assignees: [me], ...(milestone ? { milestone } : {}) });
    issue = { ...repo, issue_number: created.data.number };
    await bot.rest.issues.get(issue);
    await bot.rest.issues.listForRepo(repo);
    await bot.rest.issues.update({ ...issue, state: 'closed', state_reason: 'not_planned', title: 'First bug (renamed)' });
    await bot.rest.issues.update({ ...issue, state: 'open' });
    await bot.rest.issues.list({ filter: 'all', state: 'all' });
    await bot.rest.issues.listForAuthenticatedUser({ filter: 'assigned' });
    await bot.rest.issues.create({ ...orgRepo, title: 'org issue', assignees: [me] });
    await bot.rest.issues.listForOrg({ org, filter: 'assigned' });
    await bot.rest.issues.lock({ ...issue, lock_reason: 'resolved' });
    await bot.rest.issues.unlock(issue);
  });

  await ctx.step('comments', async () => {
    commentId = (await bot.rest.issues.createComment({ ...issue, body: 'first comment' })).data.id;
    await adminKit.rest.issues.createComment({ ...issue, body: 'second comment' });
    await bot.rest.issues.listComments(issue);
    await bot.rest.issues.listCommentsForRepo(repo);
    await bot.rest.issues.getComment({ ...repo, comment_id: commentId });
    await bot.rest.issues.updateComment({ ...repo, comment_id: commentId, body: 'edited' });
  });

  await ctx.step('reactions', async () => {
    const onIssue = await bot.rest.reactions.createForIssue({ ...issue, content: 'heart' });
    await bot.rest.reactions.listForIssue(issue);
    await bot.rest.reactions.deleteForIssue({ ...issue, reaction_id: onIssue.data.id });
    const onComment = await bot.rest.reactions.createForIssueComment({ ...repo, comment_id: commentId, content: '+1' });
    await bot.rest.reactions.listForIssueComment({ ...repo, comment_id: commentId });
    await bot.rest.reactions.deleteForIssueComment({ ...repo, comment_id: commentId, reaction_id: onComment.data.id });
  });

  await ctx.step('labels on an issue', async () => {
    await bot.rest.issues.listLabelsOnIssue(issue);
    await bot.rest.issues.addLabels({ ...issue, labels: ['enhancement', 'needs triage'] });
    await bot.rest.issues.setLabels({ ...issue, labels: ['question', 'bug'] });
    await bot.rest.issues.removeLabel({ ...issue, name: 'question' });
    if (milestone) await bot.rest.issues.listLabelsForMilestone({ ...repo, milestone_number: milestone });
    await bot.rest.issues.removeAllLabels(issue);
  });

  await ctx.step('assignees', async () => {
    await bot.rest.issues.listAssignees(repo);
    await bot.rest.issues.checkUserCanBeAssigned({ ...repo, assignee: me });
    await bot.rest.issues.checkUserCanBeAssignedToIssue({ ...issue, assignee: me });
    await bot.rest.issues.removeAssignees({ ...issue, assignees: [me] });
    await bot.rest.issues.addAssignees({ ...issue, assignees: [me] });
  });

  await ctx.step('events and search', async () => {
    await bot.rest.issues.listEvents(issue);
    const events = await bot.rest.issues.listEventsForRepo(repo);
    const first = events.data[0];
    if (!first) throw stepFailed('no issue events recorded for the repository');
    await bot.rest.issues.getEvent({ ...repo, event_id: first.id });
    await bot.rest.search.issuesAndPullRequests({ q: `repo:${repo.owner}/${repo.repo} is:issue renamed in:title` });
  });

  await ctx.step('sub-issues and dependencies', async () => {
    const sub = (await bot.rest.issues.create({ ...repo, title: 'sub-issue' })).data;
    const sub2 = (await bot.rest.issues.create({ ...repo, title: 'second sub-issue' })).data;
    const blocker = (await bot.rest.issues.create({ ...repo, title: 'blocker' })).data;
    await bot.rest.issues.addSubIssue({ ...issue, sub_issue_id: sub.id });
    await bot.rest.issues.addSubIssue({ ...issue, sub_issue_id: sub2.id });
    await bot.rest.issues.listSubIssues(issue);
    await bot.rest.issues.reprioritizeSubIssue({ ...issue, sub_issue_id: sub2.id, before_id: sub.id });
    const parent = await bot.rest.issues.getParent({ ...repo, issue_number: sub.number });
    if (parent.data.number !== issue.issue_number) throw stepFailed(`parent of #${sub.number} is #${parent.data.number}, not #${issue.issue_number}`);
    await bot.rest.issues.removeSubIssue({ ...issue, sub_issue_id: sub2.id });
    await bot.rest.issues.addBlockedByDependency({ ...issue, issue_id: blocker.id });
    await bot.rest.issues.listDependenciesBlockedBy(issue);
    const blocking = await bot.rest.issues.listDependenciesBlocking({ ...repo, issue_number: blocker.number });
    if (!blocking.data.some((i) => i.number === issue.issue_number)) throw stepFailed('the blocker does not list the issue it blocks');
    await bot.rest.issues.removeDependencyBlockedBy({ ...issue, issue_id: blocker.id });
  });

  await ctx.step('pinned comments and timeline', async () => {
    if (!commentId) throw stepFailed('no comment to pin');
    await bot.request('PUT /repos/{owner}/{repo}/issues/comments/{comment_id}/pin', { ...repo, comment_id: commentId });
    await bot.request('DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}/pin', { ...repo, comment_id: commentId });
    await bot.rest.issues.listEventsForTimeline(issue);
  });

  await ctx.step('accounts and memberships', async () => {
    await bot.rest.users.list({ per_page: 5 });
    await bot.rest.users.getById({ account_id: Number(tokens.botUserId) });
    await bot.rest.orgs.listMembershipsForAuthenticatedUser();
    await bot.rest.orgs.getMembershipForAuthenticatedUser({ org });
  });

  await ctx.step('stars', async () => {
    await bot.rest.activity.starRepoForAuthenticatedUser(repo);
    await bot.rest.activity.checkRepoIsStarredByAuthenticatedUser(repo);
    await bot.rest.activity.listReposStarredByAuthenticatedUser();
    await bot.rest.activity.listReposStarredByUser({ username: me });
    await bot.rest.activity.unstarRepoForAuthenticatedUser(repo);
  });

  await ctx.step('follows', async () => {
    await bot.rest.users.follow({ username: 'asym-admin' });
    await bot.rest.users.checkPersonIsFollowedByAuthenticated({ username: 'asym-admin' });
    await bot.rest.users.checkFollowingForUser({ username: me, target_user: 'asym-admin' });
    await bot.rest.users.listFollowedByAuthenticatedUser();
    await adminKit.rest.users.listFollowersForAuthenticatedUser();
    await bot.rest.users.listFollowersForUser({ username: 'asym-admin' });
    await bot.rest.users.listFollowingForUser({ username: me });
    await bot.rest.users.unfollow({ username: 'asym-admin' });
  });

  await ctx.step('repository and user search', async () => {
    await bot.rest.search.repos({ q: `${repo.repo} in:name user:${me}` });
    await bot.rest.search.users({ q: 'asym in:login type:user' });
  });

  await ctx.step('deletes', async () => {
    if (commentId) await bot.rest.issues.deleteComment({ ...repo, comment_id: commentId });
    await bot.rest.issues.deleteLabel({ ...repo, name: 'needs triage' });
    if (milestone) await bot.rest.issues.deleteMilestone({ ...repo, milestone_number: milestone });
    await adminKit.rest.repos.delete(orgRepo);
    await bot.rest.repos.delete(repo);
  });
};
