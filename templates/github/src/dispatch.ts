import type { TokenCache } from '../../_kit/auth.ts';
import { parseRequest } from '../../_kit/http.ts';
import type { KitContext } from '../../_kit/types.ts';
import { credential } from './auth.ts';
import { errorBody, GitHubError } from './errors.ts';
import { handleGraphql } from './graphql/endpoint.ts';
import { matchRoute } from './routes.ts';
import { viewerRow } from './viewers.ts';
import type { Gh, Reply, UserRow } from './types.ts';

/**
 * One request through the clone: credential → rate limit → route → handler → GitHub's
 * headers (x-ratelimit-*, ETag with If-None-Match → 304). Errors become GitHub's envelope.
 */

const LIMIT_AUTHED = 5000;
const LIMIT_ANON = 60;
const HOUR = 3600;

function baseHeaders(): Record<string, string> {
  return {
    'content-type': 'application/json; charset=utf-8',
    'x-github-media-type': 'github.v3; format=json',
    'x-github-api-version-selected': '2022-11-28',
    'x-github-request-id': crypto.randomUUID().toUpperCase().slice(0, 23),
    'access-control-allow-origin': '*',
  };
}

interface Window {
  key: string;
  limit: number;
  reset: number;
}

/** Counts this request in its window (one Redis round trip) and returns the count including it. */
async function countRequest(ctx: KitContext, w: Window): Promise<number> {
  try {
    return await ctx.redis.incrWindow(w.key, HOUR + 60);
  } catch {
    // Redis down: answer anyway; the headers then report nothing used.
    return 0;
  }
}

/** A request that turned out free (a 304) or refused gives its count back. */
async function uncount(ctx: KitContext, w: Window): Promise<void> {
  await ctx.redis.decr(w.key).catch(() => undefined);
}

function rateHeaders(w: Window, used: number): Record<string, string> {
  return {
    'x-ratelimit-limit': String(w.limit),
    'x-ratelimit-remaining': String(Math.max(0, w.limit - used)),
    'x-ratelimit-reset': String(w.reset),
    'x-ratelimit-used': String(used),
    'x-ratelimit-resource': 'core',
  };
}

/**
 * GitHub Enterprise Server serves the REST API under /api/v3 (and GraphQL at /api/graphql);
 * gh and GitHub's MCP server use those paths for any host but github.com. The clone answers
 * both ways: `url` without the prefix, `base` with it, so urls and Link headers keep it.
 */
export function enterprisePath(url: URL, publicUrl: string): { url: URL; base: string } {
  const p = url.pathname;
  if (p !== '/api/v3' && !p.startsWith('/api/v3/')) return { url, base: publicUrl };
  const inner = new URL(url);
  inner.pathname = p.slice('/api/v3'.length) || '/';
  return { url: inner, base: `${publicUrl}/api/v3` };
}

export async function handleApi(req: Request, outer: URL, ctx: KitContext, tokens: TokenCache<{ userId: number }>): Promise<Response> {
  const { url, base } = enterprisePath(outer, ctx.env.publicUrl);
  const headers = baseHeaders();
  const hourStart = Math.floor(Date.now() / 1000 / HOUR) * HOUR;
  let w: Window = { key: `rl:anon:${req.headers.get('x-forwarded-for') ?? 'local'}:${hourStart}`, limit: LIMIT_ANON, reset: hourStart + HOUR };
  const reply = (status: number, body: unknown, extra: Record<string, string> = {}) =>
    new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { ...headers, ...extra } });

  // Credentials first: a wrong token is a 401 whatever the path.
  const token = credential(req);
  let viewer: UserRow | null = null;
  if (token !== null) {
    const found = token ? await tokens.resolve(token) : null;
    viewer = found ? await viewerRow(ctx.db, found.userId) : null;
    if (!viewer) {
      const used = await countRequest(ctx, w);
      return reply(401, errorBody(401, 'Bad credentials'), rateHeaders(w, used));
    }
    const cfg = await ctx.config();
    // POST /__asym/config {"rate_limit": n} changes the hourly limit (benchmarks, fault tests).
    const limit = typeof cfg.rate_limit === 'number' && cfg.rate_limit > 0 ? cfg.rate_limit : LIMIT_AUTHED;
    w = { key: `rl:user:${viewer.id}:${hourStart}`, limit, reset: hourStart + HOUR };
    headers['x-oauth-scopes'] = 'admin:org, delete_repo, repo, user';
    headers['x-accepted-oauth-scopes'] = 'repo';
  }

  // Counted up front, in the one Redis round trip a request costs: a request over the limit
  // and a conditional hit (304) give their count back.
  const used = await countRequest(ctx, w);
  if (used > w.limit) {
    await uncount(ctx, w);
    const msg = viewer ? `API rate limit exceeded for user ID ${viewer.id}.` : 'API rate limit exceeded.';
    return reply(403, errorBody(403, msg, undefined, 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api'), rateHeaders(w, used - 1));
  }

  let result: Reply;
  const match = matchRoute(req.method, url.pathname);
  // GraphQL at /graphql (api.github.com) and /api/graphql (Enterprise Server): a subset, see graphql/schema.ts.
  const graphql = outer.pathname === '/graphql' || outer.pathname === '/api/graphql';
  try {
    if (graphql) {
      const parsed = await parseRequest(req, url);
      result = await handleGraphql({ req, url, ctx, base, viewer, params: {}, query: parsed.query, body: parsed.body });
    } else if (!match) {
      throw new GitHubError(404, `Not Found: ${req.method} ${url.pathname} is not emulated by this asym clone (github template)`);
    } else {
    const parsed = await parseRequest(req, url);
    const g: Gh = { req, url, ctx, base, viewer, params: match.params, query: parsed.query, body: parsed.body };
    result = await match.route.handler(g);
    }
  } catch (e) {
    if (!(e instanceof GitHubError)) {
      if ((e as { code?: string })?.code === 'invalid_json') result = { status: 400, body: errorBody(400, 'Problems parsing JSON') };
      else throw e;
    } else {
      result = { status: e.status, body: errorBody(e.status, e.message, e.errors, e.documentationUrl) };
    }
  }

  const text = result.body === undefined ? null : JSON.stringify(result.body);
  if (req.method === 'GET' && result.status === 200 && text !== null) {
    const etag = `W/"${new Bun.CryptoHasher('sha1').update(text).digest('hex')}"`;
    headers.etag = etag;
    headers['cache-control'] = viewer ? 'private, max-age=60, s-maxage=60' : 'public, max-age=60, s-maxage=60';
    const inm = req.headers.get('if-none-match');
    if (inm && inm.split(',').some((t) => t.trim() === etag || t.trim() === etag.slice(2))) {
      // A conditional hit is free on GitHub: not counted against the limit.
      await uncount(ctx, w);
      const h = { ...headers, ...rateHeaders(w, Math.max(0, used - 1)), ...(result.headers ?? {}) };
      delete h['content-type'];
      return new Response(null, { status: 304, headers: h });
    }
  }
  if (text === null) delete headers['content-type'];
  return new Response(text, { status: result.status, headers: { ...headers, ...rateHeaders(w, used), ...(result.headers ?? {}) } });
}
