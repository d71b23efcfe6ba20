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
    const notEmulated = await linear.deleteTeamKey('x').catch((e) => e);
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
