import type { TokenCache } from '../../_kit/auth.ts';
import { KitError } from '../../_kit/errors.ts';
import { json } from '../../_kit/http.ts';
import { routeTable, unemulatedTable } from '../../_kit/routes.ts';
import type { KitContext } from '../../_kit/types.ts';
import operations from '../operations.json';
import type { Call, Route } from './api.ts';
import { associationRoutes } from './associations.ts';
import { authenticate, type Caller } from './auth.ts';
import { errorBody, hsError } from './errors.ts';
import { metaRoutes } from './meta.ts';
import { objectRouteList } from './objects.ts';
import { objectTypeOf } from './schema.ts';
import { TOKEN_INFO_PATH, tokenInfo } from './token-info.ts';

/** Every implemented operation; scripts/operations.ts marks operations.json from this. */
export const ROUTES: Route[] = [...objectRouteList, ...associationRoutes, ...metaRoutes];

const match = routeTable(ROUTES);
/** In-scope operations of operations.json this clone does not emulate. */
const unemulated = unemulatedTable(operations as Array<{ method: string; path: string; implemented: boolean }>);

export function notEmulated(method: string, path: string): Response {
  const known = unemulated(method, path);
  const err = known
    ? hsError(501, 'NOT_EMULATED', `${method} ${known} is part of HubSpot's CRM API but is not emulated by this asym HubSpot clone (see operations.json).`)
    : hsError(404, 'NOT_EMULATED', `${method} ${path} is not emulated by this asym HubSpot clone. It emulates /crm/v3/objects/{contacts,companies,deals}, /crm/v4 associations, the deal pipeline and property definitions (see operations.json).`);
  const { status, body } = errorBody(err);
  return json(body, status);
}

// ---- X-HubSpot-RateLimit-* headers (reported, not enforced): 190 per 10 s, 500,000 per day.
const INTERVAL_MS = 10_000;
const MAX = 190;
const DAILY = 500_000;
const windows = new Map<number, { start: number; n: number; day: string; daily: number }>();

export function clearRateWindows(): void {
  windows.clear();
}

function rateHeaders(caller: Caller | null): Record<string, string> {
  if (!caller) return {};
  const now = Date.now();
  const day = new Date(now).toISOString().slice(0, 10);
  let w = windows.get(caller.principalId);
  if (!w || now - w.start >= INTERVAL_MS) w = { start: now, n: 0, day: w?.day ?? day, daily: w?.daily ?? 0 };
  if (w.day !== day) Object.assign(w, { day, daily: 0 });
  w.n++;
  w.daily++;
  windows.set(caller.principalId, w);
  return {
    'x-hubspot-ratelimit-daily': String(DAILY),
    'x-hubspot-ratelimit-daily-remaining': String(Math.max(0, DAILY - w.daily)),
    'x-hubspot-ratelimit-interval-milliseconds': String(INTERVAL_MS),
    'x-hubspot-ratelimit-max': String(MAX),
    'x-hubspot-ratelimit-remaining': String(Math.max(0, MAX - w.n)),
    'x-hubspot-ratelimit-secondly': String(MAX / 10),
    'x-hubspot-ratelimit-secondly-remaining': String(Math.max(0, MAX / 10 - w.n)),
  };
}

async function readBody(req: Request): Promise<Record<string, any>> {
  if (req.method === 'GET' || req.method === 'DELETE' || !req.body) return {};
  const text = await req.text();
  if (!text.trim()) return {};
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw hsError(400, 'VALIDATION_ERROR', 'Invalid input JSON on line 1: the request body is not valid JSON');
  }
  if (Array.isArray(v)) return { _array: v };
  if (!v || typeof v !== 'object') throw hsError(400, 'VALIDATION_ERROR', 'Invalid input JSON: the body must be a JSON object');
  return v as Record<string, any>;
}

export async function handleApi(req: Request, url: URL, ctx: KitContext, tokens: TokenCache<Caller>): Promise<Response> {
  const method = req.method.toUpperCase();
  const path = url.pathname.replace(/\/+$/, '') || '/';
  let caller: Caller | null = null;
  const started = new Date();
  const headers = () => ({ ...rateHeaders(caller), 'x-hubspot-correlation-id': crypto.randomUUID(), date: started.toUTCString() });
  const fail = (e: unknown) => {
    const { status, body } = errorBody(e);
    if (status >= 500) ctx.log(`hubspot ${method} ${path} failed: ${(e as Error)?.stack ?? String(e)}`);
    return json(body, status, headers());
  };
  // Authenticated by the token in its body, not by the header (see token-info.ts).
  if (method === 'POST' && path === TOKEN_INFO_PATH) {
    try {
      return json(await tokenInfo(await readBody(req), tokens), 200, headers());
    } catch (e) {
      return fail(e);
    }
  }
  try {
    caller = await authenticate(req, tokens);
  } catch (e) {
    return fail(e);
  }
  const found = match(method, path);
  if (!found) {
    const r = notEmulated(method, path);
    for (const [k, v] of Object.entries(headers())) r.headers.set(k, v);
    return r;
  }
  try {
    const { route } = found;
    let ids = found.ids;
    let type = route.type;
    if (route.typed) {
      const t = objectTypeOf(ids[0] ?? '');
      if (!t) throw hsError(400, 'VALIDATION_ERROR', `Unable to infer object type from: ${ids[0]}. This clone emulates contacts (0-1), companies (0-2) and deals (0-3).`);
      type = t;
      ids = ids.slice(1);
    }
    const call: Call = { ctx, method, path, url, query: url.searchParams, body: await readBody(req), ids, type: type ?? 'contacts', caller };
    const out = await route.handler(call);
    if (out.status === 204 || out.body === undefined) return new Response(null, { status: out.status, headers: headers() });
    return json(out.body, out.status, headers());
  } catch (e) {
    if (!(e instanceof KitError)) ctx.log(`hubspot ${method} ${path}: ${(e as Error)?.stack ?? String(e)}`);
    return fail(e);
  }
}
