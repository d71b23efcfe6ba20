import { clockNow } from '../../../_kit/clock.ts';
import { dropCatalog, type Catalog, type PropertyJson } from '../catalog.ts';
import { hsError, notFound, validation, type ErrorDetail } from '../errors.ts';
import type { Exec } from '../lookup.ts';
import type { ObjectType } from '../schema.ts';
import type { Call, Result } from '../types.ts';
import { boolParam, typeParam } from './common.ts';

/**
 * /crm/v3/properties/{objectType}: the portal's property definitions, HubSpot's
 * own (read-only: `hubspotDefined`, `modificationMetadata.readOnlyDefinition`) and custom
 * ones, which are created, updated and archived here and then accepted in object writes.
 * Groups are in property-groups.ts.
 */

// HubSpot's properties guide: each `type` and the `fieldType`s it may be shown as.
const FIELD_TYPES: Record<string, string[]> = {
  bool: ['booleancheckbox', 'calculation_equation'],
  enumeration: ['booleancheckbox', 'checkbox', 'radio', 'select', 'calculation_equation'],
  date: ['date'],
  datetime: ['date'],
  string: ['file', 'text', 'textarea', 'calculation_equation', 'html', 'phonenumber'],
  number: ['number', 'calculation_equation'],
  phone_number: ['phonenumber'],
};
// Internal names: lowercase letters, digits and underscores, starting with a letter; the
// hs_ prefix is HubSpot's own.
const NAME = /^[a-z][a-z0-9_]*$/;

const exists = (what: string, name: string) => hsError(409, 'OBJECT_ALREADY_EXISTS', `${what} named '${name}' already exists.`);

export function required(body: Record<string, any>, fields: string[]): void {
  const missing = fields.filter((f) => typeof body[f] !== 'string' || body[f].trim() === '');
  if (missing.length) {
    throw validation(
      `Invalid input JSON: missing or empty required field(s): ${missing.join(', ')}`,
      missing.map((f) => ({ message: `${f} is required`, code: 'REQUIRED_FIELD', in: f })),
    );
  }
}

export function checkName(name: string, what: string): void {
  if (!NAME.test(name)) throw validation(`${what} name '${name}' is invalid: use lowercase letters, numbers and underscores, starting with a letter.`, [{ message: `${name} is not a valid internal name`, code: 'INVALID_PROPERTY_NAME', in: 'name' }]);
  if (name.startsWith('hs_')) throw validation(`${what} name '${name}' is invalid: names starting with hs_ are reserved for HubSpot.`, [{ message: 'the hs_ prefix is reserved', code: 'INVALID_PROPERTY_NAME', in: 'name' }]);
}

/** type (HubSpot also writes dateTime) and fieldType: a pair the guide lists. */
function typeAndField(rawType: unknown, rawField: unknown): { type: string; fieldType: string } {
  const type = String(rawType).toLowerCase();
  const fieldType = String(rawField).toLowerCase();
  const fields = FIELD_TYPES[type];
  if (!fields) throw validation(`Invalid property type '${rawType}'; one of: ${Object.keys(FIELD_TYPES).join(', ')}`, [{ message: `${rawType} is not a property type`, code: 'INVALID_PROPERTY_TYPE', in: 'type' }]);
  if (!fields.includes(fieldType)) {
    throw validation(`fieldType '${rawField}' is not valid for a property of type ${type}; one of: ${fields.join(', ')}`, [{ message: `${rawField} is not valid for ${type}`, code: 'INVALID_FIELD_TYPE', in: 'fieldType' }]);
  }
  return { type, fieldType };
}

function optionsOf(raw: unknown, type: string): PropertyJson['options'] {
  if (raw === undefined || raw === null) return type === 'bool' ? [{ label: 'Yes', value: 'true', displayOrder: 0, hidden: false }, { label: 'No', value: 'false', displayOrder: 1, hidden: false }] : [];
  if (!Array.isArray(raw)) throw validation('options must be an array of {label, value}');
  const problems: ErrorDetail[] = [];
  const seen = new Set<string>();
  const out = raw.map((o: Record<string, unknown>, i) => {
    if (typeof o?.label !== 'string' || typeof o?.value !== 'string' || o.label === '' || o.value === '') problems.push({ message: `options[${i}] needs a label and a value`, code: 'REQUIRED_FIELD', in: `options[${i}]` });
    else if (seen.has(o.value)) problems.push({ message: `option value '${o.value}' is used more than once`, code: 'DUPLICATE_OPTION', in: `options[${i}].value` });
    seen.add(String(o?.value));
    return {
      label: String(o?.label ?? ''),
      value: String(o?.value ?? ''),
      displayOrder: typeof o?.displayOrder === 'number' ? o.displayOrder : i,
      hidden: o?.hidden === true,
      ...(typeof o?.description === 'string' ? { description: o.description } : {}),
    };
  });
  if (problems.length) throw validation(`Invalid options: ${problems.map((p) => p.message).join('; ')}`, problems);
  if (out.length && type !== 'enumeration' && type !== 'bool') throw validation(`options are only allowed for enumeration and bool properties, not ${type}`);
  return out;
}

