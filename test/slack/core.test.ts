import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import type { WebClient } from '@slack/web-api';
import { startSlackOnHost, type SlackHost } from '../support/slack-host.ts';
import { admin, client, expectSlackShape, slackError } from './helpers.ts';

/** The must-have slice: auth.test, chat.postMessage, conversations.list/history/info/create, users.list/info. */

let host: SlackHost;
let bot: WebClient;
let user: WebClient;

beforeAll(async () => {
  host = await startSlackOnHost();
  bot = client(host, host.tokens.botToken);
  user = client(host, host.tokens.userToken);
}, 60_000);
afterAll(async () => {
  await host?.stop();
}, 60_000);

describe('auth and envelopes', () => {
  test('auth.test identifies bot and user tokens', async () => {
    const b = await bot.auth.test();
    expect(b).toMatchObject({ ok: true, team_id: host.tokens.workspaceId, user_id: host.tokens.botUserId, bot_id: host.tokens.botId });
    expect(b.url).toBe(`${host.apiUrl}/`);
    await expectSlackShape('auth.test', b);
    const u = await user.auth.test();
    expect(u.user_id).toBe(host.tokens.adminUserId);
    expect(u.bot_id).toBeUndefined();
  });

  test('tokens are Slack-shaped and stored only as hashes', async () => {
    expect(host.tokens.botToken).toMatch(/^xoxb-\d+-\d+-\w+$/);
    expect(host.tokens.userToken).toMatch(/^xoxp-/);
    const { SQL } = await import('bun');
    const sql = new SQL(host.databaseUrl, { max: 1 });
    const rows = await sql`select hash, kind, scopes from tokens`;
    await sql.close();
    expect(rows.length).toBe(2);
    for (const r of rows) {
      expect(r.hash).toMatch(/^[0-9a-f]{64}$/);
      expect([host.tokens.botToken, host.tokens.userToken]).not.toContain(r.hash);
      expect(r.scopes).toContain('chat:write');
    }
  });

  test('invalid_auth, not_authed, and HTTP 200 error envelopes', async () => {
    expect(await slackError(client(host, 'xoxb-nope').auth.test())).toBe('invalid_auth');
    const raw = await fetch(`${host.apiUrl}/api/auth.test`, { method: 'POST' });
    expect(raw.status).toBe(200);
    expect(await raw.json()).toEqual({ ok: false, error: 'not_authed' });
  });

  test('unknown and not-emulated methods never 404', async () => {
    const unknown = await fetch(`${host.apiUrl}/api/nope.nothing`, { method: 'POST', headers: { authorization: `Bearer ${host.tokens.botToken}` } });
    expect(unknown.status).toBe(200);
    expect(await unknown.json()).toMatchObject({ ok: false, error: 'unknown_method' });
    const ne = (await (await fetch(`${host.apiUrl}/api/dnd.info`, { method: "POST" })).json()) as any;
    expect(ne).toMatchObject({ ok: false, error: 'not_emulated' });
    expect(ne.warning).toContain('dnd.info is not emulated');
    expect(await slackError(bot.apiCall('dnd.setSnooze', { num_minutes: 5 }))).toBe('not_emulated');
  });

  test('token in the body, JSON bodies and GET query strings work', async () => {
    const form = (await (await fetch(`${host.apiUrl}/api/auth.test`, { method: 'POST', body: new URLSearchParams({ token: host.tokens.botToken }) })).json()) as any;
    expect(form.ok).toBe(true);
    const js = (await (await fetch(`${host.apiUrl}/api/users.info`, { method: 'POST', headers: { authorization: `Bearer ${host.tokens.botToken}`, 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify({ user: host.tokens.adminUserId }) })).json()) as any;
    expect(js.user.id).toBe(host.tokens.adminUserId);
    const get = (await (await fetch(`${host.apiUrl}/api/conversations.info?channel=${host.tokens.generalChannelId}&token=${host.tokens.userToken}`)).json()) as any;
    expect(get.channel.name).toBe('general');
  });

  test('missing_scope reports needed and provided', async () => {
    const minted = await admin(host, '/__asym/slack/user-token', { user: 'admin', scopes: ['users:read'] });
    expect(minted.status).toBe(200);
    const limited = client(host, minted.body.token);
    try {
      await limited.chat.postMessage({ channel: host.tokens.generalChannelId, text: 'x' });
      expect.unreachable();
    } catch (e) {
      expect((e as any).data).toMatchObject({ ok: false, error: 'missing_scope', needed: 'chat:write', provided: 'users:read' });
    }
    expect((await limited.users.list({})).ok).toBe(true);
  });
});

describe('conversations', () => {
  let channelId = '';

  test('create, name rules and name_taken', async () => {
    const r = await user.conversations.create({ name: 'core-tests' });
    channelId = r.channel!.id!;
    expect(r.channel).toMatchObject({ name: 'core-tests', is_channel: true, is_private: false, is_member: true, creator: host.tokens.adminUserId });
    expect(channelId).toMatch(/^C[A-Z0-9]+$/);
    await expectSlackShape('conversations.create', r);
    expect(await slackError(user.conversations.create({ name: 'core-tests' }))).toBe('name_taken');
    expect(await slackError(user.conversations.create({ name: 'Has Spaces' }))).toBe('invalid_name_specials');
    expect(await slackError(user.conversations.create({ name: '' }))).toBe('invalid_name_required');
    expect(await slackError(user.conversations.create({ name: 'x'.repeat(81) }))).toBe('invalid_name_maxlength');
  });

  test('info, with num_members, and channel_not_found', async () => {
    const r = await bot.conversations.info({ channel: channelId, include_num_members: true });
    expect(r.channel).toMatchObject({ id: channelId, name: 'core-tests', is_member: false, num_members: 1 });
    await expectSlackShape('conversations.info', r);
    expect(await slackError(bot.conversations.info({ channel: 'C0DOESNOTEXIST' }))).toBe('channel_not_found');
  });

  test('list pages with cursors to the end, and a bad cursor is invalid_cursor', async () => {
    for (let i = 0; i < 4; i++) await user.conversations.create({ name: `page-${i}` });
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const r = await bot.conversations.list({ limit: 2, cursor });
      await expectSlackShape('conversations.list', r);
      seen.push(...r.channels!.map((c) => c.id!));
      cursor = r.response_metadata?.next_cursor || undefined;
      pages++;
    } while (cursor);
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toContain(channelId);
    expect(seen).toContain(host.tokens.generalChannelId);
    expect(await slackError(bot.conversations.list({ cursor: 'bm9wZQ==' }))).toBe('invalid_cursor');
  });
});

