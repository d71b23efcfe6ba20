import type { TokenCache } from '../../_kit/auth.ts';
import { KitError } from '../../_kit/errors.ts';
import { json } from '../../_kit/http.ts';
import { routeTable, unemulatedTable } from '../../_kit/routes.ts';
import type { KitContext } from '../../_kit/types.ts';
import operations from '../operations.json';
import { ROUTES } from './api.ts';
import { authenticate, type Caller } from './auth.ts';
import { errorBody, notionError } from './errors.ts';
import { Store } from './store.ts';

export { ROUTES };
const match = routeTable(ROUTES);
const unemulated = unemulatedTable(operations as Array<{ method: string; path: string; implemented: boolean }>);

export function notEmulatedError(method: string, path: string): KitError {
  const known = unemulated(method, path);
  return known
    ? notionError(501, 'invalid_request', `${method} ${known} is part of Notion's API but is not emulated by this asym Notion clone (see operations.json).`)
    : notionError(400, 'invalid_request_url', `Invalid request URL: ${method} ${path} is not emulated by this asym Notion clone. It emulates users, databases, data sources, pages, blocks, comments and search under /v1 (see operations.json).`);
}

async function readBody(req: Request): Promise<Record<string, any>> {
  if (req.method === 'GET' || req.method === 'DELETE' || !req.body) return {};
  const text = await req.text();
  if (!text.trim()) return {};
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw notionError(400, 'invalid_json', 'Error parsing JSON body.');
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw notionError(400, 'validation_error', 'body failed validation: body should be an object.');
  return v as Record<string, any>;
}

export async function handleApi(req: Request, url: URL, ctx: KitContext, tokens: TokenCache<Caller>): Promise<Response> {
  const requestId = crypto.randomUUID();
  const method = req.method.toUpperCase();
  const path = url.pathname.replace(/\/+$/, '') || '/';
  const headers = { 'x-request-id': requestId };
  const fail = (e: unknown) => {
    const { status, body } = errorBody(e, requestId);
    if (status >= 500) ctx.log(`notion ${method} ${path} failed: ${(e as Error)?.stack ?? String(e)}`);
    return json(body, status, headers);
  };
  try {
    const caller = await authenticate(req, tokens);
    if (!req.headers.get('notion-version')) throw notionError(400, 'missing_version', 'Notion-Version header failed validation: Notion-Version header should be defined, instead was `undefined`.');
    const found = match(method, path);
    if (!found) throw notEmulatedError(method, path);
    const body = await readBody(req);
    const out = await found.route.handler({ ctx, store: new Store(ctx), caller, body, query: url.searchParams, ids: found.ids });
    return json(out, 200, headers);
  } catch (e) {
    if (!(e instanceof KitError)) ctx.log(`notion ${method} ${path}: ${(e as Error)?.stack ?? String(e)}`);
    return fail(e);
  }
}
