import { invalidInput } from './errors.ts';
import { ENTITIES, type EntityName, type FieldKind } from './tables.ts';
import { clockNow } from '../../_kit/clock.ts';

/**
 * Compiles Linear's filter inputs (IssueFilter, UserFilter, …) to SQL over the entity
 * descriptions in tables.ts: comparators (eq, neq, in, nin, lt/lte/gt/gte, contains,
 * containsIgnoreCase, startsWith, endsWith, their negations, eqIgnoreCase, null), `and` /
 * `or` nesting at any level, to-one relation filters (`assignee: { email: { eq } }`,
 * `assignee: { null: true }`) and collection filters (`labels: { some | every | none |
 * <field> }`, `length`). Values always travel as parameters.
 */
export class SqlParams {
  readonly values: unknown[] = [];
  #alias = 0;
  add(v: unknown): string {
    this.values.push(v);
    return `$${this.values.length}`;
  }
  alias(): string {
    return `f${++this.#alias}`;
  }
}

export interface FilterContext {
  viewerId: string;
}

type Obj = Record<string, unknown>;

/** ISO 8601 durations relative to now ("-P2W", "P1D") as Linear's DateComparator accepts. */
export function dateValue(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  const m = /^(-)?P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(v);
  if (!m || v === 'P' || v === '-P') return v;
  const sign = m[1] ? -1 : 1;
  const d = clockNow();
  const n = (i: number) => sign * Number(m[i] ?? 0);
  d.setUTCFullYear(d.getUTCFullYear() + n(2), d.getUTCMonth() + n(3), d.getUTCDate() + n(4) * 7 + n(5));
  d.setTime(d.getTime() + (n(6) * 3600 + n(7) * 60 + n(8)) * 1000);
  return d.toISOString();
}

function cast(kind: FieldKind, v: unknown): unknown {
  if (kind === 'date') return dateValue(v);
  return v;
}

const castSql = (kind: FieldKind) => (kind === 'date' ? '::timestamptz' : kind === 'number' ? '::float8' : kind === 'bool' ? '::boolean' : '::text');

function comparator(expr: string, kind: FieldKind, cmp: Obj, p: SqlParams): string[] {
  const out: string[] = [];
  const c = castSql(kind);
  const e = kind === 'id' || kind === 'enum' || kind === 'string' ? `${expr}::text` : expr;
  for (const [op, raw] of Object.entries(cmp)) {
    if (raw === undefined) continue;
    const v = cast(kind, raw);
    switch (op) {
      case 'eq': out.push(v === null ? `${e} is null` : `${e} = ${p.add(v)}${c}`); break;
      case 'neq': out.push(v === null ? `${e} is not null` : `(${e} is distinct from ${p.add(v)}${c})`); break;
      case 'in': out.push(`${e} = any(${p.add((raw as unknown[]).map((x) => cast(kind, x)))}${c}[])`); break;
      case 'nin': out.push(`(${e} is null or not (${e} = any(${p.add((raw as unknown[]).map((x) => cast(kind, x)))}${c}[])))`); break;
      case 'lt': out.push(`${e} < ${p.add(v)}${c}`); break;
      case 'lte': out.push(`${e} <= ${p.add(v)}${c}`); break;
      case 'gt': out.push(`${e} > ${p.add(v)}${c}`); break;
      case 'gte': out.push(`${e} >= ${p.add(v)}${c}`); break;
      case 'null': out.push(v ? `${e} is null` : `${e} is not null`); break;
      case 'eqIgnoreCase': out.push(`lower(${e}) = lower(${p.add(v)})`); break;
      case 'neqIgnoreCase': out.push(`(lower(${e}) is distinct from lower(${p.add(v)}))`); break;
      case 'contains': out.push(`strpos(${e}, ${p.add(v)}) > 0`); break;
      case 'notContains': out.push(`coalesce(strpos(${e}, ${p.add(v)}) = 0, true)`); break;
      case 'containsIgnoreCase':
      case 'containsIgnoreCaseAndAccent': out.push(`strpos(lower(${e}), lower(${p.add(v)})) > 0`); break;
      case 'notContainsIgnoreCase': out.push(`coalesce(strpos(lower(${e}), lower(${p.add(v)})) = 0, true)`); break;
      case 'startsWith': out.push(`starts_with(${e}, ${p.add(v)})`); break;
      case 'startsWithIgnoreCase': out.push(`starts_with(lower(${e}), lower(${p.add(v)}))`); break;
      case 'notStartsWith': out.push(`coalesce(not starts_with(${e}, ${p.add(v)}), true)`); break;
      case 'endsWith': out.push(`right(${e}, length(${p.add(v)})) = $${p.values.length}`); break;
      case 'notEndsWith': out.push(`coalesce(right(${e}, length(${p.add(v)})) <> $${p.values.length}, true)`); break;
      default: throw invalidInput(`Unsupported comparator ${op}`);
    }
  }
  return out;
}

