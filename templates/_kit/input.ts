/**
 * The input checks every vendor makes before a request reaches its handlers, done once here
 * so no template can forget one: a body over the vendor's size limit, and a NUL character
 * (U+0000) in any string. Postgres cannot store NUL in text, so without this check a NUL
 * becomes a 500; real vendors answer it as bad input. The kit finds the problem, the
 * template's `badInput` hook renders it in the vendor's envelope (status, code, message).
 *
 * Only bodies the kit parses as data (JSON, form-encoded, untyped) and the query string are
 * checked; multipart and raw uploads carry file bytes, which may hold NULs legitimately and
 * are as large as the vendor's file limits allow.
 */

export type InputProblem =
  /** `field` is a dotted path into the params (`properties.firstname`, `query.q`). */
  | { kind: 'nul'; field: string }
  /** The body is larger than the template's `maxBodyBytes`. */
  | { kind: 'too_large'; limit: number; size: number };

export interface InputLimits {
  /** Largest accepted request body in bytes; larger ones get `too_large`. */
  maxBodyBytes: number;
}

/** Generous default for vendors that document no payload limit: far above any real call, far below 10 MB. */
export const DEFAULT_INPUT_LIMITS: InputLimits = { maxBodyBytes: 2 * 1024 * 1024 };

export interface CheckedRequest {
  /** The request to hand on: the original, or a copy over the already-read body. */
  req: Request;
  problem: InputProblem | null;
}

/** The dotted path of the first string (key or value) holding a NUL, or null. */
export function findNul(value: unknown, path = ''): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path || '(value)' : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const hit = findNul(value[i], path ? `${path}[${i}]` : `[${i}]`);
      if (hit) return hit;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const at = path ? `${path}.${k}` : k;
      if (k.includes('\u0000')) return at;
      const hit = findNul(v, at);
      if (hit) return hit;
    }
  }
  return null;
}

function nulInPairs(pairs: Iterable<[string, string]>, prefix: string): string | null {
  for (const [k, v] of pairs) if (k.includes('\u0000') || v.includes('\u0000')) return `${prefix}${k}`;
  return null;
}

/** NUL in JSON text is always escaped; only parse (a second time) when the escape appears. */
function nulInJson(text: string): string | null {
  if (!/\\u0000/i.test(text)) return null;
  try {
    return findNul(JSON.parse(text));
  } catch {
    return null; // not JSON: the template's own parser answers that
  }
}

export async function checkInput(req: Request, url: URL, limits: InputLimits = DEFAULT_INPUT_LIMITS): Promise<CheckedRequest> {
  const inQuery = nulInPairs(url.searchParams, 'query.');
  if (inQuery) return { req, problem: { kind: 'nul', field: inQuery } };
  if (decodeURIComponentSafe(url.pathname).includes('\u0000')) return { req, problem: { kind: 'nul', field: 'path' } };
  if (req.method === 'GET' || req.method === 'HEAD' || !req.body) return { req, problem: null };

  const type = (req.headers.get('content-type') ?? '').toLowerCase();
  const parsedAsData = !type || type.includes('json') || type.includes('x-www-form-urlencoded') || type.startsWith('text/plain');
  // Uploads (multipart, raw bytes) stream on to the handler untouched: file limits are the template's.
  if (!parsedAsData) return { req, problem: null };

  // A declared length over the limit is refused before a byte is read.
  const declared = Number(req.headers.get('content-length') ?? NaN);
  if (declared > limits.maxBodyBytes) return { req, problem: { kind: 'too_large', limit: limits.maxBodyBytes, size: declared } };
  const bytes = new Uint8Array(await req.arrayBuffer());
  if (bytes.byteLength > limits.maxBodyBytes) return { req, problem: { kind: 'too_large', limit: limits.maxBodyBytes, size: bytes.byteLength } };
  const copy = new Request(req.url, { method: req.method, headers: req.headers, body: bytes });
  const text = new TextDecoder().decode(bytes);
  const field = text.includes('\u0000') ? 'body' : type.includes('json') ? nulInJson(text) : nulInPairs(new URLSearchParams(text), '');
  return { req: copy, problem: field ? { kind: 'nul', field } : null };
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * An integer param held to [min, max]: absent or not a number gives `fallback`, beyond the
 * bounds gives the bound. Keeps values like page=99999999999999999 from reaching SQL as a
 * float Postgres refuses.
 */
export function intInRange(v: unknown, fallback: number, min: number, max: number): number {
  if (v === undefined || v === null || v === '') return fallback;
  const n = Number(v);
  if (!Number.isFinite(n)) return fallback;
  return Math.min(max, Math.max(min, Math.trunc(n)));
}

/** True when `s` is longer than `max` characters (UTF-16 code units, as vendors count). */
export function tooLong(s: unknown, max: number): boolean {
  return typeof s === 'string' && s.length > max;
}
