import { dropCatalog, type GroupJson } from '../catalog.ts';
import { hsError, notFound, validation } from '../errors.ts';
import type { Exec } from '../lookup.ts';
import { PROPERTY_GROUPS, type ObjectType } from '../schema.ts';
import type { Call, Result } from '../types.ts';
import { typeParam } from './common.ts';
import { checkName, required } from './properties.ts';

/**
 * /crm/v3/properties/{objectType}/groups: HubSpot's own groups (read-only) and custom ones,
 * created, relabelled, reordered and archived here (custom_property_groups).
 */

export async function groups(c: Call): Promise<Result> {
  return { status: 200, body: { results: c.catalog.groups(typeParam(c.ids[0])) } };
}

function groupOf(c: Call, t: ObjectType, name: string): GroupJson {
  const g = c.catalog.group(t, name);
  if (!g) throw notFound(`Unable to find property group ${name} for object type ${t}`);
  return g;
}

export async function group(c: Call): Promise<Result> {
  const t = typeParam(c.ids[0]);
  return { status: 200, body: groupOf(c, t, c.ids[1]!) };
}

function notBuiltin(t: ObjectType, g: GroupJson, doing: string): void {
  if (PROPERTY_GROUPS[t].some((b) => b.name === g.name)) throw validation(`${g.name} is a HubSpot-defined property group; it cannot be ${doing}.`, [{ message: `${g.name} is read-only`, code: 'READ_ONLY_DEFINITION', in: 'groupName' }]);
}

async function saveGroup(db: Exec, t: ObjectType, g: GroupJson): Promise<void> {
  await db.unsafe(
    `insert into custom_property_groups (object_type, name, body, archived) values ($1, $2, $3::text::jsonb, $4)
       on conflict (object_type, name) do update set body = excluded.body, archived = excluded.archived`,
    [t, g.name, JSON.stringify(g), g.archived],
  );
}

export async function createGroup(c: Call): Promise<Result> {
  const t = typeParam(c.ids[0]);
  required(c.body, ['name', 'label']);
  const name = String(c.body.name);
  checkName(name, 'Property group');
  if (c.catalog.group(t, name)) throw hsError(409, 'OBJECT_ALREADY_EXISTS', `Property group named '${name}' already exists.`);
  const g: GroupJson = { name, label: String(c.body.label), displayOrder: typeof c.body.displayOrder === 'number' ? c.body.displayOrder : -1, archived: false };
  await saveGroup(c.ctx.db, t, g);
  dropCatalog(c.ctx);
  return { status: 201, body: g };
}

export async function updateGroup(c: Call): Promise<Result> {
  const t = typeParam(c.ids[0]);
  const g = groupOf(c, t, c.ids[1]!);
  notBuiltin(t, g, 'changed');
  const unknown = Object.keys(c.body).filter((k) => k !== 'label' && k !== 'displayOrder');
  if (unknown.length) throw validation(`Invalid input JSON: unknown field(s) ${unknown.join(', ')}; a group's label and displayOrder can be changed`);
  const next: GroupJson = {
    ...g,
    ...(typeof c.body.label === 'string' && c.body.label !== '' ? { label: c.body.label } : {}),
    ...(typeof c.body.displayOrder === 'number' ? { displayOrder: c.body.displayOrder } : {}),
  };
  await saveGroup(c.ctx.db, t, next);
  dropCatalog(c.ctx);
  return { status: 200, body: next };
}

/** A group that still holds live properties is not archived: they would be left without a group. */
export async function archiveGroup(c: Call): Promise<Result> {
  const t = typeParam(c.ids[0]);
  const g = groupOf(c, t, c.ids[1]!);
  notBuiltin(t, g, 'archived');
  const held = c.catalog.properties(t).filter((p) => p.groupName === g.name).map((p) => p.name);
  if (held.length) throw validation(`Property group ${g.name} still has properties (${held.join(', ')}); move or archive them first.`);
  await saveGroup(c.ctx.db, t, { ...g, archived: true });
  dropCatalog(c.ctx);
  return { status: 204 };
}
