import { clockNow } from '../../../_kit/clock.ts';
import { associate, parseCreateAssociations } from '../association-writes.ts';
import { hsError, validation } from '../errors.ts';
import { COLS, checkIdProperty, findObject, isId, loadMany, mustFind, toObject, type CrmObject, type Exec } from '../lookup.ts';
import { normalizeProperties } from '../property-values.ts';
import { render, renderOne } from '../render.ts';
import { SINGULAR, objectTypeOf, type ObjectType } from '../schema.ts';
import type { Call, Result } from '../types.ts';
import { archiveObject, createObject, purgeObject, updateObject } from '../writes.ts';
import { boolParam, listParam } from './common.ts';

/**
 * /crm/v3/objects/{contacts,companies,deals,{objectType}}: basic CRUD, list paging, batch
 * read/create/update/upsert/archive, merge and GDPR delete.
 */

const MAX_BATCH = 100;

function readAssociationsParam(c: Call): ObjectType[] | undefined {
  const names = listParam(c.query, 'associations');
  if (!names) return undefined;
  const out: ObjectType[] = [];
  for (const n of names) {
    const t = objectTypeOf(n);
    if (t && !out.includes(t)) out.push(t);
  }
  return out;
}

function readOpts(c: Call) {
  return {
    properties: listParam(c.query, 'properties'),
    propertiesWithHistory: listParam(c.query, 'propertiesWithHistory'),
    associations: readAssociationsParam(c),
  };
}

export function inputs(c: Call): Array<Record<string, any>> {
  const list = c.body.inputs;
  if (!Array.isArray(list)) throw validation('Invalid input JSON on line 1: inputs is required and must be an array', [{ message: 'inputs is required', code: 'REQUIRED_FIELD', in: 'inputs' }]);
  if (list.length > MAX_BATCH) throw validation(`Batch size ${list.length} exceeds the limit of ${MAX_BATCH}`);
  return list.map((x) => (x && typeof x === 'object' ? x : {}));
}

export function batchEnvelope(startedAt: string, results: unknown[], errors: unknown[]): Result {
  const body: Record<string, unknown> = { status: 'COMPLETE', results, startedAt, completedAt: clockNow().toISOString() };
  if (errors.length) {
    body.numErrors = errors.length;
    body.errors = errors;
  }
  return { status: errors.length ? 207 : 200, body };
}

export function notFoundError(type: ObjectType, ids: string[]) {
  return {
    status: 'error',
    category: 'OBJECT_NOT_FOUND',
    message: `Could not get some ${SINGULAR[type].toUpperCase()} objects, they may be deleted or not exist. Check that ids are valid.`,
    context: { ids },
    links: {},
    errors: [],
  };
}

// ---- basic

export async function list(c: Call): Promise<Result> {
  const limitRaw = c.query.get('limit');
  const limit = limitRaw === null ? 10 : Number(limitRaw);
  if (!Number.isInteger(limit) || limit < 1) throw validation(`limit must be a positive integer, got ${limitRaw}`);
  const opts = readOpts(c);
  const max = opts.propertiesWithHistory?.length ? 50 : 100;
  const take = Math.min(limit, max);
  const after = c.query.get('after');
  if (after !== null && !isId(after)) throw validation(`after must be a paging cursor from a previous page, got ${after}`);
  const rows = await c.ctx.db.unsafe(
    `select ${COLS} from crm_objects where type = $1 and archived = $2 and id >= $3 order by id limit ${take + 1}`,
    [c.type, boolParam(c.query, 'archived'), after === null ? 0 : Number(after)],
  );
  const objs = rows.slice(0, take).map(toObject);
  const body: Record<string, unknown> = { results: await render(c.ctx.db, c.catalog, objs, opts) };
  if (rows.length > take) {
    const next = String(Number(rows[take]!.id));
    const link = new URL(`${c.ctx.env.publicUrl}${c.path}${c.url.search}`);
    link.searchParams.set('after', next);
    body.paging = { next: { after: next, link: link.toString() } };
  }
  return { status: 200, body };
}

