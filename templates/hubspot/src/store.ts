import type { KitContext } from '../../_kit/types.ts';
import { hsError, invalidProperties, notFound, type PropertyProblem } from './errors.ts';
import {
  ASSOC_TYPES,
  DEAL_STAGES,
  DEFAULT_PROPERTIES,
  LAST_MODIFIED,
  PROPERTIES,
  UNIQUE_PROPERTIES,
  assocType,
  defaultAssoc,
  propertyDef,
  type ObjectType,
} from './schema.ts';
import { clockNow } from '../../_kit/clock.ts';

/**
 * CRM objects in Postgres: one crm_objects row per object (properties as jsonb), every
 * property write in property_history, associations as one row per direction. Rendering
 * turns rows into HubSpot's SimplePublicObject(WithAssociations) JSON.
 */

/** Anything that runs a parameterised query: the pool (ctx.db) or a transaction. */
export interface Exec {
  unsafe(text: string, params?: unknown[]): Promise<any>;
}

export interface CrmObject {
  id: number;
  type: ObjectType;
  properties: Record<string, string>;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
  archivedAt: string | null;
  mergedInto: number | null;
}

const iso = (v: unknown): string => (v instanceof Date ? v.toISOString() : new Date(String(v)).toISOString());

export function toObject(r: Record<string, unknown>): CrmObject {
  const props: Record<string, string> = typeof r.properties === 'string' ? JSON.parse(r.properties) : (r.properties as Record<string, string>);
  return {
    id: Number(r.id),
    type: r.type as ObjectType,
    properties: props,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
    archived: Boolean(r.archived),
    archivedAt: r.archived_at ? iso(r.archived_at) : null,
    mergedInto: r.merged_into === null || r.merged_into === undefined ? null : Number(r.merged_into),
  };
}

export const COLS = 'id, type, properties, created_at, updated_at, archived, archived_at, merged_into';

export const isId = (s: string): boolean => /^\d{1,18}$/.test(s);

export async function loadById(db: Exec, type: ObjectType, id: number): Promise<CrmObject | null> {
  const rows = await db.unsafe(`select ${COLS} from crm_objects where id = $1 and type = $2`, [id, type]);
  return rows[0] ? toObject(rows[0]) : null;
}

export async function loadMany(db: Exec, type: ObjectType, ids: number[]): Promise<Map<number, CrmObject>> {
  const out = new Map<number, CrmObject>();
  if (!ids.length) return out;
  const rows = await db.unsafe(`select ${COLS} from crm_objects where type = $1 and id = any($2::bigint[])`, [type, ids]);
  for (const r of rows) out.set(Number(r.id), toObject(r));
  return out;
}

/** The idProperty of a read, update or upsert must be one that identifies a single object. */
export function checkIdProperty(type: ObjectType, idProperty: string | undefined): string | undefined {
  if (!idProperty || idProperty === 'hs_object_id') return undefined;
  if (!UNIQUE_PROPERTIES[type].includes(idProperty)) {
    throw hsError(400, 'VALIDATION_ERROR', `${idProperty} is not a unique identifier property for ${type}; use one of ${UNIQUE_PROPERTIES[type].join(', ')}`);
  }
  return idProperty;
}

/**
 * One object by id (or by a unique idProperty value). `archived` picks archived objects
 * only, as HubSpot's `archived=true` does. A merged-away id resolves to the object it was
 * merged into, as HubSpot redirects it.
 */
export async function findObject(db: Exec, type: ObjectType, ref: string, opts: { idProperty?: string; archived?: boolean } = {}): Promise<CrmObject | null> {
  const idProperty = checkIdProperty(type, opts.idProperty);
  let obj: CrmObject | null = null;
  if (idProperty) {
    const rows = await db.unsafe(
      `select ${COLS} from crm_objects where type = $1 and archived = $2 and lower(properties->>$3) = lower($4) order by id limit 1`,
      [type, opts.archived === true, idProperty, ref],
    );
    obj = rows[0] ? toObject(rows[0]) : null;
    return obj;
  }
  if (!isId(ref)) return null;
  obj = await loadById(db, type, Number(ref));
  if (obj && obj.mergedInto !== null && !opts.archived) {
    const into = await loadById(db, type, obj.mergedInto);
    if (into && !into.archived) return into;
  }
  if (!obj || obj.archived !== (opts.archived === true)) return null;
  return obj;
}

