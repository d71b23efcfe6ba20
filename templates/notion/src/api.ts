import type { SQL } from 'bun';
import type { KitContext } from '../../_kit/types.ts';
import type { Caller } from './auth.ts';
import { parseBlocks, blockContent, type BlockInput } from './blocks.ts';
import { fromMarkdown, parseInline, toMarkdown, type MdBlock } from './markdown.ts';
import { notFound, notionError, validation } from './errors.ts';
import { compileFilter, compileSorts, configOf, findProp, storedValue, type PropConfig, type ValueEnv } from './properties.ts';
import { Store, type BlockRow, type DsRow, type PageRow } from './store.ts';
import { cover, icon, iso, needId, normId, pageSize, paginate, plain, richText, shortId, type Json } from './util.ts';
import { clockNow } from '../../_kit/clock.ts';

/** Every handler of the Notion API this clone emulates. */
export interface Call {
  ctx: KitContext;
  store: Store;
  caller: Caller;
  body: Json;
  query: URLSearchParams;
  ids: string[];
}
export interface Route {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  handler: (c: Call) => Promise<unknown>;
}

const now = () => clockNow().toISOString();
const asObj = (v: unknown, path: string): Json => {
  if (v === undefined) throw validation(`body failed validation: ${path} should be defined, instead was \`undefined\`.`);
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw validation(`body failed validation: ${path} should be an object, instead was \`${JSON.stringify(v)}\`.`);
  return v as Json;
};
const pathId = (c: Call, i: number, name: string) => needId(c.ids[i], `path.${name}`);
const list = (type: string, page: { results: unknown[]; next_cursor: string | null; has_more: boolean }) => ({ object: 'list', results: page.results, next_cursor: page.next_cursor, has_more: page.has_more, type, [type]: {} });

async function valueEnv(store: Store): Promise<ValueEnv> {
  const users = await store.users();
  const pageDs = new Map((await store.ctx.db.q<{ id: string; data_source_id: string | null }>`select id, data_source_id from pages where not in_trash`).map((r) => [r.id, r.data_source_id]));
  return { userExists: (id) => users.has(id), pageIn: (id, ds) => pageDs.get(id) === ds, names: (id) => users.get(id)?.name ?? undefined };
}
const names = async (store: Store) => {
  const users = await store.users();
  return (id: string) => users.get(id)?.name ?? undefined;
};

// ---- users

const users: Route[] = [
  {
    method: 'GET',
    path: '/v1/users',
    handler: async (c) => {
      const all = [...(await c.store.users()).values()];
      const page = paginate(all, (u) => u.id, c.query.get('start_cursor') ?? undefined, pageSize(c.query.get('page_size') ?? undefined, 'query.page_size'), 'query.start_cursor');
      return { ...list('user', { ...page, results: await Promise.all(page.results.map((u) => c.store.renderUser(u))) }) };
    },
  },
  {
    method: 'GET',
    path: '/v1/users/me',
    handler: async (c) => c.store.renderUser((await c.store.users()).get(c.caller.userId)!),
  },
  {
    method: 'GET',
    path: '/v1/users/{user_id}',
    handler: async (c) => {
      const id = pathId(c, 0, 'user_id');
      const u = (await c.store.users()).get(id);
      if (!u) throw notFound('user', id);
      return c.store.renderUser(u);
    },
  },
];

// ---- databases and data sources

async function propertiesFrom(store: Store, input: unknown, path: string, selfDs?: { dataSourceId: string; databaseId: string }): Promise<PropConfig[]> {
  const obj = asObj(input, path);
  const out: PropConfig[] = [];
  for (const [name, raw] of Object.entries(obj)) {
    const conf = raw as Json;
    if (!conf || typeof conf !== 'object') throw validation(`body failed validation: ${path}.${name} should be an object, instead was \`${JSON.stringify(raw)}\`.`);
    const targets = new Map<string, { dataSourceId: string; databaseId: string }>();
    const dsId = normId(conf.relation?.data_source_id);
    if (dsId) {
      if (selfDs && dsId === selfDs.dataSourceId) targets.set(dsId, selfDs);
      else {
        const ds = await store.ds(dsId);
        if (ds) targets.set(dsId, { dataSourceId: ds.id, databaseId: ds.database_id });
      }
    }
    out.push(configOf(typeof conf.name === 'string' ? conf.name : name, conf, `${path}.${name}`, (id) => targets.get(id) ?? null));
  }
  const titles = out.filter((p) => p.type === 'title').length;
  if (titles > 1) throw validation('body failed validation: a data source can have only one title property.');
  return out;
}

/** Dual relations: each new one gets its synced twin on the related data source (read and written in `tx`). */
async function addSyncedTwins(tx: SQL, ds: { id: string; databaseId: string; title: Json[] }, props: PropConfig[]): Promise<void> {
  for (const p of [...props]) {
    if (p.type !== 'relation' || p.relation.type !== 'dual_property' || p.relation.dual_property?.synced_property_id) continue;
    const self = p.relation.data_source_id === ds.id;
    const target = self ? null : ((await tx`select id, properties from data_sources where id = ${p.relation.data_source_id} for update`)[0] as { id: string; properties: PropConfig[] } | undefined);
    const twinName = `Related to ${plain(ds.title) || 'Untitled'} (${p.name})`;
    const twin: PropConfig = {
      id: shortId(),
      name: twinName,
      type: 'relation',
      description: null,
      relation: { data_source_id: ds.id, database_id: ds.databaseId, type: 'dual_property', dual_property: { synced_property_id: p.id, synced_property_name: p.name } },
    };
    p.relation.dual_property = { synced_property_id: twin.id, synced_property_name: twinName };
    if (target) {
      target.properties.push(twin);
      await tx`update data_sources set properties = ${JSON.stringify(target.properties)}::text::jsonb, last_edited_time = ${now()} where id = ${target.id}`;
    } else props.push(twin);
  }
}

