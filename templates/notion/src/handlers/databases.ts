import type { SQL } from 'bun';
import { validation } from '../errors.ts';
import { cover, icon, richText, type Json } from '../util.ts';
import { asObj, names, now, pathId, type Call } from './common.ts';
import { createDataSource, dataSourceSchema } from './data-sources.ts';
import { parentPageFor, placeholderBlock } from './tree.ts';

/** Databases: create (with its first data source and a child_database block in the parent), retrieve, update. */

export async function create(c: Call) {
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
}

export async function get(c: Call) {
  return c.store.renderDb(await c.store.needDb(pathId(c, 0, 'database_id')));
}

export async function update(c: Call) {
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
}
