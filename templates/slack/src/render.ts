import type { Db } from '../../_kit/db.ts';
import { clockNow } from '../../_kit/clock.ts';
import type { KitContext } from '../../_kit/types.ts';
import { renderFiles, tombstone, type FileRow } from './files.ts';
import { defaultApp } from './store.ts';
import type { ConversationRow, MessageRow, UserRow } from './types.ts';

/** Rows -> Slack JSON objects, field names and nesting as in Slack's own responses. */

function tzInfo(tz: string): { label: string; offset: number } {
  try {
    const now = clockNow();
    const label = new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'long' }).formatToParts(now).find((p) => p.type === 'timeZoneName')?.value ?? tz;
    const local = new Date(now.toLocaleString('en-US', { timeZone: tz }));
    const utc = new Date(now.toLocaleString('en-US', { timeZone: 'UTC' }));
    return { label, offset: Math.round((local.getTime() - utc.getTime()) / 1000) };
  } catch {
    return { label: tz, offset: 0 };
  }
}

export function avatarUrl(publicUrl: string, userId: string, size: number): string {
  return `${publicUrl}/avatars/${userId}/${size}.png`;
}

/** A custom photo's URL: /avatars/<user>/<hash>_<size>.<ext>, served by the clone (photos.ts). */
export function photoUrl(publicUrl: string, userId: string, hash: string, size: string, ext: string): string {
  return `${publicUrl}/avatars/${userId}/${hash}_${size}.${ext}`;
}

export function renderProfile(u: UserRow, publicUrl: string, includeEmail: boolean): Record<string, unknown> {
  const [first = '', ...rest] = u.real_name.split(' ');
  const images: Record<string, string> = {};
  if (u.photo_hash) {
    // A custom photo (users.setPhoto): every size serves the uploaded image, like Slack's CDN URLs.
    for (const s of [24, 32, 48, 72, 192, 512, 1024]) images[`image_${s}`] = photoUrl(publicUrl, u.id, u.photo_hash, String(s), u.photo_ext ?? 'png');
    images.image_original = photoUrl(publicUrl, u.id, u.photo_hash, 'original', u.photo_ext ?? 'png');
  } else {
    for (const s of [24, 32, 48, 72, 192, 512]) images[`image_${s}`] = avatarUrl(publicUrl, u.id, s);
  }
  const profile: Record<string, unknown> = {
    title: u.title,
    phone: u.phone,
    skype: '',
    real_name: u.real_name,
    real_name_normalized: u.real_name,
    display_name: u.display_name,
    display_name_normalized: u.display_name,
    fields: {},
    status_text: u.status_text,
    status_emoji: u.status_emoji,
    status_emoji_display_info: [],
    status_expiration: Number(u.status_expiration),
    avatar_hash: u.photo_hash ?? u.id.slice(-12).toLowerCase(),
    is_custom_image: !!u.photo_hash,
    first_name: first,
    last_name: rest.join(' '),
    ...images,
    team: u.team_id,
    ...u.profile_extra,
  };
  if (includeEmail && u.email) profile.email = u.email;
  if (u.is_bot) {
    profile.bot_id = u.bot_id;
    profile.api_app_id = u.app_id;
    profile.always_active = true;
  }
  return profile;
}

export function renderUser(u: UserRow, publicUrl: string, includeEmail: boolean): Record<string, unknown> {
  const tz = tzInfo(u.tz);
  return {
    id: u.id,
    team_id: u.team_id,
    name: u.name,
    deleted: u.deleted,
    color: u.color,
    real_name: u.real_name,
    tz: u.tz,
    tz_label: tz.label,
    tz_offset: tz.offset,
    profile: renderProfile(u, publicUrl, includeEmail),
    is_admin: u.is_admin,
    is_owner: u.is_owner,
    is_primary_owner: u.is_primary_owner,
    is_restricted: u.is_restricted,
    is_ultra_restricted: false,
    is_bot: u.is_bot,
    is_app_user: u.is_app_user,
    updated: Number(u.updated),
    is_email_confirmed: !u.is_bot,
    who_can_share_contact_card: 'EVERYONE',
  };
}

export interface ConvView {
  isMember: boolean;
  lastRead?: string;
  numMembers?: number;
  imUserDeleted?: boolean;
  /** Slack Connect: teams that accepted an invite awaiting approval. */
  pendingTeams?: string[];
}

