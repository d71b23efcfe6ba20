import { bool, jsonField, str } from '../../../_kit/http.ts';
import { fail } from '../errors.ts';
import { emitEvent } from '../events.ts';
import { encodeCursor, normTs, nowSeconds, slackId, tsFromMicros } from '../ids.ts';
import { renderMessage } from '../render.ts';
import { schedulerOf } from '../scheduler.ts';
import { defaultApp, getMessage, insertMessage, isMember, jsonb, visibleConversation } from '../store.ts';
import type { Call, ConversationRow, Handler, MessageRow } from '../types.ts';
import { assertCanPost, channelType, cursorValue, metaCursor, pageLimit, parseContent, requireTs, resolveTarget } from './common.ts';

/** chat.*: posting, editing, deleting, ephemeral, scheduled and streamed messages. */

function author(call: Call): { userId: string; botId: string | null; appId: string | null } {
  return { userId: call.caller.userId, botId: call.caller.kind === 'bot' ? call.caller.botId : null, appId: call.caller.kind === 'bot' ? call.caller.appId : null };
}

export function messageEvent(m: Record<string, unknown>, conv: ConversationRow): Record<string, unknown> {
  const ev: Record<string, unknown> = { ...m, channel: conv.id, channel_type: channelType(conv) };
  delete ev.reactions;
  delete ev.pinned_to;
  return ev;
}

/** Emits message (and app_mention when the bot is mentioned) for a newly posted row. */
export async function announceMessage(call: Pick<Call, 'ctx'>, row: MessageRow, conv: ConversationRow, fresh = false): Promise<Record<string, unknown>> {
  const rendered = await renderMessage(call.ctx, row, call.ctx.env.publicUrl, fresh);
  emitEvent(call.ctx, messageEvent(rendered, conv), conv.id);
  const app = await defaultApp(call.ctx);
  if (app && row.text.includes(`<@${app.bot_user_id}>`) && row.user_id !== app.bot_user_id) {
    emitEvent(call.ctx, { type: 'app_mention', user: row.user_id, text: row.text, ts: row.ts, channel: conv.id, team: row.team_id, ...(row.thread_ts ? { thread_ts: row.thread_ts } : {}) }, conv.id);
  }
  return rendered;
}

/** A reply's thread_ts points at the root even if the caller named a reply. */
export async function threadRoot(call: Call, conv: ConversationRow, raw: unknown): Promise<string | null> {
  if (raw === undefined || raw === null || raw === '') return null;
  const ts = normTs(raw);
  if (!ts) fail('invalid_thread_ts');
  const parent = await getMessage(call.ctx.db, conv.id, ts);
  if (!parent) fail('thread_not_found');
  const root = parent.thread_ts ?? parent.ts;
  if (root === parent.ts && !parent.thread_ts) {
    await call.ctx.db.q`update messages set thread_ts = ts where conversation_id = ${conv.id} and ts = ${root} and thread_ts is null`;
  }
  return root;
}

function icons(call: Call): unknown {
  const emoji = str(call.params.icon_emoji);
  const url = str(call.params.icon_url);
  if (emoji) return { emoji };
  if (url) return { image_64: url };
  return null;
}

const postMessage: Handler = async (call) => {
  const { conv, member } = await resolveTarget(call, call.params.channel);
  assertCanPost(call, conv, member);
  const content = parseContent(call, true);
  const threadTs = await threadRoot(call, conv, call.params.thread_ts);
  const row = await insertMessage(call.ctx.db, {
    conversationId: conv.id,
    teamId: call.caller.teamId,
    ...author(call),
    text: content.text,
    blocks: content.blocks,
    attachments: content.attachments,
    metadata: content.metadata,
    username: call.caller.kind === 'bot' ? (str(call.params.username) ?? null) : null,
    icons: call.caller.kind === 'bot' ? icons(call) : null,
    threadTs,
    replyBroadcast: Boolean(threadTs) && bool(call.params.reply_broadcast),
    clientMsgId: str(call.params.client_msg_id) ?? null,
  });
  // Inserted a moment ago: no reactions, replies or pins to look up.
  const message = await announceMessage(call, row, conv, true);
  return { channel: conv.id, ts: row.ts, message };
};

async function ownMessage(call: Call, code: string): Promise<{ conv: ConversationRow; row: MessageRow }> {
  const { conv } = await visibleConversation(call.ctx.db, call.caller, call.params.channel);
  const ts = requireTs(call.params.ts);
  const row = await getMessage(call.ctx.db, conv.id, ts);
  if (!row || row.subtype === 'tombstone') fail('message_not_found');
  const mine = row.user_id === call.caller.userId;
  // Workspace admins may delete (not edit) anyone's message with a user token, as in Slack.
  const adminDelete = code === 'cant_delete_message' && call.caller.kind === 'user' && call.caller.isAdmin;
  if (!mine && !adminDelete) fail(code);
  return { conv, row };
}

