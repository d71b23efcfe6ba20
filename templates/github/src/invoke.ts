import type { ApiCall, Reply } from '../../_kit/pipeline.ts';
import type { GhCaller, TokenInfo } from './auth.ts';
import { expand } from './scopes.ts';
import type { Route } from './routes.ts';
import type { Gh } from './types.ts';
import type { ParsedRequest } from '../../_kit/http.ts';

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

/** How a GitHub handler is called once the kit has authenticated, matched and parsed; GETs get an ETag (If-None-Match → 304). */
export async function invoke(k: ApiCall<GhCaller, Route, ParsedRequest, TokenInfo>): Promise<Reply> {
  const { base } = enterprisePath(k.outer, k.ctx.env.publicUrl);
  const g: Gh = { req: k.req, url: k.url, ctx: k.ctx, base, viewer: k.caller.viewer, scopes: k.caller.scopes ? expand(k.caller.scopes) : null, token: { kind: k.caller.kind, appId: k.caller.appId }, params: k.params, query: k.body.query, body: k.body.body };
  const result = await k.route.handler(g);
  const text = result.body === undefined ? undefined : JSON.stringify(result.body);
  if (k.req.method === 'GET' && result.status === 200 && text !== undefined) {
    const etag = `W/"${new Bun.CryptoHasher('sha1').update(text).digest('hex')}"`;
    k.headers.etag = etag;
    k.headers['cache-control'] = g.viewer ? 'private, max-age=60, s-maxage=60' : 'public, max-age=60, s-maxage=60';
    const inm = k.req.headers.get('if-none-match');
    if (inm && inm.split(',').some((t) => t.trim() === etag || t.trim() === etag.slice(2))) return { status: 304, headers: result.headers };
  }
  return { status: result.status, text, headers: result.headers };
}
