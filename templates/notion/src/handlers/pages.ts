import type { SQL } from 'bun';
import type { Caller } from '../auth.ts';
import { parseBlocks } from '../blocks.ts';
import { notionError, validation } from '../errors.ts';
import { findProp, storedValue, type PropConfig, type ValueEnv } from '../properties.ts';
import type { DsRow, PageRow, Store } from '../store.ts';
import { cover, icon, needId, pageSize, paginate, richText, type Json } from '../util.ts';
import { ARCHIVED, asObj, names, now, onlyProperties, pathId, valueEnv, type Call } from './common.ts';
import { seesAll } from '../sharing.ts';
import { insertBlocks, parentPageFor, placeholderBlock } from './tree.ts';

/** Pages: create (a data source row or a page under a page), retrieve, update, one property, move. */

/** The one property a page under a page has, by any of the names clients send it under. */
const TITLE_KEYS = ['title', 'Title', 'Name'];

/** What writing property values yields: the values, the schema when a value changed it (a new select option), the relation changes. */
interface Written {
  values: Json;
  schema: PropConfig[] | null;
  relations: Array<{ prop: PropConfig; before: string[]; after: string[] }>;
}

/** A data source row's property values, checked (through the pool) before the transaction that writes them. */
interface RowValues {
  ds: DsRow;
  env: ValueEnv;
  written: Written;
}

/** Writes relation values and keeps dual relations in sync on the related pages. */
async function syncDual(tx: SQL, pageId: string, prop: PropConfig, before: string[], after: string[]): Promise<void> {
  if (prop.type !== 'relation' || prop.relation.type !== 'dual_property') return;
  const twinId = prop.relation.dual_property?.synced_property_id as string | undefined;
  if (!twinId) return;
  const removed = before.filter((x) => !after.includes(x));
  const added = after.filter((x) => !before.includes(x));
  for (const id of [...removed, ...added]) {
    const other = (await tx`select "values" from pages where id = ${id}`)[0] as { values: Json } | undefined;
    if (!other) continue;
    const cur = ((other.values[twinId] ?? []) as string[]).filter((x) => x !== pageId);
    if (added.includes(id)) cur.push(pageId);
    await tx`update pages set "values" = jsonb_set("values", array[${twinId}::text], ${JSON.stringify(cur)}::text::jsonb) where id = ${id}`;
  }
}

async function writeValues(env: ValueEnv, ds: DsRow, input: unknown, current: Json): Promise<Written> {
  const schema = ds.properties.map((p) => structuredClone(p));
  let changed = false;
  const values = { ...current };
  const relations: Written['relations'] = [];
  for (const [key, raw] of Object.entries(asObj(input ?? {}, 'body.properties'))) {
    const prop = findProp(schema, key);
    if (!prop) throw validation(`${key} is not a property that exists.`);
    const { value, schemaChanged } = storedValue(prop, raw, env);
    changed ||= schemaChanged;
    if (prop.type === 'relation') relations.push({ prop, before: (current[prop.id] ?? []) as string[], after: value as string[] });
    values[prop.id] = value;
  }
  return { values, schema: changed ? schema : null, relations };
}

async function rowValues(store: Store, ds: DsRow, input: unknown, current: Json): Promise<RowValues> {
  const env = await valueEnv(store);
  return { ds, env, written: await writeValues(env, ds, input, current) };
}

/** The data source row, locked for this transaction, with its current schema. */
async function lockDs(tx: SQL, ds: DsRow): Promise<DsRow> {
  const r = (await tx`select properties, next_unique from data_sources where id = ${ds.id} for update`)[0];
  return { ...ds, properties: r.properties as PropConfig[], next_unique: Number(r.next_unique) };
}

/** Values that changed the schema, read again against the schema locked in this transaction. */
const relocked = (row: RowValues, locked: DsRow, input: unknown, current: Json): Promise<Written> | Written =>
  row.written.schema ? writeValues(row.env, locked, input, current) : row.written;

