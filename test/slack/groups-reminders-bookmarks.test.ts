import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { SQL } from 'bun';
import type { WebClient } from '@slack/web-api';
import type { SlackHost } from '../support/slack-host.ts';
import { hostWithCarol, slackError } from './helpers.ts';

/** usergroups.*, reminders.* and bookmarks.* through @slack/web-api, with what they persist. */

let host: SlackHost;
let bot: WebClient;
let user: WebClient;
let carol: WebClient;
let carolId = '';
let ch = '';
let sql: SQL;

beforeAll(async () => {
  ({ host, bot, user, carol, carolId, ch } = await hostWithCarol('groups-room'));
  sql = new SQL(host.databaseUrl);
}, 60_000);
afterAll(async () => {
  await sql?.close();
  await host?.stop();
}, 60_000);

describe('usergroups', () => {
  test('create, update, members, disable and enable, list', async () => {
    const created = await user.usergroups.create({ name: 'Release Crew', handle: 'release-crew', description: 'ships it', channels: ch, include_count: true });
    const g = created.usergroup!;
    expect(g).toMatchObject({ name: 'Release Crew', handle: 'release-crew', description: 'ships it', is_usergroup: true, team_id: host.tokens.workspaceId, created_by: host.tokens.adminUserId, date_delete: 0, user_count: 0, prefs: { channels: [ch], groups: [] } });
    expect(g.id).toMatch(/^S/);
    expect(await slackError(user.usergroups.create({ name: 'release crew' }))).toBe('name_already_exists');
    expect(await slackError(user.usergroups.create({ name: 'Other', handle: 'release-crew' }))).toBe('handle_already_exists');
    // A handle is unique among people and channels too.
    expect(await slackError(user.usergroups.create({ name: 'Carols', handle: 'carol' }))).toBe('handle_already_exists');
    expect(await slackError(user.usergroups.create({ name: 'Bad', handle: 'Has Space' }))).toBe('bad_handle');
    expect(await slackError(user.usergroups.create({ name: 'Chans', channels: 'C0NOSUCH00' }))).toBe('invalid_channel_provided');
    expect(await slackError(user.usergroups.create({} as never))).toBe('missing_subteam_name');

    const members = await bot.usergroups.users.update({ usergroup: g.id!, users: `${carolId},${host.tokens.adminUserId}`, include_count: true });
    expect(members.usergroup).toMatchObject({ users: [carolId, host.tokens.adminUserId], user_count: 2 });
    expect((await carol.usergroups.users.list({ usergroup: g.id! })).users).toEqual([carolId, host.tokens.adminUserId]);
    expect(await slackError(bot.usergroups.users.update({ usergroup: g.id!, users: 'U0NOBODY00' }))).toBe('invalid_users');
    expect(await slackError(bot.usergroups.users.update({ usergroup: g.id!, users: host.tokens.botUserId }))).toBe('invalid_users');
    expect(await slackError(bot.usergroups.users.update({ usergroup: g.id!, users: '' }))).toBe('no_users_provided');
    expect(await slackError(bot.usergroups.users.list({ usergroup: 'S0NOSUCH00' }))).toBe('no_such_subteam');

    const upd = await user.usergroups.update({ usergroup: g.id!, name: 'Release Team', description: 'ships it weekly' });
    expect(upd.usergroup).toMatchObject({ name: 'Release Team', handle: 'release-crew', description: 'ships it weekly', updated_by: host.tokens.adminUserId });
    expect(await slackError(user.usergroups.update({ usergroup: g.id!, description: 'x'.repeat(141) }))).toBe('description_too_long');

    const disabled = await user.usergroups.disable({ usergroup: g.id! });
    expect(disabled.usergroup?.date_delete).toBeGreaterThan(0);
    expect(disabled.usergroup?.deleted_by).toBe(host.tokens.adminUserId);
    expect((await bot.usergroups.list({})).usergroups?.map((x) => x.id)).not.toContain(g.id);
    const withDisabled = await bot.usergroups.list({ include_disabled: true, include_users: true, include_count: true });
    expect(withDisabled.usergroups?.find((x) => x.id === g.id)).toMatchObject({ name: 'Release Team', users: [carolId, host.tokens.adminUserId], user_count: 2 });
    expect(await slackError(bot.usergroups.users.list({ usergroup: g.id! }))).toBe('no_such_subteam');
    expect((await bot.usergroups.users.list({ usergroup: g.id!, include_disabled: true })).users?.length).toBe(2);
    await user.usergroups.enable({ usergroup: g.id! });
    expect((await bot.usergroups.list({})).usergroups?.map((x) => x.id)).toContain(g.id);
    const stored = await sql`select name, users, date_delete from usergroups where id = ${g.id}`;
    expect(stored[0]).toMatchObject({ name: 'Release Team', users: [carolId, host.tokens.adminUserId] });
    expect(Number(stored[0].date_delete)).toBe(0);
  });

  test('a free workspace has no user groups', async () => {
    await sql`update teams set plan = ''`;
    expect(await slackError(user.usergroups.create({ name: 'Free' }))).toBe('paid_teams_only');
    expect(await slackError(bot.usergroups.list({}))).toBe('plan_upgrade_required');
    await sql`update teams set plan = 'std'`;
  });
});

