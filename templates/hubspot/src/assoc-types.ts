import type { Exec } from './lookup.ts';
import { ASSOC_TYPES, type AssocType, type ObjectType } from './schema.ts';

/**
 * The portal's association types: HubSpot's own (schema.ts ASSOC_TYPES) plus the custom
 * USER_DEFINED labels of association_labels, and the limits set on any of them
 * (association_limits). The catalog loads them with the property definitions, so a label
 * created through the API is at once usable in v4 associations and listed with the others.
 */

export interface AssocTypes {
  get(id: number): AssocType | undefined;
  /** Every type from `from` to `to` (HubSpot's, then custom by id). */
  between(from: ObjectType, to: ObjectType): AssocType[];
  /** The unlabeled (default) type between two object types. */
  defaultOf(from: ObjectType, to: ObjectType): AssocType | undefined;
  all(): AssocType[];
  /** The limit set on a type: at most this many to-side objects per from-side object. */
  limit(id: number): number | undefined;
  limits(): Array<{ typeId: number; max: number }>;
}

export interface AssocRows {
  labels: AssocType[];
  limits: Map<number, number>;
}

export function buildAssocTypes(rows: AssocRows): AssocTypes {
  const all = [...ASSOC_TYPES, ...rows.labels];
  const byId = new Map(all.map((a) => [a.id, a]));
  return {
    get: (id) => byId.get(id),
    between: (from, to) => all.filter((a) => a.from === from && a.to === to),
    defaultOf: (from, to) => ASSOC_TYPES.find((a) => a.from === from && a.to === to && a.label === null),
    all: () => all,
    limit: (id) => rows.limits.get(id),
    limits: () => [...rows.limits].map(([typeId, max]) => ({ typeId, max })),
  };
}

export async function loadAssocRows(db: Exec): Promise<AssocRows> {
  const labels = (await db.unsafe('select type_id, from_type, to_type, name, label, inverse_id from association_labels order by type_id')).map(
    (r: Record<string, unknown>): AssocType => ({ id: Number(r.type_id), category: 'USER_DEFINED', from: r.from_type as ObjectType, to: r.to_type as ObjectType, label: String(r.label), inverse: Number(r.inverse_id), v3: String(r.name) }),
  );
  const limits = new Map<number, number>((await db.unsafe('select type_id, max_to_object_ids from association_limits')).map((r: Record<string, unknown>) => [Number(r.type_id), Number(r.max_to_object_ids)] as const));
  return { labels, limits };
}

export const categoryOf = (a: AssocType): 'HUBSPOT_DEFINED' | 'USER_DEFINED' => a.category ?? 'HUBSPOT_DEFINED';
