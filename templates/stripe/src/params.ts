import { nestBrackets, type Params } from '../../_kit/http.ts';
import type { Codec } from '../../_kit/pipeline.ts';
import { paramInvalid, paramMissing, stripeError } from './errors.ts';

/**
 * Stripe's v1 encoding: form bodies (or query strings) with bracket keys, nested here into
 * objects and arrays. Values stay strings; the helpers below coerce per field and raise
 * the errors Stripe raises (parameter_unknown, parameter_invalid_integer, ...).
 */
export interface StripeBody {
  params: Params;
  /** Query and body as sent: the idempotency fingerprint. */
  raw: string;
}

export async function readParams(req: Request, url: URL): Promise<StripeBody> {
  const pairs: Array<[string, string]> = [...url.searchParams];
  let raw = url.search.slice(1);
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    const text = await req.text();
    const type = (req.headers.get('content-type') ?? '').toLowerCase();
    if (text.trim()) {
      if (type.includes('application/json')) {
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          throw stripeError(400, 'Invalid JSON received.');
        }
        if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw stripeError(400, 'The request body must be an object.');
        return { params: { ...nestBrackets(pairs), ...(parsed as Params) }, raw: `${raw}&${text}` };
      }
      pairs.push(...new URLSearchParams(text));
      raw = raw ? `${raw}&${text}` : text;
    }
  }
  return { params: nestBrackets(pairs), raw };
}

/** The kit pipeline's codec for Stripe's encoding. */
export const stripeCodec: Codec<StripeBody> = { parse: readParams };

export function checkKeys(params: Params, allowed: readonly string[]): void {
  for (const k of Object.keys(params)) {
    if (!allowed.includes(k)) throw stripeError(400, `Received unknown parameter: ${k}`, { code: 'parameter_unknown', param: k });
  }
}

export function present(v: unknown): boolean {
  return v !== undefined;
}

export function optString(params: Params, key: string, label = key): string | undefined {
  const v = params[key];
  if (v === undefined) return undefined;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v !== 'string') throw paramInvalid(label, `Invalid string: ${JSON.stringify(v)}`, 'parameter_invalid_string');
  return v;
}

export function reqString(params: Params, key: string, label = key): string {
  const v = optString(params, key, label);
  if (v === undefined || v === '') throw paramMissing(label);
  return v;
}

/** A nullable string: "" means null (Stripe's way to unset a field). */
export function nullableString(params: Params, key: string, label = key): string | null | undefined {
  const v = optString(params, key, label);
  if (v === undefined) return undefined;
  return v === '' ? null : v;
}

/** Stripe's integers are 64-bit; here they must also survive a JS number, so past 2^53 is "Invalid integer". */
export function toInt(v: unknown, label: string): number {
  if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
  if (typeof v === 'string' && /^-?\d+$/.test(v.trim()) && Number.isSafeInteger(Number(v.trim()))) return Number(v.trim());
  throw paramInvalid(label, `Invalid integer: ${typeof v === 'string' ? v : JSON.stringify(v)}`, 'parameter_invalid_integer');
}

export function optInt(params: Params, key: string, label = key): number | undefined {
  const v = params[key];
  if (v === undefined) return undefined;
  return toInt(v, label);
}

export function toBool(v: unknown, label: string): boolean {
  if (v === true || v === 'true') return true;
  if (v === false || v === 'false') return false;
  throw paramInvalid(label, `Invalid boolean: ${typeof v === 'string' ? v : JSON.stringify(v)}`, 'parameter_invalid_boolean');
}

export function optBool(params: Params, key: string, label = key): boolean | undefined {
  const v = params[key];
  if (v === undefined) return undefined;
  return toBool(v, label);
}

export function optObject(params: Params, key: string, label = key): Params | undefined {
  const v = params[key];
  if (v === undefined) return undefined;
  if (v === '') return undefined;
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw paramInvalid(label, `Invalid hash`, 'parameter_invalid');
  return v as Params;
}

export function optArray(params: Params, key: string, label = key): unknown[] | undefined {
  const v = params[key];
  if (v === undefined) return undefined;
  if (v === '') return [];
  if (Array.isArray(v)) return v;
  if (v && typeof v === 'object') return Object.values(v);
  throw paramInvalid(label, `Invalid array`, 'parameter_invalid');
}

