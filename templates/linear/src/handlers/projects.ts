import { paginate, type ConnArgs } from '../connection.ts';
import { invalidInput } from '../errors.ts';
import type { Resolver, TypeResolvers } from '../gql.ts';
import type { Rc, Row } from '../request.ts';
import { need } from './query.ts';
import { organization, orgUrlKey } from './types.ts';
import { columnsFrom, insertRow, nextSyncId, randomColor, requireString, updateRow } from '../write.ts';
import { clockNow } from '../../../_kit/clock.ts';

/**
 * Projects (teams, members, progress from their issues), milestones, updates, and cycles
 * (numbered per team; active while now is within startsAt..endsAt and not completed).
 */
type Input = Record<string, any>;
const eq = (col: string, id: string) => (a: string, p: { add(v: unknown): string }) => `${a}.${col} = ${p.add(id)}::uuid`;
const STATUS_TYPES: Record<string, [string, string, number]> = {
  backlog: ['Backlog', '#bec2c8', 0], planned: ['Planned', '#e2e2e2', 1], started: ['In Progress', '#f2c94c', 2],
  paused: ['Paused', '#95a2b3', 3], completed: ['Completed', '#5e6ad2', 4], canceled: ['Canceled', '#95a2b3', 5],
};

async function progressOf(rc: Rc, where: string, id: string): Promise<{ progress: number; scope: number; completed: number }> {
  const rows = await rc.ctx.db.unsafe<{ total: number; done: number }>(`select count(*)::int as total, count(*) filter (where s.type in ('completed', 'canceled'))::int as done
    from issues i join workflow_states s on s.id = i.state_id where i.${where} = $1 and i.archived_at is null and not i.trashed`, [id]);
  const { total, done } = rows[0] ?? { total: 0, done: 0 };
  return { progress: total ? done / total : 0, scope: total, completed: done };
}

