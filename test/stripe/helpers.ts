/** Shared by the Stripe suites: an SDK client on a spun clone, raw calls, and shape checks. */
import { expect } from 'bun:test';
import Stripe from 'stripe';
import schemas from './schemas.json';

export interface StripeClone {
  id: string;
  endpoints: { api: string };
  tokens: { botToken: string; userToken: string; appId: string };
  adminSecret: string;
}

export function stripeFor(clone: StripeClone, key = clone.tokens.botToken): Stripe {
  const u = new URL(clone.endpoints.api);
  return new Stripe(key, { host: u.hostname, port: Number(u.port), protocol: 'http', maxNetworkRetries: 0, telemetry: false });
}

/** A raw HTTP call as Stripe's API sees it (form body), for headers and exact JSON. */
export async function raw(clone: StripeClone, method: string, path: string, form?: string, headers: Record<string, string> = {}, key = clone.tokens.botToken) {
  const res = await fetch(`${clone.endpoints.api}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(form !== undefined ? { 'content-type': 'application/x-www-form-urlencoded' } : {}), ...headers },
    body: form,
  });
  const text = await res.text();
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: res.status, headers: res.headers, body };
}

/** Runs `fn`, expects a Stripe error, returns it. */
export async function stripeErr(fn: () => Promise<unknown>): Promise<any> {
  try {
    await fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a Stripe error');
}

export const uniq = (p: string) => `${p}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 7)}`;

// ---- a validator for the JSON Schema subset in schemas.json (generated from the SDK's types)

type Schema = Record<string, any>;
const DEFS = (schemas as { definitions: Record<string, Schema> }).definitions;

function typeOk(t: string, v: unknown): boolean {
  switch (t) {
    case 'null':
      return v === null;
    case 'string':
      return typeof v === 'string';
    case 'number':
      return typeof v === 'number';
    case 'integer':
      return Number.isInteger(v);
    case 'boolean':
      return typeof v === 'boolean';
    case 'array':
      return Array.isArray(v);
    case 'object':
      return !!v && typeof v === 'object' && !Array.isArray(v);
    default:
      return true;
  }
}

export function validate(schema: Schema, v: unknown, path = '$'): string[] {
  if (schema.$ref) {
    const name = String(schema.$ref).replace('#/definitions/', '');
    // The SDK's branded "open enum" string type.
    if (name === 'OtherString') return typeof v === 'string' ? [] : [`${path}: expected a string`];
    const def = DEFS[name];
    return def ? validate(def, v, path) : [];
  }
  if (schema.anyOf) {
    const options = schema.anyOf as Schema[];
    if (options.length === 0) return [`${path}: no value allowed`];
    const results = options.map((s) => validate(s, v, path));
    return results.some((r) => r.length === 0) ? [] : [`${path}: matches none of anyOf (${results.map((r) => r[0]).join(' | ')})`];
  }
  const errs: string[] = [];
  if ('const' in schema && v !== schema.const) errs.push(`${path}: expected ${JSON.stringify(schema.const)}, got ${JSON.stringify(v)}`);
  if (schema.enum && !(schema.enum as unknown[]).includes(v)) errs.push(`${path}: ${JSON.stringify(v)} not in enum`);
  if (schema.type) {
    const types: string[] = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (!types.some((t) => typeOk(t, v))) return [...errs, `${path}: expected ${types.join('|')}, got ${v === null ? 'null' : typeof v}`];
  }
  if (Array.isArray(v) && schema.items) v.forEach((x, i) => errs.push(...validate(schema.items, x, `${path}[${i}]`)));
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    const o = v as Record<string, unknown>;
    for (const r of (schema.required as string[] | undefined) ?? []) if (!(r in o)) errs.push(`${path}.${r}: required`);
    const props = (schema.properties ?? {}) as Record<string, Schema>;
    for (const [k, x] of Object.entries(o)) {
      if (props[k]) errs.push(...validate(props[k], x, `${path}.${k}`));
      else if (schema.additionalProperties && typeof schema.additionalProperties === 'object') errs.push(...validate(schema.additionalProperties, x, `${path}.${k}`));
      else if (schema.additionalProperties === false && Object.keys(props).length > 0) errs.push(`${path}.${k}: not in the schema`);
    }
  }
  return errs;
}

/** Asserts `v` has the shape of the SDK type `name` (e.g. "Invoice"). */
export function expectShape(name: string, v: unknown): void {
  const errs = validate({ $ref: `#/definitions/${name}` }, v);
  expect(errs).toEqual([]);
}
