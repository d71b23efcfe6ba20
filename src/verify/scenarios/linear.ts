import { LinearClient, LinearDocument } from '@linear/sdk';
import { stepFailed, type Scenario } from '../types.ts';

/**
 * Drives every implemented Linear operation through @linear/sdk on a fresh clone: viewer,
 * users, organization, teams and memberships, workflow states, issues (create, batch,
 * update, labels, relations, archive, trash, filters, search), comments, labels,
 * attachments, projects with milestones and updates, cycles. Steps tolerate a missing value
 * from an earlier failed step.
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
};
