/**
 * A small JSON Schema validator for the trimmed OpenAPI schemas in response-schemas.json:
 * type, properties, required, items, nullable, enum, oneOf/anyOf/allOf (oneOf read as
 * "at least one", since GitHub's event unions overlap), format date-time (loosely).
 * additionalProperties is ignored: extra fields are fine, missing or mistyped ones are not.
 */
import schemas from './response-schemas.json';

export interface Schema {
  type?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  nullable?: boolean;
  enum?: unknown[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  allOf?: Schema[];
  format?: string;
}

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

export function validate(schema: Schema, value: unknown, path = '$'): string[] {
  if (value === null) {
    if (schema.nullable || schema.type === 'null' || schema.enum?.includes(null)) return [];
    if (!schema.type && !schema.oneOf && !schema.anyOf && !schema.allOf && !schema.enum) return [];
    if (schema.oneOf || schema.anyOf) {
      const alts = schema.oneOf ?? schema.anyOf ?? [];
      if (alts.some((s) => validate(s, null, path).length === 0)) return [];
    }
    if (schema.allOf?.some((s) => s.nullable)) return [];
    return [`${path}: null where ${schema.type ?? 'a value'} is required`];
  }
  const errors: string[] = [];
  if (schema.allOf) for (const s of schema.allOf) errors.push(...validate(s, value, path));
  for (const key of ['oneOf', 'anyOf'] as const) {
    const alts = schema[key];
    if (!alts) continue;
    const results = alts.map((s) => validate(s, value, path));
    if (!results.some((r) => r.length === 0)) {
      const best = results.reduce((a, b) => (b.length < a.length ? b : a));
      errors.push(`${path}: matches none of ${key} (closest: ${best.slice(0, 3).join('; ')})`);
    }
  }
  if (schema.type && !typeOk(schema.type, value)) {
    errors.push(`${path}: expected ${schema.type}, got ${Array.isArray(value) ? 'array' : typeof value} ${JSON.stringify(value)?.slice(0, 60)}`);
    return errors;
  }
  if (schema.enum && !schema.enum.includes(value)) errors.push(`${path}: ${JSON.stringify(value)} not in enum ${JSON.stringify(schema.enum)}`);
  if (schema.format === 'date-time' && typeof value === 'string' && !DATE_TIME.test(value)) errors.push(`${path}: ${value} is not a date-time`);
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const obj = value as Record<string, unknown>;
    for (const r of schema.required ?? []) if (!(r in obj)) errors.push(`${path}.${r}: required field missing`);
    for (const [k, s] of Object.entries(schema.properties ?? {})) {
      if (k in obj && obj[k] !== undefined) errors.push(...validate(s, obj[k], `${path}.${k}`));
    }
  }
  if (Array.isArray(value) && schema.items) value.forEach((v, i) => errors.push(...validate(schema.items!, v, `${path}[${i}]`)));
  return errors;
}

const table = schemas as unknown as Record<string, { status: number; schema: Schema | null }>;

export function responseSchema(key: string): { status: number; schema: Schema | null } {
  const entry = table[key];
  if (!entry) throw new TypeError(`no response schema for ${key}; regenerate with templates/github/scripts/trim-spec.ts`);
  return entry;
}

export const schemaKeys = (): string[] => Object.keys(table);
