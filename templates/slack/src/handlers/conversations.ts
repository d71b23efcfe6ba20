import { bool, str } from '../../../_kit/http.ts';
import { fail } from '../errors.ts';
import { emitEvent } from '../events.ts';
import { encodeCursor, normTs, nowSeconds, slackId } from '../ids.ts';
import { renderConversation, renderMessages, type Decorations } from '../render.ts';
import { addMember, getUser, insertMessage, removeMember, visibleConversation } from '../store.ts';
import type { Call, ConversationRow, Handler, MessageRow } from '../types.ts';
import { announceMessage, flushDue } from './chat.ts';
import { cursorValue, metaCursor, openIm, pageLimit, requireTs } from './common.ts';

/** conversations.*: channels, private channels, DMs and group DMs, membership, reading. */

const TYPES = ['public_channel', 'private_channel', 'mpim', 'im'] as const;

function parseTypes(v: unknown): string[] {
  const raw = str(v);
  if (!raw) return ['public_channel'];
  const list = raw.split(',').map((t) => t.trim()).filter(Boolean);
  for (const t of list) if (!(TYPES as readonly string[]).includes(t)) fail('invalid_types');
  return list;
}

async function view(call: Call, c: ConversationRow, opts: { numMembers?: boolean; lastRead?: boolean } = {}): Promise<Record<string, unknown>> {
  const db = call.ctx.db;
  const m = await db.q<{ last_read: string }>`select last_read from members where conversation_id = ${c.id} and user_id = ${call.caller.userId}`;
  let numMembers: number | undefined;
  if (opts.numMembers && c.kind !== 'im') {
    const n = await db.q<{ n: string }>`select count(*) as n from members where conversation_id = ${c.id}`;
    numMembers = Number(n[0]?.n ?? 0);
  }
  let imUserDeleted: boolean | undefined;
  if (c.kind === 'im' && c.im_user) imUserDeleted = (await getUser(db, c.im_user))?.deleted ?? false;
  return renderConversation(c, { isMember: m.length > 0, lastRead: opts.lastRead && m[0] ? m[0].last_read : undefined, numMembers, imUserDeleted });
}

/** For an im the "other" user depends on who asks; store keeps the creator's view. */
function imFor(call: Call, c: ConversationRow): ConversationRow {
  if (c.kind !== 'im' || !c.member_key) return c;
  const [a, b] = c.member_key.split(',');
  const other = a === call.caller.userId ? b : a;
  return { ...c, im_user: other ?? c.im_user };
}

export function validateName(raw: unknown): string {
  const name = str(raw)?.trim() ?? '';
  if (!name) fail('invalid_name_required');
  if (name.length > 80) fail('invalid_name_maxlength');
  if (!/^[a-z0-9_\-\u00C0-\uFFFF]+$/.test(name)) fail('invalid_name_specials');
  if (/^[-_]+$/.test(name)) fail('invalid_name_punctuation');
  return name;
}

async function nameTaken(call: Call, name: string, exceptId?: string): Promise<boolean> {
  const rows = await call.ctx.db.q`select 1 from conversations where team_id = ${call.caller.teamId} and name = ${name} and kind in ('channel', 'group') and id <> ${exceptId ?? ''}`;
  return rows.length > 0;
}

async function systemMessage(call: Call, conv: ConversationRow, subtype: string, text: string, extra: Record<string, unknown> = {}): Promise<void> {
  const row = await insertMessage(call.ctx.db, { conversationId: conv.id, teamId: conv.team_id, userId: call.caller.userId, botId: null, appId: null, subtype, text, metadata: null, ...extra });
  await announceMessage(call, row, conv);
}

const create: Handler = async (call) => {
  const name = validateName(call.params.name);
  if (await nameTaken(call, name)) fail('name_taken');
  const isPrivate = bool(call.params.is_private);
  const now = nowSeconds();
  const id = slackId('C');
  const rows = await call.ctx.db.q<ConversationRow>`insert into conversations (id, team_id, name, kind, is_private, creator, created, updated)
    values (${id}, ${call.caller.teamId}, ${name}, 'channel', ${isPrivate}, ${call.caller.userId}, ${now}, ${now}) returning *`;
  const conv = rows[0] as ConversationRow;
  await addMember(call.ctx.db, conv.id, call.caller.userId, now);
  await systemMessage(call, conv, isPrivate ? 'group_join' : 'channel_join', `<@${call.caller.userId}> has joined the channel`);
  const channel = await view(call, conv, { lastRead: true });
  if (!isPrivate) emitEvent(call.ctx, { type: 'channel_created', channel: { id: conv.id, name, created: now, creator: call.caller.userId, is_channel: true, context_team_id: conv.team_id } });
  return { channel };
};

