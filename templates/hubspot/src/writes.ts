import { clockNow } from '../../_kit/clock.ts';
import { associate, checkTargets, type AssocInput } from './association-writes.ts';
import { hsError, invalidProperties } from './errors.ts';
import type { CrmObject, Exec } from './lookup.ts';
import type { Catalog } from './catalog.ts';
import { PIPELINE_PROPS, isPipelineType } from './pipelines.ts';
import { calculated } from './property-values.ts';
import { LAST_MODIFIED, propertyDef, type ObjectType } from './schema.ts';

/**
 * Writes of CRM objects: create, update, archive, purge; every property write is kept in
 * property_history, and a contact's email stays unique (409 CONFLICT).
 */

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

/** A deal or ticket that names no pipeline goes to the default one; no stage, its first stage (deals only: a ticket needs its status). */
function pipelineDefaults(catalog: Catalog, type: ObjectType, props: Record<string, string>): void {
  if (!isPipelineType(type)) return;
  const names = PIPELINE_PROPS[type];
  const fallback = catalog.pipelines.fallback(type);
  if (!fallback) return;
  props[names.pipeline] ??= props[names.stage] ? (catalog.pipelines.stage(type, props[names.stage]!)?.pipeline.id ?? fallback.id) : fallback.id;
  if (type === 'deals') props[names.stage] ??= catalog.pipelines.get(type, props[names.pipeline]!)?.stages[0]?.id ?? '';
}

export async function createObject(
  db: Exec,
  catalog: Catalog,
  type: ObjectType,
  values: Record<string, string | null>,
  assocs: AssocInput[],
  opts: { source?: string; at?: string } = {},
): Promise<CrmObject> {
  const at = opts.at ?? clockNow().toISOString();
  // HubSpot's tickets guide: a ticket is created with a subject and a status (hs_pipeline_stage).
  if (type === 'tickets') {
    const missing = ['subject', 'hs_pipeline_stage'].filter((n) => !values[n]);
    if (missing.length) throw invalidProperties(missing.map((name) => ({ name, error: 'REQUIRED_FIELD', message: `${name} is required when creating a ticket` })));
  }
  await conflictCheck(db, type, values, null);
  await checkTargets(db, catalog.assoc, type, assocs);
  const id = await nextId(db);
  const props: Record<string, string> = {};
  for (const [k, v] of Object.entries(values)) if (v !== null) props[k] = v;
  pipelineDefaults(catalog, type, props);
  calculated(catalog, type, props, at, values);
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
  for (const a of assocs) await associate(db, catalog.assoc, type, id, a.toId, [a.typeId], at);
  return { id, type, properties: props, createdAt: at, updatedAt: at, archived: false, archivedAt: null, mergedInto: null };
}

export async function updateObject(db: Exec, catalog: Catalog, obj: CrmObject, values: Record<string, string | null>, opts: { source?: string } = {}): Promise<CrmObject> {
  const at = clockNow().toISOString();
  await conflictCheck(db, obj.type, values, obj.id);
  const props = { ...obj.properties };
  for (const [k, v] of Object.entries(values)) {
    if (v === null) delete props[k];
    else props[k] = v;
  }
  // The pipeline and stage cannot be cleared: a cleared one keeps its value (or takes the default).
  if (isPipelineType(obj.type)) {
    const names = PIPELINE_PROPS[obj.type];
    for (const n of [names.pipeline, names.stage]) if (values[n] === null && obj.properties[n]) props[n] = obj.properties[n]!;
    pipelineDefaults(catalog, obj.type, props);
  }
  calculated(catalog, obj.type, props, at, values);
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
