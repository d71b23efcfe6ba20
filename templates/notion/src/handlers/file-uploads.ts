import { clockNow } from '../../../_kit/clock.ts';
import type { KitContext } from '../../../_kit/types.ts';
import { notFound, validation } from '../errors.ts';
import type { Store } from '../store.ts';
import { iso, markAttached, needId, pageSize, paginate, type Json } from '../util.ts';
import { listOf, now, pathId, type Call } from './common.ts';

/**
 * File uploads (Notion's File Upload API): create an upload, send its bytes (multipart/form-data,
 * one request for single_part, numbered parts for multi_part), complete a multi-part upload,
 * retrieve and list the integration's uploads. The bytes are kept in Postgres; an uploaded
 * file is attached to blocks (image, file, pdf, audio, video), page icons and covers by
 * `{type: "file_upload", file_upload: {id}}` and is then served at the clone's own URL.
 */

const MODES = ['single_part', 'multi_part', 'external_url'] as const;
const STATUSES = ['pending', 'uploaded', 'expired', 'failed'] as const;
/** "The maximum allowed length of filename string is 900 bytes" (Create a file upload). */
const MAX_FILENAME_BYTES = 900;
/** Single-part uploads and each part of a multi-part upload: at most 20 MB. */
const MAX_PART_BYTES = 20 * 1024 * 1024;
/** Every part of a multi-part upload but the last: at least 5 MB. */
const MIN_PART_BYTES = 5 * 1024 * 1024;
const MAX_PARTS = 1000;
/** A pending upload (or an uploaded one never attached) expires an hour after it is created. */
const EXPIRY_MS = 60 * 60 * 1000;
/** What users.me reports as the workspace's max_file_upload_size_in_bytes (a paid workspace: 5 GiB). */
export const MAX_FILE_BYTES = 5 * 1024 * 1024 * 1024;

export interface UploadRow {
  id: string;
  mode: string;
  status: string;
  filename: string | null;
  content_type: string | null;
  content_length: string | number | null;
  number_of_parts: number | null;
  external_url: string | null;
  import_result: Json | null;
  expiry_time: Date | null;
  in_trash: boolean;
  created_time: Date;
  last_edited_time: Date;
  created_by: string;
}

/** The status as read now: a pending upload past its expiry time is expired. */
const statusOf = (u: UploadRow): string => (u.status === 'pending' && u.expiry_time && new Date(u.expiry_time).getTime() <= clockNow().getTime() ? 'expired' : u.status);

async function partsSent(c: Call, id: string): Promise<number> {
  return Number((await c.ctx.db.q<{ n: string }>`select count(*) as n from file_upload_parts where upload_id = ${id}`)[0]?.n ?? 0);
}

async function render(c: Call, u: UploadRow): Promise<Json> {
  const users = await c.store.users();
  const status = statusOf(u);
  const out: Json = {
    object: 'file_upload',
    id: u.id,
    created_time: iso(u.created_time),
    created_by: { id: u.created_by, type: users.get(u.created_by)?.type === 'bot' ? 'bot' : 'person' },
    last_edited_time: iso(u.last_edited_time),
    in_trash: u.in_trash,
    archived: u.in_trash,
    expiry_time: u.expiry_time ? iso(u.expiry_time) : null,
    status,
    filename: u.filename,
    content_type: u.content_type,
    content_length: u.content_length === null ? null : Number(u.content_length),
  };
  if (status === 'pending' && u.mode !== 'external_url') out.upload_url = `${c.store.base}/v1/file_uploads/${u.id}/send`;
  if (u.mode === 'multi_part') {
    if (status === 'pending') out.complete_url = `${c.store.base}/v1/file_uploads/${u.id}/complete`;
    out.number_of_parts = { total: u.number_of_parts, sent: await partsSent(c, u.id) };
  }
  if (u.import_result) out.file_import_result = u.import_result;
  return out;
}

/** The integration's upload `id` (uploads of another integration or person are not found). */
async function needUpload(c: Call, id: string): Promise<UploadRow> {
  const u = (await c.ctx.db.q<UploadRow>`select * from file_uploads where id = ${id}`)[0];
  if (!u || u.created_by !== c.caller.userId) throw notFound('file upload', id);
  return u;
}

