import type { SQL } from 'bun';
import { TokenCache, hashToken, randomString } from '../../_kit/auth.ts';
import type { Db } from '../../_kit/db.ts';
import { bearerToken, type AuthSpec } from '../../_kit/pipeline.ts';
import type { AccountInfo } from './api.ts';
import { stripeError } from './errors.ts';

/**
 * Secret keys (`sk_test_…`) minted at provision and stored by SHA-256 only. A request
 * authenticates with `Authorization: Bearer <key>` (the SDK) or HTTP Basic with the key as
 * the user name (curl -u sk_test_…:).
 */
export function mintSecretKey(): string {
  return `sk_test_51${randomString(97)}`;
}

export async function storeKey(tx: SQL, key: string, accountId: string, principalId: string, created: number): Promise<void> {
  await tx`insert into api_keys (hash, account_id, principal_id, kind, last4, created)
    values (${hashToken(key)}, ${accountId}, ${principalId}, 'secret', ${key.slice(-4)}, ${created})`;
}

export function createKeyCache(db: Db): TokenCache<AccountInfo> {
  return new TokenCache<AccountInfo>(db, async (hash) => {
    const rows = await db.unsafe(
      `select k.account_id, k.principal_id, a.name, a.country, a.default_currency
         from api_keys k join accounts a on a.id = k.account_id where k.hash = $1`,
      [hash],
    );
    const r = rows[0];
    if (!r) return null;
    return {
      accountId: r.account_id as string,
      principalId: r.principal_id as string,
      accountName: r.name as string,
      country: r.country as string,
      defaultCurrency: r.default_currency as string,
    };
  });
}

function masked(key: string): string {
  const prefix = /^(sk|rk|pk)_(test|live)_/.exec(key)?.[0] ?? '';
  const tail = key.length > prefix.length + 4 ? key.slice(-4) : '';
  return `${prefix}${'*'.repeat(Math.max(4, key.length - prefix.length - tail.length))}${tail}`;
}

export function keyFrom(req: Request): string | null {
  const bearer = bearerToken(req);
  if (bearer) return bearer;
  const h = req.headers.get('authorization') ?? '';
  const basic = /^Basic\s+(.+)$/i.exec(h);
  if (basic) {
    const decoded = Buffer.from(basic[1] as string, 'base64').toString('utf8');
    return decoded.split(':')[0] ?? '';
  }
  return null;
}

/** Stripe's credential checks, for the kit pipeline (which does the cached lookup). */
export const stripeAuth: AuthSpec<AccountInfo> = {
  tokens: (ctx) => createKeyCache(ctx.db),
  read: keyFrom,
  check(key, found) {
    if (!key) {
      throw stripeError(
        401,
        "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.",
      );
    }
    if (key.startsWith('pk_')) {
      throw stripeError(401, 'This API call cannot be made with a publishable API key. Please use a secret API key. You can find a list of your API keys at https://dashboard.stripe.com/account/apikeys.', { code: 'secret_key_required' });
    }
    if (!found) throw stripeError(401, `Invalid API Key provided: ${masked(key)}`);
    return found;
  },
};
