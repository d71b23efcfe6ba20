import type { SQL } from 'bun';
import { hashToken, mintToken, randomString, timingSafeEqualStr, TokenCache } from '../../_kit/auth.ts';
import type { Db } from '../../_kit/db.ts';
import type { AuthSpec } from '../../_kit/pipeline.ts';
import { hexSignature } from '../../_kit/signed-token.ts';
import { clockNow } from '../../_kit/clock.ts';
import type { UserRow } from './types.ts';
import { viewerRow } from './viewers.ts';
import { DEFAULT_SCOPES, scopeMask, scopesOf } from './scopes.ts';
import { isJwt, verifyAppJwt, verifyAppUserToken } from './apps.ts';

/**
 * Personal access tokens shaped as GitHub's classic ones (`ghp_` + 36 alphanumerics),
 * stored by SHA-256 hash only. The SDK sends `Authorization: token <pat>`; `Bearer` is
 * accepted too.
 *
 * Tokens minted on request (admin user-token, `asym tokens --user`) are instead signed
 * with the clone's secret and stored nowhere, shaped as fine-grained PATs
 * (`github_pat_<22>_<59>`, alphanumerics): acting as a user must not change the world.
 */
export function mintPat(): string {
  return mintToken('ghp_', randomString(36));
}

export async function storePat(sql: SQL, token: string, userId: number, note: string, at: Date = clockNow()): Promise<void> {
  await sql`insert into tokens (hash, user_id, note, created_at) values (${hashToken(token)}, ${userId}, ${note}, ${at})`;
}

const PURPOSE = 'github-user-token';
const SIGNED = /^github_pat_([0-9a-z]{22})_([0-9a-f]{59})$/;

export function signPat(secret: string, userId: number): string {
  const id = userId.toString(36).padStart(22, '0');
  return `github_pat_${id}_${hexSignature(secret, PURPOSE, id).slice(0, 59)}`;
}

/**
 * A classic token with chosen scopes (admin user-token with `scopes`): `ghp_S`, the scope
 * mask (8 base-36 digits), the user id (7), a signature (20 hex); signed, stored nowhere.
 */
const SCOPED = /^ghp_S([0-9a-z]{8})([0-9a-z]{7})([0-9a-f]{20})$/;
const SCOPED_PURPOSE = 'github-scoped-token';

export function signScopedPat(secret: string, userId: number, scopes: readonly string[]): string {
  const body = `${scopeMask(scopes).toString(36).padStart(8, '0')}${userId.toString(36).padStart(7, '0')}`;
  return `ghp_S${body}${hexSignature(secret, SCOPED_PURPOSE, body).slice(0, 20)}`;
}

export function verifyScopedPat(secret: string, token: string): { userId: number; scopes: string[] } | null {
  const m = SCOPED.exec(token);
  if (!m || !timingSafeEqualStr(m[3]!, hexSignature(secret, SCOPED_PURPOSE, `${m[1]}${m[2]}`).slice(0, 20))) return null;
  return { userId: Number.parseInt(m[2]!, 36), scopes: scopesOf(Number.parseInt(m[1]!, 36)) };
}

/** Who a token is: the user, and its scopes (null: a fine-grained token, which has none). */
export interface TokenInfo {
  userId: number;
  scopes: string[] | null;
  /** A GitHub App user access token (`ghu_`, apps.ts). */
  appUser?: true;
}

/** The token types GitHub tells apart: classic PAT, fine-grained PAT, GitHub App user access token, the app's JWT. */
export type TokenKind = 'none' | 'classic' | 'fine-grained' | 'app-user' | 'app';

/** The user id a signed PAT was minted for, or null when it is not one (or forged). */
export function verifyPat(secret: string, token: string): number | null {
  const m = SIGNED.exec(token);
  if (!m || !timingSafeEqualStr(m[2]!, hexSignature(secret, PURPOSE, m[1]!).slice(0, 59))) return null;
  return Number.parseInt(m[1]!, 36);
}

export function createTokenCache(db: Db, secret: string): TokenCache<TokenInfo> {
  const stateless = (token: string) => {
    const scoped = verifyScopedPat(secret, token);
    const appUser = scoped ? null : verifyAppUserToken(secret, token);
    const userId = scoped ? scoped.userId : (appUser ?? verifyPat(secret, token));
    if (userId === null) return null;
    const info: TokenInfo = { userId, scopes: scoped ? scoped.scopes : null, ...(appUser !== null ? { appUser: true as const } : {}) };
    return db.q<{ id: number }>`select id from users where id = ${userId} and type <> 'Organization'`.then((rows) => (rows[0] ? info : null));
  };
  return new TokenCache<TokenInfo>(
    db,
    async (hash) => {
      const rows = await db.q<{ user_id: number }>`select user_id from tokens where hash = ${hash}`;
      // Stored tokens are the provisioned classic ones: a full-access scope set.
      return rows[0] ? { userId: rows[0].user_id, scopes: DEFAULT_SCOPES } : null;
    },
    stateless,
  );
}

/** The credential of an Authorization header, or null when there is none. */
export function credential(req: Request): string | null {
  const h = req.headers.get('authorization');
  if (!h) return null;
  const m = /^(?:token|bearer)\s+(\S+)\s*$/i.exec(h.trim());
  return m ? (m[1] ?? '') : h.trim();
}

/** Who calls: a user, nobody (no Authorization header: GitHub serves public data), or a wrong token (`bad`: 401 once counted). */
export interface GhCaller {
  viewer: UserRow | null;
  bad: boolean;
  /** A classic token's scopes; null without a token or for a fine-grained one. */
  scopes: string[] | null;
  kind: TokenKind;
  /** With kind `app`: the app its JWT authenticates. */
  appId?: number;
  /** Why a bad credential is refused, when GitHub says more than "Bad credentials" (a JWT). */
  badMessage?: string;
}

/** GitHub's credential checks, for the kit pipeline; a wrong token is refused by the rate stage, which counts it first. */
export const githubAuth: AuthSpec<GhCaller, TokenInfo> = {
  tokens: (ctx) => createTokenCache(ctx.db, ctx.env.adminSecret),
  read: credential,
  async check(token, found, _req, ctx) {
    if (token === null) return { viewer: null, bad: false, scopes: null, kind: 'none' };
    if (!found && isJwt(token)) {
      // Verified on every call, never cached: a JWT expires within minutes.
      const v = await verifyAppJwt(ctx.db, token);
      return 'app' in v ? { viewer: null, bad: false, scopes: null, kind: 'app', appId: v.app.id } : { viewer: null, bad: true, scopes: null, kind: 'app', badMessage: v.problem };
    }
    const viewer = found ? await viewerRow(ctx.db, found.userId) : null;
    const kind: TokenKind = found?.appUser ? 'app-user' : found?.scopes ? 'classic' : 'fine-grained';
    return { viewer, bad: !viewer, scopes: viewer ? found!.scopes : null, kind };
  },
};
