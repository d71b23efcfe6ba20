import { hsError } from './errors.ts';
import { assocType, defaultAssoc, type ObjectType } from './schema.ts';
import { isId, loadById, type Exec } from './lookup.ts';

/**
 * Associations in Postgres, one row per direction: reading a create input's associations,
 * checking their targets, associating (one primary per object) and dissociating.
 */

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
