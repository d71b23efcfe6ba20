import { LinearClient, LinearDocument } from '@linear/sdk';
import { stepFailed, type Scenario } from '../../../src/verify/types.ts';

/**
 * Drives every implemented Linear operation through @linear/sdk on a fresh clone: viewer,
 * users (roles, flags, view preferences), organization, teams (memberships, old keys),
 * workflow states, issues (create, batch, update, labels, relations, subscriptions, sharing,
 * reminders, archive, trash, filters, search), comments, labels, attachments and the
 * integrations' links, projects with labels, milestones and updates, cycles (shift, start,
 * delete). Every operation has a check that reads its effect back; dates follow the
 * clone's clock. Steps tolerate a missing value from an earlier failed step.
 */
export const scenario: Scenario = async (ctx) => {
  const linear = new LinearClient({ apiKey: ctx.clone.tokens.botToken, apiUrl: `${ctx.apiUrl}/graphql` });
  const tag = ctx.unique.replace(/[^a-z0-9]/gi, '').slice(-5).toUpperCase();
  const need = <T>(v: T | undefined | null, what: string): T => {
    if (v === undefined || v === null) throw stepFailed(`${what} missing (an earlier step failed)`);
    return v;
  };
  let teamId: string | undefined;
  let issueId: string | undefined;
  let otherIssueId: string | undefined;
  let labelId: string | undefined;
  let projectId: string | undefined;
  let userId: string | undefined;

  await ctx.step('viewer, users, organization', async () => {
    const me = await linear.viewer;
    userId = me.id;
    await linear.user(me.id);
    await linear.users({ first: 10 });
    await linear.organization;
    await linear.updateUser(me.id, { description: 'verify' });
    await linear.updateOrganization({ name: 'Acme' });
  });

  await ctx.step('teams, memberships, states', async () => {
    const t = await (await linear.createTeam({ name: `Verify ${tag}`, key: `V${tag}`.slice(0, 6) })).team;
    teamId = need(t, 'team').id;
    await linear.team(teamId);
    await linear.teams({ first: 5 });
    await linear.updateTeam(teamId, { description: 'made by asym verify' });
    const ms = await linear.teamMemberships({ first: 5 });
    const m = need(ms.nodes[0], 'membership');
    await linear.teamMembership(m.id);
    await linear.updateTeamMembership(m.id, { owner: true });
    const s = await (await linear.createWorkflowState({ teamId, name: 'QA', type: 'started', color: '#f2c94c' })).workflowState;
    await linear.workflowState(need(s, 'state').id);
    await linear.workflowStates({ first: 5 });
    await linear.updateWorkflowState(s!.id, { name: 'QA review' });
    await linear.archiveWorkflowState(s!.id);
    const other = await (await linear.createTeam({ name: `Spare ${tag}`, key: `S${tag}`.slice(0, 6) })).team;
    const mem = await (await linear.createTeamMembership({ teamId: need(other, 'team').id, userId: need(userId, 'user') })).teamMembership;
    await linear.deleteTeamMembership(need(mem, 'membership').id);
    await linear.deleteTeam(other!.id);
    await linear.unarchiveTeam(other!.id);
  });

  await ctx.step('issues', async () => {
    const t = need(teamId, 'team');
    const label = await (await linear.createIssueLabel({ name: `verify-${tag}`, teamId: t })).issueLabel;
    labelId = need(label, 'label').id;
    await linear.issueLabel(labelId);
    await linear.issueLabels({ first: 5 });
    await linear.updateIssueLabel(labelId, { color: '#eb5757' });
    const i = await (await linear.createIssue({ teamId: t, title: `Verify ${tag}`, priority: 2, labelIds: [labelId] })).issue;
    issueId = need(i, 'issue').id;
    const batch = await linear.createIssueBatch({ issues: [{ teamId: t, title: `Batch A ${tag}` }, { teamId: t, title: `Batch B ${tag}` }] });
    otherIssueId = batch.issues[0]?.id;
    await linear.updateIssueBatch([need(otherIssueId, 'batch issue')], { priority: 4 });
    await linear.issue(issueId);
    await linear.issues({ first: 5, filter: { team: { id: { eq: t } }, priority: { lte: 3 } }, orderBy: LinearDocument.PaginationOrderBy.UpdatedAt });
    const done = (await linear.workflowStates({ filter: { team: { id: { eq: t } }, type: { eq: 'completed' } } })).nodes[0];
    await linear.updateIssue(issueId, { stateId: need(done, 'completed state').id, estimate: 3 });
    await linear.issueRemoveLabel(issueId, labelId);
    await linear.issueAddLabel(issueId, labelId);
    await linear.issueSubscribe(issueId);
    await linear.issueUnsubscribe(issueId);
    await linear.issuePriorityValues;
    await linear.searchIssues(`Verify ${tag}`);
    await linear.issueSearch({ query: `Verify ${tag}` });
    const rel = await (await linear.createIssueRelation({ issueId, relatedIssueId: otherIssueId!, type: LinearDocument.IssueRelationType.Blocks })).issueRelation;
    await linear.issueRelation(need(rel, 'relation').id);
    await linear.issueRelations({ first: 5 });
    await linear.updateIssueRelation(rel!.id, { type: LinearDocument.IssueRelationType.Related });
    await linear.deleteIssueRelation(rel!.id);
    await linear.archiveIssue(otherIssueId!);
    await linear.unarchiveIssue(otherIssueId!);
    await linear.deleteIssue(otherIssueId!);
  });

  // Behaviour: data chosen so that each filter, sort and page tells right from wrong.
  const Q = (op: string) => `query ${op}`;
  const M = (op: string) => `mutation ${op}`;
  const eq = (a: unknown, b: unknown, what: string) => {
    if (JSON.stringify(a) !== JSON.stringify(b)) throw stepFailed(`${what}: expected ${JSON.stringify(b)}, got ${JSON.stringify(a)}`);
  };
  const made: { id: string; identifier: string; priority: number; title: string }[] = [];
  await ctx.step('behaviour data', async () => {
    const t = need(teamId, 'team');
    for (const p of [1, 3, 1, 4, 2]) {
      const i = await (await linear.createIssue({ teamId: t, title: `Page ${tag} p${p}`, priority: p })).issue;
      made.push({ id: need(i, 'issue').id, identifier: i!.identifier, priority: p, title: i!.title });
    }
  });
  await ctx.check([M('issueCreate'), Q('issue')], 'a created issue reads back by id with its title and priority', async () => {
    const i = await linear.issue(need(made[1], 'issue').id);
    eq([i.title, i.priority], [made[1]!.title, 3], 'issue');
  });
  await ctx.check(M('issueCreate'), 'identifiers are KEY-N and increase by one per team', () => {
    const ns = made.map((m) => Number(/^[A-Z0-9]+-(\d+)$/.exec(m.identifier)?.[1]));
    ns.forEach((n, k) => k && eq(n, ns[k - 1]! + 1, `identifier after ${made[k - 1]!.identifier}`));
  });
  await ctx.check(Q('issues'), 'priority filter keeps exactly the matching issues', async () => {
    const got = await linear.issues({ first: 50, filter: { team: { id: { eq: need(teamId, 'team') } }, title: { startsWith: `Page ${tag}` }, priority: { eq: 1 } } });
    eq(got.nodes.map((n) => n.id).sort(), made.filter((m) => m.priority === 1).map((m) => m.id).sort(), 'priority eq 1');
  });
  await ctx.check(Q('issues'), 'or-nested filter is the union of its branches', async () => {
    const got = await linear.issues({ first: 50, filter: { title: { startsWith: `Page ${tag}` }, or: [{ priority: { eq: 4 } }, { priority: { eq: 2 } }] } });
    eq(got.nodes.map((n) => n.id).sort(), made.filter((m) => m.priority === 4 || m.priority === 2).map((m) => m.id).sort(), 'or filter');
  });
  await ctx.check(Q('issues'), 'label filter finds the labelled issue only', async () => {
    const got = await linear.issues({ first: 50, filter: { team: { id: { eq: need(teamId, 'team') } }, labels: { id: { eq: need(labelId, 'label') } } } });
    eq(got.nodes.map((n) => n.id), [need(issueId, 'issue')], 'label filter');
  });
  await ctx.check(Q('issues'), 'state type filter separates completed from the rest', async () => {
    const got = await linear.issues({ first: 50, filter: { team: { id: { eq: need(teamId, 'team') } }, state: { type: { eq: 'completed' } } } });
    eq(got.nodes.map((n) => n.id), [need(issueId, 'issue')], 'state type completed');
  });
  await ctx.check(Q('issues'), 'orderBy createdAt lists newest first', async () => {
    const got = await linear.issues({ first: 50, orderBy: LinearDocument.PaginationOrderBy.CreatedAt, filter: { title: { startsWith: `Page ${tag}` } } });
    eq(got.nodes.map((n) => n.id), [...made].reverse().map((m) => m.id), 'createdAt order');
  });
  await ctx.check(Q('issues'), 'first/after pages cover every issue exactly once', async () => {
    const seen: string[] = [];
    let after: string | undefined;
    for (let k = 0; k < 10; k++) {
      const page = await linear.issues({ first: 2, after, filter: { title: { startsWith: `Page ${tag}` } } });
      seen.push(...page.nodes.map((n) => n.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor ?? undefined;
    }
    eq([...seen].sort(), made.map((m) => m.id).sort(), 'paged ids');
  });
  await ctx.check(Q('searchIssues'), 'searchIssues finds by a term in the title', async () => {
    const got = await linear.searchIssues(`Page ${tag} p3`);
    if (!got.nodes.some((n) => n.id === made[1]?.id)) throw stepFailed('the issue titled with the term is not found');
  });
  await ctx.check([M('issueUpdate'), Q('issue')], 'an update is visible on read', async () => {
    await linear.updateIssue(need(made[0], 'issue').id, { title: `Page ${tag} renamed`, priority: 2 });
    const i = await linear.issue(made[0]!.id);
    eq([i.title, i.priority], [`Page ${tag} renamed`, 2], 'updated issue');
    made[0]!.priority = 2;
  });
  await ctx.check([M('issueArchive'), M('issueUnarchive')], 'archive hides an issue from lists, unarchive brings it back', async () => {
    const id = need(made[3], 'issue').id;
    const listed = async () => (await linear.issues({ first: 50, filter: { title: { startsWith: `Page ${tag}` } } })).nodes.some((n) => n.id === id);
    await linear.archiveIssue(id);
    if (await listed()) throw stepFailed('archived issue still listed');
    if (!(await linear.issue(id)).archivedAt) throw stepFailed('archived issue has no archivedAt');
    await linear.unarchiveIssue(id);
    if (!(await listed())) throw stepFailed('unarchived issue not listed');
  });
  await ctx.check(M('issueDelete'), 'a deleted issue goes to the trash (trashed, out of lists)', async () => {
    const id = need(made[4], 'issue').id;
    await linear.deleteIssue(id);
    const listed = (await linear.issues({ first: 50, filter: { title: { startsWith: `Page ${tag}` } } })).nodes.some((n) => n.id === id);
    if (listed) throw stepFailed('deleted issue still listed');
  });
  await ctx.errorCase(Q('issue'), 'unknown issue id: Entity not found', { status: 400, code: 'INPUT_ERROR' }, () => linear.issue('00000000-0000-4000-8000-000000000000'));
  await ctx.errorCase(M('issueCreate'), 'createIssue with an unknown team: INPUT_ERROR', { status: 400, code: 'INPUT_ERROR' }, () => linear.createIssue({ teamId: '00000000-0000-4000-8000-000000000000', title: 'x' }));
  await ctx.errorCase(M('issueCreate'), 'createIssue with a priority out of range: INPUT_ERROR', { status: 400, code: 'INPUT_ERROR' }, () => linear.createIssue({ teamId: need(teamId, 'team'), title: 'x', priority: 9 }));
  await ctx.errorCase(M('issueUpdate'), 'updateIssue on an unknown id: Entity not found', { status: 400, code: 'INPUT_ERROR' }, () => linear.updateIssue('00000000-0000-4000-8000-000000000000', { title: 'x' }));

  await ctx.step('comments and attachments', async () => {
    const i = need(issueId, 'issue');
    const c = await (await linear.createComment({ issueId: i, body: 'verify comment' })).comment;
    const id = need(c, 'comment').id;
    await linear.comment({ id });
    await linear.comments({ first: 5 });
    await linear.updateComment(id, { body: 'verify comment, edited' });
    await linear.commentResolve(id);
    await linear.commentUnresolve(id);
    await linear.deleteComment(id);
    const a = await (await linear.createAttachment({ issueId: i, title: 'Spec', url: `https://example.test/${tag}` })).attachment;
    await linear.attachment(need(a, 'attachment').id);
    await linear.attachments({ first: 5 });
    await linear.attachmentsForURL(`https://example.test/${tag}`);
    await linear.updateAttachment(a!.id, { title: 'Spec v2' });
    const l = await (await linear.attachmentLinkURL(i, `https://example.test/link-${tag}`)).attachment;
    await linear.deleteAttachment(need(l, 'linked attachment').id);
  });

  await ctx.step('labels retire and delete', async () => {
    const l = need(labelId, 'label');
    await linear.issueLabelRetire(l);
    await linear.issueLabelRestore(l);
    const spare = await (await linear.createIssueLabel({ name: `spare-${tag}` })).issueLabel;
    await linear.deleteIssueLabel(need(spare, 'label').id);
  });

  await ctx.step('projects, milestones, updates', async () => {
    const p = await (await linear.createProject({ name: `Verify project ${tag}`, teamIds: [need(teamId, 'team')] })).project;
    projectId = need(p, 'project').id;
    await linear.project(projectId);
    await linear.projects({ first: 5 });
    await linear.searchProjects(`Verify project ${tag}`);
    await linear.updateProject(projectId, { description: 'verify' });
    const m = await (await linear.createProjectMilestone({ projectId, name: 'Beta' })).projectMilestone;
    await linear.projectMilestone(need(m, 'milestone').id);
    await linear.projectMilestones({ first: 5 });
    await linear.updateProjectMilestone(m!.id, { name: 'Beta 2' });
    await linear.deleteProjectMilestone(m!.id);
    const u = await (await linear.createProjectUpdate({ projectId, body: 'All good' })).projectUpdate;
    await linear.projectUpdate(need(u, 'project update').id);
    await linear.projectUpdates({ first: 5 });
    await linear.updateProjectUpdate(u!.id, { body: 'Still good' });
    await linear.archiveProjectUpdate(u!.id);
    await linear.unarchiveProjectUpdate(u!.id);
    await linear.deleteProjectUpdate(u!.id);
    await linear.archiveProject(projectId);
    await linear.unarchiveProject(projectId);
    const spare = await (await linear.createProject({ name: `Spare project ${tag}`, teamIds: [teamId!] })).project;
    await linear.deleteProject(need(spare, 'project').id);
  });

  await ctx.step('cycles', async () => {
    const now = Date.now();
    const c = await (await linear.createCycle({ teamId: need(teamId, 'team'), startsAt: new Date(now), endsAt: new Date(now + 7 * 86_400_000) })).cycle;
    await linear.cycle(need(c, 'cycle').id);
    await linear.cycles({ first: 5 });
    await linear.updateCycle(c!.id, { name: 'Verify cycle' });
    await linear.archiveCycle(c!.id);
  });

  await ctx.step('suspend and unsuspend a person', async () => {
    const seeded = await ctx.admin('seed', { records: { users: [{ name: 'Verify Person', email: `verify-${tag.toLowerCase()}@acme.test` }] } }, 'POST');
    if (seeded.status !== 200) throw stepFailed(`seed user: ${seeded.status}`);
    const u = (await linear.users({ filter: { email: { eq: `verify-${tag.toLowerCase()}@acme.test` } } })).nodes[0];
    await linear.suspendUser(need(u, 'user').id);
    await linear.unsuspendUser(u!.id);
  });

  // Behaviour of the other families: what a write did is what a read returns.
  const none = '00000000-0000-4000-8000-000000000000';
  await ctx.check([Q('viewer'), Q('user'), M('userUpdate')], 'viewer is user(id), and an update to it reads back', async () => {
    const me = await linear.viewer;
    await linear.updateUser(me.id, { description: `about ${tag}` });
    const u = await linear.user(me.id);
    eq([u.id, u.description], [me.id, `about ${tag}`], 'user');
  });
  await ctx.check([Q('users'), Q('issues')], 'users filter by email, and issues by assignee email', async () => {
    const me = await linear.viewer;
    const us = await linear.users({ filter: { email: { eq: me.email } } });
    eq(us.nodes.map((n) => n.id), [me.id], 'users by email');
    await linear.updateIssue(need(made[1], 'issue').id, { assigneeId: me.id });
    const got = await linear.issues({ first: 50, filter: { title: { startsWith: `Page ${tag}` }, assignee: { email: { eq: me.email } } } });
    eq(got.nodes.map((n) => n.id), [made[1]!.id], 'issues by assignee email');
  });
  await ctx.check([Q('organization'), M('organizationUpdate')], 'an organization rename reads back', async () => {
    await linear.updateOrganization({ name: `Acme ${tag}` });
    eq((await linear.organization).name, `Acme ${tag}`, 'organization name');
  });
  await ctx.check([M('teamCreate'), Q('team'), Q('teams'), M('teamUpdate')], 'a created team reads back, is listed, and its update shows', async () => {
    const t = need(teamId, 'team');
    const team = await linear.team(t);
    eq(team.description, 'made by asym verify', 'team description');
    const all = await linear.teams({ first: 100 });
    if (!all.nodes.some((n) => n.id === t)) throw stepFailed('team not listed');
  });
  await ctx.check(Q('workflowStates'), 'workflowStates filter by team and type', async () => {
    const got = await linear.workflowStates({ filter: { team: { id: { eq: need(teamId, 'team') } }, type: { eq: 'completed' } } });
    if (!got.nodes.length || got.nodes.some((n) => n.type !== 'completed')) throw stepFailed(`got types ${got.nodes.map((n) => n.type).join(',')}`);
  });
  await ctx.check([M('issueLabelCreate'), Q('issueLabel'), Q('issueLabels'), M('issueLabelUpdate')], 'a label reads back with its update and is listed', async () => {
    const l = await linear.issueLabel(need(labelId, 'label'));
    eq([l.name, l.color], [`verify-${tag}`, '#eb5757'], 'label');
    const all = await linear.issueLabels({ first: 250 });
    if (!all.nodes.some((n) => n.id === labelId)) throw stepFailed('label not listed');
  });
  await ctx.check([M('issueAddLabel'), M('issueRemoveLabel')], 'adding and removing a label shows on the issue', async () => {
    const id = need(made[2], 'issue').id;
    const l = need(labelId, 'label');
    await linear.issueAddLabel(id, l);
    eq((await (await linear.issue(id)).labels()).nodes.map((n) => n.id), [l], 'labels after add');
    await linear.issueRemoveLabel(id, l);
    eq((await (await linear.issue(id)).labels()).nodes.map((n) => n.id), [], 'labels after remove');
  });
  await ctx.check([M('commentCreate'), Q('comment'), Q('comments'), M('commentUpdate'), M('commentDelete')], 'a comment reads back, its edit shows, and delete removes it', async () => {
    const c = need(await (await linear.createComment({ issueId: need(made[1], 'issue').id, body: `note ${tag}` })).comment, 'comment');
    await linear.updateComment(c.id, { body: `note ${tag} edited` });
    eq((await linear.comment({ id: c.id })).body, `note ${tag} edited`, 'comment body');
    const listed = async () => (await linear.comments({ first: 100, filter: { issue: { id: { eq: made[1]!.id } } } })).nodes.map((n) => n.id);
    eq(await listed(), [c.id], 'comments of the issue');
    await linear.deleteComment(c.id);
    eq(await listed(), [], 'comments after delete');
  });
  await ctx.check([M('projectCreate'), Q('project'), Q('projects'), M('projectUpdate'), Q('searchProjects')], 'a project reads back, is listed and found, and its update shows', async () => {
    const id = need(projectId, 'project');
    const p = await linear.project(id);
    eq([p.name, p.description], [`Verify project ${tag}`, 'verify'], 'project');
    if (!(await linear.projects({ first: 100 })).nodes.some((n) => n.id === id)) throw stepFailed('project not listed');
    if (!(await linear.searchProjects(`Verify project ${tag}`)).nodes.some((n) => n.id === id)) throw stepFailed('project not found by search');
  });
  await ctx.errorCase(Q('team'), 'unknown team id: Entity not found', { status: 400, code: 'INPUT_ERROR' }, () => linear.team(none));
  await ctx.errorCase(M('commentCreate'), 'comment on an unknown issue: INPUT_ERROR', { status: 400, code: 'INPUT_ERROR' }, () => linear.createComment({ issueId: none, body: 'x' }));
  await ctx.errorCase(M('teamCreate'), 'team with an empty name: INPUT_ERROR', { status: 400, code: 'INPUT_ERROR' }, () => linear.createTeam({ name: '' }));
  await ctx.check([M('cycleCreate'), Q('cycle'), Q('cycles'), M('cycleUpdate')], 'a cycle reads back with its update and is listed for its team', async () => {
    const now = Date.now();
    const c = need(await (await linear.createCycle({ teamId: need(teamId, 'team'), startsAt: new Date(now + 30 * 86_400_000), endsAt: new Date(now + 37 * 86_400_000) })).cycle, 'cycle');
    await linear.updateCycle(c.id, { name: `Cycle ${tag}` });
    eq((await linear.cycle(c.id)).name, `Cycle ${tag}`, 'cycle name');
    if (!(await linear.cycles({ first: 100, filter: { team: { id: { eq: teamId! } } } })).nodes.some((n) => n.id === c.id)) throw stepFailed('cycle not listed');
  });
  await ctx.check([M('attachmentCreate'), Q('attachment'), M('attachmentUpdate'), Q('attachmentsForURL')], 'an attachment reads back, its update shows, and it is found by URL', async () => {
    const url = `https://example.test/check-${tag}`;
    const a = need(await (await linear.createAttachment({ issueId: need(made[1], 'issue').id, title: 'Doc', url })).attachment, 'attachment');
    await linear.updateAttachment(a.id, { title: 'Doc v2' });
    eq((await linear.attachment(a.id)).title, 'Doc v2', 'attachment title');
    eq((await linear.attachmentsForURL(url)).nodes.map((n) => n.id), [a.id], 'attachments for URL');
  });
  await ctx.check([M('projectMilestoneCreate'), Q('projectMilestone'), M('projectMilestoneUpdate'), M('projectMilestoneDelete')], 'a milestone reads back with its update, and delete removes it', async () => {
    const m = need(await (await linear.createProjectMilestone({ projectId: need(projectId, 'project'), name: 'GA' })).projectMilestone, 'milestone');
    await linear.updateProjectMilestone(m.id, { name: 'GA 2' });
    eq((await linear.projectMilestone(m.id)).name, 'GA 2', 'milestone name');
    await linear.deleteProjectMilestone(m.id);
    if ((await linear.projectMilestones({ first: 100 })).nodes.some((n) => n.id === m.id)) throw stepFailed('deleted milestone still listed');
  });
  await ctx.check([M('issueRelationCreate'), Q('issueRelation'), M('issueRelationUpdate')], 'a relation reads back with its type and update', async () => {
    const r = need(await (await linear.createIssueRelation({ issueId: need(made[1], 'issue').id, relatedIssueId: need(made[2], 'issue').id, type: LinearDocument.IssueRelationType.Blocks })).issueRelation, 'relation');
    eq((await linear.issueRelation(r.id)).type, 'blocks', 'relation type');
    await linear.updateIssueRelation(r.id, { type: LinearDocument.IssueRelationType.Related });
    eq((await linear.issueRelation(r.id)).type, 'related', 'relation type after update');
  });

  // Behaviour of the remaining writes: each effect read back through the SDK.
  const gone = async (read: () => Promise<unknown>) => {
    try {
      await read();
      return false;
    } catch {
      return true;
    }
  };
  await ctx.check([M('attachmentLinkURL'), Q('attachments'), M('attachmentDelete')], 'a linked URL is an attachment of the issue, linking it again updates it, delete removes it', async () => {
    const id = need(made[1], 'issue').id;
    const url = `https://example.test/linked-${tag}`;
    const a = need(await (await linear.attachmentLinkURL(id, url, { title: 'First' })).attachment, 'attachment');
    const again = need(await (await linear.attachmentLinkURL(id, url, { title: 'Second' })).attachment, 'attachment');
    eq([again.id, again.title], [a.id, 'Second'], 'relinked attachment (URLs are idempotent per issue)');
    const listed = async () => (await linear.attachments({ first: 250, filter: { url: { eq: url } } })).nodes.map((n) => n.id);
    eq(await listed(), [a.id], 'attachments with the URL');
    eq((await (await linear.issue(id)).attachments()).nodes.filter((n) => n.url === url).map((n) => n.id), [a.id], 'issue attachments');
    await linear.deleteAttachment(a.id);
    eq(await listed(), [], 'attachments after delete');
    if (!(await gone(() => linear.attachment(a.id)))) throw stepFailed('a deleted attachment still reads back');
  });
  await ctx.check([M('commentResolve'), M('commentUnresolve')], 'resolve stamps resolvedAt and the resolving user, unresolve clears them', async () => {
    const me = await linear.viewer;
    const c = need(await (await linear.createComment({ issueId: need(made[1], 'issue').id, body: `thread ${tag}` })).comment, 'comment');
    await linear.commentResolve(c.id);
    const resolved = await linear.comment({ id: c.id });
    eq([!!resolved.resolvedAt, resolved.resolvingUserId], [true, me.id], 'resolved comment');
    await linear.commentUnresolve(c.id);
    const open = await linear.comment({ id: c.id });
    eq([open.resolvedAt ?? null, open.resolvingUserId ?? null], [null, null], 'unresolved comment');
  });
  await ctx.check(M('cycleArchive'), 'an archived cycle has archivedAt, leaves the team\'s cycles and its issues', async () => {
    const now = Date.now();
    const t = need(teamId, 'team');
    const c = need(await (await linear.createCycle({ teamId: t, startsAt: new Date(now + 60 * 86_400_000), endsAt: new Date(now + 67 * 86_400_000) })).cycle, 'cycle');
    const i = need(made[2], 'issue').id;
    await linear.updateIssue(i, { cycleId: c.id });
    await linear.archiveCycle(c.id);
    if (!(await linear.cycle(c.id)).archivedAt) throw stepFailed('archived cycle has no archivedAt');
    if ((await linear.cycles({ first: 250, filter: { team: { id: { eq: t } } } })).nodes.some((n) => n.id === c.id)) throw stepFailed('archived cycle still listed');
    eq((await linear.issue(i)).cycleId ?? null, null, 'issue cycle after archive');
  });
  await ctx.check([M('issueBatchCreate'), M('issueBatchUpdate')], 'a batch creates every issue, and a batch update changes each of them', async () => {
    const t = need(teamId, 'team');
    const b = await linear.createIssueBatch({ issues: [{ teamId: t, title: `Bulk ${tag} one`, priority: 1 }, { teamId: t, title: `Bulk ${tag} two`, priority: 2 }] });
    const ids = b.issues.map((i) => i.id);
    eq(ids.length, 2, 'issues created');
    eq(await Promise.all(ids.map(async (id) => (await linear.issue(id)).title)), [`Bulk ${tag} one`, `Bulk ${tag} two`], 'batch titles');
    await linear.updateIssueBatch(ids, { priority: 4 });
    eq(await Promise.all(ids.map(async (id) => (await linear.issue(id)).priority)), [4, 4], 'priorities after the batch update');
  });
  await ctx.check([M('issueLabelRetire'), M('issueLabelRestore'), M('issueLabelDelete')], 'retire records who retired it and keeps the label listed, restore clears that, delete removes it', async () => {
    const l = need(await (await linear.createIssueLabel({ name: `retire-${tag}`, teamId: need(teamId, 'team') })).issueLabel, 'label');
    await linear.issueLabelRetire(l.id);
    const retired = await linear.issueLabel(l.id);
    eq(retired.retiredById, (await linear.viewer).id, 'retired label retiredBy');
    if (!(await linear.issueLabels({ first: 250, filter: { name: { eq: `retire-${tag}` } } })).nodes.some((n) => n.id === l.id)) throw stepFailed('a retired label is no longer listed');
    await linear.issueLabelRestore(l.id);
    eq((await linear.issueLabel(l.id)).retiredById ?? null, null, 'restored label retiredBy');
    await linear.deleteIssueLabel(l.id);
    eq((await linear.issueLabels({ first: 250, filter: { name: { eq: `retire-${tag}` } } })).nodes.length, 0, 'labels after delete');
  });
  await ctx.check([Q('issueRelations'), M('issueRelationDelete')], 'a relation is listed, and delete removes it from the list and the issue', async () => {
    const a = need(made[1], 'issue').id;
    const r = need(await (await linear.createIssueRelation({ issueId: a, relatedIssueId: need(made[3], 'issue').id, type: LinearDocument.IssueRelationType.Duplicate })).issueRelation, 'relation');
    const listed = async () => (await linear.issueRelations({ first: 250 })).nodes.some((n) => n.id === r.id);
    if (!(await listed())) throw stepFailed('relation not listed');
    await linear.deleteIssueRelation(r.id);
    if (await listed()) throw stepFailed('deleted relation still listed');
    if ((await (await linear.issue(a)).relations()).nodes.some((n) => n.id === r.id)) throw stepFailed('deleted relation still on the issue');
  });
  await ctx.check([M('issueSubscribe'), M('issueUnsubscribe')], 'subscribe adds the viewer to the issue\'s subscribers, unsubscribe removes them', async () => {
    const me = await linear.viewer;
    const id = need(made[2], 'issue').id;
    const subscribed = async () => (await (await linear.issue(id)).subscribers()).nodes.some((n) => n.id === me.id);
    await linear.issueUnsubscribe(id);
    if (await subscribed()) throw stepFailed('viewer still subscribed after issueUnsubscribe');
    await linear.issueSubscribe(id);
    if (!(await subscribed())) throw stepFailed('viewer not among subscribers after issueSubscribe');
  });
  await ctx.check([M('projectArchive'), M('projectUnarchive'), M('projectDelete')], 'archive hides a project, unarchive brings it back, delete trashes it', async () => {
    const p = need(await (await linear.createProject({ name: `Lifecycle ${tag}`, teamIds: [need(teamId, 'team')] })).project, 'project');
    const listed = async () => (await linear.projects({ first: 250, filter: { name: { eq: `Lifecycle ${tag}` } } })).nodes.some((n) => n.id === p.id);
    await linear.archiveProject(p.id);
    if (!(await linear.project(p.id)).archivedAt || (await listed())) throw stepFailed('archived project not archived, or still listed');
    await linear.unarchiveProject(p.id);
    if ((await linear.project(p.id)).archivedAt || !(await listed())) throw stepFailed('unarchived project still archived, or not listed');
    await linear.deleteProject(p.id);
    const trashed = await linear.project(p.id);
    eq([trashed.trashed, !!trashed.archivedAt, await listed()], [true, true, false], 'deleted project (trashed, archived, unlisted)');
  });
  await ctx.check([M('projectUpdateCreate'), Q('projectUpdate'), Q('projectUpdates'), M('projectUpdateUpdate'), M('projectUpdateArchive'), M('projectUpdateUnarchive'), M('projectUpdateDelete')], 'a project update reads back and is listed, its edit shows, archive hides it, delete removes it', async () => {
    const pid = need(projectId, 'project');
    const u = need(await (await linear.createProjectUpdate({ projectId: pid, body: `Status ${tag}`, health: LinearDocument.ProjectUpdateHealthType.AtRisk })).projectUpdate, 'project update');
    const read = await linear.projectUpdate(u.id);
    eq([read.body, read.health], [`Status ${tag}`, 'atRisk'], 'project update');
    const listed = async () => (await linear.projectUpdates({ first: 250, filter: { project: { id: { eq: pid } } } })).nodes.some((n) => n.id === u.id);
    if (!(await listed())) throw stepFailed('project update not listed');
    await linear.updateProjectUpdate(u.id, { body: `Status ${tag} edited` });
    const edited = await linear.projectUpdate(u.id);
    eq([edited.body, !!edited.editedAt], [`Status ${tag} edited`, true], 'edited project update');
    await linear.archiveProjectUpdate(u.id);
    if (!(await linear.projectUpdate(u.id)).archivedAt || (await listed())) throw stepFailed('archived project update not archived, or still listed');
    await linear.unarchiveProjectUpdate(u.id);
    if ((await linear.projectUpdate(u.id)).archivedAt || !(await listed())) throw stepFailed('unarchived project update still archived, or not listed');
    await linear.deleteProjectUpdate(u.id);
    if (!(await gone(() => linear.projectUpdate(u.id)))) throw stepFailed('a deleted project update still reads back');
  });
  await ctx.check(Q('projectMilestones'), 'projectMilestones lists a project\'s milestones', async () => {
    const pid = need(projectId, 'project');
    const m = need(await (await linear.createProjectMilestone({ projectId: pid, name: `M ${tag}` })).projectMilestone, 'milestone');
    eq((await linear.projectMilestones({ first: 250, filter: { project: { id: { eq: pid } } } })).nodes.map((n) => n.id), [m.id], 'milestones of the project');
  });
  await ctx.check([M('teamDelete'), M('teamUnarchive')], 'teamDelete archives a team out of the list, teamUnarchive restores it', async () => {
    const t = need(await (await linear.createTeam({ name: `Gone ${tag}`, key: `G${tag}`.slice(0, 6) })).team, 'team');
    const listed = async () => (await linear.teams({ first: 250 })).nodes.some((n) => n.id === t.id);
    await linear.deleteTeam(t.id);
    if (!(await linear.team(t.id)).archivedAt || (await listed())) throw stepFailed('deleted team not archived, or still listed');
    await linear.unarchiveTeam(t.id);
    if ((await linear.team(t.id)).archivedAt || !(await listed())) throw stepFailed('unarchived team still archived, or not listed');
  });
  await ctx.check([M('teamMembershipCreate'), Q('teamMembership'), Q('teamMemberships'), M('teamMembershipUpdate'), M('teamMembershipDelete')], 'a membership puts the user in the team, owner updates read back, delete takes them out', async () => {
    const t = need(teamId, 'team');
    const other = (await linear.users({ first: 50 })).nodes.find((u) => u.id !== userId);
    const uid = need(other, 'another user').id;
    const members = async () => (await (await linear.team(t)).members({ first: 250 })).nodes.map((n) => n.id);
    const m = need(await (await linear.createTeamMembership({ teamId: t, userId: uid })).teamMembership, 'membership');
    if (!(await members()).includes(uid)) throw stepFailed('new member not in team.members');
    const read = await linear.teamMembership(m.id);
    eq([read.teamId, read.userId, read.owner], [t, uid, false], 'membership');
    if (!(await linear.teamMemberships({ first: 250 })).nodes.some((n) => n.id === m.id)) throw stepFailed('membership not listed');
    await linear.updateTeamMembership(m.id, { owner: true });
    eq((await linear.teamMembership(m.id)).owner, true, 'owner after update');
    await linear.deleteTeamMembership(m.id);
    if ((await members()).includes(uid)) throw stepFailed('removed member still in team.members');
  });
  await ctx.check([M('userSuspend'), M('userUnsuspend')], 'a suspended user is inactive and leaves users(), unsuspend restores them', async () => {
    const email = `suspend-${tag.toLowerCase()}@acme.test`;
    const seeded = await ctx.admin('seed', { records: { users: [{ name: 'Suspend Me', email }] } }, 'POST');
    if (seeded.status !== 200) throw stepFailed(`seed user: ${seeded.status}`);
    const u = need((await linear.users({ filter: { email: { eq: email } } })).nodes[0], 'user');
    await linear.suspendUser(u.id);
    eq((await linear.user(u.id)).active, false, 'active after suspend');
    eq((await linear.users({ filter: { email: { eq: email } } })).nodes.length, 0, 'users() without includeDisabled');
    await linear.unsuspendUser(u.id);
    eq((await linear.user(u.id)).active, true, 'active after unsuspend');
  });
  await ctx.check([M('workflowStateCreate'), Q('workflowState'), M('workflowStateUpdate'), M('workflowStateArchive')], 'a state reads back with its type, its rename shows, archive stamps archivedAt', async () => {
    const t = need(teamId, 'team');
    const st = need(await (await linear.createWorkflowState({ teamId: t, name: `Check ${tag}`, type: 'unstarted', color: '#bec2c8' })).workflowState, 'state');
    const read = await linear.workflowState(st.id);
    eq([read.name, read.type, read.teamId], [`Check ${tag}`, 'unstarted', t], 'state');
    await linear.updateWorkflowState(st.id, { name: `Check ${tag} 2` });
    eq((await linear.workflowState(st.id)).name, `Check ${tag} 2`, 'state name after update');
    await linear.archiveWorkflowState(st.id);
    if (!(await linear.workflowState(st.id)).archivedAt) throw stepFailed('archived state has no archivedAt');
  });
  await ctx.check(Q('issuePriorityValues'), 'issuePriorityValues are Linear\'s five priorities with their labels', async () => {
    eq((await linear.issuePriorityValues).map((v) => [v.priority, v.label]), [[0, 'No priority'], [1, 'Urgent'], [2, 'High'], [3, 'Medium'], [4, 'Low']], 'priority values');
  });
  await ctx.check(Q('issueSearch'), 'issueSearch finds an issue by a term in its title, and only matching ones', async () => {
    const got = await linear.issueSearch({ query: `Page ${tag} p3` });
    eq(got.nodes.map((n) => n.id), [need(made[1], 'issue').id], 'issueSearch');
  });

  // The integrations' links: each is an attachment of the issue with its source and ids.
  const linkIssue = () => need(made[2], 'issue').id;
  const links: Array<[string, () => Promise<{ attachment?: Promise<{ id: string } | undefined> | undefined }>, string, string, Record<string, unknown>]> = [
    ['attachmentLinkGitHubIssue', () => linear.attachmentLinkGitHubIssue(linkIssue(), `https://github.com/acme/app-${tag}/issues/7`), 'github', `https://github.com/acme/app-${tag}/issues/7`, { owner: 'acme', repo: `app-${tag}`, number: 7 }],
    ['attachmentLinkGitHubPR', () => linear.attachmentLinkGitHubPR(linkIssue(), `https://github.com/acme/app-${tag}/pull/8`), 'github', `https://github.com/acme/app-${tag}/pull/8`, { owner: 'acme', repo: `app-${tag}`, number: 8 }],
    ['attachmentLinkGitLabMR', () => linear.attachmentLinkGitLabMR(linkIssue(), 9, `acme/web-${tag}`, `https://gitlab.com/acme/web-${tag}/-/merge_requests/9`), 'gitlab', `https://gitlab.com/acme/web-${tag}/-/merge_requests/9`, { projectPathWithNamespace: `acme/web-${tag}`, number: 9 }],
    ['attachmentLinkJiraIssue', () => linear.attachmentLinkJiraIssue(linkIssue(), `OPS-${tag}`, { url: `https://acme.atlassian.net/browse/OPS-${tag}` }), 'jira', `https://acme.atlassian.net/browse/OPS-${tag}`, { issueKey: `OPS-${tag}` }],
    ['attachmentLinkSlack', () => linear.attachmentLinkSlack(linkIssue(), `https://acme.slack.com/archives/C0${tag}/p1700000000123456`), 'slack', `https://acme.slack.com/archives/C0${tag}/p1700000000123456`, { channelId: `C0${tag}`, messageTs: '1700000000.123456' }],
    ['attachmentLinkZendesk', () => linear.attachmentLinkZendesk(linkIssue(), `42${tag}`, { url: `https://acme.zendesk.com/agent/tickets/42${tag}` }), 'zendesk', `https://acme.zendesk.com/agent/tickets/42${tag}`, { ticketId: `42${tag}` }],
    ['attachmentLinkIntercom', () => linear.attachmentLinkIntercom(`conv${tag}`, linkIssue()), 'intercom', `https://app.intercom.com/a/inbox/_/inbox/conversation/conv${tag}`, { conversationId: `conv${tag}` }],
    ['attachmentLinkFront', () => linear.attachmentLinkFront(`cnv_${tag}`, linkIssue()), 'front', `https://app.frontapp.com/open/cnv_${tag}`, { conversationId: `cnv_${tag}` }],
    ['attachmentLinkDiscord', () => linear.attachmentLinkDiscord('222', linkIssue(), `333${tag.length}`, `https://discord.com/channels/111/222/333${tag.length}`), 'discord', `https://discord.com/channels/111/222/333${tag.length}`, { channelId: '222', messageId: `333${tag.length}` }],
    ['attachmentLinkSalesforce', () => linear.attachmentLinkSalesforce(linkIssue(), `https://acme.my.salesforce.com/lightning/r/Case/500Hs00001${tag}XYZ/view`), 'salesforce', `https://acme.my.salesforce.com/lightning/r/Case/500Hs00001${tag}XYZ/view`, {}],
  ];
  for (const [op, call, sourceType, url, metadata] of links) {
    await ctx.check([M(op), Q('attachment')], `${op} attaches the ${sourceType} object to the issue with its URL, source and ids, once per URL`, async () => {
      const a = need(await (await call()).attachment, 'attachment');
      const read = await linear.attachment(a.id);
      eq([read.url, read.sourceType, (await read.issue)?.id], [url, sourceType, linkIssue()], 'linked attachment');
      for (const [k, v] of Object.entries(metadata)) eq((read.metadata as Record<string, unknown>)[k], v, `metadata.${k}`);
      const again = need(await (await call()).attachment, 'attachment');
      eq(again.id, a.id, 'the same URL linked again');
      eq((await linear.attachmentsForURL(url)).nodes.map((n) => n.id), [a.id], 'attachments for the URL');
    });
  }
  await ctx.errorCase(M('attachmentLinkGitHubPR'), 'a URL that is not a GitHub pull request: INPUT_ERROR', { status: 400, code: 'INPUT_ERROR' }, () => linear.attachmentLinkGitHubPR(linkIssue(), 'https://example.test/not-a-pr'));
  await ctx.errorCase(M('attachmentLinkJiraIssue'), 'a Jira issue with no integration and no fallback url: INPUT_ERROR', { status: 400, code: 'INPUT_ERROR' }, () => linear.attachmentLinkJiraIssue(linkIssue(), 'OPS-1'));
  await ctx.check(Q('attachmentIssue'), 'attachmentIssue answers the issue an attachment belongs to', async () => {
    const a = need(await (await linear.attachmentLinkURL(need(made[3], 'issue').id, `https://example.test/owner-${tag}`)).attachment, 'attachment');
    eq((await linear.attachmentIssue(a.id)).id, made[3]!.id, 'issue of the attachment');
  });
  await ctx.check(Q('issueVcsBranchSearch'), 'a branch name carrying an identifier finds that issue, one without finds none', async () => {
    const i = need(made[1], 'issue');
    eq((await linear.issueVcsBranchSearch(`avery/${i.identifier.toLowerCase()}-fix-it`))?.id, i.id, 'issue of the branch');
    eq((await linear.issueVcsBranchSearch(`no-issue-here-${tag.toLowerCase()}`))?.id ?? null, null, 'branch without an identifier');
  });
  await ctx.check(Q('organizationExists'), 'organizationExists is true for the workspace\'s url key only', async () => {
    const key = (await linear.organization).urlKey;
    eq([(await linear.organizationExists(key)).exists, (await linear.organizationExists(`${key}-${tag.toLowerCase()}-none`)).exists], [true, false], 'exists');
  });

  // Cycles of a team of their own: shift, start the upcoming one today, delete them all.
  let cycleTeam: string | undefined;
  const day = 86_400_000;
  const cyc: { current?: string; next?: string; later?: string; now?: number } = {};
  await ctx.step('cycle team', async () => {
    const team = need(await (await linear.createTeam({ name: `Cycles ${tag}`, key: `C${tag}`.slice(0, 6) })).team, 'team');
    cycleTeam = team.id;
    // The clone's clock need not be this machine's: cycles are dated from the clone's now.
    const now = (cyc.now = team.createdAt.getTime());
    const make = async (from: number, to: number) => need(await (await linear.createCycle({ teamId: cycleTeam!, startsAt: new Date(now + from * day), endsAt: new Date(now + to * day) })).cycle, 'cycle').id;
    cyc.current = await make(-3, 4);
    cyc.next = await make(4, 11);
    cyc.later = await make(11, 18);
  });
  await ctx.check(M('cycleShiftAll'), 'cycleShiftAll moves the given cycle and the later ones, not the earlier', async () => {
    const at = async (id: string) => (await linear.cycle(id)).startsAt.getTime();
    const [c0, n0, l0] = [await at(need(cyc.current, 'cycle')), await at(need(cyc.next, 'cycle')), await at(need(cyc.later, 'cycle'))];
    await linear.cycleShiftAll({ id: cyc.next!, daysToShift: 2 });
    eq([await at(cyc.current!) - c0, await at(cyc.next!) - n0, await at(cyc.later!) - l0], [0, 2 * day, 2 * day], 'shifts (ms)');
  });
  await ctx.check(M('cycleStartUpcomingCycleToday'), 'the upcoming cycle starts at midnight today and is active; the running one completes', async () => {
    await linear.cycleStartUpcomingCycleToday(need(cyc.next, 'cycle'));
    const next = await linear.cycle(cyc.next!);
    const midnight = new Date(need(cyc.now, 'clone time'));
    midnight.setUTCHours(0, 0, 0, 0);
    eq([next.startsAt.toISOString(), next.isActive], [midnight.toISOString(), true], 'started cycle');
    const prev = await linear.cycle(need(cyc.current, 'cycle'));
    eq([!!prev.completedAt, prev.isActive], [true, false], 'previous cycle');
  });
  await ctx.errorCase(M('cycleStartUpcomingCycleToday'), 'a cycle that is not the upcoming one: INPUT_ERROR', { status: 400, code: 'INPUT_ERROR' }, () => linear.cycleStartUpcomingCycleToday(need(cyc.current, 'cycle')));
  await ctx.check(M('teamCyclesDelete'), 'teamCyclesDelete removes every cycle of the team and turns cycles off', async () => {
    const t = need(cycleTeam, 'team');
    await linear.deleteTeamCycles(t);
    const team = await linear.team(t);
    eq([team.cyclesEnabled, (await team.cycles({ includeArchived: true })).nodes.length], [false, 0], 'team cycles');
  });

  await ctx.check(M('teamKeyDelete'), 'a renamed team\'s old key still finds its issues until teamKeyDelete removes it', async () => {
    const [oldKey, newKey] = [`K${tag}`.slice(0, 6), `N${tag}`.slice(0, 6)];
    const t = need(await (await linear.createTeam({ name: `Keys ${tag}`, key: oldKey })).team, 'team');
    const i = need(await (await linear.createIssue({ teamId: t.id, title: `Keyed ${tag}` })).issue, 'issue');
    await linear.updateTeam(t.id, { key: newKey });
    eq([(await linear.issue(`${oldKey}-1`)).id, (await linear.issue(`${newKey}-1`)).id, (await linear.team(oldKey)).id], [i.id, i.id, t.id], 'old and new key');
    await linear.deleteTeamKey(oldKey);
    if (!(await gone(() => linear.issue(`${oldKey}-1`)))) throw stepFailed('the deleted key still finds the issue');
    eq((await linear.issue(`${newKey}-1`)).id, i.id, 'issue by the current key');
  });
  await ctx.errorCase(M('teamKeyDelete'), 'the active team key: INPUT_ERROR', { status: 400, code: 'INPUT_ERROR' }, async () => linear.deleteTeamKey((await linear.team(need(teamId, 'team'))).key));

  let outsider: string | undefined;
  await ctx.step('a person outside the team', async () => {
    const email = `outside-${tag.toLowerCase()}@acme.test`;
    const seeded = await ctx.admin('seed', { records: { users: [{ name: 'Outside Person', email }] } }, 'POST');
    if (seeded.status !== 200) throw stepFailed(`seed user: ${seeded.status}`);
    outsider = need((await linear.users({ filter: { email: { eq: email } } })).nodes[0], 'user').id;
  });
  await ctx.check(M('userChangeRole'), 'a role change shows on the user: admin, guest, then member again', async () => {
    const u = need(outsider, 'user');
    const flags = async () => { const x = await linear.user(u); return [x.admin, x.guest, x.owner]; };
    await linear.userChangeRole(u, LinearDocument.UserRoleType.Admin);
    eq(await flags(), [true, false, false], 'admin');
    await linear.userChangeRole(u, LinearDocument.UserRoleType.Guest);
    eq(await flags(), [false, true, false], 'guest');
    await linear.userChangeRole(u, LinearDocument.UserRoleType.User);
    eq(await flags(), [false, false, false], 'member');
  });
  await ctx.errorCase(M('userChangeRole'), 'an admin making someone owner: FORBIDDEN', { status: 400, code: 'FORBIDDEN' }, () => linear.userChangeRole(need(outsider, 'user'), LinearDocument.UserRoleType.Owner));
  await ctx.check([M('issueShare'), M('issueUnshare')], 'sharing puts the person in the issue\'s sharedAccess, unsharing takes them out', async () => {
    const u = need(outsider, 'user');
    const id = need(made[1], 'issue').id;
    await linear.issueShare(id, u);
    const shared = (await linear.issue(id)).sharedAccess;
    eq([shared.isShared, shared.sharedWithCount, shared.sharedWithUsers.map((x) => x.id)], [true, 1, [u]], 'shared access');
    await linear.issueUnshare(id, u);
    const after = (await linear.issue(id)).sharedAccess;
    eq([after.isShared, after.sharedWithCount], [false, 0], 'after unshare');
  });
  await ctx.errorCase(M('issueShare'), 'sharing with a member of the issue\'s team: INPUT_ERROR', { status: 400, code: 'INPUT_ERROR' }, () => linear.issueShare(need(made[1], 'issue').id, need(userId, 'user')));
  await ctx.check(M('userFlagUpdate'), 'a settings flag counts up with incr and resets with clear', async () => {
    const flag = LinearDocument.UserFlagType.TryCyclesDismissed;
    const start = (await linear.updateUserFlag(flag, LinearDocument.UserFlagUpdateOperation.Clear)).value;
    const one = (await linear.updateUserFlag(flag, LinearDocument.UserFlagUpdateOperation.Incr)).value;
    const two = (await linear.updateUserFlag(flag, LinearDocument.UserFlagUpdateOperation.Incr)).value;
    const down = (await linear.updateUserFlag(flag, LinearDocument.UserFlagUpdateOperation.Decr)).value;
    const cleared = (await linear.updateUserFlag(flag, LinearDocument.UserFlagUpdateOperation.Clear)).value;
    eq([start, one, two, down, cleared], [0, 1, 2, 1, 0], 'flag values');
  });

  await ctx.check([M('projectAddLabel'), M('projectRemoveLabel')], 'a label added to a project shows in its labels, removing it takes it out', async () => {
    const pid = need(projectId, 'project');
    const l = need(await (await linear.createProjectLabel({ name: `theme-${tag}` })).projectLabel, 'project label');
    const labels = async () => (await (await linear.project(pid)).labels()).nodes.map((n) => n.id);
    await linear.projectAddLabel(pid, l.id);
    eq([await labels(), (await linear.project(pid)).labelIds], [[l.id], [l.id]], 'project labels after add');
    await linear.projectRemoveLabel(pid, l.id);
    eq(await labels(), [], 'project labels after remove');
  });
  await ctx.errorCase(M('projectAddLabel'), 'a label group applied to a project: INPUT_ERROR', { status: 400, code: 'INPUT_ERROR' }, async () => {
    const g = need(await (await linear.createProjectLabel({ name: `group-${tag}`, isGroup: true })).projectLabel, 'label group');
    return linear.projectAddLabel(need(projectId, 'project'), g.id);
  });
  await ctx.check(Q('issueFigmaFileKeySearch'), 'issueFigmaFileKeySearch finds the issues linking the Figma file, not others', async () => {
    const key = `Fk${tag}abc`;
    await linear.attachmentLinkURL(need(made[1], 'issue').id, `https://www.figma.com/design/${key}/Checkout?node-id=1-2`);
    await linear.attachmentLinkURL(need(made[3], 'issue').id, `https://www.figma.com/design/${key}x/Other`);
    eq((await linear.issueFigmaFileKeySearch(key)).nodes.map((n) => n.id), [made[1]!.id], 'issues of the Figma file');
  });

  await ctx.check(Q('userViewPreferences'), 'the viewer\'s preferences for a view type read back, a second create replaces them, other view types stay empty', async () => {
    const V = LinearDocument.ViewType;
    const before = await linear.userViewPreferences(V.AllIssues);
    await linear.createViewPreferences({ type: LinearDocument.ViewPreferencesType.User, viewType: V.AllIssues, preferences: { layout: 'board', showSubIssues: false } });
    const first = need(await linear.userViewPreferences(V.AllIssues), 'preferences');
    eq([first.type, first.viewType, first.preferences.layout, first.preferences.showSubIssues], ['user', 'allIssues', 'board', false], 'preferences');
    await linear.createViewPreferences({ type: LinearDocument.ViewPreferencesType.User, viewType: V.AllIssues, preferences: { layout: 'list' } });
    const second = need(await linear.userViewPreferences(V.AllIssues), 'preferences');
    eq([second.preferences.layout, second.preferences.showSubIssues ?? null, before?.id === second.id], ['list', null, false], 'replaced preferences');
    eq(await linear.userViewPreferences(V.ActiveIssues), undefined, 'another view type');
  });
  await ctx.errorCase(Q('userViewPreferences'), 'a view type that does not exist: GRAPHQL_VALIDATION_FAILED', { status: 400, code: 'GRAPHQL_VALIDATION_FAILED' }, () => linear.userViewPreferences('notAView' as LinearDocument.ViewType));

  // Last, as it moves the clone's clock: a reminder becomes a notification when its time comes.
  await ctx.check(M('issueReminder'), 'a reminder is no notification before its time and the viewer\'s IssueNotification after it', async () => {
    const clock = await ctx.admin('clock', undefined, 'GET');
    const now = Date.parse(clock.json.clock.at);
    const id = need(made[1], 'issue').id;
    await linear.issueReminder(id, new Date(now + 3_600_000));
    const mine = async () => (await linear.notifications({ first: 250 })).nodes.filter((n) => (n as unknown as { issueId?: string }).issueId === id);
    eq((await mine()).length, 0, 'notifications before the reminder time');
    const moved = await ctx.admin('clock', { action: 'advance', by: '2h' }, 'POST');
    if (moved.status !== 200) throw stepFailed(`advance the clock: ${moved.status}`);
    const got = await mine();
    eq([got.length, got[0]?.type, got[0]?.category], [1, 'issueReminder', 'reminders'], 'notifications after the reminder time');
  });
  await ctx.errorCase(M('issueReminder'), 'a reminder time in the past: INPUT_ERROR', { status: 400, code: 'INPUT_ERROR' }, () => linear.issueReminder(need(made[1], 'issue').id, new Date(Date.UTC(2000, 0, 1))));
};
