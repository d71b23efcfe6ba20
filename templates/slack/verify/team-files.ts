/**
 * Verify steps for the Slack methods added with issue 18: auth.revoke, auth.teams.list, the
 * team.* reports and Slack Connect organisations, files.remote.*, public file links,
 * usergroups.*, reminders.* and bookmarks.*. Run at the end of the main Slack scenario (./scenario.ts); it makes its own people,
 * channel and connection.
 */
import { LogLevel, WebClient } from '@slack/web-api';
import { is, stepFailed, type Scenario } from '../../../src/verify/types.ts';

export const teamFilesSteps: Scenario = async (ctx) => {
  const sdk = (token: string) => new WebClient(token, { slackApiUrl: `${ctx.apiUrl}/api/`, retryConfig: { retries: 0 }, logLevel: LogLevel.ERROR });
  const t = ctx.clone.tokens!;
  const u = `tf${ctx.unique}`;
  const bot = sdk(t.botToken);
  const admin = sdk(t.userToken);
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
    const auth = await bot.auth.test();
    await ctx.check('auth.teams.list', 'the token\'s one workspace, named as auth.test names it, with its icon', () => is(r.teams?.length === 1 && r.teams[0]?.id === t.workspaceId && r.teams[0]?.name === auth.team && !!r.teams[0]?.icon, JSON.stringify(r.teams).slice(0, 160)));
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
    await ctx.check('team.billableInfo', 'the seeded person is billable, the bot is not', () => is(info[erin.id]?.billing_active === true && !info[t.botUserId] && billable.response_metadata?.next_cursor === '', JSON.stringify(billable).slice(0, 160)));
    await ctx.errorCase('team.billableInfo', 'unknown user', { status: 200, code: 'user_not_found' }, () => admin.team.billableInfo({ user: 'U0ASYMMISS' }));
    const logs = await admin.team.accessLogs({});
    await ctx.check('team.accessLogs', 'the admin\'s token is a login, on page 1 of 1', () => is((logs.logins ?? []).some((l) => l.user_id === t.adminUserId && Number(l.count) >= 1) && logs.paging?.page === 1 && logs.paging?.pages === 1, JSON.stringify(logs).slice(0, 160)));
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
    await ctx.check(['files.remote.update', 'files.remote.info'], 'the new title reads back', () => is(updated.file?.title === 'Remote plan v2', String(updated.file?.title)));
    await ctx.errorCase('files.remote.update', 'unknown file', { status: 200, code: 'file_not_found' }, () => bot.files.remote.update({ file: 'F0ASYMMISS', title: 'x' }));
    const sharedTo = await bot.files.remote.share({ file: id, channels: ch });
    await ctx.check('files.remote.share', 'the answer is the file, titled as updated, in the channel', () => is(sharedTo.file?.id === id && sharedTo.file?.title === 'Remote plan v2' && (sharedTo.file?.channels ?? []).includes(ch), JSON.stringify(sharedTo.file).slice(0, 160)));
    const listed = await erin.c.files.remote.list({ channel: ch });
    await ctx.check(['files.remote.share', 'files.remote.list'], 'shared in the channel, and listed there with its title', () => is((listed.files ?? []).some((f) => f.id === id && f.title === 'Remote plan v2'), JSON.stringify(listed.files?.map((f) => [f.id, f.title]))));
    await ctx.errorCase('files.remote.share', 'unknown channel', { status: 200, code: 'channel_not_found' }, () => bot.files.remote.share({ file: id, channels: 'C0ASYMMISS' }));
    await ctx.errorCase('files.remote.list', 'bad cursor', { status: 200, code: 'invalid_cursor' }, () => erin.c.files.remote.list({ cursor: 'garbage' }));
    await bot.files.remote.remove({ file: id });
    await ctx.errorCase('files.remote.remove', 'already removed', { status: 200, code: 'file_not_found' }, () => bot.files.remote.remove({ file: id }));
    const gone = await erin.c.files.remote.list({});
    await ctx.check(['files.remote.remove', 'files.remote.list'], 'no longer listed', () => is(!(gone.files ?? []).some((f) => f.id === id), 'still listed'));
  });

  await ctx.step('files: public link', async () => {
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
  });

  await ctx.step('usergroups', async () => {
    const g = (await admin.usergroups.create({ name: `Crew ${u}`, handle: `crew-${u}`, channels: ch })).usergroup!;
    await ctx.errorCase('usergroups.create', 'name taken', { status: 200, code: 'name_already_exists' }, () => admin.usergroups.create({ name: `Crew ${u}` }));
    await bot.usergroups.users.update({ usergroup: g.id!, users: `${erin.id},${t.adminUserId}` });
    await ctx.errorCase('usergroups.users.update', 'not a person here', { status: 200, code: 'invalid_users' }, () => bot.usergroups.users.update({ usergroup: g.id!, users: 'U0ASYMMISS' }));
    const members = await erin.c.usergroups.users.list({ usergroup: g.id! });
    await ctx.check(['usergroups.users.update', 'usergroups.users.list'], 'the members set are the members listed', () => is(members.users?.join() === `${erin.id},${t.adminUserId}`, JSON.stringify(members.users)));
    await ctx.errorCase('usergroups.users.list', 'unknown group', { status: 200, code: 'no_such_subteam' }, () => bot.usergroups.users.list({ usergroup: 'S0ASYMMISS' }));
    await admin.usergroups.update({ usergroup: g.id!, description: `about ${u}` });
    await ctx.errorCase('usergroups.update', 'description too long', { status: 200, code: 'description_too_long' }, () => admin.usergroups.update({ usergroup: g.id!, description: 'x'.repeat(141) }));
    const listed = await bot.usergroups.list({ include_users: true, include_count: true });
    const mine = (listed.usergroups ?? []).find((x) => x.id === g.id);
    await ctx.check(['usergroups.create', 'usergroups.update', 'usergroups.list'], 'listed with its handle, new description and members', () => is(mine?.handle === `crew-${u}` && mine?.description === `about ${u}` && mine?.user_count === 2 && (mine?.prefs?.channels ?? []).includes(ch), JSON.stringify(mine).slice(0, 200)));
    const off = (await admin.usergroups.disable({ usergroup: g.id! })).usergroup;
    await ctx.check('usergroups.disable', 'the answer is the group, deleted now, its channels kept', () => is(off?.id === g.id && off?.handle === `crew-${u}` && Number(off?.date_delete) > 0 && (off?.prefs?.channels ?? []).includes(ch), JSON.stringify(off).slice(0, 200)));
    const hidden = await bot.usergroups.list({});
    await ctx.check(['usergroups.disable', 'usergroups.list'], 'a disabled group is not listed', () => is(!(hidden.usergroups ?? []).some((x) => x.id === g.id), 'still listed'));
    await ctx.errorCase('usergroups.disable', 'unknown group', { status: 200, code: 'no_such_subteam' }, () => admin.usergroups.disable({ usergroup: 'S0ASYMMISS' }));
    const on = (await admin.usergroups.enable({ usergroup: g.id! })).usergroup;
    await ctx.check('usergroups.enable', 'the answer is the group, no longer deleted, its channels kept', () => is(on?.id === g.id && on?.handle === `crew-${u}` && Number(on?.date_delete) === 0 && (on?.prefs?.channels ?? []).includes(ch), JSON.stringify(on).slice(0, 200)));
    const back = await bot.usergroups.list({});
    await ctx.check(['usergroups.enable', 'usergroups.list'], 'listed again once enabled, with its handle', () => is((back.usergroups ?? []).some((x) => x.id === g.id && x.handle === `crew-${u}`), 'not listed'));
    await ctx.errorCase('usergroups.enable', 'unknown group', { status: 200, code: 'no_such_subteam' }, () => admin.usergroups.enable({ usergroup: 'S0ASYMMISS' }));
  });

  await ctx.step('reminders', async () => {
    const r = (await erin.c.reminders.add({ text: `stand up ${u}`, time: 'in 10 minutes' })).reminder!;
    // The clone's clock need not be the wall clock: times are checked against each other.
    const later = (await erin.c.reminders.add({ text: `later ${u}`, time: 'in 1 hour' })).reminder!;
    await ctx.errorCase('reminders.add', 'unclear time', { status: 200, code: 'cannot_parse' }, () => erin.c.reminders.add({ text: 'x', time: 'whenever' }));
    const info = await erin.c.reminders.info({ reminder: r.id! });
    await ctx.check(['reminders.add', 'reminders.info'], 'the reminder, due 50 minutes before the one set "in 1 hour"', () => is(info.reminder?.text === `stand up ${u}` && Math.abs(Number(later.time) - Number(info.reminder?.time) - 3000) <= 2, `${info.reminder?.time} / ${later.time}`));
    await ctx.errorCase('reminders.info', 'unknown reminder', { status: 200, code: 'not_found' }, () => erin.c.reminders.info({ reminder: 'Rm0ASYMMISS' }));
    const list = await erin.c.reminders.list({});
    await ctx.check('reminders.list', 'lists erin\'s two reminders, with their text', () => is((list.reminders ?? []).some((x) => x.id === r.id && x.text === `stand up ${u}`) && (list.reminders ?? []).some((x) => x.id === later.id && x.text === `later ${u}`), JSON.stringify(list.reminders).slice(0, 200)));
    await ctx.errorCase('reminders.list', 'bot token', { status: 200, code: 'not_allowed_token_type' }, () => bot.reminders.list({}));
    await erin.c.reminders.complete({ reminder: r.id! });
    const done = await erin.c.reminders.info({ reminder: r.id! });
    await ctx.check('reminders.complete', 'complete_ts is set', () => is(Number(done.reminder?.complete_ts) > 0, JSON.stringify(done.reminder)));
    await ctx.errorCase('reminders.complete', 'unknown reminder', { status: 200, code: 'not_found' }, () => erin.c.reminders.complete({ reminder: 'Rm0ASYMMISS' }));
    await erin.c.reminders.delete({ reminder: r.id! });
    const gone = await erin.c.reminders.list({});
    await ctx.check(['reminders.delete', 'reminders.list'], 'no longer listed', () => is(!(gone.reminders ?? []).some((x) => x.id === r.id), 'still listed'));
    await ctx.errorCase('reminders.delete', 'already deleted', { status: 200, code: 'not_found' }, () => erin.c.reminders.delete({ reminder: r.id! }));
  });

  await ctx.step('bookmarks', async () => {
    const b = (await bot.bookmarks.add({ channel_id: ch, title: 'Runbook', type: 'link', link: 'https://wiki.example.test/runbook' })).bookmark!;
    await ctx.errorCase('bookmarks.add', 'not an http link', { status: 200, code: 'invalid_link' }, () => bot.bookmarks.add({ channel_id: ch, title: 'x', type: 'link', link: 'ftp://x.test' }));
    await erin.c.bookmarks.edit({ channel_id: ch, bookmark_id: b.id!, title: 'Runbook v2' });
    await ctx.errorCase('bookmarks.edit', 'unknown bookmark', { status: 200, code: 'not_found' }, () => erin.c.bookmarks.edit({ channel_id: ch, bookmark_id: 'Bk0ASYMMISS', title: 'x' }));
    const listed = await erin.c.bookmarks.list({ channel_id: ch });
    await ctx.check(['bookmarks.add', 'bookmarks.edit', 'bookmarks.list'], 'the bookmark, with its edited title, by its editor', () => is((listed.bookmarks ?? []).some((x) => x.id === b.id && x.title === 'Runbook v2' && x.last_updated_by_user_id === erin.id), JSON.stringify(listed.bookmarks).slice(0, 200)));
    await ctx.errorCase('bookmarks.list', 'unknown channel', { status: 200, code: 'channel_not_found' }, () => erin.c.bookmarks.list({ channel_id: 'C0ASYMMISS' }));
    await bot.bookmarks.remove({ channel_id: ch, bookmark_id: b.id! });
    const after = await erin.c.bookmarks.list({ channel_id: ch });
    await ctx.check(['bookmarks.remove', 'bookmarks.list'], 'no longer listed', () => is(!(after.bookmarks ?? []).some((x) => x.id === b.id), 'still listed'));
    await ctx.errorCase('bookmarks.remove', 'already removed', { status: 200, code: 'not_found' }, () => bot.bookmarks.remove({ channel_id: ch, bookmark_id: b.id! }));
  });

  // Last: revoke a token of its own (erin's), so nothing after depends on it.
  await ctx.step('auth: revoke', async () => {
    const probe = await erin.c.auth.revoke({ test: true });
    const still = await erin.c.auth.test();
    const revoked = await erin.c.auth.revoke({});
    let after = '';
    try {
      await erin.c.auth.test();
      after = 'ok';
    } catch (e) {
      after = (e as { data?: { error?: string } }).data?.error ?? String(e);
    }
    await ctx.check('auth.revoke', 'test=true keeps the token; then it is token_revoked', () => is((probe as { revoked?: boolean }).revoked === false && (revoked as { revoked?: boolean }).revoked === true && still.ok === true && after === 'token_revoked', after));
  });
};