/** Validates a new data source's schema (before any transaction: it reads through the pool). */
async function dataSourceSchema(store: Store, id: string, dbId: string, propsInput: unknown): Promise<PropConfig[]> {
  const props = await propertiesFrom(store, propsInput ?? { Name: { title: {} } }, 'body.properties', { dataSourceId: id, databaseId: dbId });
  if (!props.some((p) => p.type === 'title')) throw validation('body failed validation: body.properties should have a title property.');
  return props;
}

async function createDataSource(tx: SQL, caller: Caller, id: string, dbId: string, title: Json[], props: PropConfig[], dsIcon: Json | null): Promise<string> {
  const at = now();
  await addSyncedTwins(tx, { id, databaseId: dbId, title }, props);
  await tx`insert into data_sources (id, database_id, title, properties, icon, created_time, last_edited_time, created_by, last_edited_by)
    values (${id}, ${dbId}, ${JSON.stringify(title)}::text::jsonb, ${JSON.stringify(props)}::text::jsonb, ${dsIcon ? JSON.stringify(dsIcon) : null}::text::jsonb, ${at}, ${at}, ${caller.userId}, ${caller.userId})`;
  return id;
}

async function parentPageFor(store: Store, parent: unknown, path: string): Promise<string> {
  const p = asObj(parent, path);
  if (p.workspace === true || p.type === 'workspace') throw validation(`body failed validation: ${path}: an internal integration cannot create content at the workspace level; use a page_id parent.`);
  const id = needId(p.page_id, `${path}.page_id`);
  await store.needLivePageOrBlock(id);
  const pg = await store.page(id);
  if (!pg) throw notFound('page', id);
  return id;
}

async function nextPos(tx: SQL, parentId: string): Promise<number> {
  const r = await tx`select coalesce(max(pos), 0) as m from blocks where parent_id = ${parentId}`;
  return Number(r[0]?.m ?? 0) + 1;
}

async function placeholderBlock(tx: SQL, caller: Caller, id: string, parentId: string, type: 'child_page' | 'child_database'): Promise<void> {
  const at = now();
  const pos = await nextPos(tx, parentId);
  await tx`insert into blocks (id, parent_type, parent_id, pos, type, content, created_time, last_edited_time, created_by, last_edited_by)
    values (${id}, 'page_id', ${parentId}, ${pos}, ${type}, '{}'::jsonb, ${at}, ${at}, ${caller.userId}, ${caller.userId})`;
}