export async function getOne(c: Call): Promise<Result> {
  const obj = await mustFind(c.ctx.db, c.type, c.ids[0]!, { idProperty: c.query.get('idProperty') ?? undefined, archived: boolParam(c.query, 'archived') });
  return { status: 200, body: await renderOne(c.ctx.db, c.catalog, obj, readOpts(c)) };
}

/**
 * The body of a single-object create or update: a JSON object. HubSpot's Jackson binding
 * refuses anything else (an array used to create an empty contact here).
 */
function objectInput(c: Call): unknown {
  if (Array.isArray(c.body._array)) {
    throw validation('Invalid input JSON on line 1, column 1: Cannot deserialize value of type `SimplePublicObjectInputForCreate` from Array value (token `JsonToken.START_ARRAY`)');
  }
  return c.body.properties ?? {};
}

export async function create(c: Call): Promise<Result> {
  const values = normalizeProperties(c.catalog, c.type, objectInput(c));
  const assocs = parseCreateAssociations(c.catalog.assoc, c.type, c.body.associations);
  const obj = await c.ctx.db.tx((tx) => createObject(tx as unknown as Exec, c.catalog, c.type, values, assocs));
  return { status: 201, body: await renderOne(c.ctx.db, c.catalog, obj, { full: true }) };
}

export async function update(c: Call): Promise<Result> {
  const values = normalizeProperties(c.catalog, c.type, objectInput(c));
  const obj = await mustFind(c.ctx.db, c.type, c.ids[0]!, { idProperty: c.query.get('idProperty') ?? undefined });
  const updated = await c.ctx.db.tx((tx) => updateObject(tx as unknown as Exec, c.catalog, obj, values));
  return { status: 200, body: await renderOne(c.ctx.db, c.catalog, updated, { full: true }) };
}

export async function archive(c: Call): Promise<Result> {
  // HubSpot answers 204 whether or not the object existed (archive is idempotent).
  const obj = await findObject(c.ctx.db, c.type, c.ids[0]!);
  if (obj && obj.id === Number(c.ids[0])) await archiveObject(c.ctx.db, obj);
  return { status: 204 };
}

// ---- batch

async function resolveInputs(db: Exec, type: ObjectType, refs: string[], idProperty: string | undefined, archived: boolean): Promise<Map<string, CrmObject>> {
  const out = new Map<string, CrmObject>();
  if (!idProperty) {
    const found = await loadMany(db, type, refs.filter(isId).map(Number));
    for (const ref of refs) {
      const o = isId(ref) ? found.get(Number(ref)) : undefined;
      if (o && o.archived === archived) out.set(ref, o);
    }
    return out;
  }
  for (const ref of refs) {
    const o = await findObject(db, type, ref, { idProperty, archived });
    if (o) out.set(ref, o);
  }
  return out;
}

export async function batchRead(c: Call): Promise<Result> {
  const startedAt = clockNow().toISOString();
  const idProperty = checkIdProperty(c.type, typeof c.body.idProperty === 'string' ? c.body.idProperty : undefined);
  const refs = [...new Set(inputs(c).map((i) => String(i.id ?? '')))];
  const found = await resolveInputs(c.ctx.db, c.type, refs, idProperty, boolParam(c.query, 'archived'));
  const objs: CrmObject[] = [];
  const seen = new Set<number>();
  for (const ref of refs) {
    const o = found.get(ref);
    if (o && !seen.has(o.id)) {
      seen.add(o.id);
      objs.push(o);
    }
  }
  const missing = refs.filter((r) => !found.has(r));
  const props = Array.isArray(c.body.properties) ? c.body.properties.map(String) : undefined;
  const hist = Array.isArray(c.body.propertiesWithHistory) ? c.body.propertiesWithHistory.map(String) : undefined;
  const results = await render(c.ctx.db, c.catalog, objs, { properties: props?.length ? props : undefined, propertiesWithHistory: hist });
  return batchEnvelope(startedAt, results, missing.length ? [notFoundError(c.type, missing)] : []);
}

