import type { SQL } from 'bun';
import type { KitContext } from '../../_kit/types.ts';
import { mintToken, storeToken } from './auth.ts';

/**
 * POST /__asym/provision: the workspace, its internal integration (the bot user the agent
 * acts as) and the admin person, each with an `ntn_` secret stored by hash. Ids are fixed
 * so fixture packs can name them and stay byte-identical across clones.
 */
export const WORKSPACE_ID = '7c1f0000-0000-4000-8000-000000000001';
export const BOT_ID = '7c1f0000-0000-4000-8000-0000000000b0';
export const ADMIN_ID = '7c1f0000-0000-4000-8000-0000000000a1';

export async function provision(ctx: KitContext, tx: SQL): Promise<Record<string, unknown>> {
  await tx`insert into workspace (id, name) values (${WORKSPACE_ID}, 'Acme Workspace')`;
  await tx`insert into users (id, type, name, avatar_url, email) values
    (${BOT_ID}, 'bot', 'Asym Integration', null, null),
    (${ADMIN_ID}, 'person', 'Avery Admin', null, 'admin@asym.test')`;
  const botToken = mintToken();
  const userToken = mintToken();
  await storeToken(tx, botToken, BOT_ID, ctx.now());
  await storeToken(tx, userToken, ADMIN_ID, ctx.now());
  return { appId: BOT_ID, workspaceId: WORKSPACE_ID, botUserId: BOT_ID, adminUserId: ADMIN_ID, botToken, userToken };
}
