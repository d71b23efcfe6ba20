import type { TokenCache } from '../../_kit/auth.ts';
import { json } from '../../_kit/http.ts';
import type { KitContext } from '../../_kit/types.ts';
import { tokenFrom, type Caller } from './auth.ts';
import { authError, invalidInput } from './errors.ts';
import { runGraphql, type TypeResolvers } from './gql.ts';
import { requestContext } from './request.ts';
import { RESOLVERS } from './resolvers/index.ts';
import { flushEvents } from './webhooks.ts';

/**
 * POST /graphql. Authentication first (a raw `lin_api_` key or `Bearer` OAuth token), then
 * graphql-js. Every answer carries Linear's rate-limit headers (requests and complexity
 * budgets of an API key: 5,000 requests and 3,000,000 complexity points an hour); the
 * clone does not enforce them, it reports a full budget minus what this request cost.
 */
const HOUR = 3_600_000;
function rateHeaders(complexity: number): Record<string, string> {
  const reset = String(Date.now() + HOUR);
  return {
    'x-ratelimit-requests-limit': '5000',
    'x-ratelimit-requests-remaining': '4999',
    'x-ratelimit-requests-reset': reset,
    'x-ratelimit-complexity-limit': '3000000',
    'x-ratelimit-complexity-remaining': String(3_000_000 - complexity),
    'x-ratelimit-complexity-reset': reset,
    'x-complexity': String(complexity),
  };
}

/** A rough Linear-style cost: 0.1 per field, 1 per object, connections × their page size. */
function complexityOf(query: string): number {
  const fields = (query.match(/\b[_A-Za-z]\w*\b/g) ?? []).length;
  const pages = [...query.matchAll(/first:\s*(\d+)/g)].reduce((n, m) => n * Math.max(1, Math.min(250, Number(m[1]))), 1);
  return Math.max(1, Math.ceil(fields * 0.1 * Math.min(pages, 250)));
}

const errorBody = (e: ReturnType<typeof authError>) => ({ errors: [{ message: e.message, extensions: e.extensions }] });

export async function handleGraphql(req: Request, ctx: KitContext, tokens: TokenCache<Caller>): Promise<Response> {
  if (req.method !== 'POST' && req.method !== 'GET') return json(errorBody(invalidInput('Use POST /graphql')), 405);
  const token = tokenFrom(req);
  const caller = token ? await tokens.resolve(token) : null;
  if (!caller) return json(errorBody(authError()), 400, rateHeaders(0));
  let body: { query?: unknown; variables?: unknown; operationName?: unknown };
  try {
    body = req.method === 'GET' ? Object.fromEntries(new URL(req.url).searchParams) : ((await req.json()) as typeof body);
    if (typeof body.variables === 'string') body.variables = JSON.parse(body.variables);
  } catch {
    return json(errorBody(invalidInput('The body must be JSON: {"query": "...", "variables": {...}}')), 400);
  }
  if (typeof body?.query !== 'string') return json(errorBody(invalidInput('Must provide query string.')), 400);
  const rc = requestContext(ctx, caller.userId);
  const result = await runGraphql(rc, body.query, (body.variables as Record<string, unknown>) ?? undefined, typeof body.operationName === 'string' ? body.operationName : undefined, RESOLVERS as TypeResolvers);
  flushEvents(rc);
  return json(result.body, result.status, rateHeaders(complexityOf(body.query)));
}
