import type { SQL } from 'bun';
import { TokenCache, hashToken, randomString } from '../../_kit/auth.ts';
import type { Db } from '../../_kit/db.ts';
import { bearerToken, type AuthSpec } from '../../_kit/pipeline.ts';
import { authError, invalidInput, LinearHttpError } from './errors.ts';
import { rateHeaders } from './invoke.ts';

/**
 * Personal API keys (`lin_api_…`, sent raw: `Authorization: lin_api_…`) and OAuth access
 * tokens (`lin_oauth_…`, sent as `Authorization: Bearer …`), stored by SHA-256 only.
 */
export interface Caller {
  userId: string;
}

export const mintApiKey = (): string => `lin_api_${randomString(40)}`;
export const mintOauthToken = (): string => `lin_oauth_${randomString(64, '0123456789abcdef')}`;

export async function storeToken(tx: SQL, token: string, userId: string, kind: 'api_key' | 'oauth'): Promise<void> {
  await tx`insert into tokens (hash, user_id, kind) values (${hashToken(token)}, ${userId}, ${kind})`;
}

export function createTokenCache(db: Db): TokenCache<Caller> {
  return new TokenCache<Caller>(db, async (hash) => {
    const rows = await db.unsafe<{ user_id: string }>('select t.user_id from tokens t join users u on u.id = t.user_id where t.hash = $1 and u.active', [hash]);
    return rows[0] ? { userId: rows[0].user_id } : null;
  });
}

/** The token from the Authorization header: raw API key, or `Bearer <token>`. */
export function tokenFrom(req: Request): string | null {
  return bearerToken(req) ?? ((req.headers.get('authorization') ?? '').trim() || null);
}

/** Linear's checks, for the kit pipeline: GET or POST only (405), then a known token (400 with an authentication error). */
export const linearAuth: AuthSpec<Caller> = {
  tokens: (ctx) => createTokenCache(ctx.db),
  read: tokenFrom,
  check(_token, found, req) {
    if (req.method !== 'POST' && req.method !== 'GET') throw new LinearHttpError(405, invalidInput('Use POST /graphql'));
    if (!found) throw new LinearHttpError(400, authError(), rateHeaders(0));
    return found;
  },
};
