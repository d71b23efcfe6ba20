import { validation } from './errors.ts';
import { COLORS, dateValue, normId, plain, richText, shortId, type Json } from './util.ts';
import { clockNow } from '../../_kit/clock.ts';

/**
 * Data source property schemas (configs) and page property values: validation of what the
 * API accepts, the stored form, and the rendered response form; query filters and sorts.
 */
export const PROPERTY_TYPES = ['title', 'rich_text', 'number', 'select', 'multi_select', 'status', 'date', 'people', 'checkbox', 'url', 'email', 'phone_number', 'relation', 'created_time', 'last_edited_time', 'created_by', 'last_edited_by', 'unique_id'] as const;
const COMPUTED = new Set(['created_time', 'last_edited_time', 'created_by', 'last_edited_by', 'unique_id']);
export interface PropConfig extends Json {
  id: string;
  name: string;
  type: string;
  description: string | null;
}

const option = (o: Json, path: string, rand: () => number): Json => {
  if (typeof o?.name !== 'string' || !o.name) throw validation(`body failed validation: ${path}.name should be a string, instead was \`${JSON.stringify(o?.name)}\`.`);
  if (o.name.includes(',')) throw validation(`body failed validation: ${path}.name should not contain commas.`);
  const c = o.color ?? 'default';
  if (!(COLORS as readonly string[]).includes(c)) throw validation(`body failed validation: ${path}.color should be a valid select color, instead was \`${JSON.stringify(c)}\`.`);
  return { id: typeof o.id === 'string' ? o.id : crypto.randomUUID(), name: o.name, color: c, description: typeof o.description === 'string' ? o.description : null };
};

export function defaultStatus(rand: () => number = Math.random, uuid: () => string = () => crypto.randomUUID()): Json {
  const opts = [
    { id: uuid(), name: 'Not started', color: 'default', description: null },
    { id: uuid(), name: 'In progress', color: 'blue', description: null },
    { id: uuid(), name: 'Done', color: 'green', description: null },
  ];
  void rand;
  return {
    options: opts,
    groups: [
      { id: uuid(), name: 'To-do', color: 'gray', option_ids: [opts[0]!.id] },
      { id: uuid(), name: 'In progress', color: 'blue', option_ids: [opts[1]!.id] },
      { id: uuid(), name: 'Complete', color: 'green', option_ids: [opts[2]!.id] },
    ],
  };
}

export interface RelationTarget {
  dataSourceId: string;
  databaseId: string;
}

/** One property config from a request (`{select: {options}}`, `{type: 'number', number: {}}`, …). */
export function configOf(name: string, input: Json, path: string, resolveDs: (id: string) => RelationTarget | null, rand: () => number = Math.random): PropConfig {
  const type = typeof input.type === 'string' ? input.type : PROPERTY_TYPES.find((t) => t in input);
  if (!type || !(PROPERTY_TYPES as readonly string[]).includes(type)) {
    const known = Object.keys(input).filter((k) => k !== 'name' && k !== 'description' && k !== 'type');
    throw validation(
      known.length
        ? `body failed validation: ${path}.${known[0]} is a property type this asym Notion clone does not emulate (it emulates ${PROPERTY_TYPES.join(', ')}).`
        : `body failed validation: ${path} should be a property schema object with a type key, instead was \`${JSON.stringify(input)}\`.`,
    );
  }
  const raw = (input[type] ?? {}) as Json;
  const base: PropConfig = { id: type === 'title' ? 'title' : shortId(rand), name, type, description: typeof input.description === 'string' ? input.description : null };
  switch (type) {
    case 'number':
      return { ...base, number: { format: typeof raw.format === 'string' ? raw.format : 'number' } };
    case 'select':
    case 'multi_select':
      return { ...base, [type]: { options: (Array.isArray(raw.options) ? raw.options : []).map((o: Json, i: number) => option(o, `${path}.${type}.options[${i}]`, rand)) } };
    case 'status':
      if (Array.isArray(raw.options) && raw.options.length) {
        const opts = raw.options.map((o: Json, i: number) => option(o, `${path}.status.options[${i}]`, rand));
        const d = defaultStatus(rand);
        d.groups[0].option_ids = opts.map((o: Json) => o.id);
        d.groups[1].option_ids = [];
        d.groups[2].option_ids = [];
        return { ...base, status: { options: opts, groups: d.groups } };
      }
      return { ...base, status: defaultStatus(rand) };
    case 'relation': {
      const dsId = normId(raw.data_source_id);
      const target = dsId ? resolveDs(dsId) : null;
      if (!target) throw validation(`body failed validation: ${path}.relation.data_source_id should be the id of a data source shared with the integration, instead was \`${JSON.stringify(raw.data_source_id)}\`.`);
      const kind = raw.type === 'dual_property' || raw.dual_property ? 'dual_property' : 'single_property';
      return { ...base, relation: { data_source_id: target.dataSourceId, database_id: target.databaseId, type: kind, [kind]: {} } };
    }
    case 'unique_id':
      return { ...base, unique_id: { prefix: typeof raw.prefix === 'string' ? raw.prefix : null } };
    default:
      return { ...base, [type]: {} };
  }
}

