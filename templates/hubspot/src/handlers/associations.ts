import { clockNow } from '../../../_kit/clock.ts';
import { associate, dissociate } from '../association-writes.ts';
import { hsError, validation } from '../errors.ts';
import { isId, loadById, loadMany, type Exec } from '../lookup.ts';
import { categoryOf, type AssocTypes } from '../assoc-types.ts';
import { TYPE_IDS, type AssocType, type ObjectType } from '../schema.ts';
import type { Call, Result } from '../types.ts';
import { typeParam } from './common.ts';

/**
 * Associations v4 between contacts, companies, deals and tickets, with HubSpot's built-in
 * association types (schema.ts ASSOC_TYPES: contact↔company 279/280 and primary 1/2,
 * deal↔contact 3/4, deal↔company 341/342 and primary 5/6, ticket↔contact 16/15,
 * ticket↔company 339/340 and primary 26/25, ticket↔deal 28/27) and the portal's custom
 * USER_DEFINED labels (catalog.assoc; label writes in association-labels.ts). Every
 * association is stored in both directions.
 */

async function liveObject(db: Exec, type: ObjectType, ref: string): Promise<number> {
  const o = isId(ref) ? await loadById(db, type, Number(ref)) : null;
  if (!o || o.archived) throw hsError(404, 'OBJECT_NOT_FOUND', `No ${type} with id ${ref} exists`);
  return o.id;
}

function specOf(types: AssocTypes, from: ObjectType, to: ObjectType, raw: any): AssocType {
  const typeId = Number(raw?.associationTypeId ?? raw?.typeId);
  const category = String(raw?.associationCategory ?? raw?.category ?? 'HUBSPOT_DEFINED');
  const def = types.get(typeId);
  if (!def || category !== categoryOf(def) || def.from !== from || def.to !== to) {
    throw hsError(400, 'VALIDATION_ERROR', `${category} association type ${raw?.associationTypeId ?? raw?.typeId} is not valid from ${from} to ${to}`, {
      errors: [{ message: `valid types from ${from} to ${to}: ${types.between(from, to).map((a) => `${categoryOf(a)} ${a.id}`).join(', ')}`, code: 'INVALID_ASSOCIATION_TYPE' }],
    });
  }
  return def;
}

export const typeJson = (def: AssocType) => ({ category: categoryOf(def), typeId: def.id, label: def.label });

/** The associations of `ids` (of `from`) to live objects of `to`, grouped per target. */
async function associationsOf(db: Exec, types: AssocTypes, from: ObjectType, ids: number[], to: ObjectType): Promise<Map<number, Array<{ toObjectId: string; associationTypes: unknown[] }>>> {
  const rows = await db.unsafe(
    `select a.from_id, a.to_id, a.type_id from associations a join crm_objects o on o.id = a.to_id and not o.archived
      where a.from_id = any($1::bigint[]) and a.from_type = $2 and a.to_type = $3 order by a.from_id, a.to_id, a.type_id`,
    [ids, from, to],
  );
  const out = new Map<number, Array<{ toObjectId: string; associationTypes: unknown[] }>>();
  for (const r of rows) {
    const list = out.get(Number(r.from_id)) ?? [];
    const toId = String(r.to_id);
    let entry = list.at(-1);
    if (!entry || entry.toObjectId !== toId) {
      entry = { toObjectId: toId, associationTypes: [] };
      list.push(entry);
    }
    const def = types.get(Number(r.type_id));
    if (def) entry.associationTypes.push(typeJson(def));
    out.set(Number(r.from_id), list);
  }
  return out;
}

function labelsOf(db: Exec, types: AssocTypes, fromId: number, toId: number): Promise<string[]> {
  return db
    .unsafe('select type_id from associations where from_id = $1 and to_id = $2 order by type_id', [fromId, toId])
    .then((rows: Array<{ type_id: number }>) => rows.map((r) => types.get(Number(r.type_id))?.label).filter((l): l is string => !!l));
}

const pair = (from: ObjectType, fromId: number, to: ObjectType, toId: number, labels: string[]) => ({
  fromObjectTypeId: TYPE_IDS[from],
  fromObjectId: String(fromId),
  toObjectTypeId: TYPE_IDS[to],
  toObjectId: String(toId),
  labels,
});

function batchBody(startedAt: string, results: unknown[]): Record<string, unknown> {
  return { status: 'COMPLETE', results, startedAt, completedAt: clockNow().toISOString() };
}

function inputs(c: Call): any[] {
  if (!Array.isArray(c.body.inputs)) throw validation('inputs is required and must be an array', [{ message: 'inputs is required', code: 'REQUIRED_FIELD', in: 'inputs' }]);
  if (c.body.inputs.length > 2000) throw validation('at most 2000 inputs per batch');
  return c.body.inputs;
}