const str = (v: unknown, path: string): string | undefined => {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw validation(`body failed validation: ${path} should be a string, instead was \`${JSON.stringify(v)}\`.`);
  return v;
};

export async function create(c: Call) {
  const mode = c.body.mode ?? 'single_part';
  if (!(MODES as readonly string[]).includes(mode)) throw validation(`body failed validation: body.mode should be one of "single_part", "multi_part", "external_url", instead was \`${JSON.stringify(mode)}\`.`);
  const filename = str(c.body.filename, 'body.filename');
  const contentType = str(c.body.content_type, 'body.content_type');
  if (filename !== undefined && Buffer.byteLength(filename) > MAX_FILENAME_BYTES) throw validation(`body failed validation: body.filename.length should be ≤ \`${MAX_FILENAME_BYTES}\` bytes, instead was \`${Buffer.byteLength(filename)}\`.`);
  let parts: number | null = null;
  if (mode === 'multi_part') {
    if (filename === undefined) throw validation('body failed validation: body.filename should be defined when body.mode is `"multi_part"`, instead was `undefined`.');
    const n = c.body.number_of_parts;
    if (n === undefined) throw validation('body failed validation: body.number_of_parts should be defined when body.mode is `"multi_part"`, instead was `undefined`.');
    if (!Number.isInteger(n) || n < 1 || n > MAX_PARTS) throw validation(`body failed validation: body.number_of_parts should be an integer between 1 and ${MAX_PARTS}, instead was \`${JSON.stringify(n)}\`.`);
    parts = n;
  } else if (c.body.number_of_parts !== undefined) throw validation('body failed validation: body.number_of_parts should be not present unless body.mode is `"multi_part"`.');
  const external = str(c.body.external_url, 'body.external_url');
  if (mode === 'external_url') {
    if (external === undefined) throw validation('body failed validation: body.external_url should be defined when body.mode is `"external_url"`, instead was `undefined`.');
    if (!/^https:\/\/\S+$/.test(external)) throw validation(`body failed validation: body.external_url should be an https URL, instead was \`${JSON.stringify(external)}\`.`);
    if (filename === undefined) throw validation('body failed validation: body.filename should be defined when body.mode is `"external_url"`, instead was `undefined`.');
  } else if (external !== undefined) throw validation('body failed validation: body.external_url should be not present unless body.mode is `"external_url"`.');
  const id = crypto.randomUUID();
  const at = clockNow();
  // The clone does not reach the internet: an external_url import fails as a download error would.
  const imported = mode === 'external_url' ? { imported_time: at.toISOString(), type: 'error', error: { type: 'download_error', code: 'download_failed', message: 'The asym Notion clone does not download external files; send the bytes with mode single_part or multi_part.', parameter: 'external_url', status_code: null } } : null;
  await c.ctx.db.q`insert into file_uploads (id, mode, status, filename, content_type, number_of_parts, external_url, import_result, expiry_time, created_time, last_edited_time, created_by)
    values (${id}, ${mode}, ${imported ? 'failed' : 'pending'}, ${filename ?? null}, ${contentType ?? null}, ${parts}, ${external ?? null}, ${imported ? JSON.stringify(imported) : null}::text::jsonb,
      ${imported ? null : new Date(at.getTime() + EXPIRY_MS).toISOString()}, ${at.toISOString()}, ${at.toISOString()}, ${c.caller.userId})`;
  return render(c, await needUpload(c, id));
}

