import { invalidInput, notFound } from '../errors.ts';
import type { Resolver } from '../gql.ts';
import type { Rc, Row } from '../request.ts';
import { findIssue, need } from './query.ts';
import { nextSyncId, requireString } from '../write.ts';
import { clockNow } from '../../../_kit/clock.ts';

/**
 * Issue writes. Identifiers are `KEY-N`, N counted per team (teams.issue_count, taken
 * under a row lock). Moving into a started/completed/canceled state stamps startedAt /
 * completedAt / canceledAt as Linear does; every change is recorded in issue_history.
 */
type Input = Record<string, any>;

async function checkRefs(rc: Rc, teamId: string, input: Input): Promise<void> {
  if (input.stateId) {
    const st = await need(rc, 'state', input.stateId, 'workflow state');
    if (st.team_id !== teamId) throw invalidInput('The workflow state does not belong to the issue\'s team');
  }
  if (input.assigneeId) await need(rc, 'user', input.assigneeId, 'user');
  if (input.parentId) await need(rc, 'issue', input.parentId, 'parent issue');
  if (input.projectId) await need(rc, 'project', input.projectId, 'project');
  if (input.projectMilestoneId) await need(rc, 'milestone', input.projectMilestoneId, 'project milestone');
  if (input.cycleId) {
    const c = await need(rc, 'cycle', input.cycleId, 'cycle');
    if (c.team_id !== teamId) throw invalidInput('The cycle does not belong to the issue\'s team');
  }
  for (const l of [...(input.labelIds ?? []), ...(input.addedLabelIds ?? [])]) await need(rc, 'label', l, 'label');
  if (input.priority !== undefined && input.priority !== null && (!Number.isInteger(input.priority) || input.priority < 0 || input.priority > 4)) {
    throw invalidInput('priority must be an integer between 0 and 4');
  }
  if (input.title !== undefined) requireString(input.title, 'title');
}

async function stateStamps(rc: Rc, stateId: string, prev: Row | null): Promise<Record<string, unknown>> {
  const st = await need(rc, 'state', stateId, 'workflow state');
  const now = clockNow();
  const out: Record<string, unknown> = {};
  if (st.type === 'started' && !prev?.started_at) out.started_at = now;
  out.completed_at = st.type === 'completed' ? (prev?.completed_at ?? now) : null;
  out.canceled_at = st.type === 'canceled' ? (prev?.canceled_at ?? now) : null;
  return out;
}

/** A retired label stays on the issues that have it but cannot be newly applied. */
async function refuseRetired(rc: Rc, ids: string[]): Promise<void> {
  for (const l of ids) if ((await rc.load('label', l))?.retired_at) throw invalidInput('A retired label cannot be applied to an issue');
}

async function setLabels(rc: Rc, issueId: string, ids: string[]): Promise<void> {
  await rc.ctx.db.q`delete from issue_label_links where issue_id = ${issueId}`;
  for (const l of new Set(ids)) await rc.ctx.db.q`insert into issue_label_links (issue_id, label_id) values (${issueId}, ${l}) on conflict do nothing`;
}

async function labelIds(rc: Rc, issueId: string): Promise<string[]> {
  return (await rc.ctx.db.q<{ label_id: string }>`select label_id from issue_label_links where issue_id = ${issueId} order by label_id`).map((r) => r.label_id);
}

async function history(rc: Rc, issueId: string, changes: Record<string, unknown>): Promise<void> {
  if (!Object.keys(changes).length) return;
  await rc.ctx.db.q`insert into issue_history (id, issue_id, actor_id, changes) values (${crypto.randomUUID()}, ${issueId}, ${rc.viewerId}, ${JSON.stringify(changes)}::text::jsonb)`;
}

export async function createIssue(rc: Rc, input: Input): Promise<Row> {
  requireString(input.title, 'title');
  const team = await need(rc, 'team', input.teamId, 'team');
  await checkRefs(rc, team.id, input);
  const stateId = input.stateId ?? (await rc.ctx.db.q<{ id: string }>`select id from workflow_states where team_id = ${team.id} and archived_at is null and type in ('backlog', 'unstarted') order by (type = 'backlog') desc, position limit 1`)[0]?.id;
  if (!stateId) throw invalidInput('The team has no backlog or unstarted workflow state');
  await refuseRetired(rc, input.labelIds ?? []);
  const id = input.id ?? crypto.randomUUID();
  const stamps = await stateStamps(rc, stateId, null);
  await rc.ctx.db.tx(async (tx) => {
    const [{ n }] = await tx`update teams set issue_count = issue_count + 1 where id = ${team.id} returning issue_count as n`;
    await tx`insert into issues (id, team_id, number, title, description, priority, estimate, state_id, assignee_id, creator_id, parent_id, project_id, project_milestone_id, cycle_id, due_date, sort_order, started_at, completed_at, canceled_at, created_at, updated_at)
      values (${id}, ${team.id}, ${n}, ${input.title}, ${input.description ?? null}, ${input.priority ?? 0}, ${input.estimate ?? null}, ${stateId}, ${input.assigneeId ?? null}, ${rc.viewerId},
        ${input.parentId ?? null}, ${input.projectId ?? null}, ${input.projectMilestoneId ?? null}, ${input.cycleId ?? null}, ${input.dueDate ?? null}, ${input.sortOrder ?? 0},
        ${stamps.started_at ?? null}, ${stamps.completed_at ?? null}, ${stamps.canceled_at ?? null}, ${input.createdAt ?? clockNow()}, ${input.createdAt ?? clockNow()})`;
  });
  if (input.labelIds?.length) await setLabels(rc, id, input.labelIds);
  const row = (await rc.load('issue', id))!;
  rc.events.push({ type: 'Issue', action: 'create', entity: 'issue', id });
  return row;
}

