/**
 * Slack: @slack/web-api drives a fresh clone through every method operations.json marks
 * implemented. The clone starts empty (a workspace, #general, an admin and the bot), so
 * the scenario seeds two people and makes its own channels, messages and Slack Connect
 * parties (the other organisation is played by the /__asym/slack/connect/* routes).
 */
import { LogLevel, WebClient } from '@slack/web-api';
import { is, stepFailed, type Scenario } from '../../../src/verify/types.ts';
import { teamFilesSteps } from './team-files.ts';

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
    const adm = await admin.auth.test();
    await ctx.check('auth.test', 'names the token\'s user and team', () => is(me.user_id === t.botUserId && adm.user_id === t.adminUserId && me.team_id === t.workspaceId, `auth.test: ${me.user_id}/${adm.user_id}/${me.team_id}`));
    const team = await bot.team.info();
    await ctx.check('team.info', 'describes the token\'s team, as auth.test names it', () => is(team.team?.id === t.workspaceId && team.team?.name === me.team, `team.info: ${team.team?.id} ${team.team?.name}`));
    const b = await bot.bots.info({ bot: me.bot_id! });
    await ctx.check('bots.info', 'the bot asked for, owned by the app', () => is(b.bot?.id === me.bot_id && b.bot?.user_id === t.botUserId && b.bot?.app_id === t.appId, `bots.info: ${JSON.stringify(b.bot).slice(0, 120)}`));
    // Paging: limit 1 walks every member exactly once and ends.
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 20; i++) {
      const page = await bot.users.list({ limit: 1, cursor });
      seen.push(...(page.members ?? []).map((m) => m.id!));
      cursor = page.response_metadata?.next_cursor || undefined;
      if (!cursor) break;
    }
    const all = await bot.users.list({ limit: 50 });
    const ids = (all.members ?? []).map((m) => m.id!);
    await ctx.check('users.list', 'lists the seeded people; limit 1 pages through each member once and ends', () =>
      is(ids.includes(carol.id) && ids.includes(dan.id) && ids.includes(t.adminUserId) && !cursor && seen.length === ids.length && new Set(seen).size === seen.length && seen.every((x) => ids.includes(x)), `users.list: ${seen.length} paged, ${ids.length} listed, cursor ${cursor}`));
    const info = await bot.users.info({ user: carol.id });
    await ctx.check('users.info', 'the seeded person, with the name and email given', () => is(info.user?.id === carol.id && info.user?.name === `carol-${u}` && info.user?.profile?.email === `carol-${u}@acme.test` && info.user?.real_name === 'carol Verify', `users.info: ${JSON.stringify(info.user).slice(0, 120)}`));
    const other = await bot.users.info({ user: dan.id });
    await ctx.check('users.info', 'each person asked for, not one answer for all', () => is(other.user?.id === dan.id && other.user?.name === `dan-${u}`, `users.info: ${other.user?.id}`));
    const byEmail = await bot.users.lookupByEmail({ email: `carol-${u}@acme.test` });
    await ctx.check('users.lookupByEmail', 'finds the person with that email, as seeded', () => is(byEmail.user?.id === carol.id && byEmail.user?.name === `carol-${u}` && byEmail.user?.team_id === t.workspaceId && byEmail.user?.profile?.email === `carol-${u}@acme.test`, `lookupByEmail: ${JSON.stringify(byEmail.user).slice(0, 120)}`));
    await ctx.errorCase('users.lookupByEmail', 'unknown email', { status: 200, code: 'users_not_found' }, () => bot.users.lookupByEmail({ email: `nobody-${u}@acme.test` }));
    const convs = await carol.c.users.conversations({ types: 'public_channel,private_channel' });
    await ctx.check('users.conversations', 'carol\'s channels: the one she was invited to', () => is((convs.channels ?? []).some((c) => c.id === ch), `users.conversations: ${(convs.channels ?? []).map((c) => c.id)}`));
    const contact = await bot.users.discoverableContacts.lookup({ email: `dan-${u}@acme.test` });
    await ctx.check('users.discoverableContacts.lookup', 'a person of the workspace is discoverable', () => is((contact as { is_discoverable?: boolean }).is_discoverable === true, JSON.stringify(contact).slice(0, 120)));
  });

  await ctx.step('profile, presence, identity, photo', async () => {
    const title = `Tester ${u}`;
    const set = await carol.c.users.profile.set({ profile: { status_text: 'Verifying', status_emoji: ':white_check_mark:', title } as never });
    const prof = await bot.users.profile.get({ user: carol.id });
    await ctx.check(['users.profile.set', 'users.profile.get'], 'the profile set is the profile read back', () => is(set.profile?.title === title && prof.profile?.title === title && prof.profile?.status_text === 'Verifying', `profile: ${prof.profile?.title}`));
    await carol.c.users.setPresence({ presence: 'away' });
    const mine = await carol.c.users.getPresence({});
    const hers = await bot.users.getPresence({ user: carol.id });
    await carol.c.users.setPresence({ presence: 'auto' });
    const back = await bot.users.getPresence({ user: carol.id });
    await ctx.check(['users.setPresence', 'users.getPresence'], 'away once set away, not once set auto', () => is(mine.presence === 'away' && hers.presence === 'away' && back.presence !== 'away', `presence ${mine.presence}/${hers.presence}/${back.presence}`));
    const who = await (await person(carol.id, ['identity.basic'])).c.users.identity({});
    await ctx.check('users.identity', 'the token\'s person and team', () => is(who.user?.id === carol.id && who.user?.name === 'carol Verify' && who.team?.id === t.workspaceId, JSON.stringify(who).slice(0, 160)));
    const photo = (await carol.c.users.setPhoto({ image: PNG })) as { profile?: { image_72?: string } };
    const withPhoto = await bot.users.info({ user: carol.id });
    await ctx.check('users.setPhoto', 'answers with the profile image users.info then shows', () => is(!!photo.profile?.image_72 && photo.profile.image_72 === withPhoto.user?.profile?.image_72, `${photo.profile?.image_72} / ${withPhoto.user?.profile?.image_72}`));
    await carol.c.users.deletePhoto({});
    const noPhoto = await bot.users.info({ user: carol.id });
    const img = (x: typeof noPhoto) => String(x.user?.profile?.image_72 ?? '');
    await ctx.check(['users.setPhoto', 'users.deletePhoto'], 'the profile image changes with the photo, and back', () => is(img(withPhoto) !== img(noPhoto) && !!img(withPhoto), `${img(withPhoto)} / ${img(noPhoto)}`));
  });

  await ctx.step('channel lifecycle', async () => {
    const created = await dan.c.conversations.create({ name: `room-${u}` });
    const room = created.channel!.id!;
    await ctx.errorCase('conversations.create', 'name taken', { status: 200, code: 'name_taken' }, () => dan.c.conversations.create({ name: `room-${u}` }));
    await ctx.errorCase('conversations.create', 'invalid name', { status: 200, code: 'invalid_name_specials' }, () => dan.c.conversations.create({ name: `Bad Name!${u}` }));
    await bot.conversations.join({ channel: room });
    await dan.c.conversations.invite({ channel: room, users: carol.id });
    const members = async () => (await bot.conversations.members({ channel: room })).members ?? [];
    const m1 = await members();
    await ctx.check(['conversations.create', 'conversations.join', 'conversations.invite', 'conversations.members'], 'creator, joiner and invitee are members', () => is(created.channel?.name === `room-${u}` && [dan.id, t.botUserId, carol.id].every((x) => m1.includes(x)) && m1.length === 3, `members ${m1}`));
    const info = await bot.conversations.info({ channel: room, include_num_members: true });
    await ctx.check('conversations.info', 'the channel created, with its member count', () => is(info.channel?.id === room && info.channel?.name === `room-${u}` && info.channel?.num_members === 3, `info ${info.channel?.name} ${info.channel?.num_members}`));
    await ctx.errorCase('conversations.info', 'unknown channel', { status: 200, code: 'channel_not_found' }, () => bot.conversations.info({ channel: 'C0NOSUCH00' }));
    const listed = await bot.conversations.list({ types: 'public_channel,private_channel', limit: 100 });
    await ctx.check('conversations.list', 'lists the new channel by its name', () => is((listed.channels ?? []).some((c) => c.id === room && c.name === `room-${u}` && c.is_channel === true && c.is_archived === false), 'room not listed'));
    await dan.c.conversations.setTopic({ channel: room, topic: `Verification ${u}` });
    await dan.c.conversations.setPurpose({ channel: room, purpose: `Checking ${u}` });
    await dan.c.conversations.rename({ channel: room, name: `room-${u}-2` });
    const after = await bot.conversations.info({ channel: room });
    await ctx.check(['conversations.setTopic', 'conversations.setPurpose', 'conversations.rename'], 'topic, purpose and name read back', () => is(after.channel?.topic?.value === `Verification ${u}` && after.channel?.purpose?.value === `Checking ${u}` && after.channel?.name === `room-${u}-2`, JSON.stringify(after.channel).slice(0, 160)));
    const h = await dan.c.conversations.history({ channel: room });
    await ctx.check('conversations.history', 'the topic change is in the history', () => is((h.messages ?? []).some((m) => m.subtype === 'channel_topic'), `history ${(h.messages ?? []).map((m) => m.subtype)}`));
    // Marks an older message read (the second newest), so the read-back cannot be a default of "latest".
    const markTs = (h.messages ?? [])[1]?.ts ?? h.messages![0]!.ts!;
    await dan.c.conversations.mark({ channel: room, ts: markTs });
    const marked = await dan.c.conversations.info({ channel: room });
    await ctx.check('conversations.mark', 'the marker reads back as the member\'s last_read', () => is(marked.channel?.last_read === markTs, `last_read ${marked.channel?.last_read}, marked ${markTs}`));
    await dan.c.conversations.kick({ channel: room, user: carol.id });
    await bot.conversations.leave({ channel: room });
    const m2 = await (await admin.conversations.members({ channel: room })).members ?? [];
    await ctx.check(['conversations.kick', 'conversations.leave'], 'the kicked and the leaver are no longer members', () => is(!m2.includes(carol.id) && !m2.includes(t.botUserId) && m2.includes(dan.id), `members ${m2}`));
    await dan.c.conversations.archive({ channel: room });
    const archived = await bot.conversations.info({ channel: room });
    await ctx.errorCase('chat.postMessage', 'archived channel', { status: 200, code: 'is_archived' }, () => dan.c.chat.postMessage({ channel: room, text: 'x' }));
    await dan.c.conversations.unarchive({ channel: room });
    const unarchived = await bot.conversations.info({ channel: room });
    await ctx.check(['conversations.archive', 'conversations.unarchive'], 'archived, then not', () => is(archived.channel?.is_archived === true && unarchived.channel?.is_archived === false, `${archived.channel?.is_archived} ${unarchived.channel?.is_archived}`));
  });

  await ctx.step('DMs', async () => {
    const im = await carol.c.conversations.open({ users: dan.id, return_im: true });
    const again = await carol.c.conversations.open({ users: dan.id });
    const third = await carol.c.conversations.open({ users: t.adminUserId, return_im: true });
    await ctx.check('conversations.open', 'an IM with someone else is another conversation', () => is(!!third.channel?.id && third.channel.id !== im.channel?.id && (third.channel as { user?: string }).user === t.adminUserId, JSON.stringify(third.channel).slice(0, 120)));
    await ctx.check('conversations.open', 'an IM with dan; opening it again gives the same one', () => is(im.channel?.is_im === true && (im.channel as { user?: string }).user === dan.id && again.channel?.id === im.channel?.id, JSON.stringify(im.channel).slice(0, 160)));
    await carol.c.chat.postMessage({ channel: im.channel!.id!, text: `hi dan ${u}` });
    const dm = await dan.c.conversations.history({ channel: im.channel!.id! });
    await ctx.check(['conversations.open', 'chat.postMessage'], 'dan reads carol\'s DM', () => is((dm.messages ?? []).some((m) => m.text === `hi dan ${u}` && m.user === carol.id), 'DM not there'));
    const closed = await carol.c.conversations.close({ channel: im.channel!.id! });
    const closedAgain = await carol.c.conversations.close({ channel: im.channel!.id! });
    await ctx.check('conversations.close', 'closes once; closing again is a no-op', () => is(!(closed as { no_op?: boolean }).no_op && (closedAgain as { already_closed?: boolean }).already_closed === true && (closedAgain as { no_op?: boolean }).no_op === true, JSON.stringify(closedAgain)));
  });

  await ctx.step('messages and threads', async () => {
    const root = await bot.chat.postMessage({ channel: ch, text: `root ${u}` });
    await ctx.check('chat.postMessage', 'answers with the message posted, where it was posted', () => is(root.channel === ch && root.message?.text === `root ${u}` && root.message?.ts === root.ts, JSON.stringify(root).slice(0, 160)));
    await ctx.errorCase('chat.postMessage', 'no text', { status: 200, code: 'no_text' }, () => bot.chat.postMessage({ channel: ch } as never));
    const reply = await carol.c.chat.postMessage({ channel: ch, text: `reply ${u}`, thread_ts: root.ts! });
    const thread = await bot.conversations.replies({ channel: ch, ts: root.ts! });
    await ctx.check('conversations.replies', 'the root, then its reply, and nothing else', () => is(thread.messages?.length === 2 && thread.messages[0]?.ts === root.ts && thread.messages[1]?.ts === reply.ts && thread.messages[1]?.text === `reply ${u}` && thread.messages[1]?.user === carol.id, JSON.stringify(thread.messages?.map((x) => x.text))));
    const perma = await bot.chat.getPermalink({ channel: ch, message_ts: root.ts! });
    await ctx.check('chat.getPermalink', 'a link that names the channel and the message', () => is(perma.channel === ch && String(perma.permalink).includes(ch) && String(perma.permalink).includes(root.ts!.replace('.', '')), String(perma.permalink)));
    const me = await carol.c.chat.meMessage({ channel: ch, text: `waves ${u}` });
    const eph = await bot.chat.postEphemeral({ channel: ch, user: carol.id, text: 'only you' });
    const m = await bot.chat.postMessage({ channel: ch, text: 'v1' });
    await bot.chat.update({ channel: ch, ts: m.ts!, text: `v2 ${u}` });
    const mid = await bot.conversations.history({ channel: ch, limit: 50 });
    await bot.chat.delete({ channel: ch, ts: m.ts! });
    await ctx.errorCase('chat.delete', 'already deleted', { status: 200, code: 'message_not_found' }, () => bot.chat.delete({ channel: ch, ts: m.ts! }));
    const late = await bot.conversations.history({ channel: ch, limit: 50 });
    const texts = (x: typeof late) => (x.messages ?? []).map((y) => y.text);
    await ctx.check('chat.meMessage', 'a me_message from carol in the channel', () => is((mid.messages ?? []).some((y) => y.ts === me.ts && y.subtype === 'me_message' && y.user === carol.id), 'no me_message'));
    await ctx.check('chat.postEphemeral', 'not in the channel\'s history', () => is(!!eph.message_ts && !texts(mid).includes('only you'), 'ephemeral in history'));
    await ctx.check('chat.update', 'the history shows the new text, edited', () => is((mid.messages ?? []).some((y) => y.ts === m.ts && y.text === `v2 ${u}` && !!y.edited), JSON.stringify(texts(mid))));
    await ctx.check('chat.delete', 'gone from the history', () => is(!(late.messages ?? []).some((y) => y.ts === m.ts), 'still there'));
    await ctx.check('conversations.history', 'newest first; limit 2 pages through the channel once and ends', async () => {
      const all = (late.messages ?? []).map((y) => y.ts!);
      is(all.every((x, i) => i === 0 || Number(all[i - 1]) > Number(x)), `not newest first: ${all}`);
      const paged: string[] = [];
      let cursor: string | undefined;
      for (let i = 0; i < 50; i++) {
        const page = await bot.conversations.history({ channel: ch, limit: 2, cursor });
        paged.push(...(page.messages ?? []).map((y) => y.ts!));
        cursor = page.response_metadata?.next_cursor || undefined;
        if (!cursor) break;
      }
      is(!cursor && paged.join() === all.join(), `paged ${paged.length} of ${all.length}`);
      const mine = await bot.conversations.history({ channel: ch, oldest: root.ts!, inclusive: true, limit: 50 });
      is((mine.messages ?? []).every((y) => Number(y.ts) >= Number(root.ts)) && (mine.messages ?? []).some((y) => y.ts === root.ts), 'oldest does not filter');
    });
    const link = await carol.c.chat.postMessage({ channel: ch, text: 'see https://example.test/x' });
    await bot.chat.unfurl({ channel: ch, ts: link.ts!, unfurls: { 'https://example.test/x': { title: `Example ${u}`, text: 'preview' } } as never });
    const unfurled = (await bot.conversations.history({ channel: ch, limit: 20 })).messages?.find((x) => x.ts === link.ts);
    await ctx.check('chat.unfurl', 'the unfurl is on the message, for its URL, with its title', () =>
      is((unfurled?.attachments ?? []).some((a) => (a as { app_unfurl_url?: string }).app_unfurl_url === 'https://example.test/x' && a.title === `Example ${u}`), JSON.stringify(unfurled?.attachments).slice(0, 160)));
  });

  await ctx.step('scheduled messages', async () => {
    // The clone keeps its own clock (a world starts at a fixed time), so "now" is the clone's:
    // the ts of the channel's latest message, not this machine's wall clock.
    const latest = (await bot.conversations.history({ channel: ch, limit: 1 })).messages?.[0]?.ts;
    if (!latest) throw stepFailed('the channel has no message to read the clone\'s time from');
    const now = Math.floor(Number(latest));
    const s = await bot.chat.scheduleMessage({ channel: ch, text: `later ${u}`, post_at: now + 3600 });
    await ctx.errorCase('chat.scheduleMessage', 'time in the past', { status: 200, code: 'time_in_past' }, () => bot.chat.scheduleMessage({ channel: ch, text: 'x', post_at: now - 3600 }));
    const l1 = await bot.chat.scheduledMessages.list({ channel: ch });
    await bot.chat.deleteScheduledMessage({ channel: ch, scheduled_message_id: s.scheduled_message_id! });
    const l2 = await bot.chat.scheduledMessages.list({ channel: ch });
    await ctx.check(['chat.scheduleMessage', 'chat.scheduledMessages.list'], 'the scheduled message is listed', () => is((l1.scheduled_messages ?? []).some((x) => x.id === s.scheduled_message_id && x.text === `later ${u}`), JSON.stringify(l1.scheduled_messages).slice(0, 120)));
    await ctx.check(['chat.deleteScheduledMessage', 'chat.scheduledMessages.list'], 'no longer listed', () => is(!(l2.scheduled_messages ?? []).some((x) => x.id === s.scheduled_message_id), 'still listed'));
  });

  await ctx.step('streams', async () => {
    const q = await carol.c.chat.postMessage({ channel: ch, text: 'question?' });
    const s = await bot.chat.startStream({ channel: ch, thread_ts: q.ts!, markdown_text: 'Thinking' });
    await bot.chat.appendStream({ channel: ch, ts: s.ts!, markdown_text: ' more' });
    await bot.chat.stopStream({ channel: ch, ts: s.ts!, markdown_text: '. Done.' });
    const th = await bot.conversations.replies({ channel: ch, ts: q.ts! });
    const streamed = (th.messages ?? []).find((x) => x.ts === s.ts);
    await ctx.check(['chat.startStream', 'chat.appendStream', 'chat.stopStream'], 'the thread holds the streamed text, whole', () => is(!!streamed && String(streamed.text ?? JSON.stringify(streamed.blocks)).includes('Thinking more. Done.'), JSON.stringify(streamed).slice(0, 160)));
  });

  await ctx.step('reactions and pins', async () => {
    const m = await carol.c.chat.postMessage({ channel: ch, text: `react and pin ${u}` });
    await bot.reactions.add({ channel: ch, timestamp: m.ts!, name: 'eyes' });
    await ctx.errorCase('reactions.add', 'already reacted', { status: 200, code: 'already_reacted' }, () => bot.reactions.add({ channel: ch, timestamp: m.ts!, name: 'eyes' }));
    await carol.c.reactions.add({ channel: ch, timestamp: m.ts!, name: 'tada' });
    const got = await bot.reactions.get({ channel: ch, timestamp: m.ts! });
    const r = (got.message?.reactions ?? []).map((x) => `${x.name}:${(x.users ?? []).join('+')}`).sort();
    await ctx.check(['reactions.add', 'reactions.get'], 'each reaction with who made it', () => is(r.join() === [`eyes:${t.botUserId}`, `tada:${carol.id}`].sort().join(), r.join()));
    const listed = await carol.c.reactions.list({});
    await ctx.check('reactions.list', 'carol\'s reacted message is listed, with her reaction', () => is((listed.items ?? []).some((x) => x.channel === ch && x.message?.ts === m.ts && x.message?.text === `react and pin ${u}` && (x.message?.reactions ?? []).some((r) => r.name === 'tada')), 'not listed'));
    await bot.reactions.remove({ channel: ch, timestamp: m.ts!, name: 'eyes' });
    const got2 = await bot.reactions.get({ channel: ch, timestamp: m.ts! });
    await ctx.check('reactions.remove', 'only carol\'s reaction is left', () => is((got2.message?.reactions ?? []).map((x) => x.name).join() === 'tada', JSON.stringify(got2.message?.reactions)));
    await bot.pins.add({ channel: ch, timestamp: m.ts! });
    await ctx.errorCase('pins.add', 'already pinned', { status: 200, code: 'already_pinned' }, () => bot.pins.add({ channel: ch, timestamp: m.ts! }));
    const p1 = await bot.pins.list({ channel: ch });
    await bot.pins.remove({ channel: ch, timestamp: m.ts! });
    const p2 = await bot.pins.list({ channel: ch });
    await ctx.check(['pins.add', 'pins.list'], 'the pinned message is listed, pinned by the bot', () => is((p1.items ?? []).some((x) => { const y = x as { type?: string; created_by?: string; message?: { ts?: string; text?: string } }; return y.type === 'message' && y.created_by === t.botUserId && y.message?.ts === m.ts && y.message?.text === `react and pin ${u}`; }), JSON.stringify(p1.items).slice(0, 160)));
    await ctx.check('pins.remove', 'no longer listed', () => is(!(p2.items ?? []).some((x) => (x as { message?: { ts?: string } }).message?.ts === m.ts), 'still listed'));
  });

  await ctx.step('channel canvas', async () => {
    const made = await bot.conversations.canvases.create({ channel_id: ch, title: 'Handbook', document_content: { type: 'markdown', markdown: '# Handbook\n\n- be kind' } });
    // One canvas per channel: a second is refused in this channel and still made in another.
    const again = await bot.conversations.canvases.create({ channel_id: ch, title: 'Again' }).then(() => 'ok', (e: { data?: { error?: string } }) => e.data?.error);
    const other = (await admin.conversations.create({ name: `canvas-${u}` })).channel!.id!;
    await admin.conversations.invite({ channel: other, users: t.botUserId });
    const second = await bot.conversations.canvases.create({ channel_id: other, title: 'Other' });
    await ctx.check('conversations.canvases.create', 'a channel holds one canvas: the second there is refused, another channel takes its own', () =>
      is(/^F/.test(made.canvas_id ?? '') && again === 'channel_canvas_already_exists' && /^F/.test(second.canvas_id ?? '') && second.canvas_id !== made.canvas_id, `${made.canvas_id} ${again} ${second.canvas_id}`));
  });

  await ctx.step('files: upload, share, read, delete', async () => {
    const up = (await bot.filesUploadV2({ channel_id: ch, content: `verify file ${u}`, filename: `verify-${u}.txt`, title: 'Verify notes', initial_comment: 'attached' })) as unknown as { files: { files: { id: string }[] }[] };
    const id = up.files[0]?.files[0]?.id;
    if (!id) throw stepFailed('filesUploadV2 returned no file id');
    const info = await carol.c.files.info({ file: id });
    await ctx.check('files.info', 'the file uploaded, its name and title', () => is(info.file?.id === id && info.file?.name === `verify-${u}.txt` && info.file?.title === 'Verify notes', JSON.stringify(info.file).slice(0, 120)));
    const got = await fetch(info.file!.url_private!, { headers: { authorization: `Bearer ${t.botToken}` } });
    if (got.status !== 200 || (await got.text()) !== `verify file ${u}`) throw stepFailed(`url_private answered ${got.status}`);
    const fl = await bot.files.list({ channel: ch, types: 'all', count: 10 });
    await ctx.check('files.list', 'lists the file shared in the channel', () => is((fl.files ?? []).some((f) => f.id === id), 'not listed'));
    const raw = await carol.c.files.getUploadURLExternal({ filename: `raw-${u}.md`, length: 4 });
    const posted = await fetch(raw.upload_url!, { method: 'POST', body: '# hi' });
    if (posted.status !== 200) throw stepFailed(`upload_url answered ${posted.status}`);
    await carol.c.files.completeUploadExternal({ files: [{ id: raw.file_id!, title: 'Raw' }], channel_id: ch });
    const done = await carol.c.files.info({ file: raw.file_id! });
    await ctx.check(['files.getUploadURLExternal', 'files.completeUploadExternal'], 'the completed upload has its title and is shared in the channel', () => is(done.file?.title === 'Raw' && (done.file?.channels ?? []).includes(ch), JSON.stringify(done.file).slice(0, 160)));
    // Legacy file comments come only from a seed (files.comments.add is retired).
    const seededComments = await ctx.admin('seed', { records: { file_comments: [{ file: raw.file_id, user: carol.id, comment: `old note ${u}` }, { file: raw.file_id, user: dan.id, comment: `dan's ${u}` }] } });
    if (seededComments.status !== 200 || seededComments.json?.written !== 2) throw stepFailed(`seed file_comments: ${JSON.stringify(seededComments.json)}`);
    const commented = await carol.c.files.info({ file: raw.file_id! });
    const mineC = (commented.comments ?? []).find((c) => c.comment === `old note ${u}`);
    const dans = (commented.comments ?? []).find((c) => c.comment === `dan's ${u}`);
    await carol.c.files.comments.delete({ file: raw.file_id!, id: mineC?.id ?? '' });
    const uncommented = await carol.c.files.info({ file: raw.file_id! });
    await ctx.check('files.comments.delete', "carol's comment is gone from files.info, dan's stays, and the count follows", () =>
      is(commented.file?.comments_count === 2 && !(uncommented.comments ?? []).some((c) => c.id === mineC?.id) && (uncommented.comments ?? []).some((c) => c.id === dans?.id) && uncommented.file?.comments_count === 1, JSON.stringify(uncommented.comments).slice(0, 160)));
    await ctx.errorCase('files.comments.delete', "another person's comment", { status: 200, code: 'cant_delete' }, () => carol.c.files.comments.delete({ file: raw.file_id!, id: dans?.id ?? '' }));
    await carol.c.files.delete({ file: raw.file_id! });
    await ctx.errorCase('files.info', 'deleted file', { status: 200, code: 'file_not_found' }, () => carol.c.files.info({ file: raw.file_id! }));
    await ctx.check('files.delete', 'the deleted file is not listed', async () => is(!((await bot.files.list({ channel: ch, types: 'all' })).files ?? []).some((f) => f.id === raw.file_id), 'still listed'));
  });

  await ctx.step('search', async () => {
    await carol.c.chat.postMessage({ channel: ch, text: `searchable ${u} https://example.test/s` });
    const found = await carol.c.search.messages({ query: `searchable in:<#${ch}> has:link`, sort: 'timestamp', sort_dir: 'desc', count: 5 });
    await ctx.check('search.messages', 'in:, has:link and the word find exactly the one message', () => is(found.messages?.total === 1 && found.messages?.matches?.[0]?.text === `searchable ${u} https://example.test/s`, `found ${found.messages?.total}`));
    const ff = await carol.c.search.files({ query: `verify-${u}` });
    await ctx.check('search.files', 'finds the uploaded file by name', () => is((ff.files?.matches ?? []).some((f) => f.name === `verify-${u}.txt`) && ff.files?.total === 1, `found ${ff.files?.total}`));
    const sa = await admin.search.all({ query: `searchable from:<@${carol.id}>` });
    await ctx.check('search.all', 'from: filters to carol\'s messages, the word to the one she wrote', () => is(sa.messages?.total === 1 && sa.messages?.matches?.length === 1 && (sa.messages?.matches ?? []).every((x) => x.user === carol.id && x.text === `searchable ${u} https://example.test/s`), `matches ${(sa.messages?.matches ?? []).map((x) => x.user)}`));
  });

  await ctx.step('Slack Connect: outgoing invites', async () => {
    const approved = await bot.conversations.inviteShared({ channel: ch, emails: [`pat-${u}@globex.test`], external_limited: false });
    const inv = await bot.conversations.listConnectInvites({});
    const mine = (inv.invites ?? []).find((x) => (x.invite as { id?: string } | undefined)?.id === approved.invite_id);
    await ctx.check(['conversations.inviteShared', 'conversations.listConnectInvites'], 'the invite is listed, outgoing and pending, for its channel and email', () =>
      is(mine?.direction === 'outgoing' && mine?.status === 'pending' && mine?.channel?.id === ch && (mine?.invite as { recipient_email?: string } | undefined)?.recipient_email === `pat-${u}@globex.test`, JSON.stringify(mine).slice(0, 200)));
    const team = must(await ctx.admin('slack/connect/accept', { invite_id: approved.invite_id, team: { name: 'Globex', domain: `globex-${u}` }, user: { name: 'pat' } }), 'accept').accepting_team.id as string;
    await bot.conversations.approveSharedInvite({ invite_id: approved.invite_id!, target_team: team });
    const shared = await bot.conversations.info({ channel: ch });
    const pendingIds = async () => ((await bot.conversations.listConnectInvites({})).invites ?? []).map((x) => (x.invite as { id?: string } | undefined)?.id);
    const afterApprove = await pendingIds();
    await ctx.check('conversations.approveSharedInvite', 'the channel is shared with the accepting team and the invite leaves the pending list', () =>
      is(shared.channel?.is_ext_shared === true && (shared.channel?.shared_team_ids ?? []).includes(team) && !afterApprove.includes(approved.invite_id), JSON.stringify(shared.channel?.shared_team_ids)));
    await bot.conversations.externalInvitePermissions.set({ channel: ch, target_team: team, action: 'downgrade' });
    // Downgraded, the team can be upgraded once; upgraded, it cannot be upgraded again.
    const up = await bot.conversations.externalInvitePermissions.set({ channel: ch, target_team: team, action: 'upgrade' }).then(() => 'ok', (e: { data?: { error?: string } }) => e.data?.error);
    const upAgain = await bot.conversations.externalInvitePermissions.set({ channel: ch, target_team: team, action: 'upgrade' }).then(() => 'ok', (e: { data?: { error?: string } }) => e.data?.error);
    await ctx.check('conversations.externalInvitePermissions.set', 'after a downgrade one upgrade goes through and a second is not_supported', () => is(up === 'ok' && upAgain === 'not_supported', `${up} ${upAgain}`));
    const declined = await bot.conversations.inviteShared({ channel: ch, emails: [`sam-${u}@initech.test`] });
    const initech = must(await ctx.admin('slack/connect/accept', { invite_id: declined.invite_id }), 'accept').accepting_team.id as string;
    await bot.conversations.declineSharedInvite({ invite_id: declined.invite_id! });
    const notShared = await bot.conversations.info({ channel: ch });
    const afterDecline = await pendingIds();
    await ctx.check('conversations.declineSharedInvite', 'the declined team is not in the channel and the invite leaves the pending list', () =>
      is(!(notShared.channel?.shared_team_ids ?? []).includes(initech) && (notShared.channel?.shared_team_ids ?? []).includes(team) && !afterDecline.includes(declined.invite_id), JSON.stringify(notShared.channel?.shared_team_ids)));
  });

  await ctx.step('Slack Connect: incoming invite', async () => {
    const sent = must(await ctx.admin('slack/connect/invites', { channel_name: `hooli-${u}`, team: { name: 'Hooli', domain: `hooli-${u}` }, user: { name: 'gavin', email: `gavin-${u}@hooli.test` }, to: { user: t.adminUserId } }), 'incoming invite');
    const acc = await admin.conversations.acceptSharedInvite({ invite_id: sent.invite_id, channel_name: `hooli-${u}` });
    const joined = await admin.conversations.info({ channel: acc.channel_id! });
    await ctx.check('conversations.acceptSharedInvite', 'the shared channel is there, named as accepted, shared', () => is(joined.channel?.name === `hooli-${u}` && joined.channel?.is_ext_shared === true && joined.channel?.is_member === true, JSON.stringify(joined.channel).slice(0, 160)));
  });

  await ctx.step('Slack Connect: invite requests', async () => {
    const ids: string[] = [];
    for (const who of ['one', 'two']) {
      ids.push(must(await ctx.admin('slack/connect/requests', { channel: ch, user: t.adminUserId, email: `${who}-${u}@umbrella.test`, message: 'please' }), 'request').invite_id);
    }
    const reqs = await bot.conversations.requestSharedInvite.list({});
    const got = (reqs.invite_requests ?? []) as { id?: string; target_user?: { recipient_email?: string }; channel?: { id?: string } }[];
    await ctx.check('conversations.requestSharedInvite.list', 'both pending requests, with their emails', () =>
      is(ids.every((id) => got.some((r) => r.id === id && r.channel?.id === ch)) && got.filter((r) => ids.includes(r.id ?? '')).map((r) => r.target_user?.recipient_email).sort().join() === [`one-${u}@umbrella.test`, `two-${u}@umbrella.test`].join(), JSON.stringify(got).slice(0, 200)));
    await bot.conversations.requestSharedInvite.approve({ invite_id: ids[0]!, message: { text: 'welcome', is_override: false } });
    await bot.conversations.requestSharedInvite.deny({ invite_id: ids[1]!, message: 'not now' });
    const listed = async (args: { include_approved?: boolean; include_denied?: boolean }) => ((await bot.conversations.requestSharedInvite.list({ ...args, invite_ids: ids })).invite_requests ?? []).map((r) => (r as { id?: string }).id);
    const [pendingNow, withApproved, withDenied] = [await listed({}), await listed({ include_approved: true }), await listed({ include_denied: true })];
    // The approved request's invite goes out: an outgoing invite to its email.
    const sentOut = ((await bot.conversations.listConnectInvites({})).invites ?? []).some((x) => (x.invite as { recipient_email?: string } | undefined)?.recipient_email === `one-${u}@umbrella.test`);
    await ctx.check(['conversations.requestSharedInvite.approve', 'conversations.requestSharedInvite.list'], 'the approved request leaves the pending list, is listed with include_approved, and its invite is sent', () =>
      is(!pendingNow.includes(ids[0]) && withApproved.includes(ids[0]) && !withApproved.includes(ids[1]) && sentOut, `${pendingNow} | ${withApproved} | sent ${sentOut}`));
    await ctx.check(['conversations.requestSharedInvite.deny', 'conversations.requestSharedInvite.list'], 'the denied request leaves the pending list and is listed with include_denied only', () =>
      is(!pendingNow.includes(ids[1]) && withDenied.includes(ids[1]) && !withDenied.includes(ids[0]), `${pendingNow} | ${withDenied}`));
  });

  await teamFilesSteps(ctx);
};
