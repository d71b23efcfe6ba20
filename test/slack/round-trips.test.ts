import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { SQL } from 'bun';
import type { WebClient } from '@slack/web-api';
import type { SlackHost } from '../support/slack-host.ts';
import { admin, hostWithCarol } from './helpers.ts';

/**
 * Round trips to Postgres per call, counted by the kit's Db (GET /__asym/debug/queries,
 * on with ASYM_DEBUG_QUERIES=1), so a hot path that grows a query fails here; and an idle
 * clone that sends Postgres nothing (scheduled messages ride a timer, not a poll).
 */

// The host server inherits this process's environment.
process.env.ASYM_DEBUG_QUERIES = '1';

let host: SlackHost;
let bot: WebClient;
let ch = '';

async function statements(): Promise<number> {
  const r = await admin(host, '/__asym/debug/queries', undefined, 'GET');
  expect(r.status).toBe(200);
  return r.body.statements as number;
}

/** Statements one call cost (the counter read itself runs no SQL). */
async function cost(fn: () => Promise<unknown>): Promise<number> {
  const before = await statements();
  await fn();
  return (await statements()) - before;
}

beforeAll(async () => {
  ({ host, bot, ch } = await hostWithCarol('trips'));
}, 60_000);
afterAll(async () => {
  await host?.stop();
  delete process.env.ASYM_DEBUG_QUERIES;
}, 60_000);

