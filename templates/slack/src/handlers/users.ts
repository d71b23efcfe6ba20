import { jsonField, str } from '../../../_kit/http.ts';
import { fail } from '../errors.ts';
import { encodeCursor, nowSeconds } from '../ids.ts';
import { renderProfile, renderUser } from '../render.ts';
import { getTeam, getUser, requireUser } from '../store.ts';
import type { Call, Handler, UserRow } from '../types.ts';
import { deletePhoto, setPhoto } from '../photos.ts';
import { cursorValue, metaCursor, pageLimit } from './common.ts';
import { usersConversations } from './conversations.ts';

/** users.*: directory, profiles and presence. Emails need users:read.email, as in Slack. */

const canSeeEmail = (call: Call) => call.caller.scopes.includes('users:read.email');

const list: Handler = async (call) => {
  const limit = pageLimit(call.params.limit, 0, 1000) || 1000;
  const after = cursorValue(call.params.cursor, 'user');
  const rows = await call.ctx.db.q<UserRow>`select * from users where team_id = ${call.caller.teamId}
    and (${after}::text is null or id >= ${after}) order by id limit ${limit + 1}`;
  const next = rows.length > limit ? encodeCursor('user', (rows[limit] as UserRow).id) : null;
  return {
    members: rows.slice(0, limit).map((u) => renderUser(u, call.ctx.env.publicUrl, canSeeEmail(call))),
    cache_ts: nowSeconds(),
    ...metaCursor(next),
  };
};

const info: Handler = async (call) => {
  const u = await requireUser(call.ctx.db, str(call.params.user));
  if (u.team_id !== call.caller.teamId) fail('user_not_found');
  return { user: renderUser(u, call.ctx.env.publicUrl, canSeeEmail(call)) };
};

const lookupByEmail: Handler = async (call) => {
  const email = str(call.params.email)?.trim().toLowerCase();
  if (!email) fail('users_not_found');
  const rows = await call.ctx.db.q<UserRow>`select * from users where lower(email) = ${email} and team_id = ${call.caller.teamId} limit 1`;
  if (!rows[0]) fail('users_not_found');
  return { user: renderUser(rows[0], call.ctx.env.publicUrl, true) };
};

const discoverableLookup: Handler = async (call) => {
  const email = str(call.params.email)?.trim().toLowerCase();
  if (!email) fail('invalid_email');
  const rows = await call.ctx.db.q`select 1 from users where lower(email) = ${email} and not deleted limit 1`;
  return { is_discoverable: rows.length > 0 };
};

const getPresence: Handler = async (call) => {
  const u = await requireUser(call.ctx.db, str(call.params.user) ?? call.caller.userId);
  const active = u.is_bot || u.presence !== 'away';
  const out: Record<string, unknown> = { presence: active ? 'active' : 'away' };
  // Only the caller's own presence carries the detail fields, as in Slack.
  if (u.id === call.caller.userId) {
    Object.assign(out, { online: active, auto_away: false, manual_away: u.presence === 'away', connection_count: active ? 1 : 0, last_activity: nowSeconds() });
  }
  return out;
};

const setPresence: Handler = async (call) => {
  const presence = str(call.params.presence);
  if (presence !== 'auto' && presence !== 'away') fail('invalid_presence');
  await call.ctx.db.q`update users set presence = ${presence}, updated = ${nowSeconds()} where id = ${call.caller.userId}`;
  return {};
};

const identity: Handler = async (call) => {
  const u = await requireUser(call.ctx.db, call.caller.userId);
  const team = await getTeam(call.ctx);
  return { user: { name: u.real_name || u.name, id: u.id }, team: { id: u.team_id, name: team?.name ?? '' } };
};

const profileGet: Handler = async (call) => {
  const u = await requireUser(call.ctx.db, str(call.params.user) ?? call.caller.userId);
  return { profile: renderProfile(u, call.ctx.env.publicUrl, canSeeEmail(call) || u.id === call.caller.userId) };
};

/** Profile fields a caller may set, mapped to columns (the rest land in profile_extra). */
const COLUMNS: Record<string, string> = {
  real_name: 'real_name',
  display_name: 'display_name',
  title: 'title',
  phone: 'phone',
  status_text: 'status_text',
  status_emoji: 'status_emoji',
  status_expiration: 'status_expiration',
  email: 'email',
};

const profileSet: Handler = async (call) => {
  const target = str(call.params.user) ?? call.caller.userId;
  if (target !== call.caller.userId && !call.caller.isAdmin) fail('cannot_update_admin_user');
  const u = await requireUser(call.ctx.db, target);
  let patch: Record<string, unknown> = {};
  const parsed = jsonField(call.params.profile);
  if (!parsed.ok || (parsed.value !== undefined && (typeof parsed.value !== 'object' || Array.isArray(parsed.value)))) fail('invalid_profile');
  if (parsed.value) patch = { ...(parsed.value as Record<string, unknown>) };
  const name = str(call.params.name);
  if (name) patch[name] = call.params.value ?? '';
  if (!Object.keys(patch).length) fail('invalid_profile');
  if ('first_name' in patch || 'last_name' in patch) {
    const [first = '', ...rest] = u.real_name.split(' ');
    patch.real_name = `${str(patch.first_name) ?? first} ${str(patch.last_name) ?? rest.join(' ')}`.trim();
  }
  if (typeof patch.status_text === 'string' && patch.status_text.length > 100) fail('too_long');
  const next: UserRow = { ...u, profile_extra: { ...u.profile_extra } };
  for (const [k, v] of Object.entries(patch)) {
    const col = COLUMNS[k];
    if (col) (next as unknown as Record<string, unknown>)[col] = k === 'status_expiration' ? Number(v) || 0 : String(v ?? '');
    else if (k !== 'first_name' && k !== 'last_name') next.profile_extra[k] = v;
  }
  await call.ctx.db.q`update users set real_name = ${next.real_name}, display_name = ${next.display_name}, title = ${next.title},
      phone = ${next.phone}, status_text = ${next.status_text}, status_emoji = ${next.status_emoji},
      status_expiration = ${Number(next.status_expiration)}, email = ${next.email},
      profile_extra = ${JSON.stringify(next.profile_extra)}::text::jsonb, updated = ${nowSeconds()}
    where id = ${u.id}`;
  const fresh = (await getUser(call.ctx.db, u.id)) as UserRow;
  return { username: fresh.name, profile: renderProfile(fresh, call.ctx.env.publicUrl, true) };
};

export const usersMethods: Record<string, Handler> = {
  'users.conversations': usersConversations,
  'users.deletePhoto': deletePhoto,
  'users.discoverableContacts.lookup': discoverableLookup,
  'users.getPresence': getPresence,
  'users.identity': identity,
  'users.info': info,
  'users.list': list,
  'users.lookupByEmail': lookupByEmail,
  'users.profile.get': profileGet,
  'users.profile.set': profileSet,
  'users.setPhoto': setPhoto,
  'users.setPresence': setPresence,
};
