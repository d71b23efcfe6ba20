import { validation } from '../errors.ts';
import { pageSize, paginate } from '../util.ts';
import type { Call } from './common.ts';

/**
 * GET /v1/custom_emojis: the workspace's custom emojis (`{id, name, url}`), oldest first,
 * paged; `name` keeps the one of that exact name ("useful for resolving a custom emoji name to
 * its ID"). Members add them in Notion's settings, which the API cannot: here the admin route
 * POST /__asym/notion/custom-emojis does (src/admin-routes.ts).
 */
export async function list(c: Call) {
  const name = c.query.get('name');
  if (name !== null && !name) throw validation('query failed validation: query.name should be a non-empty string, instead was `""`.');
  const size = pageSize(c.query.get('page_size') ?? undefined, 'query.page_size');
  const rows =
    name === null
      ? await c.ctx.db.q<{ id: string; name: string; url: string }>`select id, name, url from custom_emojis order by seq`
      : await c.ctx.db.q<{ id: string; name: string; url: string }>`select id, name, url from custom_emojis where name = ${name} order by seq`;
  const page = paginate(rows, (r) => r.id, c.query.get('start_cursor') ?? undefined, size, 'query.start_cursor');
  return { object: 'list', type: 'custom_emoji', results: page.results.map((r) => ({ id: r.id, name: r.name, url: r.url })), has_more: page.has_more, next_cursor: page.next_cursor };
}