export const PROJECT_TYPES: TypeResolvers = {
  Project: {
    url: async (s: Row, _a, rc) => `${rc.ctx.env.publicUrl}/${await orgUrlKey(rc)}/project/${s.slug_id}`,
    status: (s: Row) => {
      const [name, color, position] = STATUS_TYPES[s.state] ?? STATUS_TYPES.planned!;
      return { id: `00000000-0000-4000-8000-00000000000${position}`, name, color, position, type: s.state, createdAt: s.created_at, updatedAt: s.created_at, indefinite: false };
    },
    lead: (s: Row, _a, rc) => rc.load('user', s.lead_id),
    creator: (s: Row, _a, rc) => rc.load('user', s.creator_id),
    progress: async (s: Row, _a, rc) => (await progressOf(rc, 'project_id', s.id)).progress,
    scope: async (s: Row, _a, rc) => (await progressOf(rc, 'project_id', s.id)).scope,
    health: () => null,
    trashed: (s: Row) => (s.trashed ? true : null),
    teams: (s: Row, a: ConnArgs, rc) => paginate(rc, 'team', a, (x, p) => `exists (select 1 from project_teams t where t.team_id = ${x}.id and t.project_id = ${p.add(s.id)}::uuid)`),
    members: (s: Row, a: ConnArgs, rc) => paginate(rc, 'user', a, (x, p) => `exists (select 1 from project_members m where m.user_id = ${x}.id and m.project_id = ${p.add(s.id)}::uuid)`),
    issues: (s: Row, a: ConnArgs, rc) => paginate(rc, 'issue', a, eq('project_id', s.id)),
    projectMilestones: (s: Row, a: ConnArgs, rc) => paginate(rc, 'milestone', a, eq('project_id', s.id)),
    projectUpdates: (s: Row, a: ConnArgs, rc) => paginate(rc, 'projectUpdate', a, eq('project_id', s.id)),
    labelIds: (s: Row) => s.label_ids ?? [],
    labels: (s: Row, a: ConnArgs, rc) => paginate(rc, 'projectLabel', a, (x, p) => `exists (select 1 from project_label_links l where l.label_id = ${x}.id and l.project_id = ${p.add(s.id)}::uuid)`),
  },
  ProjectLabel: {
    creator: (s: Row, _a, rc) => rc.load('user', s.creator_id),
    parent: (s: Row, _a, rc) => rc.load('projectLabel', s.parent_id),
    organization: (_s, _a, rc) => organization(rc),
    children: (s: Row, a: ConnArgs, rc) => paginate(rc, 'projectLabel', a, eq('parent_id', s.id)),
    projects: (s: Row, a: ConnArgs, rc) => paginate(rc, 'project', a, (x, p) => `exists (select 1 from project_label_links l where l.project_id = ${x}.id and l.label_id = ${p.add(s.id)}::uuid)`),
  },
  ProjectMilestone: {
    project: (s: Row, _a, rc) => rc.load('project', s.project_id),
    issues: (s: Row, a: ConnArgs, rc) => paginate(rc, 'issue', a, eq('project_milestone_id', s.id)),
    progress: async (s: Row, _a, rc) => (await progressOf(rc, 'project_milestone_id', s.id)).progress,
    status: (s: Row) => (s.target_date && new Date(s.target_date) < clockNow() ? 'overdue' : 'unstarted'),
  },
  ProjectUpdate: {
    project: (s: Row, _a, rc) => rc.load('project', s.project_id),
    user: (s: Row, _a, rc) => rc.load('user', s.user_id),
    url: async (s: Row, _a, rc) => `${rc.ctx.env.publicUrl}/${await orgUrlKey(rc)}/project-update/${s.id.slice(0, 8)}`,
    diffMarkdown: () => null,
    reactionData: () => [],
  },
  Cycle: {
    team: (s: Row, _a, rc) => rc.load('team', s.team_id),
    issues: (s: Row, a: ConnArgs, rc) => paginate(rc, 'issue', a, eq('cycle_id', s.id)),
    uncompletedIssuesUponClose: (s: Row, a: ConnArgs, rc) => paginate(rc, 'issue', a, (x, p) => `${x}.cycle_id = ${p.add(s.id)}::uuid and ${x}.completed_at is null`),
    progress: async (s: Row, _a, rc) => (await progressOf(rc, 'cycle_id', s.id)).progress,
    isActive: (s: Row) => new Date(s.starts_at) <= clockNow() && new Date(s.ends_at) > clockNow() && !s.completed_at,
    isPast: (s: Row) => new Date(s.ends_at) <= clockNow(),
    isFuture: (s: Row) => new Date(s.starts_at) > clockNow(),
    isNext: () => false,
    isPrevious: () => false,
  },
};

const PROJECT_COLUMNS = { name: 'name', description: 'description', content: 'content', icon: 'icon', color: 'color', state: 'state', priority: 'priority', leadId: 'lead_id', startDate: 'start_date', targetDate: 'target_date', sortOrder: 'sort_order' };

async function setProjectLinks(rc: Rc, id: string, teamIds?: string[], memberIds?: string[]): Promise<void> {
  if (teamIds) {
    for (const t of teamIds) await need(rc, 'team', t, 'team');
    await rc.ctx.db.q`delete from project_teams where project_id = ${id}`;
    for (const t of new Set(teamIds)) await rc.ctx.db.q`insert into project_teams (project_id, team_id) values (${id}, ${t})`;
  }
  if (memberIds) {
    for (const u of memberIds) await need(rc, 'user', u, 'user');
    await rc.ctx.db.q`delete from project_members where project_id = ${id}`;
    for (const u of new Set(memberIds)) await rc.ctx.db.q`insert into project_members (project_id, user_id) values (${id}, ${u})`;
  }
}

