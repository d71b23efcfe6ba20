import { randomBytes } from 'node:crypto';
import { KitError } from '../../../_kit/errors.ts';
import { json } from '../../../_kit/http.ts';
import type { KitContext } from '../../../_kit/types.ts';
import { notFound } from '../errors.ts';
import { listReply, pageOf } from '../paging.ts';
import * as render from '../render.ts';
import { userByLogin } from '../store.ts';
import type { Gh, Reply } from '../types.ts';
import { sinceOf } from './common.ts';

/**
 * GET /users/{username}/gists: the user's public gists, newest first, `since` (updated at or
 * after; not a timestamp: 422). Gists are made with POST /__asym/github/gists {user,
 * description?, public?, files: {name: {content}}} (the gists API is not emulated).
 */

interface GistRow {
  id: string;
  description: string | null;
  public: boolean;
  created_at: Date;
  updated_at: Date;
}

/** File type and language by extension, as GitHub names them. */
const KINDS: Record<string, [string, string]> = {
  md: ['text/markdown', 'Markdown'],
  js: ['application/javascript', 'JavaScript'],
  ts: ['application/typescript', 'TypeScript'],
  py: ['application/x-python', 'Python'],
  json: ['application/json', 'JSON'],
  sh: ['application/x-sh', 'Shell'],
  rb: ['application/x-ruby', 'Ruby'],
  go: ['text/x-go', 'Go'],
};

export async function listForUser(g: Gh): Promise<Reply> {
  const u = (await userByLogin(g, g.params.username ?? '')) ?? notFound();
  const since = sinceOf(g.query.since);
  const p = pageOf(g);
  const where = (select: string, tail = '') => g.ctx.db.unsafe<GistRow & { n: number }>(
    `select ${select} from gists where owner_id = $1 and public and ($2::timestamptz is null or updated_at >= $2) ${tail}`,
    [u.id, since],
  );
  const rows = await where('*', `order by created_at desc, id limit ${p.perPage} offset ${p.offset}`);
  const total = (await where('count(*)::int as n'))[0]?.n ?? 0;
  const files = rows.length ? await g.ctx.db.q<{ gist_id: string; filename: string; size: number }>`select gist_id, filename, octet_length(content)::int as size from gist_files where gist_id = any(${rows.map((r) => r.id)}::text[]) order by filename` : [];
  const owner = render.simpleUser(g.base, u);
  // Enterprise Server's form (`<host>/gist/...`): the clone has no gist host of its own.
  const html = `${render.htmlBase(g.base)}/gist`;
  return listReply(g, p, rows.map((r) => ({
    url: `${g.base}/gists/${r.id}`,
    forks_url: `${g.base}/gists/${r.id}/forks`,
    commits_url: `${g.base}/gists/${r.id}/commits`,
    id: r.id,
    node_id: render.nodeId('Gist', Number.parseInt(r.id.slice(0, 7), 16)),
    git_pull_url: `${html}/${r.id}.git`,
    git_push_url: `${html}/${r.id}.git`,
    html_url: `${html}/${u.login}/${r.id}`,
    files: Object.fromEntries(files.filter((f) => f.gist_id === r.id).map((f) => {
      const [type, language] = KINDS[f.filename.split('.').pop()!.toLowerCase()] ?? ['text/plain', 'Text'];
      return [f.filename, { filename: f.filename, type, language, raw_url: `${html}/${u.login}/${r.id}/raw/${encodeURIComponent(f.filename)}`, size: f.size }];
    })),
    public: r.public,
    created_at: render.iso(r.created_at),
    updated_at: render.iso(r.updated_at),
    description: r.description,
    comments: 0,
    comments_enabled: true,
    user: null,
    comments_url: `${g.base}/gists/${r.id}/comments`,
    owner,
    truncated: false,
  })), total);
}

/** POST /__asym/github/gists {user, description?, public?, files: {name: {content}}}. */
export async function adminCreate(b: Record<string, unknown>, ctx: KitContext): Promise<Response> {
  const user = (await ctx.db.q<{ id: number }>`select id from users where lower(login) = lower(${String(b.user ?? '')}) and type = 'User'`)[0];
  if (!user) throw new KitError('user_not_found', `no user ${String(b.user)}`, { status: 404 });
  const files = b.files && typeof b.files === 'object' && !Array.isArray(b.files) ? Object.entries(b.files as Record<string, { content?: unknown }>) : [];
  if (!files.length || files.some(([name, f]) => !name.trim() || typeof f?.content !== 'string' || !f.content)) throw new KitError('invalid_gist', 'files must map each filename to {content: a non-empty string}', { status: 400 });
  const id = randomBytes(16).toString('hex');
  const now = ctx.now();
  await ctx.db.tx(async (tx) => {
    await tx`insert into gists (id, owner_id, description, public, created_at, updated_at) values (${id}, ${user.id}, ${typeof b.description === 'string' ? b.description : null}, ${b.public !== false}, ${now}, ${now})`;
    for (const [name, f] of files) await tx`insert into gist_files (gist_id, filename, content) values (${id}, ${name}, ${f.content as string})`;
  });
  return json({ ok: true, gist: { id } });
}