const info: Handler = async (call) => {
  const { conv } = await visibleConversation(call.ctx.db, call.caller, call.params.channel);
  return { channel: await view(call, imFor(call, conv), { numMembers: bool(call.params.include_num_members), lastRead: true }) };
};

async function listFor(call: Call, userId: string | null, method: 'list' | 'users'): Promise<Record<string, unknown>> {
  const types = parseTypes(call.params.types);
  const limit = pageLimit(call.params.limit, 100, 1000);
  const after = cursorValue(call.params.cursor, 'channel');
  const excludeArchived = bool(call.params.exclude_archived);
  const kinds = types.map((t) => (t === 'im' ? 'im' : t === 'mpim' ? 'mpim' : 'channel'));
  const wantPublic = types.includes('public_channel');
  const wantPrivate = types.includes('private_channel');
  const who = userId ?? call.caller.userId;
  // Public channels are visible to all; everything else only to its members.
  const rows = await call.ctx.db.q<ConversationRow>`select c.* from conversations c
    where c.team_id = ${call.caller.teamId} and c.kind = any(${kinds}::text[])
      and (c.kind <> 'channel' or (c.is_private and ${wantPrivate}) or (not c.is_private and ${wantPublic}))
      and (${!excludeArchived} or not c.is_archived)
      and (${after}::text is null or c.id >= ${after})
      and (
        (${method === 'list'} and c.kind = 'channel' and not c.is_private)
        or exists (select 1 from members m where m.conversation_id = c.id and m.user_id = ${who})
      )
      and (${method === 'list'} or exists (select 1 from members m where m.conversation_id = c.id and m.user_id = ${who}))
    order by c.id limit ${limit + 1}`;
  const page = rows.slice(0, limit);
  const next = rows.length > limit ? encodeCursor('channel', (rows[limit] as ConversationRow).id) : null;
  const channels = [];
  for (const c of page) {
    const out = await view(call, imFor(call, c), { numMembers: method === 'list' });
    // Slack's users.conversations: "Returned conversation objects do not include num_members or is_member".
    if (method === 'users') delete out.is_member;
    channels.push(out);
  }
  return { channels, ...metaCursor(next) };
}

const list: Handler = (call) => listFor(call, null, 'list');

export const usersConversations: Handler = async (call) => {
  const user = str(call.params.user) ?? call.caller.userId;
  if (!(await getUser(call.ctx.db, user))) fail('user_not_found');
  return listFor(call, user, 'users');
};

/** Bots must be members to read anything; people can read public channels without joining. */
async function readable(call: Call): Promise<ConversationRow> {
  const { conv, member } = await visibleConversation(call.ctx.db, call.caller, call.params.channel);
  if (!member && call.caller.kind === 'bot') fail('not_in_channel');
  await flushDue(call.ctx, conv.id);
  return conv;
}

function bounds(call: Call): { latest: string | null; oldest: string | null; inclusive: boolean } {
  const latest = call.params.latest !== undefined && call.params.latest !== '' ? normTs(call.params.latest) : null;
  const oldest = call.params.oldest !== undefined && call.params.oldest !== '' ? normTs(call.params.oldest) : null;
  if (call.params.latest && !latest) fail('invalid_ts_latest');
  if (call.params.oldest && !oldest) fail('invalid_ts_oldest');
  return { latest, oldest, inclusive: bool(call.params.inclusive) };
}

/** Cursor values carry a ts without its dot, as Slack's next_ts cursors do. */
function cursorTs(v: string): string | null {
  return /^\d{7,16}$/.test(v) ? normTs(`${v.slice(0, -6)}.${v.slice(-6)}`) : null;
}

