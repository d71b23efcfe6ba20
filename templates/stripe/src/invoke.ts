import type { ApiCall, Reply } from '../../_kit/pipeline.ts';
import type { AccountInfo, Route } from './api.ts';
import { errorBody } from './errors.ts';
import { expand } from './expand.ts';
import { begin, finish, fingerprint, type Stored } from './idempotency.ts';
import { withLock } from './locks.ts';
import { expandList, type StripeBody } from './params.ts';
import type { Obj } from './store.ts';
import { assertSearchVersion, requestVersion } from './versioning.ts';

/**
 * How a Stripe handler is called once the kit has authenticated, matched and parsed:
 * idempotent replay (Idempotency-Key), writes to one object serialised, `expand[]`, and
 * Stripe's key order. Handler errors are answered here, not by the kit, because an
 * idempotent request stores its error answer too.
 */

/**
 * Drops internal fields (`_…`) at any depth and orders keys as Stripe does (id, object,
 * then by UTF-16 code units, as `<` compares; jsonb storage loses the order). Metadata keeps
 * its own order. Runs on every object of every answer (a list of 10 customers is ~500 keys):
 * plain loops and the native sort, no comparator calls.
 */
function publicView(v: unknown, parentKey = ''): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) {
    const out = new Array(v.length);
    for (let i = 0; i < v.length; i++) out[i] = publicView(v[i]);
    return out;
  }
  const src = v as Record<string, unknown>;
  const keys: string[] = [];
  for (const k of Object.keys(src)) if (k.charCodeAt(0) !== 95 /* _ */) keys.push(k);
  const out: Record<string, unknown> = {};
  if (parentKey === 'metadata') {
    for (const k of keys) out[k] = publicView(src[k], k);
    return out;
  }
  keys.sort();
  if (Object.hasOwn(src, 'id')) out.id = publicView(src.id, 'id');
  if (Object.hasOwn(src, 'object')) out.object = publicView(src.object, 'object');
  for (const k of keys) if (k !== 'id' && k !== 'object') out[k] = publicView(src[k], k);
  return out;
}

export async function invoke(k: ApiCall<AccountInfo, Route, StripeBody>): Promise<Reply> {
  const { ctx, method, path, caller: account } = k;
  // An unknown Stripe-Version is refused before anything runs; search needs 2020-08-27 or later.
  const version = requestVersion(k.req.headers.get('stripe-version'));
  if (k.route.search) assertSearchVersion(version);
  const idemKey = method === 'POST' ? k.req.headers.get('idempotency-key') : null;
  const fp = idemKey ? fingerprint(method, path, k.body.raw) : '';
  if (idemKey) {
    const stored = await begin(ctx, account.accountId, idemKey, fp);
    if (stored) return { status: stored.status, text: stored.body, headers: { 'idempotent-replayed': 'true' } };
  }

  let status = 200;
  let text: string;
  let save = true;
  try {
    const params = k.body.params;
    // Writes to one object (the first id in the path) are serialised.
    const lockKey = method === 'GET' ? undefined : k.ids[0];
    let out: Obj = await withLock(lockKey, () => k.route.handler({ ctx, method, path, params, ids: k.ids, account }));
    let paths = expandList(params);
    if (k.route.search) paths = paths.filter((p) => p !== 'total_count');
    if (paths.length) out = await expand(ctx, out, paths);
    text = JSON.stringify(publicView(out));
  } catch (e) {
    const err = errorBody(e);
    status = err.status;
    text = JSON.stringify(err.body);
    const code = String((err.body.error as Record<string, unknown>).code ?? '');
    // Stripe keeps no idempotent result for requests that failed validation, nor for 5xx.
    save = status < 500 && !code.startsWith('parameter');
    if (status >= 500) ctx.log(`stripe ${method} ${path} failed: ${(e as Error)?.stack ?? String(e)}`);
  }
  if (idemKey) {
    const result: Stored | null = save ? { fingerprint: fp, status, body: text } : null;
    await finish(ctx, account.accountId, idemKey, result).catch((e) => ctx.log(`idempotency store failed: ${(e as Error).message}`));
  }
  return { status, text };
}
