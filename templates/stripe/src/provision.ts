import type { SQL } from 'bun';
import { randomString } from '../../_kit/auth.ts';
import type { KitContext } from '../../_kit/types.ts';
import { mintSecretKey, storeKey } from './auth.ts';
import { nowSeconds } from './ids.ts';

/**
 * POST /__asym/provision: the clone's one Stripe account (acct_… is both appId and
 * workspaceId), its two account-level principals (the agent's "bot" and an admin user),
 * and one secret key for each. Vendor objects (and fixture packs) are not tied to these
 * rows: a clone is a single account, so every key of the clone sees every object.
 */
export async function provision(_ctx: KitContext, tx: SQL): Promise<Record<string, unknown>> {
  const now = nowSeconds();
  const accountId = `acct_1${randomString(15)}`;
  const botUserId = `usr_${randomString(14)}`;
  const adminUserId = `usr_${randomString(14)}`;
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
