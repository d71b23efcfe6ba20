import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { SQL } from 'bun';
import type { WebClient } from '@slack/web-api';
import type { SlackHost } from '../support/slack-host.ts';
import { admin, client, expectSlackShape, hostWithCarol, slackError } from './helpers.ts';

/** auth.revoke, auth.teams.list and team.* through @slack/web-api, with the state they read and write. */

let host: SlackHost;
let bot: WebClient;
let user: WebClient;
let carol: WebClient;
let carolId = '';
let ch = '';
let sql: SQL;

beforeAll(async () => {
  ({ host, bot, user, carol, carolId, ch } = await hostWithCarol('team-room'));
  sql = new SQL(host.databaseUrl);
}, 60_000);
afterAll(async () => {
  await sql?.close();
  await host?.stop();
}, 60_000);

describe('auth.teams.list', () => {
  test('the one workspace, with its icon when asked', async () => {
    const r = await bot.auth.teams.list({ include_icon: true });
    expect(r.teams).toEqual([{ id: host.tokens.workspaceId, name: 'Acme', icon: expect.objectContaining({ image_default: true, image_34: expect.stringContaining(host.tokens.workspaceId) }) }]);
    expect(r.response_metadata?.next_cursor).toBe('');
    await expectSlackShape('auth.teams.list', r);
    const plain = await user.auth.teams.list({});
    expect(plain.teams).toEqual([{ id: host.tokens.workspaceId, name: 'Acme' }]);
    expect(await slackError(bot.auth.teams.list({ cursor: 'not-a-cursor' }))).toBe('invalid_cursor');
  });
});

describe('team: plan, preferences, profile', () => {
  test('team.billing.info answers the stored plan; team.preferences.list the defaults and overrides', async () => {
    expect((await bot.team.billing.info({})).plan).toBe('std');
    await sql`update teams set plan = 'plus', prefs = '{"msg_edit_window_mins": 15}'::jsonb`;
    expect((await bot.team.billing.info({})).plan).toBe('plus');
    const prefs = await bot.team.preferences.list({});
    expect(prefs).toMatchObject({ ok: true, allow_message_deletion: true, display_real_names: false, disable_file_uploads: 'allow_all', msg_edit_window_mins: 15, who_can_post_general: 'everyone' });
    await expectSlackShape('team.preferences.list', prefs);
    await sql`update teams set plan = 'std', prefs = '{}'::jsonb`;
  });

  test('team.profile.get: sections and fields, filtered by visibility', async () => {
    const all = await user.team.profile.get({});
    expect(all.profile?.fields?.map((f) => f.field_name)).toEqual(['title', 'phone']);
    expect(all.profile?.sections?.map((s) => s.section_type)).toEqual(['about_me', 'contact']);
    await expectSlackShape('team.profile.get', all);
    await sql`update team_profile_fields set is_hidden = true where field_name = 'phone'`;
    expect((await user.team.profile.get({ visibility: 'visible' })).profile?.fields?.map((f) => f.field_name)).toEqual(['title']);
    expect((await user.team.profile.get({ visibility: 'hidden' })).profile?.fields?.map((f) => f.field_name)).toEqual(['phone']);
    await sql`update team_profile_fields set is_hidden = false`;
    expect(await slackError(user.team.profile.get({ visibility: 'some' as never }))).toBe('invalid_arguments');
  });
});

