import { hsError, notFound } from './errors.ts';
import { UNIQUE_PROPERTIES, type ObjectType } from './schema.ts';

/**
 * CRM objects in Postgres: one crm_objects row per object (properties as jsonb). This file
 * reads them: by id, by a unique idProperty, many at once; a merged-away id resolves to the
 * object it was merged into.
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

export const iso = (v: unknown): string => (v instanceof Date ? v.toISOString() : new Date(String(v)).toISOString());

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