export async function mustFind(db: Exec, type: ObjectType, ref: string, opts: { idProperty?: string; archived?: boolean } = {}): Promise<CrmObject> {
  const obj = await findObject(db, type, ref, opts);
  if (!obj) throw notFound();
  return obj;
}

// ---- property values

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

function normalizeDate(raw: string): string | null {
  const s = raw.trim();
  const d = /^\d{10,14}$/.test(s) ? new Date(Number(s)) : new Date(s);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/**
 * Checks a `properties` input against the type's definitions and returns the values to
 * store (strings; null clears). Throws HubSpot's VALIDATION_ERROR naming each bad property.
 */
/** HubSpot's documented limit for a text property value written through the CRM API. */
export const MAX_VALUE_CHARS = 65_536;

export function normalizeProperties(type: ObjectType, input: unknown): Record<string, string | null> {
  if (input === undefined || input === null) return {};
  if (typeof input !== 'object' || Array.isArray(input)) throw hsError(400, 'VALIDATION_ERROR', 'Invalid input JSON: properties must be an object of property name to value');
  const out: Record<string, string | null> = {};
  const problems: PropertyProblem[] = [];
  for (const [name, raw] of Object.entries(input as Record<string, unknown>)) {
    const def = propertyDef(type, name);
    if (!def) {
      problems.push({ name, error: 'PROPERTY_DOESNT_EXIST', message: `Property "${name}" does not exist` });
      continue;
    }
    if (def.readOnly) {
      problems.push({ name, error: 'READ_ONLY_VALUE', message: `"${name}" is a read only property; its value cannot be set.` });
      continue;
    }
    if (raw === null || raw === undefined || raw === '') {
      out[name] = null;
      continue;
    }
    if (typeof raw === 'object') {
      problems.push({ name, error: 'INVALID_PROPERTY_VALUE', message: `${JSON.stringify(raw)} is not a valid value for ${name}` });
      continue;
    }
    let value = String(raw).trim();
    // HubSpot: "When the value is added through the CRM, the character limit is 65,536 characters."
    if (value.length > MAX_VALUE_CHARS) {
      problems.push({ name, error: 'INVALID_PROPERTY_VALUE', message: `${name} is ${value.length} characters long; the limit is ${MAX_VALUE_CHARS}.` });
      continue;
    }
    switch (def.type) {
      case 'number':
        if (!/^-?\d+(\.\d+)?$/.test(value)) {
          problems.push({ name, error: 'INVALID_FLOAT', message: `${value} was not a valid number.` });
          continue;
        }
        break;
      case 'datetime':
      case 'date': {
        const d = normalizeDate(value);
        if (!d) {
          problems.push({ name, error: 'INVALID_DATE', message: `${value} is not a valid date for ${name}` });
          continue;
        }
        value = d;
        break;
      }
      case 'bool':
        if (value !== 'true' && value !== 'false') {
          problems.push({ name, error: 'INVALID_BOOLEAN', message: `${value} is not a valid boolean` });
          continue;
        }
        break;
      case 'enumeration':
        if (def.options && !def.externalOptions) {
          const values = def.fieldType === 'checkbox' ? value.split(';') : [value];
          const allowed = def.options.map((o) => o.value);
          const bad = values.find((x) => !allowed.includes(x));
          if (bad !== undefined) {
            problems.push({ name, error: 'INVALID_OPTION', message: `${bad} was not one of the allowed options: [${allowed.join(', ')}]` });
            continue;
          }
        }
        break;
      default:
        break;
    }
    if (name === 'email') {
      value = value.toLowerCase();
      if (!EMAIL.test(value)) {
        problems.push({ name, error: 'INVALID_EMAIL', message: `Email address ${value} is invalid` });
        continue;
      }
    }
    out[name] = value;
  }
  if (type === 'deals' && out.pipeline !== undefined && out.pipeline !== null && out.pipeline !== 'default') {
    problems.push({ name: 'pipeline', error: 'INVALID_OPTION', message: `${out.pipeline} was not one of the allowed options: [default]` });
  }
  if (problems.length) throw invalidProperties(problems);
  return out;
}

/** Deal stage bookkeeping HubSpot calculates (probability, closed flag). */
function calculated(type: ObjectType, props: Record<string, string>): void {
  if (type !== 'deals') return;
  const stage = DEAL_STAGES.find((s) => s.id === props.dealstage);
  if (stage) {
    props.hs_deal_stage_probability = stage.probability;
    props.hs_is_closed = String(stage.isClosed);
  }
}

// ---- writes

export async function nextId(db: Exec): Promise<number> {
  const rows = await db.unsafe("select nextval('crm_object_ids') as id");
  return Number(rows[0].id);
}

async function conflictCheck(db: Exec, type: ObjectType, props: Record<string, string | null>, selfId: number | null): Promise<void> {
  if (type !== 'contacts' || !props.email) return;
  const rows = await db.unsafe(
    `select id from crm_objects where type = 'contacts' and not archived and lower(properties->>'email') = $1 and ($2::bigint is null or id <> $2) limit 1`,
    [props.email.toLowerCase(), selfId],
  );
  if (rows[0]) throw hsError(409, 'CONFLICT', `Contact already exists. Existing ID: ${rows[0].id}`);
}

/** Unique-index races end as the same 409 as the pre-check. */
async function guardUnique<T>(db: Exec, fn: () => Promise<T>, email: string | null | undefined): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if ((e as { errno?: string; code?: string })?.errno === '23505' || /duplicate key/.test(String((e as Error)?.message))) {
      const rows = email ? await db.unsafe(`select id from crm_objects where type = 'contacts' and not archived and lower(properties->>'email') = $1`, [email.toLowerCase()]) : [];
      throw hsError(409, 'CONFLICT', `Contact already exists. Existing ID: ${rows[0]?.id ?? 'unknown'}`);
    }
    throw e;
  }
}

