import { clockNow } from '../../../_kit/clock.ts';
import { notFound, validation } from '../errors.ts';
import { compileFilter, compileSorts } from '../properties.ts';
import type { DsRow, PageRow } from '../store.ts';
import { iso, needId, pageSize, paginate, partialUser, type Json } from '../util.ts';
import { asObj, listOf, now, pathId, type Call } from './common.ts';

/**
 * Database views (Notion's Views API): each view is scoped to one data source of its
 * database and keeps its own filter, sorts, quick filters and layout configuration. A view
 * query runs the view's filter and sorts once and caches the matching pages for 15 minutes;
 * its results are read page by page. A view is visible to the integration when its database is.
 */

export const VIEW_TYPES = ['table', 'board', 'list', 'calendar', 'timeline', 'gallery', 'form', 'chart', 'map', 'dashboard'] as const;
/** "Cached results expire after 15 minutes" (Create a view query). */
const QUERY_TTL_MS = 15 * 60 * 1000;
/** "This endpoint caches up to 10,000 results per query" (Create a view query). */
const QUERY_CACHE_LIMIT = 10_000;

interface ViewRow {
  id: string;
  database_id: string;
  data_source_id: string | null;
  dashboard_view_id: string | null;
  name: string;
  type: string;
  filter: Json | null;
  sorts: Json[] | null;
  quick_filters: Json | null;
  configuration: Json | null;
  pos: number;
  created_time: Date;
  last_edited_time: Date;
  created_by: string;
  last_edited_by: string;
}

const render = (c: Call, v: ViewRow): Json => {
  const out: Json = {
    object: 'view',
    id: v.id,
    parent: { type: 'database_id', database_id: v.database_id },
    name: v.name,
    type: v.type,
    created_time: iso(v.created_time),
    last_edited_time: iso(v.last_edited_time),
    url: `${c.store.url(v.database_id)}?v=${v.id.replace(/-/g, '')}`,
    data_source_id: v.data_source_id,
    created_by: partialUser(v.created_by),
    last_edited_by: partialUser(v.last_edited_by),
    filter: v.filter,
    sorts: v.sorts,
    quick_filters: v.quick_filters,
    configuration: v.configuration,
  };
  if (v.dashboard_view_id) out.dashboard_view_id = v.dashboard_view_id;
  return out;
};

/** The view `id`, or 404 when it does not exist or its database is not visible to the caller. */
async function needView(c: Call, id: string): Promise<ViewRow> {
  const v = (await c.ctx.db.q<ViewRow>`select * from views where id = ${id}`)[0];
  if (!v || !(await c.store.canSee(v.database_id))) throw notFound('view', id);
  return v;
}

function viewType(v: unknown): string {
  if (v === undefined) throw validation('body failed validation: body.type should be defined, instead was `undefined`.');
  if (typeof v !== 'string' || !(VIEW_TYPES as readonly string[]).includes(v)) {
    throw validation(`body failed validation: body.type should be one of ${VIEW_TYPES.map((t) => `"${t}"`).join(', ')}, instead was \`${JSON.stringify(v)}\`.`);
  }
  return v;
}

function viewName(v: unknown): string {
  if (v === undefined) throw validation('body failed validation: body.name should be defined, instead was `undefined`.');
  if (typeof v !== 'string') throw validation(`body failed validation: body.name should be a string, instead was \`${JSON.stringify(v)}\`.`);
  return v;
}