describe('chat.postMessage and history', () => {
  let channelId = '';

  beforeAll(async () => {
    channelId = (await user.conversations.create({ name: 'chat-core' })).channel!.id!;
  });

  test('a bot outside the channel gets not_in_channel; invited, it can post', async () => {
    expect(await slackError(bot.chat.postMessage({ channel: channelId, text: 'hello' }))).toBe('not_in_channel');
    await user.conversations.invite({ channel: channelId, users: host.tokens.botUserId });
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '*hello*' } }];
    const r = await bot.chat.postMessage({ channel: channelId, text: 'hello', blocks });
    expect(r).toMatchObject({ ok: true, channel: channelId });
    expect(r.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(r.message).toMatchObject({ type: 'message', text: 'hello', user: host.tokens.botUserId, bot_id: host.tokens.botId, app_id: host.tokens.appId, blocks });
    expect(r.message!.bot_profile!.id).toBe(host.tokens.botId);
    await expectSlackShape('chat.postMessage', r);
  });

  test('ts values are unique and strictly increasing under concurrency', async () => {
    const posts = await Promise.all(Array.from({ length: 25 }, (_, i) => user.chat.postMessage({ channel: channelId, text: `burst ${i}` })));
    const ts = posts.map((p) => p.ts!);
    expect(new Set(ts).size).toBe(25);
    const h = await bot.conversations.history({ channel: channelId, limit: 100 });
    const order = h.messages!.map((m) => m.ts!);
    expect([...order].sort().reverse()).toEqual(order);
    await expectSlackShape('conversations.history', h);
  });

  test('history pages newest first with has_more and next_cursor; latest/oldest bound it', async () => {
    const all = (await bot.conversations.history({ channel: channelId, limit: 999 })).messages!;
    const p1 = await bot.conversations.history({ channel: channelId, limit: 10 });
    expect(p1.has_more).toBe(true);
    expect(p1.messages!.length).toBe(10);
    const p2 = await bot.conversations.history({ channel: channelId, limit: 10, cursor: p1.response_metadata!.next_cursor });
    expect(p2.messages![0]!.ts).toBe(all[10]!.ts);
    const bounded = await bot.conversations.history({ channel: channelId, latest: all[2]!.ts, oldest: all[5]!.ts, inclusive: true });
    expect(bounded.messages!.map((m) => m.ts)).toEqual(all.slice(2, 6).map((m) => m.ts));
    expect(await slackError(bot.conversations.history({ channel: channelId, cursor: '!!notbase64' }))).toBe('invalid_cursor');
  });

  test('post errors: no_text, msg_too_long, channel_not_found, invalid_blocks', async () => {
    expect(await slackError(user.chat.postMessage({ channel: channelId, text: '' }))).toBe('no_text');
    expect(await slackError(user.chat.postMessage({ channel: channelId, text: 'x'.repeat(40_001) }))).toBe('msg_too_long');
    expect(await slackError(user.chat.postMessage({ channel: 'C0NOPE', text: 'x' }))).toBe('channel_not_found');
    expect(await slackError(user.chat.postMessage({ channel: channelId, text: 'x', blocks: [{ nope: 1 }] as any }))).toBe('invalid_blocks');
  });

  test('posting by channel name and to a user id (opens the DM)', async () => {
    const byName = await user.chat.postMessage({ channel: '#chat-core', text: 'by name' });
    expect(byName.channel).toBe(channelId);
    const dm = await bot.chat.postMessage({ channel: host.tokens.adminUserId, text: 'psst' });
    expect(dm.channel).toMatch(/^D/);
    const h = await user.conversations.history({ channel: dm.channel! });
    expect(h.messages![0]!.text).toBe('psst');
  });

  test('a bot cannot read a channel it is not in; a person can read public ones', async () => {
    const other = (await user.conversations.create({ name: 'bot-free' })).channel!.id!;
    expect(await slackError(bot.conversations.history({ channel: other }))).toBe('not_in_channel');
    expect((await user.conversations.history({ channel: other })).ok).toBe(true);
  });

  test('archived channels refuse posts with is_archived', async () => {
    const c = (await user.conversations.create({ name: 'to-archive' })).channel!.id!;
    await user.conversations.archive({ channel: c });
    expect(await slackError(user.chat.postMessage({ channel: c, text: 'x' }))).toBe('is_archived');
  });
});

