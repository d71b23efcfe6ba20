import { int, str } from '../../../_kit/http.ts';
import type { Db } from '../../../_kit/db.ts';
import { fail } from '../errors.ts';
import { renderFiles, visibleFiles, type FileRow } from '../files.ts';
import { tsFromMicros } from '../ids.ts';
import { renderMessages } from '../render.ts';
import type { Call, Caller, ConversationRow, Handler, MessageRow } from '../types.ts';

/**
 * search.messages / search.files / search.all (user tokens with search:read; bot tokens get
 * not_allowed_token_type in invoke.ts). Visibility: public channels plus conversations the
 * caller belongs to (files: the caller's own, or shared where the caller can see them).
 *
 * Query language: words (all must appear, case-insensitive substring), "quoted phrases",
 * -word to exclude, in:#channel | in:<#C…> | in:C… | in:@user (the DM), from:@name |
 * from:<@U…> | from:U… | from:me, has:link, has:reaction, has:pin, is:thread,
 * before:/after:/on:YYYY-MM-DD and during:YYYY-MM[-DD] (UTC days). Multiple in:/from: are ORed.
 */

interface Query {
  terms: string[];
  excluded: string[];
  inIds: string[] | null;
  fromIds: string[] | null;
  hasLink: boolean;
  hasReaction: boolean;
  hasPin: boolean;
  isThread: boolean;
  /** Seconds: lo inclusive, hi exclusive. */
  lo: number | null;
  hi: number | null;
}

const DAY = 86_400;

function dayStart(v: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  if (!m) return null;
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return Number.isFinite(t) ? t / 1000 : null;
}

/** during:YYYY-MM-DD | YYYY-MM | YYYY -> [start, end) */
function during(v: string): [number, number] | null {
  const d = dayStart(v);
  if (d !== null) return [d, d + DAY];
  const ym = /^(\d{4})-(\d{2})$/.exec(v);
  if (ym) return [Date.UTC(Number(ym[1]), Number(ym[2]) - 1, 1) / 1000, Date.UTC(Number(ym[1]), Number(ym[2]), 1) / 1000];
  const y = /^(\d{4})$/.exec(v);
  if (y) return [Date.UTC(Number(y[1]), 0, 1) / 1000, Date.UTC(Number(y[1]) + 1, 0, 1) / 1000];
  return null;
}

async function resolveIn(db: Db, caller: Caller, raw: string): Promise<string[]> {
  const link = /^<#([CGD][A-Z0-9]+)(?:\|[^>]*)?>$/.exec(raw);
  if (link) return [link[1] as string];
  if (/^[CGD][A-Z0-9]{6,}$/.test(raw)) return [raw];
  const userRef = /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/.exec(raw)?.[1] ?? (raw.startsWith('@') ? raw.slice(1) : null);
  if (userRef) {
    const ids = await userIds(db, caller, userRef);
    if (!ids.length) return [];
    const rows = await db.q<{ id: string }>`select c.id from conversations c where c.team_id = ${caller.teamId} and c.kind = 'im'
      and c.member_key = any(${ids.map((u) => [caller.userId, u].sort().join(','))}::text[])`;
    return rows.map((r) => r.id);
  }
  const name = raw.replace(/^#/, '');
  const rows = await db.q<{ id: string }>`select id from conversations where team_id = ${caller.teamId} and name = ${name}`;
  return rows.map((r) => r.id);
}

async function userIds(db: Db, caller: Caller, raw: string): Promise<string[]> {
  const v = raw.replace(/^@/, '');
  const link = /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/.exec(v);
  if (link) return [link[1] as string];
  if (v === 'me') return [caller.userId];
  if (/^[UW][A-Z0-9]{6,}$/.test(v)) return [v];
  const rows = await db.q<{ id: string }>`select id from users where team_id = ${caller.teamId} and (name = ${v} or (display_name <> '' and display_name = ${v}))`;
  return rows.map((r) => r.id);
}

async function parseQuery(db: Db, caller: Caller, q: string): Promise<Query> {
  const out: Query = { terms: [], excluded: [], inIds: null, fromIds: null, hasLink: false, hasReaction: false, hasPin: false, isThread: false, lo: null, hi: null };
  const narrow = (lo: number, hi: number) => {
    out.lo = out.lo === null ? lo : Math.max(out.lo, lo);
    out.hi = out.hi === null ? hi : Math.min(out.hi, hi);
  };
  for (const m of q.matchAll(/(-?)"([^"]*)"|(\S+)/g)) {
    if (m[2] !== undefined) {
      if (m[2].trim()) (m[1] ? out.excluded : out.terms).push(m[2].trim());
      continue;
    }
    const tok = m[3] as string;
    const mod = /^([a-z]+):(.+)$/.exec(tok);
    const key = mod?.[1];
    const val = mod?.[2] ?? '';
    if (key === 'in') out.inIds = [...(out.inIds ?? []), ...(await resolveIn(db, caller, val))];
    else if (key === 'from') out.fromIds = [...(out.fromIds ?? []), ...(await userIds(db, caller, val))];
    else if (key === 'has' && ['link', 'reaction', 'reactions', 'pin', 'star'].includes(val)) {
      if (val === 'link') out.hasLink = true;
      else if (val.startsWith('reaction')) out.hasReaction = true;
      else if (val === 'pin') out.hasPin = true;
    } else if (key === 'is' && val === 'thread') out.isThread = true;
    else if ((key === 'before' || key === 'after' || key === 'on') && dayStart(val) !== null) {
      const d = dayStart(val) as number;
      if (key === 'before') narrow(0, d);
      else if (key === 'after') narrow(d + DAY, Number.MAX_SAFE_INTEGER);
      else narrow(d, d + DAY);
    } else if (key === 'during' && during(val)) narrow(...(during(val) as [number, number]));
    else if (tok.startsWith('-') && tok.length > 1) out.excluded.push(tok.slice(1));
    else out.terms.push(tok);
  }
  return out;
}