const databases: Route[] = [
  {
    method: 'POST',
    path: '/v1/databases',
    handler: async (c) => {
      const parentId = await parentPageFor(c.store, c.body.parent, 'body.parent');
      const nm = await names(c.store);
      const title = richText(c.body.title ?? [], 'body.title', nm);
      const description = richText(c.body.description ?? [], 'body.description', nm);
      const ic = c.body.icon === undefined ? null : icon(c.body.icon, 'body.icon');
      const cv = c.body.cover === undefined ? null : cover(c.body.cover, 'body.cover');
      const init = c.body.initial_data_source === undefined ? {} : asObj(c.body.initial_data_source, 'body.initial_data_source');
      const id = crypto.randomUUID();
      const dsId = crypto.randomUUID();
      const schema = await dataSourceSchema(c.store, dsId, id, init.properties);
      const at = now();
      await c.ctx.db.tx(async (tx) => {
        await tx`insert into databases (id, parent, title, description, icon, cover, is_inline, created_time, last_edited_time, created_by, last_edited_by)
          values (${id}, ${JSON.stringify({ type: 'page_id', page_id: parentId })}::text::jsonb, ${JSON.stringify(title)}::text::jsonb, ${JSON.stringify(description)}::text::jsonb, ${ic ? JSON.stringify(ic) : null}::text::jsonb, ${cv ? JSON.stringify(cv) : null}::text::jsonb, ${c.body.is_inline === true}, ${at}, ${at}, ${c.caller.userId}, ${c.caller.userId})`;
        await createDataSource(tx as unknown as SQL, c.caller, dsId, id, title, schema, null);
        await placeholderBlock(tx as unknown as SQL, c.caller, id, parentId, 'child_database');
      });
      return c.store.renderDb(await c.store.needDb(id));
    },
  },
  {
    method: 'GET',
    path: '/v1/databases/{database_id}',
    handler: async (c) => c.store.renderDb(await c.store.needDb(pathId(c, 0, 'database_id'))),
  },
  {
    method: 'PATCH',
    path: '/v1/databases/{database_id}',
    handler: async (c) => {
      const d = await c.store.needDb(pathId(c, 0, 'database_id'));
      const nm = await names(c.store);
      const set: Json = {};
      if (c.body.title !== undefined) set.title = JSON.stringify(richText(c.body.title, 'body.title', nm));
      if (c.body.description !== undefined) set.description = JSON.stringify(richText(c.body.description, 'body.description', nm));
      if (c.body.icon !== undefined) set.icon = c.body.icon === null ? null : JSON.stringify(icon(c.body.icon, 'body.icon'));
      if (c.body.cover !== undefined) set.cover = c.body.cover === null ? null : JSON.stringify(cover(c.body.cover, 'body.cover'));
      for (const k of ['is_inline', 'is_locked', 'in_trash'] as const) {
        if (c.body[k] === undefined) continue;
        if (typeof c.body[k] !== 'boolean') throw validation(`body failed validation: body.${k} should be a boolean, instead was \`${JSON.stringify(c.body[k])}\`.`);
        set[k] = c.body[k];
      }
      if (typeof c.body.archived === 'boolean' && set.in_trash === undefined) set.in_trash = c.body.archived;
      // One statement for every field given (column names come from the fixed lists above).
      const entries = Object.entries(set);
      const assignments = entries.map(([k], i) => `${k} = $${i + 1}${['title', 'description', 'icon', 'cover'].includes(k) ? '::text::jsonb' : ''}`);
      const n = entries.length;
      await c.ctx.db.tx(async (tx) => {
        if (n) await tx.unsafe(`update databases set ${[...assignments, `last_edited_time = $${n + 1}`, `last_edited_by = $${n + 2}`].join(', ')} where id = $${n + 3}`, [...entries.map(([, v]) => v), now(), c.caller.userId, d.id]);
        if (set.in_trash !== undefined) await tx`update blocks set in_trash = ${set.in_trash} where id = ${d.id}`;
      });
      return c.store.renderDb(await c.store.needDb(d.id));
    },
  },
  {
    method: 'POST',
    path: '/v1/data_sources',
    handler: async (c) => {
      const parent = asObj(c.body.parent, 'body.parent');
      const dbId = needId(parent.database_id, 'body.parent.database_id');
      await c.store.needDb(dbId);
      const title = richText(c.body.title ?? [], 'body.title', await names(c.store));
      const ic = c.body.icon === undefined ? null : icon(c.body.icon, 'body.icon');
      const newId = crypto.randomUUID();
      const props = await dataSourceSchema(c.store, newId, dbId, c.body.properties);
      const id = await c.ctx.db.tx((tx) => createDataSource(tx as unknown as SQL, c.caller, newId, dbId, title, props, ic));
      return c.store.renderDs(await c.store.needDs(id));
    },
  },
  {
    method: 'GET',
    path: '/v1/data_sources/{data_source_id}',
    handler: async (c) => c.store.renderDs(await c.store.needDs(pathId(c, 0, 'data_source_id'))),
  },
  {
    method: 'PATCH',
    path: '/v1/data_sources/{data_source_id}',
    handler: async (c) => {
      const ds = await c.store.needDs(pathId(c, 0, 'data_source_id'));
      const nm = await names(c.store);
      const props = ds.properties.map((p) => structuredClone(p));
      const added: PropConfig[] = [];
      if (c.body.properties !== undefined) {
        for (const [key, raw] of Object.entries(asObj(c.body.properties, 'body.properties'))) {
          const existing = findProp(props, key);
          if (raw === null) {
            if (!existing) throw validation(`${key} is not a property that exists.`);
            if (existing.type === 'title') throw validation('Cannot delete the title property of a data source.');
            props.splice(props.indexOf(existing), 1);
            continue;
          }
          const conf = asObj(raw, `body.properties.${key}`);
          const typeKeys = Object.keys(conf).filter((k) => k !== 'name' && k !== 'description');
          if (existing) {
            if (typeof conf.name === 'string' && conf.name) {
              if (props.some((p) => p !== existing && p.name === conf.name)) throw validation(`A property named ${conf.name} already exists in this data source.`);
              existing.name = conf.name;
            }
            if (typeof conf.description === 'string') existing.description = conf.description;
            if (typeKeys.length) {
              const next = (await propertiesFrom(c.store, { [existing.name]: conf }, 'body.properties', { dataSourceId: ds.id, databaseId: ds.database_id }))[0]!;
              if (next.type === 'title' && existing.type !== 'title') throw validation('Cannot change a property to title; a data source has exactly one title property.');
              const same = next.type === existing.type;
              Object.keys(existing).forEach((k) => {
                if (!['id', 'name', 'description'].includes(k)) delete existing[k];
              });
              existing.type = next.type;
              existing[next.type] = same && (next.type === 'select' || next.type === 'multi_select' || next.type === 'status') && !Array.isArray((conf[next.type] as Json)?.options) ? ds.properties.find((p) => p.id === existing.id)![next.type] : next[next.type];
            }
          } else {
            const made = (await propertiesFrom(c.store, { [typeof conf.name === 'string' ? conf.name : key]: conf }, 'body.properties', { dataSourceId: ds.id, databaseId: ds.database_id }))[0]!;
            if (made.type === 'title') throw validation('A data source has exactly one title property.');
            props.push(made);
            added.push(made);
          }
        }
      }
      const title = c.body.title !== undefined ? richText(c.body.title, 'body.title', nm) : ds.title;
      const ic = c.body.icon !== undefined ? (c.body.icon === null ? null : icon(c.body.icon, 'body.icon')) : ds.icon;
      const trash = typeof c.body.in_trash === 'boolean' ? c.body.in_trash : typeof c.body.archived === 'boolean' ? c.body.archived : ds.in_trash;
      await c.ctx.db.tx(async (tx) => {
        await addSyncedTwins(tx as unknown as SQL, { id: ds.id, databaseId: ds.database_id, title }, added);
        await tx`update data_sources set properties = ${JSON.stringify(props)}::text::jsonb, title = ${JSON.stringify(title)}::text::jsonb, icon = ${ic ? JSON.stringify(ic) : null}::text::jsonb, in_trash = ${trash},
          last_edited_time = ${now()}, last_edited_by = ${c.caller.userId} where id = ${ds.id}`;
      });
      c.store.forget(ds.id);
      return c.store.renderDs(await c.store.needDs(ds.id));
    },
  },
  {
    method: 'POST',
    path: '/v1/data_sources/{data_source_id}/query',
    handler: async (c) => {
      const ds = await c.store.needDs(pathId(c, 0, 'data_source_id'));
      const size = pageSize(c.body.page_size);
      const match = compileFilter(c.body.filter, ds.properties);
      const order = compileSorts(c.body.sorts, ds.properties);
      const rows = await c.store.pagesOfDs(ds.id);
      // Filter and sort on the property values alone; render whole pages only for the answer.
      const light: Json[] = [];
      for (const r of rows) light.push({ id: r.id, row: r, created_time: iso(r.created_time), last_edited_time: iso(r.last_edited_time), properties: await c.store.renderProperties(r) });
      const hits = light.filter(match).sort(order);
      const filterProps = c.query.getAll('filter_properties');
      const slice = paginate(hits, (p) => p.id as string, c.body.start_cursor, size);
      const page = { ...slice, results: await Promise.all(slice.results.map((h) => c.store.renderPage(h.row as PageRow))) };
      if (filterProps.length) {
        for (const p of page.results) {
          p.properties = Object.fromEntries(Object.entries(p.properties as Json).filter(([n, v]) => filterProps.includes(n) || filterProps.includes((v as Json).id)));
        }
      }
      return list('page_or_data_source', page);
    },
  },
  {
    method: 'GET',
    path: '/v1/data_sources/{data_source_id}/templates',
    handler: async (c) => {
      await c.store.needDs(pathId(c, 0, 'data_source_id'));
      // The clone keeps no page templates: every data source answers an empty list.
      return { templates: [], has_more: false, next_cursor: null };
    },
  },
];