/** Message subtypes a person can edit; system messages (joins, topic changes, ...) are not editable. */
const EDITABLE_SUBTYPES = new Set([null, 'me_message', 'thread_broadcast', 'bot_message', 'file_share']);

const update: Handler = async (call) => {
  const { conv, row } = await ownMessage(call, 'cant_update_message');
  if (!EDITABLE_SUBTYPES.has(row.subtype)) fail('cant_update_message');
  if (conv.is_archived) fail('is_archived');
  const hasAny = ['text', 'blocks', 'attachments'].some((k) => call.params[k] !== undefined);
  if (!hasAny) fail('no_text');
  const content = parseContent(call, false);
  const before = await renderMessage(call.ctx, row, call.ctx.env.publicUrl);
  const editTs = tsFromMicros(BigInt(call.ctx.now().getTime()) * 1000n);
  const rows = await call.ctx.db.q<MessageRow>`update messages set
      text = ${call.params.text !== undefined ? content.text : row.text},
      blocks = ${jsonb(call.params.blocks !== undefined ? content.blocks : row.blocks)}::text::jsonb,
      attachments = ${jsonb(call.params.attachments !== undefined ? content.attachments : row.attachments)}::text::jsonb,
      metadata = ${jsonb(call.params.metadata !== undefined ? content.metadata : row.metadata)}::text::jsonb,
      edited_user = ${call.caller.userId}, edited_ts = ${editTs}
    where conversation_id = ${conv.id} and ts = ${row.ts} returning *`;
  const message = await renderMessage(call.ctx, rows[0] as MessageRow, call.ctx.env.publicUrl);
  emitEvent(call.ctx, { type: 'message', subtype: 'message_changed', hidden: true, channel: conv.id, channel_type: channelType(conv), ts: editTs, message, previous_message: before }, conv.id);
  // Slack's chat.update answer carries the message without its ts (it is top-level).
  const { ts: _ts, ...bare } = message;
  return { channel: conv.id, ts: row.ts, text: message.text, message: bare };
};

const del: Handler = async (call) => {
  const { conv, row } = await ownMessage(call, 'cant_delete_message');
  const before = await renderMessage(call.ctx, row, call.ctx.env.publicUrl);
  const db = call.ctx.db;
  const replies = await db.q`select 1 from messages where conversation_id = ${conv.id} and thread_ts = ${row.ts} and ts <> thread_ts limit 1`;
  if (row.thread_ts === row.ts && replies.length) {
    // A thread root with replies stays as a tombstone so the thread still hangs together.
    await db.q`update messages set subtype = 'tombstone', text = 'This message was deleted.', user_id = 'USLACKBOT', bot_id = null,
      app_id = null, blocks = null, attachments = null where conversation_id = ${conv.id} and ts = ${row.ts}`;
  } else {
    await db.q`delete from messages where conversation_id = ${conv.id} and ts = ${row.ts}`;
  }
  emitEvent(call.ctx, { type: 'message', subtype: 'message_deleted', hidden: true, channel: conv.id, channel_type: channelType(conv), ts: tsFromMicros(BigInt(call.ctx.now().getTime()) * 1000n), deleted_ts: row.ts, previous_message: before }, conv.id);
  return { channel: conv.id, ts: row.ts };
};

const postEphemeral: Handler = async (call) => {
  const { conv, member } = await resolveTarget(call, call.params.channel);
  assertCanPost(call, conv, member);
  const user = str(call.params.user);
  if (!user) fail('user_not_found');
  const exists = await call.ctx.db.q`select 1 from users where id = ${user}`;
  if (!exists.length) fail('user_not_found');
  if (!(await isMember(call.ctx.db, conv.id, user))) fail('user_not_in_channel');
  parseContent(call, true);
  // Ephemeral messages are never stored: Slack shows them once to one user.
  return { message_ts: tsFromMicros(BigInt(call.ctx.now().getTime()) * 1000n) };
};

const meMessage: Handler = async (call) => {
  const { conv, member } = await resolveTarget(call, call.params.channel);
  assertCanPost(call, conv, member);
  const content = parseContent(call, true);
  const row = await insertMessage(call.ctx.db, { conversationId: conv.id, teamId: call.caller.teamId, ...author(call), subtype: 'me_message', text: content.text });
  await announceMessage(call, row, conv);
  return { channel: conv.id, ts: row.ts };
};

