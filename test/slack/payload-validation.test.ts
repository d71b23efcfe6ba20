import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import type { WebClient } from '@slack/web-api';
import type { SlackHost } from '../support/slack-host.ts';
import { hostWithCarol, slackError } from './helpers.ts';

/** The documented validation of message payloads (Block Kit, attachments, subtypes) and of reactions. */

let host: SlackHost;
let bot: WebClient;
let user: WebClient;
let carol: WebClient;
let ch = '';

beforeAll(async () => {
  ({ host, bot, user, carol, ch } = await hostWithCarol('payloads'));
}, 60_000);
afterAll(async () => {
  await host?.stop();
}, 60_000);

const section = (text: string, extra: Record<string, unknown> = {}) => ({ type: 'section', text: { type: 'mrkdwn', text }, ...extra });

async function rejected(p: Promise<unknown>): Promise<{ error?: string; errors?: string[]; messages?: string[] }> {
  try {
    await p;
  } catch (e) {
    const d = (e as { data?: { error?: string; errors?: string[]; response_metadata?: { messages?: string[] } } }).data;
    return { error: d?.error, errors: d?.errors, messages: d?.response_metadata?.messages };
  }
  return { error: 'no_error' };
}

describe('blocks', () => {
  test('valid blocks are stored and read back', async () => {
    const blocks = [{ type: 'header', text: { type: 'plain_text', text: 'Release' } }, section('*done*', { block_id: 'b1' }), { type: 'divider' }, { type: 'context', elements: [{ type: 'mrkdwn', text: 'by bot' }] }];
    const r = await bot.chat.postMessage({ channel: ch, text: 'fallback', blocks });
    const h = await bot.conversations.history({ channel: ch, limit: 1 });
    expect(h.messages![0]!.ts).toBe(r.ts!);
    expect(h.messages![0]!.blocks?.map((b) => String(b.type))).toEqual(['header', 'section', 'divider', 'context']);
    // Blocks alone are a message: no text needed.
    expect((await bot.chat.postMessage({ channel: ch, blocks: [section('only blocks')] } as never)).ok).toBe(true);
  });

  test('invalid_blocks, with Slack\'s pointer to the problem', async () => {
    const many = await rejected(bot.chat.postMessage({ channel: ch, text: 'x', blocks: Array.from({ length: 51 }, (_, i) => section(`b${i}`)) }));
    expect(many.error).toBe('invalid_blocks');
    expect(many.errors).toEqual(['must provide no more than 50 items [json-pointer:/blocks]']);
    expect(many.messages).toEqual(['[ERROR] must provide no more than 50 items [json-pointer:/blocks]']);
    expect((await rejected(bot.chat.postMessage({ channel: ch, text: 'x', blocks: [{ type: 'sparkles' }] as never }))).errors).toEqual(['unsupported type: sparkles [json-pointer:/blocks/0/type]']);
    expect((await rejected(bot.chat.postMessage({ channel: ch, text: 'x', blocks: [section('a'), section('')] }))).errors).toEqual(['must be more than 0 characters [json-pointer:/blocks/1/text/text]']);
    expect((await rejected(bot.chat.postMessage({ channel: ch, text: 'x', blocks: [section('x'.repeat(3001))] }))).errors).toEqual(['must be less than 3001 characters [json-pointer:/blocks/0/text/text]']);
    expect((await rejected(bot.chat.postMessage({ channel: ch, text: 'x', blocks: [{ type: 'header', text: { type: 'mrkdwn', text: 'h' } }] as never }))).errors).toEqual(['must be plain_text [json-pointer:/blocks/0/text/type]']);
    expect((await rejected(bot.chat.postMessage({ channel: ch, text: 'x', blocks: [{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }] as never }))).error).toBe('invalid_blocks');
    expect((await rejected(bot.chat.postMessage({ channel: ch, text: 'x', blocks: [section('a', { block_id: 'same' }), section('b', { block_id: 'same' })] }))).errors).toEqual(['block_id must be unique within the message [json-pointer:/blocks/1/block_id]']);
    expect((await rejected(bot.chat.postMessage({ channel: ch, text: 'x', blocks: [{ type: 'image', image_url: 'https://a.test/i.png' }] as never }))).errors).toEqual(['missing required field: alt_text [json-pointer:/blocks/0/alt_text]']);
    expect((await rejected(bot.chat.postMessage({ channel: ch, text: 'x', blocks: [{ type: 'section' }] as never }))).errors).toEqual(['must provide either text or fields [json-pointer:/blocks/0]']);
    expect((await rejected(bot.chat.postMessage({ channel: ch, text: 'x', blocks: [{ type: 'context', elements: [] }] as never }))).errors).toEqual(['must provide at least 1 item [json-pointer:/blocks/0/elements]']);
    // chat.update validates the same way, and a failed update leaves the message as it was.
    const m = await bot.chat.postMessage({ channel: ch, text: 'keep me' });
    expect((await rejected(bot.chat.update({ channel: ch, ts: m.ts!, text: 'x', blocks: [{ type: 'nope' }] as never }))).error).toBe('invalid_blocks');
    expect((await bot.conversations.history({ channel: ch, limit: 1 })).messages![0]!.text).toBe('keep me');
    expect(await slackError(bot.chat.postMessage({ channel: ch, text: 'x', blocks: '{"not":"an array"}' as never }))).toBe('invalid_blocks_format');
  });
});

