import { createHmac } from 'node:crypto';
import type { KitContext } from '../../_kit/types.ts';
import { randomString } from '../../_kit/auth.ts';
import { atClockTime } from '../../_kit/clock.ts';
import { slackId } from './ids.ts';
import { defaultApp, getTeam, isMember } from './store.ts';

/**
 * Events API delivery. When POST /__asym/config {"events":{"requestUrl":...}} is set, each
 * change is POSTed as an event_callback to that URL, signed like Slack
 * (v0=HMAC-SHA256(signing_secret, "v0:<ts>:<body>")) and retried up to 3 times with
 * backoff (X-Slack-Retry-Num / X-Slack-Retry-Reason) on a non-2xx, a timeout or a
 * refused connection. Conversation events (message, reaction_*, pin_*, member_*) go out
 * only for conversations the app's bot user belongs to, as Slack does for bot
 * subscriptions; workspace events (channel_*) always go out.
 */

export interface EventsConfig {
  requestUrl: string | null;
  retryDelaysMs: number[];
  timeoutMs: number;
  /** Event types to deliver; empty = all. */
  types: string[];
}

export function eventsConfig(config: Record<string, unknown>): EventsConfig {
  const ev = (config.events ?? {}) as Partial<EventsConfig>;
  return {
    requestUrl: typeof ev.requestUrl === 'string' && ev.requestUrl ? ev.requestUrl : null,
    retryDelaysMs: Array.isArray(ev.retryDelaysMs) ? ev.retryDelaysMs.slice(0, 3).map(Number) : [1000, 5000, 25000],
    timeoutMs: typeof ev.timeoutMs === 'number' ? ev.timeoutMs : 3000,
    types: Array.isArray(ev.types) ? ev.types.map(String) : [],
  };
}

export interface DeliveryRecord {
  event_id: string;
  type: string;
  attempts: number;
  status: number | null;
  delivered: boolean;
  last_error: string | null;
}

/** The last deliveries, newest last, for GET /__asym/slack/events (debugging a harness). */
export const deliveries: DeliveryRecord[] = [];
const pendingTimers = new Set<{ cancel(): void }>();

export function signBody(secret: string, timestamp: string, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export function stopEventTimers(): void {
  for (const t of pendingTimers) t.cancel();
  pendingTimers.clear();
}

const CONVERSATION_EVENTS = new Set(['message', 'app_mention', 'reaction_added', 'reaction_removed', 'pin_added', 'pin_removed', 'member_joined_channel', 'member_left_channel']);

/** Fire-and-forget: never throws, never delays the API response. */
export function emitEvent(ctx: KitContext, event: Record<string, unknown>, conversationId?: string): void {
  void deliver(ctx, event, conversationId).catch((e) => ctx.log(`event delivery failed: ${(e as Error).message}`));
}

async function deliver(ctx: KitContext, event: Record<string, unknown>, conversationId?: string): Promise<void> {
  const cfg = eventsConfig(await ctx.config());
  if (!cfg.requestUrl) return;
  const type = String(event.type);
  if (cfg.types.length && !cfg.types.includes(type)) return;
  const [app, team] = await Promise.all([defaultApp(ctx), getTeam(ctx)]);
  if (!app || !team) return;
  if (conversationId && CONVERSATION_EVENTS.has(type) && !(await isMember(ctx.db, conversationId, app.bot_user_id))) return;

  const now = ctx.now().getTime();
  const eventTs = (event.event_ts as string | undefined) ?? `${Math.floor(now / 1000)}.${String((now % 1000) * 1000).padStart(6, '0')}`;
  const payload = {
    token: app.verification_token,
    team_id: team.id,
    context_team_id: team.id,
    context_enterprise_id: null,
    api_app_id: app.id,
    event: { ...event, event_ts: eventTs },
    type: 'event_callback',
    event_id: slackId('Ev'),
    event_time: Math.floor(now / 1000),
    authorizations: [{ enterprise_id: null, team_id: team.id, user_id: app.bot_user_id, is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
    event_context: `4-${randomString(40)}`,
  };
  const record: DeliveryRecord = { event_id: payload.event_id, type, attempts: 0, status: null, delivered: false, last_error: null };
  deliveries.push(record);
  if (deliveries.length > 200) deliveries.shift();
  await attempt(ctx, cfg, cfg.requestUrl, app.signing_secret, JSON.stringify(payload), record, 0, null);
}

async function attempt(ctx: KitContext, cfg: EventsConfig, url: string, secret: string, body: string, record: DeliveryRecord, retryNum: number, reason: string | null): Promise<void> {
  // The signature's timestamp stays on the wall clock: the receiving app (Bolt) refuses a
  // request whose timestamp is more than five minutes from its own time.
  const ts = String(Math.floor(Date.now() / 1000));
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
    'x-slack-request-timestamp': ts,
    'x-slack-signature': signBody(secret, ts, body),
  };
  if (retryNum > 0) {
    headers['x-slack-retry-num'] = String(retryNum);
    headers['x-slack-retry-reason'] = reason ?? 'unknown_error';
  }
  record.attempts++;
  let failure: string | null = null;
  try {
    const res = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(cfg.timeoutMs), redirect: 'manual' });
    record.status = res.status;
    await res.arrayBuffer().catch(() => undefined);
    if (res.status >= 200 && res.status < 300) {
      record.delivered = true;
      return;
    }
    failure = res.status >= 300 && res.status < 400 ? 'too_many_redirects' : 'http_error';
  } catch (e) {
    const name = (e as Error).name;
    failure = name === 'TimeoutError' || name === 'AbortError' ? 'http_timeout' : 'connection_failed';
  }
  record.last_error = failure;
  const delay = cfg.retryDelaysMs[retryNum];
  if (delay === undefined) return;
  // The retry is due on the clone's clock: advancing the clock past it sends it at once,
  // a frozen clock holds it.
  const timer = atClockTime(ctx.now().getTime() + delay, () => {
    pendingTimers.delete(timer);
    void attempt(ctx, cfg, url, secret, body, record, retryNum + 1, failure).catch(() => undefined);
  });
  pendingTimers.add(timer);
}