const history: Handler = async (call) => {
  const conv = await readable(call);
  const limit = pageLimit(call.params.limit, 100, 999);
  const before = cursorValue(call.params.cursor, 'next_ts');
  const { latest, oldest, inclusive } = bounds(call);
  const beforeTs = before ? cursorTs(before) : null;
  if (before && !beforeTs) fail('invalid_cursor');
  // The page, its reactions, thread summaries and pins, and the channel's pin count in one
  // statement (one round trip after the conversation's). Each decoration is a lateral lookup
  // per page row by (conversation_id, ts), which only an index can serve, whatever the table
  // holds besides; they ride on the first row only (and on a row of nulls when the page is
  // empty, so the pin count always comes back). The rows stay rows: as JSON they cost
  // Postgres 0.3 ms more.
  // Thread replies live in conversations.replies unless they were broadcast to the channel.
  type Decorated = MessageRow & { asym_reactions: Decorations[0] | null; asym_threads: Decorations[1] | null; asym_pins: Decorations[2] | null; asym_pin_count: number };
  const found = await call.ctx.db.q<Decorated>`
    with p as (
      select * from messages
      where conversation_id = ${conv.id} and not streaming
        and (thread_ts is null or thread_ts = ts or reply_broadcast)
        and (${latest}::text is null or ts < ${latest} or (${inclusive} and ts = ${latest}))
        and (${oldest}::text is null or ts > ${oldest} or (${inclusive} and ts = ${oldest}))
        and (${beforeTs}::text is null or ts < ${beforeTs})
      order by ts desc limit ${limit + 1}
    ), d as (
      select
        (select json_agg(x order by x.k, x.o) from p cross join lateral (
          select p.conversation_id || ':' || p.ts as k, r.name, array_agg(r.user_id order by r.seq) as users, min(r.seq) as o
          from reactions r where r.conversation_id = p.conversation_id and r.message_ts = p.ts group by r.name) x) as asym_reactions,
        (select json_agg(x) from p cross join lateral (
          select p.conversation_id || ':' || p.ts as k, count(*)::int as n, max(m.ts) as latest, array_agg(coalesce(m.user_id, '') order by m.ts) as users
          from messages m where m.conversation_id = p.conversation_id and m.thread_ts = p.ts and m.ts <> p.ts having count(*) > 0) x) as asym_threads,
        (select json_agg(x) from p cross join lateral (
          select p.conversation_id || ':' || p.ts as k from pins n where n.conversation_id = p.conversation_id and n.message_ts = p.ts) x) as asym_pins,
        (select count(*)::int from pins where conversation_id = ${conv.id}) as asym_pin_count
    )
    select p.*,
      case when row_number() over (order by p.ts desc nulls last) = 1 then d.asym_reactions end as asym_reactions,
      case when row_number() over (order by p.ts desc nulls last) = 1 then d.asym_threads end as asym_threads,
      case when row_number() over (order by p.ts desc nulls last) = 1 then d.asym_pins end as asym_pins,
      d.asym_pin_count
    from d left join p on true
    order by p.ts desc nulls last`;
  const first = found[0];
  const rows: MessageRow[] = [];
  for (const { asym_reactions: _r, asym_threads: _t, asym_pins: _p, asym_pin_count: _n, ...row } of found) if (row.ts !== null) rows.push(row as MessageRow);
  const page = rows.slice(0, limit);
  const hasMore = rows.length > limit;
  const decorations: Decorations = [first?.asym_reactions ?? [], first?.asym_threads ?? [], first?.asym_pins ?? []];
  const messages = await renderMessages(call.ctx, page, { publicUrl: call.ctx.env.publicUrl, decorations });
  const out: Record<string, unknown> = {
    messages,
    has_more: hasMore,
    pin_count: first?.asym_pin_count ?? 0,
    channel_actions_ts: null,
    channel_actions_count: 0,
  };
  if (hasMore) out.response_metadata = { next_cursor: encodeCursor('next_ts', (page[page.length - 1] as MessageRow).ts.replace('.', '')) };
  return out;
};

const replies: Handler = async (call) => {
  const conv = await readable(call);
  const ts = normTs(call.params.ts);
  if (!ts) fail('thread_not_found');
  const parent = (await call.ctx.db.q<MessageRow>`select * from messages where conversation_id = ${conv.id} and ts = ${ts}`)[0];
  if (!parent) fail('thread_not_found');
  const root = parent.thread_ts ?? parent.ts;
  const limit = pageLimit(call.params.limit, 1000, 1000);
  const from = cursorValue(call.params.cursor, 'next_ts');
  const fromTs = from ? cursorTs(from) : null;
  if (from && !fromTs) fail('invalid_cursor');
  const { latest, oldest, inclusive } = bounds(call);
  const rows = await call.ctx.db.q<MessageRow>`select * from messages
    where conversation_id = ${conv.id} and (ts = ${root} or thread_ts = ${root}) and not streaming
      and (${latest}::text is null or ts < ${latest} or (${inclusive} and ts = ${latest}))
      and (${oldest}::text is null or ts > ${oldest} or (${inclusive} and ts = ${oldest}) or ts = ${root})
      and (${fromTs}::text is null or ts >= ${fromTs})
    order by ts asc limit ${limit + 1}`;
  const page = rows.slice(0, limit);
  const hasMore = rows.length > limit;
  const out: Record<string, unknown> = { messages: await renderMessages(call.ctx, page, { publicUrl: call.ctx.env.publicUrl }), has_more: hasMore };
  out.response_metadata = { next_cursor: hasMore ? encodeCursor('next_ts', (rows[limit] as MessageRow).ts.replace('.', '')) : '' };
  return out;
};

