import { WebClient } from '@slack/web-api';
import { expect } from 'bun:test';
import { join } from 'node:path';
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

const SAMPLES = '/work/shared/reference/specs/slack-samples';
const samples = new Map<string, unknown>();

async function sample(method: string): Promise<unknown> {
  if (!samples.has(method)) {
    const f = Bun.file(join(process.env.ASYM_SLACK_SAMPLES ?? SAMPLES, `${method}.json`));
    samples.set(method, (await f.exists()) ? await f.json() : null);
  }
  return samples.get(method);
}

// User content (blocks, attachments, metadata) is the caller's, not Slack's shape.
const OPAQUE = new Set(['blocks', 'attachments', 'metadata', 'event_payload', 'response_metadata', 'fields']);
// Fields Slack returns that the (2021-era, merged) samples happen to lack.
const KNOWN_EXTRA = new Set(['status_emoji_display_info', 'pinned_to', 'parent_conversation', 'req_method', 'is_open', 'last_read', 'num_members', 'not_in_channel', 'no_op', 'already_open', 'already_closed', 'warning', 'paging', 'is_member', 'user_id', 'updated', 'context_team_id', 'subtype', 'edited', 'reactions', 'username', 'icons', 'client_msg_id', 'is_locked', 'subscribed', 'hidden',
  // pins.list samples hold only file pins; message pins carry channel + message (Slack docs).
  'channel', 'message', 'team']);

function kind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

function compare(ours: unknown, theirs: unknown, path: string, problems: string[]): void {
  if (theirs === undefined || ours === null || theirs === null) return;
  const a = kind(ours);
  const b = kind(theirs);
  if (a !== b) {
    problems.push(`${path}: ${a} where Slack has ${b}`);
    return;
  }
  if (a === 'array') {
    const model = (theirs as unknown[])[0];
    for (const [i, x] of (ours as unknown[]).slice(0, 20).entries()) compare(x, model, `${path}[${i}]`, problems);
    return;
  }
  if (a === 'object') {
    const t = theirs as Record<string, unknown>;
    for (const [k, v] of Object.entries(ours as Record<string, unknown>)) {
      if (OPAQUE.has(k)) continue;
      if (!(k in t)) {
        if (!KNOWN_EXTRA.has(k)) problems.push(`${path}.${k}: not in Slack's sample`);
        continue;
      }
      compare(v, t[k], `${path}.${k}`, problems);
    }
  }
}

/**
 * Every field we return must exist in Slack's sample for the method with the same JSON
 * type (samples are supersets merged from real responses, values masked).
 */
export async function expectSlackShape(method: string, response: unknown): Promise<void> {
  const s = await sample(method);
  if (!s) return;
  const problems: string[] = [];
  compare(response, s, method, problems);
  expect(problems).toEqual([]);
}
