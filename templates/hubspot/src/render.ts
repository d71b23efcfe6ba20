import type { Catalog } from './catalog.ts';
import { DEFAULT_PROPERTIES, LAST_MODIFIED, type ObjectType } from './schema.ts';
import { iso, type CrmObject, type Exec } from './lookup.ts';

/** CRM objects as HubSpot answers them: SimplePublicObject(WithAssociations) JSON, with properties' history on request. */

export interface RenderOptions {
  /** Requested properties; undefined = the type's defaults. */
  properties?: string[];
  propertiesWithHistory?: string[];
  /** Object types whose associations a read includes (v3 shape). */
  associations?: ObjectType[];
  /** Every stored property (create/update answers). */
  full?: boolean;
}

function selectProperties(catalog: Catalog, obj: CrmObject, opts: RenderOptions): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  const stored: Record<string, string> = { ...obj.properties, hs_object_id: String(obj.id) };
  if (opts.full) {
    for (const k of Object.keys(stored).sort()) out[k] = stored[k] ?? null;
    return out;
  }
  const names = opts.properties && opts.properties.length
    ? [...new Set([...opts.properties.filter((n) => catalog.def(obj.type, n)), 'createdate', 'hs_object_id', LAST_MODIFIED[obj.type]])]
    : DEFAULT_PROPERTIES[obj.type];
  for (const n of [...names].sort()) out[n] = stored[n] ?? null;
  return out;
}

export async function render(db: Exec, catalog: Catalog, objs: CrmObject[], opts: RenderOptions = {}): Promise<Record<string, unknown>[]> {
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
      list.push({ id: String(r.to_id), type: catalog.assoc.get(Number(r.type_id))?.v3 ?? String(r.type_id) });
      byType.set(r.to_type, list);
      assocs.set(from, byType);
    }
  }
  return objs.map((o) => {
    const out: Record<string, unknown> = { id: String(o.id), properties: selectProperties(catalog, o, opts), createdAt: o.createdAt, updatedAt: o.updatedAt, archived: o.archived };
    if (o.archivedAt) out.archivedAt = o.archivedAt;
    if (withHistory.length) {
      const h: Record<string, unknown> = {};
      for (const n of withHistory) if (catalog.def(o.type, n)) h[n] = history.get(`${o.id}:${n}`) ?? [];
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

export async function renderOne(db: Exec, catalog: Catalog, obj: CrmObject, opts: RenderOptions = {}): Promise<Record<string, unknown>> {
  return (await render(db, catalog, [obj], opts))[0]!;
}
