import { createHash } from 'node:crypto';
import type { SQL } from 'bun';
import { invalidInput, notFound } from '../errors.ts';
import type { Resolver } from '../gql.ts';
import type { Rc } from '../request.ts';
import { need } from './query.ts';
import { columnsFrom, nextSyncId, requireString, updateRow } from '../write.ts';
import { clockNow } from '../../../_kit/clock.ts';

/** Teams, their memberships and workflow states; a new team gets Linear's default states. */
export const DEFAULT_STATES: Array<[string, string, string]> = [
  ['Backlog', 'backlog', '#bec2c8'],
  ['Todo', 'unstarted', '#e2e2e2'],
  ['In Progress', 'started', '#f2c94c'],
  ['In Review', 'started', '#0f783c'],
  ['Done', 'completed', '#5e6ad2'],
  ['Canceled', 'canceled', '#95a2b3'],
  ['Duplicate', 'canceled', '#95a2b3'],
];

/**
 * A default state's id, derived from its team's id and its name (UUID-shaped, version 4 bits
 * set): two clones of one world provision the same states, so their states are byte-identical.
 */
export function defaultStateId(teamId: string, name: string): string {
  const h = createHash('sha256').update(`${teamId}:state:${name}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export async function insertDefaultStates(tx: SQL, teamId: string): Promise<void> {
  for (const [i, [name, type, color]] of DEFAULT_STATES.entries()) {
    await tx`insert into workflow_states (id, team_id, name, type, color, position) values (${defaultStateId(teamId, name)}, ${teamId}, ${name}, ${type}, ${color}, ${i})`;
  }
}

const TEAM_COLUMNS = { name: 'name', key: 'key', description: 'description', color: 'color', icon: 'icon', private: 'private', cyclesEnabled: 'cycles_enabled' };
const STATE_COLUMNS = { name: 'name', color: 'color', description: 'description', position: 'position' };
const STATE_TYPES = new Set(['triage', 'backlog', 'unstarted', 'started', 'completed', 'canceled']);

function checkKey(key: unknown): void {
  if (typeof key !== 'string' || !/^[A-Z0-9]{1,7}$/.test(key.toUpperCase()) || !/^[A-Za-z]/.test(key)) throw invalidInput('Team key must be 1-7 alphanumeric characters starting with a letter');
}

/** A key in use, or one another team used before (it still resolves that team's identifiers). */
async function keyTaken(rc: Rc, key: string, except?: string): Promise<boolean> {
  const k = key.toUpperCase();
  return (await rc.ctx.db.q`select 1 from teams where upper(key) = ${k} and id::text <> ${except ?? ''}
    union all select 1 from team_keys where upper(key) = ${k} and team_id::text <> ${except ?? ''}`).length > 0;
}

export const TEAM_MUTATIONS: Record<string, Resolver> = {
  teamCreate: async (_s, { input }: { input: Record<string, any> }, rc) => {
    requireString(input.name, 'name');
    const key = String(input.key ?? input.name.replace(/[^A-Za-z0-9]/g, '').slice(0, 3)).toUpperCase();
    checkKey(key);
    if (await keyTaken(rc, key)) throw invalidInput(`Team key ${key} is already in use`);
    const id = input.id ?? crypto.randomUUID();
    await rc.ctx.db.tx(async (tx) => {
      await tx`insert into teams (id, key, name, description, color, icon, private, cycles_enabled) values (${id}, ${key}, ${input.name}, ${input.description ?? null}, ${input.color ?? '#5e6ad2'}, ${input.icon ?? null}, ${input.private ?? false}, ${input.cyclesEnabled ?? true})`;
      await insertDefaultStates(tx, id);
      await tx`insert into team_members (id, team_id, user_id, owner) values (${crypto.randomUUID()}, ${id}, ${rc.viewerId}, true)`;
    });
    return { success: true, lastSyncId: await nextSyncId(rc), team: await need(rc, 'team', id, 'team') };
  },
  teamUpdate: async (_s, { id, input }: { id: string; input: Record<string, any> }, rc) => {
    const team = await need(rc, 'team', id, 'team');
    if (input.key !== undefined) {
      checkKey(input.key);
      input.key = String(input.key).toUpperCase();
      if (await keyTaken(rc, input.key, team.id)) throw invalidInput(`Team key ${input.key} is already in use`);
    }
    if (input.key !== undefined && input.key !== team.key) {
      await rc.ctx.db.q`insert into team_keys (id, team_id, key) values (${crypto.randomUUID()}, ${team.id}, ${team.key}) on conflict (key) do nothing`;
      await rc.ctx.db.q`delete from team_keys where team_id = ${team.id} and upper(key) = ${input.key}`;
    }
    const row = await updateRow(rc, 'team', team.id, columnsFrom(input, TEAM_COLUMNS));
    return { success: true, lastSyncId: await nextSyncId(rc), team: row };
  },
  // Team key ids are not exposed by Linear's schema; the clone takes the old key itself too.
  teamKeyDelete: async (_s, { id }: { id: string }, rc) => {
    const active = await rc.ctx.db.q`select 1 from teams where upper(key) = ${id.toUpperCase()}`;
    if (active.length) throw invalidInput('The active team key cannot be deleted');
    const rows = await rc.ctx.db.q<{ id: string }>`delete from team_keys where id::text = ${id} or upper(key) = ${id.toUpperCase()} returning id`;
    if (!rows.length) throw notFound('team key');
    return { success: true, lastSyncId: await nextSyncId(rc), entityId: rows[0]!.id };
  },
  teamCyclesDelete: async (_s, { id }: { id: string }, rc) => {
    const team = await need(rc, 'team', id, 'team');
    await rc.ctx.db.tx(async (tx) => {
      await tx`update issues set cycle_id = null, updated_at = now() where team_id = ${team.id} and cycle_id is not null`;
      await tx`delete from cycles where team_id = ${team.id}`;
      await tx`update teams set cycles_enabled = false, updated_at = now() where id = ${team.id}`;
    });
    rc.forget('team', team.id);
    return { success: true, lastSyncId: await nextSyncId(rc), team: await need(rc, 'team', team.id, 'team') };
  },
  teamMembershipCreate: async (_s, { input }: { input: { teamId: string; userId: string; owner?: boolean } }, rc) => {
    await need(rc, 'team', input.teamId, 'team');
    await need(rc, 'user', input.userId, 'user');
    const id = crypto.randomUUID();
    await rc.ctx.db.q`insert into team_members (id, team_id, user_id, owner) values (${id}, ${input.teamId}, ${input.userId}, ${input.owner ?? false}) on conflict (team_id, user_id) do nothing`;
    const rows = await rc.ctx.db.q<{ id: string }>`select id from team_members where team_id = ${input.teamId} and user_id = ${input.userId}`;
    return { success: true, lastSyncId: await nextSyncId(rc), teamMembership: await need(rc, 'membership', rows[0]!.id, 'team membership') };
  },
  teamMembershipDelete: async (_s, { id }: { id: string }, rc) => {
    await need(rc, 'membership', id, 'team membership');
    await rc.ctx.db.q`delete from team_members where id = ${id}`;
    return { success: true, lastSyncId: await nextSyncId(rc), entityId: id };
  },
  workflowStateCreate: async (_s, { input }: { input: Record<string, any> }, rc) => {
    await need(rc, 'team', input.teamId, 'team');
    requireString(input.name, 'name');
    if (!STATE_TYPES.has(input.type)) throw invalidInput(`type must be one of ${[...STATE_TYPES].join(', ')}`);
    const id = input.id ?? crypto.randomUUID();
    const pos = input.position ?? Number((await rc.ctx.db.q<{ p: number }>`select coalesce(max(position), -1) + 1 as p from workflow_states where team_id = ${input.teamId}`)[0]!.p);
    await rc.ctx.db.q`insert into workflow_states (id, team_id, name, type, color, position, description) values (${id}, ${input.teamId}, ${input.name}, ${input.type}, ${input.color ?? '#bec2c8'}, ${pos}, ${input.description ?? null})`;
    return { success: true, lastSyncId: await nextSyncId(rc), workflowState: await need(rc, 'state', id, 'workflow state') };
  },
  workflowStateUpdate: async (_s, { id, input }: { id: string; input: Record<string, any> }, rc) => {
    await need(rc, 'state', id, 'workflow state');
    return { success: true, lastSyncId: await nextSyncId(rc), workflowState: await updateRow(rc, 'state', id, columnsFrom(input, STATE_COLUMNS)) };
  },
  workflowStateArchive: async (_s, { id }: { id: string }, rc) => {
    const st = await need(rc, 'state', id, 'workflow state');
    const used = await rc.ctx.db.q`select 1 from issues where state_id = ${id} and archived_at is null limit 1`;
    if (used.length) throw invalidInput('Cannot archive a workflow state that still has issues');
    const row = await updateRow(rc, 'state', st.id, { archived_at: clockNow() });
    return { success: true, lastSyncId: await nextSyncId(rc), entity: row };
  },
  userUpdate: async (_s, { id, input }: { id: string; input: Record<string, any> }, rc) => {
    const target = id === 'me' ? rc.viewerId : id;
    await need(rc, 'user', target, 'user');
    const row = await updateRow(rc, 'user', target, columnsFrom(input, { name: 'name', displayName: 'display_name', description: 'description', avatarUrl: 'avatar_url', timezone: 'timezone' }));
    return { success: true, lastSyncId: await nextSyncId(rc), user: row };
  },
};
