import { notFound, notionError, validation } from '../errors.ts';
import { parseInline } from '../markdown.ts';
import type { Store } from '../store.ts';
import { iso, needId, pageSize, paginate, richText, type Json } from '../util.ts';
import { asObj, listOf, names, now, pathId, type Call } from './common.ts';

/** Comments: create (on a page, a block or a discussion), list, retrieve; update and delete by their author only. */

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
  if (!r || !(await c.store.canSee(r.parent_id))) throw notFound('comment', id);
  if (r.created_by !== c.caller.userId) throw notionError(403, 'restricted_resource', 'Insufficient permissions for this endpoint: a comment can only be updated or deleted by its author.');
  return r;
}

export async function create(c: Call) {
  const rt = richText(c.body.rich_text, 'body.rich_text', await names(c.store));
  if (c.body.rich_text === undefined) throw validation('body failed validation: body.rich_text should be defined, instead was `undefined`.');
  let parentType = 'page_id';
  let parentId: string;
  let discussion: string;
  if (c.body.discussion_id !== undefined) {
    const d = needId(c.body.discussion_id, 'body.discussion_id');
    const first = (await c.ctx.db.q<Json>`select parent_type, parent_id from comments where discussion_id = ${d} order by seq limit 1`)[0];
    if (!first || !(await c.store.canSee(first.parent_id))) throw notFound('discussion', d);
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
      if (!(await c.store.block(parentId)) || !(await c.store.canSee(parentId))) throw notFound('block', parentId);
    } else throw validation('body failed validation: body.parent.page_id should be defined, instead was `undefined`.');
    discussion = crypto.randomUUID();
  }
  const id = crypto.randomUUID();
  await c.ctx.db.q`insert into comments (id, parent_type, parent_id, discussion_id, rich_text, created_time, created_by)
    values (${id}, ${parentType}, ${parentId}, ${discussion}, ${JSON.stringify(rt)}::text::jsonb, ${now()}, ${c.caller.userId})`;
  return renderComment(c.store, (await c.ctx.db.q<Json>`select * from comments where id = ${id}`)[0]!);
}

export async function list(c: Call) {
  const id = needId(c.query.get('block_id') ?? undefined, 'query.block_id');
  await c.store.container(id);
  const rows = await c.ctx.db.q<Json>`select * from comments where parent_id = ${id} order by seq`;
  const page = paginate(rows, (r) => r.id as string, c.query.get('start_cursor') ?? undefined, pageSize(c.query.get('page_size') ?? undefined, 'query.page_size'), 'query.start_cursor');
  return listOf('comment', { ...page, results: await Promise.all(page.results.map((r) => renderComment(c.store, r))) });
}

export async function update(c: Call) {
  const r = await ownComment(c);
  let rt: Json[];
  if (typeof c.body.markdown === 'string') rt = parseInline(c.body.markdown);
  else if (c.body.rich_text !== undefined) rt = richText(c.body.rich_text, 'body.rich_text', await names(c.store));
  else throw validation('body failed validation: body.rich_text should be defined, instead was `undefined`.');
  await c.ctx.db.q`update comments set rich_text = ${JSON.stringify(rt)}::text::jsonb, last_edited_time = ${now()} where id = ${r.id}`;
  return renderComment(c.store, (await c.ctx.db.q<Json>`select * from comments where id = ${r.id}`)[0]!);
}

export async function remove(c: Call) {
  const r = await ownComment(c);
  const out = await renderComment(c.store, r);
  await c.ctx.db.q`delete from comments where id = ${r.id}`;
  return out;
}

export async function get(c: Call) {
  const id = pathId(c, 0, 'comment_id');
  const r = (await c.ctx.db.q<Json>`select * from comments where id = ${id}`)[0];
  if (!r || !(await c.store.canSee(r.parent_id))) throw notFound('comment', id);
  return renderComment(c.store, r);
}
