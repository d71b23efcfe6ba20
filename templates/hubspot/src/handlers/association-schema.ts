import { clockNow } from '../../../_kit/clock.ts';
import { categoryOf, type AssocTypes } from '../assoc-types.ts';
import { dropCatalog } from '../catalog.ts';
import { hsError, notFound, validation } from '../errors.ts';
import type { Exec } from '../lookup.ts';
import type { AssocType, ObjectType } from '../schema.ts';
import type { Call, Result } from '../types.ts';
import { typeJson } from './associations.ts';
import { typeParam } from './common.ts';

/**
 * HubSpot's association schema endpoints: custom association labels
 * (/crm/v4/associations/{from}/{to}/labels: create, rename, delete; the list is in
 * associations.ts) and association limits (/crm/v4/associations/definitions/configurations).
 * Both are stored (association_labels, association_limits) and read through catalog.assoc, so
 * a label is at once usable in v4 associations and a limit is enforced on every association
 * write (association-writes.ts).
 */

function pairOf(c: Call): { from: ObjectType; to: ObjectType } {
  return { from: typeParam(c.ids[0]), to: typeParam(c.ids[1]) };
}

const text = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';

function requireText(body: Record<string, unknown>, names: string[]): void {
  const missing = names.filter((n) => !text(body[n]));
  if (missing.length) throw validation(`${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} required`, missing.map((n) => ({ message: `${n} is required`, code: 'REQUIRED_FIELD', in: n })));
}

/** A custom label between the pair, named by its type id (either direction's id). */
function customLabel(types: AssocTypes, from: ObjectType, to: ObjectType, id: number): AssocType {
  const def = types.get(id);
  if (def && categoryOf(def) === 'HUBSPOT_DEFINED' && def.from === from && def.to === to) throw validation(`Association type ${id} is HUBSPOT_DEFINED; only USER_DEFINED labels can be changed or deleted`, [{ message: `${id} is read-only`, code: 'READ_ONLY_DEFINITION' }]);
  if (!def || def.from !== from || def.to !== to) throw notFound(`No USER_DEFINED association label ${id} from ${from} to ${to}`);
  return def;
}

// ---- labels

export async function createLabel(c: Call): Promise<Result> {
  const { from, to } = pairOf(c);
  requireText(c.body, ['name', 'label']);
  if (c.body.inverseLabel !== undefined && !text(c.body.inverseLabel)) throw validation('inverseLabel must be a non-empty string when given');
  // Every built-in type here joins two different object types; a same-type label would have no unlabeled type to sit on.
  if (from === to) throw validation(`Labels between ${from} and ${from} are not supported by this clone (it has no ${from}-to-${from} association type)`);
  const name = String(c.body.name).trim();
  const types = c.catalog.assoc;
  if ([...types.between(from, to), ...types.between(to, from)].some((a) => a.v3.toLowerCase() === name.toLowerCase())) throw hsError(409, 'OBJECT_ALREADY_EXISTS', `An association type named ${name} already exists between ${from} and ${to}`);
  const label = String(c.body.label).trim();
  const inverseLabel = text(c.body.inverseLabel) ? c.body.inverseLabel.trim() : label;
  const ids = await c.ctx.db.tx(async (tx) => {
    const db = tx as unknown as Exec;
    const [a, b] = (await db.unsafe("select nextval('association_type_ids') as id from generate_series(1, 2)")).map((r: { id: unknown }) => Number(r.id));
    await db.unsafe(
      `insert into association_labels (type_id, from_type, to_type, name, label, inverse_id) values ($1, $3, $4, $5, $6, $2), ($2, $4, $3, $5, $7, $1)`,
      [a, b, from, to, name, label, inverseLabel],
    );
    return [a!, b!];
  });
  dropCatalog(c.ctx);
  const made = (id: number, l: string): AssocType => ({ id, category: 'USER_DEFINED', from, to, label: l, inverse: 0, v3: name });
  return { status: 200, body: { results: [typeJson(made(ids[0], label)), typeJson(made(ids[1], inverseLabel))] } };
}