async function manageable(call: Call): Promise<{ conv: ConversationRow; member: boolean }> {
  const r = await visibleConversation(call.ctx.db, call.caller, call.params.channel);
  if (r.conv.kind === 'im') fail('method_not_supported_for_channel_type');
  return r;
}

const archive: Handler = async (call) => {
  const { conv } = await manageable(call);
  if (conv.is_archived) fail('already_archived');
  if (conv.is_general) fail('cant_archive_general');
  await call.ctx.db.q`update conversations set is_archived = true, updated = ${nowSeconds()} where id = ${conv.id}`;
  await systemMessage(call, conv, 'channel_archive', `<@${call.caller.userId}> archived the channel`);
  emitEvent(call.ctx, { type: 'channel_archive', channel: conv.id, user: call.caller.userId });
  return {};
};

const unarchive: Handler = async (call) => {
  const { conv } = await manageable(call);
  if (!conv.is_archived) fail('not_archived');
  await call.ctx.db.q`update conversations set is_archived = false, updated = ${nowSeconds()} where id = ${conv.id}`;
  emitEvent(call.ctx, { type: 'channel_unarchive', channel: conv.id, user: call.caller.userId });
  return {};
};

const rename: Handler = async (call) => {
  const { conv, member } = await manageable(call);
  if (conv.kind !== 'channel') fail('method_not_supported_for_channel_type');
  if (!member) fail('not_in_channel');
  if (conv.is_archived) fail('is_archived');
  const name = validateName(call.params.name);
  if (name !== conv.name && (await nameTaken(call, name, conv.id))) fail('name_taken');
  const rows = await call.ctx.db.q<ConversationRow>`update conversations set name = ${name}, updated = ${nowSeconds()},
      previous_names = case when name = ${name} then previous_names else array_prepend(name, previous_names) end
    where id = ${conv.id} returning *`;
  const next = rows[0] as ConversationRow;
  if (conv.name !== name) {
    await systemMessage(call, next, 'channel_name', `<@${call.caller.userId}> renamed the channel from "${conv.name}" to "${name}"`);
    emitEvent(call.ctx, { type: 'channel_rename', channel: { id: conv.id, name, created: Number(conv.created) } });
  }
  return { channel: await view(call, next, { lastRead: true }) };
};

function topicOrPurpose(field: 'topic' | 'purpose'): Handler {
  return async (call) => {
    const { conv, member } = await visibleConversation(call.ctx.db, call.caller, call.params.channel);
    if (!member) fail('not_in_channel');
    if (conv.is_archived) fail('is_archived');
    const value = str(call.params[field]) ?? '';
    if (value.length > 250) fail('too_long');
    const now = nowSeconds();
    const rows = field === 'topic'
      ? await call.ctx.db.q<ConversationRow>`update conversations set topic = ${value}, topic_creator = ${call.caller.userId}, topic_last_set = ${now}, updated = ${now} where id = ${conv.id} returning *`
      : await call.ctx.db.q<ConversationRow>`update conversations set purpose = ${value}, purpose_creator = ${call.caller.userId}, purpose_last_set = ${now}, updated = ${now} where id = ${conv.id} returning *`;
    const next = rows[0] as ConversationRow;
    const subtype = field === 'topic' ? 'channel_topic' : 'channel_purpose';
    await systemMessage(call, next, subtype, `set the channel ${field}: ${value}`);
    return { channel: await view(call, imFor(call, next), { lastRead: true }) };
  };
}

