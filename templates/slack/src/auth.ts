import type { SQL } from 'bun';
import { hashToken, mintToken, randomString, TokenCache } from '../../_kit/auth.ts';
import type { Db } from '../../_kit/db.ts';
import { str, type ParsedRequest } from '../../_kit/http.ts';
import { bearerToken, type AuthSpec } from '../../_kit/pipeline.ts';
import { signPayload, verifyPayload } from '../../_kit/signed-token.ts';
import { SlackError } from './errors.ts';
import { USER_SCOPES } from './scopes.ts';
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

/**
 * User tokens minted on request (admin user-token: `asym tokens --user`, the web view) are
 * signed, not stored, so acting as a person writes nothing into the clone's world. The
 * shape stays Slack's `xoxp-` user token; the dot never occurs in a stored one.
 */
const SIGNED_PREFIX = 'xoxp-1-';
const PURPOSE = 'slack-user-token';

interface SignedUser {
  u: string;
  a: string | null;
  /** Omitted for the default user scopes, which keeps the token short. */
  s?: string[];
}

export function signUserToken(secret: string, userId: string, appId: string | null, scopes: string[]): string {
  const same = scopes.length === USER_SCOPES.length && scopes.every((s, i) => s === USER_SCOPES[i]);
  const payload: SignedUser = { u: userId, a: appId, ...(same ? {} : { s: scopes }) };
  return `${SIGNED_PREFIX}${signPayload(secret, PURPOSE, payload)}`;
}

async function resolveSigned(db: Db, secret: string, token: string): Promise<TokenLookup | null> {
  const p = verifyPayload<SignedUser>(secret, PURPOSE, token.slice(SIGNED_PREFIX.length));
  if (!p || typeof p.u !== 'string') return null;
  const rows = await db.q<{ team_id: string; is_admin: boolean; deleted: boolean; is_bot: boolean }>`
    select team_id, is_admin, deleted, is_bot from users where id = ${p.u}`;
  const u = rows[0];
  if (!u || u.is_bot) return null;
  return { kind: 'user', teamId: u.team_id, userId: p.u, appId: p.a, botId: null, scopes: p.s ?? USER_SCOPES, isAdmin: u.is_admin, revoked: false, deleted: u.deleted };
}

export function createTokenCache(db: Db, secret: string): TokenCache<TokenLookup> {
  const stateless = (token: string) => (token.startsWith(SIGNED_PREFIX) && token.includes('.') ? resolveSigned(db, secret, token) : null);
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
  }, stateless);
}

/** The token: `Authorization: Bearer`, else the `token` param (form or query), as Slack reads it. */
export const slackAuth: AuthSpec<TokenLookup> = {
  tokens: (ctx) => createTokenCache(ctx.db, ctx.env.adminSecret),
  read(req, body) {
    return bearerToken(req) ?? str((body as ParsedRequest | undefined)?.params.token) ?? null;
  },
  check(token, found) {
    if (!token) throw new SlackError('not_authed');
    if (!found) throw new SlackError('invalid_auth');
    if (found.revoked) throw new SlackError('token_revoked');
    if (found.deleted) throw new SlackError('account_inactive');
    return found;
  },
};
