import { int, str } from '../../../_kit/http.ts';
import { fail } from '../errors.ts';
import { emitEvent } from '../events.ts';
import { encodeCursor, nowSeconds } from '../ids.ts';
import { renderMessage, renderMessages } from '../render.ts';
import { getMessage, getUser, visibleConversation } from '../store.ts';
import type { Call, ConversationRow, Handler, MessageRow } from '../types.ts';
import { cursorValue, metaCursor, pageLimit, requireTs, MAX_PAGE } from './common.ts';
import { intInRange } from '../../../_kit/input.ts';

/** reactions.* and pins.*: both hang off a message named by channel + timestamp. */

async function target(call: Call, needMember: boolean, code = 'message_not_found'): Promise<{ conv: ConversationRow; row: MessageRow }> {
  const rawTs = call.params.timestamp ?? call.params.ts;
  // reactions.*: neither channel nor timestamp is Slack's no_item_specified; a malformed one bad_timestamp.
  if (code === 'bad_timestamp' && (call.params.channel === undefined || call.params.channel === '') && (rawTs === undefined || rawTs === '')) fail('no_item_specified');
  const { conv, member } = await visibleConversation(call.ctx.db, call.caller, call.params.channel);
  if (needMember && !member && call.caller.kind === 'bot') fail('not_in_channel');
  if (code === 'bad_timestamp' && (rawTs === undefined || rawTs === '')) fail('no_item_specified');
  const ts = requireTs(rawTs, code);
  const row = await getMessage(call.ctx.db, conv.id, ts);
  if (!row) fail('message_not_found');
  return { conv, row };
}