export interface VerifyOutcome {
  verified: boolean;
  status: number | null;
  /** http_error, http_timeout, connection_failed, wrong_challenge, no_app; null when verified. */
  error: string | null;
}

/**
 * Slack's url_verification handshake: POST {token, challenge, type:"url_verification"},
 * signed like every event; verified when the receiver answers 2xx with the challenge, as
 * plain text or as JSON {"challenge": ...}.
 */
export async function verifyRequestUrl(url: string, secret: string, token: string, timeoutMs: number): Promise<VerifyOutcome> {
  const challenge = randomString(48);
  const body = JSON.stringify({ token, challenge, type: 'url_verification' });
  const ts = String(Math.floor(Date.now() / 1000)); // wall clock: the app checks it against its own
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      body,
      redirect: 'manual',
      headers: { 'content-type': 'application/json', 'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)', 'x-slack-request-timestamp': ts, 'x-slack-signature': signBody(secret, ts, body) },
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (e) {
    const name = (e as Error).name;
    return { verified: false, status: null, error: name === 'TimeoutError' || name === 'AbortError' ? 'http_timeout' : 'connection_failed' };
  }
  const text = await res.text().catch(() => '');
  if (res.status < 200 || res.status >= 300) return { verified: false, status: res.status, error: 'http_error' };
  let echoed = text.trim() === challenge;
  if (!echoed) {
    try {
      echoed = (JSON.parse(text) as { challenge?: unknown }).challenge === challenge;
    } catch {
      echoed = false;
    }
  }
  return { verified: echoed, status: res.status, error: echoed ? null : 'wrong_challenge' };
}

/**
 * The handshake for a config change: reads the default app's secrets, sends the challenge,
 * and records the outcome in the deliveries log.
 */
export async function verifyAppRequestUrl(ctx: KitContext, url: string, timeoutMs: number): Promise<VerifyOutcome> {
  const [app] = await ctx.db.q<{ signing_secret: string; verification_token: string }>`select signing_secret, verification_token from apps order by created, id limit 1`;
  const outcome: VerifyOutcome = app ? await verifyRequestUrl(url, app.signing_secret, app.verification_token, timeoutMs) : { verified: false, status: null, error: 'no_app' };
  deliveries.push({ event_id: '', type: 'url_verification', attempts: 1, status: outcome.status, delivered: outcome.verified, last_error: outcome.error });
  if (deliveries.length > 200) deliveries.shift();
  return outcome;
}
