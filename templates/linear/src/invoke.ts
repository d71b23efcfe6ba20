import type { ApiCall, GraphqlRequest, Reply } from '../../_kit/pipeline.ts';
import { countWindow, type WindowCount } from '../../_kit/rate-window.ts';
import type { KitContext } from '../../_kit/types.ts';
import type { Caller } from './auth.ts';
import { runGraphql, type TypeResolvers } from './gql.ts';
import { requestContext } from './request.ts';
import { RESOLVERS } from './handlers/index.ts';
import { flushEvents } from './webhooks.ts';

/**
 * POST /graphql once the kit has authenticated and parsed it: graphql-js over Linear's
 * schema. Every answer carries Linear's rate-limit headers for the caller's API key: 5,000
 * requests and 3,000,000 complexity points an hour, counted by the kit's rate-window.ts
 * (hour windows; Linear refills a leaky bucket, so its remaining figures recover sooner).
 * The clone reports the budgets; it does not refuse requests over them.
 */
const HOUR_S = 3_600;
const REQUESTS = 5_000;
const COMPLEXITY = 3_000_000;

/** The headers for a request that used nothing (one refused before a key was known). */
export function rateHeaders(complexity: number): Record<string, string> {
  const reset = String((Math.floor(Date.now() / 1000 / HOUR_S) + 1) * HOUR_S * 1000);
  return headersOf({ limit: REQUESTS, used: 0, reset }, { limit: COMPLEXITY, used: 0, reset }, complexity);
}

function headersOf(req: { limit: number; used: number; reset: string }, cx: { limit: number; used: number; reset: string }, complexity: number): Record<string, string> {
  return {
    'x-ratelimit-requests-limit': String(req.limit),
    'x-ratelimit-requests-remaining': String(Math.max(0, req.limit - req.used)),
    'x-ratelimit-requests-reset': req.reset,
    'x-ratelimit-complexity-limit': String(cx.limit),
    'x-ratelimit-complexity-remaining': String(Math.max(0, cx.limit - cx.used)),
    'x-ratelimit-complexity-reset': cx.reset,
    'x-complexity': String(complexity),
  };
}

async function countedHeaders(ctx: KitContext, userId: string, complexity: number): Promise<Record<string, string>> {
  const [req, cx] = await Promise.all([
    countWindow(ctx, `requests:${userId}`, REQUESTS, HOUR_S),
    countWindow(ctx, `complexity:${userId}`, COMPLEXITY, HOUR_S, { by: complexity }),
  ]);
  const ms = (w: WindowCount) => String(w.resetAt * 1000);
  return headersOf({ limit: REQUESTS, used: req.used, reset: ms(req) }, { limit: COMPLEXITY, used: cx.used, reset: ms(cx) }, complexity);
}

/** A rough Linear-style cost: 0.1 per field, 1 per object, connections × their page size. */
function complexityOf(query: string): number {
  const fields = (query.match(/\b[_A-Za-z]\w*\b/g) ?? []).length;
  const pages = [...query.matchAll(/first:\s*(\d+)/g)].reduce((n, m) => n * Math.max(1, Math.min(250, Number(m[1]))), 1);
  return Math.max(1, Math.ceil(fields * 0.1 * Math.min(pages, 250)));
}

export async function invoke(k: ApiCall<Caller, { method: string; path: string }, GraphqlRequest>): Promise<Reply> {
  const { query, variables, operationName } = k.body;
  const rc = requestContext(k.ctx, k.caller.userId);
  const result = await runGraphql(rc, query, variables, operationName, RESOLVERS as TypeResolvers);
  flushEvents(rc);
  return { status: result.status, body: result.body, headers: await countedHeaders(k.ctx, k.caller.userId, complexityOf(query)) };
}
