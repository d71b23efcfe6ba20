/**
 * asym diff: what an agent changed, row by row, against the state right after spin (and
 * seed) or a snapshot, with a state hash that is equal exactly when nothing changed.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import Stripe from 'stripe';
import { cloneHarness, slackClient } from '../support/clones.ts';
import { describeDocker } from '../support/docker.ts';

const h = cloneHarness('diff');
afterAll(() => h.cleanup(), 60_000);

describeDocker('asym diff', () => {
  let c: any;
  let support: string;
  let pristineHash: string;
  beforeAll(async () => {
    c = await h.spin('slack', ['--fixture', 'acme']);
    const list = await slackClient(c, c.tokens.userToken).conversations.list({ limit: 200 });
    support = list.channels!.find((x) => x.name === 'support')!.id!;
  }, 120_000);

  test('a fresh clone has no changes, and both sides hash the same', async () => {
    const d = await h.run(['diff', c.id, '--json']);
    expect(d.code).toBe(0);
    expect(d.json.from).toBe('pristine');
    expect(d.json.tables).toEqual([]);
    expect(d.json.summary).toEqual({ tables: 0, added: 0, removed: 0, changed: 0 });
    expect(d.json.hash.to).toBe(d.json.hash.from);
    pristineHash = d.json.hash.from;
    expect((await h.run(['diff', c.id, '--exit-code', '--json'])).code).toBe(0);
  });

  test('what the SDK wrote shows up row by row, and nothing else', async () => {
    const user = slackClient(c, c.tokens.userToken);
    const m = await user.chat.postMessage({ channel: support, text: 'agent says hi' });
    await user.reactions.add({ channel: support, timestamp: m.ts!, name: 'wave' });
    await user.conversations.setTopic({ channel: support, topic: 'triage' });
    const d = (await h.run(['diff', c.id, '--json'])).json;
    expect(d.tables.map((t: any) => t.table)).toEqual(['conversations', 'messages', 'reactions']);
    const messages = d.tables.find((t: any) => t.table === 'messages');
    expect(messages.added.map((r: any) => r.text)).toContain('agent says hi');
    expect(messages.added.every((r: any) => r.conversation_id === support)).toBe(true);
    expect(messages.removed).toEqual([]);
    const reactions = d.tables.find((t: any) => t.table === 'reactions');
    expect(reactions.added).toEqual([expect.objectContaining({ name: 'wave', message_ts: m.ts })]);
    const conv = d.tables.find((t: any) => t.table === 'conversations');
    expect(conv.changed).toHaveLength(1);
    expect(conv.changed[0].key).toEqual({ id: support });
    expect(conv.changed[0].columns).toContain('topic');
    expect(conv.changed[0].after.topic).toBe('triage');
    expect(d.hash.from).toBe(pristineHash);
    expect(d.hash.to).not.toBe(pristineHash);
    const only = (await h.run(['diff', c.id, '--table', 'reactions', '--json'])).json;
    expect(only.tables.map((t: any) => t.table)).toEqual(['reactions']);
    expect((await h.run(['diff', c.id, '--exit-code', '--json'])).code).toBe(1);
    const human = await h.run(['diff', c.id]);
    expect(human.stdout).toContain('messages');
    expect(human.stdout).toContain('+2');
  });

  test('against a snapshot only what came after it; after reset nothing, and the hash is the pristine one', async () => {
    expect((await h.run(['snapshot', c.id, 'mid', '--json'])).code).toBe(0);
    await slackClient(c, c.tokens.userToken).chat.postMessage({ channel: support, text: 'after the snapshot' });
    const d = (await h.run(['diff', c.id, '--from', 'mid', '--json'])).json;
    expect(d.from).toBe('mid');
    expect(d.tables.map((t: any) => [t.table, t.added.length, t.changed.length, t.removed.length])).toEqual([['conversations', 0, 1, 0], ['messages', 1, 0, 0]]);
    expect(d.tables[1].added[0].text).toBe('after the snapshot');
    expect((await h.run(['reset', c.id, '--json'])).code).toBe(0);
    const after = (await h.run(['diff', c.id, '--json'])).json;
    expect(after.tables).toEqual([]);
    expect(after.hash.to).toBe(pristineHash);
  });

  test('errors are named', async () => {
    expect((await h.run(['diff', c.id, '--from', 'nope', '--json'])).json.error.code).toBe('SNAPSHOT_NOT_FOUND');
    const t = (await h.run(['diff', c.id, '--table', 'nope', '--json'])).json.error;
    expect(t.code).toBe('INVALID_INPUT');
    expect(t.hint).toContain('messages');
    expect((await h.run(['diff', 'ghost', '--json'])).json.error.code).toBe('CLONE_NOT_FOUND');
  });

  test('stripe: objects stored as JSON diff as rows too', async () => {
    const s = await h.spin('stripe');
    const url = new URL(s.endpoints.api);
    const stripe = new Stripe(s.tokens.botToken, { host: url.hostname, port: Number(url.port), protocol: 'http', maxNetworkRetries: 0, telemetry: false });
    const cus = await stripe.customers.create({ email: 'diff@example.test' });
    const d = (await h.run(['diff', s.id, '--json'])).json;
    const added = d.tables.flatMap((t: any) => t.added);
    expect(added.some((r: any) => r.id === cus.id)).toBe(true);
    expect(d.summary.removed).toBe(0);
  }, 60_000);
});
