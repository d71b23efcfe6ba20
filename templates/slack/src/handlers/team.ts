import { bool, str } from '../../../_kit/http.ts';
import { intInRange } from '../../../_kit/input.ts';
import { fail } from '../errors.ts';
import { encodeCursor } from '../ids.ts';
import { getTeam, getUser, type TeamRow } from '../store.ts';
import type { Call, ConnectedTeam, Handler } from '../types.ts';
import { cursorValue, metaCursor, pageLimit } from './common.ts';

/**
 * auth.revoke, auth.teams.list and the team.* methods besides team.info: what the workspace
 * knows about itself (plan, preferences, profile fields, billable people, access and
 * integration logs) and about the organisations it is connected to through Slack Connect.
 */

const seconds = (call: Call) => Math.floor(call.ctx.now().getTime() / 1000);

type TeamPlus = TeamRow & { plan?: string; prefs?: Record<string, unknown> };

/** The team row with this migration's columns (getTeam caches the row, which predates them in its type). */
async function team(call: Call): Promise<TeamPlus> {
  const rows = await call.ctx.db.q<TeamPlus>`select * from teams where id = ${call.caller.teamId}`;
  if (!rows[0]) fail('team_not_found');
  return rows[0];
}

// ---- auth.*

/**
 * Revokes the calling token (test=true only checks). Dispatch hands the token's cached
 * lookup in as the caller, so marking it revoked answers the very next call with
 * token_revoked; the stored row makes it permanent. Signed user tokens (minted for people by
 * the admin surface) are not stored: theirs lasts until the clone's token cache is dropped.
 */
const authRevoke: Handler = async (call) => {
  if (bool(call.params.test)) return { revoked: false };
  const c = call.caller;
  if (c.kind === 'bot') await call.ctx.db.q`update tokens set revoked = true where kind = 'bot' and team_id = ${c.teamId} and user_id = ${c.userId} and app_id is not distinct from ${c.appId}`;
  else await call.ctx.db.q`update tokens set revoked = true where kind = 'user' and team_id = ${c.teamId} and user_id = ${c.userId} and app_id is not distinct from ${c.appId}`;
  (c as { revoked?: boolean }).revoked = true;
  return { revoked: true };
};

function teamIcon(publicUrl: string, id: string): Record<string, unknown> {
  const icon: Record<string, unknown> = { image_default: true };
  for (const size of [34, 44, 68, 88, 102, 132, 230]) icon[`image_${size}`] = `${publicUrl}/avatars/${id}/${size}.png`;
  return icon;
}

/** The workspaces the token's app is installed in: this clone has one. */
const authTeamsList: Handler = async (call) => {
  const t = await getTeam(call.ctx);
  const limit = pageLimit(call.params.limit, 100, 1000);
  const after = cursorValue(call.params.cursor, 'team');
  const all = t ? [t] : [];
  const rest = all.filter((x) => !after || x.id > after);
  const page = rest.slice(0, limit);
  const next = rest.length > limit ? encodeCursor('team', page[page.length - 1]!.id) : null;
  const withIcon = bool(call.params.include_icon);
  const teams = page.map((x) => ({ id: x.id, name: x.name, ...(withIcon ? { icon: teamIcon(call.ctx.env.publicUrl, x.id) } : {}) }));
  return { teams, ...metaCursor(next) };
};

// ---- team.billing.info, team.preferences.list, team.profile.get

const teamBillingInfo: Handler = async (call) => ({ plan: (await team(call)).plan ?? 'std' });

/** Slack's defaults for a new workspace; teams.prefs holds overrides. */
const DEFAULT_PREFS = { allow_message_deletion: true, display_real_names: false, disable_file_uploads: 'allow_all', msg_edit_window_mins: -1, who_can_post_general: 'everyone' };

const teamPreferencesList: Handler = async (call) => {
  const prefs = { ...DEFAULT_PREFS, ...((await team(call)).prefs ?? {}) };
  return Object.fromEntries(Object.keys(DEFAULT_PREFS).map((k) => [k, (prefs as Record<string, unknown>)[k]]));
};