function emojiName(v: unknown): string {
  const name = str(v)?.trim().replace(/^:|:$/g, '');
  // Emoji names: lowercase letters, digits, _ + - ' (custom emoji at most 100 characters), with an optional skin tone.
  if (!name || name.length > 120 || !/^[a-z0-9_+'\-]{1,100}(::skin-tone-[2-6])?$/.test(name)) fail('invalid_name');
  return name;
}

function item(conv: ConversationRow, row: MessageRow): Record<string, unknown> {
  return { type: 'message', channel: conv.id, ts: row.ts };
}

/**
 * Slack's two documented reaction limits: too_many_emoji when the message already carries
 * MAX_DISTINCT_EMOJI different emoji and this one is new, too_many_reactions when the person
 * has made MAX_REACTIONS_PER_PERSON reactions on it already.
 */
export const MAX_DISTINCT_EMOJI = 50;
export const MAX_REACTIONS_PER_PERSON = 23;

const add: Handler = async (call) => {
  const { conv, row } = await target(call, true, 'bad_timestamp');
  if (conv.is_archived) fail('is_archived');
  const name = emojiName(call.params.name);
  const [counts] = await call.ctx.db.q<{ distinct_names: string; mine: string; has_name: boolean }>`select count(distinct name) as distinct_names,
      count(*) filter (where user_id = ${call.caller.userId}) as mine, bool_or(name = ${name}) as has_name
    from reactions where conversation_id = ${conv.id} and message_ts = ${row.ts}`;
  const already = await call.ctx.db.q`select 1 from reactions where conversation_id = ${conv.id} and message_ts = ${row.ts} and name = ${name} and user_id = ${call.caller.userId}`;
  if (already.length) fail('already_reacted');
  if (!counts?.has_name && Number(counts?.distinct_names ?? 0) >= MAX_DISTINCT_EMOJI) fail('too_many_emoji');
  if (Number(counts?.mine ?? 0) >= MAX_REACTIONS_PER_PERSON) fail('too_many_reactions');
  const ins = await call.ctx.db.q`insert into reactions (conversation_id, message_ts, name, user_id) values (${conv.id}, ${row.ts}, ${name}, ${call.caller.userId})
    on conflict do nothing returning name`;
  if (!ins.length) fail('already_reacted');
  emitEvent(call.ctx, { type: 'reaction_added', user: call.caller.userId, reaction: name, item_user: row.user_id, item: item(conv, row) }, conv.id);
  return {};
};

const remove: Handler = async (call) => {
  const { conv, row } = await target(call, true, 'bad_timestamp');
  const name = emojiName(call.params.name);
  const del = await call.ctx.db.q`delete from reactions where conversation_id = ${conv.id} and message_ts = ${row.ts} and name = ${name} and user_id = ${call.caller.userId} returning name`;
  if (!del.length) fail('no_reaction');
  emitEvent(call.ctx, { type: 'reaction_removed', user: call.caller.userId, reaction: name, item_user: row.user_id, item: item(conv, row) }, conv.id);
  return {};
};

const get: Handler = async (call) => {
  const { conv, row } = await target(call, true, 'bad_timestamp');
  const message = await renderMessage(call.ctx, row, call.ctx.env.publicUrl);
  return { type: 'message', channel: conv.id, message };
};

const list: Handler = async (call) => {
  const user = str(call.params.user) ?? call.caller.userId;
  if (!(await getUser(call.ctx.db, user))) fail('user_not_found');
  // Slack pages reactions.list both ways: cursor/limit and the older count/page.
  const usePages = call.params.page !== undefined || call.params.count !== undefined;
  const limit = usePages ? Math.min(Math.max(int(call.params.count, 100), 1), 1000) : pageLimit(call.params.limit, 100, 1000);
  // Bounded: a huge page is an empty page, never an OFFSET Postgres cannot hold.
  const page = intInRange(call.params.page, 1, 1, MAX_PAGE);
  const afterSeq = usePages ? null : cursorValue(call.params.cursor, 'seq');
  const rows = await call.ctx.db.q<{ conversation_id: string; message_ts: string; seq: string }>`
    select conversation_id, message_ts, max(seq) as seq from reactions where user_id = ${user}
    group by conversation_id, message_ts having (${afterSeq}::bigint is null or max(seq) <= ${afterSeq}::bigint)
    order by max(seq) desc limit ${limit + 1} offset ${usePages ? (page - 1) * limit : 0}`;
  const slice = rows.slice(0, limit);
  const messages: MessageRow[] = [];
  for (const r of slice) {
    const m = await getMessage(call.ctx.db, r.conversation_id, r.message_ts);
    if (m) messages.push(m);
  }
  const rendered = await renderMessages(call.ctx, messages, { publicUrl: call.ctx.env.publicUrl });
  const items = rendered.map((message, i) => ({ type: 'message', channel: (messages[i] as MessageRow).conversation_id, message }));
  const out: Record<string, unknown> = { items };
  if (usePages) {
    const total = Number((await call.ctx.db.q<{ n: string }>`select count(distinct (conversation_id, message_ts)) as n from reactions where user_id = ${user}`)[0]?.n ?? 0);
    out.paging = { count: limit, total, page, pages: Math.max(1, Math.ceil(total / limit)) };
  } else {
    Object.assign(out, metaCursor(rows.length > limit ? encodeCursor('seq', String((rows[limit] as { seq: string }).seq)) : null));
  }
  return out;
};

const pinAdd: Handler = async (call) => {
  const { conv, row } = await target(call, true);
  if (conv.is_archived) fail('is_archived');
  const ins = await call.ctx.db.q`insert into pins (conversation_id, message_ts, pinned_by, created) values (${conv.id}, ${row.ts}, ${call.caller.userId}, ${nowSeconds()})
    on conflict do nothing returning message_ts`;
  if (!ins.length) fail('already_pinned');
  emitEvent(call.ctx, { type: 'pin_added', user: call.caller.userId, channel_id: conv.id, item: { type: 'message', channel: conv.id, created: nowSeconds(), created_by: call.caller.userId, message: await renderMessage(call.ctx, row, call.ctx.env.publicUrl) } }, conv.id);
  return {};
};

const pinRemove: Handler = async (call) => {
  const { conv, row } = await target(call, true);
  const del = await call.ctx.db.q`delete from pins where conversation_id = ${conv.id} and message_ts = ${row.ts} returning message_ts`;
  if (!del.length) fail('no_pin');
  emitEvent(call.ctx, { type: 'pin_removed', user: call.caller.userId, channel_id: conv.id, item: { type: 'message', channel: conv.id }, has_pins: false }, conv.id);
  return {};
};

const pinList: Handler = async (call) => {
  const { conv, member } = await visibleConversation(call.ctx.db, call.caller, call.params.channel);
  if (!member && call.caller.kind === 'bot') fail('not_in_channel');
  const pins = await call.ctx.db.q<{ message_ts: string; pinned_by: string; created: string }>`select * from pins where conversation_id = ${conv.id} order by created desc, message_ts desc`;
  const rows: MessageRow[] = [];
  for (const p of pins) {
    const m = await getMessage(call.ctx.db, conv.id, p.message_ts);
    if (m) rows.push(m);
  }
  const rendered = await renderMessages(call.ctx, rows, { publicUrl: call.ctx.env.publicUrl });
  return {
    items: rendered.map((message, i) => ({ type: 'message', created: Number(pins[i]?.created), created_by: pins[i]?.pinned_by, channel: conv.id, message })),
  };
};

export const reactionsPinsMethods: Record<string, Handler> = {
  'reactions.add': add,
  'reactions.remove': remove,
  'reactions.get': get,
  'reactions.list': list,
  'pins.add': pinAdd,
  'pins.remove': pinRemove,
  'pins.list': pinList,
};


