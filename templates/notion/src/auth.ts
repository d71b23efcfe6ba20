import type { SQL } from 'bun';
import { TokenCache, hashToken, randomString } from '../../_kit/auth.ts';
import type { Db } from '../../_kit/db.ts';
import { bearerToken, type AuthSpec } from '../../_kit/pipeline.ts';
import { notionError } from './errors.ts';
import { clockNow } from '../../_kit/clock.ts';

/**
 * Integration secrets (`ntn_…`) minted at provision and stored by SHA-256 only. The SDK
 * sends `Authorization: Bearer <secret>`.
 */
export interface Caller {
  userId: string;
  type: string;
}

export const mintToken = (): string => `ntn_${randomString(11, '0123456789')}${randomString(35)}`;

export async function storeToken(tx: SQL, token: string, userId: string, at: Date = clockNow()): Promise<void> {
  await tx`insert into tokens (hash, user_id, created_at) values (${hashToken(token)}, ${userId}, ${at})`;
}

export function createTokenCache(db: Db): TokenCache<Caller> {
  return new TokenCache<Caller>(db, async (hash) => {
    const rows = await db.unsafe<{ id: string; type: string }>('select u.id, u.type from tokens t join users u on u.id = t.user_id where t.hash = $1', [hash]);
    const r = rows[0];
    return r ? { userId: r.id, type: r.type } : null;
  });
}

/** Notion's checks, for the kit pipeline (which does the cached lookup): a known token, then a Notion-Version. */
export const notionAuth: AuthSpec<Caller> = {
  tokens: (ctx) => createTokenCache(ctx.db),
  read: bearerToken,
  check(_token, found, req) {
    if (!found) throw notionError(401, 'unauthorized', 'API token is invalid.');
    if (!req.headers.get('notion-version')) throw notionError(400, 'missing_version', 'Notion-Version header failed validation: Notion-Version header should be defined, instead was `undefined`.');
    return found;
  },
};
