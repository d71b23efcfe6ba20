import type { ApiCall, Reply } from '../../_kit/pipeline.ts';
import type { Call, Route } from './types.ts';
import type { Caller } from './auth.ts';
import { hsError } from './errors.ts';
import type { OpenRoute } from './routes.ts';
import { catalogOf } from './catalog.ts';
import { objectTypeOf } from './schema.ts';
import { checkScopes, requiredScopes } from './scopes.ts';

/**
 * How a HubSpot handler is called once the kit has authenticated, matched and parsed: a
 * route under /crm/v3/objects/{objectType} first resolves its object type.
 */
export async function invoke(k: ApiCall<Caller, Route | OpenRoute, Record<string, any>>): Promise<Reply> {
  const { route } = k;
  if ('serve' in route) return { status: 200, body: await route.serve(k.body, k.tokens) };
  // Scopes first, as HubSpot checks them before the request's content.
  checkScopes(k.caller.scopes, requiredScopes(k.method, route.path, k.path, route.type));
  let ids = k.ids;
  let type = route.type;
  if (route.typed) {
    const t = objectTypeOf(ids[0] ?? '');
    if (!t) throw hsError(400, 'VALIDATION_ERROR', `Unable to infer object type from: ${ids[0]}. This clone emulates contacts (0-1), companies (0-2), deals (0-3) and tickets (0-5).`);
    type = t;
    ids = ids.slice(1);
  }
  const call: Call = { ctx: k.ctx, method: k.method, path: k.path, url: k.url, query: k.url.searchParams, body: k.body, ids, type: type ?? 'contacts', caller: k.caller, catalog: await catalogOf(k.ctx) };
  return route.handler(call);
}