function groupMustExist(catalog: Catalog, t: ObjectType, groupName: string): void {
  if (!catalog.group(t, groupName)) throw validation(`Property group '${groupName}' does not exist for object type ${t}`, [{ message: `${groupName} is not a property group`, code: 'INVALID_GROUP', in: 'groupName' }]);
}

/** A PropertyCreate checked against the catalog: the Property JSON to store. */
function newProperty(c: Call, t: ObjectType, input: Record<string, any>, taken: Set<string>, at: string): PropertyJson {
  if (!input || typeof input !== 'object' || Array.isArray(input)) throw validation('Invalid input JSON: a property must be an object');
  required(input, ['name', 'label', 'type', 'fieldType', 'groupName']);
  const name = String(input.name);
  checkName(name, 'Property');
  if (c.catalog.property(t, name) || taken.has(name)) throw exists('Property', name);
  const { type, fieldType } = typeAndField(input.type, input.fieldType);
  groupMustExist(c.catalog, t, String(input.groupName));
  taken.add(name);
  return {
    name,
    label: String(input.label),
    type,
    fieldType,
    description: typeof input.description === 'string' ? input.description : '',
    groupName: String(input.groupName),
    options: optionsOf(input.options, type),
    displayOrder: typeof input.displayOrder === 'number' ? input.displayOrder : -1,
    calculated: false,
    externalOptions: input.externalOptions === true,
    hasUniqueValue: input.hasUniqueValue === true,
    hidden: input.hidden === true,
    hubspotDefined: false,
    formField: input.formField === true,
    modificationMetadata: { archivable: true, readOnlyDefinition: false, readOnlyValue: false, readOnlyOptions: false },
    createdAt: at,
    updatedAt: at,
    archived: false,
    createdUserId: String(c.caller.principalId),
    updatedUserId: String(c.caller.principalId),
  };
}

async function saveProperty(db: Exec, t: ObjectType, p: PropertyJson): Promise<void> {
  await db.unsafe(
    `insert into custom_properties (object_type, name, body, archived) values ($1, $2, $3::text::jsonb, $4)
       on conflict (object_type, name) do update set body = excluded.body, archived = excluded.archived`,
    [t, p.name, JSON.stringify(p), p.archived],
  );
}

/** A live property, or 404 as HubSpot answers an unknown name. */
function propertyOf(c: Call, t: ObjectType, name: string, archived = false): PropertyJson {
  const p = c.catalog.property(t, name, archived);
  if (!p) throw notFound(`Unable to find property ${name} for object type ${t}`);
  return p;
}

function readOnlyDefinition(p: PropertyJson, doing: string): void {
  if (p.hubspotDefined) throw validation(`${p.name} is a HubSpot-defined property; it cannot be ${doing}.`, [{ message: `${p.name} has a read-only definition`, code: 'READ_ONLY_DEFINITION', in: 'name' }]);
}

// ---- reads

export async function properties(c: Call): Promise<Result> {
  const t = typeParam(c.ids[0]);
  return { status: 200, body: { results: c.catalog.properties(t, boolParam(c.query, 'archived')) } };
}

export async function property(c: Call): Promise<Result> {
  const t = typeParam(c.ids[0]);
  return { status: 200, body: propertyOf(c, t, c.ids[1]!, boolParam(c.query, 'archived')) };
}

export async function batchReadProperties(c: Call): Promise<Result> {
  const t = typeParam(c.ids[0]);
  const startedAt = clockNow().toISOString();
  if (!Array.isArray(c.body.inputs)) throw validation('inputs is required and must be an array', [{ message: 'inputs is required', code: 'REQUIRED_FIELD', in: 'inputs' }]);
  const wanted = (c.body.inputs as Array<{ name?: unknown }>).map((x) => String(x?.name ?? ''));
  const results = c.catalog.properties(t, c.body.archived === true).filter((p) => wanted.includes(p.name));
  return { status: 200, body: { status: 'COMPLETE', results, startedAt, completedAt: clockNow().toISOString() } };
}

// ---- writes