describe('reminders', () => {
  test('add in several phrasings, info, list, complete, delete', async () => {
    // Times are relative to the clone's clock (not necessarily the wall clock): read it from a reminder due in 1 s.
    const now = (await carol.reminders.add({ text: 'clock', time: '1' })).reminder!.time! - 1;
    const inFive = await carol.reminders.add({ text: 'stand up', time: 'in 5 minutes' });
    const r = inFive.reminder!;
    expect(r).toMatchObject({ creator: carolId, user: carolId, text: 'stand up', recurring: false, complete_ts: 0 });
    expect(r.id).toMatch(/^Rm/);
    expect(Math.abs(r.time! - (now + 300))).toBeLessThan(5);
    const secs = await carol.reminders.add({ text: 'tea', time: '600' });
    expect(Math.abs(secs.reminder!.time! - (now + 600))).toBeLessThan(5);
    const at = await carol.reminders.add({ text: 'launch', time: String(now + 7 * 86400) });
    expect(at.reminder!.time).toBe(now + 7 * 86400);
    const weekly = await carol.reminders.add({ text: 'retro', time: 'every friday' });
    expect(weekly.reminder).toMatchObject({ recurring: true, recurrence: { frequency: 'weekly', weekdays: ['friday'] } });
    expect(weekly.reminder!.time).toBeUndefined();
    const forOther = await carol.reminders.add({ text: 'review the PR', time: 'in 1 hour', user: host.tokens.adminUserId });
    expect(forOther.reminder).toMatchObject({ creator: carolId, user: host.tokens.adminUserId });

    expect(await slackError(carol.reminders.add({ text: 'x', time: 'whenever' }))).toBe('cannot_parse');
    expect(await slackError(carol.reminders.add({ text: 'x', time: String(now - 10_000_000) }))).toBe('cannot_parse');
    expect(await slackError(carol.reminders.add({ text: 'x', time: 'in 5 minutes', user: host.tokens.botUserId }))).toBe('cannot_add_bot');
    expect(await slackError(carol.reminders.add({ text: 'x', time: 'every day', user: host.tokens.adminUserId }))).toBe('cannot_add_others_recurring');
    expect(await slackError(carol.reminders.add({ text: 'x', time: 'in 5 minutes', user: 'U0NOBODY00' }))).toBe('user_not_found');
    expect(await slackError(carol.reminders.add({ time: 'in 5 minutes' } as never))).toBe('missing_argument');
    expect(await slackError(bot.reminders.add({ text: 'x', time: 'in 5 minutes' }))).toBe('not_allowed_token_type');

    expect((await carol.reminders.info({ reminder: r.id! })).reminder?.text).toBe('stand up');
    // The admin sees the one set for them, not carol's own.
    expect((await user.reminders.list({})).reminders?.map((x) => x.id)).toEqual([forOther.reminder!.id]);
    expect(await slackError(user.reminders.info({ reminder: r.id! }))).toBe('not_found');
    expect((await carol.reminders.list({})).reminders?.length).toBe(6);

    await carol.reminders.complete({ reminder: r.id! });
    expect((await carol.reminders.info({ reminder: r.id! })).reminder?.complete_ts).toBeGreaterThan(0);
    expect(await slackError(carol.reminders.complete({ reminder: weekly.reminder!.id! }))).toBe('cannot_complete_recurring');
    expect(await slackError(carol.reminders.complete({ reminder: forOther.reminder!.id! }))).toBe('cannot_complete_others');
    await user.reminders.complete({ reminder: forOther.reminder!.id! });

    await carol.reminders.delete({ reminder: secs.reminder!.id! });
    expect(await slackError(carol.reminders.info({ reminder: secs.reminder!.id! }))).toBe('not_found');
    expect(await slackError(carol.reminders.delete({ reminder: secs.reminder!.id! }))).toBe('not_found');
    expect((await sql`select count(*)::int as n from reminders where creator = ${carolId}`)[0].n).toBe(5);
  });
});

