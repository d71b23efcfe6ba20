import { randomString } from '../../../_kit/auth.ts';
import { int, jsonField, str } from '../../../_kit/http.ts';
import { fail } from '../errors.ts';
import { fileKind, MAX_FILE_BYTES, renderFiles, visibleFiles, type FileRow } from '../files.ts';
import { microsFromTs, nowSeconds, slackId } from '../ids.ts';
import { insertMessage } from '../store.ts';
import type { Call, Handler } from '../types.ts';
import { announceMessage, threadRoot } from './chat.ts';
import { assertCanPost, parseContent, resolveTarget, MAX_PAGE } from './common.ts';
import { intInRange } from '../../../_kit/input.ts';

/**
 * files.*: the external upload flow (getUploadURLExternal -> POST upload_url ->
 * completeUploadExternal) that the SDK's filesUploadV2 drives, plus info, list and delete.
 * files.upload, retired by Slack on 2025-11-12, is answered by the envelope (errors.ts: method_deprecated).
 */

function author(call: Call): { botId: string | null; appId: string | null } {
  return { botId: call.caller.kind === 'bot' ? call.caller.botId : null, appId: call.caller.kind === 'bot' ? call.caller.appId : null };
}

const getUploadURLExternal: Handler = async (call) => {
  const filename = str(call.params.filename)?.trim();
  if (!filename) fail('invalid_arguments', { response_metadata: { messages: ['[ERROR] missing required field: filename'] } });
  const lengthRaw = str(call.params.length);
  const length = Number(lengthRaw);
  if (!lengthRaw || !Number.isInteger(length) || length < 1) fail('invalid_arguments', { response_metadata: { messages: ['[ERROR] missing required field: length'] } });
  if (length > MAX_FILE_BYTES) fail('file_size_exceeds_limit', { warning: `this clone keeps files up to ${MAX_FILE_BYTES} bytes` });
  const snippet = str(call.params.snippet_type) || null;
  const kind = fileKind(filename, snippet);
  const id = slackId('F');
  const key = randomString(32);
  await call.ctx.db.q`insert into files (id, team_id, user_id, bot_id, app_id, name, title, alt_text, snippet_type, length, mimetype, filetype, upload_key, created)
    values (${id}, ${call.caller.teamId}, ${call.caller.userId}, ${author(call).botId}, ${author(call).appId}, ${filename}, ${filename},
      ${str(call.params.alt_text) || null}, ${snippet}, ${length}, ${kind.mimetype}, ${kind.filetype}, ${key}, ${nowSeconds()})`;
  return { upload_url: `${call.ctx.env.publicUrl}/upload/v1/${key}`, file_id: id };
};

const completeUploadExternal: Handler = async (call) => {
  const parsed = jsonField(call.params.files);
  if (!parsed.ok || !Array.isArray(parsed.value) || parsed.value.length === 0) fail('invalid_arguments', { response_metadata: { messages: ['[ERROR] missing required field: files'] } });
  const wanted = (parsed.value as unknown[]).map((x) => (x && typeof x === 'object' ? (x as Record<string, unknown>) : {}));
  const db = call.ctx.db;
  const ids = wanted.map((w) => str(w.id) ?? '');
  const rows = await db.q<FileRow>`select * from files where id = any(${ids}::text[]) and team_id = ${call.caller.teamId}`;
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const id of ids) {
    const f = byId.get(id);
    // Only the uploader completes; a file whose bytes never arrived is not found, as in Slack.
    if (!f || f.user_id !== call.caller.userId || f.state === 'pending') fail('file_not_found');
  }

  // Destinations: channel_id (with optional thread_ts) or a comma-separated channels list.
  const channelId = str(call.params.channel_id)?.trim();
  const channelsRaw = str(call.params.channels)?.trim();
  const targets = channelId ? [channelId] : channelsRaw ? channelsRaw.split(',').map((c) => c.trim()).filter(Boolean) : [];
  if (call.params.thread_ts && !channelId) fail('invalid_arguments', { response_metadata: { messages: ['[ERROR] thread_ts requires channel_id'] } });
  const convs = [];
  for (const t of targets) {
    const { conv, member } = await resolveTarget(call, t);
    assertCanPost(call, conv, member);
    convs.push(conv);
  }
  const content = parseContent(call, false);
  const text = str(call.params.initial_comment) ?? content.text;

  for (const w of wanted) {
    const id = str(w.id) as string;
    const title = str(w.title) || (byId.get(id) as FileRow).name;
    await db.q`update files set title = ${title}, state = 'complete', upload_key = null, initial_comment = ${text || null} where id = ${id}`;
  }
  for (const conv of convs) {
    const threadTs = await threadRoot(call, conv, channelId ? call.params.thread_ts : undefined);
    const row = await insertMessage(db, {
      conversationId: conv.id,
      teamId: call.caller.teamId,
      userId: call.caller.userId,
      ...author(call),
      subtype: 'file_share',
      text,
      blocks: content.blocks,
      threadTs,
      fileIds: ids,
    });
    const share = JSON.stringify(threadTs ? { ts: row.ts, thread_ts: threadTs } : { ts: row.ts });
    for (const id of ids) {
      await db.q`update files set channels = case when ${conv.id} = any(channels) then channels else array_append(channels, ${conv.id}) end,
        shares = jsonb_set(shares, array[${conv.id}]::text[], coalesce(shares -> ${conv.id}, '[]'::jsonb) || jsonb_build_array(${share}::text::jsonb))
        where id = ${id}`;
    }
    await announceMessage(call, row, conv);
  }
  const done = await db.q<FileRow>`select * from files where id = any(${ids}::text[])`;
  const order = new Map(ids.map((id, i) => [id, i]));
  done.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
  // Slack's answer here (the SDK's FilesCompleteUploadExternalResponse) has no bot_id/app_id.
  const files = (await renderFiles(db, done, call.ctx.env.publicUrl)).map(({ bot_id: _b, app_id: _a, ...f }) => f);
  return { files };
};

