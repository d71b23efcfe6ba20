import { randomString } from '../../../_kit/auth.ts';
import { str } from '../../../_kit/http.ts';
import { fail } from '../errors.ts';
import { renderFiles, visibleFiles, type FileRow } from '../files.ts';
import { encodeCursor, microsFromTs, slackId } from '../ids.ts';
import { insertMessage } from '../store.ts';
import type { Call, Handler } from '../types.ts';
import { announceMessage } from './chat.ts';
import { assertCanPost, cursorValue, metaCursor, pageLimit, resolveTarget } from './common.ts';

/**
 * files.remote.* (files an app keeps elsewhere, registered by external_id), public links
 * (files.sharedPublicURL / revokePublicURL). Remote files live in
 * the files table (mode "external", no bytes); they belong to the app that added them and,
 * as in Slack, exist workspace-wide: any token of the workspace can read them.
 */

const seconds = (call: Call) => Math.floor(call.ctx.now().getTime() / 1000);
const MAX_TITLE = 255;
const MAX_EXTERNAL_ID = 255;

function bad(what: string): never {
  fail('invalid_arguments', { response_metadata: { messages: [`[ERROR] ${what}`] } });
}

/** Remote-file writes are the app's: only bot tokens (remote_files:write is a bot scope). */
function requireBot(call: Call): void {
  if (call.caller.kind !== 'bot' || !call.caller.appId) fail('not_allowed_token_type');
}

async function remoteFile(call: Call, writable: boolean): Promise<FileRow> {
  const id = str(call.params.file)?.trim() || null;
  const externalId = str(call.params.external_id)?.trim() || null;
  if (!id && !externalId) fail('file_not_found');
  // Writes reach only the caller's app's files; reads any of the workspace.
  const app = writable ? call.caller.appId : null;
  const rows = await call.ctx.db.q<FileRow>`select * from files where team_id = ${call.caller.teamId} and external_id is not null
    and (${id}::text is null or id = ${id}) and (${externalId}::text is null or external_id = ${externalId})
    and (${app}::text is null or app_id = ${app}) order by seq limit 1`;
  if (!rows[0]) fail('file_not_found');
  return rows[0];
}

async function one(call: Call, f: FileRow): Promise<Record<string, unknown>> {
  const [file] = await renderFiles(call.ctx.db, [f], call.ctx.env.publicUrl);
  return file as Record<string, unknown>;
}

function checkTitle(v: unknown, required: boolean): string | null {
  const title = str(v);
  if (title === undefined || title === '') {
    if (required) bad('missing required field: title');
    return null;
  }
  if (title.length > MAX_TITLE) fail('bad_title');
  return title;
}

function checkUrl(v: unknown, required: boolean): string | null {
  const url = str(v)?.trim();
  if (!url) {
    if (required) bad('missing required field: external_url');
    return null;
  }
  if (!/^https?:\/\/\S+$/i.test(url)) fail('invalid_external_url');
  return url;
}

/** Upsert by external_id, as Slack documents: adding the same external_id again updates the file. */
const remoteAdd: Handler = async (call) => {
  requireBot(call);
  const externalId = str(call.params.external_id)?.trim();
  if (!externalId) bad('missing required field: external_id');
  if (externalId.length > MAX_EXTERNAL_ID) fail('invalid_external_id');
  const url = checkUrl(call.params.external_url, true) as string;
  const title = checkTitle(call.params.title, true) as string;
  const filetype = str(call.params.filetype)?.trim() || 'remote';
  const now = seconds(call);
  const c = call.caller;
  const rows = await call.ctx.db.q<FileRow>`insert into files (id, team_id, user_id, bot_id, app_id, name, title, length, size, mimetype, filetype, state, created, updated, external_id, external_url)
    values (${slackId('F')}, ${c.teamId}, ${c.userId}, ${c.botId}, ${c.appId}, ${title}, ${title}, 0, 0, 'application/vnd.slack-remote', ${filetype}, 'complete', ${now}, ${now}, ${externalId}, ${url})
    on conflict (team_id, app_id, external_id) where external_id is not null
    do update set name = excluded.name, title = excluded.title, external_url = excluded.external_url, filetype = excluded.filetype, updated = excluded.updated
    returning *`;
  return { file: await one(call, rows[0] as FileRow) };
};

const remoteUpdate: Handler = async (call) => {
  requireBot(call);
  const f = await remoteFile(call, true);
  const title = checkTitle(call.params.title, false);
  const url = checkUrl(call.params.external_url, false);
  const filetype = str(call.params.filetype)?.trim() || null;
  const rows = await call.ctx.db.q<FileRow>`update files set title = coalesce(${title}, title), name = coalesce(${title}, name),
      external_url = coalesce(${url}, external_url), filetype = coalesce(${filetype}, filetype), updated = ${seconds(call)}
    where id = ${f.id} returning *`;
  return { file: await one(call, rows[0] as FileRow) };
};