async function writeHistory(db: Exec, id: number, values: Record<string, string | null>, at: string, source: string): Promise<void> {
  const names = Object.keys(values);
  if (!names.length) return;
  await db.unsafe(
    `insert into property_history (object_id, name, value, at, source_type)
       select $1, n, v, $3::timestamptz, $4 from unnest($2::text[], $5::text[]) as t(n, v)`,
    [id, names, at, source, names.map((n) => values[n] ?? '')],
  );
}

export interface AssocInput {
  toId: number;
  typeId: number;
  category: string;
}

/** Reads the `associations` of a create input: [{to:{id}, types:[{associationCategory, associationTypeId}]}]. */
export function parseCreateAssociations(type: ObjectType, raw: unknown): AssocInput[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw hsError(400, 'VALIDATION_ERROR', 'Invalid input JSON: associations must be an array');
  const out: AssocInput[] = [];
  for (const a of raw as Array<Record<string, any>>) {
    const to = String(a?.to?.id ?? '');
    if (!isId(to)) throw hsError(400, 'VALIDATION_ERROR', `Invalid association target id: ${to || '(missing)'}`);
    const types = Array.isArray(a?.types) ? a.types : [];
    if (!types.length) throw hsError(400, 'VALIDATION_ERROR', 'Each association needs at least one type');
    for (const t of types) {
      const typeId = Number(t?.associationTypeId);
      const category = String(t?.associationCategory ?? 'HUBSPOT_DEFINED');
      const def = assocType(typeId);
      if (!def || def.from !== type || category !== 'HUBSPOT_DEFINED') {
        throw hsError(400, 'VALIDATION_ERROR', `${category} ${t?.associationTypeId} is not a valid association type from ${type}`);
      }
      out.push({ toId: Number(to), typeId, category });
    }
  }
  return out;
}

/**
 * Associates `fromId` (of `from`) with `toId` by the given type ids, both directions, adding
 * the unlabeled type whenever a labeled one is set, and keeping one primary per object.
 */
export async function associate(db: Exec, from: ObjectType, fromId: number, toId: number, typeIds: number[], at: string): Promise<void> {
  const all = new Set<number>();
  for (const id of typeIds) {
    const def = assocType(id)!;
    all.add(id);
    if (def.label !== null) all.add(defaultAssoc(def.from, def.to)!.id);
  }
  for (const id of all) {
    const def = assocType(id)!;
    if (def.primary) {
      // One primary company per contact/deal: a new primary replaces the old one.
      const owner = def.from === 'companies' ? { side: 'to', id: toId, typeId: def.inverse } : { side: 'from', id: fromId, typeId: id };
      const ownerId = owner.id;
      const ownerType = owner.typeId;
      const ownerDef = assocType(ownerType)!;
      const olds = await db.unsafe('select to_id from associations where from_id = $1 and type_id = $2', [ownerId, ownerType]);
      for (const o of olds) {
        await db.unsafe('delete from associations where (from_id = $1 and to_id = $2 and type_id = $3) or (from_id = $2 and to_id = $1 and type_id = $4)', [ownerId, Number(o.to_id), ownerType, ownerDef.inverse]);
      }
    }
    await db.unsafe(
      `insert into associations (from_type, from_id, to_type, to_id, type_id, category, created_at) values
         ($1, $2, $3, $4, $5, 'HUBSPOT_DEFINED', $7::timestamptz), ($3, $4, $1, $2, $6, 'HUBSPOT_DEFINED', $7::timestamptz)
       on conflict do nothing`,
      [def.from, fromId, def.to, toId, id, def.inverse, at],
    );
  }
}