export const findProp = (props: PropConfig[], key: string): PropConfig | undefined =>
  props.find((p) => p.name === key) ?? props.find((p) => p.id === key) ?? props.find((p) => p.id === decodeURIComponent(key));

export interface ValueEnv {
  userExists(id: string): boolean;
  /** Is `id` a live page of data source `ds`? */
  pageIn(id: string, ds: string): boolean;
  names(id: string): string | undefined;
}

/**
 * A property value from a request into its stored form. Select and multi-select options
 * that do not exist yet are added to `prop` (Notion does the same); `changed` reports it.
 */
export function storedValue(prop: PropConfig, input: unknown, env: ValueEnv): { value: unknown; schemaChanged: boolean } {
  const name = prop.name;
  const p = `body.properties.${name}`;
  const v = (input ?? {}) as Json;
  if (COMPUTED.has(prop.type)) throw validation(`${name} is a read-only property (${prop.type}) and cannot be set.`);
  if (typeof input !== 'object' || input === null || Array.isArray(input) || !(prop.type in v)) {
    const given = input && typeof input === 'object' ? PROPERTY_TYPES.find((t) => t in (input as Json)) : undefined;
    if (given && given !== prop.type) throw validation(`${name} is expected to be ${prop.type}.`);
    throw validation(`body failed validation: ${p}.${prop.type} should be defined, instead was \`undefined\`.`);
  }
  const x = v[prop.type];
  let schemaChanged = false;
  const pickOption = (o: Json, path: string, create: boolean): Json => {
    const options = prop[prop.type].options as Json[];
    if (o && typeof o.id === 'string') {
      const found = options.find((q) => q.id === o.id);
      if (!found) throw validation(`body failed validation: ${path}.id: an option with id ${o.id} does not exist on ${name}.`);
      return { id: found.id, name: found.name, color: found.color };
    }
    if (!o || typeof o.name !== 'string' || !o.name) throw validation(`body failed validation: ${path}.name should be defined, instead was \`undefined\`.`);
    const found = options.find((q) => q.name === o.name);
    if (found) return { id: found.id, name: found.name, color: found.color };
    if (!create) throw validation(`Invalid status option. Status option "${o.name}" does not exist.`);
    if (o.name.includes(',')) throw validation(`Invalid select option, commas not allowed: ${o.name}`);
    const made = { id: crypto.randomUUID(), name: o.name, color: typeof o.color === 'string' && (COLORS as readonly string[]).includes(o.color) ? o.color : 'default', description: null };
    options.push(made);
    schemaChanged = true;
    return { id: made.id, name: made.name, color: made.color };
  };
  const str = (max: number) => {
    if (x === null) return null;
    if (typeof x !== 'string') throw validation(`${name} is expected to be ${prop.type}.`);
    if (x.length > max) throw validation(`body failed validation: ${p}.${prop.type}.length should be ≤ \`${max}\`, instead was \`${x.length}\`.`);
    return x;
  };
  let value: unknown;
  switch (prop.type) {
    case 'title':
    case 'rich_text':
      value = richText(x, `${p}.${prop.type}`, env.names);
      break;
    case 'number':
      if (x !== null && (typeof x !== 'number' || !Number.isFinite(x))) throw validation(`${name} is expected to be number.`);
      value = x;
      break;
    case 'checkbox':
      if (typeof x !== 'boolean') throw validation(`${name} is expected to be checkbox.`);
      value = x;
      break;
    case 'url':
      value = str(2000);
      break;
    case 'email':
    case 'phone_number':
      value = str(200);
      break;
    case 'select':
      value = x === null ? null : pickOption(x, `${p}.select`, true);
      break;
    case 'status':
      value = x === null ? null : pickOption(x, `${p}.status`, false);
      break;
    case 'multi_select':
      if (!Array.isArray(x)) throw validation(`${name} is expected to be multi_select.`);
      value = x.map((o, i) => pickOption(o, `${p}.multi_select[${i}]`, true)).filter((o, i, all) => all.findIndex((q) => q.id === o.id) === i);
      break;
    case 'date':
      value = x === null ? null : dateValue(x, `${p}.date`);
      break;
    case 'people': {
      if (!Array.isArray(x)) throw validation(`${name} is expected to be people.`);
      value = x.map((u: Json, i: number) => {
        const id = normId(u?.id);
        if (!id) throw validation(`body failed validation: ${p}.people[${i}].id should be a valid uuid, instead was \`${JSON.stringify(u?.id)}\`.`);
        if (!env.userExists(id)) throw validation(`Could not find user with ID: ${id}.`);
        return id;
      });
      break;
    }
    case 'relation': {
      if (!Array.isArray(x)) throw validation(`${name} is expected to be relation.`);
      if (x.length > 100) throw validation(`body failed validation: ${p}.relation.length should be ≤ \`100\`, instead was \`${x.length}\`.`);
      const ds = prop.relation.data_source_id as string;
      value = [
        ...new Set(
          x.map((r: Json, i: number) => {
            const id = normId(r?.id);
            if (!id) throw validation(`body failed validation: ${p}.relation[${i}].id should be a valid uuid, instead was \`${JSON.stringify(r?.id)}\`.`);
            if (!env.pageIn(id, ds)) throw validation(`Could not find page with ID: ${id}. Relation ${name} points at data source ${ds}.`);
            return id;
          }),
        ),
      ];
      break;
    }
    default:
      throw validation(`${name} is a property type this clone does not write.`);
  }
  return { value, schemaChanged };
}