const invite: Handler = async (call) => {
  const { conv, member } = await manageable(call);
  if (conv.kind === 'mpim') fail('method_not_supported_for_channel_type');
  if (!member) fail('not_in_channel');
  if (conv.is_archived) fail('is_archived');
  const ids = (str(call.params.users) ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (!ids.length) fail('no_user');
  if (ids.length > 1000) fail('too_many_users');
  const errors: { user: string; ok: false; error: string }[] = [];
  const now = nowSeconds();
  let added = 0;
  for (const id of ids) {
    const u = await getUser(call.ctx.db, id);
    if (!u || u.team_id !== call.caller.teamId) errors.push({ user: id, ok: false, error: 'user_not_found' });
    else if (id === call.caller.userId) errors.push({ user: id, ok: false, error: 'cant_invite_self' });
    else if (u.deleted) errors.push({ user: id, ok: false, error: 'user_is_deleted' });
    else if (!(await addMember(call.ctx.db, conv.id, id, now))) errors.push({ user: id, ok: false, error: 'already_in_channel' });
    else {
      added++;
      await systemMessage(call, conv, conv.is_private ? 'group_join' : 'channel_join', `<@${id}> has joined the channel`, { userId: id });
      emitEvent(call.ctx, { type: 'member_joined_channel', user: id, channel: conv.id, channel_type: conv.is_private ? 'G' : 'C', team: conv.team_id, inviter: call.caller.userId }, conv.id);
    }
  }
  if (!added && errors.length) {
    // Slack answers with the first per-user error when nobody could be added.
    fail((errors[0] as { error: string }).error, { errors });
  }
  const fresh = (await call.ctx.db.q<ConversationRow>`select * from conversations where id = ${conv.id}`)[0] as ConversationRow;
  return { channel: await view(call, fresh, { lastRead: true }) };
};

const join: Handler = async (call) => {
  const { conv, member } = await visibleConversation(call.ctx.db, call.caller, call.params.channel);
  if (conv.kind !== 'channel' || conv.is_private) fail('method_not_supported_for_channel_type');
  if (conv.is_archived) fail('is_archived');
  const out: Record<string, unknown> = {};
  if (member) {
    out.warning = 'already_in_channel';
    out.response_metadata = { warnings: ['already_in_channel'] };
  } else {
    await addMember(call.ctx.db, conv.id, call.caller.userId, nowSeconds());
    await systemMessage(call, conv, 'channel_join', `<@${call.caller.userId}> has joined the channel`);
    emitEvent(call.ctx, { type: 'member_joined_channel', user: call.caller.userId, channel: conv.id, channel_type: 'C', team: conv.team_id }, conv.id);
  }
  return { channel: await view(call, conv, { lastRead: true }), ...out };
};

const kick: Handler = async (call) => {
  const { conv, member } = await manageable(call);
  if (!member) fail('not_in_channel');
  const user = str(call.params.user);
  if (!user || !(await getUser(call.ctx.db, user))) fail('user_not_found');
  if (user === call.caller.userId) fail('cant_kick_self');
  if (conv.is_general) fail('cant_kick_from_general');
  if (!(await removeMember(call.ctx.db, conv.id, user))) fail('not_in_channel');
  emitEvent(call.ctx, { type: 'member_left_channel', user, channel: conv.id, channel_type: conv.is_private ? 'G' : 'C', team: conv.team_id }, conv.id);
  return {};
};

const leave: Handler = async (call) => {
  const { conv, member } = await manageable(call);
  if (conv.is_general) fail('cant_leave_general');
  if (conv.is_archived) fail('is_archived');
  if (!member) return { not_in_channel: true };
  // Announce before leaving so a bot subscriber still sees its own departure.
  await systemMessage(call, conv, conv.is_private ? 'group_leave' : 'channel_leave', `<@${call.caller.userId}> has left the channel`);
  emitEvent(call.ctx, { type: 'member_left_channel', user: call.caller.userId, channel: conv.id, channel_type: conv.is_private ? 'G' : 'C', team: conv.team_id }, conv.id);
  await removeMember(call.ctx.db, conv.id, call.caller.userId);
  return {};
};

const members: Handler = async (call) => {
  const { conv } = await visibleConversation(call.ctx.db, call.caller, call.params.channel);
  const limit = pageLimit(call.params.limit, 100, 1000);
  const after = cursorValue(call.params.cursor, 'user');
  const rows = await call.ctx.db.q<{ user_id: string }>`select user_id from members where conversation_id = ${conv.id}
    and (${after}::text is null or user_id >= ${after}) order by user_id limit ${limit + 1}`;
  const next = rows.length > limit ? encodeCursor('user', (rows[limit] as { user_id: string }).user_id) : null;
  return { members: rows.slice(0, limit).map((r) => r.user_id), ...metaCursor(next) };
};

const mark: Handler = async (call) => {
  const { conv, member } = await visibleConversation(call.ctx.db, call.caller, call.params.channel);
  if (!member) fail('not_in_channel');
  const ts = requireTs(call.params.ts, 'invalid_timestamp');
  await call.ctx.db.q`update members set last_read = ${ts} where conversation_id = ${conv.id} and user_id = ${call.caller.userId}`;
  return {};
};

/**
 * conversations.open's return_im view: Slack's im object there has is_open and, unlike
 * conversations.list / users.conversations, no is_user_deleted.
 */
async function openedView(call: Call, c: ConversationRow): Promise<Record<string, unknown>> {
  const out = await view(call, c, { lastRead: true });
  if (c.kind !== 'im') return out;
  delete out.is_user_deleted;
  return { ...out, is_open: true };
}

const open: Handler = async (call) => {
  const channel = str(call.params.channel);
  const returnIm = bool(call.params.return_im);
  if (channel) {
    const { conv } = await visibleConversation(call.ctx.db, call.caller, channel);
    if (conv.kind !== 'im' && conv.kind !== 'mpim') fail('method_not_supported_for_channel_type');
    const wasOpen = conv.is_open;
    await call.ctx.db.q`update conversations set is_open = true where id = ${conv.id}`;
    return { channel: returnIm ? await openedView(call, imFor(call, conv)) : { id: conv.id }, ...(wasOpen ? { no_op: true, already_open: true } : {}) };
  }
  const users = [...new Set((str(call.params.users) ?? '').split(',').map((s) => s.trim()).filter(Boolean))].filter((u) => u !== call.caller.userId);
  if (!users.length) fail('users_list_not_supplied');
  if (users.length > 8) fail('too_many_users');
  for (const u of users) if (!(await getUser(call.ctx.db, u))) fail('user_not_found');
  if (users.length === 1) {
    const existing = await call.ctx.db.q`select 1 from conversations where member_key = ${[call.caller.userId, users[0]].sort().join(',')}`;
    if (!existing.length && bool(call.params.prevent_creation)) fail('channel_not_found');
    const conv = await openIm(call, users[0] as string);
    const out = { channel: returnIm ? await openedView(call, imFor(call, conv)) : { id: conv.id } };
    return existing.length ? { ...out, no_op: true, already_open: true } : out;
  }
  const all = [call.caller.userId, ...users].sort();
  const key = all.join(',');
  const db = call.ctx.db;
  const existing = (await db.q<ConversationRow>`select * from conversations where team_id = ${call.caller.teamId} and member_key = ${key} and kind = 'mpim'`)[0];
  if (existing) return { channel: returnIm ? await view(call, existing, { lastRead: true }) : { id: existing.id }, no_op: true, already_open: true };
  if (bool(call.params.prevent_creation)) fail('channel_not_found');
  const names: string[] = [];
  for (const u of all) names.push((await getUser(db, u))?.name ?? u);
  const now = nowSeconds();
  const rows = await db.q<ConversationRow>`insert into conversations (id, team_id, name, kind, is_private, creator, created, updated, member_key)
    values (${slackId('C')}, ${call.caller.teamId}, ${`mpdm-${names.join('--')}-1`}, 'mpim', true, ${call.caller.userId}, ${now}, ${now}, ${key}) returning *`;
  const conv = rows[0] as ConversationRow;
  for (const u of all) await addMember(db, conv.id, u, now);
  return { channel: returnIm ? await view(call, conv, { lastRead: true }) : { id: conv.id } };
};

const close: Handler = async (call) => {
  const { conv } = await visibleConversation(call.ctx.db, call.caller, call.params.channel);
  if (conv.kind !== 'im' && conv.kind !== 'mpim') fail('method_not_supported_for_channel_type');
  if (!conv.is_open) return { no_op: true, already_closed: true };
  await call.ctx.db.q`update conversations set is_open = false where id = ${conv.id}`;
  return {};
};

export const conversationsMethods: Record<string, Handler> = {
  'conversations.archive': archive,
  'conversations.close': close,
  'conversations.create': create,
  'conversations.history': history,
  'conversations.info': info,
  'conversations.invite': invite,
  'conversations.join': join,
  'conversations.kick': kick,
  'conversations.leave': leave,
  'conversations.list': list,
  'conversations.mark': mark,
  'conversations.members': members,
  'conversations.open': open,
  'conversations.rename': rename,
  'conversations.replies': replies,
  'conversations.setPurpose': topicOrPurpose('purpose'),
  'conversations.setTopic': topicOrPurpose('topic'),
  'conversations.unarchive': unarchive,
};

