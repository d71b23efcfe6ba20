import { KitError } from '../../_kit/errors.ts';
import { json } from '../../_kit/http.ts';
import type { KitContext } from '../../_kit/types.ts';
import { signUserToken } from './auth.ts';
import { deliveries } from './events.ts';
import { simulateAccept, simulateIncoming, simulateRequest, type SimulatedParty } from './handlers/connect.ts';
import { defaultApp } from './store.ts';
import { USER_SCOPES } from './scopes.ts';

/**
 * Slack-specific admin endpoints (already guarded by X-Asym-Admin):
 *  POST /__asym/slack/user-token {user, scopes?}  mint an xoxp- token for any person, so a
 *       harness can talk to the bot under test as that person. The token is signed with the
 *       clone's secret, not stored: minting writes nothing (asym diff stays empty).
 *  GET  /__asym/slack/events                     recent Events API deliveries.
 *  POST /__asym/slack/connect/invites {channel_name, is_private?, team?, user?, to?: {email|user}}
 *       another organisation sends a Slack Connect invite here (acceptSharedInvite takes it).
 *  POST /__asym/slack/connect/accept {invite_id, team?, user?}
 *       the external recipient accepts an outgoing invite (approve/declineSharedInvite next).
 *  POST /__asym/slack/connect/requests {channel, user, email, message?, is_external_limited?}
 *       a member asks to invite an external person (requestSharedInvite.* handle it).
 *  GET  /__asym/slack/canvases                   stored channel canvases with their markdown.
 */
async function jsonBody(req: Request): Promise<Record<string, unknown>> {
  try {
    const v = (await req.json()) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // refused below
  }
  throw new KitError('invalid_json', 'body must be a JSON object', { status: 400 });
}

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
    const app = await defaultApp(ctx);
    // Signed, not stored: handing out a token to act as someone must not change the world.
    const token = signUserToken(ctx.env.adminSecret, user.id, app?.id ?? null, scopes);
    return json({ ok: true, user_id: user.id, name: user.name, token, scopes });
  }
  if (url.pathname === '/__asym/slack/events' && req.method === 'GET') {
    return json({ ok: true, deliveries });
  }
  if (url.pathname === '/__asym/slack/canvases' && req.method === 'GET') {
    const rows = await ctx.db.q`select id, conversation_id as channel_id, creator, title, markdown, created from canvases order by created, id`;
    return json({ ok: true, canvases: rows.map((r) => ({ ...r, created: Number(r.created) })) });
  }
  if (url.pathname.startsWith('/__asym/slack/connect/') && req.method === 'POST') {
    const body = await jsonBody(req);
    let out: Record<string, unknown> | null = null;
    if (url.pathname === '/__asym/slack/connect/invites') out = await simulateIncoming(ctx, body as Parameters<typeof simulateIncoming>[1]);
    else if (url.pathname === '/__asym/slack/connect/accept') out = await simulateAccept(ctx, body.invite_id, body as SimulatedParty);
    else if (url.pathname === '/__asym/slack/connect/requests') out = await simulateRequest(ctx, body);
    if (out) return json(out, out.ok ? 200 : 400);
  }
  return null;
}
