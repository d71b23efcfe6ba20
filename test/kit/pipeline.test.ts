import { describe, expect, test } from 'bun:test';
import { TokenCache } from '../../templates/_kit/auth.ts';
import { DB_UNAVAILABLE } from '../../templates/_kit/db.ts';
import type { Db } from '../../templates/_kit/db.ts';
import { KitError } from '../../templates/_kit/errors.ts';
import { jsonObjectCodec, vendorApi, type ApiSpec, type Envelope } from '../../templates/_kit/pipeline.ts';
import { routeTable } from '../../templates/_kit/routes.ts';
import type { Clearable, KitContext } from '../../templates/_kit/types.ts';

/**
 * The kit's request pipeline on its own (no clone): stage order, the envelope's answers,
 * per-server state. The templates' own suites (test/<template>) run it against real clones.
 */

/** The parts of a server's context the pipeline touches: release hooks, ctx.state and a log. */
function serverContext(): { ctx: KitContext; release(): void; logged: string[] } {
  const onRelease: Array<() => void> = [];
  const local = new Map<string, Clearable>();
  const logged: string[] = [];
  const db = { onRelease: (fn: () => void) => onRelease.push(fn) } as unknown as Db;
  onRelease.push(() => {
    for (const v of local.values()) v.clear();
  });
  const ctx = {
    db,
    log: (line: string) => logged.push(line),
    state<T extends Clearable>(key: string, init: () => T): T {
      let v = local.get(key);
      if (!v) local.set(key, (v = init()));
      return v as T;
    },
  } as unknown as KitContext;
  return { ctx, release: () => onRelease.forEach((fn) => fn()), logged };
}

class VendorError extends KitError {}
const vendor = (status: number, code: string) => new VendorError(code, code, { status });

const envelope: Envelope = {
  render: (e, requestId) =>
    e instanceof VendorError ? { status: e.status, body: { error: e.code, requestId } } : { status: 500, body: { error: 'internal', requestId } },
  notEmulated: (method, path, listed) => vendor(listed ? 501 : 404, listed ? `listed ${method} ${listed}` : `unknown ${method} ${path}`),
  badInput: () => vendor(400, 'bad_input'),
  unavailable: () => vendor(503, 'down'),
  unavailableHeaders: { 'retry-after': '1' },
};

interface Route {
  method: string;
  path: string;
  open?: boolean;
  run(k: { ids: string[]; params: Record<string, string>; body: Record<string, any>; caller: string | null }): unknown;
}

function api(overrides: Partial<ApiSpec<string | null, Route, Record<string, any>>> = {}, lookups: string[] = []) {
  return vendorApi<string | null, Route, Record<string, any>>({
    template: 'test',
    routes: [
      { method: 'GET', path: '/v1/things/{id}', run: (k) => ({ id: k.params.id, caller: k.caller }) },
      { method: 'GET', path: '/v1/things/search', run: () => ({ search: true }) },
      { method: 'POST', path: '/v1/things', run: (k) => ({ got: k.body }) },
      { method: 'POST', path: '/v1/open', open: true, run: (k) => ({ caller: k.caller }) },
      { method: 'GET', path: '/v1/broken', run: () => Promise.reject(new Error('boom')) },
      { method: 'GET', path: '/v1/down', run: () => Promise.reject(new KitError(DB_UNAVAILABLE, 'db down')) },
    ],
    operations: [{ method: 'DELETE', path: '/v1/things/{id}', implemented: false }],
    envelope,
    auth: {
      tokens: (ctx) =>
        new TokenCache<string>(ctx.db, async (hash) => {
          lookups.push(hash);
          return 'alice';
        }),
      read: (req) => req.headers.get('authorization'),
      check(token, found) {
        if (!token) throw vendor(401, 'no_token');
        return found;
      },
    },
    codec: jsonObjectCodec({ invalid: () => vendor(400, 'bad_json'), notObject: () => vendor(400, 'not_object') }),
    invoke: async (k) => ({ status: 200, body: await k.route.run(k) }),
    requestId: { header: 'x-req', make: () => 'req-1' },
    ...overrides,
  });
}

const call = async (hooks: ReturnType<typeof api>, ctx: KitContext, method: string, path: string, init: RequestInit = {}) => {
  const req = new Request(`http://clone${path}`, { method, ...init });
  const res = (await hooks.routes(req, new URL(req.url), ctx)) as Response | null;
  return res && { status: res.status, body: (res.status === 204 ? null : await res.json()) as any, headers: Object.fromEntries(res.headers) };
};
const authed = { headers: { authorization: 'tok' } };