export async function updateLabel(c: Call): Promise<Result> {
  const { from, to } = pairOf(c);
  requireText(c.body, ['label']);
  const id = Number(c.body.associationTypeId);
  if (!Number.isInteger(id)) throw validation('associationTypeId is required and must be an integer', [{ message: 'associationTypeId is required', code: 'REQUIRED_FIELD', in: 'associationTypeId' }]);
  const def = customLabel(c.catalog.assoc, from, to, id);
  await c.ctx.db.tx(async (tx) => {
    const db = tx as unknown as Exec;
    await db.unsafe('update association_labels set label = $2 where type_id = $1', [def.id, String(c.body.label).trim()]);
    if (text(c.body.inverseLabel)) await db.unsafe('update association_labels set label = $2 where type_id = $1', [def.inverse, c.body.inverseLabel.trim()]);
  });
  dropCatalog(c.ctx);
  return { status: 204 };
}

/** Deleting a label removes it (both directions) from every association that has it, and its limits; the unlabeled association stays. */
export async function removeLabel(c: Call): Promise<Result> {
  const { from, to } = pairOf(c);
  const def = customLabel(c.catalog.assoc, from, to, Number(c.ids[2]));
  const ids = [def.id, def.inverse];
  await c.ctx.db.tx(async (tx) => {
    const db = tx as unknown as Exec;
    await db.unsafe('delete from associations where type_id = any($1::int[])', [ids]);
    await db.unsafe('delete from association_limits where type_id = any($1::int[])', [ids]);
    await db.unsafe('delete from association_labels where type_id = any($1::int[])', [ids]);
  });
  dropCatalog(c.ctx);
  return { status: 204 };
}

// ---- limits (definitions/configurations)

const configJson = (types: AssocTypes, def: AssocType) => {
  const max = types.limit(def.id);
  return { category: categoryOf(def), typeId: def.id, label: def.label, ...(max !== undefined ? { userEnforcedMaxToObjectIds: max } : {}) };
};

/** Every configured limit, of any object-type pair. */
export async function allConfigurations(c: Call): Promise<Result> {
  const types = c.catalog.assoc;
  return { status: 200, body: { results: types.limits().map((l) => types.get(l.typeId)).filter((d): d is AssocType => !!d).map((d) => configJson(types, d)) } };
}

/** Every association type between the pair, with its limit where one is set. */
export async function pairConfigurations(c: Call): Promise<Result> {
  const { from, to } = pairOf(c);
  const types = c.catalog.assoc;
  return { status: 200, body: { results: types.between(from, to).map((d) => configJson(types, d)) } };
}

function batchInputs(c: Call): Array<Record<string, unknown>> {
  const list = c.body.inputs;
  if (!Array.isArray(list) || !list.length) throw validation('inputs is required and must be a non-empty array', [{ message: 'inputs is required', code: 'REQUIRED_FIELD', in: 'inputs' }]);
  return list as Array<Record<string, unknown>>;
}

/** A `{category, typeId}` of the pair. */
function specOf(types: AssocTypes, from: ObjectType, to: ObjectType, i: Record<string, unknown>, n: number): AssocType {
  const def = types.get(Number(i?.typeId));
  const category = String(i?.category ?? '');
  if (!def || def.from !== from || def.to !== to || categoryOf(def) !== category) {
    throw validation(`inputs[${n}]: ${category || '(no category)'} ${i?.typeId} is not an association type from ${from} to ${to}`, [{ message: `valid: ${types.between(from, to).map((a) => `${categoryOf(a)} ${a.id}`).join(', ')}`, code: 'INVALID_ASSOCIATION_TYPE', in: `inputs[${n}]` }]);
  }
  return def;
}

