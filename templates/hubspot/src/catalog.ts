import type { KitContext } from '../../_kit/types.ts';
import { buildAssocTypes, loadAssocRows, type AssocRows, type AssocTypes } from './assoc-types.ts';
import type { Exec } from './lookup.ts';
import { PIPELINE_PROPS, buildPipelines, isPipelineType, loadPipelineRows, type PipelineJson, type PipelineType, type Pipelines } from './pipelines.ts';
import { OBJECT_TYPES, PIPELINE_CREATED, PROPERTIES, PROPERTY_GROUPS, type ObjectType, type PropType, type PropertyDef } from './schema.ts';

/**
 * The portal's property catalog: HubSpot's own definitions (schema.ts) plus the custom
 * properties and groups stored in custom_properties / custom_property_groups, and the
 * pipelines (pipelines.ts) whose ids are the options of the pipeline and stage properties, and
 * the association types (assoc-types.ts). Handlers get
 * it once per request (Call.catalog); writes to the catalog call `dropCatalog` so the next
 * request reloads it. The cache lives in ctx.state, which the kit clears on reset and restore.
 */

export interface PropertyJson {
  name: string;
  label: string;
  type: string;
  fieldType: string;
  description: string;
  groupName: string;
  options: Array<{ label: string; value: string; displayOrder?: number; hidden: boolean; description?: string }>;
  displayOrder: number;
  hasUniqueValue: boolean;
  hidden: boolean;
  hubspotDefined: boolean;
  formField: boolean;
  archived: boolean;
  archivedAt?: string;
  [k: string]: unknown;
}

export interface GroupJson {
  name: string;
  label: string;
  displayOrder: number;
  archived: boolean;
}

export interface Catalog {
  /** A live definition (HubSpot's or custom): what property writes and reads are checked against. */
  def(type: ObjectType, name: string): PropertyDef | undefined;
  /** Property JSON, live ones or (archived) the archived custom ones. */
  properties(type: ObjectType, archived?: boolean): PropertyJson[];
  property(type: ObjectType, name: string, archived?: boolean): PropertyJson | undefined;
  groups(type: ObjectType): GroupJson[];
  group(type: ObjectType, name: string): GroupJson | undefined;
  /** The live deal and ticket pipelines. */
  pipelines: Pipelines;
  /** Association types (HubSpot's and custom labels) and their limits. */
  assoc: AssocTypes;
}

/** HubSpot's own definitions as the properties API answers them. */
function builtinJson(d: PropertyDef, i: number): PropertyJson {
  return {
    name: d.name,
    label: d.label,
    type: d.type,
    fieldType: d.fieldType,
    description: d.description,
    groupName: d.groupName,
    options: (d.options ?? []).map((o, j) => ({ label: o.label, value: o.value, displayOrder: j, hidden: false })),
    displayOrder: i,
    calculated: d.name === 'hs_deal_stage_probability' || d.name === 'hs_is_closed',
    externalOptions: d.externalOptions === true,
    hasUniqueValue: d.hasUniqueValue === true,
    hidden: false,
    hubspotDefined: true,
    formField: !d.readOnly,
    modificationMetadata: { archivable: false, readOnlyDefinition: true, readOnlyValue: d.readOnly === true },
    createdAt: PIPELINE_CREATED,
    updatedAt: PIPELINE_CREATED,
    archived: false,
  };
}

/** A custom property's JSON read as the definition values are validated against. */
export function defOf(p: PropertyJson): PropertyDef {
  return {
    name: p.name,
    label: p.label,
    type: p.type as PropType,
    fieldType: p.fieldType,
    groupName: p.groupName,
    description: p.description,
    options: p.options.map((o) => ({ label: o.label, value: o.value })),
    hasUniqueValue: p.hasUniqueValue,
  };
}

