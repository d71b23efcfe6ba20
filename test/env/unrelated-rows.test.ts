import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { SQL } from 'bun';
import { WebClient } from '@slack/web-api';
import Stripe from 'stripe';
import type { SlackTokens } from '../support/slack-host.ts';
import { startTemplateOnHost, type HostClone } from '../support/template-host.ts';

/**
 * No query whose cost grows with unrelated rows: with ~20k rows elsewhere in the same tables
 * (another channel's messages, reactions and pins; other Stripe kinds), Slack's
 * conversations.history and Stripe's customers.create/list must reach their rows through an
 * index. Measured on the real handlers' SQL by Postgres' own per-table counters
 * (pg_stat_user_tables.seq_scan / idx_scan), not by timing.
 */

const UNRELATED = 20_000;

type Counts = Record<string, { seq: number; idx: number }>;

async function counts(sql: SQL, tables: string[]): Promise<Counts> {
  await sql`select pg_stat_clear_snapshot()`;
  const rows = await sql<{ relname: string; seq_scan: string; idx_scan: string | null }[]>`
    select relname, seq_scan, idx_scan from pg_stat_user_tables where relname = any(${tables}::text[])`;
  return Object.fromEntries(rows.map((r) => [r.relname, { seq: Number(r.seq_scan), idx: Number(r.idx_scan ?? 0) }]));
}

/** Backends report their counters up to a second after going idle: wait until nothing moves. */
async function settled(sql: SQL, tables: string[]): Promise<Counts> {
  let last = JSON.stringify(await counts(sql, tables));
  for (let i = 0; i < 20; i++) {
    await Bun.sleep(1200);
    const now = JSON.stringify(await counts(sql, tables));
    if (now === last) return JSON.parse(now) as Counts;
    last = now;
  }
  throw new TypeError(`table counters never settled: ${last}`);
}

/** Scans `fn` made on `tables`: sequential and index, per table. */
async function scansOf(sql: SQL, tables: string[], fn: () => Promise<unknown>): Promise<Counts> {
  const before = await settled(sql, tables);
  await fn();
  const after = await settled(sql, tables);
  return Object.fromEntries(tables.map((t) => [t, { seq: after[t]!.seq - before[t]!.seq, idx: after[t]!.idx - before[t]!.idx }]));
}

describe('Slack conversations.history beside 20k unrelated rows', () => {
  let host: HostClone<SlackTokens>;
  let sql: SQL;
  let bot: WebClient;
  let ch = '';

  beforeAll(async () => {
    host = await startTemplateOnHost<SlackTokens>('slack');
    sql = new SQL(host.databaseUrl, { max: 1 });
    bot = new WebClient(host.tokens.botToken, { slackApiUrl: `${host.endpoints.api}/api/`, retryConfig: { retries: 0 } });
    const user = new WebClient(host.tokens.userToken, { slackApiUrl: `${host.endpoints.api}/api/`, retryConfig: { retries: 0 } });
    ch = (await user.conversations.create({ name: 'measured' })).channel!.id!;
    await user.conversations.invite({ channel: ch, users: host.tokens.botUserId });
    for (let i = 0; i < 5; i++) {
      const m = await bot.chat.postMessage({ channel: ch, text: `mine ${i}` });
      if (i === 0) {
        await bot.reactions.add({ channel: ch, timestamp: m.ts!, name: 'tada' });
        await bot.pins.add({ channel: ch, timestamp: m.ts! });
        await bot.chat.postMessage({ channel: ch, text: 'a reply', thread_ts: m.ts! });
      }
    }
    // The unrelated rows: another channel's messages, with reactions, pins and thread replies.
    const other = host.tokens.generalChannelId;
    const team = host.tokens.workspaceId;
    const who = host.tokens.botUserId;
    await sql.unsafe(`insert into messages (conversation_id, ts, team_id, user_id, text, thread_ts)
      select '${other}', (1600000000 + g)::text || '.000100', '${team}', '${who}', 'noise ' || g,
        case when g % 10 = 0 then (1600000000 + g - 1)::text || '.000100' end
      from generate_series(1, ${UNRELATED}) g`);
    await sql.unsafe(`insert into reactions (conversation_id, message_ts, name, user_id)
      select '${other}', (1600000000 + g)::text || '.000100', 'eyes', '${who}' from generate_series(1, ${UNRELATED}) g`);
    await sql.unsafe(`insert into pins (conversation_id, message_ts, pinned_by, created)
      select '${other}', (1600000000 + g)::text || '.000100', '${who}', 1600000000 from generate_series(1, ${UNRELATED}, 2) g`);
    await sql`analyze`;
    await bot.conversations.history({ channel: ch, limit: 100 }); // caches warm
  }, 120_000);
  afterAll(async () => {
    await sql?.close();
    await host?.stop();
  }, 60_000);

  test('reaches messages, reactions and pins by index only, and answers right', async () => {
    const tables = ['messages', 'reactions', 'pins'];
    let res: Awaited<ReturnType<WebClient['conversations']['history']>> | undefined;
    const scans = await scansOf(sql, tables, async () => {
      res = await bot.conversations.history({ channel: ch, limit: 100 });
    });
    for (const t of tables) expect([t, scans[t]!.seq]).toEqual([t, 0]);
    expect(scans.messages!.idx).toBeGreaterThan(0);
    const msgs = res!.messages!;
    expect(msgs.filter((m) => !m.subtype).map((m) => m.text)).toEqual(['mine 4', 'mine 3', 'mine 2', 'mine 1', 'mine 0']);
    const first = msgs.find((m) => m.text === 'mine 0')!;
    expect(first.reactions?.[0]?.name).toBe('tada');
    expect(first.reply_count).toBe(1);
    expect((res as unknown as { pin_count: number }).pin_count).toBe(1);
  }, 60_000);
});

describe('Stripe customers beside 20k unrelated objects', () => {
  let host: HostClone<{ botToken: string }>;
  let sql: SQL;
  let stripe: Stripe;

  beforeAll(async () => {
    host = await startTemplateOnHost<{ botToken: string }>('stripe');
    sql = new SQL(host.databaseUrl, { max: 1 });
    const u = new URL(host.endpoints.api);
    stripe = new Stripe(host.tokens.botToken, { host: u.hostname, port: Number(u.port), protocol: 'http', maxNetworkRetries: 0, telemetry: false });
    for (let i = 0; i < 3; i++) await stripe.customers.create({ email: `c${i}@example.com` });
    await sql.unsafe(`insert into stripe_objects (id, kind, created, data)
      select 'prod_noise' || g, 'product', 1600000000 + g, jsonb_build_object('id', 'prod_noise' || g, 'object', 'product', 'name', 'noise')
      from generate_series(1, ${UNRELATED}) g`);
    await sql`analyze`;
    await stripe.customers.list({ limit: 10 });
  }, 120_000);
  afterAll(async () => {
    await sql?.close();
    await host?.stop();
  }, 60_000);

  test('customers.create and customers.list reach stripe_objects by index only', async () => {
    let listed: Stripe.ApiList<Stripe.Customer> | undefined;
    const scans = await scansOf(sql, ['stripe_objects'], async () => {
      await stripe.customers.create({ email: 'fresh@example.com', name: 'Fresh' });
      listed = await stripe.customers.list({ limit: 10 });
    });
    expect(scans.stripe_objects!.seq).toBe(0);
    expect(scans.stripe_objects!.idx).toBeGreaterThan(0);
    expect(listed!.data.map((c) => c.email)).toEqual(['fresh@example.com', 'c2@example.com', 'c1@example.com', 'c0@example.com']);
  }, 60_000);
});
