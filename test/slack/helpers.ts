import { WebClient } from '@slack/web-api';
import { expect } from 'bun:test';
import { slackShapeErrors } from '../../src/verify/schemas.ts';
import type { SlackHost } from '../support/slack-host.ts';

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

/** Every field we return must exist in Slack's sample for the method with the same JSON type. */
export async function expectSlackShape(method: string, response: unknown): Promise<void> {
  expect(slackShapeErrors(method, response)).toEqual([]);
}