const remoteInfo: Handler = async (call) => ({ file: await one(call, await remoteFile(call, false)) });

const remoteList: Handler = async (call) => {
  const channel = str(call.params.channel)?.trim() || null;
  const from = tsSeconds(call.params.ts_from);
  const to = tsSeconds(call.params.ts_to);
  const limit = pageLimit(call.params.limit, 100, 1000);
  const afterSeq = cursorValue(call.params.cursor, 'seq');
  const rows = await call.ctx.db.q<FileRow>`select * from files where team_id = ${call.caller.teamId} and external_id is not null
    and (${channel}::text is null or ${channel} = any(channels))
    and (${from}::bigint is null or created >= ${from}::bigint) and (${to}::bigint is null or created <= ${to}::bigint)
    and (${afterSeq}::bigint is null or seq < ${afterSeq}::bigint)
    order by seq desc limit ${limit + 1}`;
  const page = rows.slice(0, limit);
  const next = rows.length > limit ? encodeCursor('seq', String(page[page.length - 1]!.seq)) : null;
  return { files: await renderFiles(call.ctx.db, page, call.ctx.env.publicUrl), ...metaCursor(next) };
};

function tsSeconds(v: unknown): number | null {
  const s = str(v);
  if (!s) return null;
  const us = microsFromTs(s);
  return us === null ? null : Number(us / 1_000_000n);
}

const remoteRemove: Handler = async (call) => {
  requireBot(call);
  const f = await remoteFile(call, true);
  await call.ctx.db.q`delete from files where id = ${f.id}`;
  return {};
};

/** Posts the file into each channel (a file_share message, as a hosted file's share); the caller must be able to post there. */
const remoteShare: Handler = async (call) => {
  const raw = str(call.params.channels)?.trim();
  if (!raw) bad('missing required field: channels');
  const f = await remoteFile(call, false);
  const convs = [];
  for (const t of raw.split(',').map((x) => x.trim()).filter(Boolean)) {
    const { conv, member } = await resolveTarget(call, t);
    assertCanPost(call, conv, member);
    convs.push(conv);
  }
  const db = call.ctx.db;
  const c = call.caller;
  for (const conv of convs) {
    const row = await insertMessage(db, {
      conversationId: conv.id,
      teamId: c.teamId,
      userId: c.userId,
      botId: c.kind === 'bot' ? c.botId : null,
      appId: c.kind === 'bot' ? c.appId : null,
      subtype: 'file_share',
      text: '',
      fileIds: [f.id],
    });
    const share = JSON.stringify({ ts: row.ts });
    await db.q`update files set channels = case when ${conv.id} = any(channels) then channels else array_append(channels, ${conv.id}) end,
      shares = jsonb_set(shares, array[${conv.id}]::text[], coalesce(shares -> ${conv.id}, '[]'::jsonb) || jsonb_build_array(${share}::text::jsonb))
      where id = ${f.id}`;
    await announceMessage(call, row, conv);
  }
  const [fresh] = await db.q<FileRow>`select * from files where id = ${f.id}`;
  return { file: await one(call, fresh as FileRow) };
};

// ---- public links

async function ownFile(call: Call): Promise<FileRow> {
  const id = str(call.params.file)?.trim();
  if (!id) fail('file_not_found');
  const [f] = await visibleFiles(call.ctx.db, call.caller, { ids: [id] });
  if (!f || f.state !== 'complete') fail('file_not_found');
  return f;
}

/** Turns the file's public link on (user tokens: files:write is a user scope here); the secret is kept. */
const sharedPublicURL: Handler = async (call) => {
  const f = await ownFile(call);
  if (f.external_id !== null) fail('not_allowed');
  const rows = await call.ctx.db.q<FileRow>`update files set public_url_shared = true, pub_secret = coalesce(pub_secret, ${randomString(10, 'abcdef0123456789')})
    where id = ${f.id} returning *`;
  return { file: await one(call, rows[0] as FileRow) };
};

const revokePublicURL: Handler = async (call) => {
  const f = await ownFile(call);
  const rows = await call.ctx.db.q<FileRow>`update files set public_url_shared = false where id = ${f.id} returning *`;
  return { file: await one(call, rows[0] as FileRow) };
};


export const remoteFileMethods: Record<string, Handler> = {
  'files.remote.add': remoteAdd,
  'files.remote.update': remoteUpdate,
  'files.remote.info': remoteInfo,
  'files.remote.list': remoteList,
  'files.remote.remove': remoteRemove,
  'files.remote.share': remoteShare,
  'files.sharedPublicURL': sharedPublicURL,
  'files.revokePublicURL': revokePublicURL,
};