async function visibleFile(call: Call): Promise<FileRow> {
  const id = str(call.params.file)?.trim();
  if (!id) fail('file_not_found');
  const [f] = await visibleFiles(call.ctx.db, call.caller, { ids: [id] });
  if (!f || f.state === 'pending') fail('file_not_found');
  return f;
}

/** Slack's legacy file comment object, as files.info lists them (oldest first). */
async function fileComments(call: Call, fileId: string): Promise<Record<string, unknown>[]> {
  const rows = await call.ctx.db.q<{ id: string; user_id: string; comment: string; created: string }>`select id, user_id, comment, created from file_comments
    where file_id = ${fileId} order by seq`;
  return rows.map((c) => ({ id: c.id, created: Number(c.created), timestamp: Number(c.created), user: c.user_id, is_intro: false, comment: c.comment }));
}

const info: Handler = async (call) => {
  const f = await visibleFile(call);
  const [file] = await renderFiles(call.ctx.db, [f], call.ctx.env.publicUrl);
  return { file, comments: await fileComments(call, f.id), response_metadata: { next_cursor: '' } };
};

/**
 * files.comments.delete: "Only the original author of the comment or a Team Administrator
 * may delete a file comment"; a comment that is not on that file, or not the caller's to
 * delete, is cant_delete ("The requested comment could not be deleted").
 */
const commentsDelete: Handler = async (call) => {
  const f = await visibleFile(call);
  const id = str(call.params.id)?.trim() ?? '';
  const adminDelete = call.caller.kind === 'user' && call.caller.isAdmin;
  const rows = await call.ctx.db.q`delete from file_comments where id = ${id} and file_id = ${f.id}
    and (user_id = ${call.caller.userId} or ${adminDelete}) returning id`;
  if (!rows.length) fail('cant_delete');
  return {};
};

const TYPE_FILTERS: Record<string, (f: FileRow) => boolean> = {
  all: () => true,
  images: (f) => f.mimetype.startsWith('image/'),
  snippets: (f) => !!f.snippet_type,
  pdfs: (f) => f.filetype === 'pdf',
  zips: (f) => f.filetype === 'zip' || f.filetype === 'gzip',
  gdocs: () => false,
  spaces: () => false,
  lists: () => false,
  canvases: () => false,
};

function tsBound(v: unknown): number | null {
  const s = str(v);
  if (!s) return null;
  const us = microsFromTs(s);
  return us === null ? null : Number(us / 1_000_000n);
}

const list: Handler = async (call) => {
  const channel = str(call.params.channel)?.trim() || null;
  const user = str(call.params.user)?.trim() || null;
  const types = (str(call.params.types) ?? 'all').split(',').map((t) => t.trim()).filter(Boolean);
  const filters = types.map((t) => TYPE_FILTERS[t]).filter((x): x is (f: FileRow) => boolean => !!x);
  const from = tsBound(call.params.ts_from);
  const to = tsBound(call.params.ts_to);
  const count = Math.min(Math.max(int(call.params.count, 100), 1), 1000);
  // Bounded: a huge page is an empty page, never an OFFSET Postgres cannot hold.
  const page = intInRange(call.params.page, 1, 1, MAX_PAGE);
  const all = (await visibleFiles(call.ctx.db, call.caller, {})).filter(
    (f) =>
      f.state === 'complete' &&
      (!channel || f.channels.includes(channel)) &&
      (!user || f.user_id === user) &&
      (from === null || Number(f.created) >= from) &&
      (to === null || Number(f.created) <= to) &&
      (filters.length === 0 || filters.some((fn) => fn(f))),
  );
  const pages = Math.ceil(all.length / count);
  const slice = all.slice((page - 1) * count, page * count);
  return { files: await renderFiles(call.ctx.db, slice, call.ctx.env.publicUrl), paging: { count, total: all.length, page, pages } };
};

const del: Handler = async (call) => {
  const f = await visibleFile(call);
  const adminDelete = call.caller.kind === 'user' && call.caller.isAdmin;
  if (f.user_id !== call.caller.userId && !adminDelete) fail('cant_delete_file');
  await call.ctx.db.q`delete from files where id = ${f.id}`;
  return {};
};

export const filesMethods: Record<string, Handler> = {
  'files.getUploadURLExternal': getUploadURLExternal,
  'files.completeUploadExternal': completeUploadExternal,
  'files.info': info,
  'files.list': list,
  'files.delete': del,
  'files.comments.delete': commentsDelete,
};
