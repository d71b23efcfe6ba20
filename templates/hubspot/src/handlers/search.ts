import { validation } from '../errors.ts';
import { COLS, toObject, type CrmObject } from '../lookup.ts';
import { render } from '../render.ts';
import type { Catalog } from '../catalog.ts';
import { SEARCHABLE, type ObjectType } from '../schema.ts';
import type { Call, Result } from '../types.ts';

/**
 * POST /crm/v3/objects/{type}/search: filterGroups (OR of groups, AND within a group),
 * `query` over the type's searchable properties, sorts, `after` (an offset) and `limit`.
 * Evaluated in memory over the type's live objects, like HubSpot's search index (which
 * never sees archived objects). Limits are HubSpot's: 5 groups, 6 filters per group, 18
 * filters in all, 200 results per page, 10,000 results per query.
 */

const OPERATORS = ['EQ', 'NEQ', 'LT', 'LTE', 'GT', 'GTE', 'BETWEEN', 'IN', 'NOT_IN', 'HAS_PROPERTY', 'NOT_HAS_PROPERTY', 'CONTAINS_TOKEN', 'NOT_CONTAINS_TOKEN'];

interface Filter {
  propertyName: string;
  operator: string;
  value?: string;
  highValue?: string;
  values?: string[];
}

type Kind = 'number' | 'date' | 'string';

function kindOf(catalog: Catalog, type: ObjectType, name: string): Kind {
  if (name === 'hs_object_id') return 'number';
  const def = catalog.def(type, name);
  if (def?.type === 'number') return 'number';
  if (def?.type === 'datetime' || def?.type === 'date') return 'date';
  return 'string';
}

function valueOf(o: CrmObject, name: string): string | undefined {
  if (name === 'hs_object_id') return String(o.id);
  const v = o.properties[name];
  return v === undefined || v === '' ? undefined : v;
}

/** Comparable form: numbers and dates (ISO or epoch millis) as numbers, strings lowercased. */
function comparable(kind: Kind, v: string): number | string {
  if (kind === 'number') return Number(v);
  if (kind === 'date') return /^\d+$/.test(v) ? Number(v) : Date.parse(v);
  return v.toLowerCase();
}

const tokens = (s: string) => s.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);