const teamProfileGet: Handler = async (call) => {
  const visibility = str(call.params.visibility) ?? 'all';
  if (!['all', 'visible', 'hidden'].includes(visibility)) fail('invalid_arguments', { response_metadata: { messages: ['[ERROR] visibility must be one of all, visible, hidden'] } });
  const db = call.ctx.db;
  const sections = await db.q<{ id: string; label: string; section_type: string; ordering: number; is_hidden: boolean }>`select * from team_profile_sections order by ordering, id`;
  const fields = await db.q<{ id: string; section_id: string; field_name: string | null; label: string; hint: string; type: string; possible_values: string[] | null; ordering: number; is_hidden: boolean }>`
    select * from team_profile_fields order by ordering, id`;
  const wanted = (hidden: boolean) => visibility === 'all' || (visibility === 'hidden') === hidden;
  return {
    profile: {
      fields: fields.filter((f) => wanted(f.is_hidden)).map((f) => ({
        id: f.id,
        ordering: f.ordering,
        ...(f.field_name ? { field_name: f.field_name } : {}),
        label: f.label,
        hint: f.hint,
        type: f.type,
        possible_values: f.possible_values ?? [],
        options: { is_protected: !!f.field_name },
        is_hidden: f.is_hidden,
        section_id: f.section_id,
      })),
      sections: sections.filter((s) => wanted(s.is_hidden)).map((s) => ({ id: s.id, team_id: call.caller.teamId, section_type: s.section_type, label: s.label, order: s.ordering, is_hidden: s.is_hidden })),
    },
  };
};

// ---- admin methods: team.billableInfo, team.accessLogs, team.integrationLogs

/** count/page lists, bounded as Slack documents (over_pagination_limit past 1000 a page or page 100). */
function countPage(call: Call, def: number): { count: number; page: number } {
  const count = intInRange(call.params.count, def, 1, Number.MAX_SAFE_INTEGER);
  const page = intInRange(call.params.page, 1, 1, Number.MAX_SAFE_INTEGER);
  if (count > 1000 || page > 100) fail('over_pagination_limit');
  return { count, page };
}

function paged<T>(all: T[], count: number, page: number): { items: T[]; paging: { count: number; total: number; page: number; pages: number } } {
  return { items: all.slice((page - 1) * count, page * count), paging: { count, total: all.length, page, pages: Math.max(1, Math.ceil(all.length / count)) } };
}

async function paidTeam(call: Call): Promise<TeamPlus> {
  const t = await team(call);
  if (!t.plan) fail('paid_only');
  return t;
}

/** Billing per Slack's Fair Billing Policy: every person not deactivated is billing_active; bots are not billed. */
const teamBillableInfo: Handler = async (call) => {
  const user = str(call.params.user)?.trim();
  if (user && !(await getUser(call.ctx.db, user))) fail('user_not_found');
  const limit = pageLimit(call.params.limit, 1000, 1000);
  const after = cursorValue(call.params.cursor, 'user');
  const rows = await call.ctx.db.q<{ id: string; deleted: boolean }>`select id, deleted from users
    where team_id = ${call.caller.teamId} and not is_bot and (${user ?? null}::text is null or id = ${user ?? null})
      and (${after}::text is null or id > ${after}) order by id limit ${limit + 1}`;
  const page = rows.slice(0, limit);
  const next = rows.length > limit ? encodeCursor('user', page[page.length - 1]!.id) : null;
  return { billable_info: Object.fromEntries(page.map((r) => [r.id, { billing_active: !r.deleted }])), ...metaCursor(next) };
};

/**
 * One login per person with a stored user token: the clone sees no browsers, so the entry is
 * the token's creation (ip 127.0.0.1, user agent "asym"). `before` bounds date_first.
 */
const teamAccessLogs: Handler = async (call) => {
  await paidTeam(call);
  const { count, page } = countPage(call, 100);
  const beforeRaw = str(call.params.before);
  const before = !beforeRaw || beforeRaw === 'now' ? seconds(call) : Number(beforeRaw);
  if (!Number.isFinite(before)) fail('invalid_arguments', { response_metadata: { messages: ['[ERROR] before must be a unix timestamp or "now"'] } });
  const rows = await call.ctx.db.q<{ user_id: string; name: string; first: string; last: string; n: string }>`
    select t.user_id, u.name, min(t.created) as first, max(t.created) as last, count(*) as n
    from tokens t join users u on u.id = t.user_id
    where t.team_id = ${call.caller.teamId} and t.kind = 'user' and t.created <= ${before}
    group by t.user_id, u.name order by max(t.created) desc, t.user_id`;
  const { items, paging } = paged(rows, count, page);
  const logins = items.map((r) => ({ user_id: r.user_id, username: r.name, date_first: Number(r.first), date_last: Number(r.last), count: Number(r.n), ip: '127.0.0.1', user_agent: 'asym', isp: '', country: '', region: '' }));
  return { logins, paging };
};

