import type { SQL } from 'bun';
import type { Caller } from '../auth.ts';
import { validation } from '../errors.ts';
import { compileFilter, compileSorts, configOf, findProp, type PropConfig } from '../properties.ts';
import type { PageRow, Store } from '../store.ts';
import { icon, iso, needId, normId, pageSize, paginate, plain, richText, shortId, type Json } from '../util.ts';
import { asObj, listOf, names, now, onlyProperties, pathId, type Call } from './common.ts';

/** Data sources: their schemas (properties, dual relations' synced twins), create, retrieve, update, query, templates. */

export async function propertiesFrom(store: Store, input: unknown, path: string, selfDs?: { dataSourceId: string; databaseId: string }): Promise<PropConfig[]> {
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
        if (ds && (await store.canSee(ds.id))) targets.set(dsId, { dataSourceId: ds.id, databaseId: ds.database_id });
      }
    }
    out.push(configOf(typeof conf.name === 'string' ? conf.name : name, conf, `${path}.${name}`, (id) => targets.get(id) ?? null));
  }
  const titles = out.filter((p) => p.type === 'title').length;
  if (titles > 1) throw validation('body failed validation: a data source can have only one title property.');
  return out;
}

/** Dual relations: each new one gets its synced twin on the related data source (read and written in `tx`). */
export async function addSyncedTwins(tx: SQL, ds: { id: string; databaseId: string; title: Json[] }, props: PropConfig[]): Promise<void> {
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
export async function dataSourceSchema(store: Store, id: string, dbId: string, propsInput: unknown): Promise<PropConfig[]> {
  const props = await propertiesFrom(store, propsInput ?? { Name: { title: {} } }, 'body.properties', { dataSourceId: id, databaseId: dbId });
  if (!props.some((p) => p.type === 'title')) throw validation('body failed validation: body.properties should have a title property.');
  return props;
}

/** Inserts a data source of database `dbId` with its (validated) schema and the synced twins of its dual relations. */
export async function createDataSource(tx: SQL, caller: Caller, id: string, dbId: string, title: Json[], props: PropConfig[], dsIcon: Json | null): Promise<string> {
  const at = now();
  await addSyncedTwins(tx, { id, databaseId: dbId, title }, props);
  await tx`insert into data_sources (id, database_id, title, properties, icon, created_time, last_edited_time, created_by, last_edited_by)
    values (${id}, ${dbId}, ${JSON.stringify(title)}::text::jsonb, ${JSON.stringify(props)}::text::jsonb, ${dsIcon ? JSON.stringify(dsIcon) : null}::text::jsonb, ${at}, ${at}, ${caller.userId}, ${caller.userId})`;
  return id;
}

export async function create(c: Call) {
  const parent = asObj(c.body.parent, 'body.parent');
  const dbId = needId(parent.database_id, 'body.parent.database_id');
  await c.store.needDb(dbId);
  const title = richText(c.body.title ?? [], 'body.title', await names(c.store));
  const ic = c.body.icon === undefined ? null : icon(c.body.icon, 'body.icon');
  const newId = crypto.randomUUID();
  const props = await dataSourceSchema(c.store, newId, dbId, c.body.properties);
  const id = await c.ctx.db.tx((tx) => createDataSource(tx as unknown as SQL, c.caller, newId, dbId, title, props, ic));
  return c.store.renderDs(await c.store.needDs(id));
}

export async function get(c: Call) {
  return c.store.renderDs(await c.store.needDs(pathId(c, 0, 'data_source_id')));
}

export async function update(c: Call) {
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
}

export async function query(c: Call) {
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
  for (const p of page.results) p.properties = onlyProperties(p.properties as Json, filterProps);
  return listOf('page_or_data_source', page);
}

export async function templates(c: Call) {
  await c.store.needDs(pathId(c, 0, 'data_source_id'));
  // The clone keeps no page templates: every data source answers an empty list.
  return { templates: [], has_more: false, next_cursor: null };
}
