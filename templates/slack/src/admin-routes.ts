import { KitError } from '../../_kit/errors.ts';
import { json } from '../../_kit/http.ts';
import type { KitContext } from '../../_kit/types.ts';
import { mintUserToken, storeToken } from './auth.ts';
import { deliveries } from './events.ts';
import { nowSeconds } from './ids.ts';
import { defaultApp } from './store.ts';
import { USER_SCOPES } from './scopes.ts';

/**
 * Slack-specific admin endpoints (already guarded by X-Asym-Admin):
 *  POST /__asym/slack/user-token {user, scopes?}  mint an xoxp- token for any person, so a
 *       harness can talk to the bot under test as that person.
 *  GET  /__asym/slack/events                     recent Events API deliveries.
 */
export async function slackAdminRoutes(req: Request, url: URL, ctx: KitContext): Promise<Response | null> {
  if (url.pathname === '/__asym/slack/user-token' && req.method === 'POST') {
    let body: { user?: unknown; scopes?: unknown };
    try {
      body = (await req.json()) as typeof body;
    } catch {
      throw new KitError('invalid_json', 'body must be JSON {"user": "<id or name>"}', { status: 400 });
    }
    const who = typeof body.user === 'string' ? body.user.replace(/^@/, '') : '';
    if (!who) throw new KitError('invalid_user', 'user (id or name) is required', { status: 400 });
    const scopes = Array.isArray(body.scopes) ? body.scopes.map(String) : USER_SCOPES;
    const rows = await ctx.db.q<{ id: string; team_id: string; is_bot: boolean; name: string }>`
      select id, team_id, is_bot, name from users where (id = ${who} or name = ${who} or lower(email) = ${who.toLowerCase()}) and not deleted limit 1`;
    const user = rows[0];
    if (!user) throw new KitError('user_not_found', `no user ${who}`, { status: 404 });
    if (user.is_bot) throw new KitError('invalid_user', 'bot users get the bot token from provision', { status: 400 });
    const app = await defaultApp(ctx.db);
    const token = mintUserToken();
    await ctx.db.run((sql) => storeToken(sql, token, { kind: 'user', teamId: user.team_id, userId: user.id, appId: app?.id ?? null, scopes, created: nowSeconds() }));
    return json({ ok: true, user_id: user.id, name: user.name, token, scopes });
  }
  if (url.pathname === '/__asym/slack/events' && req.method === 'GET') {
    return json({ ok: true, deliveries });
  }
  return null;
}