const getPermalink: Handler = async (call) => {
  const { conv } = await visibleConversation(call.ctx.db, call.caller, call.params.channel);
  const ts = requireTs(call.params.message_ts);
  const row = await getMessage(call.ctx.db, conv.id, ts);
  if (!row) fail('message_not_found');
  let permalink = `${call.ctx.env.publicUrl}/archives/${conv.id}/p${row.ts.replace('.', '')}`;
  if (row.thread_ts && row.thread_ts !== row.ts) permalink += `?thread_ts=${row.thread_ts}&cid=${conv.id}`;
  return { channel: conv.id, permalink };
};

const MAX_SCHEDULE_SECONDS = 120 * 24 * 3600;

const scheduleMessage: Handler = async (call) => {
  const { conv, member } = await resolveTarget(call, call.params.channel);
  assertCanPost(call, conv, member);
  const postAt = Number(call.params.post_at);
  if (!Number.isFinite(postAt)) fail('invalid_time');
  const now = nowSeconds();
  if (postAt <= now) fail('time_in_past');
  if (postAt > now + MAX_SCHEDULE_SECONDS) fail('time_too_far');
  const content = parseContent(call, true);
  const threadTs = await threadRoot(call, conv, call.params.thread_ts);
  const id = slackId('Q');
  const a = author(call);
  await call.ctx.db.q`insert into scheduled_messages (id, conversation_id, team_id, user_id, bot_id, app_id, post_at, text, blocks, attachments, thread_ts, reply_broadcast, created)
    values (${id}, ${conv.id}, ${call.caller.teamId}, ${a.userId}, ${a.botId}, ${a.appId}, ${Math.trunc(postAt)}, ${content.text},
      ${jsonb(content.blocks)}::text::jsonb, ${jsonb(content.attachments)}::text::jsonb, ${threadTs}, ${bool(call.params.reply_broadcast)}, ${now})`;
  schedulerOf(call.ctx.db)?.scheduled(Math.trunc(postAt));
  const message: Record<string, unknown> = { type: 'delayed_message', text: content.text, user: a.userId, team: call.caller.teamId };
  if (a.botId) Object.assign(message, { bot_id: a.botId, app_id: a.appId });
  if (content.blocks) message.blocks = content.blocks;
  if (content.attachments) message.attachments = content.attachments;
  return { channel: conv.id, scheduled_message_id: id, post_at: Math.trunc(postAt), message };
};

const deleteScheduledMessage: Handler = async (call) => {
  const { conv } = await visibleConversation(call.ctx.db, call.caller, call.params.channel);
  const id = str(call.params.scheduled_message_id);
  if (!id) fail('invalid_scheduled_message_id');
  const rows = await call.ctx.db.q`delete from scheduled_messages where id = ${id} and conversation_id = ${conv.id} and user_id = ${call.caller.userId} returning id`;
  if (!rows.length) fail('invalid_scheduled_message_id');
  // The timer stays set: firing for a deleted message is one empty flush, then it re-arms.
  return {};
};

const scheduledMessagesList: Handler = async (call) => {
  const limit = pageLimit(call.params.limit, 100, 1000);
  const after = cursorValue(call.params.cursor, 'scheduled');
  const channel = str(call.params.channel) ?? null;
  const latest = call.params.latest !== undefined ? Number(call.params.latest) : null;
  const oldest = call.params.oldest !== undefined ? Number(call.params.oldest) : null;
  const rows = await call.ctx.db.q<{ id: string; conversation_id: string; post_at: string; created: string; text: string }>`
    select id, conversation_id, post_at, created, text from scheduled_messages
    where user_id = ${call.caller.userId} and (${channel}::text is null or conversation_id = ${channel})
      and (${latest}::bigint is null or post_at <= ${latest}) and (${oldest}::bigint is null or post_at >= ${oldest})
      and (${after}::text is null or id >= ${after})
    order by id limit ${limit + 1}`;
  const page = rows.slice(0, limit);
  const next = rows.length > limit ? encodeCursor('scheduled', (rows[limit] as { id: string }).id) : null;
  return {
    scheduled_messages: page.map((r) => ({ id: r.id, channel_id: r.conversation_id, post_at: Number(r.post_at), date_created: Number(r.created), text: r.text })),
    ...metaCursor(next),
  };
};

const unfurl: Handler = async (call) => {
  const { conv } = await visibleConversation(call.ctx.db, call.caller, call.params.channel);
  const parsed = jsonField(call.params.unfurls);
  if (!parsed.ok || (parsed.value !== undefined && (typeof parsed.value !== 'object' || Array.isArray(parsed.value)))) fail('invalid_unfurls_format');
  const unfurls = (parsed.value ?? {}) as Record<string, Record<string, unknown>>;
  const ts = normTs(call.params.ts);
  if (ts) {
    const row = await getMessage(call.ctx.db, conv.id, ts);
    if (!row) fail('cannot_find_message');
    // Slack renders unfurls as app attachments on the message; so does the clone.
    const extra = Object.entries(unfurls).map(([url, u], i) => ({ ...u, id: i + 1, app_unfurl_url: url, is_app_unfurl: true, app_id: call.caller.appId }));
    const attachments = [...((row.attachments as unknown[] | null) ?? []), ...extra];
    await call.ctx.db.q`update messages set attachments = ${jsonb(attachments)}::text::jsonb where conversation_id = ${conv.id} and ts = ${ts}`;
  }
  return {};
};

