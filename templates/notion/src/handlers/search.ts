import { validation } from '../errors.ts';
import type { DsRow, PageRow } from '../store.ts';
import { pageSize, paginate, plain, type Json } from '../util.ts';
import { seesAll, visibleIds } from '../sharing.ts';
import { asObj, listOf, type Call } from './common.ts';

/**
 * Search over page titles and data source titles: for the integration, only what is shared
 * with it and what lies under that ("Searches all parent or child pages and data_sources that
 * have been shared with a connection"); a person's token searches the whole workspace.
 */

export async function search(c: Call) {
  const q = c.body.query === undefined || c.body.query === null ? '' : c.body.query;
  if (typeof q !== 'string') throw validation(`body failed validation: body.query should be a string, instead was \`${JSON.stringify(q)}\`.`);
  const f = c.body.filter === undefined ? null : asObj(c.body.filter, 'body.filter');
  if (f && (f.property !== 'object' || (f.value !== 'page' && f.value !== 'data_source'))) {
    throw validation(`body failed validation: body.filter.value should be "page" or "data_source", instead was \`${JSON.stringify(f.value)}\`.`);
  }
  let dir = -1;
  if (c.body.sort !== undefined) {
    const s = asObj(c.body.sort, 'body.sort');
    if (s.timestamp !== 'last_edited_time') throw validation(`body failed validation: body.sort.timestamp should be "last_edited_time", instead was \`${JSON.stringify(s.timestamp)}\`.`);
    if (s.direction !== 'ascending' && s.direction !== 'descending') throw validation(`body failed validation: body.sort.direction should be "ascending" or "descending", instead was \`${JSON.stringify(s.direction)}\`.`);
    dir = s.direction === 'ascending' ? 1 : -1;
  }
  const size = pageSize(c.body.page_size);
  const needle = q.trim().toLowerCase();
  const hits: Json[] = [];
  // What the integration can see is worked out once (src/sharing.ts); a person sees it all.
  const visible = seesAll(c.caller) ? null : await visibleIds(c.ctx);
  const seen = (id: string) => visible === null || visible.has(id);
  if (!f || f.value === 'page') {
    for (const p of await c.ctx.db.q<PageRow>`select * from pages where not in_trash order by seq`) {
      if (!seen(p.id)) continue;
      if (needle && !(await c.store.pageTitle(p)).toLowerCase().includes(needle)) continue;
      hits.push(await c.store.renderPage(p));
    }
  }
  if (!f || f.value === 'data_source') {
    for (const s of await c.ctx.db.q<DsRow>`select s.* from data_sources s join databases d on d.id = s.database_id where not s.in_trash and not d.in_trash order by s.seq`) {
      if (!seen(s.id)) continue;
      if (needle && !plain(s.title).toLowerCase().includes(needle)) continue;
      hits.push(await c.store.renderDs(s));
    }
  }
  hits.sort((a, b) => dir * String(a.last_edited_time).localeCompare(String(b.last_edited_time)) || String(a.id).localeCompare(String(b.id)));
  return listOf('page_or_data_source', paginate(hits, (h) => h.id as string, c.body.start_cursor, size));
}