/** The workspace's app installations: each app is one "added" entry by the workspace's primary owner. */
const teamIntegrationLogs: Handler = async (call) => {
  await paidTeam(call);
  const { count, page } = countPage(call, 100);
  const appId = str(call.params.app_id)?.trim() || null;
  const changeType = str(call.params.change_type)?.trim() || null;
  const user = str(call.params.user)?.trim() || null;
  const serviceId = str(call.params.service_id)?.trim() || null;
  if (changeType && !['added', 'removed', 'enabled', 'disabled', 'updated', 'expanded', 'reissued'].includes(changeType)) {
    fail('invalid_arguments', { response_metadata: { messages: ['[ERROR] change_type must be one of added, removed, enabled, disabled, updated, expanded, reissued'] } });
  }
  const rows = await call.ctx.db.q<{ id: string; name: string; created: string; owner: string | null; owner_name: string | null; scopes: string[] | null }>`
    select a.id, a.name, a.created, o.id as owner, o.name as owner_name,
      (select t.scopes from tokens t where t.app_id = a.id and t.kind = 'bot' order by t.created limit 1) as scopes
    from apps a left join lateral (select id, name from users where team_id = a.team_id and is_primary_owner order by id limit 1) o on true
    where a.team_id = ${call.caller.teamId} order by a.created desc, a.id`;
  const all = rows
    .map((a) => ({ app_id: a.id, app_type: 'app', change_type: 'added', date: String(a.created), scope: (a.scopes ?? []).join(','), user_id: a.owner ?? '', user_name: a.owner_name ?? '' }))
    // Apps have no service id (those are legacy custom integrations): a service_id filter matches none.
    .filter((l) => (!appId || l.app_id === appId) && (!changeType || l.change_type === changeType) && (!user || l.user_id === user) && !serviceId);
  const { items, paging } = paged(all, count, page);
  return { logs: items, paging };
};

// ---- team.externalTeams.*: the organisations connected through Slack Connect channels

interface Org {
  team: ConnectedTeam;
  publicChannels: number;
  privateChannels: number;
  status: 'CONNECTED' | 'DISCONNECTED';
}

async function organisations(call: Call): Promise<Org[]> {
  const db = call.ctx.db;
  const convs = await db.q<{ connected_teams: ConnectedTeam[]; is_private: boolean; is_archived: boolean }>`
    select connected_teams, is_private, is_archived from conversations where team_id = ${call.caller.teamId} and jsonb_array_length(connected_teams) > 0`;
  const byId = new Map<string, Org>();
  for (const c of convs) {
    for (const t of c.connected_teams) {
      const o = byId.get(t.id) ?? { team: t, publicChannels: 0, privateChannels: 0, status: 'CONNECTED' as const };
      if (c.is_private) o.privateChannels++;
      else o.publicChannels++;
      byId.set(t.id, o);
    }
  }
  const gone = await db.q<{ team_id: string; name: string; domain: string }>`select team_id, name, domain from external_team_disconnects`;
  for (const g of gone) if (!byId.has(g.team_id)) byId.set(g.team_id, { team: { id: g.team_id, name: g.name, domain: g.domain }, publicChannels: 0, privateChannels: 0, status: 'DISCONNECTED' });
  return [...byId.values()];
}

const SORT_FIELDS = ['team_name', 'last_active_timestamp', 'connection_status'];
const STATUSES = ['CONNECTED', 'DISCONNECTED', 'BLOCKED', 'IN_REVIEW'];

function listParam(v: unknown): string[] {
  if (Array.isArray(v)) return v.map(String);
  const s = str(v)?.trim();
  if (!s) return [];
  if (s.startsWith('[')) {
    try {
      const parsed = JSON.parse(s);
      if (Array.isArray(parsed)) return parsed.map(String);
    } catch {
      // fall through: a comma-separated list
    }
  }
  return s.split(',').map((x) => x.trim()).filter(Boolean);
}