const likeEscape = (s: string) => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

function occurrences(haystack: string, needle: string): number {
  const h = haystack.toLowerCase();
  const n = needle.toLowerCase();
  let count = 0;
  for (let i = h.indexOf(n); i !== -1; i = h.indexOf(n, i + n.length)) count++;
  return count;
}

interface Paged {
  count: number;
  page: number;
  sort: 'score' | 'timestamp';
  asc: boolean;
}

function pagingArgs(call: Call): Paged {
  const count = Math.min(Math.max(int(call.params.count, 20), 1), 100);
  const page = Math.min(Math.max(int(call.params.page, 1), 1), 100);
  const sort = str(call.params.sort) === 'timestamp' ? 'timestamp' : 'score';
  const asc = str(call.params.sort_dir) === 'asc';
  return { count, page, sort, asc };
}

function pageInfo(total: number, p: Paged): { paging: Record<string, number>; pagination: Record<string, number> } {
  const pages = Math.ceil(total / p.count);
  const first = Math.min((p.page - 1) * p.count + 1, total + 1);
  const last = Math.min(p.page * p.count, total);
  return {
    paging: { count: p.count, total, page: p.page, pages },
    pagination: { total_count: total, page: p.page, per_page: p.count, page_count: pages, first, last },
  };
}

/** Orders scored items: by score (ties newest first) or by time; sort_dir flips either. */
function order<T>(items: { item: T; score: number; at: string }[], p: Paged): T[] {
  items.sort((a, b) => {
    const byTime = a.at < b.at ? -1 : a.at > b.at ? 1 : 0;
    const d = p.sort === 'score' ? a.score - b.score || byTime : byTime;
    return p.asc ? d : -d;
  });
  return items.map((x) => x.item);
}

function query(call: Call): string {
  const q = str(call.params.query)?.trim();
  if (!q) fail('no_query');
  return q;
}

const SEARCHABLE_SUBTYPES = ['file_share', 'me_message', 'bot_message', 'thread_broadcast'];

