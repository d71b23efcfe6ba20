import type { SQL } from 'bun';
import { invalidInput } from './errors.ts';
import type { Rc, Row } from './request.ts';
import type { EntityName } from './tables.ts';
import { ENTITIES } from './tables.ts';

/** Shared helpers of the mutations: sync ids, column updates from an input, payloads. */
export async function nextSyncId(rc: Rc): Promise<number> {
  const rows = await rc.ctx.db.q<{ n: string }>`select nextval('sync_id')::text as n`;
  return Number(rows[0]!.n);
}

/** input field -> column; only fields present in the input are written. */
export type ColumnMap = Record<string, string>;

export function columnsFrom(input: Record<string, unknown>, map: ColumnMap): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [field, column] of Object.entries(map)) if (input[field] !== undefined) out[column] = input[field];
  return out;
}

/** A value for a jsonb column: sent as JSON text and cast, since the driver would store a JSON string as a jsonb string. */
export class Json {
  constructor(readonly value: unknown) {}
}
export const json = (value: unknown) => new Json(value);
const placeholder = (v: unknown, n: number) => (v instanceof Json ? `$${n}::text::jsonb` : `$${n}`);
const param = (v: unknown) => (v instanceof Json ? JSON.stringify(v.value) : v);

export async function insertRow(rc: Rc, entity: EntityName, values: Record<string, unknown>, tx?: SQL): Promise<Row> {
  const cols = Object.keys(values);
  const sql = `insert into ${ENTITIES[entity].table} (${cols.join(', ')}) values (${cols.map((c, i) => placeholder(values[c], i + 1)).join(', ')}) returning id`;
  const run = tx ? (t: string, p: unknown[]) => tx.unsafe(t, p) : (t: string, p: unknown[]) => rc.ctx.db.unsafe(t, p);
  const rows = (await run(sql, cols.map((c) => param(values[c])))) as Row[];
  rc.forget(entity, rows[0]!.id);
  return (await rc.load(entity, rows[0]!.id))!;
}

export async function updateRow(rc: Rc, entity: EntityName, id: string, values: Record<string, unknown>): Promise<Row> {
  const cols = Object.keys(values);
  if (cols.length) {
    const sets = cols.map((c, i) => `${c} = ${placeholder(values[c], i + 2)}`).join(', ');
    await rc.ctx.db.unsafe(`update ${ENTITIES[entity].table} set ${sets}, updated_at = now() where id = $1`, [id, ...cols.map((c) => param(values[c]))]);
  }
  rc.forget(entity, id);
  return (await rc.load(entity, id))!;
}

export function requireString(v: unknown, name: string): string {
  if (typeof v !== 'string' || !v.trim()) throw invalidInput(`${name} must not be empty`);
  return v;
}

export const randomColor = (seed: string): string => {
  const palette = ['#bec2c8', '#95a2b3', '#5e6ad2', '#26b5ce', '#4cb782', '#f2c94c', '#f2994a', '#eb5757'];
  let h = 0;
  for (const c of seed) h = (h * 31 + c.charCodeAt(0)) | 0;
  return palette[Math.abs(h) % palette.length]!;
};