function stateOf(input: Input): string | undefined {
  const s = input.state ?? input.statusId;
  if (s === undefined) return undefined;
  const byId = Object.entries(STATUS_TYPES).find(([, [, , pos]]) => `00000000-0000-4000-8000-00000000000${pos}` === s)?.[0];
  const state = byId ?? s;
  if (!STATUS_TYPES[state]) throw invalidInput(`Unknown project status ${s}`);
  return state;
}

export const PROJECT_MUTATIONS: Record<string, Resolver> = {
  projectCreate: async (_s, { input }: { input: Input }, rc) => {
    requireString(input.name, 'name');
    if (!Array.isArray(input.teamIds) || !input.teamIds.length) throw invalidInput('teamIds must name at least one team');
    const id = input.id ?? crypto.randomUUID();
    const state = stateOf(input) ?? 'planned';
    await insertRow(rc, 'project', { id, ...columnsFrom(input, PROJECT_COLUMNS), state, slug_id: id.replace(/-/g, '').slice(0, 12), color: input.color ?? randomColor(input.name), creator_id: rc.viewerId, description: input.description ?? '' });
    await setProjectLinks(rc, id, input.teamIds, input.memberIds);
    rc.forget('project', id);
    return { success: true, lastSyncId: await nextSyncId(rc), project: await need(rc, 'project', id, 'project') };
  },
  projectUpdate: async (_s, { id, input }: { id: string; input: Input }, rc) => {
    const p = await need(rc, 'project', id, 'project');
    const state = stateOf(input);
    const stamps: Record<string, unknown> = {};
    if (state === 'started' && !p.started_at) stamps.started_at = clockNow();
    if (state) { stamps.completed_at = state === 'completed' ? clockNow() : null; stamps.canceled_at = state === 'canceled' ? clockNow() : null; }
    await setProjectLinks(rc, p.id, input.teamIds, input.memberIds);
    const row = await updateRow(rc, 'project', p.id, { ...columnsFrom(input, PROJECT_COLUMNS), ...(state ? { state } : {}), ...stamps });
    return { success: true, lastSyncId: await nextSyncId(rc), project: row };
  },
  projectArchive: async (_s, { id }: { id: string }, rc) => {
    await need(rc, 'project', id, 'project');
    return { success: true, lastSyncId: await nextSyncId(rc), entity: await updateRow(rc, 'project', id, { archived_at: clockNow() }) };
  },
  projectUnarchive: async (_s, { id }: { id: string }, rc) => {
    await need(rc, 'project', id, 'project');
    return { success: true, lastSyncId: await nextSyncId(rc), entity: await updateRow(rc, 'project', id, { archived_at: null, trashed: false }) };
  },
  // Linear's projectDelete trashes the project (archived and trashed); projectUnarchive restores it.
  projectDelete: async (_s, { id }: { id: string }, rc) => {
    await need(rc, 'project', id, 'project');
    return { success: true, lastSyncId: await nextSyncId(rc), entity: await updateRow(rc, 'project', id, { archived_at: clockNow(), trashed: true }) };
  },
  // Project labels exist so that projectAddLabel has something to add (projectLabelCreate is
  // outside operations.json's scope, ProjectLabel's own family).
  projectLabelCreate: async (_s, { input }: { input: Input }, rc) => {
    requireString(input.name, 'name');
    if (input.parentId && !(await need(rc, 'projectLabel', input.parentId, 'parent label')).is_group) throw invalidInput('The parent label must be a group');
    const dup = await rc.ctx.db.q`select 1 from project_labels where lower(name) = ${input.name.toLowerCase()} and archived_at is null`;
    if (dup.length) throw invalidInput(`A project label named ${input.name} already exists`);
    const row = await insertRow(rc, 'projectLabel', { id: input.id ?? crypto.randomUUID(), name: input.name, color: input.color ?? randomColor(input.name), description: input.description ?? null, is_group: input.isGroup ?? false, parent_id: input.parentId ?? null, creator_id: rc.viewerId });
    return { success: true, lastSyncId: await nextSyncId(rc), projectLabel: row };
  },
  projectAddLabel: async (_s, { id, labelId }: { id: string; labelId: string }, rc) => {
    const p = await need(rc, 'project', id, 'project');
    const label = await need(rc, 'projectLabel', labelId, 'project label');
    if (label.is_group) throw invalidInput('A label group cannot be applied to a project; apply one of its labels');
    if (label.retired_at) throw invalidInput('A retired label cannot be applied to a project');
    await rc.ctx.db.q`insert into project_label_links (project_id, label_id) values (${p.id}, ${label.id}) on conflict do nothing`;
    return { success: true, lastSyncId: await nextSyncId(rc), project: await updateRow(rc, 'project', p.id, {}) };
  },
  projectRemoveLabel: async (_s, { id, labelId }: { id: string; labelId: string }, rc) => {
    const p = await need(rc, 'project', id, 'project');
    await need(rc, 'projectLabel', labelId, 'project label');
    await rc.ctx.db.q`delete from project_label_links where project_id = ${p.id} and label_id = ${labelId}`;
    return { success: true, lastSyncId: await nextSyncId(rc), project: await updateRow(rc, 'project', p.id, {}) };
  },
  projectMilestoneCreate: async (_s, { input }: { input: Input }, rc) => {
    requireString(input.name, 'name');
    await need(rc, 'project', input.projectId, 'project');
    const row = await insertRow(rc, 'milestone', { id: input.id ?? crypto.randomUUID(), project_id: input.projectId, name: input.name, description: input.description ?? null, target_date: input.targetDate ?? null, sort_order: input.sortOrder ?? 0 });
    return { success: true, lastSyncId: await nextSyncId(rc), projectMilestone: row };
  },
  projectMilestoneUpdate: async (_s, { id, input }: { id: string; input: Input }, rc) => {
    await need(rc, 'milestone', id, 'project milestone');
    return { success: true, lastSyncId: await nextSyncId(rc), projectMilestone: await updateRow(rc, 'milestone', id, columnsFrom(input, { name: 'name', description: 'description', targetDate: 'target_date', sortOrder: 'sort_order' })) };
  },
  projectMilestoneDelete: async (_s, { id }: { id: string }, rc) => {
    await need(rc, 'milestone', id, 'project milestone');
    await rc.ctx.db.q`delete from project_milestones where id = ${id}`;
    rc.forget('milestone', id);
    return { success: true, lastSyncId: await nextSyncId(rc), entityId: id };
  },
  projectUpdateCreate: async (_s, { input }: { input: Input }, rc) => {
    requireString(input.body, 'body');
    await need(rc, 'project', input.projectId, 'project');
    const row = await insertRow(rc, 'projectUpdate', { id: input.id ?? crypto.randomUUID(), project_id: input.projectId, user_id: rc.viewerId, body: input.body, health: input.health ?? 'onTrack' });
    return { success: true, lastSyncId: await nextSyncId(rc), projectUpdate: row };
  },
  projectUpdateUpdate: async (_s, { id, input }: { id: string; input: Input }, rc) => {
    await need(rc, 'projectUpdate', id, 'project update');
    return { success: true, lastSyncId: await nextSyncId(rc), projectUpdate: await updateRow(rc, 'projectUpdate', id, { ...columnsFrom(input, { body: 'body', health: 'health' }), edited_at: clockNow() }) };
  },
  cycleCreate: async (_s, { input }: { input: Input }, rc) => {
    await need(rc, 'team', input.teamId, 'team');
    if (!input.startsAt || !input.endsAt || new Date(input.endsAt) <= new Date(input.startsAt)) throw invalidInput('startsAt and endsAt are required, endsAt after startsAt');
    const id = input.id ?? crypto.randomUUID();
    await rc.ctx.db.tx(async (tx) => {
      const [{ n }] = await tx`update teams set cycle_count = cycle_count + 1 where id = ${input.teamId} returning cycle_count as n`;
      await tx`insert into cycles (id, team_id, number, name, description, starts_at, ends_at) values (${id}, ${input.teamId}, ${n}, ${input.name ?? null}, ${input.description ?? null}, ${input.startsAt}, ${input.endsAt})`;
    });
    return { success: true, lastSyncId: await nextSyncId(rc), cycle: await need(rc, 'cycle', id, 'cycle') };
  },
  cycleUpdate: async (_s, { id, input }: { id: string; input: Input }, rc) => {
    await need(rc, 'cycle', id, 'cycle');
    return { success: true, lastSyncId: await nextSyncId(rc), cycle: await updateRow(rc, 'cycle', id, columnsFrom(input, { name: 'name', description: 'description', startsAt: 'starts_at', endsAt: 'ends_at', completedAt: 'completed_at' })) };
  },
  // From the given cycle onwards (by number, within its team), starts and ends move by daysToShift.
  cycleShiftAll: async (_s, { input }: { input: { id: string; daysToShift: number } }, rc) => {
    const c = await need(rc, 'cycle', input.id, 'cycle');
    if (!Number.isFinite(input.daysToShift) || input.daysToShift === 0) throw invalidInput('daysToShift must be a non-zero number of days');
    const ms = Math.round(input.daysToShift * 86_400_000);
    await rc.ctx.db.q`update cycles set starts_at = starts_at + ${ms} * interval '1 millisecond', ends_at = ends_at + ${ms} * interval '1 millisecond', updated_at = now()
      where team_id = ${c.team_id} and number >= ${c.number} and archived_at is null`;
    rc.forget('cycle', c.id);
    return { success: true, lastSyncId: await nextSyncId(rc), cycle: await need(rc, 'cycle', c.id, 'cycle') };
  },
  // Only the team's next upcoming cycle; it starts at midnight today (UTC), and a cycle still
  // running is completed and ends then.
  cycleStartUpcomingCycleToday: async (_s, { id }: { id: string }, rc) => {
    const c = await need(rc, 'cycle', id, 'cycle');
    const next = (await rc.ctx.db.q<{ id: string }>`select id from cycles where team_id = ${c.team_id} and starts_at > now() and archived_at is null order by starts_at, number limit 1`)[0];
    if (next?.id !== c.id) throw invalidInput('Only the upcoming cycle can be started');
    const midnight = new Date(clockNow());
    midnight.setUTCHours(0, 0, 0, 0);
    await rc.ctx.db.q`update cycles set ends_at = greatest(starts_at, ${midnight}), completed_at = now(), updated_at = now()
      where team_id = ${c.team_id} and id <> ${c.id} and starts_at <= now() and ends_at > ${midnight} and completed_at is null and archived_at is null`;
    await rc.ctx.db.q`update cycles set starts_at = ${midnight}, updated_at = now() where id = ${c.id}`;
    rc.forget('cycle', c.id);
    return { success: true, lastSyncId: await nextSyncId(rc), cycle: await need(rc, 'cycle', c.id, 'cycle') };
  },
  // "All issues currently assigned to the cycle are unlinked from it before archiving."
  cycleArchive: async (_s, { id }: { id: string }, rc) => {
    await need(rc, 'cycle', id, 'cycle');
    await rc.ctx.db.q`update issues set cycle_id = null, updated_at = now() where cycle_id = ${id}`;
    return { success: true, lastSyncId: await nextSyncId(rc), entity: await updateRow(rc, 'cycle', id, { archived_at: clockNow() }) };
  },
};

export const PROJECT_QUERIES: Record<string, Resolver> = {
  projectLabel: (_s, { id }: { id: string }, rc) => need(rc, 'projectLabel', id, 'project label'),
  projectLabels: (_s, a: ConnArgs, rc) => paginate(rc, 'projectLabel', a),
};
