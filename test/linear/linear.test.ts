/** The Linear clone through @linear/sdk: viewer, teams, states, issues (filter, order, paging), comments, labels, projects, cycles, search, delete, auth, webhooks. */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { createHmac } from 'node:crypto';
import { LinearClient, LinearDocument, LinearError } from '@linear/sdk';
import { parse, validate } from 'graphql';
import { cloneHarness } from '../support/clones.ts';
import { describeDocker } from '../support/docker.ts';
import baseSdl from '../../templates/linear/schema/linear.graphql' with { type: 'text' };
import extensionSdl from '../../templates/linear/schema/sdk-extension.graphql' with { type: 'text' };
import { buildLinearSchema } from '../../templates/linear/src/schema.ts';

const h = cloneHarness('linear');
let clone: any;
let linear: LinearClient;
const client = (opts: { apiKey?: string; accessToken?: string }) => new LinearClient({ ...opts, apiUrl: `${clone.endpoints.api}/graphql` });

test('every document @linear/sdk sends validates against the served schema', () => {
  // Built with full SDL validation (the server skips it at startup).
  const schema = buildLinearSchema(baseSdl, extensionSdl);
  const failing: string[] = [];
  let n = 0;
  for (const [name, d] of Object.entries(LinearDocument as Record<string, unknown>)) {
    if ((d as object | null)?.constructor?.name !== 'TypedDocumentString' || name.endsWith('FragmentDoc')) continue;
    n++;
    if (validate(schema, parse(String(d))).length) failing.push(name);
  }
  expect(n).toBeGreaterThan(600);
  expect(failing).toEqual([]);
});