/** After a row's values are written: the schema they changed, and the twins of its dual relations. */
async function keepSchemaAndRelations(tx: SQL, pageId: string, dsId: string, w: Written): Promise<void> {
  if (w.schema) await tx`update data_sources set properties = ${JSON.stringify(w.schema)}::text::jsonb where id = ${dsId}`;
  for (const r of w.relations) await syncDual(tx, pageId, r.prop, r.before, r.after);
}

async function trashPageTree(tx: SQL, pageId: string, trash: boolean): Promise<void> {
  await tx`update pages set in_trash = ${trash} where id = ${pageId}`;
  await tx`update blocks set in_trash = ${trash} where id = ${pageId}`;
}

// ---- POST /v1/pages, in steps: where the page goes, what it holds, the row written

/**
 * Where a new page goes, with what it holds: a data source row (values by the schema), a
 * page under a page (a title), or a private page at the workspace level (a title; a person's
 * token only: "available for public connections and personal access tokens").
 */
type Placement = ({ kind: 'row' } & RowValues) | { kind: 'child'; pageId: string; values: Json } | { kind: 'workspace'; values: Json };

const atWorkspace = (parent: Json) => parent.workspace === true || parent.type === 'workspace';

/** A database parent stands for its one live data source. */
async function rowSource(store: Store, parent: Json): Promise<DsRow> {
  if (parent.data_source_id !== undefined) return store.needDs(needId(parent.data_source_id, 'body.parent.data_source_id'));
  const dbId = needId(parent.database_id, 'body.parent.database_id');
  await store.needDb(dbId);
  const sources = (await store.dsOfDb(dbId)).filter((s) => !s.in_trash);
  if (sources.length !== 1) throw validation(`Database ${dbId} has ${sources.length} data sources; pass parent.data_source_id instead.`);
  return sources[0]!;
}

/** A page under a page can set only its title. */
function childPageValues(input: unknown, nm: (id: string) => string | undefined): Json {
  const props = (input ?? {}) as Json;
  const t = props.title ?? props.Title ?? props.Name;
  for (const k of Object.keys(props)) if (!TITLE_KEYS.includes(k)) throw validation(`Invalid property for a page whose parent is a page: ${k}. Only title can be set.`);
  return { title: t === undefined ? [] : richText(t.title ?? t, 'body.properties.title.title', nm) };
}

async function placement(c: Call, parent: Json, nm: (id: string) => string | undefined): Promise<Placement> {
  if (atWorkspace(parent) && seesAll(c.caller)) return { kind: 'workspace', values: childPageValues(c.body.properties, nm) };
  if (parent.data_source_id === undefined && parent.database_id === undefined) {
    const pageId = await parentPageFor(c.store, parent, 'body.parent');
    return { kind: 'child', pageId, values: childPageValues(c.body.properties, nm) };
  }
  const ds = await rowSource(c.store, parent);
  if (ds.in_trash) throw validation(ARCHIVED);
  return { kind: 'row', ...(await rowValues(c.store, ds, c.body.properties ?? {}, {})) };
}

/**
 * A row's values under its data source's lock: writes to one data source are serialised, so
 * unique ids and new select options never race.
 */
async function lockedRowValues(tx: SQL, row: RowValues, input: unknown): Promise<Written> {
  const locked = await lockDs(tx, row.ds);
  const written = await relocked(row, locked, input, {});
  if (locked.properties.some((p) => p.type === 'unique_id')) {
    written.values.__unique = locked.next_unique;
    await tx`update data_sources set next_unique = next_unique + 1 where id = ${row.ds.id}`;
  }
  return written;
}

interface NewPage {
  id: string;
  at: string;
  parent: Json;
  dataSourceId: string | null;
  values: Json;
  icon: Json | null;
  cover: Json | null;
}