export function renderConversation(c: ConversationRow, view: ConvView): Record<string, unknown> {
  const updatedMs = Number(c.updated) * 1000;
  if (c.kind === 'im') {
    const out: Record<string, unknown> = {
      id: c.id,
      created: Number(c.created),
      is_archived: c.is_archived,
      is_im: true,
      is_org_shared: false,
      context_team_id: c.team_id,
      updated: updatedMs,
      user: c.im_user,
      is_user_deleted: view.imUserDeleted ?? false,
      priority: 0,
    };
    if (view.lastRead !== undefined) out.last_read = view.lastRead;
    return out;
  }
  const out: Record<string, unknown> = {
    id: c.id,
    name: c.name,
    is_channel: c.kind === 'channel',
    is_group: c.kind === 'mpim',
    is_im: false,
    is_mpim: c.kind === 'mpim',
    is_private: c.is_private,
    created: Number(c.created),
    is_archived: c.is_archived,
    is_general: c.is_general,
    unlinked: 0,
    name_normalized: c.name,
    is_shared: (c.connected_teams ?? []).length > 0,
    is_org_shared: false,
    is_ext_shared: (c.connected_teams ?? []).length > 0,
    is_pending_ext_shared: (view.pendingTeams ?? []).length > 0,
    pending_shared: view.pendingTeams ?? [],
    pending_connected_team_ids: view.pendingTeams ?? [],
    shared_team_ids: [c.team_id, ...(c.connected_teams ?? []).map((t) => t.id)],
    context_team_id: c.team_id,
    updated: updatedMs,
    parent_conversation: null,
    creator: c.creator ?? '',
    is_member: view.isMember,
    topic: { value: c.topic, creator: c.topic_creator, last_set: Number(c.topic_last_set) },
    purpose: { value: c.purpose, creator: c.purpose_creator, last_set: Number(c.purpose_last_set) },
    previous_names: c.previous_names,
  };
  if (view.lastRead !== undefined) out.last_read = view.lastRead;
  if (view.numMembers !== undefined) out.num_members = view.numMembers;
  return out;
}

/**
 * Messages with their reactions, thread summary, pins and bot profile, fetched in three
 * batched queries whatever the page size (history pages go up to 999 messages).
 */
type Reaction = { k: string; name: string; users: string[] };
type Thread = { k: string; n: number; latest: string; users: string[] };
/** What renderMessages looks up for a page: reactions, thread summaries and pins, keyed "conv:ts". */
export type Decorations = [Reaction[], Thread[], { k: string }[]];

async function decorations(db: Db, convs: string[], tss: string[]): Promise<Decorations> {
  const [row] = await db.q<{ reactions: Reaction[] | null; threads: Thread[] | null; pins: { k: string }[] | null }>`select
    (select json_agg(x order by x.k, x.o) from (select conversation_id || ':' || message_ts as k, name, array_agg(user_id order by seq) as users, min(seq) as o
      from reactions where (conversation_id, message_ts) in (select * from unnest(${convs}::text[], ${tss}::text[])) group by conversation_id, message_ts, name) x) as reactions,
    (select json_agg(x) from (select conversation_id || ':' || thread_ts as k, count(*)::int as n, max(ts) as latest, array_agg(coalesce(user_id, '') order by ts) as users
      from messages where thread_ts is not null and ts <> thread_ts and (conversation_id, thread_ts) in (select * from unnest(${convs}::text[], ${tss}::text[])) group by conversation_id, thread_ts) x) as threads,
    (select json_agg(x) from (select conversation_id || ':' || message_ts as k
      from pins where (conversation_id, message_ts) in (select * from unnest(${convs}::text[], ${tss}::text[]))) x) as pins`;
  return [row?.reactions ?? [], row?.threads ?? [], row?.pins ?? []];
}

/**
 * `fresh`: the rows were inserted by this request, so nothing can have reacted to, replied
 * to or pinned them yet; their reaction/thread/pin lookups are skipped.
 *
 * Lookups filter on (conversation_id, ts) pairs, so the tables' composite indexes serve
 * them; the rows are keyed "conv:ts" only in memory.
 */