const FIELDS: Array<[string, string, string]> = [
  ['title', 'title', 'Title'], ['description', 'description', ''], ['priority', 'priority', 'Priority'], ['estimate', 'estimate', 'Estimate'],
  ['stateId', 'state_id', 'StateId'], ['assigneeId', 'assignee_id', 'AssigneeId'], ['parentId', 'parent_id', 'ParentId'], ['projectId', 'project_id', 'ProjectId'],
  ['projectMilestoneId', 'project_milestone_id', 'ProjectMilestoneId'], ['cycleId', 'cycle_id', 'CycleId'], ['dueDate', 'due_date', 'DueDate'], ['sortOrder', 'sort_order', ''],
];

export async function updateIssue(rc: Rc, issue: Row, input: Input): Promise<Row> {
  const teamId = input.teamId ?? issue.team_id;
  if (input.teamId && input.teamId !== issue.team_id) await need(rc, 'team', input.teamId, 'team');
  await checkRefs(rc, teamId, input);
  const sets: Record<string, unknown> = {};
  const changes: Record<string, unknown> = {};
  const updatedFrom: Record<string, unknown> = {};
  for (const [field, column, hist] of FIELDS) {
    if (input[field] === undefined) continue;
    const before = issue[column] instanceof Date ? issue[column].toISOString().slice(0, column === 'due_date' ? 10 : 24) : issue[column];
    if (before === input[field]) continue;
    sets[column] = input[field];
    updatedFrom[field] = before ?? null;
    if (hist) {
      changes[`from${hist}`] = before ?? null;
      changes[`to${hist}`] = input[field];
    } else if (field === 'description') changes.updatedDescription = true;
  }
  if (input.stateId && input.stateId !== issue.state_id) Object.assign(sets, await stateStamps(rc, input.stateId, issue));
  if (input.teamId && input.teamId !== issue.team_id) {
    const n = (await rc.ctx.db.q<{ n: number }>`update teams set issue_count = issue_count + 1 where id = ${input.teamId} returning issue_count as n`)[0]!.n;
    sets.team_id = input.teamId;
    sets.number = n;
    if (!input.stateId) sets.state_id = (await rc.ctx.db.q<{ id: string }>`select id from workflow_states where team_id = ${input.teamId} and type = (select type from workflow_states where id = ${issue.state_id}) order by position limit 1`)[0]?.id
      ?? (await rc.ctx.db.q<{ id: string }>`select id from workflow_states where team_id = ${input.teamId} order by position limit 1`)[0]!.id;
    changes.fromTeamId = issue.team_id;
    changes.toTeamId = input.teamId;
  }
  if (input.labelIds !== undefined || input.addedLabelIds || input.removedLabelIds) {
    const before = await labelIds(rc, issue.id);
    let next = input.labelIds ?? before;
    if (input.addedLabelIds) next = [...next, ...input.addedLabelIds];
    if (input.removedLabelIds) next = next.filter((l: string) => !input.removedLabelIds.includes(l));
    next = [...new Set<string>(next)];
    const added = next.filter((l: string) => !before.includes(l));
    const removed = before.filter((l) => !next.includes(l));
    await refuseRetired(rc, added);
    if (added.length || removed.length) {
      await setLabels(rc, issue.id, next);
      if (added.length) changes.addedLabelIds = added;
      if (removed.length) changes.removedLabelIds = removed;
      updatedFrom.labelIds = before;
    }
  }
  const cols = Object.keys(sets);
  if (cols.length || Object.keys(changes).length) {
    await rc.ctx.db.unsafe(`update issues set ${cols.map((c, i) => `${c} = $${i + 2}, `).join('')}updated_at = now() where id = $1`, [issue.id, ...cols.map((c) => sets[c])]);
    await history(rc, issue.id, changes);
    rc.events.push({ type: 'Issue', action: 'update', entity: 'issue', id: issue.id, updatedFrom: { ...updatedFrom, updatedAt: issue.updated_at } });
  }
  rc.forget('issue', issue.id);
  return (await rc.load('issue', issue.id))!;
}

async function needIssue(rc: Rc, id: string): Promise<Row> {
  const row = await findIssue(rc, id);
  if (!row) throw notFound('issue');
  return row;
}

