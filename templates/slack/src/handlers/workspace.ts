import { str } from '../../../_kit/http.ts';
import { fail } from '../errors.ts';
import { avatarUrl } from '../render.ts';
import { defaultApp, getTeam, getUser } from '../store.ts';
import type { Handler } from '../types.ts';

/** auth.test, team.info, bots.info: who am I, which workspace, which bot. */

const authTest: Handler = async (call) => {
  const [team, user] = await Promise.all([getTeam(call.ctx), getUser(call.ctx.db, call.caller.userId)]);
  const out: Record<string, unknown> = {
    url: `${call.ctx.env.publicUrl}/`,
    team: team?.name ?? '',
    user: user?.name ?? '',
    team_id: call.caller.teamId,
    user_id: call.caller.userId,
  };
  if (call.caller.kind === 'bot') out.bot_id = call.caller.botId;
  out.is_enterprise_install = false;
  return out;
};

const teamInfo: Handler = async (call) => {
  const team = await getTeam(call.ctx);
  const wanted = str(call.params.team);
  if (!team || (wanted && wanted !== team.id)) fail('team_not_found');
  return {
    team: {
      id: team.id,
      name: team.name,
      url: `${call.ctx.env.publicUrl}/`,
      domain: team.domain,
      email_domain: team.email_domain,
      icon: { image_default: true, image_34: `${call.ctx.env.publicUrl}/avatars/${team.id}/34.png`, image_44: `${call.ctx.env.publicUrl}/avatars/${team.id}/44.png` },
      avatar_base_url: `${call.ctx.env.publicUrl}/avatars/`,
      is_verified: false,
      lob_sales_home_enabled: false,
    },
  };
};

const botsInfo: Handler = async (call) => {
  const app = await defaultApp(call.ctx);
  const wanted = str(call.params.bot) ?? call.caller.botId;
  if (!app || (wanted && wanted !== app.bot_id)) fail('bot_not_found');
  return {
    bot: {
      id: app.bot_id,
      deleted: false,
      name: app.name,
      updated: Number(app.created),
      app_id: app.id,
      user_id: app.bot_user_id,
      icons: { image_36: avatarUrl(call.ctx.env.publicUrl, app.bot_user_id, 36), image_48: avatarUrl(call.ctx.env.publicUrl, app.bot_user_id, 48), image_72: avatarUrl(call.ctx.env.publicUrl, app.bot_user_id, 72) },
    },
  };
};

export const workspaceMethods: Record<string, Handler> = {
  'auth.test': authTest,
  'team.info': teamInfo,
  'bots.info': botsInfo,
};
