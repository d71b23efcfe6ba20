/**
 * A small validator for the JSON Schema subset our vendor descriptions use: GitHub's trimmed
 * OpenAPI response schemas (type, nullable, oneOf/anyOf/allOf, enum, date-time) and the
 * schemas generated from Stripe's SDK types ($ref into definitions, type arrays, const,
 * additionalProperties). oneOf is read as "at least one", since GitHub's event unions
 * overlap. additionalProperties is enforced only where a schema states it, so extra
 * fields are fine for GitHub (whose schemas never state it) and not for Stripe's closed types.
 */
export interface Schema {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  nullable?: boolean;
  enum?: unknown[];
  const?: unknown;
  oneOf?: Schema[];
  anyOf?: Schema[];
  allOf?: Schema[];
  format?: string;
  $ref?: string;
  additionalProperties?: boolean | Schema;
}

export type Definitions = Record<string, Schema>;

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function typeOk(type: string, v: unknown): boolean {
  switch (type) {
    case 'object':
      return typeof v === 'object' && v !== null && !Array.isArray(v);
    case 'array':
      return Array.isArray(v);
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v);
    case 'number':
      return typeof v === 'number';
    case 'string':
      return typeof v === 'string';
    case 'boolean':
      return typeof v === 'boolean';
    case 'null':
      return v === null;
    default:
      return true;
  }
}

const kindOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

export function validate(schema: Schema, value: unknown, path = '$', defs: Definitions = {}): string[] {
  if (schema.$ref) {
    const name = schema.$ref.replace('#/definitions/', '');
    // Stripe's branded "open enum": any string.
    if (name === 'OtherString') return typeof value === 'string' ? [] : [`${path}: expected a string`];
    const def = defs[name];
    return def ? validate(def, value, path, defs) : [];
  }
  const types = schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];
  if (value === null) {
    if (schema.nullable || types.includes('null') || schema.enum?.includes(null)) return [];
    if (!types.length && !schema.oneOf && !schema.anyOf && !schema.allOf && !schema.enum && !('const' in schema)) return [];
    const alts = schema.oneOf ?? schema.anyOf;
    if (alts?.some((s) => validate(s, null, path, defs).length === 0)) return [];
    if (schema.allOf?.some((s) => s.nullable)) return [];
    if (!types.length && !alts && !schema.allOf) return [`${path}: null where ${JSON.stringify(schema.enum ?? schema.const)} is required`];
    if (types.length) return [`${path}: null where ${types.join('|')} is required`];
  }
  const errors: string[] = [];
  if (schema.allOf) for (const s of schema.allOf) errors.push(...validate(s, value, path, defs));
  for (const key of ['oneOf', 'anyOf'] as const) {
    const alts = schema[key];
    if (!alts) continue;
    if (alts.length === 0) return [`${path}: no value allowed`];
    const results = alts.map((s) => validate(s, value, path, defs));
    if (!results.some((r) => r.length === 0)) {
      const best = results.reduce((a, b) => (b.length < a.length ? b : a));
      errors.push(`${path}: matches none of ${key} (closest: ${best.slice(0, 3).join('; ')})`);
    }
  }
  if (types.length && !types.some((t) => typeOk(t, value))) {
    errors.push(`${path}: expected ${types.join('|')}, got ${kindOf(value)} ${JSON.stringify(value)?.slice(0, 60)}`);
    return errors;
  }
  if ('const' in schema && value !== schema.const) errors.push(`${path}: expected ${JSON.stringify(schema.const)}, got ${JSON.stringify(value)}`);
  if (schema.enum && !schema.enum.includes(value)) errors.push(`${path}: ${JSON.stringify(value)} not in enum ${JSON.stringify(schema.enum)}`);
  if (schema.format === 'date-time' && typeof value === 'string' && !DATE_TIME.test(value)) errors.push(`${path}: ${value} is not a date-time`);
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const obj = value as Record<string, unknown>;
    for (const r of schema.required ?? []) if (!(r in obj)) errors.push(`${path}.${r}: required field missing`);
    const props = schema.properties ?? {};
    for (const [k, x] of Object.entries(obj)) {
      if (x === undefined) continue;
      if (props[k]) errors.push(...validate(props[k], x, `${path}.${k}`, defs));
      else if (typeof schema.additionalProperties === 'object') errors.push(...validate(schema.additionalProperties, x, `${path}.${k}`, defs));
      else if (schema.additionalProperties === false && Object.keys(props).length > 0) errors.push(`${path}.${k}: not in the schema`);
    }
  }
  if (Array.isArray(value) && schema.items) value.forEach((v, i) => errors.push(...validate(schema.items!, v, `${path}[${i}]`, defs)));
  return errors;
}