export interface PageMeta {
  id: string;
  created_time: string;
  last_edited_time: string;
  created_by: string;
  last_edited_by: string;
  unique: number | null;
}

/** The response form of one value: `{id, type, <type>: …}`. */
export function renderValue(prop: PropConfig, stored: unknown, meta: PageMeta, user: (id: string) => Json): Json {
  const out: Json = { id: prop.id, type: prop.type };
  switch (prop.type) {
    case 'title':
    case 'rich_text':
    case 'multi_select':
      out[prop.type] = stored ?? [];
      break;
    case 'people':
      out.people = ((stored ?? []) as string[]).map(user);
      break;
    case 'relation':
      out.relation = ((stored ?? []) as string[]).map((id) => ({ id }));
      break;
    case 'checkbox':
      out.checkbox = stored === true;
      break;
    case 'created_time':
      out.created_time = meta.created_time;
      break;
    case 'last_edited_time':
      out.last_edited_time = meta.last_edited_time;
      break;
    case 'created_by':
      out.created_by = user(meta.created_by);
      break;
    case 'last_edited_by':
      out.last_edited_by = user(meta.last_edited_by);
      break;
    case 'unique_id':
      out.unique_id = { prefix: prop.unique_id?.prefix ?? null, number: meta.unique };
      break;
    default:
      out[prop.type] = stored ?? null;
  }
  return out;
}

// ---- query filters and sorts, over rendered pages