/** The filter, sorts, quick filters and configuration of a create or update, checked against the data source's schema. */
function settings(c: Call, ds: DsRow | null, type: string): { filter?: Json | null; sorts?: Json[] | null; quick_filters?: Json | null; configuration?: Json | null } {
  const out: ReturnType<typeof settings> = {};
  const props = ds?.properties ?? [];
  if (c.body.filter !== undefined) {
    if (c.body.filter !== null) compileFilter(c.body.filter, props);
    out.filter = c.body.filter;
  }
  if (c.body.sorts !== undefined) {
    if (c.body.sorts !== null) compileSorts(c.body.sorts, props);
    out.sorts = c.body.sorts;
  }
  if (c.body.quick_filters !== undefined) {
    if (c.body.quick_filters !== null) {
      const q = asObj(c.body.quick_filters, 'body.quick_filters');
      for (const [prop, cond] of Object.entries(q)) {
        if (cond === null) continue;
        compileFilter({ property: prop, ...asObj(cond, `body.quick_filters.${prop}`) }, props, `body.quick_filters.${prop}`);
      }
    }
    out.quick_filters = c.body.quick_filters;
  }
  if (c.body.configuration !== undefined) {
    const conf = asObj(c.body.configuration, 'body.configuration');
    if (conf.type !== type) throw validation(`body failed validation: body.configuration.type should be \`${JSON.stringify(type)}\` (the view's type), instead was \`${JSON.stringify(conf.type)}\`.`);
    out.configuration = conf;
  }
  return out;
}

const jsonb = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));

export async function list(c: Call) {
  const dbParam = c.query.get('database_id');
  const dsParam = c.query.get('data_source_id');
  if (!dbParam && !dsParam) throw validation('query failed validation: one of query.database_id or query.data_source_id should be defined.');
  const size = pageSize(c.query.get('page_size') ?? undefined, 'query.page_size');
  let rows: ViewRow[];
  if (dsParam) {
    const ds = await c.store.needDs(needId(dsParam, 'query.data_source_id'));
    rows = await c.ctx.db.q<ViewRow>`select * from views where data_source_id = ${ds.id} order by pos, seq`;
  } else {
    const db = await c.store.needDb(needId(dbParam, 'query.database_id'));
    rows = await c.ctx.db.q<ViewRow>`select * from views where database_id = ${db.id} order by pos, seq`;
  }
  const page = paginate(rows, (r) => r.id, c.query.get('start_cursor') ?? undefined, size, 'query.start_cursor');
  return listOf('view', { ...page, results: page.results.map((r) => ({ object: 'view', id: r.id })) });
}