/** Removes associations between two objects: the given types (and their inverses), or all. */
export async function dissociate(db: Exec, fromId: number, toId: number, typeIds?: number[]): Promise<void> {
  if (!typeIds) {
    await db.unsafe('delete from associations where (from_id = $1 and to_id = $2) or (from_id = $2 and to_id = $1)', [fromId, toId]);
    return;
  }
  for (const id of typeIds) {
    const def = assocType(id);
    if (!def) continue;
    await db.unsafe('delete from associations where (from_id = $1 and to_id = $2 and type_id = $3) or (from_id = $2 and to_id = $1 and type_id = $4)', [fromId, toId, id, def.inverse]);
  }
}

/** Targets of create-time associations must exist (live) and be of the type the association points at. */
export async function checkTargets(db: Exec, type: ObjectType, assocs: AssocInput[]): Promise<void> {
  for (const a of assocs) {
    const def = assocType(a.typeId)!;
    const target = await loadById(db, def.to, a.toId);
    if (!target || target.archived || def.from !== type) {
      throw hsError(400, 'VALIDATION_ERROR', `One or more associations are invalid: ${def.to} ${a.toId} does not exist`, {
        errors: [{ message: `${def.to} ${a.toId} does not exist`, code: 'INVALID_ASSOCIATION', context: { id: [String(a.toId)] } }],
      });
    }
  }
}

export async function createObject(
  db: Exec,
  type: ObjectType,
  values: Record<string, string | null>,
  assocs: AssocInput[],
  opts: { source?: string; at?: string } = {},
): Promise<CrmObject> {
  const at = opts.at ?? clockNow().toISOString();
  await conflictCheck(db, type, values, null);
  await checkTargets(db, type, assocs);
  const id = await nextId(db);
  const props: Record<string, string> = {};
  for (const [k, v] of Object.entries(values)) if (v !== null) props[k] = v;
  if (type === 'deals') {
    props.pipeline ??= 'default';
    props.dealstage ??= DEAL_STAGES[0]!.id;
  }
  calculated(type, props);
  props.createdate = at;
  props[LAST_MODIFIED[type]] = at;
  props.hs_object_id = String(id);
  await guardUnique(db, () => db.unsafe(
    'insert into crm_objects (id, type, properties, created_at, updated_at) values ($1, $2, $3::text::jsonb, $4::timestamptz, $4::timestamptz)',
    [id, type, JSON.stringify(props), at],
  ), props.email);
  const written: Record<string, string | null> = {};
  for (const [k, v] of Object.entries(props)) if (!propertyDef(type, k)?.readOnly || k === 'createdate') written[k] = v;
  await writeHistory(db, id, written, at, opts.source ?? 'API');
  for (const a of assocs) await associate(db, type, id, a.toId, [a.typeId], at);
  return { id, type, properties: props, createdAt: at, updatedAt: at, archived: false, archivedAt: null, mergedInto: null };
}

export async function updateObject(db: Exec, obj: CrmObject, values: Record<string, string | null>, opts: { source?: string } = {}): Promise<CrmObject> {
  const at = clockNow().toISOString();
  await conflictCheck(db, obj.type, values, obj.id);
  const props = { ...obj.properties };
  for (const [k, v] of Object.entries(values)) {
    if (v === null) delete props[k];
    else props[k] = v;
  }
  if (obj.type === 'deals' && values.dealstage === null) props.dealstage = obj.properties.dealstage ?? DEAL_STAGES[0]!.id;
  calculated(obj.type, props);
  props[LAST_MODIFIED[obj.type]] = at;
  await guardUnique(db, () => db.unsafe('update crm_objects set properties = $2::text::jsonb, updated_at = $3::timestamptz where id = $1', [obj.id, JSON.stringify(props), at]), props.email);
  await writeHistory(db, obj.id, values, at, opts.source ?? 'API');
  return { ...obj, properties: props, updatedAt: at };
}

export async function archiveObject(db: Exec, obj: CrmObject, mergedInto: number | null = null): Promise<void> {
  const at = clockNow().toISOString();
  await db.unsafe('update crm_objects set archived = true, archived_at = $2::timestamptz, merged_into = $3 where id = $1 and not archived', [obj.id, at, mergedInto]);
}