export const ISSUE_MUTATIONS: Record<string, Resolver> = {
  issueCreate: async (_s, { input }: { input: Input }, rc) => ({ success: true, lastSyncId: await nextSyncId(rc), issue: await createIssue(rc, input) }),
  issueBatchCreate: async (_s, { input }: { input: { issues: Input[] } }, rc) => {
    const issues: Row[] = [];
    for (const i of input.issues) issues.push(await createIssue(rc, i));
    return { success: true, lastSyncId: await nextSyncId(rc), issues };
  },
  issueUpdate: async (_s, { id, input }: { id: string; input: Input }, rc) => ({ success: true, lastSyncId: await nextSyncId(rc), issue: await updateIssue(rc, await needIssue(rc, id), input) }),
  issueBatchUpdate: async (_s, { ids, input }: { ids: string[]; input: Input }, rc) => {
    const issues: Row[] = [];
    for (const id of ids) issues.push(await updateIssue(rc, await needIssue(rc, id), input));
    return { success: true, lastSyncId: await nextSyncId(rc), issues };
  },
  issueAddLabel: async (_s, { id, labelId }: { id: string; labelId: string }, rc) => ({ success: true, lastSyncId: await nextSyncId(rc), issue: await updateIssue(rc, await needIssue(rc, id), { addedLabelIds: [labelId] }) }),
  issueRemoveLabel: async (_s, { id, labelId }: { id: string; labelId: string }, rc) => ({ success: true, lastSyncId: await nextSyncId(rc), issue: await updateIssue(rc, await needIssue(rc, id), { removedLabelIds: [labelId] }) }),
  issueArchive: async (_s, { id, trash }: { id: string; trash?: boolean }, rc) => {
    const issue = await needIssue(rc, id);
    await rc.ctx.db.q`update issues set archived_at = now(), trashed = ${trash ?? false}, updated_at = now() where id = ${issue.id}`;
    await history(rc, issue.id, { archived: true, ...(trash ? { trashed: true } : {}) });
    rc.forget('issue', issue.id);
    rc.events.push({ type: 'Issue', action: trash ? 'remove' : 'update', entity: 'issue', id: issue.id });
    return { success: true, lastSyncId: await nextSyncId(rc), entity: await rc.load('issue', issue.id) };
  },
  issueUnarchive: async (_s, { id }: { id: string }, rc) => {
    const issue = await needIssue(rc, id);
    await rc.ctx.db.q`update issues set archived_at = null, trashed = false, updated_at = now() where id = ${issue.id}`;
    await history(rc, issue.id, { archived: false });
    rc.forget('issue', issue.id);
    rc.events.push({ type: 'Issue', action: 'update', entity: 'issue', id: issue.id });
    return { success: true, lastSyncId: await nextSyncId(rc), entity: await rc.load('issue', issue.id) };
  },
  // Linear's issueDelete moves the issue to the trash (archived, trashed); it can be
  // restored with issueUnarchive. permanentlyDelete removes it outright.
  issueDelete: async (_s, { id, permanentlyDelete }: { id: string; permanentlyDelete?: boolean }, rc) => {
    const issue = await needIssue(rc, id);
    rc.events.push({ type: 'Issue', action: 'remove', entity: 'issue', id: issue.id, data: issue });
    if (permanentlyDelete) {
      await rc.ctx.db.q`delete from issues where id = ${issue.id}`;
      rc.forget('issue', issue.id);
      return { success: true, lastSyncId: await nextSyncId(rc), entity: issue };
    }
    await rc.ctx.db.q`update issues set archived_at = now(), trashed = true, updated_at = now() where id = ${issue.id}`;
    await history(rc, issue.id, { trashed: true });
    rc.forget('issue', issue.id);
    return { success: true, lastSyncId: await nextSyncId(rc), entity: await rc.load('issue', issue.id) };
  },
  issueRelationCreate: async (_s, { input }: { input: Input }, rc) => {
    const a = await needIssue(rc, input.issueId);
    const b = await needIssue(rc, input.relatedIssueId);
    if (!['blocks', 'duplicate', 'related', 'similar'].includes(input.type)) throw invalidInput('type must be blocks, duplicate, related or similar');
    const id = input.id ?? crypto.randomUUID();
    await rc.ctx.db.q`insert into issue_relations (id, issue_id, related_issue_id, type) values (${id}, ${a.id}, ${b.id}, ${input.type})`;
    return { success: true, lastSyncId: await nextSyncId(rc), issueRelation: await need(rc, 'relation', id, 'issue relation') };
  },
  issueRelationUpdate: async (_s, { id, input }: { id: string; input: Input }, rc) => {
    await need(rc, 'relation', id, 'issue relation');
    if (input.type) await rc.ctx.db.q`update issue_relations set type = ${input.type}, updated_at = now() where id = ${id}`;
    rc.forget('relation', id);
    return { success: true, lastSyncId: await nextSyncId(rc), issueRelation: await need(rc, 'relation', id, 'issue relation') };
  },
  issueRelationDelete: async (_s, { id }: { id: string }, rc) => {
    await need(rc, 'relation', id, 'issue relation');
    await rc.ctx.db.q`delete from issue_relations where id = ${id}`;
    return { success: true, lastSyncId: await nextSyncId(rc), entityId: id };
  },
};
