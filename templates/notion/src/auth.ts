import type { SQL } from 'bun';
import { TokenCache, hashToken, randomString } from '../../_kit/auth.ts';
import type { Db } from '../../_kit/db.ts';
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

export async function authenticate(req: Request, cache: TokenCache<Caller>): Promise<Caller> {
  const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.get('authorization') ?? '');
  const found = bearer ? await cache.resolve((bearer[1] as string).trim()) : null;
  if (!found) throw notionError(401, 'unauthorized', 'API token is invalid.');
  return found;
}
