import { bearerToken } from '../../_kit/pipeline.ts';
import type { TokenCache } from '../../_kit/auth.ts';
import type { Db } from '../../_kit/db.ts';
import type { KitContext } from '../../_kit/types.ts';
import type { TokenLookup } from './auth.ts';
import type { Caller, ConversationRow } from './types.ts';

/**
 * Files: rows, their Slack JSON form, and the two HTTP surfaces outside /api:
 *   POST <ASYM_PUBLIC_URL>/upload/v1/<key>      the upload_url of files.getUploadURLExternal
 *                                                (raw body or multipart; no token: the key is the credential)
 *   GET  <ASYM_PUBLIC_URL>/files-pri/<team>-<file>/[download/]<name>
 *                                                url_private / url_private_download (Bearer token)
 * Bytes live in file_contents (Postgres), at most MAX_FILE_BYTES per file.
 */

export const MAX_FILE_BYTES = 50 * 1024 * 1024;

export interface FileRow {
  id: string;
  seq: string | number;
  team_id: string;
  user_id: string;
  bot_id: string | null;
  app_id: string | null;
  name: string;
  title: string;
  alt_text: string | null;
  snippet_type: string | null;
  length: string | number;
  size: string | number | null;
  mimetype: string;
  filetype: string;
  upload_key: string | null;
  state: 'pending' | 'uploaded' | 'complete';
  created: string | number;
  initial_comment: string | null;
  channels: string[];
  shares: Record<string, { ts: string; thread_ts?: string | null }[]>;
  /** files.remote.*: set for remote files (mode external), null for hosted ones. */
  external_id: string | null;
  external_url: string | null;
  updated: string | number | null;
  /** files.sharedPublicURL: the public link is on; pub_secret names it (kept once made). */
  public_url_shared: boolean;
  pub_secret: string | null;
}

