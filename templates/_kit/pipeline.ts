import { TokenCache } from './auth.ts';
import { DB_UNAVAILABLE } from './db.ts';
import { isKitError } from './errors.ts';
import type { InputLimits, InputProblem } from './input.ts';
import { routeTable, unemulatedTable, type RouteLike } from './routes.ts';
import type { KitContext, TemplateHooks } from './types.ts';

/**
 * One request pipeline for every vendor API. A template declares what is its own and the
 * kit runs the same chain for all of them (after server.ts has done the admin surface and
 * the NUL and size checks of input.ts):
 *
 *   serve (raw pages: hosted invoices, files) → request id → normalised path → route match
 *   (routes.ts: a literal segment beats a parameter) → auth (credential read, cached token
 *   lookup, the vendor's checks; skipped for `open` routes) → authorize (per-route checks:
 *   scopes) → rate limit → "not emulated" (the vendor's answer, told whether
 *   operations.json lists the operation) → codec (body parsing with the vendor's errors) →
 *   invoke (the template calls its handler) → reply.
 *
 * A vendor whose credential may travel in the body (Slack's `token` param) says
 * `credentials: 'body'`: then "not emulated" and the codec come before auth.
 *
 * Anything a stage throws is rendered once, by the template's envelope (its errors.ts),
 * with the same headers a success would carry; the database being down becomes the
 * envelope's `unavailable`. Per-server state (the token cache, rate windows) lives in
 * `ctx.state` and is cleared by the kit on release and reset, so no server module keeps a
 * `let`. Rate windows count wall-clock time, not ctx.now(): a client told to wait waits in
 * real time, whatever the clone's clock says.
 */

/** The vendor's error envelope (one per template, exported by its errors.ts). */
export interface Envelope {
  /** Status and body for anything thrown: the vendor's fields for its own errors, its 500 otherwise. */
  render(e: unknown, requestId: string): { status: number; body: unknown; headers?: Record<string, string> };
  /** What to throw for a request no route serves; `listed` is its operations.json path when it is an in-scope operation. */
  notEmulated(method: string, path: string, listed: string | null): unknown;
  /** What to throw for input the kit refused before routing (a NUL, a body over the limit); without it, server.ts's plain answer. */
  badInput?(problem: InputProblem): unknown;
  /** What to throw when the database cannot be reached; without it, server.ts's plain 503. */
  unavailable?(): unknown;
  /** Extra headers of the unavailable answer (retry-after). */
  unavailableHeaders?: Record<string, string>;
}

/** How a request's credential is read and checked: `T` is what a token resolves to, `C` the caller handlers get. */
export interface AuthSpec<C, T = NonNullable<C>> {
  /** The token cache (the template's lookup query by hash, and signed tokens); the kit keeps one per server. */
  tokens(ctx: KitContext): TokenCache<NonNullable<T>>;
  /** The credential of a request (and, with `credentials: 'body'`, of its parsed body), or null when it carries none. */
  read(req: Request, body?: unknown): string | null;
  /** The caller, or throw the vendor's error (no credential, a wrong one, a revoked one, a missing header). */
  check(token: string | null, found: NonNullable<T> | null, req: Request, ctx: KitContext): C | Promise<C>;
}

/** Turns a request body into what handlers read, throwing the vendor's error for a malformed one. */
export interface Codec<B> {
  parse(req: Request, url: URL): Promise<B>;
}

export interface ApiRoute extends RouteLike {
  /** Served without authentication (token introspection). */
  open?: boolean;
}

/** What a template's `invoke` gets: the matched route and everything the stages found. */
export interface ApiCall<C, R, B, T = NonNullable<C>> {
  req: Request;
  /** After `rewrite` (a vendor's path prefix taken off); `outer` is the URL as requested. */
  url: URL;
  outer: URL;
  ctx: KitContext;
  /** Upper case; HEAD is GET where the spec says `headAsGet`. */
  method: string;
  /** Without trailing slashes. */
  path: string;
  route: R;
  /** Path parameters in order, and by name. */
  ids: string[];
  params: Record<string, string>;
  caller: C;
  body: B;
  requestId: string;
  /** The response headers so far; invoke may add to them. */
  headers: Record<string, string>;
  tokens: TokenCache<NonNullable<T>>;
}

/** A handler's answer: a JSON body (none for 204), or text already serialised. */
export interface Reply {
  status: number;
  body?: unknown;
  text?: string;
  headers?: Record<string, string>;
}

export interface RateOutcome {
  headers?: Record<string, string>;
  /** Thrown (rendered by the envelope) when the call is over its limit. */
  refuse?: unknown;
  /** Counts the answered call (any status): its headers replace `headers` on the answer. */
  settle?(status: number): Promise<Record<string, string>> | Record<string, string>;
}

