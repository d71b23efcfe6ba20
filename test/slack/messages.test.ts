import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import type { WebClient } from '@slack/web-api';
import type { SlackHost } from '../support/slack-host.ts';
import { expectSlackShape, hostWithCarol, slackError } from './helpers.ts';

/** Threads, edits, deletes, ephemeral, scheduled, permalinks, streams, reactions, pins. */

let host: SlackHost;
let bot: WebClient;
let user: WebClient;
let carol: WebClient;
let carolId = '';
let ch = '';

beforeAll(async () => {
  ({ host, bot, user, carol, carolId, ch } = await hostWithCarol('msgs'));
}, 60_000);
afterAll(async () => {
  await host?.stop();
}, 60_000);

describe('threads', () => {
  test('replies, reply_count/users/latest_reply, broadcast, conversations.replies', async () => {
    const root = await bot.chat.postMessage({ channel: ch, text: 'root' });
    const r1 = await carol.chat.postMessage({ channel: ch, text: 'reply 1', thread_ts: root.ts });
    expect(r1.message).toMatchObject({ thread_ts: root.ts, parent_user_id: host.tokens.botUserId });
    const r2 = await user.chat.postMessage({ channel: ch, text: 'reply 2', thread_ts: root.ts!, reply_broadcast: true });
    // Naming a reply as thread_ts still lands in the root's thread.
    const r3 = await carol.chat.postMessage({ channel: ch, text: 'reply 3', thread_ts: r1.ts });
    expect(r3.message!.thread_ts).toBe(root.ts);

    const h = await bot.conversations.history({ channel: ch });
    const rootMsg = h.messages!.find((m) => m.ts === root.ts)!;
    expect(rootMsg).toMatchObject({ thread_ts: root.ts, reply_count: 3, reply_users_count: 2, latest_reply: r3.ts });
    expect(rootMsg.reply_users!.sort()).toEqual([carolId, host.tokens.adminUserId].sort());
    // Only the broadcast reply shows in the channel's history.
    expect(h.messages!.map((m) => m.ts)).toContain(r2.ts);
    expect(h.messages!.map((m) => m.ts)).not.toContain(r1.ts);

    const replies = await bot.conversations.replies({ channel: ch, ts: root.ts! });
    expect(replies.messages!.map((m) => m.text)).toEqual(['root', 'reply 1', 'reply 2', 'reply 3']);
    await expectSlackShape('conversations.replies', replies);
    const paged = await bot.conversations.replies({ channel: ch, ts: root.ts!, limit: 2 });
    expect(paged.has_more).toBe(true);
    const rest = await bot.conversations.replies({ channel: ch, ts: root.ts!, limit: 2, cursor: paged.response_metadata!.next_cursor });
    expect(rest.messages!.map((m) => m.text)).toEqual(['reply 2', 'reply 3']);
    expect(rest.has_more).toBe(false);
    expect(await slackError(bot.conversations.replies({ channel: ch, ts: '1000000000.000001' }))).toBe('thread_not_found');
    expect(await slackError(bot.chat.postMessage({ channel: ch, text: 'x', thread_ts: '1000000000.000001' }))).toBe('thread_not_found');
  });
});