/** GDPR delete: the object, its history and its associations are gone for good. */
export async function purgeObject(db: Exec, obj: CrmObject): Promise<void> {
  await db.unsafe('delete from associations where from_id = $1 or to_id = $1', [obj.id]);
  await db.unsafe('delete from property_history where object_id = $1', [obj.id]);
  await db.unsafe('delete from crm_objects where id = $1', [obj.id]);
}

// ---- rendering

export interface RenderOptions {
  /** Requested properties; undefined = the type's defaults. */
  properties?: string[];
  propertiesWithHistory?: string[];
  /** Object types whose associations a read includes (v3 shape). */
  associations?: ObjectType[];
  /** Every stored property (create/update answers). */
  full?: boolean;
}

function selectProperties(obj: CrmObject, opts: RenderOptions): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  const stored: Record<string, string> = { ...obj.properties, hs_object_id: String(obj.id) };
  if (opts.full) {
    for (const k of Object.keys(stored).sort()) out[k] = stored[k] ?? null;
    return out;
  }
  const names = opts.properties && opts.properties.length
    ? [...new Set([...opts.properties.filter((n) => propertyDef(obj.type, n)), 'createdate', 'hs_object_id', LAST_MODIFIED[obj.type]])]
    : DEFAULT_PROPERTIES[obj.type];
  for (const n of [...names].sort()) out[n] = stored[n] ?? null;
  return out;
}

export async function render(db: Exec, objs: CrmObject[], opts: RenderOptions = {}): Promise<Record<string, unknown>[]> {
  const ids = objs.map((o) => o.id);
  const history = new Map<string, Array<Record<string, unknown>>>();
  const withHistory = (opts.propertiesWithHistory ?? []).filter(Boolean);
  if (withHistory.length && ids.length) {
    const rows = await db.unsafe(
      'select object_id, name, value, at, source_type from property_history where object_id = any($1::bigint[]) and name = any($2::text[]) order by seq desc',
      [ids, withHistory],
    );
    for (const r of rows) {
      const key = `${r.object_id}:${r.name}`;
      const list = history.get(key) ?? [];
      list.push({ value: String(r.value), timestamp: iso(r.at), sourceType: String(r.source_type), sourceId: r.source_type === 'API' ? 'asym-private-app' : undefined });
      history.set(key, list);
    }
  }
  const assocs = new Map<number, Map<ObjectType, Array<{ id: string; type: string }>>>();
  if (opts.associations?.length && ids.length) {
    const rows = await db.unsafe(
      `select a.from_id, a.to_type, a.to_id, a.type_id from associations a join crm_objects o on o.id = a.to_id and not o.archived
        where a.from_id = any($1::bigint[]) and a.to_type = any($2::text[]) order by a.to_id, a.type_id`,
      [ids, opts.associations],
    );
    for (const r of rows) {
      const from = Number(r.from_id);
      const byType = assocs.get(from) ?? new Map();
      const list = byType.get(r.to_type) ?? [];
      list.push({ id: String(r.to_id), type: ASSOC_TYPES.find((a) => a.id === Number(r.type_id))?.v3 ?? String(r.type_id) });
      byType.set(r.to_type, list);
      assocs.set(from, byType);
    }
  }
  return objs.map((o) => {
    const out: Record<string, unknown> = { id: String(o.id), properties: selectProperties(o, opts), createdAt: o.createdAt, updatedAt: o.updatedAt, archived: o.archived };
    if (o.archivedAt) out.archivedAt = o.archivedAt;
    if (withHistory.length) {
      const h: Record<string, unknown> = {};
      for (const n of withHistory) if (propertyDef(o.type, n)) h[n] = history.get(`${o.id}:${n}`) ?? [];
      out.propertiesWithHistory = h;
    }
    const a = assocs.get(o.id);
    if (a && a.size) {
      const block: Record<string, unknown> = {};
      for (const [t, list] of a) block[t] = { results: list };
      out.associations = block;
    }
    return out;
  });
}

export async function renderOne(db: Exec, obj: CrmObject, opts: RenderOptions = {}): Promise<Record<string, unknown>> {
  return (await render(db, [obj], opts))[0]!;
}

/** All defined property names of a type (for search sorting and validation). */
export const propertyNames = (type: ObjectType): string[] => PROPERTIES[type].map((d) => d.name);

export type { KitContext };