const teamExternalTeamsList: Handler = async (call) => {
  const sortField = str(call.params.sort_field) ?? 'team_name';
  const sortDir = str(call.params.sort_direction) ?? 'asc';
  if (!SORT_FIELDS.includes(sortField) || !['asc', 'desc'].includes(sortDir)) fail('invalid_arguments', { response_metadata: { messages: [`[ERROR] sort_field must be one of ${SORT_FIELDS.join(', ')}; sort_direction asc or desc`] } });
  const statuses = listParam(call.params.connection_status_filter);
  if (statuses.some((s) => !STATUSES.includes(s))) fail('invalid_arguments', { response_metadata: { messages: [`[ERROR] connection_status_filter must be one of ${STATUSES.join(', ')}`] } });
  const workspaces = listParam(call.params.workspace_filter);
  const limit = pageLimit(call.params.limit, 20, 1000);
  const own = await getTeam(call.ctx);
  let orgs = (await organisations(call)).filter((o) => (!statuses.length || statuses.includes(o.status)) && (!workspaces.length || workspaces.includes(call.caller.teamId)));
  const key = (o: Org) => (sortField === 'connection_status' ? o.status : o.team.name.toLowerCase());
  orgs.sort((a, b) => key(a).localeCompare(key(b)) || a.team.id.localeCompare(b.team.id));
  if (sortDir === 'desc') orgs.reverse();
  const total = orgs.length;
  // Slack's cursor here is the team_id to start after.
  const after = str(call.params.cursor)?.trim();
  if (after) {
    const i = orgs.findIndex((o) => o.team.id === after);
    if (i < 0) fail('invalid_cursor');
    orgs = orgs.slice(i + 1);
  }
  const page = orgs.slice(0, limit);
  const next = orgs.length > limit ? page[page.length - 1]!.team.id : null;
  const organizations = page.map((o) => ({
    team_id: o.team.id,
    team_name: o.team.name,
    team_domain: o.team.domain,
    public_channel_count: o.publicChannels,
    private_channel_count: o.privateChannels,
    im_channel_count: 0,
    mpim_channel_count: 0,
    connected_workspaces: o.status === 'CONNECTED' ? [{ workspace_id: call.caller.teamId, workspace_name: own?.name ?? '' }] : [],
    connection_status: o.status,
    is_sponsored: false,
    last_active_timestamp: 0,
  }));
  return { organizations, total_count: total, ...metaCursor(next) };
};

/** Ends every Slack Connect channel's connection with the organisation; the channels stay, history kept. */
const teamExternalTeamsDisconnect: Handler = async (call) => {
  const target = str(call.params.target_team)?.trim();
  if (!target) fail('missing_argument');
  const db = call.ctx.db;
  const connected = (await organisations(call)).find((o) => o.team.id === target && o.status === 'CONNECTED');
  if (!connected) fail('invalid_target_team');
  const drop = JSON.stringify([{ id: target }]);
  await db.tx(async (tx) => {
    await tx`update conversations set
        connected_teams = coalesce((select jsonb_agg(t) from jsonb_array_elements(connected_teams) t where t ->> 'id' <> ${target}), '[]'::jsonb),
        external_limited = external_limited - ${target}::text,
        updated = ${seconds(call)}
      where team_id = ${call.caller.teamId} and connected_teams @> ${drop}::text::jsonb`;
    await tx`insert into external_team_disconnects (team_id, name, domain, disconnected_by, disconnected)
      values (${target}, ${connected.team.name}, ${connected.team.domain ?? ''}, ${call.caller.userId}, ${seconds(call)})
      on conflict (team_id) do update set disconnected = excluded.disconnected, disconnected_by = excluded.disconnected_by`;
  });
  return {};
};

export const teamMethods: Record<string, Handler> = {
  'auth.revoke': authRevoke,
  'auth.teams.list': authTeamsList,
  'team.billing.info': teamBillingInfo,
  'team.preferences.list': teamPreferencesList,
  'team.profile.get': teamProfileGet,
  'team.billableInfo': teamBillableInfo,
  'team.accessLogs': teamAccessLogs,
  'team.integrationLogs': teamIntegrationLogs,
  'team.externalTeams.list': teamExternalTeamsList,
  'team.externalTeams.disconnect': teamExternalTeamsDisconnect,
};