type Rendered = Json;
const CONDITIONS: Record<string, string[]> = {
  text: ['equals', 'does_not_equal', 'contains', 'does_not_contain', 'starts_with', 'ends_with', 'is_empty', 'is_not_empty'],
  number: ['equals', 'does_not_equal', 'greater_than', 'less_than', 'greater_than_or_equal_to', 'less_than_or_equal_to', 'is_empty', 'is_not_empty'],
  checkbox: ['equals', 'does_not_equal'],
  select: ['equals', 'does_not_equal', 'is_empty', 'is_not_empty'],
  multi_select: ['contains', 'does_not_contain', 'is_empty', 'is_not_empty'],
  date: ['equals', 'before', 'after', 'on_or_before', 'on_or_after', 'is_empty', 'is_not_empty', 'past_week', 'past_month', 'past_year', 'next_week', 'next_month', 'next_year', 'this_week'],
  people: ['contains', 'does_not_contain', 'is_empty', 'is_not_empty'],
};
const FILTER_KIND: Record<string, string> = {
  title: 'text', rich_text: 'text', url: 'text', email: 'text', phone_number: 'text', number: 'number', checkbox: 'checkbox', select: 'select', status: 'select',
  multi_select: 'multi_select', date: 'date', created_time: 'date', last_edited_time: 'date', people: 'people', created_by: 'people', last_edited_by: 'people', relation: 'people', unique_id: 'number',
};

function valueOf(v: Json): unknown {
  switch (v.type) {
    case 'title':
    case 'rich_text':
      return plain(v[v.type]);
    case 'select':
    case 'status':
      return v[v.type]?.name ?? null;
    case 'multi_select':
      return (v.multi_select as Json[]).map((o) => o.name);
    case 'date':
      return v.date?.start ?? null;
    case 'people':
      return (v.people as Json[]).map((u) => u.id);
    case 'created_by':
    case 'last_edited_by':
      return [v[v.type].id];
    case 'relation':
      return (v.relation as Json[]).map((r) => r.id);
    case 'unique_id':
      return v.unique_id?.number ?? null;
    default:
      return v[v.type];
  }
}

const DAY = 86_400_000;
function dateCmp(value: string, target: string): number {
  // A date-only target compares calendar days; otherwise instants.
  if (target.length === 10) return value.slice(0, 10) < target ? -1 : value.slice(0, 10) > target ? 1 : 0;
  const a = Date.parse(value.length === 10 ? `${value}T00:00:00Z` : value);
  const b = Date.parse(target);
  return a < b ? -1 : a > b ? 1 : 0;
}

