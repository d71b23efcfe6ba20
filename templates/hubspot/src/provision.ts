import type { SQL } from 'bun';
import type { KitContext } from '../../_kit/types.ts';
import { mintToken, storeToken } from './auth.ts';

/**
 * POST /__asym/provision: the clone's portal, its private app's service user ("bot") and an
 * admin user, each with a `pat-na1-` token stored by hash. Ids are fixed so fixture packs
 * are byte-identical across clones; CRM object ids start at 50000001 at runtime.
 */
export const PORTAL_ID = 24601000;
export const APP_ID = 3141592;
export const BOT_ID = 1001;
export const ADMIN_ID = 1002;

export async function provision(ctx: KitContext, tx: SQL): Promise<Record<string, unknown>> {
  await tx`insert into portals (id, name, created_at) values (${PORTAL_ID}, 'Asym Test Portal', ${ctx.now()})`;
  await tx`insert into principals (id, portal_id, role, email, first_name, last_name) values
    (${BOT_ID}, ${PORTAL_ID}, 'bot', 'private-app@asym.test', 'Asym', 'Agent'),
    (${ADMIN_ID}, ${PORTAL_ID}, 'admin', 'admin@asym.test', 'Avery', 'Admin')`;
  const botToken = mintToken();
  const userToken = mintToken();
  await storeToken(tx, botToken, BOT_ID, ctx.now());
  await storeToken(tx, userToken, ADMIN_ID, ctx.now());
  return {
    appId: String(APP_ID),
    workspaceId: String(PORTAL_ID),
    botUserId: String(BOT_ID),
    adminUserId: String(ADMIN_ID),
    botToken,
    userToken,
    portalId: String(PORTAL_ID),
  };
}
