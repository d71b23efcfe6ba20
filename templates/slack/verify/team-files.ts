/**
 * Verify steps for the Slack methods added with issue 18: auth.revoke, auth.teams.list, the
 * team.* reports and Slack Connect organisations, files.remote.*, public file links and
 * files.comments.delete. Written to run after the main Slack scenario (src/verify/scenarios/
 * slack.ts, which "folder" is moving): it makes its own people, channel and connection.
 * Wiring is one line at the end of that scenario: `await teamFilesSteps(ctx);`.
 */
import { LogLevel, WebClient } from '@slack/web-api';
import { stepFailed, type Scenario } from '../../../src/verify/types.ts';

export const teamFilesSteps: Scenario = async (ctx) => {
  const sdk = (token: string) => new WebClient(token, { slackApiUrl: `${ctx.apiUrl}/api/`, retryConfig: { retries: 0 }, logLevel: LogLevel.ERROR });
  const t = ctx.clone.tokens!;
  const u = `tf${ctx.unique}`;
  const bot = sdk(t.botToken);
  const admin = sdk(t.userToken);
  const is = (cond: unknown, what: string) => {
    if (!cond) throw stepFailed(what);
  };
  const person = async (user: string, scopes?: string[]) => {
    const r = await ctx.admin('slack/user-token', { user, scopes });
    if (r.status !== 200) throw stepFailed(`user-token for ${user}: ${JSON.stringify(r.json)}`);
    return { id: r.json.user_id as string, c: sdk(r.json.token as string) };
  };

  let erin = { id: '', c: admin };
  let ch = '';
  await ctx.step('team/files setup: a person and a channel', async () => {
    const seeded = await ctx.admin('seed', { records: { users: [{ name: `erin-${u}`, real_name: 'Erin Verify', email: `erin-${u}@acme.test` }] } });
    if (seeded.status !== 200) throw stepFailed(`seed: ${JSON.stringify(seeded.json)}`);
    erin = await person(`erin-${u}`);
    ch = (await admin.conversations.create({ name: `tf-${u}` })).channel!.id!;
    await admin.conversations.invite({ channel: ch, users: `${t.botUserId},${erin.id}` });
  });

  await ctx.step('auth: teams.list', async () => {
    const r = await bot.auth.teams.list({ include_icon: true });
    await ctx.check('auth.teams.list', 'the token\'s one workspace, with its icon', () => is(r.teams?.length === 1 && r.teams[0]?.id === t.workspaceId && !!r.teams[0]?.icon, JSON.stringify(r.teams).slice(0, 160)));
    await ctx.errorCase('auth.teams.list', 'bad cursor', { status: 200, code: 'invalid_cursor' }, () => bot.auth.teams.list({ cursor: 'garbage' }));
  });

  await ctx.step('team: plan, preferences, profile', async () => {
    const plan = await bot.team.billing.info({});
    await ctx.check('team.billing.info', 'a paid plan (Pro) by default', () => is(plan.plan === 'std', String(plan.plan)));
    const prefs = await bot.team.preferences.list({});
    await ctx.check('team.preferences.list', 'the documented defaults', () => is(prefs.allow_message_deletion === true && prefs.who_can_post_general === 'everyone', JSON.stringify(prefs).slice(0, 160)));
    const profile = await admin.team.profile.get({});
    await ctx.check('team.profile.get', 'the title and phone fields in their sections', () => is(profile.profile?.fields?.map((f) => f.field_name).join() === 'title,phone' && profile.profile?.sections?.length === 2, JSON.stringify(profile.profile).slice(0, 160)));
    await ctx.errorCase('team.profile.get', 'unknown visibility', { status: 200, code: 'invalid_arguments' }, () => admin.team.profile.get({ visibility: 'some' as never }));
  });

  await ctx.step('team: admin reports', async () => {
    const billable = await admin.team.billableInfo({});
    const info = (billable.billable_info ?? {}) as Record<string, { billing_active?: boolean }>;
    await ctx.check('team.billableInfo', 'the seeded person is billable, the bot is not', () => is(info[erin.id]?.billing_active === true && !info[t.botUserId], JSON.stringify(info).slice(0, 160)));
    await ctx.errorCase('team.billableInfo', 'unknown user', { status: 200, code: 'user_not_found' }, () => admin.team.billableInfo({ user: 'U0ASYMMISS' }));
    const logs = await admin.team.accessLogs({});
    await ctx.check('team.accessLogs', 'the admin\'s token is a login', () => is((logs.logins ?? []).some((l) => l.user_id === t.adminUserId), JSON.stringify(logs.logins).slice(0, 160)));
    await ctx.errorCase('team.accessLogs', 'over the page limit', { status: 200, code: 'over_pagination_limit' }, () => admin.team.accessLogs({ count: 1001 }));
    const integ = await admin.team.integrationLogs({});
    await ctx.check('team.integrationLogs', 'the app\'s installation', () => is((integ.logs ?? []).some((l) => l.app_id === t.appId && l.change_type === 'added'), JSON.stringify(integ.logs).slice(0, 160)));
    await ctx.errorCase('team.integrationLogs', 'unknown change_type', { status: 200, code: 'invalid_arguments' }, () => admin.team.integrationLogs({ change_type: 'exploded' as never }));
  });

  await ctx.step('team: external organisations', async () => {
    const inv = await bot.conversations.inviteShared({ channel: ch, emails: [`kim-${u}@initrode.test`], external_limited: false });
    const accepted = await ctx.admin('slack/connect/accept', { invite_id: inv.invite_id, team: { name: 'Initrode', domain: `initrode-${u}` }, user: { name: 'kim' } });
    const team = accepted.json?.accepting_team?.id as string;
    await bot.conversations.approveSharedInvite({ invite_id: inv.invite_id!, target_team: team });
    const list = await bot.team.externalTeams.list({ limit: 100 });
    await ctx.check('team.externalTeams.list', 'the connected organisation, CONNECTED, with its channel', () => is((list.organizations ?? []).some((o) => o.team_id === team && o.connection_status === 'CONNECTED' && (o.public_channel_count ?? 0) >= 1), JSON.stringify(list.organizations).slice(0, 200)));
    await ctx.errorCase('team.externalTeams.list', 'unknown status filter', { status: 200, code: 'invalid_arguments' }, () => bot.team.externalTeams.list({ connection_status_filter: ['GONE'] as never }));
    await bot.team.externalTeams.disconnect({ target_team: team });
    const info = await bot.conversations.info({ channel: ch });
    const after = await bot.team.externalTeams.list({ limit: 100 });
    await ctx.check('team.externalTeams.disconnect', 'the channel is no longer shared; the organisation is DISCONNECTED', () => is(info.channel?.is_ext_shared === false && (after.organizations ?? []).some((o) => o.team_id === team && o.connection_status === 'DISCONNECTED'), `${info.channel?.is_ext_shared} ${JSON.stringify(after.organizations).slice(0, 160)}`));
    await ctx.errorCase('team.externalTeams.disconnect', 'not connected', { status: 200, code: 'invalid_target_team' }, () => bot.team.externalTeams.disconnect({ target_team: team }));
  });

  await ctx.step('files: remote files', async () => {
    const added = await bot.files.remote.add({ external_id: `ext-${u}`, external_url: `https://docs.example.test/${u}`, title: 'Remote plan' });
    const id = added.file!.id!;
    await ctx.errorCase('files.remote.add', 'title too long', { status: 200, code: 'bad_title' }, () => bot.files.remote.add({ external_id: `x-${u}`, external_url: 'https://a.test/x', title: 't'.repeat(256) }));
    const info = await erin.c.files.remote.info({ external_id: `ext-${u}` });
    await ctx.check(['files.remote.add', 'files.remote.info'], 'the remote file, found by external_id', () => is(info.file?.id === id && info.file?.title === 'Remote plan' && info.file?.mode === 'external', JSON.stringify(info.file).slice(0, 160)));
    await ctx.errorCase('files.remote.info', 'unknown external_id', { status: 200, code: 'file_not_found' }, () => erin.c.files.remote.info({ external_id: `missing-${u}` }));
    await bot.files.remote.update({ file: id, title: 'Remote plan v2' });
    const updated = await bot.files.remote.info({ file: id });
    await ctx.check('files.remote.update', 'the new title reads back', () => is(updated.file?.title === 'Remote plan v2', String(updated.file?.title)));
    await ctx.errorCase('files.remote.update', 'unknown file', { status: 200, code: 'file_not_found' }, () => bot.files.remote.update({ file: 'F0ASYMMISS', title: 'x' }));
    await bot.files.remote.share({ file: id, channels: ch });
    const listed = await erin.c.files.remote.list({ channel: ch });
    await ctx.check(['files.remote.share', 'files.remote.list'], 'shared in the channel, and listed there', () => is((listed.files ?? []).some((f) => f.id === id), JSON.stringify(listed.files?.map((f) => f.id))));
    await ctx.errorCase('files.remote.share', 'unknown channel', { status: 200, code: 'channel_not_found' }, () => bot.files.remote.share({ file: id, channels: 'C0ASYMMISS' }));
    await ctx.errorCase('files.remote.list', 'bad cursor', { status: 200, code: 'invalid_cursor' }, () => erin.c.files.remote.list({ cursor: 'garbage' }));
    await bot.files.remote.remove({ file: id });
    await ctx.errorCase('files.remote.remove', 'already removed', { status: 200, code: 'file_not_found' }, () => bot.files.remote.remove({ file: id }));
    const gone = await erin.c.files.remote.list({});
    await ctx.check('files.remote.remove', 'no longer listed', () => is(!(gone.files ?? []).some((f) => f.id === id), 'still listed'));
  });

  await ctx.step('files: public link and comments', async () => {
    const up = (await admin.filesUploadV2({ channel_id: ch, content: `public ${u}`, filename: `pub-${u}.txt` })) as unknown as { files: { files: { id: string }[] }[] };
    const id = up.files[0]?.files[0]?.id;
    if (!id) throw stepFailed('filesUploadV2 returned no file id');
    const shared = await admin.files.sharedPublicURL({ file: id });
    const open = await fetch(shared.file!.permalink_public!);
    await ctx.check('files.sharedPublicURL', 'the public link serves the file without a token', async () => is(shared.file?.public_url_shared === true && open.status === 200 && (await open.text()) === `public ${u}`, `${open.status}`));
    await ctx.errorCase('files.sharedPublicURL', 'unknown file', { status: 200, code: 'file_not_found' }, () => admin.files.sharedPublicURL({ file: 'F0ASYMMISS' }));
    await admin.files.revokePublicURL({ file: id });
    const closed = await fetch(shared.file!.permalink_public!);
    await ctx.check('files.revokePublicURL', 'the public link no longer serves it', () => is(closed.status === 404, String(closed.status)));
    await ctx.errorCase('files.revokePublicURL', 'unknown file', { status: 200, code: 'file_not_found' }, () => admin.files.revokePublicURL({ file: 'F0ASYMMISS' }));
    await ctx.errorCase('files.comments.delete', 'no such comment', { status: 200, code: 'cant_delete' }, () => admin.files.comments.delete({ file: id, id: 'Fc0ASYMMISS' }));
    await ctx.errorCase('files.comments.delete', 'unknown file', { status: 200, code: 'file_not_found' }, () => admin.files.comments.delete({ file: 'F0ASYMMISS', id: 'Fc0ASYMMISS' }));
  });

  // Last: revoke a token of its own (erin's), so nothing after depends on it.
  await ctx.step('auth: revoke', async () => {
    const probe = await erin.c.auth.revoke({ test: true });
    const still = await erin.c.auth.test();
    await erin.c.auth.revoke({});
    let after = '';
    try {
      await erin.c.auth.test();
      after = 'ok';
    } catch (e) {
      after = (e as { data?: { error?: string } }).data?.error ?? String(e);
    }
    await ctx.check('auth.revoke', 'test=true keeps the token; then it is token_revoked', () => is((probe as { revoked?: boolean }).revoked === false && still.ok === true && after === 'token_revoked', after));
  });
};