// extension -> [filetype, mimetype, pretty_type]
const TYPES: Record<string, [string, string, string]> = {
  txt: ['text', 'text/plain', 'Plain Text'],
  text: ['text', 'text/plain', 'Plain Text'],
  log: ['text', 'text/plain', 'Plain Text'],
  md: ['markdown', 'text/markdown', 'Markdown (raw)'],
  csv: ['csv', 'text/csv', 'CSV'],
  json: ['json', 'application/json', 'JSON'],
  html: ['html', 'text/html', 'HTML'],
  xml: ['xml', 'text/xml', 'XML'],
  yaml: ['yaml', 'text/yaml', 'YAML'],
  yml: ['yaml', 'text/yaml', 'YAML'],
  js: ['javascript', 'text/javascript', 'JavaScript/JSON'],
  ts: ['typescript', 'text/plain', 'TypeScript'],
  py: ['python', 'text/x-python', 'Python'],
  sh: ['shell', 'text/x-sh', 'Shell'],
  sql: ['sql', 'text/x-sql', 'SQL'],
  png: ['png', 'image/png', 'PNG'],
  jpg: ['jpg', 'image/jpeg', 'JPEG'],
  jpeg: ['jpg', 'image/jpeg', 'JPEG'],
  gif: ['gif', 'image/gif', 'GIF'],
  webp: ['webp', 'image/webp', 'WebP'],
  svg: ['svg', 'image/svg+xml', 'SVG'],
  pdf: ['pdf', 'application/pdf', 'PDF'],
  zip: ['zip', 'application/zip', 'Zip'],
  gz: ['gzip', 'application/gzip', 'GZip'],
  mp3: ['mp3', 'audio/mpeg', 'MP3'],
  mp4: ['mp4', 'video/mp4', 'MPEG 4 Video'],
  docx: ['docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'Word Document'],
  xlsx: ['xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'Excel Spreadsheet'],
};

/** filetype, mimetype and pretty_type from the name (or the snippet_type Slack was given). */
export function fileKind(name: string, snippetType: string | null): { filetype: string; mimetype: string; pretty: string } {
  if (snippetType) {
    const known = Object.values(TYPES).find((t) => t[0] === snippetType);
    return { filetype: snippetType, mimetype: known?.[1].startsWith('text/') ? known[1] : 'text/plain', pretty: known?.[2] ?? snippetType };
  }
  const ext = /\.([A-Za-z0-9]+)$/.exec(name)?.[1]?.toLowerCase() ?? '';
  const t = TYPES[ext];
  return t ? { filetype: t[0], mimetype: t[1], pretty: t[2] } : { filetype: 'binary', mimetype: 'application/octet-stream', pretty: 'Binary' };
}

export function fileUrls(publicUrl: string, f: Pick<FileRow, 'id' | 'team_id' | 'user_id' | 'name'> & { pub_secret?: string | null }): { url_private: string; url_private_download: string; permalink: string; permalink_public: string } {
  const name = encodeURIComponent(f.name);
  const base = `${publicUrl}/files-pri/${f.team_id}-${f.id}`;
  return {
    url_private: `${base}/${name}`,
    url_private_download: `${base}/download/${name}`,
    permalink: `${publicUrl}/files/${f.user_id}/${f.id}/${name}`,
    // Served without a token only while public_url_shared, and only with the secret (files.sharedPublicURL).
    permalink_public: `${publicUrl}/files-pub/${f.team_id}-${f.id}-${f.pub_secret ?? 'unshared'}/${name}`,
  };
}

/** Remote files (files.remote.add): Slack's fixed type for them. */
export const REMOTE_KIND = { filetype: 'remote', mimetype: 'application/vnd.slack-remote', pretty: 'Remote' };

/**
 * SQL condition text is not composable with the tagged queries, so visibility is a
 * function: files the caller owns, or shared in a public channel or a conversation the
 * caller belongs to.
 */
export async function visibleFiles(db: Db, caller: Caller, where: { ids?: string[] }): Promise<FileRow[]> {
  const ids = where.ids ?? null;
  return db.q<FileRow>`select * from files f where f.team_id = ${caller.teamId}
    and (${ids}::text[] is null or f.id = any(${ids}::text[]))
    and (f.user_id = ${caller.userId} or (f.state = 'complete' and exists (select 1 from conversations c where c.id = any(f.channels)
      and ((c.kind = 'channel' and not c.is_private) or exists (select 1 from members mm where mm.conversation_id = c.id and mm.user_id = ${caller.userId})))))
    order by f.seq desc`;
}

function shareList(f: FileRow, conv: ConversationRow): Record<string, unknown>[] {
  return (f.shares[conv.id] ?? []).map((s) => {
    const out: Record<string, unknown> = { reply_users: [], reply_users_count: 0, reply_count: 0, ts: s.ts, channel_name: conv.name ?? '', team_id: f.team_id, share_user_id: f.user_id, source: 'UNKNOWN' };
    if (s.thread_ts) out.thread_ts = s.thread_ts;
    return out;
  });
}

/** Slack's file object. Conversations are looked up in one query for all rows. */
export async function renderFiles(db: Db, rows: FileRow[], publicUrl: string): Promise<Record<string, unknown>[]> {
  if (rows.length === 0) return [];
  const convIds = [...new Set(rows.flatMap((r) => r.channels))];
  const convs = new Map<string, ConversationRow>();
  if (convIds.length) for (const c of await db.q<ConversationRow>`select * from conversations where id = any(${convIds}::text[])`) convs.set(c.id, c);
  const ids = rows.map((r) => r.id);
  const counts = new Map((await db.q<{ file_id: string; n: number }>`select file_id, count(*)::int as n from file_comments where file_id = any(${ids}::text[]) group by file_id`).map((c) => [c.file_id, c.n]));
  return rows.map((f) => {
    const remote = f.external_id !== null && f.external_id !== undefined;
    const kind = remote ? REMOTE_KIND : fileKind(f.name, f.snippet_type);
    const channels: string[] = [];
    const groups: string[] = [];
    const ims: string[] = [];
    const shares: { public?: Record<string, unknown>; private?: Record<string, unknown> } = {};
    for (const id of f.channels) {
      const c = convs.get(id);
      if (!c) continue;
      const isPublic = c.kind === 'channel' && !c.is_private;
      (c.kind === 'im' || c.kind === 'mpim' ? ims : isPublic ? channels : groups).push(id);
      const side = isPublic ? 'public' : 'private';
      shares[side] = { ...(shares[side] ?? {}), [id]: shareList(f, c) };
    }
    const out: Record<string, unknown> = {
      id: f.id,
      created: Number(f.created),
      timestamp: Number(f.created),
      name: f.name,
      title: f.title,
      mimetype: f.mimetype,
      filetype: f.filetype,
      pretty_type: kind.pretty,
      user: f.user_id,
      user_team: f.team_id,
      editable: !!f.snippet_type,
      size: Number(f.size ?? f.length),
      mode: remote ? 'external' : f.snippet_type ? 'snippet' : 'hosted',
      is_external: remote,
      external_type: remote ? 'app' : '',
      is_public: channels.length > 0,
      public_url_shared: !!f.public_url_shared,
      display_as_bot: false,
      username: '',
      ...fileUrls(publicUrl, f),
      is_starred: false,
      has_rich_preview: false,
      file_access: 'visible',
      comments_count: counts.get(f.id) ?? 0,
      channels,
      groups,
      ims,
      shares,
    };
    if (remote) {
      out.external_id = f.external_id;
      out.external_url = f.external_url;
      out.updated = Number(f.updated ?? f.created);
    }
    if (f.alt_text) out.alt_txt = f.alt_text;
    if (f.bot_id) out.bot_id = f.bot_id;
    if (f.app_id) out.app_id = f.app_id;
    return out;
  });
}

/** A deleted file inside a message, as Slack shows it. */
export const tombstone = (id: string): Record<string, unknown> => ({ id, mode: 'tombstone' });

// ---------------------------------------------------------------------------------------
// HTTP: upload URL and private file URLs

const text = (body: string, status: number, headers: Record<string, string> = {}) => new Response(body, { status, headers: { 'content-type': 'text/plain; charset=utf-8', ...headers } });

async function upload(req: Request, key: string, ctx: KitContext): Promise<Response> {
  if (req.method !== 'POST' && req.method !== 'PUT') return text('method not allowed', 405);
  const rows = await ctx.db.q<FileRow>`select * from files where upload_key = ${key} and state <> 'complete'`;
  const f = rows[0];
  if (!f) return text('not found', 404);
  const declared = Number(req.headers.get('content-length') ?? 0);
  if (declared > MAX_FILE_BYTES + 64 * 1024) return text(`file too large: the limit is ${MAX_FILE_BYTES} bytes`, 413);
  let bytes: Uint8Array;
  const type = (req.headers.get('content-type') ?? '').toLowerCase();
  if (type.includes('multipart/form-data')) {
    const form = await req.formData();
    const blobs = [...form.values()].filter((v) => typeof v !== 'string') as Blob[];
    const named = form.get('file') ?? form.get('body') ?? form.get('filename');
    const file = named && typeof named !== 'string' ? (named as Blob) : blobs[0];
    if (!file) return text('no file part in the multipart body', 400);
    bytes = new Uint8Array(await file.arrayBuffer());
  } else {
    bytes = new Uint8Array(await req.arrayBuffer());
  }
  if (bytes.length > MAX_FILE_BYTES) return text(`file too large: the limit is ${MAX_FILE_BYTES} bytes`, 413);
  await ctx.db.tx(async (tx) => {
    await tx`insert into file_contents (file_id, bytes) values (${f.id}, ${bytes}) on conflict (file_id) do update set bytes = excluded.bytes`;
    await tx`update files set size = ${bytes.length}, state = 'uploaded' where id = ${f.id}`;
  });
  return text(`OK - ${bytes.length}`, 200);
}

function signinPage(publicUrl: string, path: string): Response {
  const body = `<!DOCTYPE html><html><head><title>Sign in | Slack</title></head><body><h1>Sign in to Acme</h1><p>This file needs a token: send <code>Authorization: Bearer xox…</code>.</p><form action="${publicUrl}/signin?redir=${encodeURIComponent(path)}"></form></body></html>`;
  return new Response(body, { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' } });
}

/** permalink_public: no token, but the file's secret, and only while its public link is on. */
async function servePublic(req: Request, ctx: KitContext, teamId: string, fileId: string, secret: string): Promise<Response> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return text('method not allowed', 405);
  const rows = await ctx.db.q<FileRow & { bytes: Uint8Array | null }>`select f.*, c.bytes from files f left join file_contents c on c.file_id = f.id
    where f.id = ${fileId} and f.team_id = ${teamId} and f.public_url_shared and f.pub_secret = ${secret} and f.state = 'complete'`;
  const f = rows[0];
  if (!f || !f.bytes) return text('file not found', 404);
  const headers = { 'content-type': f.mimetype, 'content-length': String(f.bytes.length), 'cache-control': 'public, max-age=300' };
  return new Response(req.method === 'HEAD' ? null : f.bytes, { status: 200, headers });
}

/** Routes for /upload/v1/*, /files-pri/*, /files-pub/* and /signin; null for any other path. */
export async function serveFiles(req: Request, url: URL, ctx: KitContext, tokens: TokenCache<TokenLookup>): Promise<Response | null> {
  const up = /^\/upload\/v1\/([A-Za-z0-9_-]+)$/.exec(url.pathname);
  if (up) return upload(req, up[1] as string, ctx);
  if (url.pathname === '/signin') return signinPage(ctx.env.publicUrl, url.searchParams.get('redir') ?? '/');
  const pub = /^\/files-pub\/([A-Z0-9]+)-([A-Z0-9]+)-([A-Za-z0-9]+)\/[^/]+$/.exec(url.pathname);
  if (pub) return servePublic(req, ctx, pub[1] as string, pub[2] as string, pub[3] as string);
  const m = /^\/files-pri\/([A-Z0-9]+)-([A-Z0-9]+)\/(download\/)?[^/]+$/.exec(url.pathname);
  if (!m) return null;
  if (req.method !== 'GET' && req.method !== 'HEAD') return text('method not allowed', 405);
  // Without a valid token Slack answers with its sign-in page (a redirect, then HTML), not 401.
  const token = bearerToken(req);
  const found = token ? await tokens.resolve(token) : null;
  if (!found || found.revoked || found.deleted || found.teamId !== m[1]) {
    return new Response(null, { status: 302, headers: { location: `${ctx.env.publicUrl}/signin?redir=${encodeURIComponent(url.pathname)}` } });
  }
  const [f] = await visibleFiles(ctx.db, found, { ids: [m[2] as string] });
  if (!f || f.state === 'pending') return text('file not found', 404);
  const rows = await ctx.db.q<{ bytes: Uint8Array }>`select bytes from file_contents where file_id = ${f.id}`;
  if (!rows[0]) return text('file not found', 404);
  const headers: Record<string, string> = { 'content-type': f.mimetype, 'content-length': String(rows[0].bytes.length), 'cache-control': 'private, max-age=300' };
  if (m[3]) headers['content-disposition'] = `attachment; filename="${f.name.replace(/["\\\r\n]/g, '_')}"`;
  return new Response(req.method === 'HEAD' ? null : rows[0].bytes, { status: 200, headers });
}