// ---- pages

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

async function writeValues(env: ValueEnv, ds: DsRow, input: unknown, current: Json): Promise<{ values: Json; schema: PropConfig[] | null; relations: Array<{ prop: PropConfig; before: string[]; after: string[] }> }> {
  const schema = ds.properties.map((p) => structuredClone(p));
  let changed = false;
  const values = { ...current };
  const relations: Array<{ prop: PropConfig; before: string[]; after: string[] }> = [];
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

/** The data source row, locked for this transaction, with its current schema. */
async function lockDs(tx: SQL, ds: DsRow): Promise<DsRow> {
  const r = (await tx`select properties, next_unique from data_sources where id = ${ds.id} for update`)[0];
  return { ...ds, properties: r.properties as PropConfig[], next_unique: Number(r.next_unique) };
}

async function insertBlocks(tx: SQL, caller: Caller, parentId: string, parentType: 'page_id' | 'block_id', blocks: BlockInput[], after: string | null): Promise<string[]> {
  const rows = await tx`select id, pos from blocks where parent_id = ${parentId} and not in_trash order by pos, seq`;
  let lo = 0;
  let hi: number | null = null;
  if (after) {
    const i = rows.findIndex((r: Json) => r.id === after);
    if (i < 0) throw validation(`body failed validation: body.after: block ${after} is not a child of ${parentId}.`);
    lo = Number(rows[i].pos);
    hi = rows[i + 1] ? Number(rows[i + 1].pos) : null;
  } else lo = rows.length ? Math.max(...rows.map((r: Json) => Number(r.pos))) : 0;
  const step = hi === null ? 1 : (hi - lo) / (blocks.length + 1);
  const ids: string[] = [];
  const at = now();
  for (const [i, b] of blocks.entries()) {
    const id = crypto.randomUUID();
    ids.push(id);
    await tx`insert into blocks (id, parent_type, parent_id, pos, type, content, created_time, last_edited_time, created_by, last_edited_by)
      values (${id}, ${parentType}, ${parentId}, ${lo + step * (i + 1)}, ${b.type}, ${JSON.stringify(b.content)}::text::jsonb, ${at}, ${at}, ${caller.userId}, ${caller.userId})`;
    if (b.children.length) await insertBlocks(tx, caller, id, 'block_id', b.children, null);
  }
  return ids;
}

async function trashPageTree(tx: SQL, pageId: string, trash: boolean): Promise<void> {
  await tx`update pages set in_trash = ${trash} where id = ${pageId}`;
  await tx`update blocks set in_trash = ${trash} where id = ${pageId}`;
}

const pages: Route[] = [
  {
    method: 'POST',
    path: '/v1/pages',
    handler: async (c) => {
      const parent = asObj(c.body.parent, 'body.parent');
      const nm = await names(c.store);
      const children = c.body.children === undefined ? [] : parseBlocks(c.body.children, 'body.children', nm);
      const ic = c.body.icon === undefined ? null : icon(c.body.icon, 'body.icon');
      const cv = c.body.cover === undefined ? null : cover(c.body.cover, 'body.cover');
      const id = crypto.randomUUID();
      const at = now();
      let ds: DsRow | null = null;
      let parentJson: Json;
      let values: Json;
      let schema: PropConfig[] | null = null;
      let relations: Array<{ prop: PropConfig; before: string[]; after: string[] }> = [];
      let parentPage: string | null = null;
      let env: ValueEnv | undefined;
      if (parent.data_source_id !== undefined || parent.database_id !== undefined) {
        if (parent.data_source_id !== undefined) ds = await c.store.needDs(needId(parent.data_source_id, 'body.parent.data_source_id'));
        else {
          const dbId = needId(parent.database_id, 'body.parent.database_id');
          await c.store.needDb(dbId);
          const sources = (await c.store.dsOfDb(dbId)).filter((s) => !s.in_trash);
          if (sources.length !== 1) throw validation(`Database ${dbId} has ${sources.length} data sources; pass parent.data_source_id instead.`);
          ds = sources[0]!;
        }
        if (ds.in_trash) throw validation("Can't edit block that is archived. You must unarchive the block before editing.");
        parentJson = { type: 'data_source_id', data_source_id: ds.id, database_id: ds.database_id };
        ({ values, schema, relations } = await writeValues((env = await valueEnv(c.store)), ds, c.body.properties ?? {}, {}));
      } else {
        parentPage = await parentPageFor(c.store, parent, 'body.parent');
        parentJson = { type: 'page_id', page_id: parentPage };
        const props = (c.body.properties ?? {}) as Json;
        const t = props.title ?? props.Title ?? props.Name;
        for (const k of Object.keys(props)) if (!['title', 'Title', 'Name'].includes(k)) throw validation(`Invalid property for a page whose parent is a page: ${k}. Only title can be set.`);
        values = { title: t === undefined ? [] : richText(t.title ?? t, 'body.properties.title.title', nm) };
      }
      await c.ctx.db.tx(async (txx) => {
        const tx = txx as unknown as SQL;
        if (ds) {
          // Writes to one data source are serialised: unique ids and new select options never race.
          const locked = await lockDs(tx, ds);
          if (schema) ({ values, schema, relations } = await writeValues(env!, locked, c.body.properties ?? {}, {}));
          if (locked.properties.some((p) => p.type === 'unique_id')) {
            values.__unique = locked.next_unique;
            await tx`update data_sources set next_unique = next_unique + 1 where id = ${ds.id}`;
          }
        }
        await tx`insert into pages (id, parent, data_source_id, "values", icon, cover, created_time, last_edited_time, created_by, last_edited_by)
          values (${id}, ${JSON.stringify(parentJson)}::text::jsonb, ${ds?.id ?? null}, ${JSON.stringify(values)}::text::jsonb, ${ic ? JSON.stringify(ic) : null}::text::jsonb, ${cv ? JSON.stringify(cv) : null}::text::jsonb, ${at}, ${at}, ${c.caller.userId}, ${c.caller.userId})`;
        if (ds) {
          if (schema) await tx`update data_sources set properties = ${JSON.stringify(schema)}::text::jsonb where id = ${ds.id}`;
          for (const r of relations) await syncDual(tx, id, r.prop, r.before, r.after);
        }
        if (parentPage) await placeholderBlock(tx, c.caller, id, parentPage, 'child_page');
        if (children.length) await insertBlocks(tx, c.caller, id, 'page_id', children, null);
      });
      if (ds) c.store.forget(ds.id);
      return c.store.renderPage(await c.store.needPage(id));
    },
  },
  {
    method: 'GET',
    path: '/v1/pages/{page_id}',
    handler: async (c) => {
      const p = await c.store.renderPage(await c.store.needPage(pathId(c, 0, 'page_id')));
      const filterProps = c.query.getAll('filter_properties');
      if (filterProps.length) p.properties = Object.fromEntries(Object.entries(p.properties as Json).filter(([n, v]) => filterProps.includes(n) || filterProps.includes((v as Json).id)));
      return p;
    },
  },
  {
    method: 'PATCH',
    path: '/v1/pages/{page_id}',
    handler: async (c) => {
      const p = await c.store.needPage(pathId(c, 0, 'page_id'));
      const trashGiven = typeof c.body.in_trash === 'boolean' ? c.body.in_trash : typeof c.body.archived === 'boolean' ? c.body.archived : undefined;
      for (const k of ['in_trash', 'archived', 'is_locked'] as const) {
        if (c.body[k] !== undefined && typeof c.body[k] !== 'boolean') throw validation(`body failed validation: body.${k} should be a boolean, instead was \`${JSON.stringify(c.body[k])}\`.`);
      }
      const editing = c.body.properties !== undefined || c.body.icon !== undefined || c.body.cover !== undefined;
      if (p.in_trash && trashGiven !== false && editing) throw validation("Can't edit block that is archived. You must unarchive the block before editing.");
      let values = p.values;
      let schema: PropConfig[] | null = null;
      let relations: Array<{ prop: PropConfig; before: string[]; after: string[] }> = [];
      let ds: DsRow | null = null;
      let env: ValueEnv | undefined;
      if (c.body.properties !== undefined) {
        if (p.data_source_id) {
          ds = await c.store.needDs(p.data_source_id);
          ({ values, schema, relations } = await writeValues((env = await valueEnv(c.store)), ds, c.body.properties, p.values));
        } else {
          const props = asObj(c.body.properties, 'body.properties');
          values = { ...p.values };
          for (const [k, v] of Object.entries(props)) {
            if (k !== 'title' && k !== 'Title' && k !== 'Name') throw validation(`${k} is not a property that exists.`);
            values.title = richText((v as Json)?.title ?? v, 'body.properties.title.title', await names(c.store));
          }
        }
      }
      const ic = c.body.icon === undefined ? p.icon : c.body.icon === null ? null : icon(c.body.icon, 'body.icon');
      const cv = c.body.cover === undefined ? p.cover : c.body.cover === null ? null : cover(c.body.cover, 'body.cover');
      await c.ctx.db.tx(async (txx) => {
        const tx = txx as unknown as SQL;
        if (ds && schema) {
          const locked = await lockDs(tx, ds);
          ({ values, schema, relations } = await writeValues(env!, locked, c.body.properties, p.values));
        }
        await tx`update pages set "values" = ${JSON.stringify(values)}::text::jsonb, icon = ${ic ? JSON.stringify(ic) : null}::text::jsonb, cover = ${cv ? JSON.stringify(cv) : null}::text::jsonb,
          is_locked = ${typeof c.body.is_locked === 'boolean' ? c.body.is_locked : p.is_locked}, last_edited_time = ${now()}, last_edited_by = ${c.caller.userId} where id = ${p.id}`;
        if (trashGiven !== undefined) await trashPageTree(tx, p.id, trashGiven);
        if (ds && schema) await tx`update data_sources set properties = ${JSON.stringify(schema)}::text::jsonb where id = ${ds.id}`;
        for (const r of relations) await syncDual(tx, p.id, r.prop, r.before, r.after);
      });
      if (ds) c.store.forget(ds.id);
      return c.store.renderPage(await c.store.needPage(p.id));
    },
  },
  {
    method: 'GET',
    path: '/v1/pages/{page_id}/properties/{property_id}',
    handler: async (c) => {
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
    },
  },
  {
    method: 'POST',
    path: '/v1/pages/{page_id}/move',
    handler: async (c) => {
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
    },
  },
];

// ---- page markdown

async function blockTree(store: Store, parentId: string, depth = 0): Promise<MdBlock[]> {
  const out: MdBlock[] = [];
  for (const b of await store.children(parentId)) {
    const md: MdBlock = { type: b.type, content: b.content, children: [] };
    if (b.type === 'child_page') {
      const p = await store.page(b.id);
      const title = p ? await store.pageTitle(p) : '';
      Object.assign(md, { content: { title }, url: store.url(b.id, title) });
    } else if (b.type === 'child_database') {
      const d = await store.db(b.id);
      Object.assign(md, { content: { title: plain(d?.title) }, url: store.url(b.id, plain(d?.title)) });
    } else if (depth < 20) md.children = await blockTree(store, b.id, depth + 1);
    out.push(md);
  }
  return out;
}

async function markdownOf(store: Store, pageId: string): Promise<Json> {
  return { object: 'page_markdown', id: pageId, markdown: toMarkdown(await blockTree(store, pageId)), truncated: false, unknown_block_ids: [] };
}

const markdown: Route[] = [
  {
    method: 'GET',
    path: '/v1/pages/{page_id}/markdown',
    handler: async (c) => {
      const p = await c.store.needPage(pathId(c, 0, 'page_id'));
      return markdownOf(c.store, p.id);
    },
  },
  {
    method: 'PATCH',
    path: '/v1/pages/{page_id}/markdown',
    handler: async (c) => {
      const p = await c.store.needPage(pathId(c, 0, 'page_id'));
      if (p.in_trash) throw validation("Can't edit block that is archived. You must unarchive the block before editing.");
      const type = c.body.type;
      const op = asObj(c.body[typeof type === 'string' ? type : 'insert_content'], `body.${type}`);
      const replaceAll = async (md: string) => {
        const blocks = fromMarkdown(md);
        await c.ctx.db.tx(async (txx) => {
          const tx = txx as unknown as SQL;
          await tx`update blocks set in_trash = true where parent_id = ${p.id} and type not in ('child_page', 'child_database') and not in_trash`;
          await insertBlocks(tx, c.caller, p.id, 'page_id', blocks, null);
          await tx`update pages set last_edited_time = ${now()}, last_edited_by = ${c.caller.userId} where id = ${p.id}`;
        });
      };
      if (type === 'insert_content') {
        if (typeof op.content !== 'string') throw validation('body failed validation: body.insert_content.content should be a string, instead was `undefined`.');
        if (op.after !== undefined) throw validation('body failed validation: body.insert_content.after (a text selector) is not emulated by this asym Notion clone; use position start or end.');
        const blocks = fromMarkdown(op.content);
        const atStart = op.position?.type === 'start';
        await c.ctx.db.tx(async (txx) => {
          const tx = txx as unknown as SQL;
          if (atStart) {
            const first = (await tx`select min(pos) as m from blocks where parent_id = ${p.id} and not in_trash`)[0]?.m;
            const base = first === null || first === undefined ? 0 : Number(first) - blocks.length - 1;
            const ids = await insertBlocks(tx, c.caller, p.id, 'page_id', blocks, null);
            for (const [i, id] of ids.entries()) await tx`update blocks set pos = ${base + i + 1 - 0.5} where id = ${id}`;
          } else await insertBlocks(tx, c.caller, p.id, 'page_id', blocks, null);
          await tx`update pages set last_edited_time = ${now()}, last_edited_by = ${c.caller.userId} where id = ${p.id}`;
        });
      } else if (type === 'replace_content') {
        if (typeof op.new_str !== 'string') throw validation('body failed validation: body.replace_content.new_str should be a string, instead was `undefined`.');
        await replaceAll(op.new_str);
      } else if (type === 'update_content') {
        const updates = op.content_updates;
        if (!Array.isArray(updates)) throw validation('body failed validation: body.update_content.content_updates should be an array, instead was `undefined`.');
        let md = (await markdownOf(c.store, p.id)).markdown as string;
        for (const [i, u] of updates.entries()) {
          if (typeof u?.old_str !== 'string' || typeof u?.new_str !== 'string') throw validation(`body failed validation: body.update_content.content_updates[${i}] needs old_str and new_str strings.`);
          const count = u.old_str ? md.split(u.old_str).length - 1 : 0;
          if (count === 0) throw validation(`No match found for old_str in content_updates[${i}]: ${JSON.stringify(u.old_str)}.`);
          if (count > 1 && u.replace_all_matches !== true) throw validation(`old_str in content_updates[${i}] matches ${count} times; pass replace_all_matches: true or a longer old_str.`);
          md = u.replace_all_matches === true ? md.split(u.old_str).join(u.new_str) : md.replace(u.old_str, () => u.new_str);
        }
        await replaceAll(md);
      } else {
        throw validation(`body failed validation: body.type ${JSON.stringify(type)} is not emulated by this asym Notion clone; use insert_content, replace_content or update_content.`);
      }
      return markdownOf(c.store, p.id);
    },
  },
];

// ---- blocks

async function renderAny(store: Store, id: string): Promise<Json> {
  const b = await store.block(id);
  if (b) return store.renderBlock(b);
  const p = await store.page(id);
  if (p) return store.pageAsBlock(p);
  throw notFound('block', id);
}

const blocks: Route[] = [
  {
    method: 'GET',
    path: '/v1/blocks/{block_id}',
    handler: async (c) => renderAny(c.store, pathId(c, 0, 'block_id')),
  },
  {
    method: 'PATCH',
    path: '/v1/blocks/{block_id}',
    handler: async (c) => {
      const id = pathId(c, 0, 'block_id');
      const b = await c.store.block(id);
      if (!b) {
        if (await c.store.page(id)) throw validation('body failed validation: update a page through PATCH /v1/pages/{page_id}.');
        throw notFound('block', id);
      }
      const trash = typeof c.body.in_trash === 'boolean' ? c.body.in_trash : typeof c.body.archived === 'boolean' ? c.body.archived : undefined;
      const typeKeys = Object.keys(c.body).filter((k) => !['in_trash', 'archived', 'type', 'object'].includes(k));
      let content = b.content;
      if (typeKeys.length) {
        if (b.in_trash && trash !== false) throw validation("Can't edit block that is archived. You must unarchive the block before editing.");
        const k = typeKeys[0]!;
        if (k !== b.type) throw validation(`body failed validation: body.${k}: the block is a ${b.type} block; send body.${b.type}.`);
        if (b.type === 'child_page' || b.type === 'child_database') throw validation('body failed validation: update child pages and databases through their own endpoints.');
        content = blockContent(b.type, asObj(c.body[k], `body.${k}`), 'body', await names(c.store), b.content);
      }
      await c.ctx.db.tx(async (txx) => {
        const tx = txx as unknown as SQL;
        await tx`update blocks set content = ${JSON.stringify(content)}::text::jsonb, last_edited_time = ${now()}, last_edited_by = ${c.caller.userId} where id = ${id}`;
        if (trash !== undefined) {
          await tx`update blocks set in_trash = ${trash} where id = ${id}`;
          if (b.type === 'child_page') await tx`update pages set in_trash = ${trash} where id = ${id}`;
          if (b.type === 'child_database') await tx`update databases set in_trash = ${trash} where id = ${id}`;
        }
      });
      return renderAny(c.store, id);
    },
  },
  {
    method: 'DELETE',
    path: '/v1/blocks/{block_id}',
    handler: async (c) => {
      const id = pathId(c, 0, 'block_id');
      const b = await c.store.block(id);
      const p = b ? null : await c.store.page(id);
      if (!b && !p) throw notFound('block', id);
      await c.ctx.db.tx(async (txx) => {
        const tx = txx as unknown as SQL;
        await tx`update blocks set in_trash = true, last_edited_time = ${now()}, last_edited_by = ${c.caller.userId} where id = ${id}`;
        if (p || b?.type === 'child_page') await tx`update pages set in_trash = true, last_edited_time = ${now()}, last_edited_by = ${c.caller.userId} where id = ${id}`;
        if (b?.type === 'child_database') await tx`update databases set in_trash = true where id = ${id}`;
      });
      return renderAny(c.store, id);
    },
  },
  {
    method: 'GET',
    path: '/v1/blocks/{block_id}/children',
    handler: async (c) => {
      const id = pathId(c, 0, 'block_id');
      await c.store.container(id);
      const kids = await c.store.children(id);
      const page = paginate(kids, (b) => b.id, c.query.get('start_cursor') ?? undefined, pageSize(c.query.get('page_size') ?? undefined, 'query.page_size'), 'query.start_cursor');
      return list('block', { ...page, results: await Promise.all(page.results.map((b: BlockRow) => c.store.renderBlock(b))) });
    },
  },
  {
    method: 'PATCH',
    path: '/v1/blocks/{block_id}/children',
    handler: async (c) => {
      const id = pathId(c, 0, 'block_id');
      const kind = await c.store.needLivePageOrBlock(id);
      const container = await c.store.container(id);
      if (container.type === 'divider' || container.type === 'child_database') throw validation(`Block type ${container.type} does not support children.`);
      if (c.body.children === undefined) throw validation('body failed validation: body.children should be defined, instead was `undefined`.');
      const kids = parseBlocks(c.body.children, 'body.children', await names(c.store));
      let after: string | null = null;
      if (c.body.after !== undefined) after = needId(c.body.after, 'body.after');
      const ids = await c.ctx.db.tx((tx) => insertBlocks(tx as unknown as SQL, c.caller, id, kind === 'page' ? 'page_id' : 'block_id', kids, after));
      const rendered = [];
      for (const bid of ids) rendered.push(await renderAny(c.store, bid));
      return list('block', { results: rendered, next_cursor: null, has_more: false });
    },
  },
];

// ---- comments

const renderComment = async (store: Store, r: Json) => {
  const users = await store.users();
  return {
    object: 'comment',
    id: r.id,
    parent: r.parent_type === 'page_id' ? { type: 'page_id', page_id: r.parent_id } : { type: 'block_id', block_id: r.parent_id },
    discussion_id: r.discussion_id,
    created_time: iso(r.created_time),
    last_edited_time: iso(r.last_edited_time ?? r.created_time),
    created_by: { object: 'user', id: r.created_by },
    rich_text: r.rich_text,
    display_name: { type: users.get(r.created_by)?.type === 'bot' ? 'integration' : 'user', resolved_name: users.get(r.created_by)?.name ?? null },
  };
};

/** Only the author of a comment may change or delete it. */
async function ownComment(c: Call): Promise<Json> {
  const id = pathId(c, 0, 'comment_id');
  const r = (await c.ctx.db.q<Json>`select * from comments where id = ${id}`)[0];
  if (!r) throw notFound('comment', id);
  if (r.created_by !== c.caller.userId) throw notionError(403, 'restricted_resource', 'Insufficient permissions for this endpoint: a comment can only be updated or deleted by its author.');
  return r;
}

const comments: Route[] = [
  {
    method: 'POST',
    path: '/v1/comments',
    handler: async (c) => {
      const rt = richText(c.body.rich_text, 'body.rich_text', await names(c.store));
      if (c.body.rich_text === undefined) throw validation('body failed validation: body.rich_text should be defined, instead was `undefined`.');
      let parentType = 'page_id';
      let parentId: string;
      let discussion: string;
      if (c.body.discussion_id !== undefined) {
        const d = needId(c.body.discussion_id, 'body.discussion_id');
        const first = (await c.ctx.db.q<Json>`select parent_type, parent_id from comments where discussion_id = ${d} order by seq limit 1`)[0];
        if (!first) throw notFound('discussion', d);
        parentType = first.parent_type;
        parentId = first.parent_id;
        discussion = d;
      } else {
        const parent = asObj(c.body.parent, 'body.parent');
        if (parent.page_id !== undefined) {
          parentId = needId(parent.page_id, 'body.parent.page_id');
          await c.store.needPage(parentId);
        } else if (parent.block_id !== undefined) {
          parentId = needId(parent.block_id, 'body.parent.block_id');
          parentType = 'block_id';
          if (!(await c.store.block(parentId))) throw notFound('block', parentId);
        } else throw validation('body failed validation: body.parent.page_id should be defined, instead was `undefined`.');
        discussion = crypto.randomUUID();
      }
      const id = crypto.randomUUID();
      await c.ctx.db.q`insert into comments (id, parent_type, parent_id, discussion_id, rich_text, created_time, created_by)
        values (${id}, ${parentType}, ${parentId}, ${discussion}, ${JSON.stringify(rt)}::text::jsonb, ${now()}, ${c.caller.userId})`;
      return renderComment(c.store, (await c.ctx.db.q<Json>`select * from comments where id = ${id}`)[0]!);
    },
  },
  {
    method: 'GET',
    path: '/v1/comments',
    handler: async (c) => {
      const id = needId(c.query.get('block_id') ?? undefined, 'query.block_id');
      await c.store.container(id);
      const rows = await c.ctx.db.q<Json>`select * from comments where parent_id = ${id} order by seq`;
      const page = paginate(rows, (r) => r.id as string, c.query.get('start_cursor') ?? undefined, pageSize(c.query.get('page_size') ?? undefined, 'query.page_size'), 'query.start_cursor');
      return list('comment', { ...page, results: await Promise.all(page.results.map((r) => renderComment(c.store, r))) });
    },
  },
  {
    method: 'PATCH',
    path: '/v1/comments/{comment_id}',
    handler: async (c) => {
      const r = await ownComment(c);
      let rt: Json[];
      if (typeof c.body.markdown === 'string') rt = parseInline(c.body.markdown);
      else if (c.body.rich_text !== undefined) rt = richText(c.body.rich_text, 'body.rich_text', await names(c.store));
      else throw validation('body failed validation: body.rich_text should be defined, instead was `undefined`.');
      await c.ctx.db.q`update comments set rich_text = ${JSON.stringify(rt)}::text::jsonb, last_edited_time = ${now()} where id = ${r.id}`;
      return renderComment(c.store, (await c.ctx.db.q<Json>`select * from comments where id = ${r.id}`)[0]!);
    },
  },
  {
    method: 'DELETE',
    path: '/v1/comments/{comment_id}',
    handler: async (c) => {
      const r = await ownComment(c);
      const out = await renderComment(c.store, r);
      await c.ctx.db.q`delete from comments where id = ${r.id}`;
      return out;
    },
  },
  {
    method: 'GET',
    path: '/v1/comments/{comment_id}',
    handler: async (c) => {
      const id = pathId(c, 0, 'comment_id');
      const r = (await c.ctx.db.q<Json>`select * from comments where id = ${id}`)[0];
      if (!r) throw notFound('comment', id);
      return renderComment(c.store, r);
    },
  },
];

// ---- search

const search: Route[] = [
  {
    method: 'POST',
    path: '/v1/search',
    handler: async (c) => {
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
      if (!f || f.value === 'page') {
        for (const p of await c.ctx.db.q<PageRow>`select * from pages where not in_trash order by seq`) {
          if (needle && !(await c.store.pageTitle(p)).toLowerCase().includes(needle)) continue;
          hits.push(await c.store.renderPage(p));
        }
      }
      if (!f || f.value === 'data_source') {
        for (const s of await c.ctx.db.q<DsRow>`select s.* from data_sources s join databases d on d.id = s.database_id where not s.in_trash and not d.in_trash order by s.seq`) {
          if (needle && !plain(s.title).toLowerCase().includes(needle)) continue;
          hits.push(await c.store.renderDs(s));
        }
      }
      hits.sort((a, b) => dir * String(a.last_edited_time).localeCompare(String(b.last_edited_time)) || String(a.id).localeCompare(String(b.id)));
      return list('page_or_data_source', paginate(hits, (h) => h.id as string, c.body.start_cursor, size));
    },
  },
];

export const ROUTES: Route[] = [...users, ...databases, ...pages, ...markdown, ...blocks, ...comments, ...search];