describe('round trips', () => {
  test('chat.postMessage: at most 2 statements once warm (conversation+membership, ts+insert)', async () => {
    await bot.chat.postMessage({ channel: ch, text: 'warm-up' }); // fills token and app caches
    const n = await cost(() => bot.chat.postMessage({ channel: ch, text: 'counted' }));
    expect(n).toBeGreaterThan(0); // the counter counts
    expect(n).toBeLessThanOrEqual(2);
  });

  test('conversations.history: 2 statements (conversation; page with its decorations and pin count), whatever the page holds', async () => {
    for (let i = 0; i < 5; i++) await bot.chat.postMessage({ channel: ch, text: `page ${i}` });
    await bot.conversations.history({ channel: ch, limit: 1 });
    const one = await cost(() => bot.conversations.history({ channel: ch, limit: 1 }));
    const five = await cost(() => bot.conversations.history({ channel: ch, limit: 5 }));
    expect(one).toBeGreaterThan(0);
    expect(five).toBe(one);
    // The page, its reactions, thread summaries and pins and the pin count are one statement
    // (were four: page, then decorations beside the pin count).
    expect(five).toBeLessThanOrEqual(2);
  });

  test("history's one-statement decorations equal replies' batched ones (reactions, thread summary, pins)", async () => {
    const root = await bot.chat.postMessage({ channel: ch, text: 'decorated root' });
    await bot.chat.postMessage({ channel: ch, text: 'a reply', thread_ts: root.ts! });
    await bot.chat.postMessage({ channel: ch, text: 'broadcast reply', thread_ts: root.ts!, reply_broadcast: true });
    await bot.reactions.add({ channel: ch, timestamp: root.ts!, name: 'eyes' });
    await bot.reactions.add({ channel: ch, timestamp: root.ts!, name: 'tada' });
    await bot.pins.add({ channel: ch, timestamp: root.ts! });
    const page = await bot.conversations.history({ channel: ch, limit: 5 });
    const thread = await bot.conversations.replies({ channel: ch, ts: root.ts! });
    const inHistory = page.messages!.find((m) => m.ts === root.ts) as Record<string, unknown>;
    expect(inHistory).toMatchObject({ reply_count: 2, pinned_to: [ch] });
    expect((inHistory.reactions as { name: string }[]).map((r) => r.name)).toEqual(['eyes', 'tada']);
    expect(inHistory).toEqual(thread.messages![0] as Record<string, unknown>);
    // The broadcast reply shows in history with its parent's author, as replies shows it.
    const broadcast = page.messages!.find((m) => m.text === 'broadcast reply') as Record<string, unknown>;
    expect(broadcast).toEqual(thread.messages!.find((m) => m.text === 'broadcast reply') as Record<string, unknown>);
    expect(page.pin_count).toBeGreaterThanOrEqual(1);
  });

  test('a fresh post renders like a read of it (skipped lookups change nothing visible)', async () => {
    const posted = await bot.chat.postMessage({ channel: ch, text: 'same either way' });
    const read = await bot.conversations.history({ channel: ch, latest: posted.ts, inclusive: true, limit: 1 });
    const { reactions: _r, ...readMsg } = read.messages![0] as Record<string, unknown>;
    expect(posted.message as Record<string, unknown>).toMatchObject(readMsg);
  });

  test('an idle clone sends Postgres nothing, and a scheduled message still posts on time without reads', async () => {
    const idleBefore = await statements();
    await Bun.sleep(2500); // the old 1 s poll would have sent 2-3 DELETEs by now
    expect((await statements()) - idleBefore).toBe(0);

    const postAt = Math.floor(Date.now() / 1000) + 1;
    await bot.chat.scheduleMessage({ channel: ch, text: 'timer posted this', post_at: postAt });
    // Watch the table directly: any API read would flush due messages itself.
    const sql = new SQL(host.databaseUrl, { max: 1 });
    try {
      let found = false;
      for (let i = 0; i < 60 && !found; i++) {
        found = (await sql`select 1 from messages where conversation_id = ${ch} and text = 'timer posted this'`).length > 0;
        if (!found) await Bun.sleep(100);
      }
      expect(found).toBe(true);
    } finally {
      await sql.close();
    }
    // Once posted, the clone is idle again: no timer left polling. The flush finishes its
    // own work (conversation read, re-arm) just after the row appears: wait for it to settle.
    let after = await statements();
    for (let i = 0; i < 20; i++) {
      await Bun.sleep(200);
      const now = await statements();
      if (now === after) break;
      after = now;
    }
    await Bun.sleep(1500);
    expect((await statements()) - after).toBe(0);
  }, 20_000);

  test('after release and warm, the first request is served by the warmed sessions (it opens no new one)', async () => {
    // A running clock (as every spun clone has): its reading is re-anchored on each reload.
    expect((await admin(host, '/__asym/clock', { action: 'run' })).status).toBe(200);
    expect((await admin(host, '/__asym/release', {})).status).toBe(200);
    expect((await admin(host, '/__asym/warm', {})).status).toBe(200);
    const sql = new SQL(host.databaseUrl, { max: 1 });
    try {
      const sessions = async () => (await sql`select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`).map((r: { pid: number }) => r.pid).sort();
      const warmed = await sessions();
      expect(warmed.length).toBeGreaterThan(1); // warm opened several, for a request's parallel queries
      await bot.conversations.history({ channel: ch, limit: 20 });
      await bot.chat.postMessage({ channel: ch, text: 'after warm' });
      // Before the fix the first request re-read the clock, which retired the warmed pool
      // (a new asym.clock setting) and opened cold sessions in its place.
      expect((await sessions()).filter((pid: number) => !warmed.includes(pid))).toEqual([]);
    } finally {
      await sql.close();
    }
  }, 20_000);

  test('release leaves the database alone until the pool reopens (a copy would wait for any session), and warm re-arms the scheduler', async () => {
    const postAt = Math.floor(Date.now() / 1000) + 2;
    await bot.chat.scheduleMessage({ channel: ch, text: 'posted after a release', post_at: postAt });
    expect((await admin(host, '/__asym/release', {})).status).toBe(200);
    const sql = new SQL(host.databaseUrl, { max: 1 });
    try {
      await Bun.sleep(300);
      const others = async () => Number((await sql`select count(*)::int as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`)[0].n);
      expect(await others()).toBe(0);
      expect((await admin(host, '/__asym/warm', {})).status).toBe(200);
      let found = false;
      for (let i = 0; i < 60 && !found; i++) {
        found = (await sql`select 1 from messages where conversation_id = ${ch} and text = 'posted after a release'`).length > 0;
        if (!found) await Bun.sleep(100);
      }
      expect(found).toBe(true);
    } finally {
      await sql.close();
    }
  }, 20_000);
});