describe('edit and delete', () => {
  test('chat.update edits own messages, marks edited; others get cant_update_message', async () => {
    const m = await bot.chat.postMessage({ channel: ch, text: 'v1' });
    const u = await bot.chat.update({ channel: ch, ts: m.ts!, text: 'v2' });
    expect(u).toMatchObject({ ok: true, channel: ch, ts: m.ts, text: 'v2' });
    expect(u.message!.edited!.user).toBe(host.tokens.botUserId);
    await expectSlackShape('chat.update', u);
    expect(await slackError(carol.chat.update({ channel: ch, ts: m.ts!, text: 'hijack' }))).toBe('cant_update_message');
    expect(await slackError(bot.chat.update({ channel: ch, ts: '1000000000.000001', text: 'x' }))).toBe('message_not_found');
  });

  test("a bot message's bot_profile names the bot user only in the answer to the post", async () => {
    const m = await bot.chat.postMessage({ channel: ch, text: 'profile' });
    expect((m.message!.bot_profile as Record<string, unknown>).user_id).toBe(host.tokens.botUserId);
    const u = await bot.chat.update({ channel: ch, ts: m.ts!, text: 'profile 2' });
    expect(u.message!.bot_profile).toBeDefined();
    expect(u.message!.bot_profile).not.toHaveProperty('user_id');
    const h = await bot.conversations.history({ channel: ch, limit: 1 });
    expect(h.messages![0]!.ts).toBe(m.ts);
    expect(h.messages![0]!.bot_profile).toMatchObject({ id: m.message!.bot_id });
    expect(h.messages![0]!.bot_profile).not.toHaveProperty('user_id');
  });

  test('chat.delete: own message, admin override, cant_delete_message, tombstones for threads', async () => {
    const m = await bot.chat.postMessage({ channel: ch, text: 'to delete' });
    expect(await slackError(carol.chat.delete({ channel: ch, ts: m.ts! }))).toBe('cant_delete_message');
    const d = await bot.chat.delete({ channel: ch, ts: m.ts! });
    expect(d).toMatchObject({ ok: true, channel: ch, ts: m.ts });
    await expectSlackShape('chat.delete', d);
    expect(await slackError(bot.chat.delete({ channel: ch, ts: m.ts! }))).toBe('message_not_found');
    const carolMsg = await carol.chat.postMessage({ channel: ch, text: 'admin can remove' });
    expect((await user.chat.delete({ channel: ch, ts: carolMsg.ts! })).ok).toBe(true);
    const root = await carol.chat.postMessage({ channel: ch, text: 'parent' });
    await bot.chat.postMessage({ channel: ch, text: 'child', thread_ts: root.ts });
    await carol.chat.delete({ channel: ch, ts: root.ts! });
    const thread = await bot.conversations.replies({ channel: ch, ts: root.ts! });
    expect(thread.messages![0]).toMatchObject({ subtype: 'tombstone', text: 'This message was deleted.' });
    expect(thread.messages!.length).toBe(2);
  });
});

describe('other message kinds', () => {
  test('ephemeral messages are not stored; user_not_in_channel', async () => {
    const e = await bot.chat.postEphemeral({ channel: ch, user: carolId, text: 'only you' });
    expect(e.message_ts).toMatch(/^\d{10}\.\d{6}$/);
    await expectSlackShape('chat.postEphemeral', e);
    const h = await bot.conversations.history({ channel: ch, limit: 5 });
    expect(h.messages!.some((m) => m.text === 'only you')).toBe(false);
    const lonely = (await user.conversations.create({ name: 'lonely' })).channel!.id!;
    expect(await slackError(user.chat.postEphemeral({ channel: lonely, user: carolId, text: 'x' }))).toBe('user_not_in_channel');
  });

  test('meMessage is user-only and has subtype me_message', async () => {
    const r = await carol.chat.meMessage({ channel: ch, text: 'waves' });
    await expectSlackShape('chat.meMessage', r);
    const h = await bot.conversations.history({ channel: ch, limit: 1 });
    expect(h.messages![0]).toMatchObject({ subtype: 'me_message', text: 'waves', ts: r.ts });
    expect(await slackError(bot.chat.meMessage({ channel: ch, text: 'x' }))).toBe('not_allowed_token_type');
  });

  test('getPermalink points at the clone', async () => {
    const m = await bot.chat.postMessage({ channel: ch, text: 'link me' });
    const p = await bot.chat.getPermalink({ channel: ch, message_ts: m.ts! });
    expect(p.permalink).toBe(`${host.apiUrl}/archives/${ch}/p${m.ts!.replace('.', '')}`);
    await expectSlackShape('chat.getPermalink', p);
    const reply = await bot.chat.postMessage({ channel: ch, text: 'r', thread_ts: m.ts });
    const rp = await bot.chat.getPermalink({ channel: ch, message_ts: reply.ts! });
    expect(rp.permalink).toContain(`?thread_ts=${m.ts}&cid=${ch}`);
    expect(await slackError(bot.chat.getPermalink({ channel: ch, message_ts: '1000000000.000001' }))).toBe('message_not_found');
  });

  test('scheduled messages: list, delete, and appear in history at their time', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect(await slackError(bot.chat.scheduleMessage({ channel: ch, text: 'past', post_at: now - 10 }))).toBe('time_in_past');
    expect(await slackError(bot.chat.scheduleMessage({ channel: ch, text: 'far', post_at: now + 200 * 86400 }))).toBe('time_too_far');
    const keep = await bot.chat.scheduleMessage({ channel: ch, text: 'scheduled hello', post_at: now + 2 });
    expect(keep.scheduled_message_id).toMatch(/^Q/);
    await expectSlackShape('chat.scheduleMessage', keep);
    const drop = await bot.chat.scheduleMessage({ channel: ch, text: 'never', post_at: now + 60 });
    const list = await bot.chat.scheduledMessages.list({ channel: ch });
    expect(list.scheduled_messages!.map((s) => s.id).sort()).toEqual([keep.scheduled_message_id, drop.scheduled_message_id].sort());
    await expectSlackShape('chat.scheduledMessages.list', list);
    await bot.chat.deleteScheduledMessage({ channel: ch, scheduled_message_id: drop.scheduled_message_id! });
    expect(await slackError(bot.chat.deleteScheduledMessage({ channel: ch, scheduled_message_id: drop.scheduled_message_id! }))).toBe('invalid_scheduled_message_id');
    let found = false;
    for (let i = 0; i < 150 && !found; i++) {
      await Bun.sleep(100);
      found = (await bot.conversations.history({ channel: ch, limit: 3 })).messages!.some((m) => m.text === 'scheduled hello');
    }
    expect(found).toBe(true);
    expect((await bot.chat.scheduledMessages.list({ channel: ch })).scheduled_messages!.length).toBe(0);
  });

  test('streams: start, append, stop', async () => {
    const root = await carol.chat.postMessage({ channel: ch, text: 'question?' });
    const s = await bot.chat.startStream({ channel: ch, thread_ts: root.ts!, markdown_text: 'Thinking' });
    expect(s.ts).toBeTruthy();
    await bot.chat.appendStream({ channel: ch, ts: s.ts!, markdown_text: ' more' });
    const done = await bot.chat.stopStream({ channel: ch, ts: s.ts!, markdown_text: '. Done.' });
    expect(done.ok).toBe(true);
    const thread = await bot.conversations.replies({ channel: ch, ts: root.ts! });
    expect(thread.messages!.at(-1)!.text).toBe('Thinking more. Done.');
    expect(await slackError(bot.chat.appendStream({ channel: ch, ts: s.ts!, markdown_text: 'x' }))).toBe('message_not_in_streaming_state');
  });

  test('unfurl attaches app unfurls to the message', async () => {
    const m = await carol.chat.postMessage({ channel: ch, text: 'see https://example.test/x' });
    const r = await bot.chat.unfurl({ channel: ch, ts: m.ts!, unfurls: { 'https://example.test/x': { title: 'Example', text: 'preview' } } as any });
    expect(r.ok).toBe(true);
    const h = await bot.conversations.history({ channel: ch, limit: 1 });
    expect(h.messages![0]!.attachments![0]).toMatchObject({ title: 'Example', app_unfurl_url: 'https://example.test/x' });
  });
});