describe('users', () => {
  test('users.list pages to the end; users.info; user_not_found', async () => {
    const r = await bot.users.list({ limit: 1 });
    await expectSlackShape('users.list', r);
    expect(r.members!.length).toBe(1);
    const all: string[] = [];
    let cursor: string | undefined;
    do {
      const p = await bot.users.list({ limit: 1, cursor });
      all.push(...p.members!.map((m) => m.id!));
      cursor = p.response_metadata?.next_cursor || undefined;
    } while (cursor);
    expect(all.sort()).toEqual([host.tokens.adminUserId, host.tokens.botUserId].sort());
    const info = await bot.users.info({ user: host.tokens.botUserId });
    expect(info.user).toMatchObject({ id: host.tokens.botUserId, is_bot: true, team_id: host.tokens.workspaceId });
    expect(info.user!.profile!.bot_id).toBe(host.tokens.botId);
    await expectSlackShape('users.info', info);
    const adminInfo = await bot.users.info({ user: host.tokens.adminUserId });
    expect(adminInfo.user).toMatchObject({ is_admin: true, is_owner: true, is_bot: false });
    expect(adminInfo.user!.profile!.email).toBe('admin@acme.test');
    expect(await slackError(bot.users.info({ user: 'U0NOBODY' }))).toBe('user_not_found');
  });
});