/** SQL boolean for `filter` over rows of `entity` aliased `a` ("true" when empty). */
export function compileFilter(entity: EntityName, a: string, filter: unknown, p: SqlParams, fc: FilterContext): string {
  if (!filter || typeof filter !== 'object') return 'true';
  const spec = ENTITIES[entity].filters;
  const parts: string[] = [];
  for (const [key, value] of Object.entries(filter as Obj)) {
    if (value === undefined || value === null) continue;
    if (key === 'and' || key === 'or') {
      const list = (value as unknown[]).map((sub) => `(${compileFilter(entity, a, sub, p, fc)})`);
      if (list.length) parts.push(`(${list.join(key === 'and' ? ' and ' : ' or ')})`);
      continue;
    }
    const field = spec[key];
    // A filter field the clone does not model matches nothing rather than everything, so a
    // filtered query never silently returns unfiltered rows.
    if (!field) {
      parts.push('false');
      continue;
    }
    const v = value as Obj;
    if (field.kind === 'isMe') {
      if (v.eq !== undefined) parts.push(v.eq ? `${field.col(a)} = ${p.add(fc.viewerId)}::uuid` : `${field.col(a)} <> ${p.add(fc.viewerId)}::uuid`);
      continue;
    }
    if (field.kind === 'one') {
      const { null: isNull, ...rest } = v;
      if (isNull !== undefined) parts.push(isNull ? `${field.fk(a)} is null` : `${field.fk(a)} is not null`);
      if (Object.keys(rest).length) {
        const b = p.alias();
        const target = ENTITIES[field.entity];
        parts.push(`exists (select 1 from ${target.table} ${b} where ${b}.id = ${field.fk(a)} and ${compileFilter(field.entity, b, rest, p, fc)})`);
      }
      continue;
    }
    if (field.kind === 'many') {
      const target = ENTITIES[field.entity];
      const { some, every, none, length, and, or, ...direct } = v as Obj;
      const sub = (flt: unknown) => {
        const b = p.alias();
        return { b, sql: `select 1 from ${target.table} ${b} where ${field.link(a, b)}`, cond: compileFilter(field.entity, b, flt, p, fc) };
      };
      if (some) { const s = sub(some); parts.push(`exists (${s.sql} and ${s.cond})`); }
      if (none) { const s = sub(none); parts.push(`not exists (${s.sql} and ${s.cond})`); }
      if (every) { const s = sub(every); parts.push(`not exists (${s.sql} and not (${s.cond}))`); }
      if (Object.keys(direct).length) { const s = sub(direct); parts.push(`exists (${s.sql} and ${s.cond})`); }
      if (length) {
        const b = p.alias();
        parts.push(...comparator(`(select count(*) from ${target.table} ${b} where ${field.link(a, b)})`, 'number', length as Obj, p));
      }
      for (const [k, list] of [['and', and], ['or', or]] as const) {
        if (!Array.isArray(list) || !list.length) continue;
        const items = list.map((x) => `(${compileFilter(entity, a, { [key]: x }, p, fc)})`);
        parts.push(`(${items.join(k === 'and' ? ' and ' : ' or ')})`);
      }
      continue;
    }
    parts.push(...comparator(field.col(a), field.kind, v, p));
  }
  return parts.length ? parts.join(' and ') : 'true';
}
