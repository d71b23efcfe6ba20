import { randomString } from '../../../_kit/auth.ts';
import { bool, str } from '../../../_kit/http.ts';
import { fail } from '../errors.ts';
import type { Call, Handler } from '../types.ts';

/**
 * usergroups.*: named groups of people (S…) with a mention handle and default channels.
 * Disabling sets date_delete (the group and its members are kept, as in Slack); lists leave
 * disabled groups out unless include_disabled. User groups are a paid feature: on the free
 * plan writes answer paid_teams_only and reads plan_upgrade_required.
 */

interface GroupRow {
  id: string;
  team_id: string;
  name: string;
  handle: string;
  description: string;
  channels: string[];
  users: string[];
  created_by: string;
  updated_by: string;
  deleted_by: string | null;
  date_create: string | number;
  date_update: string | number;
  date_delete: string | number;
}

const seconds = (call: Call) => Math.floor(call.ctx.now().getTime() / 1000);
const MAX_NAME = 255;
const MAX_DESCRIPTION = 140;
const MAX_USERS = 10_000;

async function requirePaid(call: Call, code: string): Promise<void> {
  const rows = await call.ctx.db.q<{ plan: string }>`select plan from teams where id = ${call.caller.teamId}`;
  if (!rows[0]?.plan) fail(code);
}

function render(g: GroupRow, opts: { count: boolean; users: boolean }): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: g.id,
    team_id: g.team_id,
    is_usergroup: true,
    is_subteam: true,
    name: g.name,
    description: g.description,
    handle: g.handle,
    is_external: false,
    date_create: Number(g.date_create),
    date_update: Number(g.date_update),
    date_delete: Number(g.date_delete),
    auto_type: null,
    auto_provision: false,
    enterprise_subteam_id: '',
    created_by: g.created_by,
    updated_by: g.updated_by,
    deleted_by: g.deleted_by,
    prefs: { channels: g.channels, groups: [] },
    channel_count: g.channels.length,
  };
  if (opts.users) out.users = g.users;
  if (opts.count) out.user_count = g.users.length;
  return out;
}

const csv = (v: unknown): string[] | null => {
  if (Array.isArray(v)) return v.map(String).map((x) => x.trim()).filter(Boolean);
  const s = str(v);
  return s === undefined ? null : s.split(',').map((x) => x.trim()).filter(Boolean);
};

async function checkChannels(call: Call, ids: string[]): Promise<void> {
  if (!ids.length) return;
  const rows = await call.ctx.db.q<{ id: string }>`select id from conversations where team_id = ${call.caller.teamId} and id = any(${ids}::text[]) and kind in ('channel', 'group')`;
  if (rows.length !== new Set(ids).size) fail('invalid_channel_provided');
}

/** Handles: lowercase letters, digits, . _ -, unique among people, channels and groups (case-insensitive). */
async function checkHandle(call: Call, handle: string, except: string | null): Promise<void> {
  if (!/^[a-z0-9._-]{1,80}$/.test(handle)) fail('bad_handle');
  if (['here', 'channel', 'everyone', 'group'].includes(handle)) fail('forbidden_handle');
  const db = call.ctx.db;
  const taken = await db.q`select 1 from usergroups where team_id = ${call.caller.teamId} and lower(handle) = ${handle} and id <> ${except ?? ''}
    union all select 1 from users where team_id = ${call.caller.teamId} and lower(name) = ${handle}
    union all select 1 from conversations where team_id = ${call.caller.teamId} and lower(name) = ${handle} limit 1`;
  if (taken.length) fail('handle_already_exists');
}

async function checkName(call: Call, name: string, except: string | null): Promise<void> {
  if (name.length > MAX_NAME) fail('name_too_long');
  const taken = await call.ctx.db.q`select 1 from usergroups where team_id = ${call.caller.teamId} and lower(name) = lower(${name}) and id <> ${except ?? ''}`;
  if (taken.length) fail('name_already_exists');
}

function checkDescription(d: string): void {
  if (d.length > MAX_DESCRIPTION) fail('description_too_long');
}

async function group(call: Call): Promise<GroupRow> {
  const id = str(call.params.usergroup)?.trim();
  if (!id) fail('missing_argument');
  const rows = await call.ctx.db.q<GroupRow>`select * from usergroups where id = ${id} and team_id = ${call.caller.teamId}`;
  if (!rows[0]) fail('no_such_subteam');
  return rows[0];
}