describe('team: admin reports', () => {
  test('team.billableInfo: people, not bots; deactivated people are not billing_active', async () => {
    expect(await slackError(bot.team.billableInfo({}))).toBe('not_allowed_token_type');
    // carol is a person without the admin scope.
    expect(await slackError(carol.team.billableInfo({}))).toBe('missing_scope');
    const r = await user.team.billableInfo({});
    const info = r.billable_info as Record<string, { billing_active: boolean }>;
    expect(info[carolId]).toEqual({ billing_active: true });
    expect(info[host.tokens.adminUserId]).toEqual({ billing_active: true });
    expect(info[host.tokens.botUserId]).toBeUndefined();
    await expectSlackShape('team.billableInfo', r);
    await sql`update users set deleted = true where id = ${carolId}`;
    const one = await user.team.billableInfo({ user: carolId });
    expect(one.billable_info).toEqual({ [carolId]: { billing_active: false } });
    await sql`update users set deleted = false where id = ${carolId}`;
    expect(await slackError(user.team.billableInfo({ user: 'U0NOBODY00' }))).toBe('user_not_found');
    // limit 1 pages through every person once.
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 10; i++) {
      const page = await user.team.billableInfo({ limit: 1, cursor });
      seen.push(...Object.keys(page.billable_info ?? {}));
      cursor = page.response_metadata?.next_cursor || undefined;
      if (!cursor) break;
    }
    expect(seen.sort()).toEqual(Object.keys(info).sort());
  });

  test('team.accessLogs and team.integrationLogs: paid plans only, count/page bounds', async () => {
    const logs = await user.team.accessLogs({});
    expect(logs.logins?.map((l) => l.user_id)).toContain(host.tokens.adminUserId);
    expect(logs.paging).toMatchObject({ count: 100, page: 1, total: logs.logins!.length });
    await expectSlackShape('team.accessLogs', logs);
    expect((await user.team.accessLogs({ before: 1 })).logins).toEqual([]);
    expect(await slackError(user.team.accessLogs({ count: 1001 }))).toBe('over_pagination_limit');
    expect(await slackError(user.team.accessLogs({ page: 101 }))).toBe('over_pagination_limit');

    const integ = await user.team.integrationLogs({});
    expect(integ.logs).toEqual([expect.objectContaining({ app_id: host.tokens.appId, app_type: 'app', change_type: 'added', user_id: host.tokens.adminUserId, scope: expect.stringContaining('chat:write') })]);
    await expectSlackShape('team.integrationLogs', integ);
    expect((await user.team.integrationLogs({ app_id: 'A0OTHER000' })).logs).toEqual([]);
    expect((await user.team.integrationLogs({ change_type: 'removed' })).logs).toEqual([]);
    expect(await slackError(user.team.integrationLogs({ change_type: 'exploded' as never }))).toBe('invalid_arguments');

    await sql`update teams set plan = ''`;
    expect(await slackError(user.team.accessLogs({}))).toBe('paid_only');
    expect(await slackError(user.team.integrationLogs({}))).toBe('paid_only');
    expect((await bot.team.billing.info({})).plan).toBe('');
    await sql`update teams set plan = 'std'`;
  });
});

describe('team.externalTeams: the organisations of Slack Connect channels', () => {
  test('list shows a connected organisation; disconnect removes it from every channel and lists it DISCONNECTED', async () => {
    expect((await bot.team.externalTeams.list({})).organizations).toEqual([]);
    const inv = await bot.conversations.inviteShared({ channel: ch, emails: ['pat@globex.test'], external_limited: false });
    const accepted = await admin(host, '/__asym/slack/connect/accept', { invite_id: inv.invite_id, team: { name: 'Globex', domain: 'globex' }, user: { name: 'pat' } });
    const teamId = accepted.body.accepting_team.id as string;
    await bot.conversations.approveSharedInvite({ invite_id: inv.invite_id!, target_team: teamId });

    const list = await bot.team.externalTeams.list({});
    expect(list.total_count).toBe(1);
    expect(list.organizations).toEqual([expect.objectContaining({ team_id: teamId, team_name: 'Globex', connection_status: 'CONNECTED', public_channel_count: 1, private_channel_count: 0, connected_workspaces: [{ workspace_id: host.tokens.workspaceId, workspace_name: 'Acme' }] })]);
    await expectSlackShape('team.externalTeams.list', list);
    expect((await bot.conversations.info({ channel: ch })).channel?.is_ext_shared).toBe(true);

    expect(await slackError(bot.team.externalTeams.disconnect({ target_team: 'T0NOTCONN0' }))).toBe('invalid_target_team');
    await bot.team.externalTeams.disconnect({ target_team: teamId });
    const rows = await sql`select connected_teams from conversations where id = ${ch}`;
    expect(rows[0].connected_teams).toEqual([]);
    const after = await bot.team.externalTeams.list({});
    expect(after.organizations?.map((o) => [o.team_id, o.connection_status, o.public_channel_count])).toEqual([[teamId, 'DISCONNECTED', 0]]);
    expect((await bot.team.externalTeams.list({ connection_status_filter: ['CONNECTED'] as never })).organizations).toEqual([]);
    expect(await slackError(bot.team.externalTeams.list({ connection_status_filter: ['GONE'] as never }))).toBe('invalid_arguments');
    // Disconnecting again: it is no longer connected.
    expect(await slackError(bot.team.externalTeams.disconnect({ target_team: teamId }))).toBe('invalid_target_team');
  });
});

describe('auth.revoke', () => {
  test('test=true revokes nothing; then the token is revoked, in the database too', async () => {
    const t = await user.auth.revoke({ test: true });
    expect(t).toMatchObject({ ok: true, revoked: false });
    expect((await user.auth.test()).ok).toBe(true);
    const r = await user.auth.revoke({});
    expect(r).toMatchObject({ ok: true, revoked: true });
    expect(await slackError(user.auth.test())).toBe('token_revoked');
    const rows = await sql`select revoked from tokens where kind = 'user' and user_id = ${host.tokens.adminUserId}`;
    expect(rows.map((x: { revoked: boolean }) => x.revoked)).toEqual([true]);
    // Other tokens are untouched.
    expect((await bot.auth.test()).ok).toBe(true);
    expect(await slackError(client(host, 'xoxb-not-a-token').auth.revoke({}))).toBe('invalid_auth');
  });
});
