import { WebClient } from '@slack/web-api';
import { expect } from 'bun:test';
import { slackShapeErrors } from '../../templates/slack/verify/shapes.ts';
import { startSlackOnHost, type SlackHost } from '../support/slack-host.ts';

/** Test helpers: SDK clients pointed at a clone, admin calls, and shape checks against Slack's samples. */

export function client(host: SlackHost, token: string): WebClient {
  // No retries and rate limits rejected: a test wants to see the first answer.
  return new WebClient(token, { slackApiUrl: `${host.apiUrl}/api/`, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true });
}

export async function admin(host: SlackHost, path: string, body?: unknown, method = 'POST'): Promise<{ status: number; body: any }> {
  const res = await fetch(`${host.apiUrl}${path}`, {
    method,
    headers: { 'x-asym-admin': host.adminSecret, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

/** The Slack error code of a rejected SDK call. */
export async function slackError(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return (e as { data?: { error?: string } }).data?.error ?? (e as { code?: string }).code ?? String(e);
  }
  return 'no_error';
}

/**
 * Every field Slack's sample or description knows must have Slack's JSON kind. Missing and
 * undocumented fields are left to `asym verify`, which scores them (its shape score); these
 * suites test behaviour and would otherwise all fail on the same few known gaps.
 */
export async function expectSlackShape(method: string, response: unknown): Promise<void> {
  expect(slackShapeErrors(method, response).filter((p) => / expected \S+, got /.test(p))).toEqual([]);
}

/**
 * A Slack server on the host with a second person, carol, and a channel `name` that the
 * user, the bot and carol are in: the setup several suites share.
 */
export async function hostWithCarol(name: string): Promise<{ host: SlackHost; bot: WebClient; user: WebClient; carol: WebClient; carolToken: string; carolId: string; ch: string }> {
  const host = await startSlackOnHost();
  const bot = client(host, host.tokens.botToken);
  const user = client(host, host.tokens.userToken);
  const seeded = await admin(host, '/__asym/seed', { records: { users: [{ name: 'carol', real_name: 'Carol Okafor', email: 'carol@acme.test' }] } });
  expect(seeded.body.written).toBe(1);
  const tok = await admin(host, '/__asym/slack/user-token', { user: 'carol' });
  const carolToken: string = tok.body.token;
  const carolId: string = tok.body.user_id;
  const ch = (await user.conversations.create({ name })).channel!.id!;
  await user.conversations.invite({ channel: ch, users: `${host.tokens.botUserId},${carolId}` });
  return { host, bot, user, carol: client(host, carolToken), carolToken, carolId, ch };
}
