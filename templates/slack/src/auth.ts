import type { SQL } from 'bun';
import { hashToken, mintToken, randomString, TokenCache } from '../../_kit/auth.ts';
import type { Db } from '../../_kit/db.ts';
import type { Caller } from './types.ts';

/** Slack-shaped tokens, stored by hash with the scopes granted to each. */

const DIGITS = '0123456789';
const HEX = '0123456789abcdef';

export function mintBotToken(): string {
  return mintToken('xoxb-', `${randomString(13, DIGITS)}-${randomString(13, DIGITS)}-${randomString(24)}`);
}

export function mintUserToken(): string {
  return mintToken('xoxp-', `${randomString(13, DIGITS)}-${randomString(13, DIGITS)}-${randomString(13, DIGITS)}-${randomString(32, HEX)}`);
}

export async function storeToken(sql: SQL, token: string, t: { kind: 'bot' | 'user'; teamId: string; userId: string; appId: string | null; scopes: string[]; created: number }): Promise<void> {
  await sql`insert into tokens (hash, kind, team_id, user_id, app_id, scopes, created)
    values (${hashToken(token)}, ${t.kind}, ${t.teamId}, ${t.userId}, ${t.appId}, ${t.scopes}::text[], ${t.created})`;
}

export type TokenLookup = Caller & { revoked: boolean; deleted: boolean };

export function createTokenCache(db: Db): TokenCache<TokenLookup> {
  return new TokenCache<TokenLookup>(db, async (hash) => {
    const rows = await db.q<{ kind: 'bot' | 'user'; team_id: string; user_id: string; app_id: string | null; scopes: string[]; revoked: boolean; is_admin: boolean; deleted: boolean; bot_id: string | null }>`
      select t.kind, t.team_id, t.user_id, t.app_id, t.scopes, t.revoked, u.is_admin, u.deleted, a.bot_id
      from tokens t join users u on u.id = t.user_id left join apps a on a.id = t.app_id where t.hash = ${hash}`;
    const r = rows[0];
    if (!r) return null;
    return {
      kind: r.kind,
      teamId: r.team_id,
      userId: r.user_id,
      appId: r.app_id,
      botId: r.kind === 'bot' ? r.bot_id : null,
      scopes: r.scopes,
      isAdmin: r.is_admin,
      revoked: r.revoked,
      deleted: r.deleted,
    };
  });
}