export async function batchCreate(c: Call): Promise<Result> {
  const startedAt = clockNow().toISOString();
  const list = inputs(c);
  const prepared = list.map((i) => ({ values: normalizeProperties(c.catalog, c.type, i.properties ?? {}), assocs: parseCreateAssociations(c.catalog.assoc, c.type, i.associations) }));
  const emails = prepared.map((p) => p.values.email).filter((e): e is string => !!e);
  const dup = emails.find((e, i) => emails.indexOf(e) !== i);
  if (c.type === 'contacts' && dup) throw hsError(409, 'CONFLICT', `Duplicate email in the batch: ${dup}`);
  const objs = await c.ctx.db.tx(async (tx) => {
    const out: CrmObject[] = [];
    for (const p of prepared) out.push(await createObject(tx as unknown as Exec, c.catalog, c.type, p.values, p.assocs));
    return out;
  });
  const res = batchEnvelope(startedAt, await render(c.ctx.db, c.catalog, objs, { full: true }), []);
  return { status: 201, body: res.body };
}

export async function batchUpdate(c: Call): Promise<Result> {
  const startedAt = clockNow().toISOString();
  const list = inputs(c);
  const prepared = list.map((i) => ({
    ref: String(i.id ?? ''),
    idProperty: checkIdProperty(c.type, typeof i.idProperty === 'string' ? i.idProperty : undefined),
    values: normalizeProperties(c.catalog, c.type, i.properties ?? {}),
  }));
  const missing: string[] = [];
  const objs = await c.ctx.db.tx(async (tx) => {
    const db = tx as unknown as Exec;
    const out: CrmObject[] = [];
    for (const p of prepared) {
      const obj = await findObject(db, c.type, p.ref, { idProperty: p.idProperty });
      if (!obj) {
        missing.push(p.ref);
        continue;
      }
      out.push(await updateObject(db, c.catalog, obj, p.values));
    }
    return out;
  });
  return batchEnvelope(startedAt, await render(c.ctx.db, c.catalog, objs, { full: true }), missing.length ? [notFoundError(c.type, missing)] : []);
}

export async function batchUpsert(c: Call): Promise<Result> {
  const startedAt = clockNow().toISOString();
  const list = inputs(c);
  const prepared = list.map((i) => {
    const idProperty = typeof i.idProperty === 'string' && i.idProperty ? i.idProperty : 'hs_object_id';
    checkIdProperty(c.type, idProperty);
    return { ref: String(i.id ?? ''), idProperty, values: normalizeProperties(c.catalog, c.type, i.properties ?? {}) };
  });
  const missing: string[] = [];
  const results = await c.ctx.db.tx(async (tx) => {
    const db = tx as unknown as Exec;
    const out: Array<{ obj: CrmObject; isNew: boolean }> = [];
    for (const p of prepared) {
      const existing = await findObject(db, c.type, p.ref, { idProperty: p.idProperty === 'hs_object_id' ? undefined : p.idProperty });
      if (existing) {
        out.push({ obj: await updateObject(db, c.catalog, existing, p.values), isNew: false });
      } else if (p.idProperty === 'hs_object_id') {
        missing.push(p.ref);
      } else {
        out.push({ obj: await createObject(db, c.catalog, c.type, { ...p.values, [p.idProperty]: normalizeProperties(c.catalog, c.type, { [p.idProperty]: p.ref })[p.idProperty] ?? null }, []), isNew: true });
      }
    }
    return out;
  });
  const rendered = await render(c.ctx.db, c.catalog, results.map((r) => r.obj), { full: true });
  return batchEnvelope(startedAt, rendered.map((r, i) => ({ ...r, new: results[i]!.isNew })), missing.length ? [notFoundError(c.type, missing)] : []);
}

