import { jsonField, str } from '../../../_kit/http.ts';
import { fail } from '../errors.ts';
import { blockProblems } from './blocks.ts';
import { decodeCursor, normTs, nowSeconds, slackId } from '../ids.ts';
import { addMember, getConversation, visibleConversation } from '../store.ts';
import type { Call, ConversationRow } from '../types.ts';

/** Helpers shared by the method groups: content validation, channel resolution, paging. */

export const MAX_TEXT = 40_000;
/** The largest `page` of the count/page lists (reactions.list, files.list); past any real list. */
export const MAX_PAGE = 1_000_000;

export interface Content {
  text: string;
  blocks: unknown[] | null;
  attachments: unknown[] | null;
  metadata: unknown;
}

/** Slack's invalid_blocks answer: the problems in `errors` and, prefixed, in response_metadata.messages. */
function invalidBlocks(problems: string[]): never {
  fail('invalid_blocks', { errors: problems, response_metadata: { messages: problems.map((m) => `[ERROR] ${m}`) } });
}

/**
 * text/blocks/attachments as Slack validates them (blocks.ts for Block Kit); `required`
 * demands at least one. Attachments must be objects (invalid_attachments), at most 100
 * (too_many_attachments); blocks inside attachments are checked like top-level ones.
 */
export function parseContent(call: Call, required: boolean): Content {
  const text = str(call.params.text) ?? str(call.params.markdown_text) ?? '';
  const b = jsonField(call.params.blocks);
  if (!b.ok || (b.value !== undefined && !Array.isArray(b.value))) fail('invalid_blocks_format');
  const blocks = (b.value as unknown[] | undefined) ?? null;
  if (blocks) {
    const problems = blockProblems(blocks);
    if (problems.length) invalidBlocks(problems);
  }
  const a = jsonField(call.params.attachments);
  if (!a.ok || (a.value !== undefined && !Array.isArray(a.value))) fail('invalid_attachments');
  const attachments = (a.value as unknown[] | undefined) ?? null;
  if (attachments) {
    if (attachments.length > 100) fail('too_many_attachments');
    for (const [i, att] of attachments.entries()) {
      if (!att || typeof att !== 'object' || Array.isArray(att)) fail('invalid_attachments');
      const inner = (att as { blocks?: unknown }).blocks;
      if (inner === undefined) continue;
      if (!Array.isArray(inner)) fail('invalid_attachments');
      const problems = blockProblems(inner, `/attachments/${i}/blocks`);
      if (problems.length) invalidBlocks(problems);
    }
  }
  const m = jsonField(call.params.metadata);
  if (!m.ok) fail('invalid_metadata_format');
  // Message metadata is {event_type: string, event_payload: object} (docs.slack.dev/messaging/message-metadata);
  // anything else is Slack's invalid_metadata_schema.
  if (m.value !== undefined && m.value !== null) {
    const md = m.value as { event_type?: unknown; event_payload?: unknown };
    const payload = md.event_payload;
    if (typeof md !== 'object' || Array.isArray(md) || typeof md.event_type !== 'string' || !md.event_type || !payload || typeof payload !== 'object' || Array.isArray(payload)) fail('invalid_metadata_schema');
  }
  if (text.length > MAX_TEXT) fail('msg_too_long');
  if (required && !text.trim() && !blocks?.length && !attachments?.length) fail('no_text');
  return { text, blocks: blocks?.length ? blocks : null, attachments: attachments?.length ? attachments : null, metadata: m.value ?? null };
}

/**
 * Where a message goes: a conversation id, "#name"/"name", or a user id (the caller's DM
 * with that user, opened on demand) — the forms chat.postMessage accepts.
 */
export async function resolveTarget(call: Call, raw: unknown): Promise<{ conv: ConversationRow; member: boolean }> {
  const channel = str(raw)?.trim();
  if (!channel) fail('channel_not_found');
  const db = call.ctx.db;
  if (/^[UW][A-Z0-9]+$/.test(channel)) {
    const conv = await openIm(call, channel);
    return { conv, member: true };
  }
  if (/^[CGD][A-Z0-9]+$/.test(channel)) return visibleConversation(db, call.caller, channel);
  const name = channel.replace(/^#/, '');
  const rows = await db.q<{ id: string }>`select id from conversations where team_id = ${call.caller.teamId} and name = ${name} and kind = 'channel'`;
  if (!rows[0]) fail('channel_not_found');
  return visibleConversation(db, call.caller, rows[0].id);
}

/** Finds or creates the DM between the caller and `userId`. */
export async function openIm(call: Call, userId: string): Promise<ConversationRow> {
  const db = call.ctx.db;
  const users = await db.q<{ id: string; deleted: boolean }>`select id, deleted from users where id = ${userId} and team_id = ${call.caller.teamId}`;
  if (!users[0]) fail('user_not_found');
  const key = [call.caller.userId, userId].sort().join(',');
  const existing = await db.q<ConversationRow>`select * from conversations where team_id = ${call.caller.teamId} and member_key = ${key} and kind = 'im'`;
  if (existing[0]) return existing[0];
  const now = nowSeconds();
  const id = slackId('D');
  const rows = await db.q<ConversationRow>`insert into conversations (id, team_id, name, kind, is_private, creator, created, updated, im_user, member_key)
    values (${id}, ${call.caller.teamId}, null, 'im', true, ${call.caller.userId}, ${now}, ${now}, ${userId}, ${key})
    on conflict (team_id, member_key) where member_key is not null do update set is_open = true returning *`;
  const conv = rows[0] as ConversationRow;
  await addMember(db, conv.id, call.caller.userId, now);
  if (userId !== call.caller.userId) await addMember(db, conv.id, userId, now);
  return conv;
}

/** Posting rules: archived channels refuse; non-members get not_in_channel (see README). */
export function assertCanPost(call: Call, conv: ConversationRow, member: boolean): void {
  if (conv.is_archived) fail('is_archived');
  if (member) return;
  const publicWrite = call.caller.scopes.includes('chat:write.public') && conv.kind === 'channel' && !conv.is_private;
  if (!publicWrite) fail('not_in_channel');
}

export function channelType(conv: ConversationRow): string {
  if (conv.kind === 'im') return 'im';
  if (conv.kind === 'mpim') return 'mpim';
  return conv.is_private ? 'group' : 'channel';
}

export function requireTs(v: unknown, code = 'message_not_found'): string {
  const ts = normTs(v);
  if (!ts) fail(code);
  return ts;
}

/** limit within Slack's bounds; a non-numeric limit is Slack's invalid_limit. */
export function pageLimit(v: unknown, def: number, max: number): number {
  if (v === undefined || v === null || v === '') return def;
  const n = Number(v);
  if (!Number.isFinite(n)) fail('invalid_limit');
  if (n <= 0) return def;
  return Math.min(Math.trunc(n), max);
}

export function cursorValue(v: unknown, kind: string): string | null {
  const c = str(v);
  if (!c) return null;
  const value = decodeCursor(c, kind);
  if (value === null) fail('invalid_cursor');
  return value;
}

export function metaCursor(next: string | null): { response_metadata: { next_cursor: string } } {
  return { response_metadata: { next_cursor: next ?? '' } };
}

export async function mustConversation(call: Call, id: unknown): Promise<ConversationRow> {
  if (typeof id !== 'string') fail('channel_not_found');
  const c = await getConversation(call.ctx.db, id);
  if (!c) fail('channel_not_found');
  return c;
}
