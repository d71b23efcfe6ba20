import type { SQL } from 'bun';
import { blockContent, parseBlocks } from '../blocks.ts';
import { notFound, validation } from '../errors.ts';
import type { Store } from '../store.ts';
import { needId, pageSize, paginate, type Json } from '../util.ts';
import { ARCHIVED, asObj, listOf, names, now, pathId, type Call } from './common.ts';
import { insertBlocks } from './tree.ts';

/** Blocks: retrieve, update, delete (to the trash), list and append children. */

async function renderAny(store: Store, id: string): Promise<Json> {
  const b = await store.block(id);
  if (b) return store.renderBlock(b);
  const p = await store.page(id);
  if (p) return store.pageAsBlock(p);
  throw notFound('block', id);
}

export async function get(c: Call) {
  const id = pathId(c, 0, 'block_id');
  await c.store.see('block', id);
  return renderAny(c.store, id);
}

export async function update(c: Call) {
  const id = pathId(c, 0, 'block_id');
  await c.store.see('block', id);
  const b = await c.store.block(id);
  if (!b) {
    if (await c.store.page(id)) throw validation('body failed validation: update a page through PATCH /v1/pages/{page_id}.');
    throw notFound('block', id);
  }
  const trash = typeof c.body.in_trash === 'boolean' ? c.body.in_trash : typeof c.body.archived === 'boolean' ? c.body.archived : undefined;
  const typeKeys = Object.keys(c.body).filter((k) => !['in_trash', 'archived', 'type', 'object'].includes(k));
  let content = b.content;
  if (typeKeys.length) {
    if (b.in_trash && trash !== false) throw validation(ARCHIVED);
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
}

export async function remove(c: Call) {
  const id = pathId(c, 0, 'block_id');
  await c.store.see('block', id);
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
}

export async function children(c: Call) {
  const id = pathId(c, 0, 'block_id');
  const size = pageSize(c.query.get('page_size') ?? undefined, 'query.page_size');
  // One query: the container, the sharing check and the children with their has_children.
  const kids = await c.store.childrenListing(id);
  const page = paginate(kids, (b) => b.id, c.query.get('start_cursor') ?? undefined, size, 'query.start_cursor');
  return listOf('block', { ...page, results: await Promise.all(page.results.map((b) => c.store.renderBlock(b, b.has_kids))) });
}

export async function append(c: Call) {
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
  return listOf('block', { results: rendered, next_cursor: null, has_more: false });
}