const startStream: Handler = async (call) => {
  const { conv, member } = await resolveTarget(call, call.params.channel);
  assertCanPost(call, conv, member);
  const content = parseContent(call, false);
  const threadTs = await threadRoot(call, conv, call.params.thread_ts);
  const row = await insertMessage(call.ctx.db, { conversationId: conv.id, teamId: call.caller.teamId, ...author(call), text: content.text, threadTs, streaming: true });
  return { channel: conv.id, ts: row.ts };
};

async function streamingMessage(call: Call): Promise<{ conv: ConversationRow; row: MessageRow }> {
  const { conv, row } = await ownMessage(call, 'cant_update_message');
  if (!row.streaming) fail('message_not_in_streaming_state');
  return { conv, row };
}

const appendStream: Handler = async (call) => {
  const { conv, row } = await streamingMessage(call);
  const add = str(call.params.markdown_text) ?? '';
  if (!add) fail('invalid_arguments', { response_metadata: { messages: ['[ERROR] missing required field: markdown_text'] } });
  if (row.text.length + add.length > 12_000 * 4) fail('msg_too_long');
  await call.ctx.db.q`update messages set text = text || ${add} where conversation_id = ${conv.id} and ts = ${row.ts}`;
  return { channel: conv.id, ts: row.ts };
};

const stopStream: Handler = async (call) => {
  const { conv, row } = await streamingMessage(call);
  const add = str(call.params.markdown_text) ?? '';
  const content = parseContent(call, false);
  const rows = await call.ctx.db.q<MessageRow>`update messages set text = text || ${add}, streaming = false,
      blocks = coalesce(${jsonb(content.blocks)}::text::jsonb, blocks), metadata = coalesce(${jsonb(content.metadata)}::text::jsonb, metadata)
    where conversation_id = ${conv.id} and ts = ${row.ts} returning *`;
  // The finished message is what subscribers see, once, like any other post.
  const message = await announceMessage(call, rows[0] as MessageRow, conv);
  return { channel: conv.id, ts: row.ts, message };
};

export const chatMethods: Record<string, Handler> = {
  'chat.postMessage': postMessage,
  'chat.update': update,
  'chat.delete': del,
  'chat.postEphemeral': postEphemeral,
  'chat.meMessage': meMessage,
  'chat.getPermalink': getPermalink,
  'chat.scheduleMessage': scheduleMessage,
  'chat.deleteScheduledMessage': deleteScheduledMessage,
  'chat.scheduledMessages.list': scheduledMessagesList,
  'chat.unfurl': unfurl,
  'chat.startStream': startStream,
  'chat.appendStream': appendStream,
  'chat.stopStream': stopStream,
};

/**
 * Posts every scheduled message that is due (optionally for one conversation). Called by
 * the scheduler's timer and before each history read, so a due message is never missing
 * from a read; a read skips the DELETE when the scheduler knows nothing can be due.
 */
export async function flushDue(ctx: Call['ctx'], conversationId?: string): Promise<number> {
  const now = nowSeconds();
  if (conversationId !== undefined && schedulerOf(ctx.db)?.mayBeDue(now) === false) return 0;
  const due = await ctx.db.q<{ id: string; conversation_id: string; team_id: string; user_id: string; bot_id: string | null; app_id: string | null; post_at: string; text: string; blocks: unknown; attachments: unknown; thread_ts: string | null; reply_broadcast: boolean }>`
    delete from scheduled_messages where post_at <= ${now} and (${conversationId ?? null}::text is null or conversation_id = ${conversationId ?? null})
    returning *`;
  for (const d of due.sort((a, b) => Number(a.post_at) - Number(b.post_at) || a.id.localeCompare(b.id))) {
    const row = await insertMessage(ctx.db, {
      conversationId: d.conversation_id,
      teamId: d.team_id,
      userId: d.user_id,
      botId: d.bot_id,
      appId: d.app_id,
      text: d.text,
      blocks: d.blocks,
      attachments: d.attachments,
      threadTs: d.thread_ts,
      replyBroadcast: d.reply_broadcast,
      atMicros: BigInt(d.post_at) * 1_000_000n,
    });
    const conv = (await ctx.db.q<ConversationRow>`select * from conversations where id = ${d.conversation_id}`)[0];
    if (conv) await announceMessage({ ctx }, row, conv);
  }
  return due.length;
}