export function optEnum<T extends string>(params: Params, key: string, values: readonly T[], label = key): T | undefined {
  const v = optString(params, key, label);
  if (v === undefined) return undefined;
  if (!values.includes(v as T)) throw paramInvalid(label, `Invalid ${label}: must be one of ${values.join(', ')}`, 'parameter_invalid');
  return v as T;
}

/**
 * Metadata update semantics: `metadata=""` clears all keys, `metadata[k]=""` deletes k,
 * anything else sets it. Stripe's limits: 50 keys, 40-char keys, 500-char values.
 */
export function mergeMetadata(current: Record<string, string>, patch: unknown, label = 'metadata'): Record<string, string> {
  if (patch === undefined) return current;
  if (patch === '' || patch === null) return {};
  if (typeof patch !== 'object' || Array.isArray(patch)) throw paramInvalid(label, 'Invalid hash', 'parameter_invalid');
  const out = { ...current };
  for (const [k, v] of Object.entries(patch as Record<string, unknown>)) {
    if (v === '' || v === null) {
      delete out[k];
      continue;
    }
    if (typeof v === 'object') throw paramInvalid(`${label}[${k}]`, `Invalid value for metadata key '${k}': must be a string`, 'parameter_invalid');
    if (k.length > 40) throw paramInvalid(`${label}[${k}]`, `Metadata keys can have a maximum length of 40 characters.`);
    const s = String(v);
    if (s.length > 500) throw paramInvalid(`${label}[${k}]`, `Metadata values can have a maximum length of 500 characters.`);
    out[k] = s;
  }
  if (Object.keys(out).length > 50) throw paramInvalid(label, 'You can have a maximum of 50 metadata keys.');
  return out;
}

export function expandList(params: Params): string[] {
  const v = params.expand;
  if (v === undefined || v === '') return [];
  if (typeof v === 'string') return [v];
  const arr = Array.isArray(v) ? v : Object.values(v as object);
  return arr.map((x) => String(x));
}

export interface Range {
  gt?: number;
  gte?: number;
  lt?: number;
  lte?: number;
}

/** `created=123` or `created[gte]=…&created[lt]=…`. */
export function optRange(params: Params, key: string): Range | undefined {
  const v = params[key];
  if (v === undefined || v === '') return undefined;
  if (typeof v === 'string' || typeof v === 'number') {
    const n = toInt(v, key);
    return { gte: n, lte: n };
  }
  if (typeof v !== 'object' || Array.isArray(v)) throw paramInvalid(key, 'Invalid hash', 'parameter_invalid');
  const out: Range = {};
  for (const [op, x] of Object.entries(v as Record<string, unknown>)) {
    if (op !== 'gt' && op !== 'gte' && op !== 'lt' && op !== 'lte') throw stripeError(400, `Received unknown parameter: ${key}[${op}]`, { code: 'parameter_unknown', param: `${key}[${op}]` });
    out[op] = toInt(x, `${key}[${op}]`);
  }
  return out;
}

export function inRange(n: number | null | undefined, r: Range | undefined): boolean {
  if (!r) return true;
  if (n === null || n === undefined) return false;
  if (r.gt !== undefined && !(n > r.gt)) return false;
  if (r.gte !== undefined && !(n >= r.gte)) return false;
  if (r.lt !== undefined && !(n < r.lt)) return false;
  if (r.lte !== undefined && !(n <= r.lte)) return false;
  return true;
}

/** The list paging params every list endpoint takes. */
export function pageParams(params: Params): { limit: number; startingAfter?: string; endingBefore?: string } {
  let limit = 10;
  if (params.limit !== undefined && params.limit !== '') {
    limit = toInt(params.limit, 'limit');
    if (limit < 1 || limit > 100) throw paramInvalid('limit', `Invalid limit: must be between 1 and 100`, 'parameter_invalid_integer');
  }
  const startingAfter = optString(params, 'starting_after') || undefined;
  const endingBefore = optString(params, 'ending_before') || undefined;
  if (startingAfter && endingBefore) {
    throw stripeError(400, 'You may only specify one of these parameters: ending_before, starting_after.', { code: 'parameters_exclusive', param: 'ending_before' });
  }
  return { limit, startingAfter, endingBefore };
}

export const LIST_KEYS = ['limit', 'starting_after', 'ending_before', 'expand'] as const;