describe('reactions and pins', () => {
  test('add/get/list/remove with already_reacted and no_reaction', async () => {
    const m = await carol.chat.postMessage({ channel: ch, text: 'react to me' });
    await bot.reactions.add({ channel: ch, timestamp: m.ts!, name: 'eyes' });
    await carol.reactions.add({ channel: ch, timestamp: m.ts!, name: 'eyes' });
    await carol.reactions.add({ channel: ch, timestamp: m.ts!, name: ':tada:' });
    expect(await slackError(bot.reactions.add({ channel: ch, timestamp: m.ts!, name: 'eyes' }))).toBe('already_reacted');
    const g = await bot.reactions.get({ channel: ch, timestamp: m.ts! });
    expect(g.message!.reactions).toEqual([
      { name: 'eyes', users: [host.tokens.botUserId, carolId], count: 2 },
      { name: 'tada', users: [carolId], count: 1 },
    ]);
    await expectSlackShape('reactions.get', g);
    const l = await carol.reactions.list({});
    expect(l.items![0]).toMatchObject({ type: 'message', channel: ch });
    await expectSlackShape('reactions.list', l);
    await bot.reactions.remove({ channel: ch, timestamp: m.ts!, name: 'eyes' });
    expect(await slackError(bot.reactions.remove({ channel: ch, timestamp: m.ts!, name: 'eyes' }))).toBe('no_reaction');
    expect(await slackError(bot.reactions.add({ channel: ch, timestamp: '1000000000.000001', name: 'eyes' }))).toBe('message_not_found');
  });

  test('pins add/list/remove', async () => {
    const m = await carol.chat.postMessage({ channel: ch, text: 'pin me' });
    await bot.pins.add({ channel: ch, timestamp: m.ts! });
    expect(await slackError(bot.pins.add({ channel: ch, timestamp: m.ts! }))).toBe('already_pinned');
    const l = await bot.pins.list({ channel: ch });
    expect(l.items!.length).toBe(1);
    expect((l.items![0] as any).message.ts).toBe(m.ts);
    await expectSlackShape('pins.list', l);
    const h = await bot.conversations.history({ channel: ch, limit: 1 });
    expect(h.pin_count).toBe(1);
    await bot.pins.remove({ channel: ch, timestamp: m.ts! });
    expect(await slackError(bot.pins.remove({ channel: ch, timestamp: m.ts! }))).toBe('no_pin');
  });
});
