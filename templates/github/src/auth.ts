import type { SQL } from 'bun';
import { hashToken, mintToken, randomString, TokenCache } from '../../_kit/auth.ts';
import type { Db } from '../../_kit/db.ts';

/**
 * Personal access tokens shaped as GitHub's classic ones (`ghp_` + 36 alphanumerics),
 * stored by SHA-256 hash only. The SDK sends `Authorization: token <pat>`; `Bearer` is
 * accepted too.
 */
export function mintPat(): string {
  return mintToken('ghp_', randomString(36));
}

export async function storePat(sql: SQL, token: string, userId: number, note: string, at: Date = new Date()): Promise<void> {
  await sql`insert into tokens (hash, user_id, note, created_at) values (${hashToken(token)}, ${userId}, ${note}, ${at})`;
}

export function createTokenCache(db: Db): TokenCache<{ userId: number }> {
  return new TokenCache(db, async (hash) => {
    const rows = await db.q<{ user_id: number }>`select user_id from tokens where hash = ${hash}`;
    return rows[0] ? { userId: rows[0].user_id } : null;
  });
}

/** The credential of an Authorization header, or null when there is none. */
export function credential(req: Request): string | null {
  const h = req.headers.get('authorization');
  if (!h) return null;
  const m = /^(?:token|bearer)\s+(\S+)\s*$/i.exec(h.trim());
  return m ? (m[1] ?? '') : h.trim();
}
