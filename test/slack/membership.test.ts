import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import type { WebClient } from '@slack/web-api';
import { startSlackOnHost, type SlackHost } from '../support/slack-host.ts';
import { admin, client, expectSlackShape, slackError } from './helpers.ts';

/** Private channels, DMs, group DMs, membership, lifecycle of a channel, and users.*. */

let host: SlackHost;
let bot: WebClient;
let user: WebClient;
const people: Record<string, { id: string; c: WebClient }> = {};

beforeAll(async () => {
  host = await startSlackOnHost();
  bot = client(host, host.tokens.botToken);
  user = client(host, host.tokens.userToken);
  await admin(host, '/__asym/seed', { records: { users: ['dan', 'eve', 'fay'].map((name) => ({ name, real_name: `${name} Test`, email: `${name}@acme.test` })) } });
  for (const name of ['dan', 'eve', 'fay']) {
    const t = await admin(host, '/__asym/slack/user-token', { user: name });
    people[name] = { id: t.body.user_id, c: client(host, t.body.token) };
  }
}, 60_000);
afterAll(async () => {
  await host?.stop();
}, 60_000);

const P = (n: string) => people[n]!;

describe('private channels', () => {
  test('invisible to non-members, visible once invited', async () => {
    const c = (await P('dan').c.conversations.create({ name: 'secret', is_private: true })).channel!;
    expect(c).toMatchObject({ is_private: true, is_channel: true });
    expect(await slackError(P('eve').c.conversations.info({ channel: c.id! }))).toBe('channel_not_found');
    expect(await slackError(P('eve').c.conversations.join({ channel: c.id! }))).toBe('channel_not_found');
    const pub = await P('eve').c.conversations.list({ types: 'public_channel,private_channel' });
    expect(pub.channels!.some((x) => x.id === c.id)).toBe(false);
    const inv = await P('dan').c.conversations.invite({ channel: c.id!, users: P('eve').id });
    await expectSlackShape('conversations.invite', inv);
    expect((await P('eve').c.conversations.info({ channel: c.id! })).channel!.is_member).toBe(true);
    const mine = await P('eve').c.users.conversations({ types: 'private_channel' });
    expect(mine.channels!.map((x) => x.id)).toContain(c.id);
    // "Returned conversation objects do not include num_members or is_member" (Slack's description).
    for (const x of mine.channels!) expect(x).not.toHaveProperty('is_member');
    await expectSlackShape('users.conversations', mine);
    expect(await slackError(P('dan').c.conversations.invite({ channel: c.id!, users: P('eve').id }))).toBe('already_in_channel');
    expect(await slackError(P('dan').c.conversations.invite({ channel: c.id!, users: 'U0NOBODY' }))).toBe('user_not_found');
    expect(await slackError(P('fay').c.conversations.invite({ channel: c.id!, users: P('fay').id }))).toBe('channel_not_found');
  });
});

describe('membership and lifecycle', () => {
  test('join, members, kick, leave', async () => {
    const c = (await P('dan').c.conversations.create({ name: 'open-room' })).channel!.id!;
    const j = await bot.conversations.join({ channel: c });
    expect(j.channel!.is_member).toBe(true);
    await expectSlackShape('conversations.join', j);
    const again = await bot.conversations.join({ channel: c });
    expect(again.warning).toBe('already_in_channel');
    await P('eve').c.conversations.join({ channel: c });
    const m = await bot.conversations.members({ channel: c, limit: 2 });
    expect(m.members!.length).toBe(2);
    const m2 = await bot.conversations.members({ channel: c, limit: 2, cursor: m.response_metadata!.next_cursor });
    expect([...m.members!, ...m2.members!].sort()).toEqual([P('dan').id, P('eve').id, host.tokens.botUserId].sort());
    await expectSlackShape('conversations.members', m);
    expect(await slackError(P('dan').c.conversations.kick({ channel: c, user: P('dan').id }))).toBe('cant_kick_self');
    await P('dan').c.conversations.kick({ channel: c, user: P('eve').id });
    expect(await slackError(P('dan').c.conversations.kick({ channel: c, user: P('eve').id }))).toBe('not_in_channel');
    await bot.conversations.leave({ channel: c });
    expect(await slackError(bot.chat.postMessage({ channel: c, text: 'x' }))).toBe('not_in_channel');
    const leftAgain = await bot.conversations.leave({ channel: c });
    expect((leftAgain as any).not_in_channel).toBe(true);
    expect(await slackError(user.conversations.leave({ channel: host.tokens.generalChannelId }))).toBe('cant_leave_general');
  });

  test('archive, unarchive, rename, topic, purpose, mark', async () => {
    const c = (await P('dan').c.conversations.create({ name: 'life' })).channel!.id!;
    const t = await P('dan').c.conversations.setTopic({ channel: c, topic: 'New topic' });
    expect(t.channel!.topic!.value).toBe('New topic');
    await expectSlackShape('conversations.setTopic', t);
    const p = await P('dan').c.conversations.setPurpose({ channel: c, purpose: 'Why we exist' });
    expect((p.channel as any).purpose.value).toBe('Why we exist');
    const r = await P('dan').c.conversations.rename({ channel: c, name: 'life-2' });
    expect(r.channel).toMatchObject({ name: 'life-2', previous_names: ['life'] });
    await expectSlackShape('conversations.rename', r);
    await P('dan').c.conversations.create({ name: 'taken-name' });
    expect(await slackError(P('dan').c.conversations.rename({ channel: c, name: 'taken-name' }))).toBe('name_taken');
    const h = await P('dan').c.conversations.history({ channel: c });
    expect(h.messages!.map((m) => m.subtype)).toEqual(['channel_name', 'channel_purpose', 'channel_topic', 'channel_join']);
    await P('dan').c.conversations.mark({ channel: c, ts: h.messages![0]!.ts! });
    expect((await P('dan').c.conversations.info({ channel: c })).channel!.last_read).toBe(h.messages![0]!.ts);
    await P('dan').c.conversations.archive({ channel: c });
    expect((await P('dan').c.conversations.info({ channel: c })).channel!.is_archived).toBe(true);
    expect(await slackError(P('dan').c.conversations.archive({ channel: c }))).toBe('already_archived');
    const listed = await P('dan').c.conversations.list({ exclude_archived: true });
    expect(listed.channels!.some((x) => x.id === c)).toBe(false);
    await P('dan').c.conversations.unarchive({ channel: c });
    expect(await slackError(P('dan').c.conversations.unarchive({ channel: c }))).toBe('not_archived');
    expect(await slackError(user.conversations.archive({ channel: host.tokens.generalChannelId }))).toBe('cant_archive_general');
  });
});