function test(kind: string, cond: string, arg: unknown, value: unknown, path: string): boolean {
  const empty = value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0);
  if (cond === 'is_empty') return arg === true ? empty : !empty;
  if (cond === 'is_not_empty') return arg === true ? !empty : empty;
  switch (kind) {
    case 'text': {
      if (typeof arg !== 'string') throw validation(`body failed validation: ${path}.${cond} should be a string, instead was \`${JSON.stringify(arg)}\`.`);
      const s = String(value ?? '').toLowerCase();
      const a = arg.toLowerCase();
      if (cond === 'equals') return String(value ?? '') === arg;
      if (cond === 'does_not_equal') return String(value ?? '') !== arg;
      if (cond === 'contains') return s.includes(a);
      if (cond === 'does_not_contain') return !s.includes(a);
      if (cond === 'starts_with') return s.startsWith(a);
      return s.endsWith(a);
    }
    case 'number': {
      if (typeof arg !== 'number') throw validation(`body failed validation: ${path}.${cond} should be a number, instead was \`${JSON.stringify(arg)}\`.`);
      if (value === null || value === undefined) return cond === 'does_not_equal';
      const n = value as number;
      return cond === 'equals' ? n === arg : cond === 'does_not_equal' ? n !== arg : cond === 'greater_than' ? n > arg : cond === 'less_than' ? n < arg : cond === 'greater_than_or_equal_to' ? n >= arg : n <= arg;
    }
    case 'checkbox':
      if (typeof arg !== 'boolean') throw validation(`body failed validation: ${path}.${cond} should be a boolean, instead was \`${JSON.stringify(arg)}\`.`);
      return cond === 'equals' ? value === arg : value !== arg;
    case 'select':
      if (typeof arg !== 'string') throw validation(`body failed validation: ${path}.${cond} should be a string, instead was \`${JSON.stringify(arg)}\`.`);
      return cond === 'equals' ? value === arg : value !== arg;
    case 'multi_select':
    case 'people': {
      if (typeof arg !== 'string') throw validation(`body failed validation: ${path}.${cond} should be a string, instead was \`${JSON.stringify(arg)}\`.`);
      const list = (value ?? []) as string[];
      const want = kind === 'people' ? (normId(arg) ?? arg) : arg;
      return cond === 'contains' ? list.includes(want) : !list.includes(want);
    }
    case 'date': {
      if (['past_week', 'past_month', 'past_year', 'next_week', 'next_month', 'next_year', 'this_week'].includes(cond)) {
        if (empty) return false;
        const t = Date.parse(String(value).length === 10 ? `${value}T00:00:00Z` : String(value));
        const now = clockNow().getTime();
        const span = cond.endsWith('week') ? 7 * DAY : cond.endsWith('month') ? 31 * DAY : 366 * DAY;
        if (cond === 'this_week') return Math.abs(t - now) <= 7 * DAY;
        return cond.startsWith('past') ? t <= now && t >= now - span : t >= now && t <= now + span;
      }
      if (typeof arg !== 'string' || Number.isNaN(Date.parse(arg))) throw validation(`body failed validation: ${path}.${cond} should be a valid ISO 8601 date string, instead was \`${JSON.stringify(arg)}\`.`);
      if (empty) return false;
      const c = dateCmp(String(value), arg);
      return cond === 'equals' ? c === 0 : cond === 'before' ? c < 0 : cond === 'after' ? c > 0 : cond === 'on_or_before' ? c <= 0 : c >= 0;
    }
  }
  return false;
}

/** Compiles a query filter into a predicate over rendered pages; throws Notion's validation errors. */
export function compileFilter(filter: unknown, props: PropConfig[], path = 'body.filter', depth = 0): (page: Rendered) => boolean {
  if (filter === undefined || filter === null) return () => true;
  if (typeof filter !== 'object' || Array.isArray(filter)) throw validation(`body failed validation: ${path} should be an object, instead was \`${JSON.stringify(filter)}\`.`);
  const f = filter as Json;
  for (const op of ['and', 'or'] as const) {
    if (op in f) {
      if (depth >= 2) throw validation(`body failed validation: ${path} exceeds the maximum nesting depth of 2 compound filters.`);
      if (!Array.isArray(f[op])) throw validation(`body failed validation: ${path}.${op} should be an array, instead was \`${JSON.stringify(f[op])}\`.`);
      const parts = (f[op] as unknown[]).map((x, i) => compileFilter(x, props, `${path}.${op}[${i}]`, depth + 1));
      return op === 'and' ? (pg) => parts.every((p) => p(pg)) : (pg) => parts.some((p) => p(pg));
    }
  }
  if (typeof f.timestamp === 'string') {
    const ts = f.timestamp;
    if (ts !== 'created_time' && ts !== 'last_edited_time') throw validation(`body failed validation: ${path}.timestamp should be "created_time" or "last_edited_time", instead was \`${JSON.stringify(ts)}\`.`);
    const [cond, arg] = condition(f[ts], 'date', `${path}.${ts}`);
    return (pg) => test('date', cond, arg, pg[ts], `${path}.${ts}`);
  }
  if (typeof f.property !== 'string') throw validation(`body failed validation: ${path}.property should be defined, instead was \`undefined\`.`);
  const prop = findProp(props, f.property);
  if (!prop) throw validation(`Could not find property with name or id: ${f.property}`);
  const typeKey = Object.keys(f).find((k) => k !== 'property' && k !== 'type');
  if (!typeKey) throw validation(`body failed validation: ${path}.${prop.type} should be defined, instead was \`undefined\`.`);
  const kind = FILTER_KIND[prop.type]!;
  const okKeys = prop.type === 'title' || prop.type === 'rich_text' || prop.type === 'url' || prop.type === 'email' || prop.type === 'phone_number' ? [prop.type, 'rich_text', 'title'] : prop.type === 'created_time' || prop.type === 'last_edited_time' ? [prop.type, 'date'] : prop.type === 'created_by' || prop.type === 'last_edited_by' ? [prop.type, 'people'] : [prop.type];
  if (!okKeys.includes(typeKey)) throw validation(`body failed validation: ${path}.${typeKey}: the property ${prop.name} is of type ${prop.type}, so the filter must use ${prop.type}.`);
  const [cond, arg] = condition(f[typeKey], kind, `${path}.${typeKey}`);
  return (pg) => {
    const v = Object.values(pg.properties as Json).find((x: Json) => x.id === prop.id) as Json | undefined;
    return v ? test(kind, cond, arg, valueOf(v), `${path}.${typeKey}`) : false;
  };
}