describe('text, attachments and subtypes', () => {
  test('no_text, msg_too_long at 40,000 characters, attachments', async () => {
    expect(await slackError(bot.chat.postMessage({ channel: ch, text: '   ' }))).toBe('no_text');
    expect((await bot.chat.postMessage({ channel: ch, text: 'x'.repeat(40_000) })).ok).toBe(true);
    expect(await slackError(bot.chat.postMessage({ channel: ch, text: 'x'.repeat(40_001) }))).toBe('msg_too_long');
    expect(await slackError(bot.chat.postMessage({ channel: ch, text: 'x', attachments: ['not an object'] as never }))).toBe('invalid_attachments');
    expect(await slackError(bot.chat.postMessage({ channel: ch, text: 'x', attachments: '{}' as never }))).toBe('invalid_attachments');
    expect(await slackError(bot.chat.postMessage({ channel: ch, text: 'x', attachments: Array.from({ length: 101 }, () => ({ text: 'a' })) }))).toBe('too_many_attachments');
    expect((await rejected(bot.chat.postMessage({ channel: ch, text: 'x', attachments: [{ text: 'a', blocks: [{ type: 'nope' }] }] as never }))).errors).toEqual(['unsupported type: nope [json-pointer:/attachments/0/blocks/0/type]']);
    const att = await bot.chat.postMessage({ channel: ch, attachments: [{ fallback: 'f', text: 'attached', color: '#36a64f' }] } as never);
    const h = await bot.conversations.history({ channel: ch, limit: 1 });
    expect(h.messages![0]!.ts).toBe(att.ts!);
    expect(h.messages![0]!.attachments?.[0]).toMatchObject({ text: 'attached', color: '#36a64f' });
  });

  test('message metadata: {event_type, event_payload} kept and read back; other shapes are invalid_metadata_schema', async () => {
    const metadata = { event_type: 'task_created', event_payload: { id: 'TK-1', priority: 'HIGH' } };
    const m = await bot.chat.postMessage({ channel: ch, text: 'with metadata', metadata });
    const h = await bot.conversations.history({ channel: ch, limit: 1, include_all_metadata: true });
    expect(h.messages![0]).toMatchObject({ ts: m.ts, metadata });
    for (const bad of [{ event_type: 'x' }, { event_payload: {} }, { event_type: '', event_payload: {} }, { event_type: 'x', event_payload: [] }, ['x']]) {
      expect(await slackError(bot.chat.postMessage({ channel: ch, text: 'x', metadata: bad as never }))).toBe('invalid_metadata_schema');
    }
    expect(await slackError(bot.chat.update({ channel: ch, ts: m.ts!, text: 'x', metadata: { event_type: 'x' } as never }))).toBe('invalid_metadata_schema');
    expect(await slackError(bot.chat.postMessage({ channel: ch, text: 'x', metadata: '{not json' as never }))).toBe('invalid_metadata_format');
  });

  test('system messages (a channel_topic) cannot be edited', async () => {
    await user.conversations.setTopic({ channel: ch, topic: 'Payload checks' });
    const topic = (await user.conversations.history({ channel: ch, limit: 5 })).messages!.find((m) => m.subtype === 'channel_topic')!;
    expect(topic.user).toBe(host.tokens.adminUserId);
    expect(await slackError(user.chat.update({ channel: ch, ts: topic.ts!, text: 'rewritten' }))).toBe('cant_update_message');
    // A message of one's own without a subtype still can.
    const mine = await user.chat.postMessage({ channel: ch, text: 'v1' });
    expect((await user.chat.update({ channel: ch, ts: mine.ts!, text: 'v2' })).text).toBe('v2');
  });
});

