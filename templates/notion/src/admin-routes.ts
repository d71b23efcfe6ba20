import type { SQL } from 'bun';
import { KitError } from '../../_kit/errors.ts';
import { json } from '../../_kit/http.ts';
import type { KitContext } from '../../_kit/types.ts';
import { share } from './sharing.ts';
import { normId } from './util.ts';

/**
 * Notion-specific admin routes (the kit mounts them under /__asym/notion/, admin-guarded):
 * what a workspace member does in Notion's "Add connections" menu, which the API has no
 * endpoint for.
 *   POST /__asym/notion/share   {id}  shares a page or database with the integration: it and
 *        everything under it become visible to the botToken (idempotent)
 *   POST /__asym/notion/unshare {id}  takes the share away: the integration gets 404 again for
 *        it and its subtree, unless an ancestor is shared too
 *   GET  /__asym/notion/shares        what is shared, oldest first
 *   POST /__asym/notion/custom-emojis {name, url}  adds a custom emoji to the workspace (as a
 *        member does in Settings); GET /v1/custom_emojis lists it
 */
async function body(req: Request): Promise<Record<string, unknown>> {
  try {
    const v = (await req.json()) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // named error below
  }
  throw new KitError('invalid_json', 'the body must be a JSON object {"id": "<page or database id>"}', { status: 400 });
}

/** The page or database named by `id` (dashed or not). */
async function target(ctx: KitContext, raw: unknown): Promise<{ id: string; object: 'page' | 'database' }> {
  const id = normId(raw);
  if (!id) throw new KitError('invalid_id', 'id must be a page or database id (a UUID, with or without dashes)', { status: 400 });
  if ((await ctx.db.q`select 1 from pages where id = ${id}`).length) return { id, object: 'page' };
  if ((await ctx.db.q`select 1 from databases where id = ${id}`).length) return { id, object: 'database' };
  if ((await ctx.db.q`select 1 from data_sources where id = ${id}`).length) throw new KitError('invalid_id', `${id} is a data source: share its database`, { status: 400 });
  throw new KitError('not_found', `no page or database ${id}`, { status: 404 });
}

const listShares = (ctx: KitContext) => ctx.db.q<{ id: string; object: string; shared_time: Date }>`select id, object, shared_time from shares order by shared_time, id`;

export async function notionAdminRoutes(req: Request, url: URL, ctx: KitContext): Promise<Response | null> {
  if (url.pathname === '/__asym/notion/shares' && req.method === 'GET') {
    return json({ ok: true, shares: (await listShares(ctx)).map((s) => ({ ...s, shared_time: new Date(s.shared_time).toISOString() })) });
  }
  if (req.method !== 'POST') return null;
  if (url.pathname === '/__asym/notion/share') {
    const t = await target(ctx, (await body(req)).id);
    await ctx.db.tx((tx) => share(tx as unknown as SQL, t.id, t.object, ctx.now()));
    return json({ ok: true, shared: true, ...t });
  }
  if (url.pathname === '/__asym/notion/custom-emojis') {
    const b = await body(req);
    if (typeof b.name !== 'string' || !/^[a-z0-9_-]{1,100}$/i.test(b.name)) throw new KitError('invalid_name', 'name must be 1-100 letters, digits, _ or - (how the emoji is typed, :name:)', { status: 400 });
    if (typeof b.url !== 'string' || !/^https?:\/\/\S+$/.test(b.url)) throw new KitError('invalid_url', 'url must be the http(s) URL of the emoji image', { status: 400 });
    const id = crypto.randomUUID();
    const made = await ctx.db.q`insert into custom_emojis (id, name, url, created_time) values (${id}, ${b.name}, ${b.url}, ${ctx.now()}) on conflict (name) do nothing returning id`;
    if (!made.length) throw new KitError('name_taken', `a custom emoji named ${b.name} exists already`, { status: 409 });
    return json({ ok: true, custom_emoji: { id, name: b.name, url: b.url } });
  }
  if (url.pathname === '/__asym/notion/unshare') {
    const t = await target(ctx, (await body(req)).id);
    const gone = await ctx.db.q`delete from shares where id = ${t.id} returning id`;
    return json({ ok: true, shared: false, was_shared: gone.length > 0, ...t });
  }
  return null;
}
