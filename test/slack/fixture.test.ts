import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { SQL } from 'bun';
import { startSlackOnHost, type SlackHost } from '../support/slack-host.ts';
import { admin, client, expectSlackShape } from './helpers.ts';

/** The acme fixture pack: loads, refuses a second load, pages to the end, and is deterministic. */

let a: SlackHost;
let b: SlackHost;

beforeAll(async () => {
  [a, b] = await Promise.all([startSlackOnHost(), startSlackOnHost()]);
}, 60_000);
afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
}, 60_000);

const ENGINEERING = 'C0ACME0001';

async function snapshot(host: SlackHost): Promise<unknown[]> {
  // Everything the pack wrote, minus the ids provision minted at random.
  const sql = new SQL(host.databaseUrl, { max: 1 });
  const rows = await sql`select conversation_id, ts, user_id, text, thread_ts from messages
    where conversation_id like '%ACME%' order by conversation_id, ts`;
  const reactions = await sql`select conversation_id, message_ts, name, user_id from reactions where conversation_id like '%ACME%' order by 1, 2, 3, 4`;
  const users = await sql`select id, name, real_name, email, title, tz from users where id like 'U0ACME%' order by id`;
  await sql.close();
  return [rows, reactions, users];
}

describe('acme fixture', () => {
  test('seeds, reports written, and refuses a second seed unless forced', async () => {
    const first = await admin(a, '/__asym/seed', { fixture: 'acme' });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ rejected: 0, bySource: { fixture: { rejected: 0 } }, warnings: [] });
    expect(first.body.written).toBeGreaterThan(500);
    const again = await admin(a, '/__asym/seed', { fixture: 'acme' });
    expect(again.status).toBe(409);
    expect(again.body.error).toBe('already_seeded');
    const missing = await admin(b, '/__asym/seed', { fixture: 'nope' });
    expect(missing.status).toBe(404);
    const forced = await admin(a, '/__asym/seed', { fixture: 'acme', force: true });
    expect(forced.status).toBe(200);
    expect(forced.body.written).toBe(first.body.written);
  });

  test('the same pack loads byte-identically into another clone', async () => {
    expect((await admin(b, '/__asym/seed', { fixture: 'acme' })).status).toBe(200);
    const [sa, sb] = await Promise.all([snapshot(a), snapshot(b)]);
    expect(JSON.stringify(sa)).toBe(JSON.stringify(sb));
    expect((sa[0] as unknown[]).length).toBeGreaterThan(500);
  });

  test('history of #engineering pages to the end through the SDK (300+ messages)', async () => {
    const bot = client(a, a.tokens.botToken);
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const r = await bot.conversations.history({ channel: ENGINEERING, limit: 50, cursor });
      if (pages === 0) await expectSlackShape('conversations.history', r);
      seen.push(...r.messages!.map((m) => m.ts!));
      cursor = r.response_metadata?.next_cursor || undefined;
      expect(r.has_more).toBe(Boolean(cursor));
      pages++;
    } while (cursor);
    expect(seen.length).toBeGreaterThanOrEqual(300);
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort().reverse()).toEqual(seen);
    const sql = new SQL(a.databaseUrl, { max: 1 });
    const [{ n }] = await sql`select count(*)::int as n from messages where conversation_id = ${ENGINEERING} and (thread_ts is null or thread_ts = ts)`;
    await sql.close();
    expect(seen.length).toBe(n);
    // Threads in the pack are real threads.
    const withReplies = (await bot.conversations.history({ channel: ENGINEERING, limit: 200 })).messages!.find((m) => (m.reply_count ?? 0) > 0)!;
    const thread = await bot.conversations.replies({ channel: ENGINEERING, ts: withReplies.ts! });
    expect(thread.messages!.length).toBe(withReplies.reply_count! + 1);
  });

  test('people, private channels and DMs are there; new posts sort after the pack', async () => {
    const user = client(a, a.tokens.userToken);
    const users = await user.users.list({});
    expect(users.members!.length).toBeGreaterThanOrEqual(20);
    const alice = await admin(a, '/__asym/slack/user-token', { user: 'alice' });
    const ac = client(a, alice.body.token);
    const priv = await ac.conversations.list({ types: 'private_channel' });
    expect(priv.channels!.map((c) => c.name).sort()).toEqual(['incident-response', 'leadership']);
    const ims = await ac.conversations.list({ types: 'im,mpim' });
    expect(ims.channels!.length).toBe(2);
    const posted = await ac.chat.postMessage({ channel: ENGINEERING, text: 'fresh' });
    const top = await ac.conversations.history({ channel: ENGINEERING, limit: 1 });
    expect(top.messages![0]!.ts).toBe(posted.ts);
  });
});
