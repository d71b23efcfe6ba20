import type { Params } from '../../_kit/http.ts';
import { stripeError } from './errors.ts';
import { checkKeys, expandList, optString, reqString, toInt } from './params.ts';
import type { Obj } from './store.ts';

/**
 * Stripe's search query language: clauses `field:value`, `field~"sub"`, `field>n`
 * (>, <, >=, <=), `metadata['key']:'v'`, `-` to negate an exact match, `null` as a value,
 * joined by all-AND or all-OR (case-insensitive keywords, never mixed; a space alone is AND). Results come newest first, paged by an
 * opaque `page` token.
 */
export type FieldKind = 'string' | 'number' | 'boolean' | 'token';
export interface FieldSpec {
  kind: FieldKind;
  get(o: Obj): unknown;
  substring?: boolean;
}
export type Fields = Record<string, FieldSpec>;

interface Clause {
  field: string;
  key?: string;
  op: ':' | '~' | '>' | '<' | '>=' | '<=';
  value: string | number | null;
  negate: boolean;
}

function bad(message: string): never {
  throw stripeError(400, message, { param: 'query' });
}

export function parseQuery(q: string, fields: Fields, resource: string): { clauses: Clause[]; joiner: 'AND' | 'OR' } {
  let i = 0;
  const clauses: Clause[] = [];
  let joiner: 'AND' | 'OR' | null = null;
  const ws = () => {
    while (i < q.length && /\s/.test(q[i] as string)) i++;
  };
  const quoted = (): string => {
    const quote = q[i];
    i++;
    let out = '';
    while (i < q.length && q[i] !== quote) {
      if (q[i] === '\\' && i + 1 < q.length) i++;
      out += q[i];
      i++;
    }
    if (i >= q.length) bad(`Invalid search query: unterminated string in '${q}'.`);
    i++;
    return out;
  };
  ws();
  if (i >= q.length) bad('The search query cannot be empty.');
  while (i < q.length) {
    const negate = q[i] === '-';
    if (negate) i++;
    const fm = /^[a-z_]+/.exec(q.slice(i));
    if (!fm) bad(`Invalid search query at position ${i}: expected a field name in '${q}'.`);
    const field = fm[0];
    i += field.length;
    let key: string | undefined;
    if (field === 'metadata') {
      if (q[i] !== '[') bad("Metadata queries need a key: metadata['key']:'value'.");
      i++;
      if (q[i] !== "'" && q[i] !== '"') bad("Metadata keys must be quoted: metadata['key'].");
      key = quoted();
      if (q[i] !== ']') bad("Invalid search query: expected ']' after the metadata key.");
      i++;
    } else if (!fields[field]) {
      bad(`Field '${field}' is an unsupported search field for resource ${resource}. See https://stripe.com/docs/search#query-fields-for-${resource.replace(/_/g, '-')} for a list of supported fields.`);
    }
    const om = /^(>=|<=|:|~|>|<)/.exec(q.slice(i));
    if (!om) bad(`Invalid search query at position ${i}: expected an operator (:, ~, >, <, >=, <=) after '${field}'.`);
    const op = om[0] as Clause['op'];
    i += op.length;
    let value: string | number | null;
    if (q[i] === "'" || q[i] === '"') value = quoted();
    else {
      const vm = /^[^\s]+/.exec(q.slice(i));
      if (!vm) bad(`Invalid search query: missing a value after '${field}${op}'.`);
      i += vm[0].length;
      if (vm[0] === 'null') value = null;
      else if (/^-?\d+(\.\d+)?$/.test(vm[0])) value = Number(vm[0]);
      else if (vm[0] === 'true' || vm[0] === 'false') value = vm[0];
      else bad(`Invalid search query: string values must be quoted ('${vm[0]}').`);
    }
    const spec = field === 'metadata' ? ({ kind: 'string', get: () => null } as FieldSpec) : (fields[field] as FieldSpec);
    if (op === '~') {
      if (!spec.substring) bad(`Field '${field}' does not support the substring operator (~).`);
      if (typeof value !== 'string' || value.length < 3) bad('Substring matches (~) need a value of at least 3 characters.');
    }
    if ((op === '>' || op === '<' || op === '>=' || op === '<=') && spec.kind !== 'number') {
      bad(`Field '${field}' does not support the ${op} operator.`);
    }
    if (negate && op !== ':') bad('Negation (-) is only supported for exact matches (:).');
    clauses.push({ field, key, op, value, negate });
    ws();
    if (i >= q.length) break;
    // Clauses join with AND or OR (any case) or, as AND, with only a space between them.
    const jm = /^(and|or)(\s|$)/i.exec(q.slice(i));
    const j = (jm ? (jm[1] as string).toUpperCase() : 'AND') as 'AND' | 'OR';
    if (joiner && joiner !== j) bad('Search queries cannot combine AND and OR.');
    joiner = j;
    if (jm) {
      i += (jm[1] as string).length;
      ws();
      if (i >= q.length) bad(`Invalid search query: a clause must follow ${j}.`);
    }
  }
  if (clauses.length > 10) bad('Search queries are limited to 10 clauses.');
  return { clauses, joiner: joiner ?? 'AND' };
}

