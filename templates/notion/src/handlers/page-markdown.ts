import type { SQL } from 'bun';
import { validation } from '../errors.ts';
import { fromMarkdown, toMarkdown, type MdBlock } from '../markdown.ts';
import type { Store } from '../store.ts';
import { plain, type Json } from '../util.ts';
import { ARCHIVED, asObj, now, pathId, type Call } from './common.ts';
import { insertBlocks } from './tree.ts';

/** A page's content as Notion's enhanced markdown: read, insert, replace, update. */

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

export async function get(c: Call) {
  const p = await c.store.needPage(pathId(c, 0, 'page_id'));
  return markdownOf(c.store, p.id);
}

export async function update(c: Call) {
  const p = await c.store.needPage(pathId(c, 0, 'page_id'));
  if (p.in_trash) throw validation(ARCHIVED);
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
}
