import type { SQL } from 'bun';
import { KitError } from '../../_kit/errors.ts';
import { json } from '../../_kit/http.ts';
import type { KitContext } from '../../_kit/types.ts';
import { mintToken, storeToken } from './auth.ts';
import { BOT_ID } from './provision.ts';

/**
 * HubSpot-specific admin routes (under /__asym/hubspot/, admin-guarded): what a portal admin
 * does in HubSpot's private-app settings, which the API has no endpoint for.
 *   POST /__asym/hubspot/tokens {scopes: ["crm.objects.contacts.read", …]}  a private-app
 *        token of the clone's service user with only those scopes (as a second private app
 *        with fewer scopes); calls outside them answer 403 MISSING_SCOPES, and the token
 *        info endpoint reports them.
 */
export async function hubspotAdminRoutes(req: Request, url: URL, ctx: KitContext): Promise<Response | null> {
  if (url.pathname !== '/__asym/hubspot/tokens' || req.method !== 'POST') return null;
  let scopes: unknown;
  try {
    scopes = ((await req.json()) as { scopes?: unknown })?.scopes;
  } catch {
    scopes = undefined;
  }
  if (!Array.isArray(scopes) || !scopes.every((s) => typeof s === 'string' && /^[a-z0-9._-]+$/i.test(s))) {
    throw new KitError('invalid_scopes', 'the body must be {"scopes": ["crm.objects.contacts.read", …]} (scope names)', { status: 400 });
  }
  const token = mintToken();
  await ctx.db.tx((tx) => storeToken(tx as unknown as SQL, token, BOT_ID, ctx.now(), scopes as string[]));
  return json({ ok: true, token, scopes });
}
