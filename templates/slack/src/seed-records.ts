import type { SQL } from 'bun';
import type { KitContext, RecordsOutcome } from '../../_kit/types.ts';
import { microsFromTs, nowSeconds, slackId } from './ids.ts';
import { validateName } from './handlers/conversations.ts';
import { SlackError } from './errors.ts';
import { addMember, getTeam, insertMessage } from './store.ts';

/**
 * Records from an AI seed (or a harness): users, channels, messages, validated one by one.
 * A bad record is rejected with a reason and counted; it never fails the batch. Entities
 * are written in dependency order, and later ones may refer to earlier ones by name.
 *
 *   users:    { name, real_name?, email?, title?, tz?, is_admin? }
 *   channels: { name, is_private?, topic?, purpose?, members?: [user name|id] }
 *   messages: { channel: name|id, user: name|id, text, ts?, thread?: index of an earlier
 *               message in this list (its thread), reactions?: [{ name, users: [..] }] }
 *   file_comments: { file: id of an uploaded file, user: name|id, comment, created? }: legacy
 *               file comments (Slack retired files.comments.add), for files.comments.delete
 */

type Rec = Record<string, unknown>;
const s = (v: unknown) => (typeof v === 'string' ? v : undefined);

export async function seedSlackRecords(ctx: KitContext, records: Record<string, unknown[]>): Promise<RecordsOutcome> {
  const out: RecordsOutcome = { written: 0, rejected: 0, rejections: [], warnings: [] };
  const team = await getTeam(ctx);
  if (!team) {
    out.warnings.push('clone not provisioned');
    return out;
  }
  const reject = (entity: string, index: number, reason: string) => {
    out.rejected++;
    out.rejections.push({ entity, index, reason });
  };
  for (const entity of Object.keys(records)) {
    if (!['users', 'channels', 'messages', 'file_comments'].includes(entity)) out.warnings.push(`unknown entity ${entity}; skipped`);
  }
  const userId = async (ref: unknown): Promise<string | null> => {
    const r = s(ref)?.replace(/^@/, '');
    if (!r) return null;
    const rows = await ctx.db.q<{ id: string }>`select id from users where id = ${r} or name = ${r} limit 1`;
    return rows[0]?.id ?? null;
  };
  const now = nowSeconds();

  for (const [i, raw] of (records.users ?? []).entries()) {
    const u = (raw ?? {}) as Rec;
    const name = s(u.name)?.trim().toLowerCase();
    if (!name || !/^[a-z0-9][a-z0-9._-]{0,79}$/.test(name)) {
      reject('users', i, 'name must be lowercase letters, digits, dots, dashes or underscores');
      continue;
    }
    const email = s(u.email);
    if (email !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) {
      reject('users', i, 'email is not an email address');
      continue;
    }
    const tz = s(u.tz) ?? 'America/Los_Angeles';
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
    } catch {
      reject('users', i, `unknown time zone ${tz}`);
      continue;
    }
    const rows = await ctx.db.q`insert into users (id, team_id, name, real_name, display_name, email, title, tz, is_admin, updated)
      values (${slackId('U')}, ${team.id}, ${name}, ${s(u.real_name) ?? name}, ${s(u.display_name) ?? name}, ${email ?? null}, ${s(u.title) ?? ''},
        ${tz}, ${u.is_admin === true}, ${now}) on conflict (team_id, name) do nothing returning id`;
    if (!rows.length) reject('users', i, `name ${name} is taken`);
    else out.written++;
  }

  for (const [i, raw] of (records.channels ?? []).entries()) {
    const c = (raw ?? {}) as Rec;
    let name: string;
    try {
      name = validateName(s(c.name)?.toLowerCase());
    } catch (e) {
      reject('channels', i, e instanceof SlackError ? e.code : 'invalid name');
      continue;
    }
    const id = slackId('C');
    const creator = (await userId(c.creator)) ?? (await ctx.db.q<{ id: string }>`select id from users where is_primary_owner limit 1`)[0]?.id ?? null;
    const rows = await ctx.db.q`insert into conversations (id, team_id, name, kind, is_private, creator, created, updated, topic, topic_creator, topic_last_set, purpose, purpose_creator, purpose_last_set)
      values (${id}, ${team.id}, ${name}, 'channel', ${c.is_private === true}, ${creator}, ${now}, ${now}, ${s(c.topic) ?? ''}, ${creator ?? ''}, ${c.topic ? now : 0},
        ${s(c.purpose) ?? ''}, ${creator ?? ''}, ${c.purpose ? now : 0})
      on conflict do nothing returning id`;
    if (!rows.length) {
      reject('channels', i, `name ${name} is taken`);
      continue;
    }
    const members = Array.isArray(c.members) ? c.members : [];
    for (const m of [creator, ...members]) {
      const uid = await userId(m);
      if (uid) await addMember(ctx.db, id, uid, now);
      else if (m) out.warnings.push(`channels[${i}]: unknown member ${String(m)}`);
    }
    out.written++;
  }

  const posted: ({ conv: string; ts: string } | null)[] = [];
  for (const [i, raw] of (records.messages ?? []).entries()) {
    const m = (raw ?? {}) as Rec;
    posted.push(null);
    const text = s(m.text) ?? '';
    if (!text.trim() || text.length > 40_000) {
      reject('messages', i, text.trim() ? 'text longer than 40000 characters' : 'text is required');
      continue;
    }
    const chRef = s(m.channel)?.replace(/^#/, '');
    const conv = chRef ? (await ctx.db.q<{ id: string }>`select id from conversations where id = ${chRef} or (name = ${chRef} and kind = 'channel') limit 1`)[0] : undefined;
    if (!conv) {
      reject('messages', i, `unknown channel ${chRef ?? ''}`);
      continue;
    }
    const uid = await userId(m.user);
    if (!uid) {
      reject('messages', i, `unknown user ${String(m.user ?? '')}`);
      continue;
    }
    let threadTs: string | null = null;
    if (m.thread !== undefined) {
      const parent = typeof m.thread === 'number' ? posted[m.thread] : null;
      if (!parent || parent.conv !== conv.id) {
        reject('messages', i, 'thread must be the index of an earlier message in the same channel');
        continue;
      }
      threadTs = parent.ts;
      await ctx.db.q`update messages set thread_ts = ts where conversation_id = ${conv.id} and ts = ${threadTs} and thread_ts is null`;
    }
    const at = m.ts !== undefined ? microsFromTs(m.ts) : null;
    if (m.ts !== undefined && at === null) {
      reject('messages', i, 'ts must look like 1700000000.000100');
      continue;
    }
    await addMember(ctx.db, conv.id, uid, now);
    const row = await insertMessage(ctx.db, { conversationId: conv.id, teamId: team.id, userId: uid, botId: null, appId: null, text, threadTs, atMicros: at ?? undefined });
    posted[i] = { conv: conv.id, ts: row.ts };
    for (const r of Array.isArray(m.reactions) ? (m.reactions as Rec[]) : []) {
      const name = s(r?.name);
      if (!name) continue;
      for (const who of Array.isArray(r.users) ? r.users : []) {
        const rid = await userId(who);
        if (rid) await ctx.db.q`insert into reactions (conversation_id, message_ts, name, user_id) values (${conv.id}, ${row.ts}, ${name}, ${rid}) on conflict do nothing`;
      }
    }
    out.written++;
  }

  for (const [i, raw] of (records.file_comments ?? []).entries()) {
    const c = (raw ?? {}) as Rec;
    const comment = s(c.comment) ?? '';
    if (!comment.trim()) {
      reject('file_comments', i, 'comment is required');
      continue;
    }
    const file = (await ctx.db.q<{ id: string }>`select id from files where id = ${s(c.file) ?? ''} and team_id = ${team.id} and state <> 'pending'`)[0];
    if (!file) {
      reject('file_comments', i, `unknown file ${String(c.file ?? '')}`);
      continue;
    }
    const uid = await userId(c.user);
    if (!uid) {
      reject('file_comments', i, `unknown user ${String(c.user ?? '')}`);
      continue;
    }
    const created = c.created === undefined ? now : Number(c.created);
    if (!Number.isInteger(created) || created <= 0) {
      reject('file_comments', i, 'created must be a Unix time in seconds');
      continue;
    }
    await ctx.db.q`insert into file_comments (id, file_id, user_id, comment, created) values (${slackId('Fc')}, ${file.id}, ${uid}, ${comment}, ${created})`;
    out.written++;
  }
  return out;
}

/** Before a forced re-seed: keep what provision made (team, app, bot, admin, #general), drop the rest. */
export async function clearSlackSeeded(_ctx: KitContext, tx: SQL): Promise<void> {
  await tx.unsafe(`
    delete from scheduled_messages;
    delete from file_comments;
    delete from connect_invites;
    delete from connect_invite_requests;
    delete from messages;
    delete from conversations where not is_general;
    delete from members where user_id not in (select bot_user_id from apps union select id from users where is_primary_owner);
    delete from tokens where user_id not in (select bot_user_id from apps union select id from users where is_primary_owner);
    delete from users where id not in (select bot_user_id from apps union select id from users where is_primary_owner);
    update conversations set last_ts_us = 0;
  `);
}