function globMatch(pattern: string, text: string): boolean {
  const re = new RegExp(`^${pattern.toLowerCase().split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return re.test(text.toLowerCase());
}

function containsToken(v: string, needle: string): boolean {
  if (needle.includes('*')) return globMatch(needle, v) || tokens(v).some((t) => globMatch(needle, t));
  const hay = tokens(v);
  const want = tokens(needle);
  if (!want.length) return false;
  // Consecutive tokens: "acme.test" matches an email at acme.test.
  for (let i = 0; i + want.length <= hay.length; i++) if (want.every((w, j) => hay[i + j] === w)) return true;
  return false;
}

function matches(catalog: Catalog, type: ObjectType, o: CrmObject, f: Filter): boolean {
  const raw = valueOf(o, f.propertyName);
  const kind = kindOf(catalog, type, f.propertyName);
  switch (f.operator) {
    case 'HAS_PROPERTY':
      return raw !== undefined;
    case 'NOT_HAS_PROPERTY':
      return raw === undefined;
    case 'NEQ':
      return raw === undefined || comparable(kind, raw) !== comparable(kind, f.value ?? '');
    case 'NOT_IN':
      return raw === undefined || !(f.values ?? []).some((x) => comparable(kind, x) === comparable(kind, raw));
    case 'NOT_CONTAINS_TOKEN':
      return raw === undefined || !containsToken(raw, f.value ?? '');
  }
  if (raw === undefined) return false;
  const v = comparable(kind, raw);
  const x = comparable(kind, f.value ?? '');
  switch (f.operator) {
    case 'EQ':
      return v === x;
    case 'LT':
      return v < x;
    case 'LTE':
      return v <= x;
    case 'GT':
      return v > x;
    case 'GTE':
      return v >= x;
    case 'BETWEEN':
      return v >= x && v <= comparable(kind, f.highValue ?? '');
    case 'IN':
      return (f.values ?? []).some((y) => comparable(kind, y) === v);
    case 'CONTAINS_TOKEN':
      return containsToken(raw, f.value ?? '');
    default:
      return false;
  }
}

function readFilters(body: Record<string, any>): Filter[][] {
  const groups = body.filterGroups ?? [];
  if (!Array.isArray(groups)) throw validation('filterGroups must be an array');
  if (groups.length > 5) throw validation(`Too many filter groups: ${groups.length}; the maximum is 5`, [{ message: 'at most 5 filterGroups', code: 'TOO_MANY_FILTER_GROUPS', in: 'filterGroups' }]);
  let total = 0;
  const out = groups.map((g: any, gi: number) => {
    const filters = Array.isArray(g?.filters) ? g.filters : [];
    if (filters.length > 6) throw validation(`Too many filters in filterGroups[${gi}]: ${filters.length}; the maximum is 6`, [{ message: 'at most 6 filters per group', code: 'TOO_MANY_FILTERS', in: `filterGroups[${gi}]` }]);
    total += filters.length;
    return filters.map((f: any, fi: number): Filter => {
      const where = `filterGroups[${gi}].filters[${fi}]`;
      if (!f || typeof f.propertyName !== 'string' || !f.propertyName) throw validation(`${where}.propertyName is required`, [{ message: 'propertyName is required', code: 'REQUIRED_FIELD', in: `${where}.propertyName` }]);
      const operator = String(f.operator ?? 'EQ');
      if (!OPERATORS.includes(operator)) throw validation(`Invalid operator ${operator} at ${where}`, [{ message: `operator must be one of ${OPERATORS.join(', ')}`, code: 'INVALID_ENUM', in: `${where}.operator` }]);
      const needsValue = ['EQ', 'NEQ', 'LT', 'LTE', 'GT', 'GTE', 'BETWEEN', 'CONTAINS_TOKEN', 'NOT_CONTAINS_TOKEN'].includes(operator);
      if (needsValue && (f.value === undefined || f.value === null)) throw validation(`${where}: operator ${operator} needs a value`, [{ message: `${operator} needs a value`, code: 'REQUIRED_FIELD', in: `${where}.value` }]);
      if (operator === 'BETWEEN' && (f.highValue === undefined || f.highValue === null)) throw validation(`${where}: BETWEEN needs a highValue`, [{ message: 'BETWEEN needs a highValue', code: 'REQUIRED_FIELD', in: `${where}.highValue` }]);
      if ((operator === 'IN' || operator === 'NOT_IN') && !Array.isArray(f.values)) throw validation(`${where}: ${operator} needs values`, [{ message: `${operator} needs values`, code: 'REQUIRED_FIELD', in: `${where}.values` }]);
      return {
        propertyName: f.propertyName,
        operator,
        value: f.value === undefined || f.value === null ? undefined : String(f.value),
        highValue: f.highValue === undefined || f.highValue === null ? undefined : String(f.highValue),
        values: Array.isArray(f.values) ? f.values.map(String) : undefined,
      };
    });
  });
  if (total > 18) throw validation(`Too many filters: ${total}; the maximum is 18`);
  return out;
}

interface Sort {
  name: string;
  desc: boolean;
}

function readSorts(body: Record<string, any>): Sort[] {
  const sorts = body.sorts ?? [];
  if (!Array.isArray(sorts)) throw validation('sorts must be an array');
  return sorts.map((s: any) => {
    if (typeof s === 'string') return s.startsWith('-') ? { name: s.slice(1), desc: true } : { name: s, desc: false };
    return { name: String(s?.propertyName ?? ''), desc: String(s?.direction ?? 'ASCENDING').toUpperCase() === 'DESCENDING' };
  }).filter((s: Sort) => s.name);
}

function queryMatch(type: ObjectType, o: CrmObject, words: string[]): boolean {
  const hay = SEARCHABLE[type].map((n) => o.properties[n]).filter((v): v is string => !!v);
  const toks = hay.flatMap(tokens);
  const full = hay.join(' ').toLowerCase();
  return words.every((w) => full.includes(w) || toks.some((t) => t.startsWith(w)));
}

export async function search(c: Call): Promise<Result> {
  const groups = readFilters(c.body);
  const sorts = readSorts(c.body);
  const limit = c.body.limit === undefined ? 10 : Number(c.body.limit);
  if (!Number.isInteger(limit) || limit < 0 || limit > 200) throw validation(`limit must be between 0 and 200, got ${c.body.limit}`, [{ message: 'limit must be between 0 and 200', code: 'INVALID_LIMIT', in: 'limit' }]);
  const after = c.body.after === undefined || c.body.after === null || c.body.after === '' ? 0 : Number(c.body.after);
  if (!Number.isInteger(after) || after < 0) throw validation(`after must be a number from a previous page, got ${c.body.after}`);
  if (after >= 10_000) throw validation('Search results are limited to 10,000 per query; narrow the filters');
  const query = typeof c.body.query === 'string' ? tokens(c.body.query) : [];
  const rows = await c.ctx.db.unsafe(`select ${COLS} from crm_objects where type = $1 and not archived order by id`, [c.type]);
  let hits = rows.map(toObject).filter((o: CrmObject) => (groups.length === 0 || groups.some((g) => g.every((f) => matches(c.catalog, c.type, o, f)))) && (query.length === 0 || queryMatch(c.type, o, query)));
  if (sorts.length) {
    hits = [...hits].sort((a, b) => {
      for (const s of sorts) {
        const kind = kindOf(c.catalog, c.type, s.name);
        const va = valueOf(a, s.name);
        const vb = valueOf(b, s.name);
        if (va === vb) continue;
        // Objects without the property sort last either way.
        if (va === undefined) return 1;
        if (vb === undefined) return -1;
        const x = comparable(kind, va);
        const y = comparable(kind, vb);
        if (x < y) return s.desc ? 1 : -1;
        if (x > y) return s.desc ? -1 : 1;
      }
      return a.id - b.id;
    });
  }
  const total = hits.length;
  const page = hits.slice(after, after + limit);
  const props = Array.isArray(c.body.properties) ? c.body.properties.map(String) : undefined;
  const body: Record<string, unknown> = { total, results: await render(c.ctx.db, c.catalog, page, { properties: props?.length ? props : undefined }) };
  const next = after + limit;
  if (limit > 0 && next < Math.min(total, 10_000)) body.paging = { next: { after: String(next) } };
  return { status: 200, body };
}
