import type { TokenCache } from '../../_kit/auth.ts';
import { json } from '../../_kit/http.ts';
import type { KitContext } from '../../_kit/types.ts';
import type { AccountInfo, Route } from './api.ts';
import { authenticate } from './auth.ts';
import { errorBody, errorResponse, requestId, stripeError } from './errors.ts';
import { expand } from './expand.ts';
import { begin, finish, fingerprint, type Stored } from './idempotency.ts';
import { withLock } from './locks.ts';
import { expandList, readParams } from './params.ts';
import { customerExtraRoutes, customerTestHelperRoutes } from './resources/customer-extras.ts';
import { customerRoutes } from './resources/customers.ts';
import { invoiceItemRoutes } from './resources/invoiceitems.ts';
import { invoiceLifecycleRoutes } from './resources/invoice-lifecycle.ts';
import { invoiceLineRoutes } from './resources/invoice-lines.ts';
import { invoiceRoutes } from './resources/invoices.ts';
import { priceRoutes } from './resources/prices.ts';
import { productRoutes } from './resources/products.ts';
import { sourceRoutes } from './resources/sources.ts';
import { testClockRoutes } from './resources/test-clocks.ts';
import type { Obj } from './store.ts';

/** Every implemented operation; scripts/operations.ts marks operations.json from this. */
export const ROUTES: Route[] = [...customerRoutes, ...customerExtraRoutes, ...sourceRoutes, ...productRoutes, ...priceRoutes, ...invoiceLineRoutes, ...invoiceRoutes, ...invoiceLifecycleRoutes, ...invoiceItemRoutes, ...testClockRoutes];

/** Stripe's test helpers (/v1/test_helpers/…): served, but not API operations, so not in ROUTES. */
export const TEST_HELPER_ROUTES: Route[] = [...customerTestHelperRoutes];

interface Compiled {
  route: Route;
  re: RegExp;
}
const pathRe = (path: string) => new RegExp(`^${path.replace(/\{id\}/g, '([^/]+)')}$`);
const COMPILED: Compiled[] = [...ROUTES, ...TEST_HELPER_ROUTES].map((route) => ({ route, re: pathRe(route.path) }));

/** In-scope operations left unimplemented on purpose, with why (added to their "not emulated" answer). */
const NOT_EMULATED_WHY: Array<{ method: string; re: RegExp; why: string }> = [
  {
    method: 'DELETE',
    re: pathRe('/v1/customers/{id}/discount'),
    why: 'Coupons and discounts are not emulated, so no customer ever has a discount to delete.',
  },
];

function match(method: string, path: string): { route: Route; ids: string[] } | null {
  for (const c of COMPILED) {
    if (c.route.method !== method) continue;
    const m = c.re.exec(path);
    if (m) return { route: c.route, ids: m.slice(1).map((s) => decodeURIComponent(s)) };
  }
  return null;
}

const keyOrder = (a: string, b: string) => {
  const rank = (k: string) => (k === 'id' ? 0 : k === 'object' ? 1 : 2);
  return rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
};

/**
 * Drops internal fields (`_…`) at any depth and orders keys as Stripe does (id, object,
 * then alphabetical; jsonb storage loses the order). Metadata keeps its own order.
 */
function publicView(v: unknown, parentKey = ''): unknown {
  if (Array.isArray(v)) return v.map((x) => publicView(x));
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    const keys = Object.keys(v).filter((k) => !k.startsWith('_'));
    if (parentKey !== 'metadata') keys.sort(keyOrder);
    for (const k of keys) out[k] = publicView((v as Record<string, unknown>)[k], k);
    return out;
  }
  return v;
}

export function notEmulated(method: string, path: string): Response {
  const why = NOT_EMULATED_WHY.find((n) => n.method === method && n.re.test(path))?.why;
  const scope = why ?? 'It emulates customers, products, prices, invoices and invoice items (see operations.json); other Stripe APIs answer with this error.';
  return errorResponse(
    stripeError(404, `${method} ${path} is not emulated by this asym Stripe clone. ${scope} (Unrecognized request URL (${method}: ${path}).)`, { code: 'resource_missing' }),
  );
}

export async function handleApi(req: Request, url: URL, ctx: KitContext, keys: TokenCache<AccountInfo>): Promise<Response> {
  const reqId = requestId();
  const method = req.method.toUpperCase();
  const path = url.pathname.replace(/\/+$/, '') || '/';
  const headers: Record<string, string> = { 'request-id': reqId, 'stripe-version': req.headers.get('stripe-version') ?? '2026-10-28.endive' };
  const fail = (e: unknown) => {
    const { status, body } = errorBody(e);
    if (status >= 500) ctx.log(`stripe ${method} ${path} failed: ${(e as Error)?.stack ?? String(e)}`);
    return json(body, status, headers);
  };

  let account: AccountInfo;
  try {
    account = await authenticate(req, keys);
  } catch (e) {
    return fail(e);
  }
  const found = match(method, path);
  if (!found) {
    const r = notEmulated(method, path);
    r.headers.set('request-id', reqId);
    return r;
  }

  const idemKey = method === 'POST' ? req.headers.get('idempotency-key') : null;
  if (idemKey) headers['idempotency-key'] = idemKey;
  let parsed: { params: Record<string, unknown>; raw: string };
  try {
    parsed = await readParams(req, url);
  } catch (e) {
    return fail(e);
  }
  const fp = idemKey ? fingerprint(method, path, parsed.raw) : '';
  if (idemKey) {
    try {
      const stored = await begin(ctx, account.accountId, idemKey, fp);
      if (stored) {
        return new Response(stored.body, {
          status: stored.status,
          headers: { 'content-type': 'application/json; charset=utf-8', ...headers, 'idempotent-replayed': 'true' },
        });
      }
    } catch (e) {
      return fail(e);
    }
  }

  let status = 200;
  let body: string;
  let save = true;
  try {
    const { route, ids } = found;
    // Writes to one object (the first id in the path) are serialised.
    const lockKey = method === 'GET' ? undefined : ids[0];
    let out: Obj = await withLock(lockKey, () => route.handler({ ctx, method, path, params: parsed.params, ids, account }));
    let paths = expandList(parsed.params);
    if (route.search) paths = paths.filter((p) => p !== 'total_count');
    if (paths.length) out = await expand(ctx, out, paths);
    body = JSON.stringify(publicView(out));
  } catch (e) {
    const err = errorBody(e);
    status = err.status;
    body = JSON.stringify(err.body);
    const code = String((err.body.error as Record<string, unknown>).code ?? '');
    // Stripe keeps no idempotent result for requests that failed validation, nor for 5xx.
    save = status < 500 && !code.startsWith('parameter');
    if (status >= 500) ctx.log(`stripe ${method} ${path} failed: ${(e as Error)?.stack ?? String(e)}`);
  }
  if (idemKey) {
    const result: Stored | null = save ? { fingerprint: fp, status, body } : null;
    await finish(ctx, account.accountId, idemKey, result).catch((e) => ctx.log(`idempotency store failed: ${(e as Error).message}`));
  }
  return new Response(body, { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers } });
}
