import { generateKeyPairSync } from 'node:crypto';
import { is, stepFailed, type Scenario } from '../../../src/verify/types.ts';
import { octokitAt, statusOf } from './octokit.ts';
import { GPG_ED25519 } from './gpg-key.ts';
import { scenarioA } from './scenario-a.ts';
import { accountScenario } from './scenario-b.ts';
import { invitationsScenario } from './scenario-invitations.ts';
import { appsScenario } from './scenario-apps.ts';


/** A fresh ed25519 public key in OpenSSH format (keys are unique per account on GitHub). */
function sshKey(): string {
  const raw = generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  const str = (b: Buffer) => Buffer.concat([Buffer.from([0, 0, 0, b.length]), b]);
  return `ssh-ed25519 ${Buffer.concat([str(Buffer.from('ssh-ed25519')), str(raw)]).toString('base64')}`;
}

/**
 * Drives every implemented operation of templates/github/operations.json. Provision makes
 * the org `acme`, its admin `asym-admin` (userToken) and the member `asym-bot` (botToken);
 * everything else (repos, labels, milestones, issues, comments, reactions) is created here.
 */
export const scenario: Scenario = async (ctx) => {
  const kit = (auth?: string) => octokitAt(ctx.apiUrl, auth);
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
  const R = (m: string, rest = '') => `${m} /repos/{owner}/{repo}${rest}`;
  const I = (m: string, rest = '') => R(m, `/issues/{issue_number}${rest}`);
  const names = (xs: Array<{ name?: string }>) => xs.map((x) => x.name).sort().join();

  await ctx.step('users and organisations', async () => {
    const self = (await bot.rest.users.getAuthenticated()).data;
    await ctx.check('GET /user', 'the token\'s user', () => is(self.login === me && String(self.id) === tokens.botUserId, `${self.login} ${self.id}`));
    const other = (await bot.rest.users.getByUsername({ username: 'asym-admin' })).data;
    await ctx.check('GET /users/{username}', 'the user asked for', () => is(other.login === 'asym-admin', other.login));
    await bot.rest.users.updateAuthenticated({ bio: `verify ${ctx.unique}` });
    await ctx.check('PATCH /user', 'the bio reads back', async () => is((await bot.rest.users.getAuthenticated()).data.bio === `verify ${ctx.unique}`, 'bio not set'));
    const mine = (await bot.rest.orgs.listForAuthenticatedUser()).data;
    const theirs = (await bot.rest.orgs.listForUser({ username: 'asym-admin' })).data;
    await ctx.check(['GET /user/orgs', 'GET /users/{username}/orgs'], 'both belong to the org', () => is(mine.some((o) => o.login === org) && theirs.some((o) => o.login === org), `${mine.map((o) => o.login)} / ${theirs.map((o) => o.login)}`));
    const o = (await bot.rest.orgs.get({ org })).data;
    await ctx.check('GET /orgs/{org}', 'the org asked for', () => is(o.login === org, o.login));
  });

  await ctx.step('repositories', async () => {
    await bot.rest.repos.createForAuthenticatedUser({ name: repo.repo, description: 'asym verify', auto_init: true });
    await ctx.errorCase('POST /user/repos', 'name already exists', { status: 422, code: 'Repository creation failed.' }, () => bot.rest.repos.createForAuthenticatedUser({ name: repo.repo }));
    await bot.rest.repos.createInOrg({ org, name: orgRepo.repo, private: true });
    const got = (await bot.rest.repos.get(repo)).data;
    await ctx.check(['POST /user/repos', 'GET /repos/{owner}/{repo}'], 'the repository created is the one read', () => is(got.full_name === `${me}/${repo.repo}` && got.description === 'asym verify' && got.owner.login === me && got.default_branch === 'main', JSON.stringify(got).slice(0, 160)));
    await bot.rest.repos.update({ ...repo, homepage: 'https://example.test', has_wiki: false });
    await ctx.check('PATCH /repos/{owner}/{repo}', 'the update reads back', async () => { const r = (await bot.rest.repos.get(repo)).data; is(r.homepage === 'https://example.test' && r.has_wiki === false, `${r.homepage} ${r.has_wiki}`); });
    const forUser = (await bot.rest.repos.listForUser({ username: me, per_page: 100 })).data;
    await ctx.check('GET /users/{username}/repos', 'the user\'s repository, not the org\'s', () => is(forUser.some((r) => r.name === repo.repo) && !forUser.some((r) => r.name === orgRepo.repo), forUser.map((r) => r.name).join()));
    const forOrg = (await bot.rest.repos.listForOrg({ org, per_page: 100 })).data;
    await ctx.check(['GET /orgs/{org}/repos', 'POST /orgs/{org}/repos'], 'the org\'s private repository', () => is(forOrg.some((r) => r.name === orgRepo.repo && r.private === true) && !forOrg.some((r) => r.name === repo.repo), forOrg.map((r) => r.name).join()));
    const forMe = (await bot.rest.repos.listForAuthenticatedUser({ per_page: 100 })).data;
    await ctx.check('GET /user/repos', 'both repositories the user can reach', () => is(forMe.some((r) => r.name === repo.repo) && forMe.some((r) => r.name === orgRepo.repo), forMe.map((r) => r.name).join()));
    await bot.rest.repos.replaceAllTopics({ ...repo, names: ['agents', 'testing'] });
    const topics = (await bot.rest.repos.getAllTopics(repo)).data.names;
    await ctx.check(['PUT /repos/{owner}/{repo}/topics', 'GET /repos/{owner}/{repo}/topics'], 'the topics set are the topics read', () => is(topics.sort().join() === 'agents,testing', topics.join()));
    const langs = (await bot.rest.repos.listLanguages(repo)).data;
    await ctx.check(R('GET', '/languages'), 'a map of language to bytes', () => is(Object.values(langs).every((n) => typeof n === 'number'), JSON.stringify(langs)));
    const contributors = (await bot.rest.repos.listContributors(repo)).data;
    await ctx.check(R('GET', '/contributors'), 'the creator of the first commit', () => is(contributors.some((c) => c.login === me), JSON.stringify(contributors).slice(0, 120)));
    const branches = (await bot.rest.repos.listBranches(repo)).data;
    const main = (await bot.rest.repos.getBranch({ ...repo, branch: 'main' })).data;
    await ctx.check([R('GET', '/branches'), R('GET', '/branches/{branch}')], 'auto_init made main, listed and read with its commit', () => is(branches.some((b) => b.name === 'main') && main.name === 'main' && main.commit.sha === branches.find((b) => b.name === 'main')?.commit.sha, JSON.stringify(main).slice(0, 120)));
  });

  await ctx.step('labels', async () => {
    const defaults = (await bot.rest.issues.listLabelsForRepo({ ...repo, per_page: 100 })).data;
    await ctx.check(R('GET', '/labels'), 'a new repository has GitHub\'s default labels', () => is(['bug', 'enhancement', 'question'].every((n) => defaults.some((l) => l.name === n)), names(defaults)));
    await bot.rest.issues.createLabel({ ...repo, name: 'triage', color: 'ff0000', description: 'needs triage' });
    await ctx.errorCase(R('POST', '/labels'), 'label already exists', { status: 422, code: 'Validation Failed' }, () => bot.rest.issues.createLabel({ ...repo, name: 'triage', color: 'ff0000' }));
    const l = (await bot.rest.issues.getLabel({ ...repo, name: 'triage' })).data;
    await ctx.check([R('POST', '/labels'), R('GET', '/labels/{name}')], 'the label created is the one read', () => is(l.name === 'triage' && l.color === 'ff0000' && l.description === 'needs triage', JSON.stringify(l)));
    await bot.rest.issues.updateLabel({ ...repo, name: 'triage', new_name: 'needs triage', color: '00ff00' });
    await ctx.check(R('PATCH', '/labels/{name}'), 'renamed and recoloured; the old name is gone', async () => is((await bot.rest.issues.getLabel({ ...repo, name: 'needs triage' })).data.color === '00ff00' && (await statusOf(bot.rest.issues.getLabel({ ...repo, name: 'triage' }))) === 404, 'not renamed'));
  });

  await ctx.step('milestones', async () => {
    milestone = (await bot.rest.issues.createMilestone({ ...repo, title: 'v1.0', due_on: '2030-01-01T00:00:00Z', description: 'first' })).data.number;
    const m = (await bot.rest.issues.getMilestone({ ...repo, milestone_number: milestone })).data;
    await ctx.check([R('POST', '/milestones'), R('GET', '/milestones/{milestone_number}')], 'the milestone created is the one read', () => is(m.title === 'v1.0' && m.state === 'open' && m.due_on?.startsWith('2030-01-01'), JSON.stringify(m).slice(0, 160)));
    await bot.rest.issues.updateMilestone({ ...repo, milestone_number: milestone, description: 'first release' });
    await ctx.check(R('PATCH', '/milestones/{milestone_number}'), 'the description reads back', async () => is((await bot.rest.issues.getMilestone({ ...repo, milestone_number: milestone })).data.description === 'first release', 'not updated'));
    const closed = (await bot.rest.issues.createMilestone({ ...repo, title: 'v0.9', state: 'closed' })).data;
    const open = (await bot.rest.issues.listMilestones(repo)).data;
    await ctx.check(R('GET', '/milestones'), 'open milestones by default: the closed one is left out', () => is(open.some((x) => x.number === milestone) && !open.some((x) => x.number === closed.number), open.map((x) => x.title).join()));
  });

  await ctx.step('issues', async () => {
    const created = await bot.rest.issues.create({ ...repo, title: 'First bug', body: 'it breaks', labels: ['bug'], assignees: [me], ...(milestone ? { milestone } : {}) });
    issue = { ...repo, issue_number: created.data.number };
    await ctx.errorCase(R('POST', '/issues'), 'title missing', { status: 422, code: 'Validation Failed' }, () => bot.rest.issues.create({ ...repo } as never));
    const got = (await bot.rest.issues.get(issue)).data;
    await ctx.check([R('POST', '/issues'), I('GET')], 'the issue created is the one read: labels, assignee, milestone', () =>
      is(got.title === 'First bug' && got.body === 'it breaks' && names(got.labels as Array<{ name?: string }>) === 'bug' && got.assignees?.some((a) => a.login === me) && (!milestone || got.milestone?.number === milestone), JSON.stringify(got).slice(0, 160)));
    const quiet2 = (await bot.rest.issues.create({ ...repo, title: 'Second, unlabelled' })).data;
    const byLabel = (await bot.rest.issues.listForRepo({ ...repo, labels: 'bug' })).data;
    const all = (await bot.rest.issues.listForRepo({ ...repo, per_page: 100 })).data;
    await ctx.check(R('GET', '/issues'), 'labels= filters; newest first', () => is(byLabel.length === 1 && byLabel[0]!.number === issue.issue_number && all[0]?.number === quiet2.number, `${byLabel.map((x) => x.number)} / ${all.map((x) => x.number)}`));
    await bot.rest.issues.update({ ...issue, state: 'closed', state_reason: 'not_planned', title: 'First bug (renamed)' });
    const shut = (await bot.rest.issues.get(issue)).data;
    const openOnly = (await bot.rest.issues.listForRepo(repo)).data;
    await bot.rest.issues.update({ ...issue, state: 'open' });
    await ctx.check(I('PATCH'), 'closed as not planned and renamed, then open again; open lists leave it out while closed', async () =>
      is(shut.state === 'closed' && shut.state_reason === 'not_planned' && shut.title === 'First bug (renamed)' && !openOnly.some((x) => x.number === issue.issue_number) && (await bot.rest.issues.get(issue)).data.state === 'open', `${shut.state} ${shut.state_reason}`));
    const everywhere = (await bot.rest.issues.list({ filter: 'all', state: 'all', per_page: 100 })).data;
    await ctx.check('GET /issues', 'every issue the user can see, across repositories', () => is(everywhere.some((x) => x.number === issue.issue_number && x.repository?.name === repo.repo), `${everywhere.length} issues`));
    const assigned = (await bot.rest.issues.listForAuthenticatedUser({ filter: 'assigned' })).data;
    await ctx.check('GET /user/issues', 'assigned: only issues assigned to the user', () => is(assigned.some((x) => x.number === issue.issue_number) && assigned.every((x) => x.assignees?.some((a) => a.login === me)), `${assigned.length}`));
    const orgIssue = (await bot.rest.issues.create({ ...orgRepo, title: 'org issue', assignees: [me] })).data;
    const inOrg = (await bot.rest.issues.listForOrg({ org, filter: 'assigned' })).data;
    await ctx.check('GET /orgs/{org}/issues', 'only the org\'s repositories', () => is(inOrg.some((x) => x.id === orgIssue.id) && !inOrg.some((x) => x.id === got.id), inOrg.map((x) => x.title).join()));
    await bot.rest.issues.lock({ ...issue, lock_reason: 'resolved' });
    const locked = (await bot.rest.issues.get(issue)).data;
    await bot.rest.issues.unlock(issue);
    const unlocked = (await bot.rest.issues.get(issue)).data;
    await ctx.check([I('PUT', '/lock'), I('DELETE', '/lock')], 'locked as resolved, then unlocked', () => is(locked.locked === true && locked.active_lock_reason === 'resolved' && unlocked.locked === false, `${locked.locked} ${unlocked.locked}`));
  });

  await ctx.step('comments', async () => {
    commentId = (await bot.rest.issues.createComment({ ...issue, body: 'first comment' })).data.id;
    await adminKit.rest.issues.createComment({ ...issue, body: 'second comment' });
    const list = (await bot.rest.issues.listComments(issue)).data;
    await ctx.check([I('POST', '/comments'), I('GET', '/comments')], 'both comments in order, each by its author', () => is(list.map((c) => `${c.user?.login}:${c.body}`).join() === `${me}:first comment,asym-admin:second comment`, list.map((c) => c.body).join()));
    const repoWide = (await bot.rest.issues.listCommentsForRepo(repo)).data;
    await ctx.check(R('GET', '/issues/comments'), 'the repository\'s comments', () => is(repoWide.length === 2 && repoWide.some((c) => c.id === commentId), `${repoWide.length}`));
    const one = (await bot.rest.issues.getComment({ ...repo, comment_id: commentId })).data;
    await ctx.check(R('GET', '/issues/comments/{comment_id}'), 'the comment asked for', () => is(one.id === commentId && one.body === 'first comment', String(one.body)));
    await bot.rest.issues.updateComment({ ...repo, comment_id: commentId, body: 'edited' });
    await ctx.check(R('PATCH', '/issues/comments/{comment_id}'), 'the new body reads back', async () => is((await bot.rest.issues.getComment({ ...repo, comment_id: commentId })).data.body === 'edited', 'not edited'));
  });

  await ctx.step('reactions', async () => {
    const onIssue = await bot.rest.reactions.createForIssue({ ...issue, content: 'heart' });
    const again = await bot.rest.reactions.createForIssue({ ...issue, content: 'heart' });
    await ctx.check(I('POST', '/reactions'), 'created (201); the same reaction again answers it (200)', () => is(onIssue.status === 201 && again.status === 200 && again.data.id === onIssue.data.id, `${onIssue.status} ${again.status}`));
    const ri = (await bot.rest.reactions.listForIssue(issue)).data;
    await ctx.check(I('GET', '/reactions'), 'the heart, by the user', () => is(ri.length === 1 && ri[0]!.content === 'heart' && ri[0]!.user?.login === me, JSON.stringify(ri).slice(0, 120)));
    await bot.rest.reactions.deleteForIssue({ ...issue, reaction_id: onIssue.data.id });
    await ctx.check(I('DELETE', '/reactions/{reaction_id}'), 'gone', async () => is((await bot.rest.reactions.listForIssue(issue)).data.length === 0, 'still listed'));
    const onComment = await bot.rest.reactions.createForIssueComment({ ...repo, comment_id: commentId, content: '+1' });
    const rc = (await bot.rest.reactions.listForIssueComment({ ...repo, comment_id: commentId })).data;
    await ctx.check([R('POST', '/issues/comments/{comment_id}/reactions'), R('GET', '/issues/comments/{comment_id}/reactions')], 'the +1 on the comment', () => is(rc.length === 1 && rc[0]!.content === '+1', JSON.stringify(rc).slice(0, 120)));
    await bot.rest.reactions.deleteForIssueComment({ ...repo, comment_id: commentId, reaction_id: onComment.data.id });
    await ctx.check(R('DELETE', '/issues/comments/{comment_id}/reactions/{reaction_id}'), 'gone', async () => is((await bot.rest.reactions.listForIssueComment({ ...repo, comment_id: commentId })).data.length === 0, 'still listed'));
  });

  await ctx.step('labels on an issue', async () => {
    const on = async () => names((await bot.rest.issues.listLabelsOnIssue(issue)).data);
    const first = await on();
    await bot.rest.issues.addLabels({ ...issue, labels: ['enhancement', 'needs triage'] });
    const added = await on();
    await bot.rest.issues.setLabels({ ...issue, labels: ['question', 'bug'] });
    const set = await on();
    await bot.rest.issues.removeLabel({ ...issue, name: 'question' });
    const removed = await on();
    await ctx.check([I('GET', '/labels'), I('POST', '/labels'), I('PUT', '/labels'), I('DELETE', '/labels/{name}')], 'add adds, set replaces, remove removes one', () =>
      is(first === 'bug' && added === 'bug,enhancement,needs triage' && set === 'bug,question' && removed === 'bug', [first, added, set, removed].join(' | ')));
    await ctx.errorCase(I('DELETE', '/labels/{name}'), 'label not on the issue', { status: 404, code: 'Label does not exist' }, () => bot.rest.issues.removeLabel({ ...issue, name: 'question' }));
    if (milestone) {
      const ml = (await bot.rest.issues.listLabelsForMilestone({ ...repo, milestone_number: milestone })).data;
      await ctx.check(R('GET', '/milestones/{milestone_number}/labels'), 'the labels of the milestone\'s issues', () => is(names(ml) === 'bug', names(ml)));
    }
    await bot.rest.issues.removeAllLabels(issue);
    await ctx.check(I('DELETE', '/labels'), 'no labels left', async () => is((await on()) === '', 'labels left'));
  });

  await ctx.step('assignees', async () => {
    const who = (await bot.rest.issues.listAssignees(repo)).data;
    await ctx.check(R('GET', '/assignees'), 'the owner can be assigned', () => is(who.some((u) => u.login === me), who.map((u) => u.login).join()));
    const yes = await statusOf(bot.rest.issues.checkUserCanBeAssigned({ ...repo, assignee: me }));
    const no = await statusOf(bot.rest.issues.checkUserCanBeAssigned({ ...repo, assignee: `nobody-${ctx.unique}` }));
    await ctx.check(R('GET', '/assignees/{assignee}'), '204 for the owner, 404 for a stranger', () => is(yes === 204 && no === 404, `${yes} ${no}`));
    const yesIssue = await statusOf(bot.rest.issues.checkUserCanBeAssignedToIssue({ ...issue, assignee: me }));
    await ctx.check(I('GET', '/assignees/{assignee}'), '204 for the owner', () => is(yesIssue === 204, `${yesIssue}`));
    await bot.rest.issues.removeAssignees({ ...issue, assignees: [me] });
    const none = (await bot.rest.issues.get(issue)).data.assignees ?? [];
    await bot.rest.issues.addAssignees({ ...issue, assignees: [me] });
    const back = (await bot.rest.issues.get(issue)).data.assignees ?? [];
    await ctx.check([I('DELETE', '/assignees'), I('POST', '/assignees')], 'removed, then assigned again', () => is(none.length === 0 && back.some((a) => a.login === me), `${none.length} ${back.length}`));
  });

  await ctx.step('events and search', async () => {
    const ev = (await bot.rest.issues.listEvents({ ...issue, per_page: 100 })).data.map((e) => e.event);
    await ctx.check(I('GET', '/events'), 'the issue\'s history: closed, reopened, renamed, locked, labelled', () => is(['closed', 'reopened', 'renamed', 'locked', 'unlocked', 'labeled', 'unlabeled'].every((e) => ev.includes(e)), ev.join()));
    const events = await bot.rest.issues.listEventsForRepo({ ...repo, per_page: 100 });
    const first = events.data[0];
    if (!first) throw stepFailed('no issue events recorded for the repository');
    await ctx.check(R('GET', '/issues/events'), 'the repository\'s events include the issue\'s closing', () => is(events.data.some((e) => e.event === 'closed' && e.issue?.number === issue.issue_number), `${events.data.length}`));
    const one = (await bot.rest.issues.getEvent({ ...repo, event_id: first.id })).data;
    await ctx.check(R('GET', '/issues/events/{event_id}'), 'the event asked for', () => is(one.id === first.id && one.event === first.event, `${one.id}`));
    const found = (await bot.rest.search.issuesAndPullRequests({ q: `repo:${repo.owner}/${repo.repo} is:issue renamed in:title` })).data;
    await ctx.check('GET /search/issues', 'in:title finds the renamed issue only', () => is(found.total_count === 1 && found.items[0]?.number === issue.issue_number, `found ${found.total_count}`));
  });

  await ctx.step('sub-issues and dependencies', async () => {
    const sub = (await bot.rest.issues.create({ ...repo, title: 'sub-issue' })).data;
    const sub2 = (await bot.rest.issues.create({ ...repo, title: 'second sub-issue' })).data;
    const blocker = (await bot.rest.issues.create({ ...repo, title: 'blocker' })).data;
    await bot.rest.issues.addSubIssue({ ...issue, sub_issue_id: sub.id });
    await bot.rest.issues.addSubIssue({ ...issue, sub_issue_id: sub2.id });
    const subs = async () => (await bot.rest.issues.listSubIssues(issue)).data.map((x) => x.number).join();
    const before = await subs();
    await ctx.check([I('POST', '/sub_issues'), I('GET', '/sub_issues')], 'both sub-issues, in the order added', () => is(before === `${sub.number},${sub2.number}`, before));
    await bot.rest.issues.reprioritizeSubIssue({ ...issue, sub_issue_id: sub2.id, before_id: sub.id });
    const after = await subs();
    await ctx.check(I('PATCH', '/sub_issues/priority'), 'moved before the other', () => is(after === `${sub2.number},${sub.number}`, after));
    const parent = await bot.rest.issues.getParent({ ...repo, issue_number: sub.number });
    await ctx.check(I('GET', '/parent'), 'the parent of a sub-issue', () => is(parent.data.number === issue.issue_number, `parent of #${sub.number} is #${parent.data.number}, not #${issue.issue_number}`));
    await bot.rest.issues.removeSubIssue({ ...issue, sub_issue_id: sub2.id });
    await ctx.check(I('DELETE', '/sub_issue'), 'removed from the sub-issues', async () => is((await subs()) === `${sub.number}`, 'still there'));
    await bot.rest.issues.addBlockedByDependency({ ...issue, issue_id: blocker.id });
    const by = (await bot.rest.issues.listDependenciesBlockedBy(issue)).data;
    await ctx.check([I('POST', '/dependencies/blocked_by'), I('GET', '/dependencies/blocked_by')], 'blocked by the blocker', () => is(by.length === 1 && by[0]!.number === blocker.number, by.map((x) => x.number).join()));
    const blocking = await bot.rest.issues.listDependenciesBlocking({ ...repo, issue_number: blocker.number });
    await ctx.check(I('GET', '/dependencies/blocking'), 'the blocker lists the issue it blocks', () => is(blocking.data.some((i) => i.number === issue.issue_number), 'the blocker does not list the issue it blocks'));
    await bot.rest.issues.removeDependencyBlockedBy({ ...issue, issue_id: blocker.id });
    await ctx.check(I('DELETE', '/dependencies/blocked_by/{issue_id}'), 'no longer blocked', async () => is((await bot.rest.issues.listDependenciesBlockedBy(issue)).data.length === 0, 'still blocked'));
  });

  await ctx.step('pinned comments and timeline', async () => {
    if (!commentId) throw stepFailed('no comment to pin');
    await bot.request('PUT /repos/{owner}/{repo}/issues/comments/{comment_id}/pin', { ...repo, comment_id: commentId });
    const timeline = async () => (await bot.rest.issues.listEventsForTimeline({ ...issue, per_page: 100 })).data.map((e) => (e as { event?: string }).event);
    const pinned = await timeline();
    // The issue's pinned_comment (in GitHub's issue schema) is the pinned comment, then null.
    const pinnedOf = async () => ((await bot.rest.issues.get(issue)).data as { pinned_comment?: { id: number } | null }).pinned_comment ?? null;
    const onIssue = await pinnedOf();
    await ctx.check('PUT /repos/{owner}/{repo}/issues/comments/{comment_id}/pin', "the issue's pinned comment is the one pinned", () => is(onIssue?.id === commentId, JSON.stringify(onIssue)?.slice(0, 120)));
    await bot.request('DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}/pin', { ...repo, comment_id: commentId });
    await ctx.check('DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}/pin', 'unpinned: the issue has no pinned comment', async () => is((await pinnedOf()) === null, 'still pinned'));
    await ctx.check(I('GET', '/timeline'), 'comments and events together, in order', () => is(pinned.includes('commented') && pinned.includes('closed') && pinned.indexOf('closed') < pinned.indexOf('commented'), pinned.join()));
  });

  await ctx.step('accounts and memberships', async () => {
    const page1 = (await bot.rest.users.list({ per_page: 1 })).data;
    const page2 = (await bot.rest.users.list({ per_page: 1, since: page1[0]?.id })).data;
    await ctx.check('GET /users', 'since= pages on by id', () => is(page1.length === 1 && page2.length === 1 && page2[0]!.id > page1[0]!.id, `${page1[0]?.id} ${page2[0]?.id}`));
    const byId = (await bot.rest.users.getById({ account_id: Number(tokens.botUserId) })).data;
    await ctx.check('GET /user/{account_id}', 'the account with that id', () => is(byId.login === me, byId.login));
    const ms = (await bot.rest.orgs.listMembershipsForAuthenticatedUser()).data;
    const m = (await bot.rest.orgs.getMembershipForAuthenticatedUser({ org })).data;
    await ctx.check(['GET /user/memberships/orgs', 'GET /user/memberships/orgs/{org}'], 'an active member of the org', () => is(ms.some((x) => x.organization.login === org) && m.state === 'active' && m.role === 'member', `${m.state} ${m.role}`));
  });

  await ctx.step('stars', async () => {
    await bot.rest.activity.starRepoForAuthenticatedUser(repo);
    const starred = await statusOf(bot.rest.activity.checkRepoIsStarredByAuthenticatedUser(repo));
    const mine = (await bot.rest.activity.listReposStarredByAuthenticatedUser()).data;
    const theirs = (await bot.rest.activity.listReposStarredByUser({ username: me })).data;
    await bot.rest.activity.unstarRepoForAuthenticatedUser(repo);
    const after = await statusOf(bot.rest.activity.checkRepoIsStarredByAuthenticatedUser(repo));
    await ctx.check(['PUT /user/starred/{owner}/{repo}', 'GET /user/starred/{owner}/{repo}'], 'starred: 204, then not: 404', () => is(starred === 204 && after === 404, `${starred} ${after}`));
    await ctx.check(['GET /user/starred', 'GET /users/{username}/starred'], 'the starred repository is listed', () => is(mine.some((r) => (r as { name?: string }).name === repo.repo) && theirs.some((r) => (r as { name?: string }).name === repo.repo), 'not listed'));
    await ctx.check('DELETE /user/starred/{owner}/{repo}', 'no longer listed', async () => is(!(await bot.rest.activity.listReposStarredByAuthenticatedUser()).data.some((r) => (r as { name?: string }).name === repo.repo), 'still listed'));
  });

  await ctx.step('follows', async () => {
    await bot.rest.users.follow({ username: 'asym-admin' });
    const f1 = await statusOf(bot.rest.users.checkPersonIsFollowedByAuthenticated({ username: 'asym-admin' }));
    const f2 = await statusOf(bot.rest.users.checkFollowingForUser({ username: me, target_user: 'asym-admin' }));
    const f3 = await statusOf(bot.rest.users.checkFollowingForUser({ username: 'asym-admin', target_user: me }));
    await ctx.check(['PUT /user/following/{username}', 'GET /user/following/{username}', 'GET /users/{username}/following/{target_user}'], 'following is one-way: 204 one way, 404 the other', () => is(f1 === 204 && f2 === 204 && f3 === 404, `${f1} ${f2} ${f3}`));
    const logins = (xs: Array<{ login: string }>) => xs.map((x) => x.login);
    const following = logins((await bot.rest.users.listFollowedByAuthenticatedUser()).data);
    const followers = logins((await adminKit.rest.users.listFollowersForAuthenticatedUser()).data);
    const followersOf = logins((await bot.rest.users.listFollowersForUser({ username: 'asym-admin' })).data);
    const followingOf = logins((await bot.rest.users.listFollowingForUser({ username: me })).data);
    await ctx.check(['GET /user/following', 'GET /user/followers', 'GET /users/{username}/followers', 'GET /users/{username}/following'], 'each side lists the other', () =>
      is(following.includes('asym-admin') && followers.includes(me) && followersOf.includes(me) && followingOf.includes('asym-admin'), [following, followers, followersOf, followingOf].join(' | ')));
    await bot.rest.users.unfollow({ username: 'asym-admin' });
    await ctx.check('DELETE /user/following/{username}', 'no longer following', async () => is((await statusOf(bot.rest.users.checkPersonIsFollowedByAuthenticated({ username: 'asym-admin' }))) === 404, 'still following'));
  });

  await ctx.step('blocks', async () => {
    const before = await statusOf(bot.rest.users.checkBlocked({ username: 'asym-admin' }));
    await bot.rest.users.block({ username: 'asym-admin' });
    const blocked = await statusOf(bot.rest.users.checkBlocked({ username: 'asym-admin' }));
    const listed = (await bot.rest.users.listBlockedByAuthenticatedUser()).data.map((u) => u.login);
    await ctx.check(['PUT /user/blocks/{username}', 'GET /user/blocks/{username}'], 'not blocked: 404, then blocked: 204', () => is(before === 404 && blocked === 204, `${before} ${blocked}`));
    await ctx.check('GET /user/blocks', 'the blocked user is listed', () => is(listed.includes('asym-admin'), listed.join()));
    await ctx.errorCase('PUT /user/blocks/{username}', 'blocking yourself', { status: 422, code: 'Validation Failed' }, () => bot.rest.users.block({ username: me }));
    const follow = await statusOf(adminKit.rest.users.follow({ username: me }));
    const star = await statusOf(adminKit.rest.activity.starRepoForAuthenticatedUser(repo));
    const file = await statusOf(adminKit.rest.issues.create({ ...repo, title: 'from a blocked user' }));
    await ctx.check('PUT /user/blocks/{username}', 'the blocked user cannot follow, star the repositories or open issues in them', () => is(follow === 403 && star === 403 && file === 403, `${follow} ${star} ${file}`));
    await bot.rest.users.unblock({ username: 'asym-admin' });
    await ctx.check('DELETE /user/blocks/{username}', 'no longer blocked', async () => is((await statusOf(bot.rest.users.checkBlocked({ username: 'asym-admin' }))) === 404 && (await bot.rest.users.listBlockedByAuthenticatedUser()).data.length === 0, 'still blocked'));
  });

  await ctx.step('public repositories', async () => {
    const page = await bot.rest.repos.listPublic();
    const ids = page.data.map((r) => r.id);
    const next = page.data.length ? (await bot.rest.repos.listPublic({ since: ids[ids.length - 1] })).data : [];
    await ctx.check('GET /repositories', 'public repositories only, in id order; since= pages on', () =>
      is(page.data.some((r) => r.name === repo.repo) && !page.data.some((r) => r.name === orgRepo.repo) && ids.every((id, i) => i === 0 || id > ids[i - 1]!) && next.every((r) => r.id > ids[ids.length - 1]!), `${ids.length} ids`));
  });

  await ctx.step('emails', async () => {
    const address = `verify-${ctx.unique}@example.test`;
    const first = (await bot.rest.users.listEmailsForAuthenticatedUser()).data;
    const added = await bot.rest.users.addEmailForAuthenticatedUser({ emails: [address] });
    const after = (await bot.rest.users.listEmailsForAuthenticatedUser()).data;
    await ctx.check(['POST /user/emails', 'GET /user/emails'], 'one primary address; the added one is listed, unverified', () =>
      is(first.filter((e) => e.primary).length === 1 && added.data[0]?.email === address && after.some((e) => e.email === address && !e.primary && !e.verified), JSON.stringify(after).slice(0, 160)));
    await ctx.errorCase('POST /user/emails', 'address already in use', { status: 422, code: 'Validation Failed' }, () => bot.rest.users.addEmailForAuthenticatedUser({ emails: [address] }));
    await bot.rest.users.setPrimaryEmailVisibilityForAuthenticatedUser({ visibility: 'public' });
    const pub = (await bot.rest.users.listPublicEmailsForAuthenticatedUser()).data;
    await bot.rest.users.setPrimaryEmailVisibilityForAuthenticatedUser({ visibility: 'private' });
    const hidden = (await bot.rest.users.listPublicEmailsForAuthenticatedUser()).data;
    await ctx.check(['PATCH /user/email/visibility', 'GET /user/public_emails'], 'public: the primary is listed; private: none', () => is(pub.length === 1 && pub[0]!.primary && hidden.length === 0, `${pub.length} ${hidden.length}`));
    await ctx.errorCase('PATCH /user/email/visibility', 'visibility not public or private', { status: 422, code: 'Validation Failed' }, () => bot.rest.users.setPrimaryEmailVisibilityForAuthenticatedUser({ visibility: 'secret' as never }));
    await bot.rest.users.deleteEmailForAuthenticatedUser({ emails: [address] });
    await ctx.check('DELETE /user/emails', 'no longer listed', async () => is(!(await bot.rest.users.listEmailsForAuthenticatedUser()).data.some((e) => e.email === address), 'still listed'));
    const primary = first.find((e) => e.primary)?.email ?? '';
    await ctx.errorCase('DELETE /user/emails', 'the primary address', { status: 422, code: 'Validation Failed' }, () => bot.rest.users.deleteEmailForAuthenticatedUser({ emails: [primary] }));
  });

  await ctx.step('SSH keys', async () => {
    const key = sshKey();
    const made = (await bot.rest.users.createPublicSshKeyForAuthenticatedUser({ title: 'verify', key })).data;
    const got = (await bot.rest.users.getPublicSshKeyForAuthenticatedUser({ key_id: made.id })).data;
    await ctx.check(['POST /user/keys', 'GET /user/keys/{key_id}'], 'the key created is the one read', () => is(got.key === key && got.title === 'verify', JSON.stringify(got).slice(0, 120)));
    await ctx.errorCase('POST /user/keys', 'key already in use', { status: 422, code: 'Validation Failed' }, () => adminKit.rest.users.createPublicSshKeyForAuthenticatedUser({ title: 'copy', key }));
    await ctx.errorCase('POST /user/keys', 'not an SSH key', { status: 422, code: 'Validation Failed' }, () => bot.rest.users.createPublicSshKeyForAuthenticatedUser({ title: 'bad', key: 'ssh-rsa nope' }));
    const mine = (await bot.rest.users.listPublicSshKeysForAuthenticatedUser()).data;
    const theirs = (await adminKit.rest.users.listPublicKeysForUser({ username: me })).data;
    await ctx.check(['GET /user/keys', 'GET /users/{username}/keys'], 'listed for the owner and for anyone', () => is(mine.some((k) => k.id === made.id) && theirs.some((k) => k.id === made.id && k.key === key), `${mine.length} ${theirs.length}`));
    await bot.rest.users.deletePublicSshKeyForAuthenticatedUser({ key_id: made.id });
    await ctx.check('DELETE /user/keys/{key_id}', 'the key is gone', async () => is((await statusOf(bot.rest.users.getPublicSshKeyForAuthenticatedUser({ key_id: made.id }))) === 404, 'still reads'));

    const sign = (await bot.rest.users.createSshSigningKeyForAuthenticatedUser({ title: 'signing', key })).data;
    const one = (await bot.rest.users.getSshSigningKeyForAuthenticatedUser({ ssh_signing_key_id: sign.id })).data;
    await ctx.check(['POST /user/ssh_signing_keys', 'GET /user/ssh_signing_keys/{ssh_signing_key_id}'], 'the signing key created is the one read', () => is(one.key === key && one.title === 'signing', JSON.stringify(one).slice(0, 120)));
    await ctx.errorCase('POST /user/ssh_signing_keys', 'key already in use', { status: 422, code: 'Validation Failed' }, () => adminKit.rest.users.createSshSigningKeyForAuthenticatedUser({ title: 'copy', key }));
    const signing = (await bot.rest.users.listSshSigningKeysForAuthenticatedUser()).data;
    const signingOf = (await adminKit.rest.users.listSshSigningKeysForUser({ username: me })).data;
    await ctx.check(['GET /user/ssh_signing_keys', 'GET /users/{username}/ssh_signing_keys'], 'listed for the owner and for anyone', () => is(signing.some((k) => k.id === sign.id) && signingOf.some((k) => k.id === sign.id), `${signing.length} ${signingOf.length}`));
    await bot.rest.users.deleteSshSigningKeyForAuthenticatedUser({ ssh_signing_key_id: sign.id });
    await ctx.check('DELETE /user/ssh_signing_keys/{ssh_signing_key_id}', 'the signing key is gone', async () => is((await statusOf(bot.rest.users.getSshSigningKeyForAuthenticatedUser({ ssh_signing_key_id: sign.id }))) === 404, 'still reads'));
  });

  await ctx.step('GPG keys', async () => {
    const armored = GPG_ED25519;
    const made = (await bot.rest.users.createGpgKeyForAuthenticatedUser({ name: 'verify', armored_public_key: armored })).data;
    const got = (await bot.rest.users.getGpgKeyForAuthenticatedUser({ gpg_key_id: made.id })).data;
    await ctx.check(['POST /user/gpg_keys', 'GET /user/gpg_keys/{gpg_key_id}'], 'read from the key: its id, subkey and user-id email', () =>
      is(got.key_id === 'AADB792634AFE2D3' && got.subkeys[0]?.key_id === '5BA39F11E949697B' && got.emails[0]?.email === 'asym-bot@users.noreply.test' && got.can_sign && !got.can_encrypt_comms, JSON.stringify(got).slice(0, 160)));
    await ctx.errorCase('POST /user/gpg_keys', 'key already on an account', { status: 422, code: 'Validation Failed' }, () => adminKit.rest.users.createGpgKeyForAuthenticatedUser({ armored_public_key: armored }));
    await ctx.errorCase('POST /user/gpg_keys', 'not an armored public key', { status: 422, code: 'Validation Failed' }, () => bot.rest.users.createGpgKeyForAuthenticatedUser({ armored_public_key: 'not a key' }));
    const mine = (await bot.rest.users.listGpgKeysForAuthenticatedUser()).data;
    const theirs = (await adminKit.rest.users.listGpgKeysForUser({ username: me })).data;
    await ctx.check(['GET /user/gpg_keys', 'GET /users/{username}/gpg_keys'], 'listed for the owner and for anyone', () => is(mine.some((k) => k.id === made.id) && theirs.some((k) => k.id === made.id), `${mine.length} ${theirs.length}`));
    await bot.rest.users.deleteGpgKeyForAuthenticatedUser({ gpg_key_id: made.id });
    await ctx.check('DELETE /user/gpg_keys/{gpg_key_id}', 'the key is gone', async () => is((await statusOf(bot.rest.users.getGpgKeyForAuthenticatedUser({ gpg_key_id: made.id }))) === 404, 'still reads'));
  });

  await ctx.step('social accounts', async () => {
    const url = `https://twitter.com/verify-${ctx.unique}`;
    const added = (await bot.rest.users.addSocialAccountForAuthenticatedUser({ account_urls: [url] })).data;
    const mine = (await bot.rest.users.listSocialAccountsForAuthenticatedUser()).data;
    const theirs = (await adminKit.rest.users.listSocialAccountsForUser({ username: me })).data;
    await ctx.check(['POST /user/social_accounts', 'GET /user/social_accounts', 'GET /users/{username}/social_accounts'], 'added with its provider; listed for the owner and for anyone', () =>
      is(added[0]?.provider === 'twitter' && mine.some((a) => a.url === url) && theirs.some((a) => a.url === url), JSON.stringify(mine)));
    await ctx.errorCase('POST /user/social_accounts', 'not a URL', { status: 422, code: 'Validation Failed' }, () => bot.rest.users.addSocialAccountForAuthenticatedUser({ account_urls: ['not a url'] }));
    await bot.rest.users.deleteSocialAccountForAuthenticatedUser({ account_urls: [url] });
    await ctx.check('DELETE /user/social_accounts', 'no longer listed', async () => is(!(await bot.rest.users.listSocialAccountsForAuthenticatedUser()).data.some((a) => a.url === url), 'still listed'));
  });

  await ctx.step('interaction limits', async () => {
    const none = (await bot.rest.interactions.getRestrictionsForAuthenticatedUser()).data;
    const day = (await bot.rest.interactions.setRestrictionsForAuthenticatedUser({ limit: 'existing_users' })).data;
    await bot.rest.interactions.setRestrictionsForAuthenticatedUser({ limit: 'collaborators_only', expiry: 'one_week' });
    const set = (await bot.rest.interactions.getRestrictionsForAuthenticatedUser()).data as { limit?: string; expires_at?: string };
    // Expiries run on the clone's clock: one_week ends six days after one_day set just before.
    const gap = Date.parse(set.expires_at ?? '') - Date.parse(day.expires_at);
    await ctx.check(['PUT /user/interaction-limits', 'GET /user/interaction-limits'], 'none, then the limit set; one_week ends six days after one_day', () =>
      is(Object.keys(none).length === 0 && set.limit === 'collaborators_only' && Math.abs(gap - 6 * 86_400_000) < 120_000, JSON.stringify(set)));
    const limited = await statusOf(adminKit.rest.issues.create({ ...repo, title: 'limited' }));
    await ctx.check('PUT /user/interaction-limits', 'collaborators_only keeps others from opening issues in the public repositories', () => is(limited === 403, String(limited)));
    await ctx.errorCase('PUT /user/interaction-limits', 'limit not one of the three', { status: 422, code: 'Validation Failed' }, () => bot.rest.interactions.setRestrictionsForAuthenticatedUser({ limit: 'everyone' as never }));
    await bot.rest.interactions.removeRestrictionsForAuthenticatedUser();
    await ctx.check('DELETE /user/interaction-limits', 'no restriction left', async () => is(Object.keys((await bot.rest.interactions.getRestrictionsForAuthenticatedUser()).data).length === 0, 'still restricted'));
  });

  await ctx.step('repository and user search', async () => {
    const repos = (await bot.rest.search.repos({ q: `${repo.repo} in:name user:${me}` })).data;
    await ctx.check('GET /search/repositories', 'in:name user: finds the repository only', () => is(repos.total_count === 1 && repos.items[0]?.name === repo.repo, `found ${repos.total_count}`));
    const users = (await bot.rest.search.users({ q: 'asym-admin in:login type:user' })).data;
    await ctx.check('GET /search/users', 'in:login finds the user', () => is(users.items.some((u) => u.login === 'asym-admin') && users.items.every((u) => u.login.includes('asym-admin') && u.type === 'User'), users.items.map((u) => u.login).join()));
  });

  await ctx.step('contents, refs and pull requests', async () => {
    // In the org repository (created empty), so the admin can review the bot's pull request.
    const o = orgRepo;
    const P = (m: string, rest = '') => R(m, `/pulls/{pull_number}${rest}`);
    const b64 = (t: string) => Buffer.from(t).toString('base64');
    const first = (await bot.rest.repos.createOrUpdateFileContents({ ...o, path: 'README.md', message: 'Add README', content: b64('hello\n') })).data;
    const read = (await bot.rest.repos.getContent({ ...o, path: 'README.md' })).data as { content?: string; sha?: string };
    await ctx.check([R('PUT', '/contents/{path}'), R('GET', '/contents/{path}')], 'the first file of an empty repository makes main; its content reads back', async () =>
      is(Buffer.from(read.content ?? '', 'base64').toString() === 'hello\n' && read.sha === first.content?.sha && (await bot.rest.repos.getBranch({ ...o, branch: 'main' })).data.commit.sha === first.commit.sha, JSON.stringify(read).slice(0, 120)));
    await ctx.errorCase(R('PUT', '/contents/{path}'), 'replacing a file without its sha', { status: 422, code: 'Invalid request.\n\n"sha" wasn\'t supplied.' }, () => bot.rest.repos.createOrUpdateFileContents({ ...o, path: 'README.md', message: 'again', content: b64('x') }));
    await ctx.errorCase(R('GET', '/contents/{path}'), 'a path that is not there', { status: 404, code: 'Not Found' }, () => bot.rest.repos.getContent({ ...o, path: 'nope.txt' }));
    const mainRef = (await bot.rest.git.getRef({ ...o, ref: 'heads/main' })).data;
    await ctx.check(R('GET', '/git/ref/{ref}'), 'heads/main points at the commit just written', () => is(mainRef.object.sha === first.commit.sha && mainRef.ref === 'refs/heads/main', JSON.stringify(mainRef)));
    await ctx.errorCase(R('GET', '/git/ref/{ref}'), 'a branch that is not there', { status: 404, code: 'Not Found' }, () => bot.rest.git.getRef({ ...o, ref: 'heads/nope' }));
    await bot.rest.git.createRef({ ...o, ref: 'refs/heads/feature', sha: first.commit.sha! });
    await ctx.check(R('POST', '/git/refs'), 'the new branch is listed at that commit', async () => is((await bot.rest.repos.getBranch({ ...o, branch: 'feature' })).data.commit.sha === first.commit.sha, 'not at the commit'));
    await ctx.errorCase(R('POST', '/git/refs'), 'a branch that already exists', { status: 422, code: 'Reference already exists' }, () => bot.rest.git.createRef({ ...o, ref: 'refs/heads/feature', sha: first.commit.sha! }));
    await ctx.errorCase(R('POST', '/pulls'), 'no commits between the branches', { status: 422, code: 'Validation Failed' }, () => bot.rest.pulls.create({ ...o, head: 'feature', base: 'main', title: 'empty' }));
    await bot.rest.repos.createOrUpdateFileContents({ ...o, path: 'src.txt', message: 'Add src', content: b64('one\ntwo\n'), branch: 'feature' });
    await bot.rest.repos.createOrUpdateFileContents({ ...o, path: 'README.md', message: 'Reword README', content: b64('hello world\n'), branch: 'feature', sha: first.content!.sha! });
    const created = (await bot.rest.pulls.create({ ...o, head: `${org}:feature`, base: 'main', title: 'Add src', body: 'two commits' })).data;
    const pr = { ...o, pull_number: created.number };
    await ctx.errorCase(R('POST', '/pulls'), 'a second open pull request for the same head', { status: 422, code: 'Validation Failed' }, () => bot.rest.pulls.create({ ...o, head: 'feature', base: 'main', title: 'again' }));
    const got = (await bot.rest.pulls.get(pr)).data;
    const asIssue = (await bot.rest.issues.get({ ...o, issue_number: created.number })).data;
    await ctx.check([R('POST', '/pulls'), P('GET')], 'the pull request read: head and base, two commits, two files, mergeable; it is an issue too', () =>
      is(got.head.ref === 'feature' && got.base.ref === 'main' && got.commits === 2 && got.changed_files === 2 && got.mergeable === true && got.merged === false && got.state === 'open' && !!asIssue.pull_request && asIssue.title === 'Add src', JSON.stringify({ ...got, head: got.head.ref, base: got.base.ref }).slice(0, 200)));
    await ctx.errorCase(P('GET'), 'a number that is not a pull request', { status: 404, code: 'Not Found' }, () => bot.rest.pulls.get({ ...o, pull_number: 99999 }));
    const open = (await bot.rest.pulls.list({ ...o })).data;
    const otherBase = (await bot.rest.pulls.list({ ...o, base: 'feature' })).data;
    await ctx.check(R('GET', '/pulls'), 'open pull requests list it; base=feature does not', () => is(open.some((x) => x.number === created.number) && otherBase.length === 0, `${open.length} / ${otherBase.length}`));
    await ctx.errorCase(R('GET', '/pulls'), 'a repository that is not there', { status: 404, code: 'Not Found' }, () => bot.rest.pulls.list({ ...o, repo: `nope-${ctx.unique}` }));
    await bot.rest.pulls.update({ ...pr, title: 'Add src.txt', body: 'reworded' });
    await ctx.check(P('PATCH'), 'the title and body read back', async () => { const x = (await bot.rest.pulls.get(pr)).data; is(x.title === 'Add src.txt' && x.body === 'reworded', `${x.title} ${x.body}`); });
    await ctx.errorCase(P('PATCH'), 'a base branch that is not there', { status: 422, code: 'Validation Failed' }, () => bot.rest.pulls.update({ ...pr, base: 'nope' }));
    const commits = (await bot.rest.pulls.listCommits(pr)).data;
    await ctx.check(P('GET', '/commits'), 'the two commits of the head, oldest first', () => is(commits.map((c) => c.commit.message).join('|') === 'Add src|Reword README', commits.map((c) => c.commit.message).join('|')));
    await ctx.errorCase(P('GET', '/commits'), 'a pull request that is not there', { status: 404, code: 'Not Found' }, () => bot.rest.pulls.listCommits({ ...o, pull_number: 99999 }));
    const files = (await bot.rest.pulls.listFiles(pr)).data;
    await ctx.check(P('GET', '/files'), 'README.md modified (+1 -1), src.txt added (+2)', () =>
      is(files.map((f) => `${f.filename}:${f.status}:${f.additions}:${f.deletions}`).join() === 'README.md:modified:1:1,src.txt:added:2:0', files.map((f) => `${f.filename}:${f.status}:${f.additions}:${f.deletions}`).join()));
    await ctx.errorCase(P('GET', '/files'), 'a pull request that is not there', { status: 404, code: 'Not Found' }, () => bot.rest.pulls.listFiles({ ...o, pull_number: 99999 }));

    const other = (await bot.rest.repos.createOrUpdateFileContents({ ...o, path: 'other.txt', message: 'Add other on main', content: b64('other\n') })).data;
    const updated = await bot.rest.pulls.updateBranch({ ...pr, expected_head_sha: commits.at(-1)!.sha });
    const afterUpdate = (await bot.rest.pulls.listCommits(pr)).data;
    await ctx.check(P('PUT', '/update-branch'), '202; the head now merges main in (its newest commit has two parents)', () => is(updated.status === 202 && afterUpdate.at(-1)!.parents.length === 2 && afterUpdate.at(-1)!.commit.message === "Merge branch 'main' into feature", afterUpdate.map((c) => c.commit.message).join('|')));
    await ctx.errorCase(P('PUT', '/update-branch'), 'nothing new on the base branch', { status: 422, code: 'There are no new commits on the base branch.' }, () => bot.rest.pulls.updateBranch(pr));
    await bot.rest.pulls.requestReviewers({ ...pr, reviewers: ['asym-admin'] });
    const asked = (await bot.rest.pulls.listRequestedReviewers(pr)).data;
    await ctx.check([P('POST', '/requested_reviewers'), P('GET', '/requested_reviewers')], 'the admin is a requested reviewer', () => is(asked.users.map((u) => u.login).join() === 'asym-admin', JSON.stringify(asked)));
    await ctx.errorCase(P('POST', '/requested_reviewers'), 'the author as reviewer', { status: 422, code: 'Unprocessable Entity' }, () => bot.rest.pulls.requestReviewers({ ...pr, reviewers: [me] }));
    await ctx.errorCase(P('GET', '/requested_reviewers'), 'a pull request that is not there', { status: 404, code: 'Not Found' }, () => bot.rest.pulls.listRequestedReviewers({ ...o, pull_number: 99999 }));
    await bot.rest.pulls.removeRequestedReviewers({ ...pr, reviewers: ['asym-admin'] });
    await ctx.check(P('DELETE', '/requested_reviewers'), 'no reviewer requested any more', async () => is((await bot.rest.pulls.listRequestedReviewers(pr)).data.users.length === 0, 'still requested'));
    await ctx.errorCase(P('DELETE', '/requested_reviewers'), 'no reviewers given', { status: 422, code: 'Validation Failed' }, () => bot.rest.pulls.removeRequestedReviewers({ ...pr } as never));
    await bot.rest.pulls.requestReviewers({ ...pr, reviewers: ['asym-admin'] });

    await ctx.errorCase(P('POST', '/reviews'), 'approving your own pull request', { status: 422, code: 'Unprocessable Entity' }, () => bot.rest.pulls.createReview({ ...pr, event: 'APPROVE' }));
    const headNow = (await bot.rest.pulls.get(pr)).data.head.sha;
    const pending = (await adminKit.rest.pulls.createReview({ ...pr, body: 'draft thoughts' })).data;
    const rv = { ...pr, review_id: pending.id };
    await ctx.check(P('POST', '/reviews'), 'without an event the review is pending, on the head commit', () => is(pending.state === 'PENDING' && pending.commit_id === headNow && pending.user?.login === 'asym-admin', JSON.stringify(pending).slice(0, 160)));
    await adminKit.rest.pulls.updateReview({ ...rv, body: 'needs a test' });
    await ctx.check(P('PUT', '/reviews/{review_id}'), 'the body reads back', async () => is((await adminKit.rest.pulls.getReview(rv)).data.body === 'needs a test', 'not updated'));
    await ctx.errorCase(P('PUT', '/reviews/{review_id}'), 'no body', { status: 422, code: 'Validation Failed' }, () => adminKit.rest.pulls.updateReview({ ...rv } as never));
    await ctx.errorCase(P('POST', '/reviews/{review_id}/events'), 'no event', { status: 422, code: 'Unprocessable Entity' }, () => adminKit.rest.pulls.submitReview({ ...rv } as never));
    await adminKit.rest.pulls.submitReview({ ...rv, event: 'REQUEST_CHANGES' });
    const done = (await adminKit.rest.pulls.getReview(rv)).data;
    await ctx.check([P('POST', '/reviews/{review_id}/events'), P('GET', '/reviews/{review_id}')], 'submitted as changes requested; the request to review is fulfilled', async () =>
      is(done.state === 'CHANGES_REQUESTED' && !!done.submitted_at && (await bot.rest.pulls.listRequestedReviewers(pr)).data.users.length === 0, JSON.stringify(done).slice(0, 160)));
    await ctx.errorCase(P('GET', '/reviews/{review_id}'), 'a review that is not there', { status: 404, code: 'Not Found' }, () => bot.rest.pulls.getReview({ ...pr, review_id: 1 }));
    const reviews = (await bot.rest.pulls.listReviews(pr)).data;
    await ctx.check(P('GET', '/reviews'), 'the submitted review is listed', () => is(reviews.length === 1 && reviews[0]!.id === pending.id, JSON.stringify(reviews.map((r) => r.state))));
    await ctx.errorCase(P('GET', '/reviews'), 'a pull request that is not there', { status: 404, code: 'Not Found' }, () => bot.rest.pulls.listReviews({ ...o, pull_number: 99999 }));
    await ctx.errorCase(P('PUT', '/reviews/{review_id}/dismissals'), 'no message', { status: 422, code: 'Validation Failed' }, () => bot.rest.pulls.dismissReview({ ...rv } as never));
    await bot.rest.pulls.dismissReview({ ...rv, message: 'addressed' });
    await ctx.check(P('PUT', '/reviews/{review_id}/dismissals'), 'the review reads dismissed', async () => is((await bot.rest.pulls.getReview(rv)).data.state === 'DISMISSED', 'not dismissed'));
    await ctx.errorCase(P('DELETE', '/reviews/{review_id}'), 'a review already submitted', { status: 422, code: 'Unprocessable Entity' }, () => adminKit.rest.pulls.deletePendingReview(rv));
    const scratch = (await adminKit.rest.pulls.createReview({ ...pr })).data;
    await adminKit.rest.pulls.deletePendingReview({ ...pr, review_id: scratch.id });
    await ctx.check(P('DELETE', '/reviews/{review_id}'), 'the pending review is gone', async () => is((await statusOf(adminKit.rest.pulls.getReview({ ...pr, review_id: scratch.id }))) === 404, 'still there'));

    const C = (m: string, rest = '') => R(m, `/pulls/comments${rest}`);
    const rc = (await adminKit.rest.pulls.createReviewComment({ ...pr, body: 'why two lines?', commit_id: headNow, path: 'src.txt', line: 2 })).data;
    const reply = (await bot.rest.pulls.createReplyForReviewComment({ ...pr, comment_id: rc.id, body: 'because' })).data;
    const onPr = (await bot.rest.pulls.listReviewComments(pr)).data;
    await ctx.check([P('POST', '/comments'), P('GET', '/comments')], 'a comment on line 2 of src.txt and its reply, listed oldest first', () => is(onPr.map((c) => `${c.path}:${c.line}:${c.body}`).join('|') === 'src.txt:2:why two lines?|src.txt:2:because', onPr.map((c) => `${c.path}:${c.line}`).join()));
    await ctx.check(P('POST', '/comments/{comment_id}/replies'), 'the reply answers the comment, on its line', () => is(reply.in_reply_to_id === rc.id && reply.path === 'src.txt' && reply.line === 2, JSON.stringify(reply).slice(0, 120)));
    await ctx.errorCase(P('POST', '/comments'), 'a path the pull request does not change', { status: 422, code: 'Validation Failed' }, () => adminKit.rest.pulls.createReviewComment({ ...pr, body: 'x', commit_id: headNow, path: 'nope.txt', line: 1 }));
    await ctx.errorCase(P('POST', '/comments/{comment_id}/replies'), 'no body', { status: 422, code: 'Validation Failed' }, () => bot.rest.pulls.createReplyForReviewComment({ ...pr, comment_id: rc.id } as never));
    await ctx.errorCase(P('GET', '/comments'), 'a pull request that is not there', { status: 404, code: 'Not Found' }, () => bot.rest.pulls.listReviewComments({ ...o, pull_number: 99999 }));
    const forReview = (await bot.rest.pulls.listCommentsForReview({ ...pr, review_id: rc.pull_request_review_id! })).data;
    await ctx.check(P('GET', '/reviews/{review_id}/comments'), 'the comment made its own commented review', () => is(forReview.length === 1 && forReview[0]!.id === rc.id, JSON.stringify(forReview.map((c) => c.id))));
    await ctx.errorCase(P('GET', '/reviews/{review_id}/comments'), 'a review that is not there', { status: 404, code: 'Not Found' }, () => bot.rest.pulls.listCommentsForReview({ ...pr, review_id: 1 }));
    await adminKit.rest.pulls.updateReviewComment({ ...o, comment_id: rc.id, body: 'why two?' });
    await ctx.check([C('PATCH', '/{comment_id}'), C('GET', '/{comment_id}')], 'the body reads back', async () => is((await bot.rest.pulls.getReviewComment({ ...o, comment_id: rc.id })).data.body === 'why two?', 'not updated'));
    await ctx.errorCase(C('PATCH', '/{comment_id}'), 'an empty body', { status: 422, code: 'Validation Failed' }, () => adminKit.rest.pulls.updateReviewComment({ ...o, comment_id: rc.id, body: '' }));
    await ctx.errorCase(C('GET', '/{comment_id}'), 'a comment that is not there', { status: 404, code: 'Not Found' }, () => bot.rest.pulls.getReviewComment({ ...o, comment_id: 1 }));
    const inRepo = (await bot.rest.pulls.listReviewCommentsForRepo(o)).data;
    await ctx.check(C('GET'), 'both comments of the repository', () => is(inRepo.length === 2, String(inRepo.length)));
    await ctx.errorCase(C('GET'), 'a repository that is not there', { status: 404, code: 'Not Found' }, () => bot.rest.pulls.listReviewCommentsForRepo({ ...o, repo: `nope-${ctx.unique}` }));
    await bot.rest.pulls.deleteReviewComment({ ...o, comment_id: reply.id });
    await ctx.check(C('DELETE', '/{comment_id}'), 'the reply is gone', async () => is((await statusOf(bot.rest.pulls.getReviewComment({ ...o, comment_id: reply.id }))) === 404, 'still there'));
    await ctx.errorCase(C('DELETE', '/{comment_id}'), 'a comment that is not there', { status: 404, code: 'Not Found' }, () => bot.rest.pulls.deleteReviewComment({ ...o, comment_id: reply.id }));
    await ctx.errorCase(P('GET', '/merge'), 'not merged yet', { status: 404, code: 'Not Found' }, () => bot.rest.pulls.checkIfMerged(pr));
    await ctx.errorCase(P('PUT', '/merge'), 'sha is not the head', { status: 409, code: 'Head branch was modified. Review and try the merge again.' }, () => bot.rest.pulls.merge({ ...pr, sha: first.commit.sha! }));
    const merged = (await bot.rest.pulls.merge({ ...pr, merge_method: 'squash' })).data;
    const after = (await bot.rest.pulls.get(pr)).data;
    const mainNow = (await bot.rest.repos.getContent({ ...o, path: 'src.txt' })).data as { content?: string };
    await ctx.check(P('PUT', '/merge'), 'merged: closed, merged_by, the squash commit on main carries src.txt', () =>
      is(merged.merged && after.merged && after.state === 'closed' && after.merge_commit_sha === merged.sha && after.merged_by?.login === me && Buffer.from(mainNow.content ?? '', 'base64').toString() === 'one\ntwo\n', JSON.stringify(merged)));
    await ctx.check(P('GET', '/merge'), 'a merged pull request answers 204', async () => is((await bot.rest.pulls.checkIfMerged(pr)).status === 204, 'not 204'));
    const found = (await bot.rest.search.issuesAndPullRequests({ q: `repo:${org}/${o.repo} is:pr is:merged reviewed-by:asym-admin` })).data;
    const unmerged = (await bot.rest.search.issuesAndPullRequests({ q: `repo:${org}/${o.repo} is:pr is:unmerged` })).data;
    await ctx.check('GET /search/issues', 'is:pr is:merged reviewed-by: finds the merged pull request; is:unmerged does not', () => is(found.items.map((x) => x.number).join() === String(created.number) && unmerged.total_count === 0, `${found.total_count} / ${unmerged.total_count}`));
    await ctx.errorCase('GET /search/issues', 'a query longer than 256 characters', { status: 422, code: 'Validation Failed' }, () => bot.rest.search.issuesAndPullRequests({ q: `is:pr ${'x'.repeat(260)}` }));
    await bot.rest.repos.deleteFile({ ...o, path: 'other.txt', message: 'Remove other', sha: other.content!.sha! });
    await ctx.check(R('DELETE', '/contents/{path}'), 'the file is gone from main', async () => is((await statusOf(bot.rest.repos.getContent({ ...o, path: 'other.txt' }))) === 404, 'still there'));
    await ctx.errorCase(R('DELETE', '/contents/{path}'), 'a file that is not there', { status: 404, code: 'Not Found' }, () => bot.rest.repos.deleteFile({ ...o, path: 'other.txt', message: 'again', sha: other.content!.sha! }));
    await bot.rest.git.deleteRef({ ...o, ref: 'heads/feature' });
    await ctx.check(R('DELETE', '/git/refs/{ref}'), 'the branch is gone', async () => is((await statusOf(bot.rest.repos.getBranch({ ...o, branch: 'feature' }))) === 404, 'still there'));
    await ctx.errorCase(R('DELETE', '/git/refs/{ref}'), 'a branch that is not there', { status: 422, code: 'Reference does not exist' }, () => bot.rest.git.deleteRef({ ...o, ref: 'heads/feature' }));
  });

  await ctx.step('classic token scopes', async () => {
    const scoped = async (scopes: string[]) => kit((await ctx.admin('github/user-token', { user: me, scopes })).json.token as string);
    const none = await scoped([]);
    const read = await none.rest.repos.get(repo);
    await ctx.check('GET /repos/{owner}/{repo}', 'a token without scopes reads a public repository; X-OAuth-Scopes is empty, X-Accepted-OAuth-Scopes names repo', () => is(read.headers['x-oauth-scopes'] === '' && read.headers['x-accepted-oauth-scopes'] === 'repo', JSON.stringify([read.headers['x-oauth-scopes'], read.headers['x-accepted-oauth-scopes']])));
    await ctx.errorCase('GET /user/emails', 'a token without user:email', { status: 404, code: 'Not Found' }, () => none.rest.users.listEmailsForAuthenticatedUser());
    await ctx.errorCase('DELETE /repos/{owner}/{repo}', 'a token without delete_repo', { status: 403, code: 'Must have admin rights to Repository.' }, async () => (await scoped(['repo'])).rest.repos.delete(repo));
    const emails = (await scoped(['user'])).rest.users.listEmailsForAuthenticatedUser();
    await ctx.check('GET /user/emails', 'user grants user:email', async () => is((await emails).status === 200, 'refused'));
  });

  await ctx.step('deletes', async () => {
    const gone = (op: string, what: string, read: () => Promise<{ status: number }>) => ctx.check(op, `${what} is gone`, async () => is((await statusOf(read())) === 404, `${what} still reads`));
    if (commentId) {
      await bot.rest.issues.deleteComment({ ...repo, comment_id: commentId });
      await gone(R('DELETE', '/issues/comments/{comment_id}'), 'the comment', () => bot.rest.issues.getComment({ ...repo, comment_id: commentId }));
    }
    await bot.rest.issues.deleteLabel({ ...repo, name: 'needs triage' });
    await gone(R('DELETE', '/labels/{name}'), 'the label', () => bot.rest.issues.getLabel({ ...repo, name: 'needs triage' }));
    if (milestone) {
      await bot.rest.issues.deleteMilestone({ ...repo, milestone_number: milestone });
      await gone(R('DELETE', '/milestones/{milestone_number}'), 'the milestone', () => bot.rest.issues.getMilestone({ ...repo, milestone_number: milestone }));
    }
    await adminKit.rest.repos.delete(orgRepo);
    await bot.rest.repos.delete(repo);
    await gone(R('DELETE'), 'the repository', () => bot.rest.repos.get(repo));
  });

  await scenarioA(ctx);
  await accountScenario(ctx);
  await invitationsScenario(ctx);
  await appsScenario(ctx);
};