const defaultResults = (types: AssocTypes, from: ObjectType, fromId: number, to: ObjectType, toId: number) => {
  const def = types.defaultOf(from, to)!;
  return [
    { from: { id: String(fromId) }, to: { id: String(toId) }, associationSpec: { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: def.id } },
    { from: { id: String(toId) }, to: { id: String(fromId) }, associationSpec: { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: def.inverse } },
  ];
};

// ---- per object

export async function getPage(c: Call): Promise<Result> {
  const [fromName, fromRef, toName] = c.ids;
  const from = typeParam(fromName);
  const to = typeParam(toName);
  const fromId = await liveObject(c.ctx.db, from, fromRef!);
  const limit = Math.min(500, Math.max(1, Number(c.query.get('limit') ?? 500) || 500));
  const after = c.query.get('after');
  const all = (await associationsOf(c.ctx.db, c.catalog.assoc, from, [fromId], to)).get(fromId) ?? [];
  const start = after ? all.findIndex((x) => Number(x.toObjectId) >= Number(after)) : 0;
  const rest = start < 0 ? [] : all.slice(start);
  const body: Record<string, unknown> = { results: rest.slice(0, limit) };
  if (rest.length > limit) {
    const next = rest[limit]!.toObjectId;
    body.paging = { next: { after: next, link: `${c.ctx.env.publicUrl}${c.path}?after=${next}&limit=${limit}` } };
  }
  return { status: 200, body };
}

export async function createLabeled(c: Call): Promise<Result> {
  const [fromName, fromRef, toName, toRef] = c.ids;
  const from = typeParam(fromName);
  const to = typeParam(toName);
  const specs = Array.isArray(c.body) ? (c.body as unknown[]) : Array.isArray(c.body._array) ? (c.body._array as unknown[]) : null;
  if (!specs || !specs.length) throw validation('The body must be a non-empty array of {associationCategory, associationTypeId}');
  const defs = specs.map((s) => specOf(c.catalog.assoc, from, to, s));
  const { fromId, toId, labels } = await c.ctx.db.tx(async (tx) => {
    const db = tx as unknown as Exec;
    const fromId = await liveObject(db, from, fromRef!);
    const toId = await liveObject(db, to, toRef!);
    await associate(db, c.catalog.assoc, from, fromId, toId, defs.map((d) => d.id), clockNow().toISOString());
    return { fromId, toId, labels: await labelsOf(db, c.catalog.assoc, fromId, toId) };
  });
  return { status: 201, body: pair(from, fromId, to, toId, labels) };
}

export async function archiveOne(c: Call): Promise<Result> {
  const [fromName, fromRef, toName, toRef] = c.ids;
  const from = typeParam(fromName);
  const to = typeParam(toName);
  if (isId(fromRef!) && isId(toRef!)) {
    const fromObj = await loadById(c.ctx.db, from, Number(fromRef));
    const toObj = await loadById(c.ctx.db, to, Number(toRef));
    if (fromObj && toObj) await c.ctx.db.tx((tx) => dissociate(tx as unknown as Exec, c.catalog.assoc, fromObj.id, toObj.id));
  }
  return { status: 204 };
}

export async function createDefault(c: Call): Promise<Result> {
  const [fromName, fromRef, toName, toRef] = c.ids;
  const from = typeParam(fromName);
  const to = typeParam(toName);
  if (!c.catalog.assoc.defaultOf(from, to)) throw validation(`No default association between ${from} and ${to}`);
  const startedAt = clockNow().toISOString();
  const [fromId, toId] = await c.ctx.db.tx(async (tx) => {
    const db = tx as unknown as Exec;
    const ids = [await liveObject(db, from, fromRef!), await liveObject(db, to, toRef!)] as const;
    await associate(db, c.catalog.assoc, from, ids[0], ids[1], [c.catalog.assoc.defaultOf(from, to)!.id], startedAt);
    return ids;
  });
  return { status: 200, body: batchBody(startedAt, defaultResults(c.catalog.assoc, from, fromId, to, toId)) };
}

// ---- batch

