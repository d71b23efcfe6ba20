import type { SQL } from 'bun';
import { hashToken, mintToken, randomString, timingSafeEqualStr, TokenCache } from '../../_kit/auth.ts';
import type { Db } from '../../_kit/db.ts';
import type { AuthSpec } from '../../_kit/pipeline.ts';
import { hexSignature } from '../../_kit/signed-token.ts';
import { clockNow } from '../../_kit/clock.ts';
import type { UserRow } from './types.ts';
import { viewerRow } from './viewers.ts';

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

/** The user id a signed PAT was minted for, or null when it is not one (or forged). */
export function verifyPat(secret: string, token: string): number | null {
  const m = SIGNED.exec(token);
  if (!m || !timingSafeEqualStr(m[2]!, hexSignature(secret, PURPOSE, m[1]!).slice(0, 59))) return null;
  return Number.parseInt(m[1]!, 36);
}

export function createTokenCache(db: Db, secret: string): TokenCache<{ userId: number }> {
  const stateless = (token: string) => {
    const userId = verifyPat(secret, token);
    if (userId === null) return null;
    return db.q<{ id: number }>`select id from users where id = ${userId} and type <> 'Organization'`.then((rows) => (rows[0] ? { userId } : null));
  };
  return new TokenCache(
    db,
    async (hash) => {
      const rows = await db.q<{ user_id: number }>`select user_id from tokens where hash = ${hash}`;
      return rows[0] ? { userId: rows[0].user_id } : null;
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
}

/** GitHub's credential checks, for the kit pipeline; a wrong token is refused by the rate stage, which counts it first. */
export const githubAuth: AuthSpec<GhCaller, { userId: number }> = {
  tokens: (ctx) => createTokenCache(ctx.db, ctx.env.adminSecret),
  read: credential,
  async check(token, found, _req, ctx) {
    if (token === null) return { viewer: null, bad: false };
    const viewer = found ? await viewerRow(ctx.db, found.userId) : null;
    return { viewer, bad: !viewer };
  },
};