describe('DMs and group DMs', () => {
  test('open an im (idempotent), an mpim, close', async () => {
    const o = await P('dan').c.conversations.open({ users: P('eve').id });
    expect(o.channel!.id).toMatch(/^D/);
    await expectSlackShape('conversations.open', o);
    const again = await P('eve').c.conversations.open({ users: P('dan').id, return_im: true });
    expect(again.channel!.id).toBe(o.channel!.id);
    expect(again.channel!.user).toBe(P('dan').id);
    await P('dan').c.chat.postMessage({ channel: o.channel!.id!, text: 'hey eve' });
    expect((await P('eve').c.conversations.history({ channel: o.channel!.id! })).messages![0]!.text).toBe('hey eve');
    expect(await slackError(P('fay').c.conversations.history({ channel: o.channel!.id! }))).toBe('channel_not_found');
    const mp = await P('dan').c.conversations.open({ users: `${P('eve').id},${P('fay').id}`, return_im: true });
    expect(mp.channel).toMatchObject({ is_mpim: true, is_private: true });
    const ims = await P('fay').c.conversations.list({ types: 'im,mpim' });
    expect(ims.channels!.map((c) => c.id)).toContain(mp.channel!.id);
    const closed = await P('dan').c.conversations.close({ channel: o.channel!.id! });
    expect(closed.ok).toBe(true);
    await expectSlackShape('conversations.close', closed);
    expect(await slackError(P('dan').c.conversations.open({ users: 'U0NOBODY' }))).toBe('user_not_found');
  });
});

describe('users.*', () => {
  test('lookupByEmail, profile get/set, presence, identity, discoverable contacts', async () => {
    const l = await bot.users.lookupByEmail({ email: 'eve@acme.test' });
    expect(l.user!.id).toBe(P('eve').id);
    await expectSlackShape('users.lookupByEmail', l);
    expect(await slackError(bot.users.lookupByEmail({ email: 'nobody@acme.test' }))).toBe('users_not_found');
    const set = await P('eve').c.users.profile.set({ profile: { status_text: 'Heads down', status_emoji: ':no_bell:', title: 'Engineer' } as any });
    expect(set.profile).toMatchObject({ status_text: 'Heads down', status_emoji: ':no_bell:', title: 'Engineer' });
    await expectSlackShape('users.profile.set', set);
    const got = await bot.users.profile.get({ user: P('eve').id });
    expect(got.profile!.status_text).toBe('Heads down');
    await expectSlackShape('users.profile.get', got);
    expect(await slackError(bot.users.profile.set({ profile: { title: 'x' } as any }))).toBe('not_allowed_token_type');
    await P('eve').c.users.setPresence({ presence: 'away' });
    const pres = await P('eve').c.users.getPresence({});
    expect(pres).toMatchObject({ presence: 'away', manual_away: true });
    await expectSlackShape('users.getPresence', pres);
    expect((await bot.users.getPresence({ user: P('eve').id })).presence).toBe('away');
    expect(await slackError(P('eve').c.users.identity({}))).toBe('missing_scope');
    const idTok = await admin(host, '/__asym/slack/user-token', { user: 'eve', scopes: ['identity.basic'] });
    const ident = await client(host, idTok.body.token).users.identity({});
    expect(ident.user!.id).toBe(P('eve').id);
    const disc = await bot.users.discoverableContacts.lookup({ email: 'dan@acme.test' });
    expect(disc.is_discoverable).toBe(true);
    expect((await P('eve').c.users.deletePhoto({})).ok).toBe(true);
    expect(await slackError(bot.users.setPhoto({ image: Buffer.from('x') } as any))).toBe('not_allowed_token_type');
  });

  test('team.info and bots.info', async () => {
    const t = await bot.team.info();
    expect(t.team).toMatchObject({ id: host.tokens.workspaceId, name: 'Acme', domain: 'acme' });
    await expectSlackShape('team.info', t);
    const b = await bot.bots.info({ bot: host.tokens.botId });
    expect(b.bot).toMatchObject({ id: host.tokens.botId, app_id: host.tokens.appId, user_id: host.tokens.botUserId });
    expect(await slackError(bot.bots.info({ bot: 'B0NOPE' }))).toBe('bot_not_found');
  });
});