export async function create(c: Call) {
  const name = viewName(c.body.name);
  const type = viewType(c.body.type);
  const dsId = needId(c.body.data_source_id, 'body.data_source_id');
  const targets = ['database_id', 'view_id', 'create_database'].filter((k) => c.body[k] !== undefined);
  if (targets.length > 1) throw validation(`body failed validation: body.${targets.join(' and body.')} are mutually exclusive; send one of body.database_id, body.view_id, body.create_database.`);
  if (c.body.create_database !== undefined) throw validation('body failed validation: body.create_database (a linked database on a page) is not emulated by this asym Notion clone; create the view with body.database_id.');
  const ds = await c.store.needDs(dsId);
  let dbId = ds.database_id;
  let dashboard: ViewRow | null = null;
  if (c.body.view_id !== undefined) {
    dashboard = await needView(c, needId(c.body.view_id, 'body.view_id'));
    if (dashboard.type !== 'dashboard') throw validation(`body failed validation: body.view_id should be a dashboard view, instead was a ${dashboard.type} view.`);
    dbId = dashboard.database_id;
  } else if (c.body.database_id !== undefined) {
    dbId = needId(c.body.database_id, 'body.database_id');
    await c.store.needDb(dbId);
  } else throw validation('body failed validation: body.database_id should be defined, instead was `undefined`.');
  if (ds.database_id !== dbId) throw validation(`body failed validation: body.data_source_id ${ds.id} is not a data source of the database ${dbId}.`);
  const s = settings(c, ds, type);
  const id = crypto.randomUUID();
  const at = now();
  await c.ctx.db.tx(async (tx) => {
    const views = (await tx`select id, pos from views where database_id = ${dbId} order by pos, seq for update`) as Array<{ id: string; pos: number }>;
    const pos = c.body.position === undefined ? null : asObj(c.body.position, 'body.position');
    let at_pos = (views.at(-1)?.pos ?? 0) + 1;
    if (pos?.type === 'start') at_pos = (views[0]?.pos ?? 1) - 1;
    else if (pos?.type === 'after_view') {
      const after = needId(pos.view_id, 'body.position.view_id');
      const i = views.findIndex((v) => v.id === after);
      if (i < 0) throw notFound('view', after);
      at_pos = views[i + 1] ? (views[i]!.pos + views[i + 1]!.pos) / 2 : views[i]!.pos + 1;
    } else if (pos && pos.type !== 'end') throw validation(`body failed validation: body.position.type should be "start", "end" or "after_view", instead was \`${JSON.stringify(pos.type)}\`.`);
    await tx`insert into views (id, database_id, data_source_id, dashboard_view_id, name, type, filter, sorts, quick_filters, configuration, pos, created_time, last_edited_time, created_by, last_edited_by)
      values (${id}, ${dbId}, ${type === 'dashboard' ? null : ds.id}, ${dashboard?.id ?? null}, ${name}, ${type}, ${jsonb(s.filter)}::text::jsonb, ${jsonb(s.sorts)}::text::jsonb, ${jsonb(s.quick_filters)}::text::jsonb,
        ${jsonb(s.configuration ?? (type === 'dashboard' ? { type: 'dashboard', rows: [] } : null))}::text::jsonb, ${at_pos}, ${at}, ${at}, ${c.caller.userId}, ${c.caller.userId})`;
    if (dashboard) {
      // The new view becomes a widget of the dashboard: in a new row, or beside the widgets of an existing one.
      const conf = (dashboard.configuration ?? { type: 'dashboard', rows: [] }) as Json;
      const rows = (conf.rows ?? []) as Json[];
      const place = c.body.placement === undefined ? { type: 'new_row' } : asObj(c.body.placement, 'body.placement');
      const widget = { id: crypto.randomUUID(), view_id: id };
      if (place.type === 'existing_row') {
        const row = rows[Number(place.row_index)];
        if (!Number.isInteger(place.row_index) || !row) throw validation(`body failed validation: body.placement.row_index should be the index of an existing row (0 to ${rows.length - 1}), instead was \`${JSON.stringify(place.row_index)}\`.`);
        row.widgets.push(widget);
      } else if (place.type === 'new_row') {
        const idx = place.row_index === undefined ? rows.length : Number(place.row_index);
        if (!Number.isInteger(idx) || idx < 0 || idx > rows.length) throw validation(`body failed validation: body.placement.row_index should be between 0 and ${rows.length}, instead was \`${JSON.stringify(place.row_index)}\`.`);
        rows.splice(idx, 0, { id: crypto.randomUUID(), widgets: [widget] });
      } else throw validation(`body failed validation: body.placement.type should be "new_row" or "existing_row", instead was \`${JSON.stringify(place.type)}\`.`);
      await tx`update views set configuration = ${JSON.stringify({ ...conf, type: 'dashboard', rows })}::text::jsonb, last_edited_time = ${at}, last_edited_by = ${c.caller.userId} where id = ${dashboard.id}`;
    }
  });
  return render(c, await needView(c, id));
}

export async function get(c: Call) {
  return render(c, await needView(c, pathId(c, 0, 'view_id')));
}

export async function update(c: Call) {
  const v = await needView(c, pathId(c, 0, 'view_id'));
  const ds = v.data_source_id ? await c.store.ds(v.data_source_id) : null;
  const name = c.body.name === undefined ? v.name : viewName(c.body.name);
  const s = settings(c, ds, v.type);
  let quick = s.quick_filters === undefined ? v.quick_filters : s.quick_filters;
  // quick_filters merge by property: a null condition removes that property's quick filter.
  if (s.quick_filters) {
    quick = { ...(v.quick_filters ?? {}) };
    for (const [k, cond] of Object.entries(s.quick_filters)) {
      if (cond === null) delete quick[k];
      else quick[k] = cond;
    }
  }
  const pick = <K extends 'filter' | 'sorts' | 'configuration'>(k: K) => (s[k] === undefined ? v[k] : s[k]);
  await c.ctx.db.q`update views set name = ${name}, filter = ${jsonb(pick('filter'))}::text::jsonb, sorts = ${jsonb(pick('sorts'))}::text::jsonb, quick_filters = ${jsonb(quick)}::text::jsonb,
    configuration = ${jsonb(pick('configuration'))}::text::jsonb, last_edited_time = ${now()}, last_edited_by = ${c.caller.userId} where id = ${v.id}`;
  return render(c, await needView(c, v.id));
}

