import type { TokenCache } from '../../../_kit/auth.ts';
import type { Caller } from '../auth.ts';
import { hsError, validation } from '../errors.ts';
import { APP_ID } from '../provision.ts';

/**
 * POST /oauth/v2/private-apps/get/access-token-info `{"tokenKey": "pat-…"}`: what a
 * private-app token is (its user, portal, app and scopes). HubSpot's MCP server calls it
 * before any other tool (hubspot-get-user-details), and integrations use it to check the
 * portal and scopes of a token. The token travels in the body; like HubSpot for `pat-na1`
 * tokens, no Authorization header is needed. The answer is camelCase:
 * `{userId, hubId, appId, scopes}`.
 */
export const TOKEN_INFO_PATH = '/oauth/v2/private-apps/get/access-token-info';

/**
 * Scopes of the clone's private app: what its CRM surface needs (objects, tickets, and the
 * schema write scopes that creating and changing properties, groups and pipelines take, and
 * deal splits).
 */
export const APP_SCOPES: readonly string[] = [
  'crm.dealsplits.read_write',
  'crm.objects.companies.read',
  'crm.objects.companies.write',
  'crm.objects.contacts.read',
  'crm.objects.contacts.write',
  'crm.objects.deals.read',
  'crm.objects.deals.write',
  'crm.schemas.companies.read',
  'crm.schemas.companies.write',
  'crm.schemas.contacts.read',
  'crm.schemas.contacts.write',
  'crm.schemas.deals.read',
  'crm.schemas.deals.write',
  'oauth',
  'tickets',
];

export async function tokenInfo(body: Record<string, unknown>, tokens: TokenCache<Caller>): Promise<Record<string, unknown>> {
  const key = body.tokenKey;
  if (typeof key !== 'string' || !key.trim()) {
    throw validation('Invalid input JSON: tokenKey is required (the private app access token to describe)', [{ message: 'tokenKey is required', in: 'tokenKey', code: 'REQUIRED' }]);
  }
  const caller = await tokens.resolve(key.trim());
  if (!caller) {
    throw hsError(401, 'INVALID_AUTHENTICATION', 'Authentication credentials not found. The access token provided is invalid, expired or revoked.', { subCategory: 'TOKEN_INVALID' });
  }
  return { userId: caller.principalId, hubId: caller.portalId, appId: APP_ID, scopes: [...caller.scopes] };
}
