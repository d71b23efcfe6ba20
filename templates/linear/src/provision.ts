import type { SQL } from 'bun';
import { randomString } from '../../_kit/auth.ts';
import type { KitContext } from '../../_kit/types.ts';
import { mintApiKey, mintOauthToken, storeToken } from './auth.ts';
import { insertDefaultStates } from './handlers/teams.ts';

/**
 * POST /__asym/provision: the workspace (organization), its admin (whose personal API key
 * is the bot token the agent uses), an OAuth token for the same admin, and one team (ENG)
 * with Linear's default workflow states. Ids are fixed so fixture packs can name them.
 */
export const ORG_ID = '1e000000-0000-4000-8000-000000000001';
export const ADMIN_ID = '1e000000-0000-4000-8000-0000000000a1';
export const TEAM_ID = '1e000000-0000-4000-8000-0000000000e1';

export async function provision(_ctx: KitContext, tx: SQL): Promise<Record<string, unknown>> {
  const at = '2026-01-05T09:00:00.000Z';
  await tx`insert into organization (id, name, url_key, created_at, updated_at) values (${ORG_ID}, 'Acme', 'acme', ${at}, ${at})`;
  await tx`insert into users (id, name, display_name, email, admin, created_at, updated_at) values (${ADMIN_ID}, 'Avery Admin', 'avery', 'avery@acme.test', true, ${at}, ${at})`;
  await tx`insert into teams (id, key, name, created_at, updated_at) values (${TEAM_ID}, 'ENG', 'Engineering', ${at}, ${at})`;
  await insertDefaultStates(tx, TEAM_ID);
  await tx`update workflow_states set created_at = ${at}, updated_at = ${at} where team_id = ${TEAM_ID}`;
  await tx`insert into team_members (id, team_id, user_id, owner, created_at, updated_at) values ('1e000000-0000-4000-8000-0000000000f1', ${TEAM_ID}, ${ADMIN_ID}, true, ${at}, ${at})`;
  const botToken = mintApiKey();
  const userToken = mintOauthToken();
  await storeToken(tx, botToken, ADMIN_ID, 'api_key');
  await storeToken(tx, userToken, ADMIN_ID, 'oauth');
  const webhookSecret = `lin_wh_${randomString(32)}`;
  await tx`insert into asym_meta (key, value) values ('webhook_secret', ${JSON.stringify(webhookSecret)}::text::jsonb)`;
  return { appId: ORG_ID, workspaceId: ORG_ID, botUserId: ADMIN_ID, adminUserId: ADMIN_ID, teamId: TEAM_ID, botToken, userToken, signingSecret: webhookSecret };
}
