import type { SQL } from 'bun';
import type { Caller } from '../auth.ts';
import type { BlockInput } from '../blocks.ts';
import { validation } from '../errors.ts';
import type { Store } from '../store.ts';
import { needId, type Json } from '../util.ts';
import { asObj, now } from './common.ts';

/** Writes into the page and block tree that pages, databases, blocks and page markdown share. */

/** The page a new page or database goes under (a page_id parent; never the workspace). */
export async function parentPageFor(store: Store, parent: unknown, path: string): Promise<string> {
  const p = asObj(parent, path);
  if (p.workspace === true || p.type === 'workspace') throw validation(`body failed validation: ${path}: an internal integration cannot create content at the workspace level; use a page_id parent.`);
  const id = needId(p.page_id, `${path}.page_id`);
  await store.needPage(id);
  await store.needLivePageOrBlock(id);
  return id;
}

async function nextPos(tx: SQL, parentId: string): Promise<number> {
  const r = await tx`select coalesce(max(pos), 0) as m from blocks where parent_id = ${parentId}`;
  return Number(r[0]?.m ?? 0) + 1;
}

/** The child_page or child_database block that stands for a page or database in its parent's content. */
export async function placeholderBlock(tx: SQL, caller: Caller, id: string, parentId: string, type: 'child_page' | 'child_database'): Promise<void> {
  const at = now();
  const pos = await nextPos(tx, parentId);
  await tx`insert into blocks (id, parent_type, parent_id, pos, type, content, created_time, last_edited_time, created_by, last_edited_by)
    values (${id}, 'page_id', ${parentId}, ${pos}, ${type}, '{}'::jsonb, ${at}, ${at}, ${caller.userId}, ${caller.userId})`;
}

/** Inserts blocks (and their children) under a parent, at the end or after the block `after`; returns the new ids. */
export async function insertBlocks(tx: SQL, caller: Caller, parentId: string, parentType: 'page_id' | 'block_id', blocks: BlockInput[], after: string | null): Promise<string[]> {
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