const create: Handler = async (call) => {
  await requirePaid(call, 'paid_teams_only');
  const name = str(call.params.name)?.trim();
  if (!name) fail('missing_subteam_name');
  await checkName(call, name, null);
  // Without a handle Slack derives one from the name.
  const handle = (str(call.params.handle)?.trim() || name.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '')).toLowerCase();
  await checkHandle(call, handle, null);
  const description = str(call.params.description) ?? '';
  checkDescription(description);
  const channels = csv(call.params.channels) ?? [];
  await checkChannels(call, channels);
  const now = seconds(call);
  const id = `S0${randomString(9, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789')}`;
  const rows = await call.ctx.db.q<GroupRow>`insert into usergroups (id, team_id, name, handle, description, channels, created_by, updated_by, date_create, date_update)
    values (${id}, ${call.caller.teamId}, ${name}, ${handle}, ${description}, ${channels}::text[], ${call.caller.userId}, ${call.caller.userId}, ${now}, ${now}) returning *`;
  return { usergroup: render(rows[0] as GroupRow, { count: bool(call.params.include_count), users: true }) };
};

const update: Handler = async (call) => {
  await requirePaid(call, 'paid_teams_only');
  const g = await group(call);
  const name = str(call.params.name)?.trim() || null;
  if (name) await checkName(call, name, g.id);
  const handle = str(call.params.handle)?.trim().toLowerCase() || null;
  if (handle) await checkHandle(call, handle, g.id);
  const description = str(call.params.description) ?? null;
  if (description !== null) checkDescription(description);
  const channels = csv(call.params.channels);
  if (channels) await checkChannels(call, channels);
  const rows = await call.ctx.db.q<GroupRow>`update usergroups set name = coalesce(${name}, name), handle = coalesce(${handle}, handle),
      description = coalesce(${description}, description), channels = coalesce(${channels}::text[], channels),
      updated_by = ${call.caller.userId}, date_update = ${seconds(call)}
    where id = ${g.id} returning *`;
  return { usergroup: render(rows[0] as GroupRow, { count: bool(call.params.include_count), users: true }) };
};

const setEnabled = (enabled: boolean): Handler => async (call) => {
  await requirePaid(call, 'plan_upgrade_required');
  const g = await group(call);
  const now = seconds(call);
  const rows = enabled
    ? await call.ctx.db.q<GroupRow>`update usergroups set date_delete = 0, deleted_by = null, updated_by = ${call.caller.userId}, date_update = ${now} where id = ${g.id} returning *`
    : await call.ctx.db.q<GroupRow>`update usergroups set date_delete = ${now}, deleted_by = ${call.caller.userId}, updated_by = ${call.caller.userId}, date_update = ${now} where id = ${g.id} returning *`;
  return { usergroup: render(rows[0] as GroupRow, { count: bool(call.params.include_count), users: true }) };
};

const list: Handler = async (call) => {
  await requirePaid(call, 'plan_upgrade_required');
  const disabled = bool(call.params.include_disabled);
  const rows = await call.ctx.db.q<GroupRow>`select * from usergroups where team_id = ${call.caller.teamId} and (${disabled} or date_delete = 0) order by lower(name), id`;
  const opts = { count: bool(call.params.include_count), users: bool(call.params.include_users) };
  return { usergroups: rows.map((g) => render(g, opts)) };
};

const usersList: Handler = async (call) => {
  await requirePaid(call, 'plan_upgrade_required');
  const g = await group(call);
  if (Number(g.date_delete) > 0 && !bool(call.params.include_disabled)) fail('no_such_subteam');
  return { users: g.users };
};

/** Replaces the group's members with `users` (Slack's semantics: the full list, not a delta). */
const usersUpdate: Handler = async (call) => {
  await requirePaid(call, 'plan_upgrade_required');
  const g = await group(call);
  const users = [...new Set(csv(call.params.users) ?? [])];
  if (!users.length) fail('no_users_provided');
  if (users.length > MAX_USERS) fail('subteam_max_users_exceeded');
  if (!users.every((u) => /^[UW][A-Z0-9]+$/.test(u))) fail('invalid_users');
  const found = await call.ctx.db.q<{ id: string }>`select id from users where team_id = ${call.caller.teamId} and id = any(${users}::text[]) and not deleted and not is_bot`;
  if (found.length !== users.length) fail('invalid_users');
  const rows = await call.ctx.db.q<GroupRow>`update usergroups set users = ${users}::text[], updated_by = ${call.caller.userId}, date_update = ${seconds(call)} where id = ${g.id} returning *`;
  return { usergroup: render(rows[0] as GroupRow, { count: bool(call.params.include_count), users: true }) };
};

export const usergroupMethods: Record<string, Handler> = {
  'usergroups.create': create,
  'usergroups.update': update,
  'usergroups.disable': setEnabled(false),
  'usergroups.enable': setEnabled(true),
  'usergroups.list': list,
  'usergroups.users.list': usersList,
  'usergroups.users.update': usersUpdate,
};
