import type { Db } from '../../_kit/db.ts';
import { clockNow } from '../../_kit/clock.ts';
import type { KitContext } from '../../_kit/types.ts';
import { fail } from './errors.ts';
import { tsFromMicros } from './ids.ts';
import type { Caller, ConversationRow, MessageRow, UserRow } from './types.ts';

/** Data access shared by the method groups. Every function takes the kit's Db. */

export const jsonb = (v: unknown): string | null => (v === undefined || v === null ? null : JSON.stringify(v));

export async function getUser(db: Db, id: string): Promise<UserRow | null> {
  const rows = await db.q<UserRow>`select * from users where id = ${id}`;
  return rows[0] ?? null;
}

export async function requireUser(db: Db, id: unknown, code = 'user_not_found'): Promise<UserRow> {
  if (typeof id !== 'string' || !id) fail(code);
  const u = await getUser(db, id);
  if (!u) fail(code);
  return u;
}

export async function getConversation(db: Db, id: string): Promise<ConversationRow | null> {
  const rows = await db.q<ConversationRow>`select * from conversations where id = ${id}`;
  return rows[0] ?? null;
}

export async function isMember(db: Db, conversationId: string, userId: string): Promise<boolean> {
  const rows = await db.q`select 1 from members where conversation_id = ${conversationId} and user_id = ${userId}`;
  return rows.length > 0;
}

/**
 * Resolves a channel param the caller may see. Private channels, DMs and group DMs are
 * invisible (channel_not_found) to non-members, as in Slack.
 */
export async function visibleConversation(db: Db, caller: Caller, id: unknown): Promise<{ conv: ConversationRow; member: boolean }> {
  if (typeof id !== 'string' || !id) fail('channel_not_found');
  // The conversation and the caller's membership in one round trip (this is on every post).
  const rows = await db.q<ConversationRow & { asym_member: boolean }>`select c.*, exists(select 1 from members m where m.conversation_id = c.id and m.user_id = ${caller.userId}) as asym_member
    from conversations c where c.id = ${id}`;
  const found = rows[0];
  if (!found || found.team_id !== caller.teamId) fail('channel_not_found');
  const { asym_member: member, ...conv } = found;
  if (!member && (conv.is_private || conv.kind !== 'channel')) fail('channel_not_found');
  return { conv, member };
}

/** Next message ts of a conversation: now, or 1 µs past the last one, whichever is later. */
export async function nextTs(db: Db, conversationId: string, atMicros?: bigint): Promise<string> {
  const now = atMicros ?? BigInt(clockNow().getTime()) * 1000n;
  const rows = await db.q<{ last_ts_us: string }>`update conversations set last_ts_us = greatest(last_ts_us + 1, ${now.toString()}::bigint)
    where id = ${conversationId} returning last_ts_us`;
  if (!rows[0]) fail('channel_not_found');
  return tsFromMicros(BigInt(rows[0].last_ts_us));
}

export interface NewMessage {
  conversationId: string;
  teamId: string;
  userId: string | null;
  botId: string | null;
  appId: string | null;
  subtype?: string | null;
  text: string;
  blocks?: unknown;
  attachments?: unknown;
  metadata?: unknown;
  username?: string | null;
  icons?: unknown;
  threadTs?: string | null;
  replyBroadcast?: boolean;
  clientMsgId?: string | null;
  streaming?: boolean;
  atMicros?: bigint;
  /** A file-share message: the shared files' ids. */
  fileIds?: string[] | null;
}

/**
 * Takes the conversation's next ts (as nextTs does) and inserts the message in one
 * statement: the ts is formatted in SQL exactly like tsFromMicros ("%010d.%06d").
 */
export async function insertMessage(db: Db, m: NewMessage): Promise<MessageRow> {
  const now = m.atMicros ?? BigInt(clockNow().getTime()) * 1000n;
  const rows = await db.q<MessageRow>`with t as (
      update conversations set last_ts_us = greatest(last_ts_us + 1, ${now.toString()}::bigint) where id = ${m.conversationId} returning last_ts_us
    )
    insert into messages (conversation_id, ts, team_id, user_id, bot_id, app_id, subtype, text, blocks,
      attachments, metadata, username, icons, thread_ts, reply_broadcast, client_msg_id, streaming, file_ids)
    select ${m.conversationId}, lpad((t.last_ts_us / 1000000)::text, 10, '0') || '.' || lpad((t.last_ts_us % 1000000)::text, 6, '0'),
      ${m.teamId}, ${m.userId}, ${m.botId}, ${m.appId}, ${m.subtype ?? null}, ${m.text},
      ${jsonb(m.blocks)}::text::jsonb, ${jsonb(m.attachments)}::text::jsonb, ${jsonb(m.metadata)}::text::jsonb, ${m.username ?? null},
      ${jsonb(m.icons)}::text::jsonb, ${m.threadTs ?? null}, ${m.replyBroadcast ?? false}, ${m.clientMsgId ?? null}, ${m.streaming ?? false}, ${m.fileIds ?? null}::text[]
    from t
    returning *`;
  if (!rows[0]) fail('channel_not_found');
  return rows[0] as MessageRow;
}

export async function getMessage(db: Db, conversationId: string, ts: string): Promise<MessageRow | null> {
  const rows = await db.q<MessageRow>`select * from messages where conversation_id = ${conversationId} and ts = ${ts}`;
  return rows[0] ?? null;
}

export async function memberIds(db: Db, conversationId: string): Promise<string[]> {
  const rows = await db.q<{ user_id: string }>`select user_id from members where conversation_id = ${conversationId} order by joined, user_id`;
  return rows.map((r) => r.user_id);
}

export async function addMember(db: Db, conversationId: string, userId: string, joined: number): Promise<boolean> {
  const rows = await db.q`insert into members (conversation_id, user_id, joined) values (${conversationId}, ${userId}, ${joined})
    on conflict do nothing returning user_id`;
  return rows.length > 0;
}

export async function removeMember(db: Db, conversationId: string, userId: string): Promise<boolean> {
  const rows = await db.q`delete from members where conversation_id = ${conversationId} and user_id = ${userId} returning user_id`;
  return rows.length > 0;
}

export interface AppRow {
  id: string;
  team_id: string;
  name: string;
  bot_id: string;
  bot_user_id: string;
  signing_secret: string;
  verification_token: string;
  created: string | number;
}

export interface TeamRow {
  id: string;
  name: string;
  domain: string;
  email_domain: string;
  created: string | number;
}

/**
 * The clone has one workspace and one default app: read once per server and kept in its
 * ctx.state, which the kit clears whenever the database is released (reset, restore).
 */
class Workspace {
  app: Promise<AppRow | null> | null = null;
  team: Promise<TeamRow | null> | null = null;
  clear(): void {
    this.app = null;
    this.team = null;
  }
}

const workspace = (ctx: KitContext) => ctx.state('slack:workspace', () => new Workspace());

export function defaultApp(ctx: KitContext): Promise<AppRow | null> {
  const w = workspace(ctx);
  return (w.app ??= ctx.db.q<AppRow>`select * from apps order by created, id limit 1`.then((rows) => rows[0] ?? null, (e) => {
    w.app = null;
    throw e;
  }));
}

export function getTeam(ctx: KitContext): Promise<TeamRow | null> {
  const w = workspace(ctx);
  return (w.team ??= ctx.db.q<TeamRow>`select * from teams order by created, id limit 1`.then((rows) => rows[0] ?? null, (e) => {
    w.team = null;
    throw e;
  }));
}
