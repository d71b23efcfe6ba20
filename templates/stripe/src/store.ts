import type { KitContext } from '../../_kit/types.ts';
import { missing } from './errors.ts';

/**
 * Every Stripe object is one row of stripe_objects: its JSON as Stripe returns it (invoice
 * lines and expansions are added when rendering). Lists read newest first, like Stripe,
 * with `seq` breaking ties between objects created in the same second.
 */
export type Obj = Record<string, any>;

export interface Row {
  id: string;
  kind: string;
  created: number;
  seq: number;
  deleted: boolean;
  parent: string | null;
  data: Obj;
}

function parseData(v: unknown): Obj {
  return (typeof v === 'string' ? JSON.parse(v) : v) as Obj;
}

function toRow(r: Record<string, unknown>): Row {
  return {
    id: r.id as string,
    kind: r.kind as string,
    created: Number(r.created),
    seq: Number(r.seq),
    deleted: Boolean(r.deleted),
    parent: (r.parent as string | null) ?? null,
    data: parseData(r.data),
  };
}

export async function getRow(ctx: KitContext, id: string): Promise<Row | null> {
  const rows = await ctx.db.unsafe('select id, kind, created, seq, deleted, parent, data from stripe_objects where id = $1', [id]);
  return rows[0] ? toRow(rows[0]) : null;
}

/** A live object of `kind`, or Stripe's 404 naming `param`. */
export async function mustGet(ctx: KitContext, kind: string, id: string, param = 'id'): Promise<Obj> {
  const row = id ? await getRow(ctx, id) : null;
  if (!row || row.kind !== kind || row.deleted) throw missing(kind, id, param);
  return row.data;
}

export async function getMany(ctx: KitContext, ids: string[]): Promise<Map<string, Row>> {
  const out = new Map<string, Row>();
  if (ids.length === 0) return out;
  const rows = await ctx.db.unsafe('select id, kind, created, seq, deleted, parent, data from stripe_objects where id = any($1::text[])', [ids]);
  for (const r of rows) out.set(r.id as string, toRow(r));
  return out;
}

export async function insert(ctx: KitContext, kind: string, data: Obj, parent: string | null = null): Promise<Obj> {
  await ctx.db.unsafe('insert into stripe_objects (id, kind, created, parent, data) values ($1, $2, $3, $4, $5::text::jsonb)', [
    data.id,
    kind,
    data.created ?? data.date ?? Math.floor(ctx.now().getTime() / 1000),
    parent,
    JSON.stringify(data),
  ]);
  return data;
}

export async function save(ctx: KitContext, data: Obj): Promise<Obj> {
  await ctx.db.unsafe('update stripe_objects set data = $2::text::jsonb where id = $1', [data.id, JSON.stringify(data)]);
  return data;
}

export async function remove(ctx: KitContext, id: string): Promise<void> {
  await ctx.db.unsafe('delete from stripe_objects where id = $1', [id]);
}

/** Keeps the row (a deleted customer still answers retrieve) with a tombstone body. */
export async function tombstone(ctx: KitContext, id: string, object: string): Promise<Obj> {
  const stub = { id, object, deleted: true };
  await ctx.db.unsafe('update stripe_objects set deleted = true, data = $2::text::jsonb where id = $1', [id, JSON.stringify(stub)]);
  return stub;
}

/** Builds `and …` conditions with numbered placeholders. */
export class Where {
  readonly conds: string[] = [];
  readonly vals: unknown[] = [];
  constructor(readonly offset = 0) {}
  /** `frag` uses `?` for the one value. */
  add(frag: string, value: unknown): this {
    this.vals.push(value);
    this.conds.push(frag.replace('?', `$${this.offset + this.vals.length}`));
    return this;
  }
  raw(frag: string): this {
    this.conds.push(frag);
    return this;
  }
}

export interface ListPage {
  object: 'list';
  data: Obj[];
  has_more: boolean;
  url: string;
}

/** One page of `kind`, newest first, cursor by object id (Stripe's starting_after / ending_before). */
export async function listPage(
  ctx: KitContext,
  kind: string,
  where: (w: Where) => void,
  page: { limit: number; startingAfter?: string; endingBefore?: string },
  url: string,
): Promise<ListPage> {
  const w = new Where(1);
  where(w);
  const cursorId = page.startingAfter ?? page.endingBefore;
  let cursor = '';
  if (cursorId) {
    const rows = await ctx.db.unsafe('select created, seq, kind from stripe_objects where id = $1', [cursorId]);
    const c = rows[0];
    if (!c || c.kind !== kind) throw missing(kind, cursorId, page.startingAfter ? 'starting_after' : 'ending_before');
    const a = w.vals.length + 2;
    w.vals.push(Number(c.created), Number(c.seq));
    cursor = page.startingAfter ? ` and (created, seq) < ($${a}, $${a + 1})` : ` and (created, seq) > ($${a}, $${a + 1})`;
  }
  const dir = page.endingBefore ? 'asc' : 'desc';
  const text = `select data from stripe_objects where kind = $1 and not deleted${w.conds.map((c) => ` and ${c}`).join('')}${cursor}
    order by created ${dir}, seq ${dir} limit ${page.limit + 1}`;
  const rows = await ctx.db.unsafe(text, [kind, ...w.vals]);
  const has_more = rows.length > page.limit;
  const data = rows.slice(0, page.limit).map((r) => parseData(r.data));
  if (page.endingBefore) data.reverse();
  return { object: 'list', data, has_more, url };
}

/** Every live object of `kind`, newest first (search and small derived lists). */
export async function all(ctx: KitContext, kind: string, where: (w: Where) => void = () => undefined): Promise<Obj[]> {
  const w = new Where(1);
  where(w);
  const rows = await ctx.db.unsafe(
    `select data from stripe_objects where kind = $1 and not deleted${w.conds.map((c) => ` and ${c}`).join('')} order by created desc, seq desc`,
    [kind, ...w.vals],
  );
  return rows.map((r) => parseData(r.data));
}

/** Paging over an in-memory array in its given order (invoice lines, search results). */
export function pageArray(items: Obj[], page: { limit: number; startingAfter?: string; endingBefore?: string }, url: string, kind: string): ListPage {
  let start = 0;
  let end = items.length;
  if (page.startingAfter) {
    const i = items.findIndex((x) => x.id === page.startingAfter);
    if (i < 0) throw missing(kind, page.startingAfter, 'starting_after');
    start = i + 1;
    end = Math.min(items.length, start + page.limit);
    return { object: 'list', data: items.slice(start, end), has_more: end < items.length, url };
  }
  if (page.endingBefore) {
    const i = items.findIndex((x) => x.id === page.endingBefore);
    if (i < 0) throw missing(kind, page.endingBefore, 'ending_before');
    end = i;
    start = Math.max(0, end - page.limit);
    return { object: 'list', data: items.slice(start, end), has_more: start > 0, url };
  }
  return { object: 'list', data: items.slice(0, page.limit), has_more: items.length > page.limit, url };
}
