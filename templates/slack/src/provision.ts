import type { SQL } from 'bun';
import { randomString } from '../../_kit/auth.ts';
import type { KitContext } from '../../_kit/types.ts';
import { mintBotToken, mintUserToken, storeToken } from './auth.ts';
import { slackId } from './ids.ts';
import { ADMIN_USER_SCOPES, BOT_SCOPES } from './scopes.ts';

/**
 * POST /__asym/provision: the workspace (T…), its #general, an admin person, the default
 * app (A…) with its bot (B…) and bot user (U…). Tokens are returned here once and stored
 * only as hashes. Fixture packs attach to these rows by lookup (see fixtures/README).
 */
export async function provision(ctx: KitContext, tx: SQL): Promise<Record<string, unknown>> {
  // Ids from the world's seed and time from its clock: every clone of one world is the same
  // workspace. The signing secret and tokens below stay random.
  const now = Math.floor(ctx.now().getTime() / 1000);
  const rng = ctx.rng('slack:provision');
  const teamId = slackId('T', rng);
  const appId = slackId('A', rng);
  const botId = slackId('B', rng);
  const botUserId = slackId('U', rng);
  const adminUserId = slackId('U', rng);
  const generalId = slackId('C', rng);
  const signingSecret = randomString(32, '0123456789abcdef');
  const verificationToken = randomString(24);

  await tx`insert into teams (id, name, domain, email_domain, created) values (${teamId}, 'Acme', 'acme', 'acme.test', ${now})`;
  await tx`insert into users (id, team_id, name, real_name, display_name, email, title, is_admin, is_owner, is_primary_owner, color, updated)
    values (${adminUserId}, ${teamId}, 'admin', 'Avery Admin', 'avery', 'admin@acme.test', 'Workspace Admin', true, true, true, '4bbe2e', ${now})`;
  await tx`insert into users (id, team_id, name, real_name, display_name, is_bot, bot_id, app_id, color, tz, updated)
    values (${botUserId}, ${teamId}, 'asym-bot', 'Asym Bot', 'Asym Bot', true, ${botId}, ${appId}, '3c989f', 'America/Los_Angeles', ${now})`;
  await tx`insert into apps (id, team_id, name, bot_id, bot_user_id, signing_secret, verification_token, created)
    values (${appId}, ${teamId}, 'Asym Bot', ${botId}, ${botUserId}, ${signingSecret}, ${verificationToken}, ${now})`;
  await tx`insert into conversations (id, team_id, name, kind, is_general, creator, created, updated, purpose, purpose_creator, purpose_last_set)
    values (${generalId}, ${teamId}, 'general', 'channel', true, ${adminUserId}, ${now}, ${now},
      'This is the one channel that will always include everyone.', ${adminUserId}, ${now})`;
  await tx`insert into members (conversation_id, user_id, joined) values (${generalId}, ${adminUserId}, ${now})`;

  const botToken = mintBotToken();
  const userToken = mintUserToken();
  await storeToken(tx, botToken, { kind: 'bot', teamId, userId: botUserId, appId, scopes: BOT_SCOPES, created: now });
  await storeToken(tx, userToken, { kind: 'user', teamId, userId: adminUserId, appId, scopes: ADMIN_USER_SCOPES, created: now });

  return { appId, workspaceId: teamId, botUserId, adminUserId, botToken, userToken, botId, signingSecret, generalChannelId: generalId };
}