export async function send(c: Call) {
  const u = await needUpload(c, pathId(c, 0, 'file_upload_id'));
  const form = c.body.__form;
  if (!(form instanceof FormData)) throw validation('body failed validation: send the file as multipart/form-data with the contents under the `file` key.');
  const status = statusOf(u);
  if (u.mode === 'external_url') throw validation(`File upload ${u.id} is in external_url mode; its file is imported from the URL, not sent.`);
  if (status !== 'pending') throw validation(`File upload ${u.id} is ${status}; only a pending file upload accepts file contents.`);
  const file = form.get('file');
  if (file === null) throw validation('body failed validation: body.file should be defined, instead was `undefined`.');
  const blob = typeof file === 'string' ? new Blob([file]) : file;
  const bytes = new Uint8Array(await blob.arrayBuffer());
  if (bytes.length > MAX_PART_BYTES) throw validation(`body failed validation: the file contents should be at most ${MAX_PART_BYTES} bytes (20 MB) per request, instead were ${bytes.length}; use mode multi_part for larger files.`);
  const rawPart = form.get('part_number');
  let part = 1;
  if (u.mode === 'multi_part') {
    if (rawPart === null) throw validation('body failed validation: body.part_number should be defined for a multi_part upload, instead was `undefined`.');
    part = Number(rawPart);
    if (!/^\d+$/.test(String(rawPart)) || part < 1 || part > u.number_of_parts!) throw validation(`body failed validation: body.part_number should be an integer between 1 and ${u.number_of_parts}, instead was \`${JSON.stringify(rawPart)}\`.`);
    if (part < u.number_of_parts! && bytes.length < MIN_PART_BYTES) throw validation(`body failed validation: every part but the last should be at least ${MIN_PART_BYTES} bytes (5 MB), instead part ${part} was ${bytes.length}.`);
  } else if (rawPart !== null) throw validation('body failed validation: body.part_number should be not present for a single_part upload.');
  const name = file instanceof File && file.name && file.name !== 'blob' ? file.name : null;
  const type = blob.type ? blob.type.split(';')[0]! : null;
  const at = now();
  await c.ctx.db.tx(async (tx) => {
    await tx`insert into file_upload_parts (upload_id, part_number, data) values (${u.id}, ${part}, ${bytes}) on conflict (upload_id, part_number) do update set data = excluded.data`;
    if (u.mode === 'single_part') {
      await tx`update file_uploads set status = 'uploaded', content_length = ${bytes.length}, filename = coalesce(${name}, filename, 'upload'), content_type = coalesce(content_type, ${type}, 'application/octet-stream'), last_edited_time = ${at} where id = ${u.id}`;
    } else await tx`update file_uploads set last_edited_time = ${at} where id = ${u.id}`;
  });
  return render(c, await needUpload(c, u.id));
}

export async function complete(c: Call) {
  const u = await needUpload(c, pathId(c, 0, 'file_upload_id'));
  if (u.mode !== 'multi_part') throw validation(`File upload ${u.id} is in ${u.mode} mode; only a multi_part upload is completed.`);
  const status = statusOf(u);
  if (status !== 'pending') throw validation(`File upload ${u.id} is ${status}; only a pending file upload can be completed.`);
  const sent = await c.ctx.db.q<{ part_number: number; size: number }>`select part_number, length(data) as size from file_upload_parts where upload_id = ${u.id} order by part_number`;
  const have = new Set(sent.map((p) => p.part_number));
  const missing = Array.from({ length: u.number_of_parts! }, (_, i) => i + 1).filter((n) => !have.has(n));
  if (missing.length) throw validation(`File upload ${u.id} is missing parts ${missing.join(', ')} of ${u.number_of_parts}; send every part before completing it.`);
  const total = sent.reduce((n, p) => n + Number(p.size), 0);
  if (total > MAX_FILE_BYTES) throw validation(`The file is ${total} bytes, over the workspace's limit of ${MAX_FILE_BYTES} bytes per file.`);
  await c.ctx.db.q`update file_uploads set status = 'uploaded', content_length = ${total}, content_type = coalesce(content_type, 'application/octet-stream'), last_edited_time = ${now()} where id = ${u.id}`;
  return render(c, await needUpload(c, u.id));
}

export async function get(c: Call) {
  return render(c, await needUpload(c, pathId(c, 0, 'file_upload_id')));
}

