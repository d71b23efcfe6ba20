/**
 * AI seeding end to end: the CLI asks a Messages-API server (local stand-in) for records,
 * validates them, and the clone writes the valid ones to its real database; we read them
 * back through the official Slack SDK.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { cloneHarness, slackClient } from '../support/clones.ts';
import { describeDocker } from '../support/docker.ts';
import { startFakeAnthropic } from '../support/fake-anthropic.ts';
import { planEntities, aiEntitiesFor } from '../../src/seed/entities.ts';
import { targetCount } from '../../src/seed/ai.ts';

const records = {
  users: [
    { name: 'ada.lovelace', real_name: 'Ada Lovelace', email: 'ada@acme.test', title: 'CTO', tz: 'Europe/London' },
    { name: 'alan.turing', real_name: 'Alan Turing', email: 'alan@acme.test' },
    { name: 'grace.hopper', real_name: 'Grace Hopper', email: 'grace@acme.test', is_admin: true },
    { name: 'Not A Handle', real_name: 'Bad Name', email: 'bad@acme.test' },
    { name: 'no.email', real_name: 'No Email', email: 'not-an-email' },
  ],
  channels: [
    { name: 'launch-plans', topic: 'Q4 launch', members: ['ada.lovelace', 'alan.turing'] },
    { name: 'Bad Channel!', members: [] },
  ],
  messages: [
    { channel: 'launch-plans', user: 'ada.lovelace', text: 'Kickoff tomorrow at 10' },
    { channel: 'launch-plans', user: 'alan.turing', text: 'I will bring the numbers', thread: 0 },
    { channel: 'launch-plans', user: 'grace.hopper', text: '' },
    { channel: 'no-such-channel', user: 'ada.lovelace', text: 'lost message' },
  ],
};

describe('AI seed planning', () => {
  test('requested entities pull in their dependencies, in order', () => {
    const all = aiEntitiesFor('slack')!;
    expect(planEntities(all, ['messages']).map((e) => e.name)).toEqual(['users', 'channels', 'messages']);
    expect(planEntities(all, ['users']).map((e) => e.name)).toEqual(['users']);
    expect(targetCount(all[0]!, 7)).toBe(7);
    expect(targetCount(all[2]!, 'small')).toBeGreaterThan(targetCount(all[0]!, 'small'));
  });
});

const h = cloneHarness('aiseed');
const fake = startFakeAnthropic({ key: 'test-key', models: ['claude-haiku-4-5', 'claude-test'], records, first429: true });
afterAll(async () => {
  fake.stop();
  await h.cleanup();
}, 180_000);

describeDocker('AI seeding against a real clone', () => {
  let clone: any;
  let usersBefore: number;
  beforeAll(async () => {
    clone = await h.spin('slack');
    usersBefore = ((await slackClient(clone).users.list({})).members ?? []).length;
  }, 300_000);

  test.each([
    [{}, 'AI_KEY_MISSING'],
    [{ ANTHROPIC_API_KEY: 'wrong', ANTHROPIC_BASE_URL: fake.url }, 'AI_AUTH_FAILED'],
  ])('a missing or bad key fails cleanly with nothing written (%#)', async (env, code) => {
    const r = await h.run(['seed', clone.id, '--ai', '--json'], { ANTHROPIC_API_KEY: '', ...env });
    expect(r.code).toBe(1);
    expect(r.json.error.code).toBe(code);
    expect(r.json.error.hint).toBeTruthy();
    expect(((await slackClient(clone).users.list({})).members ?? []).length).toBe(usersBefore);
  });

  test('an unknown model is AI_MODEL_UNKNOWN', async () => {
    const r = await h.run(['seed', clone.id, '--ai', '--model', 'claude-nope', '--json'], { ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: fake.url });
    expect(r.json.error.code).toBe('AI_MODEL_UNKNOWN');
  });

  test('valid records are written, invalid ones rejected with reasons and counted; a 429 is retried', async () => {
    const r = await h.run(['seed', clone.id, '--ai', '--volume', '5', '--prompt', 'a rocket startup', '--json'], { ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: fake.url });
    expect(r.code).toBe(0);
    const res = r.json;
    // users: 3 valid + 2 schema rejects; channels: 1 + 1; messages: 2 written, 1 schema reject, 1 rejected by the clone (unknown channel)
    expect(res.bySource.ai).toEqual({ written: 6, rejected: 5 });
    expect(res.written).toBe(6);
    expect(res.rejected).toBe(5);
    expect(res.rejections.map((x: any) => x.entity).sort()).toEqual(['channels', 'messages', 'messages', 'users', 'users']);
    expect(res.rejections.find((x: any) => x.entity === 'users' && x.reason.includes('email'))).toBeTruthy();
    expect(res.usage.inputTokens).toBeGreaterThan(0);
    expect(fake.requests.every((q) => q.model === 'claude-haiku-4-5')).toBe(true);
    expect(fake.requests.some((q) => q.body.system.includes('a rocket startup'))).toBe(true);

    // Read as the workspace admin: Slack bots only read channels they belong to.
    const slack = slackClient(clone, clone.tokens.userToken);
    const names = ((await slack.users.list({})).members ?? []).map((m) => m.name);
    expect(names).toEqual(expect.arrayContaining(['ada.lovelace', 'alan.turing', 'grace.hopper']));
    expect(names).not.toContain('no.email');
    const channels = (await slack.conversations.list({ types: 'public_channel,private_channel' })).channels ?? [];
    const launch = channels.find((c) => c.name === 'launch-plans');
    expect(launch).toBeTruthy();
    const history = await slack.conversations.history({ channel: launch!.id! });
    expect((history.messages ?? []).map((m) => m.text)).toContain('Kickoff tomorrow at 10');
    const parent = (history.messages ?? []).find((m) => m.text === 'Kickoff tomorrow at 10')!;
    const replies = await slack.conversations.replies({ channel: launch!.id!, ts: parent.ts! });
    expect((replies.messages ?? []).map((m) => m.text)).toContain('I will bring the numbers');

    const ls = await h.run(['ls', '--json']);
    expect(ls.json.find((c: any) => c.id === clone.id).seed.ai).toEqual({ volume: 5, prompt: 'a rocket startup' });
  }, 60_000);
});
