import type { Db } from './db.ts';

/**
 * Tokens are minted here and stored by SHA-256 hash only: the plaintext leaves the clone
 * once (the provision answer) and lives on in the CLI's 0600 registry, never in the DB.
 */

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function randomString(length: number, alphabet = ALNUM): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  let out = '';
  for (const b of bytes) out += alphabet[b % alphabet.length];
  return out;
}

/** A vendor-shaped token: `prefix` + random body (e.g. "xoxb-" + "123-456-abc"). */
export function mintToken(prefix: string, body: string = randomString(32)): string {
  return `${prefix}${body}`;
}

export function hashToken(token: string): string {
  return new Bun.CryptoHasher('sha256').update(token).digest('hex');
}

export function timingSafeEqualStr(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  if (ab.length !== bb.length) return false;
  return crypto.timingSafeEqual(ab, bb);
}

/**
 * Token lookup by hash with an in-memory cache. The template supplies the query (its
 * token table is its own); the cache is dropped whenever the database is released, so a
 * reset clone never honours a token minted before the reset.
 */
export class TokenCache<T> {
  readonly #cache = new Map<string, T | null>();
  readonly #lookup: (hash: string) => Promise<T | null>;
  readonly #stateless: ((token: string) => Promise<T | null> | null) | undefined;

  /**
   * `stateless` recognises tokens that are verified rather than stored (signed-token.ts): it
   * returns null for a token not of its shape, which then goes to the stored lookup.
   */
  constructor(db: Db, lookup: (hash: string) => Promise<T | null>, stateless?: (token: string) => Promise<T | null> | null) {
    this.#lookup = lookup;
    this.#stateless = stateless;
    db.onRelease(() => this.clear());
  }

  async resolve(token: string): Promise<T | null> {
    const hash = hashToken(token);
    if (this.#cache.has(hash)) return this.#cache.get(hash) ?? null;
    const found = await (this.#stateless?.(token) ?? this.#lookup(hash));
    // Misses are not cached: a token may be minted (admin user-token) right after a miss.
    if (found) this.#cache.set(hash, found);
    return found;
  }

  invalidate(token: string): void {
    this.#cache.delete(hashToken(token));
  }

  clear(): void {
    this.#cache.clear();
  }
}
