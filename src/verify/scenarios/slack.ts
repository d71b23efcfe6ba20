/**
 * Slack: @slack/web-api drives a fresh clone through every method operations.json marks
 * implemented. The clone starts empty (a workspace, #general, an admin and the bot), so
 * the scenario seeds two people and makes its own channels, messages and Slack Connect
 * parties (the other organisation is played by the /__asym/slack/connect/* routes).
 */
import { LogLevel, WebClient } from '@slack/web-api';
import { stepFailed, type Scenario } from '../types.ts';

// A 1x1 PNG for users.setPhoto.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

export const scenario: Scenario = async (ctx) => {
  const sdk = (token: string) => new WebClient(token, { slackApiUrl: `${ctx.apiUrl}/api/`, retryConfig: { retries: 0 }, logLevel: LogLevel.ERROR });
  const t = ctx.clone.tokens!;
  const u = ctx.unique;
  const bot = sdk(t.botToken);
  const admin = sdk(t.userToken);
  const person = async (user: string, scopes?: string[]) => {
    const r = await ctx.admin('slack/user-token', { user, scopes });
    if (r.status !== 200) throw stepFailed(`user-token for ${user}: ${JSON.stringify(r.json)}`);
    return { id: r.json.user_id as string, c: sdk(r.json.token as string) };
  };
  const must = (r: { status: number; json: any }, what: string) => {
    if (r.status !== 200 || !r.json?.ok) throw stepFailed(`${what}: HTTP ${r.status} ${JSON.stringify(r.json).slice(0, 200)}`);
    return r.json;
  };

  // Two more people, so there is someone to invite, kick, DM and react as.
  let carol = { id: '', c: admin };
  let dan = { id: '', c: admin };
  let ch = '';
  await ctx.step('setup: people and a channel', async () => {
    const seeded = await ctx.admin('seed', { records: { users: ['carol', 'dan'].map((n) => ({ name: `${n}-${u}`, real_name: `${n} Verify`, email: `${n}-${u}@acme.test` })) } });
    if (seeded.status !== 200) throw stepFailed(`seed: ${JSON.stringify(seeded.json)}`);
    carol = await person(`carol-${u}`);
    dan = await person(`dan-${u}`);
    ch = (await admin.conversations.create({ name: `verify-${u}` })).channel!.id!;
    await admin.conversations.invite({ channel: ch, users: `${t.botUserId},${carol.id}` });
  });

  await ctx.step('workspace and users', async () => {
    const me = await bot.auth.test();
    await admin.auth.test();
    await bot.team.info();
    await bot.bots.info({ bot: me.bot_id! });
    await bot.users.list({ limit: 50 });
    await bot.users.info({ user: t.adminUserId });
    await bot.users.lookupByEmail({ email: `carol-${u}@acme.test` });
    await carol.c.users.conversations({ types: 'public_channel,private_channel' });
    await bot.users.discoverableContacts.lookup({ email: `dan-${u}@acme.test` });
  });

  await ctx.step('profile, presence, identity, photo', async () => {
    await carol.c.users.profile.set({ profile: { status_text: 'Verifying', status_emoji: ':white_check_mark:', title: 'Tester' } as never });
    await bot.users.profile.get({ user: carol.id });
    await carol.c.users.setPresence({ presence: 'away' });
    await carol.c.users.getPresence({});
    await bot.users.getPresence({ user: carol.id });
    await (await person(carol.id, ['identity.basic'])).c.users.identity({});
    await carol.c.users.setPhoto({ image: PNG });
    await carol.c.users.deletePhoto({});
  });

  await ctx.step('channel lifecycle', async () => {
    const room = (await dan.c.conversations.create({ name: `room-${u}` })).channel!.id!;
    await bot.conversations.join({ channel: room });
    await dan.c.conversations.invite({ channel: room, users: carol.id });
    await bot.conversations.info({ channel: room, include_num_members: true });
    await bot.conversations.list({ types: 'public_channel,private_channel', limit: 100 });
    await bot.conversations.members({ channel: room });
    await dan.c.conversations.setTopic({ channel: room, topic: 'Verification' });
    await dan.c.conversations.setPurpose({ channel: room, purpose: 'Checking every method' });
    await dan.c.conversations.rename({ channel: room, name: `room-${u}-2` });
    const h = await dan.c.conversations.history({ channel: room });
    await dan.c.conversations.mark({ channel: room, ts: h.messages![0]!.ts! });
    await dan.c.conversations.kick({ channel: room, user: carol.id });
    await bot.conversations.leave({ channel: room });
    await dan.c.conversations.archive({ channel: room });
    await dan.c.conversations.unarchive({ channel: room });
  });

  await ctx.step('DMs', async () => {
    const im = await carol.c.conversations.open({ users: dan.id, return_im: true });
    await carol.c.chat.postMessage({ channel: im.channel!.id!, text: 'hi dan' });
    await carol.c.conversations.close({ channel: im.channel!.id! });
  });

  await ctx.step('messages and threads', async () => {
    const root = await bot.chat.postMessage({ channel: ch, text: 'root' });
    await carol.c.chat.postMessage({ channel: ch, text: 'reply', thread_ts: root.ts! });
    await bot.conversations.replies({ channel: ch, ts: root.ts! });
    await bot.chat.getPermalink({ channel: ch, message_ts: root.ts! });
    await carol.c.chat.meMessage({ channel: ch, text: 'waves' });
    await bot.chat.postEphemeral({ channel: ch, user: carol.id, text: 'only you' });
    const m = await bot.chat.postMessage({ channel: ch, text: 'v1' });
    await bot.chat.update({ channel: ch, ts: m.ts!, text: 'v2' });
    await bot.chat.delete({ channel: ch, ts: m.ts! });
    const link = await carol.c.chat.postMessage({ channel: ch, text: 'see https://example.test/x' });
    await bot.chat.unfurl({ channel: ch, ts: link.ts!, unfurls: { 'https://example.test/x': { title: 'Example', text: 'preview' } } as never });
    await bot.conversations.history({ channel: ch, limit: 20 });
  });

  await ctx.step('scheduled messages', async () => {
    const s = await bot.chat.scheduleMessage({ channel: ch, text: 'later', post_at: Math.floor(Date.now() / 1000) + 3600 });
    await bot.chat.scheduledMessages.list({ channel: ch });
    await bot.chat.deleteScheduledMessage({ channel: ch, scheduled_message_id: s.scheduled_message_id! });
  });

  await ctx.step('streams', async () => {
    const q = await carol.c.chat.postMessage({ channel: ch, text: 'question?' });
    const s = await bot.chat.startStream({ channel: ch, thread_ts: q.ts!, markdown_text: 'Thinking' });
    await bot.chat.appendStream({ channel: ch, ts: s.ts!, markdown_text: ' more' });
    await bot.chat.stopStream({ channel: ch, ts: s.ts!, markdown_text: '. Done.' });
  });

  await ctx.step('reactions and pins', async () => {
    const m = await carol.c.chat.postMessage({ channel: ch, text: 'react and pin' });
    await bot.reactions.add({ channel: ch, timestamp: m.ts!, name: 'eyes' });
    await carol.c.reactions.add({ channel: ch, timestamp: m.ts!, name: 'tada' });
    await bot.reactions.get({ channel: ch, timestamp: m.ts! });
    await carol.c.reactions.list({});
    await bot.reactions.remove({ channel: ch, timestamp: m.ts!, name: 'eyes' });
    await bot.pins.add({ channel: ch, timestamp: m.ts! });
    await bot.pins.list({ channel: ch });
    await bot.pins.remove({ channel: ch, timestamp: m.ts! });
  });

  await ctx.step('channel canvas', async () => {
    await bot.conversations.canvases.create({ channel_id: ch, title: 'Handbook', document_content: { type: 'markdown', markdown: '# Handbook\n\n- be kind' } });
  });

  await ctx.step('files: upload, share, read, delete', async () => {
    const up = (await bot.filesUploadV2({ channel_id: ch, content: `verify file ${u}`, filename: `verify-${u}.txt`, title: 'Verify notes', initial_comment: 'attached' })) as unknown as { files: { files: { id: string }[] }[] };
    const id = up.files[0]?.files[0]?.id;
    if (!id) throw stepFailed('filesUploadV2 returned no file id');
    const info = await carol.c.files.info({ file: id });
    const got = await fetch(info.file!.url_private!, { headers: { authorization: `Bearer ${t.botToken}` } });
    if (got.status !== 200 || (await got.text()) !== `verify file ${u}`) throw stepFailed(`url_private answered ${got.status}`);
    await bot.files.list({ channel: ch, types: 'all', count: 10 });
    const raw = await carol.c.files.getUploadURLExternal({ filename: `raw-${u}.md`, length: 4 });
    const posted = await fetch(raw.upload_url!, { method: 'POST', body: '# hi' });
    if (posted.status !== 200) throw stepFailed(`upload_url answered ${posted.status}`);
    await carol.c.files.completeUploadExternal({ files: [{ id: raw.file_id!, title: 'Raw' }], channel_id: ch });
    await carol.c.files.delete({ file: raw.file_id! });
  });

  await ctx.step('search', async () => {
    await carol.c.chat.postMessage({ channel: ch, text: `searchable ${u} https://example.test/s` });
    const found = await carol.c.search.messages({ query: `searchable in:<#${ch}> has:link`, sort: 'timestamp', sort_dir: 'desc', count: 5 });
    if (found.messages?.total !== 1) throw stepFailed(`search.messages found ${found.messages?.total}`);
    await carol.c.search.files({ query: `verify-${u}` });
    await admin.search.all({ query: `searchable from:<@${carol.id}>` });
  });

  await ctx.step('Slack Connect: outgoing invites', async () => {
    const approved = await bot.conversations.inviteShared({ channel: ch, emails: [`pat-${u}@globex.test`], external_limited: false });
    await bot.conversations.listConnectInvites({});
    const team = must(await ctx.admin('slack/connect/accept', { invite_id: approved.invite_id, team: { name: 'Globex', domain: `globex-${u}` }, user: { name: 'pat' } }), 'accept').accepting_team.id as string;
    await bot.conversations.approveSharedInvite({ invite_id: approved.invite_id!, target_team: team });
    await bot.conversations.externalInvitePermissions.set({ channel: ch, target_team: team, action: 'downgrade' });
    const declined = await bot.conversations.inviteShared({ channel: ch, emails: [`sam-${u}@initech.test`] });
    must(await ctx.admin('slack/connect/accept', { invite_id: declined.invite_id }), 'accept');
    await bot.conversations.declineSharedInvite({ invite_id: declined.invite_id! });
  });

  await ctx.step('Slack Connect: incoming invite', async () => {
    const sent = must(await ctx.admin('slack/connect/invites', { channel_name: `hooli-${u}`, team: { name: 'Hooli', domain: `hooli-${u}` }, user: { name: 'gavin', email: `gavin-${u}@hooli.test` }, to: { user: t.adminUserId } }), 'incoming invite');
    await admin.conversations.acceptSharedInvite({ invite_id: sent.invite_id, channel_name: `hooli-${u}` });
  });

  await ctx.step('Slack Connect: invite requests', async () => {
    const ids: string[] = [];
    for (const who of ['one', 'two']) {
      ids.push(must(await ctx.admin('slack/connect/requests', { channel: ch, user: t.adminUserId, email: `${who}-${u}@umbrella.test`, message: 'please' }), 'request').invite_id);
    }
    await bot.conversations.requestSharedInvite.list({});
    await bot.conversations.requestSharedInvite.approve({ invite_id: ids[0]!, message: { text: 'welcome', is_override: false } });
    await bot.conversations.requestSharedInvite.deny({ invite_id: ids[1]!, message: 'not now' });
  });
};