export async function createProperty(c: Call): Promise<Result> {
  const t = typeParam(c.ids[0]);
  const p = newProperty(c, t, c.body, new Set(), clockNow().toISOString());
  await saveProperty(c.ctx.db, t, p);
  dropCatalog(c.ctx);
  return { status: 201, body: p };
}

/** All or nothing: every input is checked before any is stored. */
export async function batchCreateProperties(c: Call): Promise<Result> {
  const t = typeParam(c.ids[0]);
  const startedAt = clockNow().toISOString();
  if (!Array.isArray(c.body.inputs)) throw validation('inputs is required and must be an array', [{ message: 'inputs is required', code: 'REQUIRED_FIELD', in: 'inputs' }]);
  const taken = new Set<string>();
  const made = (c.body.inputs as Record<string, any>[]).map((i) => newProperty(c, t, i, taken, startedAt));
  await c.ctx.db.tx(async (tx) => {
    for (const p of made) await saveProperty(tx as unknown as Exec, t, p);
  });
  dropCatalog(c.ctx);
  return { status: 201, body: { status: 'COMPLETE', results: made, startedAt, completedAt: clockNow().toISOString() } };
}

const UPDATABLE = ['label', 'type', 'fieldType', 'groupName', 'description', 'options', 'displayOrder', 'hidden', 'formField'];

export async function updateProperty(c: Call): Promise<Result> {
  const t = typeParam(c.ids[0]);
  const p = propertyOf(c, t, c.ids[1]!);
  readOnlyDefinition(p, 'changed');
  const b = c.body;
  if (typeof b.name === 'string' && b.name !== p.name) throw validation("A property's internal name cannot be changed once it is created.", [{ message: 'name is read-only', code: 'READ_ONLY_FIELD', in: 'name' }]);
  const unknown = Object.keys(b).filter((k) => k !== 'name' && !UPDATABLE.includes(k));
  if (unknown.length) throw validation(`Invalid input JSON: unknown field(s) ${unknown.join(', ')}`);
  const { type, fieldType } = b.type !== undefined || b.fieldType !== undefined ? typeAndField(b.type ?? p.type, b.fieldType ?? p.fieldType) : p;
  if (b.groupName !== undefined) groupMustExist(c.catalog, t, String(b.groupName));
  const next: PropertyJson = {
    ...p,
    ...(typeof b.label === 'string' && b.label !== '' ? { label: b.label } : {}),
    ...(typeof b.description === 'string' ? { description: b.description } : {}),
    ...(b.groupName !== undefined ? { groupName: String(b.groupName) } : {}),
    ...(typeof b.displayOrder === 'number' ? { displayOrder: b.displayOrder } : {}),
    ...(typeof b.hidden === 'boolean' ? { hidden: b.hidden } : {}),
    ...(typeof b.formField === 'boolean' ? { formField: b.formField } : {}),
    type,
    fieldType,
    options: b.options !== undefined ? optionsOf(b.options, type) : type === 'enumeration' || type === 'bool' ? p.options : [],
    updatedAt: clockNow().toISOString(),
    updatedUserId: String(c.caller.principalId),
  };
  await saveProperty(c.ctx.db, t, next);
  dropCatalog(c.ctx);
  return { status: 200, body: next };
}

async function archiveProperties(c: Call, t: ObjectType, names: string[], strict: boolean): Promise<void> {
  const at = clockNow().toISOString();
  const found: PropertyJson[] = [];
  for (const name of names) {
    const p = c.catalog.property(t, name);
    if (!p) {
      if (strict) throw notFound(`Unable to find property ${name} for object type ${t}`);
      continue;
    }
    readOnlyDefinition(p, 'archived');
    found.push(p);
  }
  await c.ctx.db.tx(async (tx) => {
    for (const p of found) await saveProperty(tx as unknown as Exec, t, { ...p, archived: true, archivedAt: at, updatedAt: at });
  });
  dropCatalog(c.ctx);
}

export async function archiveProperty(c: Call): Promise<Result> {
  await archiveProperties(c, typeParam(c.ids[0]), [c.ids[1]!], true);
  return { status: 204 };
}

/** Names that name no live property are skipped, as the batch archive of objects skips unknown ids. */
export async function batchArchiveProperties(c: Call): Promise<Result> {
  if (!Array.isArray(c.body.inputs)) throw validation('inputs is required and must be an array', [{ message: 'inputs is required', code: 'REQUIRED_FIELD', in: 'inputs' }]);
  await archiveProperties(c, typeParam(c.ids[0]), (c.body.inputs as Array<{ name?: unknown }>).map((i) => String(i?.name ?? '')), false);
  return { status: 204 };
}