describeDocker('linear clone', () => {
  beforeAll(async () => {
    clone = await h.spin('linear', []);
    linear = client({ apiKey: clone.tokens.botToken });
  }, 240_000);
  afterAll(() => h.cleanup(), 60_000);

  test('viewer, organization, auth by API key and OAuth, auth errors', async () => {
    expect(clone.tokens.botToken).toMatch(/^lin_api_[A-Za-z0-9]{40}$/);
    const me = await linear.viewer;
    expect(me).toMatchObject({ name: 'Avery Admin', email: 'avery@acme.test', admin: true, active: true, isMe: true });
    const viaOauth = await client({ accessToken: clone.tokens.userToken }).viewer;
    expect(viaOauth.id).toBe(me.id);
    expect((await linear.organization).urlKey).toBe('acme');
    let err: unknown;
    try {
      await client({ apiKey: 'lin_api_nope' }).viewer;
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(LinearError);
    expect((err as LinearError).type).toBe('AuthenticationError' as never);
    const res = await fetch(`${clone.endpoints.api}/graphql`, { method: 'POST', headers: { authorization: 'lin_api_nope', 'content-type': 'application/json' }, body: '{"query":"{ viewer { id } }"}' });
    expect(res.status).toBe(400);
    const body: any = await res.json();
    expect(body.errors[0].extensions).toMatchObject({ type: 'authentication error', code: 'AUTHENTICATION_ERROR', userPresentableMessage: 'You need to authenticate to access this operation.' });
    const ok = await fetch(`${clone.endpoints.api}/graphql`, { method: 'POST', headers: { authorization: clone.tokens.botToken, 'content-type': 'application/json' }, body: '{"query":"{ viewer { id } }"}' });
    expect(ok.headers.get('x-ratelimit-requests-limit')).toBe('5000');
    expect(Number(ok.headers.get('x-complexity'))).toBeGreaterThan(0);
    // Budgets are counted per key (the kit's rate-window.ts): the next request has one
    // request less and its own complexity less, and both reset on the hour (epoch ms).
    const next = await fetch(`${clone.endpoints.api}/graphql`, { method: 'POST', headers: { authorization: clone.tokens.botToken, 'content-type': 'application/json' }, body: '{"query":"{ viewer { id name } }"}' });
    const h = (r: Response, k: string) => Number(r.headers.get(`x-ratelimit-${k}`));
    expect(h(next, 'requests-remaining')).toBe(h(ok, 'requests-remaining') - 1);
    expect(h(next, 'complexity-remaining')).toBe(h(ok, 'complexity-remaining') - Number(next.headers.get('x-complexity')));
    expect(h(next, 'requests-reset') % 3_600_000).toBe(0);
    expect(h(next, 'requests-reset')).toBeGreaterThan(Date.now());
  });

  test('teams, default workflow states, team creation, unmodelled fields answer type-correctly', async () => {
    const teams = await linear.teams();
    expect(teams.nodes.map((t) => t.key)).toContain('ENG');
    const eng = teams.nodes.find((t) => t.key === 'ENG')!;
    const states = await eng.states();
    expect(states.nodes.map((s) => [s.name, s.type])).toEqual([
      ['Backlog', 'backlog'], ['Todo', 'unstarted'], ['In Progress', 'started'], ['In Review', 'started'], ['Done', 'completed'], ['Canceled', 'canceled'], ['Duplicate', 'canceled'],
    ]);
    const created = await linear.createTeam({ name: 'Design', key: 'DES' });
    const des = await created.team!;
    expect(des.key).toBe('DES');
    expect((await des.states()).nodes.length).toBe(7);
    expect((await des.members()).nodes.map((m) => m.id)).toEqual([(await linear.viewer).id]);
    expect(des.viewerCanLeave).toBe(true);
    // A field the clone does not model answers its type's empty value; a mutation it does not emulate errs.
    expect((await des.webhooks()).nodes).toEqual([]);
    expect((await linear.notifications()).nodes).toEqual([]);
    const notEmulated = await linear.deleteOrganizationCancel.catch((e) => e);
    expect(notEmulated).toBeInstanceOf(LinearError);
    expect(String(notEmulated.message)).toMatch(/not emulated/);
    const dup = await linear.createTeam({ name: 'Again', key: 'DES' }).catch((e) => e);
    expect(dup).toBeInstanceOf(LinearError);
    expect(String(dup.message)).toMatch(/already in use/);
  });

  test('issues: create, identifiers, update to completed, filters, order, pagination, search, delete', async () => {
    const eng = await linear.team('ENG');
    const states = (await eng.states()).nodes;
    const done = states.find((s) => s.type === 'completed')!;
    const label = await (await linear.createIssueLabel({ name: 'bug', color: '#eb5757', teamId: eng.id })).issueLabel!;
    const me = await linear.viewer;
    const made = [];
    for (let i = 0; i < 7; i++) {
      const p = await linear.createIssue({ teamId: eng.id, title: `Issue ${i}${i === 3 ? ' with needle' : ''}`, priority: i % 5, estimate: i, ...(i % 2 ? { assigneeId: me.id, labelIds: [label.id] } : {}) });
      expect(p.success).toBe(true);
      expect(p.lastSyncId).toBeGreaterThan(0);
      made.push(await p.issue!);
    }
    expect(made.map((i) => i.identifier)).toEqual(['ENG-1', 'ENG-2', 'ENG-3', 'ENG-4', 'ENG-5', 'ENG-6', 'ENG-7']);
    expect(made[1]!.priorityLabel).toBe('Urgent');
    expect((await made[0]!.state)!.name).toBe('Backlog');
    const byIdent = await linear.issue('ENG-4');
    expect(byIdent.id).toBe(made[3]!.id);

    const upd = await linear.updateIssue(made[0]!.id, { stateId: done.id, title: 'Issue 0 done' });
    const updated = await upd.issue!;
    expect((await updated.state)!.type).toBe('completed');
    expect(updated.completedAt).toBeInstanceOf(Date);
    const history = await updated.history();
    expect(history.nodes[0]).toMatchObject({ fromTitle: 'Issue 0', toTitle: 'Issue 0 done' });

    const mine = await linear.issues({ filter: { assignee: { email: { eq: 'avery@acme.test' } } } });
    expect(mine.nodes.map((i) => i.identifier).sort()).toEqual(['ENG-2', 'ENG-4', 'ENG-6']);
    const complex = await linear.issues({ filter: { team: { key: { eq: 'ENG' } }, or: [{ priority: { gte: 3 } }, { labels: { some: { name: { eqIgnoreCase: 'BUG' } } } }], state: { type: { neq: 'completed' } } } });
    expect(complex.nodes.map((i) => i.identifier).sort()).toEqual(['ENG-2', 'ENG-4', 'ENG-5', 'ENG-6']);
    const noAssignee = await linear.issues({ filter: { assignee: { null: true }, title: { startsWith: 'Issue' } } });
    expect(noAssignee.nodes.length).toBe(4);

    const page1 = await linear.issues({ first: 3, orderBy: LinearDocument.PaginationOrderBy.CreatedAt });
    expect(page1.nodes.map((i) => i.identifier)).toEqual(['ENG-7', 'ENG-6', 'ENG-5']);
    expect(page1.pageInfo.hasNextPage).toBe(true);
    await page1.fetchNext();
    expect(page1.nodes.map((i) => i.identifier)).toEqual(['ENG-7', 'ENG-6', 'ENG-5', 'ENG-4', 'ENG-3', 'ENG-2']);
    const back = await linear.issues({ last: 2, before: made[2]!.id });
    expect(back.nodes.map((i) => i.identifier)).toEqual(['ENG-5', 'ENG-4']);
    expect(back.pageInfo.hasNextPage).toBe(true);
    const oldest = await linear.issues({ last: 2 });
    expect(oldest.nodes.map((i) => i.identifier)).toEqual(['ENG-2', 'ENG-1']);
    const byUpdate = await linear.issues({ first: 1, orderBy: LinearDocument.PaginationOrderBy.UpdatedAt });
    expect(byUpdate.nodes[0]!.identifier).toBe('ENG-1');
    const tooMany = await linear.issues({ first: 251 }).catch((e) => e);
    expect(tooMany).toBeInstanceOf(LinearError);

    const found = await linear.searchIssues('needle');
    expect(found.nodes.map((i) => i.identifier)).toEqual(['ENG-4']);

    const del = await linear.deleteIssue(made[6]!.id);
    expect(del.success).toBe(true);
    expect((await linear.issues()).nodes.map((i) => i.identifier)).not.toContain('ENG-7');
    const gone = await linear.issue('00000000-0000-4000-8000-000000000000').catch((e) => e);
    expect(gone).toBeInstanceOf(LinearError);
    expect(gone.type).toBe('InvalidInput');
    expect(gone.errors[0].message).toBe('Could not find referenced issue.');
    expect(gone.errors[0].userError).toBe(true);
    const badPriority = await linear.createIssue({ teamId: eng.id, title: 'x', priority: 9 }).catch((e) => e);
    expect(badPriority.type).toBe('InvalidInput');
  });

  test('comments in threads, labels on issues, sub-issues and relations', async () => {
    const eng = await linear.team('ENG');
    const parent = await (await linear.createIssue({ teamId: eng.id, title: 'Parent' })).issue!;
    const child = await (await linear.createIssue({ teamId: eng.id, title: 'Child', parentId: parent.id })).issue!;
    expect((await parent.children()).nodes.map((c) => c.id)).toEqual([child.id]);
    expect((await child.parent)!.id).toBe(parent.id);
    const c1 = await (await linear.createComment({ issueId: parent.id, body: 'First' })).comment!;
    const reply = await (await linear.createComment({ issueId: parent.id, body: 'Reply', parentId: c1.id })).comment!;
    expect((await reply.parent)!.id).toBe(c1.id);
    expect((await parent.comments()).nodes.length).toBe(2);
    await linear.updateComment(c1.id, { body: 'First (edited)' });
    expect((await linear.comment({ id: c1.id })).body).toBe('First (edited)');
    await linear.deleteComment(reply.id);
    expect((await parent.comments()).nodes.map((c) => c.body)).toEqual(['First (edited)']);
    const ws = await (await linear.createIssueLabel({ name: 'workspace-wide' })).issueLabel!;
    await linear.issueAddLabel(child.id, ws.id);
    expect((await (await linear.issue(child.id)).labels()).nodes.map((l) => l.name)).toEqual(['workspace-wide']);
    const rel = await linear.createIssueRelation({ issueId: parent.id, relatedIssueId: child.id, type: LinearDocument.IssueRelationType.Blocks });
    expect(rel.success).toBe(true);
    expect((await parent.relations()).nodes.length).toBe(1);
  });

  test('projects with progress, milestones, updates; cycles numbered per team', async () => {
    const eng = await linear.team('ENG');
    const project = await (await linear.createProject({ name: 'Launch', teamIds: [eng.id] })).project!;
    expect((await project.teams()).nodes.map((t) => t.key)).toEqual(['ENG']);
    const done = (await eng.states()).nodes.find((s) => s.type === 'completed')!;
    await linear.createIssue({ teamId: eng.id, title: 'P1', projectId: project.id, stateId: done.id });
    await linear.createIssue({ teamId: eng.id, title: 'P2', projectId: project.id });
    const again = await linear.project(project.id);
    expect(again.progress).toBe(0.5);
    expect((await again.issues()).nodes.length).toBe(2);
    const ms = await linear.createProjectMilestone({ projectId: project.id, name: 'Beta' });
    expect(ms.success).toBe(true);
    const pu = await linear.createProjectUpdate({ projectId: project.id, body: 'On track' });
    expect(pu.success).toBe(true);
    expect((await again.projectMilestones()).nodes.map((m) => m.name)).toEqual(['Beta']);
    // Active means active on the clone's clock (it starts at the world's start), not today.
    const clockRes = await fetch(`${clone.endpoints.api}/__asym/clock`, { headers: { 'x-asym-admin': clone.adminSecret } });
    const now = Date.parse(((await clockRes.json()) as { clock: { at: string } }).clock.at);
    const c1 = await (await linear.createCycle({ teamId: eng.id, startsAt: new Date(now - 86400000), endsAt: new Date(now + 6 * 86400000) })).cycle!;
    const c2 = await (await linear.createCycle({ teamId: eng.id, startsAt: new Date(now + 7 * 86400000), endsAt: new Date(now + 14 * 86400000) })).cycle!;
    expect([c1.number, c2.number]).toEqual([1, 2]);
    expect(c1.isActive).toBe(true);
    expect((await (await linear.team(eng.id)).activeCycle)!.id).toBe(c1.id);
    const inCycle = await (await linear.createIssue({ teamId: eng.id, title: 'Cycle work', cycleId: c1.id })).issue!;
    expect((await inCycle.cycle)!.number).toBe(1);
    expect((await linear.cycles({ filter: { isActive: { eq: true } } })).nodes.map((c) => c.id)).toEqual([c1.id]);
  });

  const cloneNow = async () => {
    const res = await fetch(`${clone.endpoints.api}/__asym/clock`, { headers: { 'x-asym-admin': clone.adminSecret } });
    return Date.parse(((await res.json()) as { clock: { at: string } }).clock.at);
  };
  const seedUser = async (name: string, email: string) => {
    const res = await fetch(`${clone.endpoints.api}/__asym/seed`, { method: 'POST', headers: { 'x-asym-admin': clone.adminSecret, 'content-type': 'application/json' }, body: JSON.stringify({ records: { users: [{ name, email }] } }) });
    expect(res.status).toBe(200);
    return (await linear.users({ filter: { email: { eq: email } } })).nodes[0]!;
  };

  test('subscriptions, retired labels, trashed projects, resolved threads, one attachment per URL', async () => {
    const eng = await linear.team('ENG');
    const me = await linear.viewer;
    const issue = await (await linear.createIssue({ teamId: eng.id, title: 'Subscribed' })).issue!;
    const subscribers = async () => (await (await linear.issue(issue.id)).subscribers()).nodes.map((u) => u.id);
    expect(await subscribers()).toEqual([me.id]); // the creator
    await linear.issueUnsubscribe(issue.id);
    expect(await subscribers()).toEqual([]);
    await linear.issueSubscribe(issue.id, { userEmail: me.email });
    expect(await subscribers()).toEqual([me.id]);

    const label = await (await linear.createIssueLabel({ name: 'legacy', teamId: eng.id })).issueLabel!;
    await linear.issueAddLabel(issue.id, label.id);
    await linear.issueLabelRetire(label.id);
    expect((await linear.issueLabel(label.id)).retiredById).toBe(me.id);
    expect((await (await linear.issue(issue.id)).labels()).nodes.map((l) => l.id)).toEqual([label.id]); // kept where it was
    const refused = await linear.createIssue({ teamId: eng.id, title: 'x', labelIds: [label.id] }).catch((e) => e);
    expect(refused).toBeInstanceOf(LinearError);
    await linear.issueLabelRestore(label.id);
    expect((await (await linear.createIssue({ teamId: eng.id, title: 'Labelled again', labelIds: [label.id] })).issue)!.labelIds).toEqual([label.id]);

    const project = await (await linear.createProject({ name: 'Trashable', teamIds: [eng.id] })).project!;
    await linear.deleteProject(project.id);
    const trashed = await linear.project(project.id);
    expect([trashed.trashed, !!trashed.archivedAt]).toEqual([true, true]);
    expect((await linear.projects({ filter: { name: { eq: 'Trashable' } } })).nodes).toEqual([]);
    await linear.unarchiveProject(project.id);
    expect((await linear.projects({ filter: { name: { eq: 'Trashable' } } })).nodes.map((p) => p.id)).toEqual([project.id]);

    const root = await (await linear.createComment({ issueId: issue.id, body: 'question' })).comment!;
    const reply = await (await linear.createComment({ issueId: issue.id, body: 'answer', parentId: root.id })).comment!;
    await linear.commentResolve(root.id, { resolvingCommentId: reply.id });
    const resolved = await linear.comment({ id: root.id });
    expect([!!resolved.resolvedAt, resolved.resolvingUserId, resolved.resolvingCommentId]).toEqual([true, me.id, reply.id]);
    expect(await linear.commentResolve(root.id, { resolvingCommentId: root.id }).catch((e) => e)).toBeInstanceOf(LinearError);

    const url = 'https://example.test/spec';
    const a1 = await (await linear.createAttachment({ issueId: issue.id, url, title: 'Spec', metadata: { rev: 1 } })).attachment!;
    const a2 = await (await linear.attachmentLinkURL(issue.id, url, { title: 'Spec v2' })).attachment!;
    expect(a2.id).toBe(a1.id);
    const read = await linear.attachment(a1.id);
    expect([read.title, read.sourceType]).toEqual(['Spec v2', 'unknown']);
    expect((await (await linear.issue(issue.id)).attachments()).nodes.map((a) => a.id)).toEqual([a1.id]);

    const now = await cloneNow();
    const cycle = await (await linear.createCycle({ teamId: eng.id, startsAt: new Date(now + 40 * 86400000), endsAt: new Date(now + 47 * 86400000) })).cycle!;
    await linear.updateIssue(issue.id, { cycleId: cycle.id });
    await linear.archiveCycle(cycle.id);
    expect((await linear.issue(issue.id)).cycleId).toBeUndefined();
  });

  test('integration links, branch search, cycles shifted and started, old team keys, roles, sharing, project labels, Figma search, view preferences, reminders, flags', async () => {
    const eng = await linear.team('ENG');
    const issue = await (await linear.createIssue({ teamId: eng.id, title: 'Linked everywhere' })).issue!;
    const pr = await (await linear.attachmentLinkGitHubPR(issue.identifier, 'https://github.com/acme/app/pull/12')).attachment!;
    const prRead = await linear.attachment(pr.id);
    expect([prRead.sourceType, prRead.title, prRead.metadata]).toEqual(['github', 'acme/app#12', { owner: 'acme', repo: 'app', number: 12, linkKind: 'links' }]);
    expect((await linear.attachmentLinkGitHubPR(issue.id, 'https://github.com/acme/app/pull/12', { title: 'Fix login' })).attachment).toBeDefined();
    expect((await linear.attachment(pr.id)).title).toBe('Fix login');
    const slack = await (await linear.attachmentLinkSlack(issue.id, 'https://acme.slack.com/archives/C024BE91L/p1700000000123456')).attachment!;
    expect((await linear.attachment(slack.id)).metadata).toMatchObject({ channelId: 'C024BE91L', messageTs: '1700000000.123456' });
    const front = await (await linear.attachmentLinkFront('cnv_55', issue.id)).attachment!;
    expect((await linear.attachment(front.id)).url).toBe('https://app.frontapp.com/open/cnv_55');
    const jira = await linear.attachmentLinkJiraIssue(issue.id, 'OPS-9').catch((e) => e);
    expect(jira).toBeInstanceOf(LinearError);
    expect(await linear.attachmentLinkGitHubIssue(issue.id, 'https://github.com/acme/app/pull/3').catch((e) => e)).toBeInstanceOf(LinearError);
    expect((await (await linear.issue(issue.id)).attachments()).nodes.map((a) => a.sourceType).sort()).toEqual(['front', 'github', 'slack']);
    expect((await linear.attachmentIssue(slack.id)).id).toBe(issue.id);

    expect((await linear.issueVcsBranchSearch(`avery/${issue.identifier.toLowerCase()}-linked-everywhere`))?.id).toBe(issue.id);
    expect(await linear.issueVcsBranchSearch('main')).toBeUndefined();
    expect((await linear.organizationExists('acme')).exists).toBe(true);
    expect((await linear.organizationExists('globex')).exists).toBe(false);

    const team = await (await linear.createTeam({ name: 'Cyclists', key: 'CYC' })).team!;
    const now = await cloneNow();
    const day = 86400000;
    const mk = async (a: number, b: number) => (await (await linear.createCycle({ teamId: team.id, startsAt: new Date(now + a * day), endsAt: new Date(now + b * day) })).cycle)!;
    const [c1, c2, c3] = [await mk(-2, 5), await mk(5, 12), await mk(12, 19)];
    await linear.cycleShiftAll({ id: c2.id, daysToShift: 1 });
    expect([(await linear.cycle(c1.id)).startsAt.getTime(), (await linear.cycle(c3.id)).startsAt.getTime()]).toEqual([now - 2 * day, now + 13 * day]);
    expect(await linear.cycleStartUpcomingCycleToday(c3.id).catch((e) => e)).toBeInstanceOf(LinearError);
    await linear.cycleStartUpcomingCycleToday(c2.id);
    expect((await linear.cycle(c2.id)).isActive).toBe(true);
    expect((await linear.cycle(c1.id)).completedAt).toBeDefined();
    expect((await (await linear.team(team.id)).activeCycle)!.id).toBe(c2.id);
    await linear.deleteTeamCycles(team.id);
    const noCycles = await linear.team(team.id);
    expect([noCycles.cyclesEnabled, (await noCycles.cycles()).nodes.length]).toEqual([false, 0]);

    const keyed = await (await linear.createIssue({ teamId: team.id, title: 'Keyed' })).issue!;
    await linear.updateTeam(team.id, { key: 'BIKE' });
    expect((await linear.issue('CYC-1')).id).toBe(keyed.id);
    expect((await linear.issue('BIKE-1')).id).toBe(keyed.id);
    expect(await linear.createTeam({ name: 'Taken', key: 'CYC' }).catch((e) => e)).toBeInstanceOf(LinearError);
    expect(await linear.deleteTeamKey('BIKE').catch((e) => e)).toBeInstanceOf(LinearError);
    expect((await linear.deleteTeamKey('CYC')).success).toBe(true);
    expect(await linear.issue('CYC-1').catch((e) => e)).toBeInstanceOf(LinearError);

    const guest = await seedUser('Gus Guest', 'gus@outside.test');
    await linear.userChangeRole(guest.id, LinearDocument.UserRoleType.Guest);
    expect((await linear.user(guest.id)).guest).toBe(true);
    expect(await linear.userChangeRole(guest.id, LinearDocument.UserRoleType.Owner).catch((e) => e)).toBeInstanceOf(LinearError);
    await linear.issueShare(issue.id, guest.id);
    const shared = (await linear.issue(issue.id)).sharedAccess;
    expect([shared.isShared, shared.sharedWithCount, shared.sharedWithUsers.map((u) => u.id)]).toEqual([true, 1, [guest.id]]);
    const child = await (await linear.createIssue({ teamId: eng.id, title: 'Child', parentId: issue.id })).issue!;
    expect(await linear.issueShare(child.id, guest.id).catch((e) => e)).toBeInstanceOf(LinearError);
    await linear.issueUnshare(issue.id, guest.id);
    expect((await linear.issue(issue.id)).sharedAccess.isShared).toBe(false);

    const project = await (await linear.createProject({ name: 'Labelled project', teamIds: [eng.id] })).project!;
    const theme = await (await linear.createProjectLabel({ name: 'Theme' })).projectLabel!;
    await linear.projectAddLabel(project.id, theme.id);
    expect((await linear.project(project.id)).labelIds).toEqual([theme.id]);
    expect((await linear.projects({ filter: { labels: { name: { eq: 'Theme' } } } })).nodes.map((p) => p.id)).toEqual([project.id]);
    await linear.projectRemoveLabel(project.id, theme.id);
    expect((await (await linear.project(project.id)).labels()).nodes).toEqual([]);
    const group = await (await linear.createProjectLabel({ name: 'Size', isGroup: true })).projectLabel!;
    expect(await linear.projectAddLabel(project.id, group.id).catch((e) => e)).toBeInstanceOf(LinearError);

    await linear.attachmentLinkURL(issue.id, 'https://www.figma.com/file/AbC123/Login-flow');
    expect((await linear.issueFigmaFileKeySearch('AbC123')).nodes.map((i) => i.id)).toEqual([issue.id]);
    expect((await linear.issueFigmaFileKeySearch('AbC12')).nodes).toEqual([]);

    const V = LinearDocument.ViewType;
    const P = LinearDocument.ViewPreferencesType;
    expect(await linear.userViewPreferences(V.MyIssues)).toBeUndefined();
    const prefs = await (await linear.createViewPreferences({ type: P.User, viewType: V.MyIssues, preferences: { layout: 'board', showEmptyGroups: true } })).viewPreferences!;
    expect((await linear.userViewPreferences(V.MyIssues))!.preferences).toMatchObject({ layout: 'board', showEmptyGroups: true });
    await linear.updateViewPreferences(prefs.id, { preferences: { viewOrdering: 'priority' } });
    expect((await linear.userViewPreferences(V.MyIssues))!.preferences).toMatchObject({ layout: 'board', viewOrdering: 'priority' });
    await linear.createViewPreferences({ type: P.User, viewType: V.MyIssues, teamId: eng.id, preferences: { layout: 'list' } }); // scoped to a team: not the unscoped ones
    expect((await linear.userViewPreferences(V.MyIssues))!.preferences.layout).toBe('board');
    expect(await linear.createViewPreferences({ type: P.User, viewType: V.MyIssues, preferences: { layout: 3 } }).catch((e) => e)).toBeInstanceOf(LinearError);
    expect(await linear.createViewPreferences({ type: P.User, viewType: V.MyIssues, preferences: { notAPreference: true } }).catch((e) => e)).toBeInstanceOf(LinearError);

    const remindAt = new Date((await cloneNow()) + 30 * 60_000);
    await linear.issueReminder(issue.id, remindAt);
    await linear.issueReminder(issue.id, new Date(remindAt.getTime() + 60 * 60_000)); // replaces the first
    expect(await linear.issueReminder(issue.id, new Date(Date.UTC(2000, 0, 1))).catch((e) => e)).toBeInstanceOf(LinearError);
    const reminders = async () => (await linear.notifications()).nodes.filter((n) => (n as unknown as { issueId: string }).issueId === issue.id);
    expect(await reminders()).toEqual([]);
    await fetch(`${clone.endpoints.api}/__asym/clock`, { method: 'POST', headers: { 'x-asym-admin': clone.adminSecret, 'content-type': 'application/json' }, body: JSON.stringify({ action: 'advance', by: '1h' }) });
    expect(await reminders()).toEqual([]); // the replacing time is 90 minutes out
    await fetch(`${clone.endpoints.api}/__asym/clock`, { method: 'POST', headers: { 'x-asym-admin': clone.adminSecret, 'content-type': 'application/json' }, body: JSON.stringify({ action: 'advance', by: '1h' }) });
    const reached = await reminders();
    expect(reached.map((n) => [n.type, n.createdAt.toISOString()])).toEqual([['issueReminder', new Date(remindAt.getTime() + 60 * 60_000).toISOString()]]);

    const flag = LinearDocument.UserFlagType.TryTriageDismissed;
    const op = LinearDocument.UserFlagUpdateOperation;
    expect((await linear.updateUserFlag(flag, op.Incr)).value).toBe(1);
    expect((await linear.updateUserFlag(flag, op.Incr)).value).toBe(2);
    expect((await linear.updateUserFlag(flag, op.Lock)).value).toBe(-1);
    expect((await linear.updateUserFlag(flag, op.Incr)).value).toBe(-1);
  });

  test('webhooks: signed Issue and Comment events, retried after a failure', async () => {
    const got: Array<{ sig: string; body: string; event: string }> = [];
    let failFirst = true;
    const server = Bun.serve({
      port: 0,
      hostname: '0.0.0.0',
      async fetch(req) {
        const body = await req.text();
        if (failFirst) {
          failFirst = false;
          return new Response('no', { status: 500 });
        }
        got.push({ sig: req.headers.get('linear-signature') ?? '', body, event: req.headers.get('linear-event') ?? '' });
        return new Response('ok');
      },
    });
    try {
      const cfg = await h.run(['config', clone.id, JSON.stringify({ events: { retryDelaysMs: [200, 200] } }), '--events-url', `http://host.docker.internal:${server.port}/hook`, '--json']);
      expect(cfg.code).toBe(0);
      const eng = await linear.team('ENG');
      const issue = await (await linear.createIssue({ teamId: eng.id, title: 'Hooked' })).issue!;
      await linear.createComment({ issueId: issue.id, body: 'hooked comment' });
      for (let i = 0; i < 50 && got.length < 2; i++) await Bun.sleep(100);
      expect(got.map((g) => g.event).sort()).toEqual(['Comment', 'Issue']);
      for (const g of got) expect(g.sig).toBe(createHmac('sha256', clone.tokens.signingSecret).update(g.body).digest('hex'));
      const issueEvent = JSON.parse(got.find((g) => g.event === 'Issue')!.body);
      expect(issueEvent).toMatchObject({ action: 'create', type: 'Issue', data: { id: issue.id, title: 'Hooked', identifier: issue.identifier } });
      expect(typeof issueEvent.webhookTimestamp).toBe('number');
    } finally {
      server.stop(true);
    }
  });
});