describe('bookmarks', () => {
  test('add, edit, list in order, remove', async () => {
    const a = await bot.bookmarks.add({ channel_id: ch, title: 'Runbook', type: 'link', link: 'https://wiki.example.test/runbook', emoji: ':book:' });
    expect(a.bookmark).toMatchObject({ channel_id: ch, title: 'Runbook', link: 'https://wiki.example.test/runbook', emoji: ':book:', type: 'link', icon_url: 'https://wiki.example.test/favicon.ico', last_updated_by_user_id: host.tokens.botUserId, app_id: host.tokens.appId });
    expect(a.bookmark!.id).toMatch(/^Bk/);
    const b = await carol.bookmarks.add({ channel_id: ch, title: 'Dashboard', type: 'link', link: 'https://dash.example.test' });
    const listed = await carol.bookmarks.list({ channel_id: ch });
    expect(listed.bookmarks?.map((x) => x.title)).toEqual(['Runbook', 'Dashboard']);

    const e = await carol.bookmarks.edit({ channel_id: ch, bookmark_id: a.bookmark!.id!, title: 'Runbook v2' });
    expect(e.bookmark).toMatchObject({ title: 'Runbook v2', link: 'https://wiki.example.test/runbook', emoji: ':book:', last_updated_by_user_id: carolId });
    expect(e.bookmark!.date_updated).toBeGreaterThan(0);

    expect(await slackError(bot.bookmarks.add({ channel_id: ch, title: 'x', type: 'link', link: 'ftp://x.test' }))).toBe('invalid_link');
    expect(await slackError(bot.bookmarks.add({ channel_id: ch, title: 'x', type: 'link', link: 'https://x.test', emoji: 'no colons' }))).toBe('invalid_emoji');
    expect(await slackError(bot.bookmarks.add({ channel_id: ch, title: 'x', type: 'folder' as never, link: 'https://x.test' }))).toBe('invalid_bookmark_type');
    expect(await slackError(bot.bookmarks.add({ channel_id: 'C0NOSUCH00', title: 'x', type: 'link', link: 'https://x.test' }))).toBe('channel_not_found');
    expect(await slackError(bot.bookmarks.edit({ channel_id: ch, bookmark_id: 'Bk0NOSUCH0', title: 'x' }))).toBe('not_found');

    await bot.bookmarks.remove({ channel_id: ch, bookmark_id: b.bookmark!.id! });
    expect((await bot.bookmarks.list({ channel_id: ch })).bookmarks?.map((x) => x.id)).toEqual([a.bookmark!.id]);
    expect(await slackError(bot.bookmarks.remove({ channel_id: ch, bookmark_id: b.bookmark!.id! }))).toBe('not_found');
    expect((await sql`select title from bookmarks where channel_id = ${ch}`).map((r: { title: string }) => r.title)).toEqual(['Runbook v2']);

    // The bot is not in #general: it may read a public channel's bookmarks but not write them.
    expect((await bot.bookmarks.list({ channel_id: host.tokens.generalChannelId })).bookmarks).toEqual([]);
    expect(await slackError(bot.bookmarks.add({ channel_id: host.tokens.generalChannelId, title: 'x', type: 'link', link: 'https://x.test' }))).toBe('permission_denied');
  });

  test(`at most 100 bookmarks a channel`, async () => {
    const room = (await user.conversations.create({ name: 'bookmarked' })).channel!.id!;
    await sql`insert into bookmarks (id, channel_id, team_id, title, link, rank, created_by, last_updated_by, date_created)
      select 'Bk0FILL' || g, ${room}, ${host.tokens.workspaceId}, 'fill ' || g, 'https://x.test/' || g, lpad(g::text, 6, '0'), ${host.tokens.adminUserId}, ${host.tokens.adminUserId}, 1
      from generate_series(1, 100) g`;
    expect(await slackError(user.bookmarks.add({ channel_id: room, title: 'one more', type: 'link', link: 'https://x.test/101' }))).toBe('too_many_bookmarks');
  });
});