/**
 * The limits a create or update sets, checked as HubSpot documents: a positive whole number,
 * and a label's limit at most the unlabeled (object) limit of its direction, in whichever
 * order they are set ("Label limits must always be less than or equal to the object limit").
 */
function plannedLimits(c: Call, creating: boolean): Array<{ def: AssocType; max: number }> {
  const { from, to } = pairOf(c);
  const types = c.catalog.assoc;
  const planned = batchInputs(c).map((i, n) => {
    const def = specOf(types, from, to, i, n);
    const max = Number(i.maxToObjectIds);
    if (!Number.isInteger(max) || max < 1) throw validation(`inputs[${n}]: maxToObjectIds must be a whole number of at least 1, got ${i.maxToObjectIds}`, [{ message: 'invalid maxToObjectIds', code: 'INVALID_INPUT', in: `inputs[${n}].maxToObjectIds` }]);
    const set = types.limit(def.id) !== undefined;
    if (creating && set) throw validation(`inputs[${n}]: type ${def.id} already has a limit (${types.limit(def.id)}); change it with batch/update`);
    if (!creating && !set) throw validation(`inputs[${n}]: type ${def.id} has no limit to update; set one with batch/create`);
    return { def, max };
  });
  const after = new Map(types.limits().map((l) => [l.typeId, l.max]));
  for (const p of planned) after.set(p.def.id, p.max);
  const unlabeled = types.defaultOf(from, to);
  const objectMax = unlabeled ? after.get(unlabeled.id) : undefined;
  if (objectMax !== undefined) {
    for (const d of types.between(from, to).filter((x) => x.label !== null)) {
      const m = after.get(d.id);
      if (m !== undefined && m > objectMax) throw validation(`The limit of label ${d.id} (${d.label}) is ${m}, above the object limit of ${objectMax}; a label limit must be from 1 to ${objectMax}`, [{ message: 'label limit above the object limit', code: 'INVALID_LIMIT' }]);
    }
  }
  return planned;
}

async function storeLimits(c: Call, planned: Array<{ def: AssocType; max: number }>): Promise<void> {
  await c.ctx.db.tx(async (tx) => {
    for (const p of planned) {
      await (tx as unknown as Exec).unsafe(
        'insert into association_limits (type_id, max_to_object_ids) values ($1, $2) on conflict (type_id) do update set max_to_object_ids = excluded.max_to_object_ids',
        [p.def.id, p.max],
      );
    }
  });
  dropCatalog(c.ctx);
}

const batchBody = (startedAt: string, results: unknown[]) => ({ status: 'COMPLETE', results, startedAt, completedAt: clockNow().toISOString() });

export async function createConfigurations(c: Call): Promise<Result> {
  const startedAt = clockNow().toISOString();
  const planned = plannedLimits(c, true);
  await storeLimits(c, planned);
  return { status: 201, body: batchBody(startedAt, planned.map((p) => ({ category: categoryOf(p.def), typeId: p.def.id, label: p.def.label, userEnforcedMaxToObjectIds: p.max }))) };
}

export async function updateConfigurations(c: Call): Promise<Result> {
  const startedAt = clockNow().toISOString();
  const planned = plannedLimits(c, false);
  await storeLimits(c, planned);
  return { status: 200, body: batchBody(startedAt, planned.map((p) => ({ category: categoryOf(p.def), typeId: p.def.id, userEnforcedMaxToObjectIds: p.max }))) };
}

/** Removes the limits named (`{category, typeId}`); a type without one is skipped. */
export async function purgeConfigurations(c: Call): Promise<Result> {
  const { from, to } = pairOf(c);
  const ids = batchInputs(c).map((i, n) => specOf(c.catalog.assoc, from, to, i, n).id);
  await c.ctx.db.unsafe('delete from association_limits where type_id = any($1::int[])', [ids]);
  dropCatalog(c.ctx);
  return { status: 204 };
}