export async function batchArchive(c: Call): Promise<Result> {
  const refs = inputs(c).map((i) => String(i.id ?? ''));
  await c.ctx.db.tx(async (tx) => {
    const found = await loadMany(tx as unknown as Exec, c.type, refs.filter(isId).map(Number));
    for (const o of found.values()) if (!o.archived) await archiveObject(tx as unknown as Exec, o);
  });
  return { status: 204 };
}

// ---- merge and GDPR delete

export async function merge(c: Call): Promise<Result> {
  const primaryRef = String(c.body.primaryObjectId ?? '');
  const otherRef = String(c.body.objectIdToMerge ?? '');
  if (!isId(primaryRef) || !isId(otherRef)) throw validation('primaryObjectId and objectIdToMerge are required object ids');
  if (primaryRef === otherRef) throw validation('An object cannot be merged with itself');
  const merged = await c.ctx.db.tx(async (tx) => {
    const db = tx as unknown as Exec;
    const primary = await mustFind(db, c.type, primaryRef);
    const other = await mustFind(db, c.type, otherRef);
    if (primary.id === other.id) throw validation(`${otherRef} was already merged into ${primary.id}`);
    // The merged-away object keeps nothing live: archive it first (its email frees up).
    await archiveObject(db, other, primary.id);
    await db.unsafe('update crm_objects set merged_into = $2 where merged_into = $1', [other.id, primary.id]);
    const values: Record<string, string | null> = {};
    for (const [k, v] of Object.entries(other.properties)) {
      if (['createdate', 'hs_object_id', 'lastmodifieddate', 'hs_lastmodifieddate', 'hs_merged_object_ids', 'hs_additional_emails', 'hs_deal_stage_probability', 'hs_is_closed'].includes(k)) continue;
      if (primary.properties[k] === undefined || primary.properties[k] === '') values[k] = v;
    }
    const mergedIds = [primary.properties.hs_merged_object_ids, other.properties.hs_merged_object_ids, String(other.id)].filter(Boolean).join(';');
    const extraEmails = [primary.properties.hs_additional_emails, other.properties.hs_additional_emails, primary.properties.email && other.properties.email && other.properties.email !== primary.properties.email ? other.properties.email : '']
      .filter(Boolean)
      .join(';');
    const next = await updateObject(db, c.catalog, primary, values);
    next.properties.hs_merged_object_ids = mergedIds;
    if (extraEmails) next.properties.hs_additional_emails = extraEmails;
    await db.unsafe('update crm_objects set properties = $2::text::jsonb where id = $1', [next.id, JSON.stringify(next.properties)]);
    // Associations move to the primary; a primary label moves only if the primary has none.
    const links = await db.unsafe('select to_id, to_type, type_id from associations where from_id = $1', [other.id]);
    for (const l of links) {
      const def = c.catalog.assoc.get(Number(l.type_id));
      if (!def || Number(l.to_id) === primary.id) continue;
      if (def.primary && def.from !== 'companies') {
        const has = await db.unsafe('select 1 from associations where from_id = $1 and type_id = $2', [primary.id, def.id]);
        if (has.length) continue;
      }
      await associate(db, c.catalog.assoc, c.type, primary.id, Number(l.to_id), [def.id], next.updatedAt);
    }
    await db.unsafe('delete from associations where from_id = $1 or to_id = $1', [other.id]);
    return next;
  });
  return { status: 200, body: await renderOne(c.ctx.db, c.catalog, merged, { full: true }) };
}

export async function gdprDelete(c: Call): Promise<Result> {
  const ref = String(c.body.objectId ?? '');
  if (!ref) throw validation('objectId is required');
  const idProperty = typeof c.body.idProperty === 'string' ? c.body.idProperty : undefined;
  const obj = (await findObject(c.ctx.db, 'contacts', ref, { idProperty })) ?? (await findObject(c.ctx.db, 'contacts', ref, { idProperty, archived: true }));
  if (obj) await c.ctx.db.tx((tx) => purgeObject(tx as unknown as Exec, obj));
  return { status: 204 };
}