function condition(c: unknown, kind: string, path: string): [string, unknown] {
  if (!c || typeof c !== 'object') throw validation(`body failed validation: ${path} should be an object, instead was \`${JSON.stringify(c)}\`.`);
  const keys = Object.keys(c as Json);
  if (keys.length !== 1) throw validation(`body failed validation: ${path} should have exactly one condition, instead had ${keys.length}.`);
  const cond = keys[0]!;
  if (!CONDITIONS[kind]!.includes(cond)) throw validation(`body failed validation: ${path}.${cond} is not a condition for ${kind} filters; use one of ${CONDITIONS[kind]!.join(', ')}.`);
  return [cond, (c as Json)[cond]];
}

/** Comparator for a query's sorts (default: created_time descending). */
export function compileSorts(sorts: unknown, props: PropConfig[]): (a: Rendered, b: Rendered) => number {
  if (sorts !== undefined && !Array.isArray(sorts)) throw validation(`body failed validation: body.sorts should be an array, instead was \`${JSON.stringify(sorts)}\`.`);
  const list = ((sorts as Json[] | undefined) ?? []).map((s, i) => {
    const dir = s?.direction;
    if (dir !== 'ascending' && dir !== 'descending') throw validation(`body failed validation: body.sorts[${i}].direction should be "ascending" or "descending", instead was \`${JSON.stringify(dir)}\`.`);
    const sign = dir === 'ascending' ? 1 : -1;
    if (typeof s.timestamp === 'string') {
      if (s.timestamp !== 'created_time' && s.timestamp !== 'last_edited_time') throw validation(`body failed validation: body.sorts[${i}].timestamp should be "created_time" or "last_edited_time", instead was \`${JSON.stringify(s.timestamp)}\`.`);
      return (a: Rendered, b: Rendered) => sign * String(a[s.timestamp]).localeCompare(String(b[s.timestamp]));
    }
    const prop = typeof s.property === 'string' ? findProp(props, s.property) : undefined;
    if (!prop) throw validation(`Could not find sort property with name or id: ${s?.property}`);
    const key = (pg: Rendered) => {
      const v = Object.values(pg.properties as Json).find((x: Json) => x.id === prop.id) as Json | undefined;
      const raw = v ? valueOf(v) : null;
      if (prop.type === 'select' || prop.type === 'status') {
        const opts = (prop[prop.type].options as Json[]).map((o) => o.name);
        return raw === null ? null : opts.indexOf(raw as string);
      }
      if (Array.isArray(raw)) return raw.length ? raw.join(',') : null;
      return raw === '' ? null : raw;
    };
    return (a: Rendered, b: Rendered) => {
      const x = key(a);
      const y = key(b);
      if (x === y) return 0;
      if (x === null || x === undefined) return 1; // empty values last either way
      if (y === null || y === undefined) return -1;
      if (typeof x === 'number' && typeof y === 'number') return sign * (x - y);
      if (typeof x === 'boolean') return sign * (Number(x) - Number(y));
      return sign * String(x).localeCompare(String(y));
    };
  });
  if (!list.length) list.push((a, b) => String(b.created_time).localeCompare(String(a.created_time)));
  return (a, b) => {
    for (const cmp of list) {
      const r = cmp(a, b);
      if (r) return r;
    }
    return 0;
  };
}