export async function remove(c: Call) {
  const v = await needView(c, pathId(c, 0, 'view_id'));
  await c.ctx.db.tx(async (tx) => {
    await tx`delete from view_queries where view_id = ${v.id}`;
    await tx`delete from views where id = ${v.id}`;
  });
  return { object: 'view', id: v.id, parent: { type: 'database_id', database_id: v.database_id }, type: v.type };
}

/** The pages of the view's data source that pass its filter (and quick filters), in its sort order. */
async function runView(c: Call, v: ViewRow): Promise<PageRow[]> {
  if (!v.data_source_id) throw validation('body failed validation: a dashboard view has no data source to query; query one of its widgets\' views.');
  const ds = await c.store.needDs(v.data_source_id);
  const conds = [v.filter, ...Object.entries(v.quick_filters ?? {}).map(([property, cond]) => ({ property, ...(cond as Json) }))].filter(Boolean);
  const match = conds.length ? compileFilter({ and: conds }, ds.properties) : () => true;
  const order = compileSorts(v.sorts ?? undefined, ds.properties);
  const light: Json[] = [];
  for (const r of await c.store.pagesOfDs(ds.id)) light.push({ id: r.id, row: r, created_time: iso(r.created_time), last_edited_time: iso(r.last_edited_time), properties: await c.store.renderProperties(r) });
  return light.filter(match).sort(order).map((x) => x.row as PageRow);
}

const incomplete = { type: 'incomplete', incomplete_reason: 'query_result_limit_reached' };

export async function createQuery(c: Call) {
  const v = await needView(c, pathId(c, 0, 'view_id'));
  const size = pageSize(c.body.page_size);
  const hits = await runView(c, v);
  const ids = hits.slice(0, QUERY_CACHE_LIMIT).map((p) => p.id);
  const id = crypto.randomUUID();
  const created = clockNow();
  const expires = new Date(created.getTime() + QUERY_TTL_MS);
  await c.ctx.db.q`insert into view_queries (id, view_id, page_ids, truncated, expires_at, created_time) values (${id}, ${v.id}, ${JSON.stringify(ids)}::text::jsonb, ${hits.length > QUERY_CACHE_LIMIT}, ${expires.toISOString()}, ${created.toISOString()})`;
  const page = paginate(ids, (x) => x, undefined, size);
  return {
    object: 'view_query',
    id,
    view_id: v.id,
    expires_at: expires.toISOString(),
    total_count: ids.length,
    results: page.results.map((p) => ({ object: 'page', id: p })),
    next_cursor: page.next_cursor,
    has_more: page.has_more,
    ...(hits.length > QUERY_CACHE_LIMIT ? { request_status: incomplete } : {}),
  };
}

export async function queryResults(c: Call) {
  const v = await needView(c, pathId(c, 0, 'view_id'));
  const qid = pathId(c, 1, 'query_id');
  const q = (await c.ctx.db.q<{ page_ids: string[]; truncated: boolean; expires_at: Date }>`select page_ids, truncated, expires_at from view_queries where id = ${qid} and view_id = ${v.id}`)[0];
  // "If the cache has expired, this endpoint returns a 404" (Get view query results).
  if (!q || new Date(q.expires_at).getTime() <= clockNow().getTime()) throw notFound('view query', qid);
  const size = pageSize(c.query.get('page_size') ?? undefined, 'query.page_size');
  const page = paginate(q.page_ids, (x) => x, c.query.get('start_cursor') ?? undefined, size, 'query.start_cursor');
  return { ...listOf('page', { ...page, results: page.results.map((p) => ({ object: 'page', id: p })) }), ...(q.truncated ? { request_status: incomplete } : {}) };
}

/** "Idempotent — it returns success even if the query doesn't exist or has already expired" (Delete a view query). */
export async function deleteQuery(c: Call) {
  const viewId = pathId(c, 0, 'view_id');
  const qid = pathId(c, 1, 'query_id');
  await c.ctx.db.q`delete from view_queries where id = ${qid} and view_id = ${viewId}`;
  return { object: 'view_query', id: qid, deleted: true };
}