/** What the authorize and rate stages see: the caller, and the route and body once known. */
export interface StageInput<C, R, B> {
  ctx: KitContext;
  req: Request;
  caller: C;
  route: R | null;
  body: B | undefined;
}

export interface ApiSpec<C, R extends ApiRoute, B, T = NonNullable<C>> {
  template: string;
  routes: R[];
  /** operations.json: in-scope operations, implemented or not. */
  operations?: Array<RouteLike & { implemented: boolean }>;
  envelope: Envelope;
  auth: AuthSpec<C, T>;
  codec: Codec<B>;
  invoke(call: ApiCall<C, R, B, T>): Promise<Reply>;
  /** The request id: its header and how one is made (none for a vendor that sends none). */
  requestId?: { header: string; make(): string };
  /** Where the credential is read: headers only (auth before anything else), or the body too. */
  credentials?: 'headers' | 'body';
  /** Per-route checks after auth (scopes, token kinds); its headers go on every later answer. */
  authorize?(s: StageInput<C, R, B>): RateOutcome | Promise<RateOutcome>;
  /** Headers every answer of a request carries (besides the request id). */
  headers?(req: Request): Record<string, string>;
  /** Checked after auth; its headers go on every later answer of the request. */
  rateLimit?(s: StageInput<C, R, B>): RateOutcome | Promise<RateOutcome>;
  /** The URL the routes see (a vendor's alternative prefix taken off: GitHub Enterprise's /api/v3). */
  rewrite?(url: URL, ctx: KitContext): URL;
  /** HEAD requests match GET routes (answered with the GET's headers). */
  headAsGet?: boolean;
  /** Pages served before the pipeline (hosted invoices, files, avatars); null passes on. */
  serve?(req: Request, url: URL, ctx: KitContext, tokens: TokenCache<NonNullable<T>>): Promise<Response | null> | Response | null;
  /** Which paths are the API (default all); others fall through to the server's notFound. */
  mounted?(pathname: string): boolean;
  /** The vendor's documented request limits (default input.ts's). */
  inputLimits?: InputLimits;
}

export type ApiHooks = Pick<TemplateHooks, 'routes' | 'notFound' | 'errorEnvelope' | 'badInput' | 'unavailable' | 'inputLimits'>;

function respond(reply: Reply, headers: Record<string, string>): Response {
  const text = reply.text ?? (reply.status === 204 || reply.body === undefined ? null : JSON.stringify(reply.body));
  const h = { ...headers, ...(reply.headers ?? {}) };
  if (text !== null) h['content-type'] ??= 'application/json; charset=utf-8';
  return new Response(text, { status: reply.status, headers: h });
}