describe('routeTable', () => {
  test('a literal segment beats a parameter whatever the order; names, any-method routes and bad escapes', () => {
    const match = routeTable([
      { method: 'GET', path: '/a/{id}' },
      { method: 'GET', path: '/a/search' },
      { method: '*', path: '/graphql' },
    ]);
    expect(match('GET', '/a/search')?.route.path).toBe('/a/search');
    expect(match('GET', '/a/x%20y')).toMatchObject({ ids: ['x y'], params: { id: 'x y' } });
    expect(match('GET', '/a/%E0%A4')?.ids).toEqual(['%E0%A4']);
    expect(match('PUT', '/graphql')?.route.path).toBe('/graphql');
    expect(match('POST', '/a/search')).toBeNull();
  });
});

describe('vendorApi', () => {
  test('auth comes before "not emulated" when the credential is in the headers, and after it when in the body', async () => {
    const { ctx } = serverContext();
    expect((await call(api(), ctx, 'GET', '/v1/nothing'))?.body.error).toBe('no_token');
    expect((await call(api({ credentials: 'body' }), ctx, 'GET', '/v1/nothing'))?.body.error).toBe('unknown GET /v1/nothing');
  });

  test('"not emulated" tells a listed operation from an unknown path; trailing slashes are dropped', async () => {
    const { ctx } = serverContext();
    expect(await call(api(), ctx, 'DELETE', '/v1/things/t1', authed)).toMatchObject({ status: 501, body: { error: 'listed DELETE /v1/things/{id}', requestId: 'req-1' } });
    expect((await call(api(), ctx, 'GET', '/v1/things/search/', authed))?.body).toEqual({ search: true });
  });

  test('open routes skip auth; the codec answers a malformed body with the vendor error', async () => {
    const { ctx } = serverContext();
    expect((await call(api(), ctx, 'POST', '/v1/open'))?.body).toEqual({ caller: null });
    const bad = await call(api(), ctx, 'POST', '/v1/things', { ...authed, body: '{nope' });
    expect(bad).toMatchObject({ status: 400, body: { error: 'bad_json' }, headers: { 'x-req': 'req-1' } });
    expect((await call(api(), ctx, 'POST', '/v1/things', { ...authed, body: '{"a":1}' }))?.body).toEqual({ got: { a: 1 } });
  });

  test('rate limits: a refusal keeps its headers; settle() counts every answer, errors included', async () => {
    const { ctx } = serverContext();
    const refused = await call(api({ rateLimit: () => ({ headers: { 'x-left': '0' }, refuse: vendor(429, 'slow_down') }) }), ctx, 'GET', '/v1/things/t1', authed);
    expect(refused).toMatchObject({ status: 429, headers: { 'x-left': '0' } });
    const statuses: number[] = [];
    const counted = api({ rateLimit: () => ({ headers: { 'x-left': 'before' }, settle: (status) => (statuses.push(status), { 'x-left': 'after' }) }) });
    expect((await call(counted, ctx, 'GET', '/v1/things/t1', authed))?.headers['x-left']).toBe('after');
    expect((await call(counted, ctx, 'GET', '/v1/nothing', authed))?.headers['x-left']).toBe('after');
    expect(statuses).toEqual([200, 404]);
  });

  test('an unexpected error is the vendor 500 and logged; the database down is its 503 with retry-after', async () => {
    const { ctx, logged } = serverContext();
    expect(await call(api(), ctx, 'GET', '/v1/broken', authed)).toMatchObject({ status: 500, body: { error: 'internal' } });
    expect(logged.join('\n')).toContain('test GET /v1/broken failed: Error: boom');
    expect(await call(api(), ctx, 'GET', '/v1/down', authed)).toMatchObject({ status: 503, body: { error: 'down' }, headers: { 'retry-after': '1' } });
    const plain = api({ envelope: { ...envelope, unavailable: undefined } });
    expect(plain.unavailable).toBeUndefined();
    await expect(call(plain, ctx, 'GET', '/v1/down', authed)).rejects.toMatchObject({ code: DB_UNAVAILABLE });
  });

  test('the token cache is per server state: a release (reset, restore) clears it', async () => {
    const { ctx, release } = serverContext();
    const lookups: string[] = [];
    const hooks = api({}, lookups);
    await call(hooks, ctx, 'GET', '/v1/things/t1', authed);
    await call(hooks, ctx, 'GET', '/v1/things/t2', authed);
    expect(lookups.length).toBe(1);
    release();
    expect((await call(hooks, ctx, 'GET', '/v1/things/t3', authed))?.body).toEqual({ id: 't3', caller: 'alice' });
    expect(lookups.length).toBe(2);
  });

  test('paths outside `mounted` fall through to the server', async () => {
    const { ctx } = serverContext();
    expect(await call(api({ mounted: (p) => p.startsWith('/v1/') }), ctx, 'GET', '/elsewhere')).toBeNull();
  });
});
