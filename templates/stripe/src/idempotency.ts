import { hashToken } from '../../_kit/auth.ts';
import type { KitContext } from '../../_kit/types.ts';
import { stripeError } from './errors.ts';

/**
 * Idempotency-Key on POST: the first complete response is kept 24 hours in the clone's
 * Redis prefix and replayed (same status and body, `Idempotent-Replayed: true`); the same
 * key with other parameters is an idempotency_error; a key whose first request is still
 * running is idempotency_key_in_use (409). As at Stripe, requests that fail validation
 * (parameter_* errors) keep no result, so the key can be retried.
 */
export const IDEMPOTENCY_TTL = 24 * 60 * 60;

export interface Stored {
  fingerprint: string;
  status: number;
  body: string;
}

const resultKey = (account: string, key: string) => `idem:${account}:${hashToken(key)}`;
const lockKey = (account: string, key: string) => `idem-lock:${account}:${hashToken(key)}`;

export function fingerprint(method: string, path: string, raw: string): string {
  // Order-insensitive: the same parameters sent in another order are the same request.
  const parts = raw.split('&').filter(Boolean).sort().join('&');
  return hashToken(`${method} ${path}\n${parts}`);
}

/**
 * Returns the stored response to replay, or null after taking the key's lock. One Redis
 * round trip: the stored result is read and the lock tried (SET NX) together; a replay
 * gives back a lock it took.
 */
export async function begin(ctx: KitContext, account: string, key: string, fp: string): Promise<Stored | null> {
  if (key.length > 255) throw stripeError(400, 'Idempotency keys can be at most 255 characters long.', { type: 'idempotency_error' });
  const [raw, locked] = await Promise.all([ctx.redis.get(resultKey(account, key)), ctx.redis.setIfAbsent(lockKey(account, key), '1', 60)]);
  if (raw) {
    if (locked) void ctx.redis.del(lockKey(account, key)).catch(() => undefined);
    const stored = JSON.parse(raw) as Stored;
    if (stored.fingerprint !== fp) {
      throw stripeError(
        400,
        `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
        { type: 'idempotency_error', code: 'idempotency_error' },
      );
    }
    return stored;
  }
  if (!locked) {
    throw stripeError(409, 'There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through): ' + key + '. Please try again later.', {
      type: 'idempotency_error',
      code: 'idempotency_key_in_use',
    });
  }
  return null;
}

/** Keeps the result (if any) and releases the lock, in one round trip. */
export async function finish(ctx: KitContext, account: string, key: string, result: Stored | null): Promise<void> {
  await Promise.all([
    result ? ctx.redis.set(resultKey(account, key), JSON.stringify(result), IDEMPOTENCY_TTL) : undefined,
    ctx.redis.del(lockKey(account, key)),
  ]);
}