export async function renderMessages(ctx: KitContext, rows: MessageRow[], opts: { publicUrl: string; fresh?: boolean; decorations?: Decorations }): Promise<Record<string, unknown>[]> {
  if (rows.length === 0) return [];
  const { db } = ctx;
  // Reactions, thread summaries and pins of the page in one statement (each part the query
  // it would be alone, aggregated to JSON), by (conversation_id, ts) pairs the indexes serve;
  // none for a fresh post, and none when the page's own statement brought them (history).
  const [reactions, threads, pins] = opts.fresh
    ? [[], [], []]
    : (opts.decorations ?? (await decorations(db, rows.map((r) => r.conversation_id), rows.map((r) => r.ts))));
  const byKey = new Map<string, { name: string; users: string[]; count: number }[]>();
  for (const r of reactions) {
    const list = byKey.get(r.k) ?? [];
    list.push({ name: r.name, users: r.users, count: r.users.length });
    byKey.set(r.k, list);
  }
  const threadByKey = new Map(threads.map((t) => [t.k, t]));
  const fileIds = [...new Set(rows.flatMap((r) => r.file_ids ?? []))];
  const fileById = new Map<string, Record<string, unknown>>();
  if (fileIds.length) {
    const fileRows = await db.q<FileRow>`select * from files where id = any(${fileIds}::text[])`;
    // Files inside messages leave out `shares` (keyed by channel id); files.info has them.
    for (const { shares: _s, ...f } of await renderFiles(db, fileRows, opts.publicUrl)) fileById.set(f.id as string, f);
  }
  const pinned = new Set(pins.map((p) => p.k));
  const app = rows.some((r) => r.bot_id) ? await defaultApp(ctx) : null;
  const parentUsers = new Map<string, string | null>();
  const replies = rows.filter((r) => r.thread_ts && r.thread_ts !== r.ts);
  if (replies.length) {
    const ps = await db.q<{ k: string; user_id: string | null }>`select conversation_id || ':' || ts as k, user_id from messages
      where (conversation_id, ts) in (select * from unnest(${replies.map((r) => r.conversation_id)}::text[], ${replies.map((r) => r.thread_ts)}::text[]))`;
    for (const p of ps) parentUsers.set(p.k, p.user_id);
  }

  return rows.map((r) => {
    const k = `${r.conversation_id}:${r.ts}`;
    const m: Record<string, unknown> = { type: 'message' };
    if (r.subtype) m.subtype = r.subtype;
    m.text = r.text;
    if (r.user_id) m.user = r.user_id;
    if (r.bot_id) m.bot_id = r.bot_id;
    if (r.app_id) m.app_id = r.app_id;
    m.ts = r.ts;
    m.team = r.team_id;
    if (r.client_msg_id) m.client_msg_id = r.client_msg_id;
    if (r.blocks) m.blocks = r.blocks;
    if (r.attachments) m.attachments = r.attachments;
    if (r.metadata) m.metadata = r.metadata;
    if (r.username) m.username = r.username;
    if (r.file_ids?.length) {
      m.files = r.file_ids.map((id) => fileById.get(id) ?? tombstone(id));
      m.upload = true;
      m.display_as_bot = false;
    }
    if (r.icons) m.icons = r.icons;
    if (r.bot_id && app && app.bot_id === r.bot_id) {
      m.bot_profile = {
        id: app.bot_id,
        deleted: false,
        name: app.name,
        updated: Number(app.created),
        app_id: app.id,
        icons: {
          image_36: avatarUrl(opts.publicUrl, app.bot_user_id, 36),
          image_48: avatarUrl(opts.publicUrl, app.bot_user_id, 48),
          image_72: avatarUrl(opts.publicUrl, app.bot_user_id, 72),
        },
        team_id: app.team_id,
        // Only the answer to the post itself names the bot's user (chat.postMessage's
        // samples); history, replies and chat.update carry Slack's bot profile object without it.
        ...(opts.fresh ? { user_id: app.bot_user_id } : {}),
      };
    }
    if (r.edited_ts) m.edited = { user: r.edited_user, ts: r.edited_ts };
    if (r.thread_ts) {
      m.thread_ts = r.thread_ts;
      if (r.thread_ts !== r.ts) {
        const pu = parentUsers.get(`${r.conversation_id}:${r.thread_ts}`);
        if (pu) m.parent_user_id = pu;
      } else {
        const t = threadByKey.get(k);
        const users = [...new Set((t?.users ?? []).filter(Boolean))];
        m.reply_count = Number(t?.n ?? 0);
        m.reply_users_count = users.length;
        m.latest_reply = t?.latest ?? r.ts;
        m.reply_users = users.slice(0, 5);
        m.is_locked = false;
        m.subscribed = false;
      }
    }
    const rx = byKey.get(k);
    if (rx) m.reactions = rx;
    if (pinned.has(k)) m.pinned_to = [r.conversation_id];
    return m;
  });
}

export async function renderMessage(ctx: KitContext, row: MessageRow, publicUrl: string, fresh = false): Promise<Record<string, unknown>> {
  const [m] = await renderMessages(ctx, [row], { publicUrl, fresh });
  return m as Record<string, unknown>;
}
