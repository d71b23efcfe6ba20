import type { SQL } from 'bun';
import { rngString } from '../../_kit/world.ts';
import type { KitContext } from '../../_kit/types.ts';
import { mintSecretKey, storeKey } from './auth.ts';

/**
 * POST /__asym/provision: the clone's one Stripe account (acct_… is both appId and
 * workspaceId), its two account-level principals (the agent's "bot" and an admin user),
 * and one secret key for each. Vendor objects (and fixture packs) are not tied to these
 * rows: a clone is a single account, so every key of the clone sees every object.
 */
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export async function provision(ctx: KitContext, tx: SQL): Promise<Record<string, unknown>> {
  // Ids from the world's seed, time from its clock; the secret keys stay random.
  const now = Math.floor(ctx.now().getTime() / 1000);
  const rng = ctx.rng('stripe:provision');
  const accountId = `acct_1${rngString(rng, 15, ALNUM)}`;
  const botUserId = `usr_${rngString(rng, 14, ALNUM)}`;
  const adminUserId = `usr_${rngString(rng, 14, ALNUM)}`;
  await tx`insert into accounts (id, name, country, default_currency, created) values (${accountId}, 'Asym Test Account', 'US', 'usd', ${now})`;
  await tx`insert into principals (id, account_id, role, name, email, created) values
    (${botUserId}, ${accountId}, 'bot', 'Asym Agent', null, ${now}),
    (${adminUserId}, ${accountId}, 'admin', 'Avery Admin', 'admin@asym.test', ${now})`;
  const botToken = mintSecretKey();
  const userToken = mintSecretKey();
  await storeKey(tx, botToken, accountId, botUserId, now);
  await storeKey(tx, userToken, accountId, adminUserId, now);
  return { appId: accountId, workspaceId: accountId, botUserId, adminUserId, botToken, userToken };
}