async function searchMessages(call: Call, q: Query, p: Paged): Promise<Record<string, unknown>> {
  const db = call.ctx.db;
  const c = call.caller;
  const lo = q.lo === null ? null : tsFromMicros(BigInt(Math.max(0, q.lo)) * 1_000_000n);
  const hi = q.hi === null || q.hi >= Number.MAX_SAFE_INTEGER ? null : tsFromMicros(BigInt(Math.max(0, q.hi)) * 1_000_000n);
  const pats = q.terms.length ? q.terms.map(likeEscape) : ['%'];
  const excl = q.excluded.length ? q.excluded.map(likeEscape) : ['%'];
  const rows = await db.q<MessageRow>`select m.* from messages m join conversations cv on cv.id = m.conversation_id
    where m.team_id = ${c.teamId}
      and (m.subtype is null or m.subtype = any(${SEARCHABLE_SUBTYPES}::text[]))
      and ((cv.kind = 'channel' and not cv.is_private) or exists (select 1 from members mm where mm.conversation_id = cv.id and mm.user_id = ${c.userId}))
      and (${q.inIds}::text[] is null or m.conversation_id = any(${q.inIds}::text[]))
      and (${q.fromIds}::text[] is null or m.user_id = any(${q.fromIds}::text[]))
      and (${lo}::text is null or m.ts >= ${lo}::text)
      and (${hi}::text is null or m.ts < ${hi}::text)
      and m.text ilike all(${pats}::text[])
      and (${q.excluded.length === 0} or not (m.text ilike any(${excl}::text[])))
      and (not ${q.hasLink} or m.text ~* 'https?://')
      and (not ${q.hasReaction} or exists (select 1 from reactions r where r.conversation_id = m.conversation_id and r.message_ts = m.ts))
      and (not ${q.hasPin} or exists (select 1 from pins pn where pn.conversation_id = m.conversation_id and pn.message_ts = m.ts))
      and (not ${q.isThread} or (m.thread_ts is not null and m.thread_ts <> m.ts))
    order by m.ts desc limit 5000`;
  const scored = rows.map((r) => ({ item: r, at: r.ts, score: q.terms.reduce((n, t) => n + occurrences(r.text, t), 0) }));
  const sorted = order(scored, p);
  const slice = sorted.slice((p.page - 1) * p.count, p.page * p.count);
  const scoreOf = new Map(scored.map((s) => [s.item, s.score]));

  const convIds = [...new Set(slice.map((r) => r.conversation_id))];
  const userList = [...new Set(slice.map((r) => r.user_id).filter((u): u is string => !!u))];
  const [convs, users, rendered] = await Promise.all([
    convIds.length ? db.q<ConversationRow>`select * from conversations where id = any(${convIds}::text[])` : Promise.resolve([] as ConversationRow[]),
    userList.length ? db.q<{ id: string; name: string }>`select id, name from users where id = any(${userList}::text[])` : Promise.resolve([]),
    renderMessages(call.ctx, slice, { publicUrl: call.ctx.env.publicUrl }),
  ]);
  const convById = new Map(convs.map((cv) => [cv.id, cv]));
  const nameById = new Map(users.map((u) => [u.id, u.name]));
  const matches = slice.map((r, i) => {
    const cv = convById.get(r.conversation_id) as ConversationRow;
    const m = rendered[i] as Record<string, unknown>;
    const shared = (cv.connected_teams ?? []).length > 0;
    const channel: Record<string, unknown> = {
      id: cv.id,
      is_channel: cv.kind === 'channel',
      is_group: cv.kind === 'group' || (cv.kind === 'channel' && cv.is_private),
      is_im: cv.kind === 'im',
      is_mpim: cv.kind === 'mpim',
      is_shared: shared,
      is_org_shared: false,
      is_ext_shared: shared,
      is_private: cv.is_private,
      is_pending_ext_shared: false,
      pending_shared: [],
      name: cv.name ?? cv.im_user ?? cv.id,
    };
    if (cv.kind === 'im' && cv.im_user) channel.user = cv.im_user;
    let permalink = `${call.ctx.env.publicUrl}/archives/${cv.id}/p${r.ts.replace('.', '')}`;
    if (r.thread_ts && r.thread_ts !== r.ts) permalink += `?thread_ts=${r.thread_ts}&cid=${cv.id}`;
    const out: Record<string, unknown> = {
      iid: crypto.randomUUID(),
      team: r.team_id,
      score: scoreOf.get(r) ?? 0,
      channel,
      type: 'message',
      user: r.user_id ?? '',
      username: (r.user_id && nameById.get(r.user_id)) || '',
      ts: r.ts,
      text: r.text,
      permalink,
      no_reactions: !m.reactions,
    };
    for (const k of ['blocks', 'attachments', 'files'] as const) if (m[k] !== undefined) out[k] = m[k];
    return out;
  });
  return { total: rows.length, ...pageInfo(rows.length, p), matches };
}

async function searchFiles(call: Call, q: Query, p: Paged): Promise<Record<string, unknown>> {
  const hasOnlyMessageFilters = q.hasLink || q.hasReaction || q.hasPin || q.isThread;
  const all = hasOnlyMessageFilters ? [] : await visibleFiles(call.ctx.db, call.caller, {});
  const hay = (f: FileRow) => `${f.title}\n${f.name}`;
  const found = all.filter(
    (f) =>
      f.state === 'complete' &&
      q.terms.every((t) => occurrences(hay(f), t) > 0) &&
      !q.excluded.some((t) => occurrences(hay(f), t) > 0) &&
      (q.inIds === null || f.channels.some((ch) => (q.inIds as string[]).includes(ch))) &&
      (q.fromIds === null || q.fromIds.includes(f.user_id)) &&
      (q.lo === null || Number(f.created) >= q.lo) &&
      (q.hi === null || Number(f.created) < q.hi),
  );
  const scored = found.map((f) => ({ item: f, at: String(f.seq).padStart(20, '0'), score: q.terms.reduce((n, t) => n + occurrences(hay(f), t), 0) }));
  const slice = order(scored, p).slice((p.page - 1) * p.count, p.page * p.count);
  // Slack's file matches carry bot_id but no app_id (the SDK's SearchFilesResponse).
  const matches = (await renderFiles(call.ctx.db, slice, call.ctx.env.publicUrl)).map(({ app_id: _a, ...f }) => f);
  return { total: found.length, ...pageInfo(found.length, p), matches };
}

const messages: Handler = async (call) => {
  const text = query(call);
  const q = await parseQuery(call.ctx.db, call.caller, text);
  return { query: text, messages: await searchMessages(call, q, pagingArgs(call)) };
};

const files: Handler = async (call) => {
  const text = query(call);
  const q = await parseQuery(call.ctx.db, call.caller, text);
  return { query: text, files: await searchFiles(call, q, pagingArgs(call)) };
};

const all: Handler = async (call) => {
  const text = query(call);
  const q = await parseQuery(call.ctx.db, call.caller, text);
  const p = pagingArgs(call);
  const [m, f] = await Promise.all([searchMessages(call, q, p), searchFiles(call, q, p)]);
  return { query: text, messages: m, files: f, posts: { total: 0, matches: [] } };
};

export const searchMethods: Record<string, Handler> = {
  'search.messages': messages,
  'search.files': files,
  'search.all': all,
};