async function insertPage(tx: SQL, caller: Caller, p: NewPage): Promise<void> {
  await tx`insert into pages (id, parent, data_source_id, "values", icon, cover, created_time, last_edited_time, created_by, last_edited_by)
    values (${p.id}, ${JSON.stringify(p.parent)}::text::jsonb, ${p.dataSourceId}, ${JSON.stringify(p.values)}::text::jsonb, ${p.icon ? JSON.stringify(p.icon) : null}::text::jsonb, ${p.cover ? JSON.stringify(p.cover) : null}::text::jsonb, ${p.at}, ${p.at}, ${caller.userId}, ${caller.userId})`;
}

export async function create(c: Call) {
  // A person may leave the parent out: the page is theirs, at the workspace level.
  const parent = c.body.parent === undefined && seesAll(c.caller) ? { workspace: true } : asObj(c.body.parent, 'body.parent');
  const nm = await names(c.store);
  const children = c.body.children === undefined ? [] : parseBlocks(c.body.children, 'body.children', nm);
  const look = {
    icon: c.body.icon === undefined ? null : icon(c.body.icon, 'body.icon'),
    cover: c.body.cover === undefined ? null : cover(c.body.cover, 'body.cover'),
  };
  const page = { id: crypto.randomUUID(), at: now(), ...look };
  const to = await placement(c, parent, nm);
  await c.ctx.db.tx(async (txx) => {
    const tx = txx as unknown as SQL;
    if (to.kind === 'row') {
      const written = await lockedRowValues(tx, to, c.body.properties ?? {});
      const rowParent = { type: 'data_source_id', data_source_id: to.ds.id, database_id: to.ds.database_id };
      await insertPage(tx, c.caller, { ...page, parent: rowParent, dataSourceId: to.ds.id, values: written.values });
      await keepSchemaAndRelations(tx, page.id, to.ds.id, written);
    } else if (to.kind === 'child') {
      await insertPage(tx, c.caller, { ...page, parent: { type: 'page_id', page_id: to.pageId }, dataSourceId: null, values: to.values });
      await placeholderBlock(tx, c.caller, page.id, to.pageId, 'child_page');
    } else {
      await insertPage(tx, c.caller, { ...page, parent: { type: 'workspace', workspace: true }, dataSourceId: null, values: to.values });
    }
    if (children.length) await insertBlocks(tx, c.caller, page.id, 'page_id', children, null);
  });
  if (to.kind === 'row') c.store.forget(to.ds.id);
  return c.store.renderPage(await c.store.needPage(page.id));
}

// ---- the other page operations

export async function get(c: Call) {
  const p = await c.store.renderPage(await c.store.needPage(pathId(c, 0, 'page_id')));
  p.properties = onlyProperties(p.properties as Json, c.query.getAll('filter_properties'));
  return p;
}

/** PATCH's property values: a row's through its data source's schema, a child page's title only. */
async function editedValues(c: Call, p: PageRow): Promise<RowValues | { ds: null; written: Written }> {
  if (c.body.properties === undefined) return { ds: null, written: { values: p.values, schema: null, relations: [] } };
  if (p.data_source_id) return rowValues(c.store, await c.store.needDs(p.data_source_id), c.body.properties, p.values);
  const props = asObj(c.body.properties, 'body.properties');
  const values = { ...p.values };
  for (const [k, v] of Object.entries(props)) {
    if (!TITLE_KEYS.includes(k)) throw validation(`${k} is not a property that exists.`);
    values.title = richText((v as Json)?.title ?? v, 'body.properties.title.title', await names(c.store));
  }
  return { ds: null, written: { values, schema: null, relations: [] } };
}