function matches(o: Obj, c: Clause, fields: Fields): boolean {
  const actual = c.field === 'metadata' ? (o.metadata?.[c.key as string] ?? null) : (fields[c.field] as FieldSpec).get(o);
  let hit: boolean;
  if (c.value === null) hit = actual === null || actual === undefined || actual === '';
  else if (actual === null || actual === undefined) hit = false;
  else if (c.op === ':') {
    if (typeof actual === 'number') hit = actual === Number(c.value);
    else hit = String(actual).toLowerCase() === String(c.value).toLowerCase();
  } else if (c.op === '~') hit = String(actual).toLowerCase().includes(String(c.value).toLowerCase());
  else {
    const a = Number(actual);
    const b = Number(c.value);
    hit = c.op === '>' ? a > b : c.op === '<' ? a < b : c.op === '>=' ? a >= b : a <= b;
  }
  return c.negate ? !hit : hit;
}

export interface SearchResult {
  object: 'search_result';
  data: Obj[];
  has_more: boolean;
  next_page: string | null;
  url: string;
  total_count?: number;
}

export function searchParams(params: Params): { query: string; limit: number; offset: number } {
  checkKeys(params, ['query', 'limit', 'page', 'expand']);
  const query = reqString(params, 'query');
  let limit = 10;
  if (params.limit !== undefined && params.limit !== '') {
    limit = toInt(params.limit, 'limit');
    if (limit < 1 || limit > 100) throw stripeError(400, 'Invalid limit: must be between 1 and 100', { code: 'parameter_invalid_integer', param: 'limit' });
  }
  let offset = 0;
  const page = optString(params, 'page');
  if (page) {
    try {
      const decoded = JSON.parse(Buffer.from(page, 'base64url').toString('utf8')) as { o?: unknown };
      offset = typeof decoded.o === 'number' && decoded.o >= 0 ? decoded.o : Number.NaN;
    } catch {
      offset = Number.NaN;
    }
    if (!Number.isInteger(offset)) throw stripeError(400, `Invalid page: ${page}`, { param: 'page' });
  }
  return { query, limit, offset };
}

/** Filters `items` (already newest first) and cuts one page. */
export function runSearch(items: Obj[], params: Params, fields: Fields, resource: string): SearchResult {
  const { query, limit, offset } = searchParams(params);
  const { clauses, joiner } = parseQuery(query, fields, resource);
  const hits = items.filter((o) => (joiner === 'AND' ? clauses.every((c) => matches(o, c, fields)) : clauses.some((c) => matches(o, c, fields))));
  const data = hits.slice(offset, offset + limit);
  const has_more = offset + limit < hits.length;
  return {
    object: 'search_result',
    data,
    has_more,
    next_page: has_more ? Buffer.from(JSON.stringify({ o: offset + limit })).toString('base64url') : null,
    url: `/v1/${resource}/search`,
    ...(expandList(params).includes('total_count') ? { total_count: hits.length } : {}),
  };
}
