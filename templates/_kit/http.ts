import { KitError } from './errors.ts';

/**
 * Request parsing shared by every template. Vendor SDKs disagree on encodings: Slack's
 * sends form bodies (with JSON strings inside fields), Stripe's bracket-keyed forms,
 * the others JSON. Parsed params are a flat-ish record; templates coerce per field.
 */
export type Params = Record<string, unknown>;

export interface ParsedRequest {
  query: Params;
  body: Params;
  /** Query and body merged; body wins on a clash (SDKs send params in one or the other). */
  params: Params;
  /** Uploaded files of a multipart body, by field name. */
  files: Record<string, File>;
}

export function queryParams(url: URL): Params {
  const out: Params = {};
  for (const [k, v] of url.searchParams) out[k] = v;
  return out;
}

export async function parseRequest(req: Request, url: URL = new URL(req.url)): Promise<ParsedRequest> {
  const query = queryParams(url);
  const { body, files } = await parseBody(req);
  return { query, body, files, params: { ...query, ...body } };
}

export async function parseBody(req: Request): Promise<{ body: Params; files: Record<string, File> }> {
  const files: Record<string, File> = {};
  if (req.method === 'GET' || req.method === 'HEAD' || !req.body) return { body: {}, files };
  const type = (req.headers.get('content-type') ?? '').toLowerCase();
  if (type.includes('application/json')) {
    const text = await req.text();
    if (!text.trim()) return { body: {}, files };
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new KitError('invalid_json', 'the request body is not valid JSON', { status: 400 });
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new KitError('invalid_json', 'the JSON body must be an object', { status: 400 });
    }
    return { body: parsed as Params, files };
  }
  if (type.includes('multipart/form-data')) {
    const form = await req.formData();
    const body: Params = {};
    for (const [k, v] of form.entries()) {
      if (typeof v === 'string') body[k] = v;
      else files[k] = v as File;
    }
    return { body, files };
  }
  // Form-encoded is the default: Slack's SDK and curl -d both send it, sometimes untyped.
  const text = await req.text();
  const body: Params = {};
  for (const [k, v] of new URLSearchParams(text)) body[k] = v;
  return { body, files };
}

/**
 * Stripe-style bracket keys into nested objects: `metadata[k]=v`, `items[0][price]=x`,
 * `expand[]=a` (appends). Every segment stays an object key, numeric ones included:
 * `metadata[2024]=x` is a metadata key, and no index is compacted away. Read an
 * array-valued param with `indexedValues`, which takes the values in index order.
 */
export function nestBrackets(pairs: Iterable<[string, string]>): Params {
  const root: Params = {};
  for (const [key, value] of pairs) {
    const m = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(key);
    if (!m) {
      root[key] = value;
      continue;
    }
    const path = [m[1] as string, ...[...(m[2] ?? '').matchAll(/\[([^[\]]*)\]/g)].map((x) => x[1] as string)];
    let node: Record<string, unknown> = root;
    for (let i = 0; i < path.length; i++) {
      const seg = path[i] === '' ? String(Object.keys(node).length) : (path[i] as string);
      if (i === path.length - 1) node[seg] = value;
      else {
        const next = node[seg];
        if (!next || typeof next !== 'object') node[seg] = {};
        node = node[seg] as Record<string, unknown>;
      }
    }
  }
  return root;
}

/** The values of a bracket-indexed param (`a[0]`, `a[1]`, or `a[]`…) in index order; arrays pass through. */
export function indexedValues(v: unknown): unknown[] | undefined {
  if (v === undefined) return undefined;
  if (Array.isArray(v)) return v;
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>);
    if (entries.every(([k]) => /^\d+$/.test(k))) return entries.sort(([a], [b]) => Number(a) - Number(b)).map(([, x]) => x);
  }
  return undefined;
}

/** Reads a field that may arrive as a JSON string (form bodies) or already parsed (JSON bodies). */
export function jsonField(v: unknown): { ok: true; value: unknown } | { ok: false } {
  if (v === undefined || v === null || v === '') return { ok: true, value: undefined };
  if (typeof v !== 'string') return { ok: true, value: v };
  try {
    return { ok: true, value: JSON.parse(v) };
  } catch {
    return { ok: false };
  }
}

export function str(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

/** Slack and Stripe send booleans as "true"/"1"/"false"/"0" in forms. */
export function bool(v: unknown, fallback = false): boolean {
  if (v === undefined || v === null || v === '') return fallback;
  if (typeof v === 'boolean') return v;
  return v === 'true' || v === '1' || v === 1;
}

export function int(v: unknown, fallback: number): number {
  if (v === undefined || v === null || v === '') return fallback;
  const n = Number(v);
  return Number.isFinite(n) ? Math.trunc(n) : fallback;
}

export function json(data: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(data), { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers } });
}
