import { categoryOf, type AssocTypes } from './assoc-types.ts';
import { hsError } from './errors.ts';
import type { ObjectType } from './schema.ts';
import { isId, loadById, type Exec } from './lookup.ts';

/**
 * Associations in Postgres, one row per direction: reading a create input's associations,
 * checking their targets, associating (one primary per object, within any configured limit)
 * and dissociating. `types` is the portal's association types (catalog.assoc).
 */

export interface AssocInput {
  toId: number;
  typeId: number;
  category: string;
}

/** Reads the `associations` of a create input: [{to:{id}, types:[{associationCategory, associationTypeId}]}]. */
export function parseCreateAssociations(types: AssocTypes, type: ObjectType, raw: unknown): AssocInput[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw hsError(400, 'VALIDATION_ERROR', 'Invalid input JSON: associations must be an array');
  const out: AssocInput[] = [];
  for (const a of raw as Array<Record<string, any>>) {
    const to = String(a?.to?.id ?? '');
    if (!isId(to)) throw hsError(400, 'VALIDATION_ERROR', `Invalid association target id: ${to || '(missing)'}`);
    const specs = Array.isArray(a?.types) ? a.types : [];
    if (!specs.length) throw hsError(400, 'VALIDATION_ERROR', 'Each association needs at least one type');
    for (const t of specs) {
      const typeId = Number(t?.associationTypeId);
      const category = String(t?.associationCategory ?? 'HUBSPOT_DEFINED');
      const def = types.get(typeId);
      if (!def || def.from !== type || category !== categoryOf(def)) {
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
export async function associate(db: Exec, types: AssocTypes, from: ObjectType, fromId: number, toId: number, typeIds: number[], at: string): Promise<void> {
  const all = new Set<number>();
  for (const id of typeIds) {
    const def = types.get(id)!;
    all.add(id);
    if (def.label !== null) all.add(types.defaultOf(def.from, def.to)!.id);
  }
  for (const id of all) {
    const def = types.get(id)!;
    await checkLimit(db, types, def.id, fromId, toId);
    await checkLimit(db, types, def.inverse, toId, fromId);
    if (def.primary) {
      // One primary company per contact/deal: a new primary replaces the old one.
      const owner = def.from === 'companies' ? { side: 'to', id: toId, typeId: def.inverse } : { side: 'from', id: fromId, typeId: id };
      const ownerId = owner.id;
      const ownerType = owner.typeId;
      const ownerDef = types.get(ownerType)!;
      const olds = await db.unsafe('select to_id from associations where from_id = $1 and type_id = $2', [ownerId, ownerType]);
      for (const o of olds) {
        await db.unsafe('delete from associations where (from_id = $1 and to_id = $2 and type_id = $3) or (from_id = $2 and to_id = $1 and type_id = $4)', [ownerId, Number(o.to_id), ownerType, ownerDef.inverse]);
      }
    }
    await db.unsafe(
      `insert into associations (from_type, from_id, to_type, to_id, type_id, category, created_at) values
         ($1, $2, $3, $4, $5, $8, $7::timestamptz), ($3, $4, $1, $2, $6, $8, $7::timestamptz)
       on conflict do nothing`,
      [def.from, fromId, def.to, toId, id, def.inverse, at, categoryOf(def)],
    );
  }
}

/**
 * A configured limit (definitions/configurations) on `typeId`: `fromId` may have at most that
 * many objects associated by it; a new one past it is refused as HubSpot refuses it.
 */
async function checkLimit(db: Exec, types: AssocTypes, typeId: number, fromId: number, toId: number): Promise<void> {
  const max = types.limit(typeId);
  if (max === undefined) return;
  const rows = await db.unsafe('select count(*)::int as n, bool_or(to_id = $3) as has from associations where from_id = $1 and type_id = $2', [fromId, typeId, toId]);
  if (rows[0].has || Number(rows[0].n) < max) return;
  const def = types.get(typeId)!;
  throw hsError(400, 'VALIDATION_ERROR', `${def.from} ${fromId} already has ${rows[0].n} ${def.to} associated by type ${typeId}${def.label ? ` (${def.label})` : ''}; the configured limit is ${max}.`, {
    errors: [{ message: `association limit of ${max} reached`, code: 'ASSOCIATION_LIMIT_EXCEEDED', context: { fromObjectId: [String(fromId)], typeId: [String(typeId)] } }],
  });
}

/** Removes associations between two objects: the given types (and their inverses), or all. */
export async function dissociate(db: Exec, types: AssocTypes, fromId: number, toId: number, typeIds?: number[]): Promise<void> {
  if (!typeIds) {
    await db.unsafe('delete from associations where (from_id = $1 and to_id = $2) or (from_id = $2 and to_id = $1)', [fromId, toId]);
    return;
  }
  for (const id of typeIds) {
    const def = types.get(id);
    if (!def) continue;
    await db.unsafe('delete from associations where (from_id = $1 and to_id = $2 and type_id = $3) or (from_id = $2 and to_id = $1 and type_id = $4)', [fromId, toId, id, def.inverse]);
  }
}

/** Targets of create-time associations must exist (live) and be of the type the association points at. */
export async function checkTargets(db: Exec, types: AssocTypes, type: ObjectType, assocs: AssocInput[]): Promise<void> {
  for (const a of assocs) {
    const def = types.get(a.typeId)!;
    const target = await loadById(db, def.to, a.toId);
    if (!target || target.archived || def.from !== type) {
      throw hsError(400, 'VALIDATION_ERROR', `One or more associations are invalid: ${def.to} ${a.toId} does not exist`, {
        errors: [{ message: `${def.to} ${a.toId} does not exist`, code: 'INVALID_ASSOCIATION', context: { id: [String(a.toId)] } }],
      });
    }
  }
}
