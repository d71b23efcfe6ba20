import { randomString } from '../../../_kit/auth.ts';
import { str } from '../../../_kit/http.ts';
import { fail } from '../errors.ts';
import { visibleConversation } from '../store.ts';
import type { Call, ConversationRow, Handler } from '../types.ts';

/**
 * bookmarks.*: links pinned to a channel's header. Only `type: link` bookmarks (the kind the
 * API adds); `link` must be http(s) (invalid_link), `emoji` an emoji name in colons
 * (invalid_emoji). At most MAX_BOOKMARKS per channel (too_many_bookmarks). The caller must
 * see the channel (channel_not_found) and, to write, belong to it or be a person in a public
 * channel (permission_denied); archived channels take no writes.
 */

export const MAX_BOOKMARKS = 100;

interface BookmarkRow {
  id: string;
  channel_id: string;
  team_id: string;
  title: string;
  link: string | null;
  emoji: string | null;
  type: string;
  rank: string;
  app_id: string | null;
  created_by: string;
  last_updated_by: string;
  date_created: string | number;
  date_updated: string | number;
}

const seconds = (call: Call) => Math.floor(call.ctx.now().getTime() / 1000);

function render(b: BookmarkRow): Record<string, unknown> {
  let icon: string | null = null;
  try {
    icon = b.link ? `${new URL(b.link).origin}/favicon.ico` : null;
  } catch {
    icon = null;
  }
  // entity_id, shortcut_id and app_id are null as Slack's examples show them; no emoji, no field.
  return {
    id: b.id,
    channel_id: b.channel_id,
    title: b.title,
    link: b.link,
    ...(b.emoji ? { emoji: b.emoji } : {}),
    icon_url: icon,
    type: b.type,
    entity_id: null,
    date_created: Number(b.date_created),
    date_updated: Number(b.date_updated),
    rank: b.rank,
    last_updated_by_user_id: b.last_updated_by,
    last_updated_by_team_id: b.team_id,
    shortcut_id: null,
    app_id: b.app_id,
  };
}

async function channel(call: Call, write: boolean): Promise<ConversationRow> {
  const { conv, member } = await visibleConversation(call.ctx.db, call.caller, str(call.params.channel_id)?.trim());
  if (write) {
    if (conv.is_archived) fail('permission_denied');
    if (!member && call.caller.kind === 'bot') fail('permission_denied');
  }
  return conv;
}

function checkLink(v: unknown): string {
  const link = str(v)?.trim();
  if (!link || !/^https?:\/\/\S+$/i.test(link)) fail('invalid_link');
  return link;
}

function checkEmoji(v: unknown): string | null {
  const e = str(v)?.trim();
  if (!e) return null;
  if (!/^:[a-z0-9_+'-]{1,100}(::skin-tone-[2-6])?:$/.test(e)) fail('invalid_emoji');
  return e;
}

async function bookmark(call: Call, conv: ConversationRow): Promise<BookmarkRow> {
  const id = str(call.params.bookmark_id)?.trim();
  if (!id) fail('not_found');
  const rows = await call.ctx.db.q<BookmarkRow>`select * from bookmarks where id = ${id} and channel_id = ${conv.id}`;
  if (!rows[0]) fail('not_found');
  return rows[0];
}

/** Ranks sort as text: a fixed-width base-36 counter after the channel's last one. */
const rankAfter = (last: string | undefined) => (last ? (parseInt(last, 36) + 1).toString(36) : 'g').padStart(6, '0');

const add: Handler = async (call) => {
  const conv = await channel(call, true);
  const title = str(call.params.title)?.trim();
  if (!title) fail('invalid_arguments', { response_metadata: { messages: ['[ERROR] missing required field: title'] } });
  const type = str(call.params.type)?.trim();
  if (type !== 'link') fail('invalid_bookmark_type');
  const link = checkLink(call.params.link);
  const emoji = checkEmoji(call.params.emoji);
  const db = call.ctx.db;
  const existing = await db.q<{ n: string; last: string | null }>`select count(*) as n, max(rank) as last from bookmarks where channel_id = ${conv.id}`;
  if (Number(existing[0]?.n ?? 0) >= MAX_BOOKMARKS) fail('too_many_bookmarks');
  const id = `Bk0${randomString(9, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789')}`;
  const rows = await db.q<BookmarkRow>`insert into bookmarks (id, channel_id, team_id, title, link, emoji, type, rank, app_id, created_by, last_updated_by, date_created)
    values (${id}, ${conv.id}, ${call.caller.teamId}, ${title}, ${link}, ${emoji}, 'link', ${rankAfter(existing[0]?.last ?? undefined)},
      ${call.caller.kind === 'bot' ? call.caller.appId : null}, ${call.caller.userId}, ${call.caller.userId}, ${seconds(call)}) returning *`;
  return { bookmark: render(rows[0] as BookmarkRow) };
};

const edit: Handler = async (call) => {
  const conv = await channel(call, true);
  const b = await bookmark(call, conv);
  const title = str(call.params.title)?.trim() || null;
  const link = call.params.link !== undefined && call.params.link !== '' ? checkLink(call.params.link) : null;
  const emoji = call.params.emoji !== undefined ? checkEmoji(call.params.emoji) : b.emoji;
  const rows = await call.ctx.db.q<BookmarkRow>`update bookmarks set title = coalesce(${title}, title), link = coalesce(${link}, link), emoji = ${emoji},
      last_updated_by = ${call.caller.userId}, date_updated = ${seconds(call)}
    where id = ${b.id} returning *`;
  return { bookmark: render(rows[0] as BookmarkRow) };
};

const remove: Handler = async (call) => {
  const conv = await channel(call, true);
  const b = await bookmark(call, conv);
  await call.ctx.db.q`delete from bookmarks where id = ${b.id}`;
  return {};
};

const list: Handler = async (call) => {
  const conv = await channel(call, false);
  const rows = await call.ctx.db.q<BookmarkRow>`select * from bookmarks where channel_id = ${conv.id} order by rank, seq`;
  return { bookmarks: rows.map(render) };
};

export const bookmarkMethods: Record<string, Handler> = {
  'bookmarks.add': add,
  'bookmarks.edit': edit,
  'bookmarks.remove': remove,
  'bookmarks.list': list,
};
