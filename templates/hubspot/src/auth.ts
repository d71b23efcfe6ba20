import type { SQL } from 'bun';
import { TokenCache, hashToken } from '../../_kit/auth.ts';
import type { Db } from '../../_kit/db.ts';
import { bearerToken, type AuthSpec } from '../../_kit/pipeline.ts';
import { hsError } from './errors.ts';
import { clockNow } from '../../_kit/clock.ts';
import { APP_SCOPES } from './handlers/token-info.ts';

/**
 * Private-app access tokens (`pat-na1-<uuid>`) minted at provision and stored by SHA-256
 * only. A request authenticates with `Authorization: Bearer <token>`, as the SDK sends it.
 */
export interface Caller {
  principalId: number;
  portalId: number;
  role: string;
  /** The scopes the token was granted (the app's APP_SCOPES unless minted with fewer). */
  scopes: readonly string[];
}

export function mintToken(): string {
  return `pat-na1-${crypto.randomUUID()}`;
}

export async function storeToken(tx: SQL, token: string, principalId: number, at: Date = clockNow(), scopes: string[] | null = null): Promise<void> {
  await tx`insert into tokens (hash, principal_id, created_at, scopes) values (${hashToken(token)}, ${principalId}, ${at}, ${scopes === null ? null : `{${scopes.map((x) => `"${x}"`).join(',')}}`}::text[])`;
}

export function createTokenCache(db: Db): TokenCache<Caller> {
  return new TokenCache<Caller>(db, async (hash) => {
    const rows = await db.unsafe('select p.id, p.portal_id, p.role, t.scopes from tokens t join principals p on p.id = t.principal_id where t.hash = $1', [hash]);
    const r = rows[0];
    return r ? { principalId: Number(r.id), portalId: Number(r.portal_id), role: String(r.role), scopes: Array.isArray(r.scopes) ? (r.scopes as string[]) : APP_SCOPES } : null;
  });
}

/** HubSpot's credential check, for the kit pipeline (which does the cached lookup). */
export const hubspotAuth: AuthSpec<Caller> = {
  tokens: (ctx) => createTokenCache(ctx.db),
  read: bearerToken,
  check(token, found) {
    if (token === null) {
      throw hsError(
        401,
        'INVALID_AUTHENTICATION',
        'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview',
      );
    }
    if (!found) {
      throw hsError(401, 'INVALID_AUTHENTICATION', 'Authentication credentials not found. The access token provided is invalid, expired or revoked.', {
        subCategory: 'TOKEN_INVALID',
      });
    }
    return found;
  },
};