export async function update(c: Call) {
  const p = await c.store.needPage(pathId(c, 0, 'page_id'));
  const trashGiven = typeof c.body.in_trash === 'boolean' ? c.body.in_trash : typeof c.body.archived === 'boolean' ? c.body.archived : undefined;
  for (const k of ['in_trash', 'archived', 'is_locked'] as const) {
    if (c.body[k] !== undefined && typeof c.body[k] !== 'boolean') throw validation(`body failed validation: body.${k} should be a boolean, instead was \`${JSON.stringify(c.body[k])}\`.`);
  }
  const editing = c.body.properties !== undefined || c.body.icon !== undefined || c.body.cover !== undefined;
  if (p.in_trash && trashGiven !== false && editing) throw validation(ARCHIVED);
  const edit = await editedValues(c, p);
  const ic = c.body.icon === undefined ? p.icon : c.body.icon === null ? null : icon(c.body.icon, 'body.icon');
  const cv = c.body.cover === undefined ? p.cover : c.body.cover === null ? null : cover(c.body.cover, 'body.cover');
  await c.ctx.db.tx(async (txx) => {
    const tx = txx as unknown as SQL;
    const w = edit.ds && edit.written.schema ? await relocked(edit, await lockDs(tx, edit.ds), c.body.properties, p.values) : edit.written;
    await tx`update pages set "values" = ${JSON.stringify(w.values)}::text::jsonb, icon = ${ic ? JSON.stringify(ic) : null}::text::jsonb, cover = ${cv ? JSON.stringify(cv) : null}::text::jsonb,
      is_locked = ${typeof c.body.is_locked === 'boolean' ? c.body.is_locked : p.is_locked}, last_edited_time = ${now()}, last_edited_by = ${c.caller.userId} where id = ${p.id}`;
    if (trashGiven !== undefined) await trashPageTree(tx, p.id, trashGiven);
    if (edit.ds) await keepSchemaAndRelations(tx, p.id, edit.ds.id, w);
  });
  if (edit.ds) c.store.forget(edit.ds.id);
  return c.store.renderPage(await c.store.needPage(p.id));
}

export async function property(c: Call) {
  const p = await c.store.needPage(pathId(c, 0, 'page_id'));
  const key = c.ids[1] ?? '';
  const props = await c.store.renderProperties(p);
  const v = (Object.values(props) as Json[]).find((x) => x.id === key || x.id === decodeURIComponent(key)) ?? (props[key] as Json | undefined);
  if (!v) throw notionError(404, 'object_not_found', `Could not find property with ID: ${key}.`);
  const type = v.type as string;
  if (!['title', 'rich_text', 'people', 'relation'].includes(type)) return { object: 'property_item', id: v.id, type, [type]: v[type] };
  const items = (v[type] as Json[]).map((x, i) => ({ key: String(i), item: { object: 'property_item', id: v.id, type, [type]: x } }));
  const size = pageSize(c.query.get('page_size') ?? undefined, 'query.page_size');
  const page = paginate(items, (x) => x.key, c.query.get('start_cursor') ?? undefined, size, 'query.start_cursor');
  return {
    object: 'list',
    results: page.results.map((x) => x.item),
    next_cursor: page.next_cursor,
    has_more: page.has_more,
    type: 'property_item',
    property_item: { id: v.id, next_url: page.next_cursor ? `${c.store.base}/v1/pages/${p.id}/properties/${encodeURIComponent(v.id)}?start_cursor=${page.next_cursor}` : null, type, [type]: {} },
  };
}

export async function move(c: Call) {
  const p = await c.store.needPage(pathId(c, 0, 'page_id'));
  const parent = asObj(c.body.parent, 'body.parent');
  if (parent.page_id === undefined) throw validation('body failed validation: body.parent.page_id should be defined: this clone moves pages under pages only.');
  const target = await parentPageFor(c.store, parent, 'body.parent');
  if (target === p.id) throw validation('A page cannot be moved into itself.');
  if (p.data_source_id) throw validation('This clone moves only pages whose parent is a page (not data source rows).');
  await c.ctx.db.tx(async (txx) => {
    const tx = txx as unknown as SQL;
    await tx`update pages set parent = ${JSON.stringify({ type: 'page_id', page_id: target })}::text::jsonb, last_edited_time = ${now()}, last_edited_by = ${c.caller.userId} where id = ${p.id}`;
    await tx`delete from blocks where id = ${p.id}`;
    await placeholderBlock(tx, c.caller, p.id, target, 'child_page');
  });
  return c.store.renderPage(await c.store.needPage(p.id));
}