export async function list(c: Call) {
  const status = c.query.get('status');
  if (status !== null && !(STATUSES as readonly string[]).includes(status)) throw validation(`query failed validation: query.status should be one of "pending", "uploaded", "expired", "failed", instead was \`${JSON.stringify(status)}\`.`);
  const size = pageSize(c.query.get('page_size') ?? undefined, 'query.page_size');
  const rows = (await c.ctx.db.q<UploadRow>`select * from file_uploads where created_by = ${c.caller.userId} and not in_trash order by seq desc`).filter((u) => status === null || statusOf(u) === status);
  const page = paginate(rows, (u) => u.id, c.query.get('start_cursor') ?? undefined, size, 'query.start_cursor');
  return listOf('file_upload', { ...page, results: await Promise.all(page.results.map((u) => render(c, u))) });
}

// ---- attaching uploads, and serving their bytes

/** The path an attached upload's bytes are served at (no token: like Notion's signed file URLs, it is unguessable). */
export const filePath = (id: string, filename: string) => `/_files/${id}/${encodeURIComponent(filename)}`;

/**
 * `{type: "file_upload", file_upload: {id}}` in a request (a block's file, an icon, a cover)
 * into the stored file object: the upload must be the caller's and uploaded. Attaching
 * keeps it for good (it no longer expires).
 */
export async function attachUpload(store: Store, raw: Json, path: string): Promise<Json> {
  const id = needId(raw.file_upload?.id, `${path}.file_upload.id`);
  const u = (await store.ctx.db.q<UploadRow>`select * from file_uploads where id = ${id}`)[0];
  if (!u || u.created_by !== store.caller.userId) throw validation(`Could not find a file upload with ID: ${id}.`);
  const status = statusOf(u);
  if (status !== 'uploaded') throw validation(`File upload ${id} is ${status}; only an uploaded file can be attached.`);
  await store.ctx.db.q`update file_uploads set expiry_time = null where id = ${id}`;
  return { type: 'file', file: { url: `${store.base}${filePath(id, u.filename ?? 'file')}` }, file_upload_id: id };
}

/** A stored file object as the API answers it: a file URL with an expiry an hour ahead, as Notion's signed URLs have. */
export function renderFile(f: Json | null | undefined): Json | null | undefined {
  if (!f || f.type !== 'file') return f;
  return { type: 'file', file: { url: f.file.url, expiry_time: new Date(clockNow().getTime() + EXPIRY_MS).toISOString() } };
}

/** GET /_files/<upload id>/<name>: the bytes of an uploaded file. */
export async function serveFile(ctx: KitContext, url: URL): Promise<Response | null> {
  const m = /^\/_files\/([0-9a-f-]{36})\/[^/]+$/.exec(url.pathname);
  if (!m) return null;
  const u = (await ctx.db.q<UploadRow>`select * from file_uploads where id = ${m[1]!} and status = 'uploaded'`)[0];
  if (!u) return new Response('not found', { status: 404 });
  const parts = await ctx.db.q<{ data: Uint8Array }>`select data from file_upload_parts where upload_id = ${u.id} order by part_number`;
  return new Response(new Blob(parts.map((p) => p.data as Uint8Array<ArrayBuffer>)), { headers: { 'content-type': u.content_type ?? 'application/octet-stream' } });
}

/**
 * Every `{type: "file_upload", file_upload: {id}}` of a request body (blocks' files, icons,
 * covers, at any depth) replaced by the attached file object, its other fields (caption,
 * name) kept; the block and icon parsers take only these as Notion-hosted files.
 */
export async function resolveUploads(store: Store, v: unknown, path = 'body'): Promise<unknown> {
  if (Array.isArray(v)) return Promise.all(v.map((x, i) => resolveUploads(store, x, `${path}[${i}]`)));
  if (!v || typeof v !== 'object') return v;
  const o = v as Json;
  if (o.file_upload !== undefined && (o.type === undefined || o.type === 'file_upload')) {
    const { file_upload: _, type: __, ...rest } = o;
    return markAttached({ ...rest, ...(await attachUpload(store, o, path)) });
  }
  const out: Json = {};
  for (const [k, x] of Object.entries(o)) out[k] = await resolveUploads(store, x, `${path}.${k}`);
  return out;
}

/** Whether a body mentions a file upload at all (most do not: they skip the walk). */
export const mentionsUpload = (body: unknown): boolean => !!body && typeof body === 'object' && JSON.stringify(body).includes('"file_upload"');