export async function batchCreate(c: Call): Promise<Result> {
  const from = typeParam(c.ids[0]);
  const to = typeParam(c.ids[1]);
  const startedAt = clockNow().toISOString();
  const list = inputs(c).map((i) => ({
    fromRef: String(i?.from?.id ?? ''),
    toRef: String(i?.to?.id ?? ''),
    defs: (Array.isArray(i?.types) && i.types.length ? i.types : [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: c.catalog.assoc.defaultOf(from, to)?.id }]).map((t: unknown) => specOf(c.catalog.assoc, from, to, t)) as AssocType[],
  }));
  const results = await c.ctx.db.tx(async (tx) => {
    const db = tx as unknown as Exec;
    const out: unknown[] = [];
    for (const i of list) {
      const fromId = await liveObject(db, from, i.fromRef);
      const toId = await liveObject(db, to, i.toRef);
      await associate(db, c.catalog.assoc, from, fromId, toId, i.defs.map((d) => d.id), startedAt);
      out.push(pair(from, fromId, to, toId, await labelsOf(db, c.catalog.assoc, fromId, toId)));
    }
    return out;
  });
  return { status: 201, body: batchBody(startedAt, results) };
}

export async function batchDefault(c: Call): Promise<Result> {
  const from = typeParam(c.ids[0]);
  const to = typeParam(c.ids[1]);
  if (!c.catalog.assoc.defaultOf(from, to)) throw validation(`No default association between ${from} and ${to}`);
  const startedAt = clockNow().toISOString();
  const results = await c.ctx.db.tx(async (tx) => {
    const db = tx as unknown as Exec;
    const out: unknown[] = [];
    for (const i of inputs(c)) {
      const fromId = await liveObject(db, from, String(i?.from?.id ?? ''));
      const toId = await liveObject(db, to, String(i?.to?.id ?? ''));
      await associate(db, c.catalog.assoc, from, fromId, toId, [c.catalog.assoc.defaultOf(from, to)!.id], startedAt);
      out.push(...defaultResults(c.catalog.assoc, from, fromId, to, toId));
    }
    return out;
  });
  return { status: 200, body: batchBody(startedAt, results) };
}

export async function batchArchive(c: Call): Promise<Result> {
  typeParam(c.ids[0]);
  typeParam(c.ids[1]);
  const list = inputs(c);
  await c.ctx.db.tx(async (tx) => {
    for (const i of list) {
      const fromRef = String(i?.from?.id ?? '');
      const tos = Array.isArray(i?.to) ? i.to : [];
      for (const t of tos) {
        const toRef = String(t?.id ?? '');
        if (isId(fromRef) && isId(toRef)) await dissociate(tx as unknown as Exec, c.catalog.assoc, Number(fromRef), Number(toRef));
      }
    }
  });
  return { status: 204 };
}

export async function batchArchiveLabels(c: Call): Promise<Result> {
  const from = typeParam(c.ids[0]);
  const to = typeParam(c.ids[1]);
  const list = inputs(c).map((i) => ({ fromRef: String(i?.from?.id ?? ''), toRef: String(i?.to?.id ?? ''), defs: (Array.isArray(i?.types) ? i.types : []).map((t: unknown) => specOf(c.catalog.assoc, from, to, t)) as AssocType[] }));
  await c.ctx.db.tx(async (tx) => {
    for (const i of list) {
      if (isId(i.fromRef) && isId(i.toRef)) await dissociate(tx as unknown as Exec, c.catalog.assoc, Number(i.fromRef), Number(i.toRef), i.defs.map((d) => d.id));
    }
  });
  return { status: 204 };
}

export async function batchRead(c: Call): Promise<Result> {
  const from = typeParam(c.ids[0]);
  const to = typeParam(c.ids[1]);
  const startedAt = clockNow().toISOString();
  const refs = inputs(c).map((i) => ({ id: String(i?.id ?? ''), after: i?.after ? Number(i.after) : 0 }));
  const found = await loadMany(c.ctx.db, from, refs.filter((r) => isId(r.id)).map((r) => Number(r.id)));
  const live = refs.filter((r) => found.get(Number(r.id))?.archived === false);
  const byFrom = await associationsOf(c.ctx.db, c.catalog.assoc, from, live.map((r) => Number(r.id)), to);
  const results = live.map((r) => ({ from: { id: r.id }, to: (byFrom.get(Number(r.id)) ?? []).filter((x) => Number(x.toObjectId) >= r.after) }));
  const missing = refs.filter((r) => !live.includes(r)).map((r) => r.id);
  const body = batchBody(startedAt, results);
  if (missing.length) {
    body.numErrors = missing.length;
    body.errors = missing.map((id) => ({ status: 'error', category: 'OBJECT_NOT_FOUND', message: `No ${from} with id ${id} exists`, context: { fromObjectId: [id] }, links: {}, errors: [] }));
    return { status: 207, body };
  }
  return { status: 200, body };
}

export async function labels(c: Call): Promise<Result> {
  const from = typeParam(c.ids[0]);
  const to = typeParam(c.ids[1]);
  return { status: 200, body: { results: c.catalog.assoc.between(from, to).map(typeJson) } };
}