interface Rows {
  properties: Map<ObjectType, PropertyJson[]>;
  groups: Map<ObjectType, GroupJson[]>;
  pipelines: Array<{ type: PipelineType; body: PipelineJson }>;
  assoc: AssocRows;
}

/** HubSpot's definitions, the pipeline and stage properties taking the live pipelines as options. */
function builtinDefs(t: ObjectType, pipelines: Pipelines): PropertyDef[] {
  if (!isPipelineType(t)) return PROPERTIES[t];
  const live = pipelines.list(t);
  const options: Record<string, Array<{ label: string; value: string }>> = {
    [PIPELINE_PROPS[t].pipeline]: live.map((p) => ({ value: p.id, label: p.label })),
    [PIPELINE_PROPS[t].stage]: live.flatMap((p) => p.stages.map((s) => ({ value: s.id, label: s.label }))),
  };
  return PROPERTIES[t].map((d) => (options[d.name] ? { ...d, options: options[d.name] } : d));
}

function build(rows: Rows): Catalog {
  const pipelines = buildPipelines(rows.pipelines);
  const defs = new Map(OBJECT_TYPES.map((t) => [t, builtinDefs(t, pipelines)]));
  const builtins = new Map(OBJECT_TYPES.map((t) => [t, defs.get(t)!.map(builtinJson)]));
  const custom = (t: ObjectType) => rows.properties.get(t) ?? [];
  const live = new Map(OBJECT_TYPES.map((t) => [t, new Map<string, PropertyDef>([
    ...defs.get(t)!.map((d) => [d.name, d] as const),
    ...custom(t).filter((p) => !p.archived).map((p) => [p.name, defOf(p)] as const),
  ])]));
  const properties = (t: ObjectType, archived = false) => (archived ? custom(t).filter((p) => p.archived) : [...builtins.get(t)!, ...custom(t).filter((p) => !p.archived)]);
  const groups = (t: ObjectType) => [
    ...PROPERTY_GROUPS[t].map((g) => ({ name: g.name, label: g.label, displayOrder: g.displayOrder, archived: false })),
    ...(rows.groups.get(t) ?? []).filter((g) => !g.archived),
  ];
  return {
    def: (t, name) => live.get(t)!.get(name),
    properties,
    property: (t, name, archived = false) => properties(t, archived).find((p) => p.name === name),
    groups,
    group: (t, name) => groups(t).find((g) => g.name === name),
    pipelines,
    assoc: buildAssocTypes(rows.assoc),
  };
}

async function load(db: Exec): Promise<Catalog> {
  const rows: Rows = { properties: new Map(), groups: new Map(), pipelines: await loadPipelineRows(db), assoc: await loadAssocRows(db) };
  const parse = (b: unknown) => (typeof b === 'string' ? JSON.parse(b) : b);
  for (const r of await db.unsafe('select object_type, body from custom_properties order by object_type, name')) {
    const t = r.object_type as ObjectType;
    rows.properties.set(t, [...(rows.properties.get(t) ?? []), parse(r.body)]);
  }
  for (const r of await db.unsafe('select object_type, body from custom_property_groups order by object_type, name')) {
    const t = r.object_type as ObjectType;
    rows.groups.set(t, [...(rows.groups.get(t) ?? []), parse(r.body)]);
  }
  return build(rows);
}

class CatalogCache {
  pending: Promise<Catalog> | null = null;
  clear(): void {
    this.pending = null;
  }
}

const cache = (ctx: KitContext) => ctx.state('hubspot:catalog', () => new CatalogCache());

/** The catalog as stored now (cached until a catalog write or a reset). */
export function catalogOf(ctx: KitContext): Promise<Catalog> {
  const c = cache(ctx);
  c.pending ??= load(ctx.db).catch((e) => {
    c.pending = null;
    throw e;
  });
  return c.pending;
}

/** After a write to custom_properties, custom_property_groups, pipelines or association labels/limits has committed. */
export function dropCatalog(ctx: KitContext): void {
  cache(ctx).clear();
}