/** The hooks createServer takes for the vendor API, built from the template's declaration. */
export function vendorApi<C, R extends ApiRoute, B, T = NonNullable<C>>(spec: ApiSpec<C, R, B, T>): ApiHooks {
  const match = routeTable(spec.routes);
  const unemulated = spec.operations ? unemulatedTable(spec.operations) : () => null;
  const { envelope } = spec;

  const render = (e: unknown, requestId: string, headers: Record<string, string>, log?: (line: string) => void, at = ''): Response => {
    const down = isKitError(e) && e.code === DB_UNAVAILABLE;
    // No vendor 503: the error goes on to server.ts, which answers it plainly.
    if (down && !envelope.unavailable) throw e;
    const out = envelope.render(down ? envelope.unavailable?.() : e, requestId);
    if (out.status >= 500 && !down) log?.(`${spec.template} ${at} failed: ${(e as Error)?.stack ?? String(e)}`);
    return respond({ status: out.status, body: out.body }, { ...headers, ...(out.headers ?? {}), ...(down ? (envelope.unavailableHeaders ?? {}) : {}) });
  };
  const fresh = (): { id: string; headers: Record<string, string> } => {
    if (!spec.requestId) return { id: '', headers: {} };
    const id = spec.requestId.make();
    return { id, headers: { [spec.requestId.header]: id } };
  };

  return {
    inputLimits: spec.inputLimits,
    notFound(req, url) {
      const { id, headers } = fresh();
      return render(envelope.notEmulated(req.method, url.pathname, unemulated(req.method, url.pathname)), id, headers);
    },
    errorEnvelope(e) {
      const { id, headers } = fresh();
      return render(e, id, headers);
    },
    ...(envelope.badInput && {
      badInput(problem: InputProblem) {
        const { id, headers } = fresh();
        return render(envelope.badInput?.(problem), id, headers);
      },
    }),
    ...(envelope.unavailable && {
      unavailable() {
        const { id, headers } = fresh();
        return render(envelope.unavailable?.(), id, { ...headers, ...(envelope.unavailableHeaders ?? {}) });
      },
    }),
    async routes(req, url, ctx) {
      const tokens = ctx.state('kit:tokens', () => spec.auth.tokens(ctx));
      const served = await spec.serve?.(req, url, ctx, tokens);
      if (served) return served;
      if (spec.mounted && !spec.mounted(url.pathname)) return null;
      const outer = url;
      url = spec.rewrite?.(outer, ctx) ?? outer;
      const { id: requestId, headers: idHeader } = fresh();
      const upper = req.method.toUpperCase();
      const method = spec.headAsGet && upper === 'HEAD' ? 'GET' : upper;
      const path = url.pathname.replace(/\/+$/, '') || '/';
      const headers = { ...idHeader, ...(spec.headers?.(req) ?? {}) };
      let settle: RateOutcome['settle'];
      const settled = async (res: Response) => {
        if (settle) for (const [k, v] of Object.entries(await settle(res.status))) res.headers.set(k, v);
        return res;
      };
      const stage = async (run: ((s: StageInput<C, R, B>) => RateOutcome | Promise<RateOutcome>) | undefined, s: StageInput<C, R, B>) => {
        const out = await run?.(s);
        if (out?.headers) Object.assign(headers, out.headers);
        if (out?.refuse) throw out.refuse;
        settle = out?.settle ?? settle;
      };
      try {
        const found = match(method, path);
        const inBody = spec.credentials === 'body';
        let body: B | undefined;
        if (inBody) {
          if (!found) throw envelope.notEmulated(upper, path, unemulated(method, path));
          body = await spec.codec.parse(req, url);
        }
        let caller = null as C;
        if (!found?.route.open) {
          const token = spec.auth.read(req, body);
          caller = await spec.auth.check(token, token ? await tokens.resolve(token) : null, req, ctx);
          const s: StageInput<C, R, B> = { ctx, req, caller, route: found?.route ?? null, body };
          if (found) await stage(spec.authorize, s);
          await stage(spec.rateLimit, s);
        }
        if (!found) throw envelope.notEmulated(upper, path, unemulated(method, path));
        if (!inBody) body = await spec.codec.parse(req, url);
        const reply = await spec.invoke({ req, url, outer, ctx, method, path, route: found.route, ids: found.ids, params: found.params, caller, body: body as B, requestId, headers, tokens });
        return await settled(respond(reply, headers));
      } catch (e) {
        return settled(render(e, requestId, headers, ctx.log, `${upper} ${path}`));
      }
    },
  };
}

/**
 * The JSON-object body most REST vendors take (HubSpot, Notion): empty is `{}`, GET and
 * DELETE bodies are ignored; the template names its errors for bad JSON and a non-object
 * (or keeps a top-level array under `arrayKey`).
 */
export function jsonObjectCodec(opts: { invalid: () => unknown; notObject: () => unknown; arrayKey?: string }): Codec<Record<string, any>> {
  return {
    async parse(req) {
      if (req.method === 'GET' || req.method === 'DELETE' || !req.body) return {};
      const text = await req.text();
      if (!text.trim()) return {};
      let v: unknown;
      try {
        v = JSON.parse(text);
      } catch {
        throw opts.invalid();
      }
      if (Array.isArray(v) && opts.arrayKey) return { [opts.arrayKey]: v };
      if (!v || typeof v !== 'object' || Array.isArray(v)) throw opts.notObject();
      return v as Record<string, any>;
    },
  };
}

export interface GraphqlRequest {
  query: string;
  variables: Record<string, unknown> | undefined;
  operationName: string | undefined;
}

/**
 * A GraphQL request: POST with a JSON body, or GET with query params (`variables` as a JSON
 * string in either); `invalid` names the vendor's error for a malformed one.
 */
export function graphqlCodec(invalid: (message: string) => unknown): Codec<GraphqlRequest> {
  return {
    async parse(req, url) {
      let body: { query?: unknown; variables?: unknown; operationName?: unknown };
      try {
        body = req.method === 'GET' ? Object.fromEntries(url.searchParams) : ((await req.json()) as typeof body);
        if (typeof body.variables === 'string') body.variables = JSON.parse(body.variables);
      } catch {
        throw invalid('The body must be JSON: {"query": "...", "variables": {...}}');
      }
      if (typeof body?.query !== 'string') throw invalid('Must provide query string.');
      return {
        query: body.query,
        variables: (body.variables as Record<string, unknown>) ?? undefined,
        operationName: typeof body.operationName === 'string' ? body.operationName : undefined,
      };
    },
  };
}

/** The `Authorization: Bearer <token>` credential, or null. */
export function bearerToken(req: Request): string | null {
  const m = /^Bearer\s+(.+)$/i.exec(req.headers.get('authorization') ?? '');
  return m ? (m[1] as string).trim() : null;
}
