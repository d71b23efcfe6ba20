import type { ApiCall, GraphqlRequest, Reply } from '../../_kit/pipeline.ts';
import type { Caller } from './auth.ts';
import { runGraphql, type TypeResolvers } from './gql.ts';
import { requestContext } from './request.ts';
import { RESOLVERS } from './handlers/index.ts';
import { flushEvents } from './webhooks.ts';

/**
 * POST /graphql once the kit has authenticated and parsed it: graphql-js over Linear's
 * schema. Every answer carries Linear's rate-limit headers (requests and complexity budgets
 * of an API key: 5,000 requests and 3,000,000 complexity points an hour); the clone does not
 * enforce them, it reports a full budget minus what this request cost.
 */
const HOUR = 3_600_000;
export function rateHeaders(complexity: number): Record<string, string> {
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

export async function invoke(k: ApiCall<Caller, { method: string; path: string }, GraphqlRequest>): Promise<Reply> {
  const { query, variables, operationName } = k.body;
  const rc = requestContext(k.ctx, k.caller.userId);
  const result = await runGraphql(rc, query, variables, operationName, RESOLVERS as TypeResolvers);
  flushEvents(rc);
  return { status: result.status, body: result.body, headers: rateHeaders(complexityOf(query)) };
}