describe('reactions', () => {
  test('invalid_name, already_reacted, no_reaction, bad_timestamp, no_item_specified', async () => {
    const m = await carol.chat.postMessage({ channel: ch, text: 'react to me' });
    expect(await slackError(bot.reactions.add({ channel: ch, timestamp: m.ts!, name: 'Not An Emoji!' }))).toBe('invalid_name');
    expect(await slackError(bot.reactions.add({ channel: ch, timestamp: m.ts!, name: 'x'.repeat(101) }))).toBe('invalid_name');
    await bot.reactions.add({ channel: ch, timestamp: m.ts!, name: ':thumbsup:' });
    await bot.reactions.add({ channel: ch, timestamp: m.ts!, name: 'wave::skin-tone-3' });
    expect(await slackError(bot.reactions.add({ channel: ch, timestamp: m.ts!, name: 'thumbsup' }))).toBe('already_reacted');
    const got = await bot.reactions.get({ channel: ch, timestamp: m.ts! });
    expect(got.message?.reactions?.map((r) => r.name).sort()).toEqual(['thumbsup', 'wave::skin-tone-3']);
    expect(await slackError(bot.reactions.remove({ channel: ch, timestamp: m.ts!, name: 'tada' }))).toBe('no_reaction');
    expect(await slackError(bot.reactions.add({ channel: ch, timestamp: 'yesterday', name: 'tada' }))).toBe('bad_timestamp');
    expect(await slackError(bot.reactions.add({ name: 'tada' } as never))).toBe('no_item_specified');
    expect(await slackError(bot.reactions.add({ channel: ch, timestamp: '1000000000.000001', name: 'tada' }))).toBe('message_not_found');
  });

  test('too_many_reactions per person (23) and too_many_emoji per message (50)', async () => {
    const m = await carol.chat.postMessage({ channel: ch, text: 'lots of reactions' });
    for (let i = 0; i < 23; i++) await bot.reactions.add({ channel: ch, timestamp: m.ts!, name: `e${i}` });
    expect(await slackError(bot.reactions.add({ channel: ch, timestamp: m.ts!, name: 'e23' }))).toBe('too_many_reactions');
    // Others may still react: 23 + 27 distinct emoji make 50 on the message.
    for (let i = 23; i < 46; i++) await user.reactions.add({ channel: ch, timestamp: m.ts!, name: `e${i}` });
    for (let i = 46; i < 50; i++) await carol.reactions.add({ channel: ch, timestamp: m.ts!, name: `e${i}` });
    expect(await slackError(carol.reactions.add({ channel: ch, timestamp: m.ts!, name: 'e50' }))).toBe('too_many_emoji');
    // An emoji already on the message is not a new one.
    await carol.reactions.add({ channel: ch, timestamp: m.ts!, name: 'e0' });
    const got = await bot.reactions.get({ channel: ch, timestamp: m.ts!, full: true });
    expect(new Set(got.message?.reactions?.map((r) => r.name)).size).toBe(50);
  });
});
