import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import type { WebClient } from '@slack/web-api';
import { solidPng } from '../../templates/slack/src/photos.ts';
import { startSlackOnHost, type SlackHost } from '../support/slack-host.ts';
import { admin, client, expectSlackShape, slackError } from './helpers.ts';

/**
 * Slack Connect (invites, approvals, invite requests, external permissions), channel
 * canvases, profile photos, and the OAuth scope headers — the methods added last, driven by
 * the official SDK. The other organisation is played by the /__asym/slack/connect/* routes.
 */

let host: SlackHost;
let bot: WebClient;
let user: WebClient;

beforeAll(async () => {
  host = await startSlackOnHost();
  bot = client(host, host.tokens.botToken);
  user = client(host, host.tokens.userToken);
}, 60_000);
afterAll(async () => {
  await host?.stop();
}, 60_000);

async function channelWithBot(name: string): Promise<string> {
  const id = (await user.conversations.create({ name })).channel!.id!;
  await user.conversations.invite({ channel: id, users: host.tokens.botUserId });
  return id;
}

describe('scope headers', () => {
  test('x-oauth-scopes and x-accepted-oauth-scopes on answers, errors included', async () => {
    const res = await bot.conversations.list({});
    expect(res.response_metadata!.scopes).toContain('channels:read');
    expect(res.response_metadata!.scopes).toContain('chat:write');
    expect(res.response_metadata!.acceptedScopes).toEqual(['channels:read', 'groups:read', 'im:read', 'mpim:read']);
    const raw = await fetch(`${host.apiUrl}/api/chat.postMessage`, { method: 'POST', headers: { authorization: `Bearer ${host.tokens.botToken}` }, body: new URLSearchParams({ channel: 'C0NOPE', text: 'x' }) });
    expect((await raw.json()) as unknown).toEqual({ ok: false, error: 'channel_not_found' });
    expect(raw.headers.get('x-accepted-oauth-scopes')).toBe('chat:write');
    expect(raw.headers.get('x-oauth-scopes')!.split(',')).toContain('chat:write');
    const minted = await admin(host, '/__asym/slack/user-token', { user: 'admin', scopes: ['users:read'] });
    const limited = await fetch(`${host.apiUrl}/api/conversations.inviteShared`, { method: 'POST', headers: { authorization: `Bearer ${minted.body.token}` }, body: new URLSearchParams({ channel: 'C1' }) });
    expect(await limited.json()).toEqual({ ok: false, error: 'missing_scope', needed: 'conversations.connect:write', provided: 'users:read' });
    expect(limited.headers.get('x-oauth-scopes')).toBe('users:read');
    expect(limited.headers.get('x-accepted-oauth-scopes')).toBe('conversations.connect:write');
    // Without a valid token there are no scopes to report.
    const anon = await fetch(`${host.apiUrl}/api/auth.test`, { method: 'POST' });
    expect(anon.headers.get('x-oauth-scopes')).toBeNull();
  });
});

describe('Slack Connect: outgoing invites', () => {
  test('inviteShared -> listConnectInvites -> external accept -> approve connects the team', async () => {
    const ch = await channelWithBot('partners');
    const inv = await bot.conversations.inviteShared({ channel: ch, emails: ['pat@globex.test'], external_limited: false });
    expect(inv.invite_id).toMatch(/^I[A-Z0-9]+$/);
    expect(inv.is_legacy_shared_channel).toBe(false);
    expect(inv.url).toBeUndefined();
    await expectSlackShape('conversations.inviteShared', inv);

    const list = await bot.conversations.listConnectInvites({});
    const mine = list.invites!.find((i) => i.invite?.id === inv.invite_id)!;
    expect(mine).toMatchObject({ direction: 'outgoing', status: 'pending', invite_type: 'channel', channel: { id: ch, name: 'partners', is_private: false, is_im: false }, acceptances: [] });
    expect(mine.invite).toMatchObject({ recipient_email: 'pat@globex.test', inviting_team: { id: host.tokens.workspaceId, name: 'Acme' }, inviting_user: { id: host.tokens.botUserId } });
    expect(mine.invite!.date_invalid! - mine.invite!.date_created!).toBe(14 * 24 * 3600);
    await expectSlackShape('conversations.listConnectInvites', list);

    // Nothing to approve until the other side accepts.
    expect(await slackError(bot.conversations.approveSharedInvite({ invite_id: inv.invite_id! }))).toBe('approval_not_found');
    const accepted = await admin(host, '/__asym/slack/connect/accept', { invite_id: inv.invite_id, team: { name: 'Globex', domain: 'globex' }, user: { name: 'pat' } });
    expect(accepted.status).toBe(200);
    const teamId = accepted.body.accepting_team.id as string;
    expect((await admin(host, '/__asym/slack/connect/accept', { invite_id: inv.invite_id })).body.error).toBe('invite_used');

    const pending = (await bot.conversations.listConnectInvites({})).invites!.find((i) => i.invite?.id === inv.invite_id)!;
    expect(pending.status).toBe('accepted');
    expect(pending.acceptances![0]).toMatchObject({ approval_status: 'pending_approval', accepting_team: { id: teamId, name: 'Globex' }, accepting_user: { name: 'pat', profile: { email: 'pat@globex.test' } }, reviews: [] });

    expect(await slackError(bot.conversations.approveSharedInvite({ invite_id: inv.invite_id!, target_team: 'T0OTHER' }))).toBe('approval_not_found');
    const ok = await bot.conversations.approveSharedInvite({ invite_id: inv.invite_id!, target_team: teamId });
    expect(ok.ok).toBe(true);
    await expectSlackShape('conversations.approveSharedInvite', ok);
    expect(await slackError(bot.conversations.approveSharedInvite({ invite_id: inv.invite_id! }))).toBe('already_approved');
    expect(await slackError(bot.conversations.declineSharedInvite({ invite_id: inv.invite_id! }))).toBe('approval_inactive');
    // Approved invites leave the list (it holds those not yet approved by every party).
    expect((await bot.conversations.listConnectInvites({})).invites!.some((i) => i.invite?.id === inv.invite_id)).toBe(false);

    const info = await bot.conversations.info({ channel: ch });
    expect(info.channel).toMatchObject({ is_shared: true, is_ext_shared: true, shared_team_ids: [host.tokens.workspaceId, teamId] });

    // external_limited false means "can post and invite": downgrade, then upgrade back.
    expect((await bot.conversations.externalInvitePermissions.set({ channel: ch, target_team: teamId, action: 'downgrade' })).ok).toBe(true);
    expect(await slackError(bot.conversations.externalInvitePermissions.set({ channel: ch, target_team: teamId, action: 'downgrade' }))).toBe('not_supported');
    const up = await bot.conversations.externalInvitePermissions.set({ channel: ch, target_team: teamId, action: 'upgrade' });
    await expectSlackShape('conversations.externalInvitePermissions.set', up);
    expect(await slackError(bot.conversations.externalInvitePermissions.set({ channel: ch, target_team: 'T0NOPE', action: 'upgrade' }))).toBe('invalid_target_team');
    expect(await slackError(bot.conversations.externalInvitePermissions.set({ channel: ch, target_team: teamId, action: 'sideways' as 'upgrade' }))).toBe('invalid_action');
    expect(await slackError(bot.conversations.externalInvitePermissions.set({ channel: 'C0NOPE', target_team: teamId, action: 'upgrade' }))).toBe('channel_not_found');
  });

  test('decline, and the errors inviteShared answers', async () => {
    const ch = await channelWithBot('vendors');
    const inv = await bot.conversations.inviteShared({ channel: ch, user_ids: ['U0EXTERNAL1'] });
    await admin(host, '/__asym/slack/connect/accept', { invite_id: inv.invite_id });
    const d = await bot.conversations.declineSharedInvite({ invite_id: inv.invite_id! });
    await expectSlackShape('conversations.declineSharedInvite', d);
    expect(await slackError(bot.conversations.declineSharedInvite({ invite_id: inv.invite_id! }))).toBe('approval_inactive');
    expect(await slackError(bot.conversations.approveSharedInvite({ invite_id: inv.invite_id! }))).toBe('invalid_action');
    expect(await slackError(bot.conversations.declineSharedInvite({ invite_id: 'I0NOPE' }))).toBe('invite_not_found');
    expect(await slackError(bot.conversations.approveSharedInvite({ invite_id: 'I0NOPE' }))).toBe('invite_not_found');
    expect((await bot.conversations.info({ channel: ch })).channel!.is_ext_shared).toBe(false);

    expect(await slackError(bot.conversations.inviteShared({ channel: ch } as never))).toBe('recipients_not_specified');
    expect(await slackError(bot.conversations.inviteShared({ channel: ch, emails: ['not-an-email'] }))).toBe('invalid_email');
    expect(await slackError(bot.conversations.inviteShared({ channel: ch, emails: ['a@x.test', 'b@x.test'] }))).toBe('too_many_emails');
    expect(await slackError(bot.conversations.inviteShared({ channel: ch, emails: ['admin@acme.test'] }))).toBe('already_in_channel');
    const botless = (await user.conversations.create({ name: 'no-bot-here' })).channel!.id!;
    expect(await slackError(bot.conversations.inviteShared({ channel: botless, emails: ['a@x.test'] }))).toBe('not_in_channel');
    expect(await slackError(user.conversations.inviteShared({ channel: host.tokens.generalChannelId, emails: ['a@x.test'] }))).toBe('cannot_share_mandatory_channel');
    expect(await slackError(bot.conversations.inviteShared({ channel: 'C0NOPE', emails: ['a@x.test'] }))).toBe('channel_not_found');
    const dm = (await user.conversations.open({ users: host.tokens.botUserId })).channel!.id!;
    expect(await slackError(user.conversations.inviteShared({ channel: dm, emails: ['a@x.test'] }))).toBe('invalid_channel_type');
    // A person may create a link invite (no recipient).
    const link = await user.conversations.inviteShared({ channel: ch } as never);
    expect(link.url).toBe(`${host.apiUrl}/connect/invite/${link.invite_id}`);
    await user.conversations.archive({ channel: ch });
    expect(await slackError(user.conversations.inviteShared({ channel: ch, emails: ['a@x.test'] }))).toBe('channel_archived');
  });

  test('listConnectInvites pages with count and cursor to the end', async () => {
    const ch = await channelWithBot('many-invites');
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await bot.conversations.inviteShared({ channel: ch, emails: [`guest${i}@initech.test`] })).invite_id!);
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await bot.conversations.listConnectInvites({ count: 2, cursor });
      expect(page.invites!.length).toBeLessThanOrEqual(2);
      seen.push(...page.invites!.map((i) => i.invite!.id!));
      cursor = page.response_metadata?.next_cursor || undefined;
      pages++;
    } while (cursor && pages < 50);
    for (const id of ids) expect(seen).toContain(id);
    expect(new Set(seen).size).toBe(seen.length);
    expect(await slackError(bot.conversations.listConnectInvites({ cursor: 'bm9wZQ==' }))).toBe('invalid_cursor');
  });
});

describe('Slack Connect: incoming invites', () => {
  test('acceptSharedInvite creates the shared channel here; errors follow Slack', async () => {
    const sent = await admin(host, '/__asym/slack/connect/invites', { channel_name: 'globex-acme', team: { name: 'Globex', domain: 'globex' }, user: { name: 'hank', email: 'hank@globex.test' }, to: { user: 'admin' } });
    expect(sent.status).toBe(200);
    const listed = (await bot.conversations.listConnectInvites({})).invites!.find((i) => i.invite?.id === sent.body.invite_id)!;
    expect(listed).toMatchObject({ direction: 'incoming', status: 'pending', invite: { inviting_team: { name: 'Globex' }, inviting_user: { name: 'hank' }, recipient_email: 'admin@acme.test' } });

    expect(await slackError(user.conversations.acceptSharedInvite({ invite_id: sent.body.invite_id, channel_name: 'Bad Name' }))).toBe('invalid_name_specials');
    expect(await slackError(user.conversations.acceptSharedInvite({ invite_id: sent.body.invite_id, channel_name: 'general' }))).toBe('name_taken');
    expect(await slackError(user.conversations.acceptSharedInvite({ invite_id: 'I0NOPE', channel_name: 'x' }))).toBe('invite_not_found');
    const own = await bot.conversations.inviteShared({ channel: await channelWithBot('ours'), emails: ['z@zeta.test'] });
    expect(await slackError(user.conversations.acceptSharedInvite({ invite_id: own.invite_id!, channel_name: 'ours-too' }))).toBe('invite_from_same_org');
    const eve = await admin(host, '/__asym/seed', { records: { users: [{ name: 'ivy', email: 'ivy@acme.test' }] } });
    expect(eve.body.written).toBe(1);
    const ivy = client(host, (await admin(host, '/__asym/slack/user-token', { user: 'ivy' })).body.token);
    expect(await slackError(ivy.conversations.acceptSharedInvite({ invite_id: sent.body.invite_id, channel_name: 'globex' }))).toBe('email_does_not_match');

    const acc = await user.conversations.acceptSharedInvite({ channel_id: sent.body.channel_id, channel_name: 'globex', is_private: true });
    expect(acc).toMatchObject({ ok: true, implicit_approval: true, channel_id: sent.body.channel_id, invite_id: sent.body.invite_id });
    await expectSlackShape('conversations.acceptSharedInvite', acc);
    expect(await slackError(user.conversations.acceptSharedInvite({ invite_id: sent.body.invite_id, channel_name: 'globex-2' }))).toBe('invite_used');
    const info = await user.conversations.info({ channel: acc.channel_id! });
    expect(info.channel).toMatchObject({ name: 'globex', is_private: true, is_member: true, is_ext_shared: true });
    expect((await user.chat.postMessage({ channel: acc.channel_id!, text: 'hello partners' })).ok).toBe(true);
  });
});

describe('Slack Connect: invite requests', () => {
  test('requestSharedInvite.list / approve / deny', async () => {
    const ch = await channelWithBot('req-room');
    const r1 = await admin(host, '/__asym/slack/connect/requests', { channel: ch, user: 'admin', email: 'one@hooli.test', message: 'please' });
    const r2 = await admin(host, '/__asym/slack/connect/requests', { channel: 'req-room', user: 'admin', email: 'two@hooli.test' });
    const r3 = await admin(host, '/__asym/slack/connect/requests', { channel: ch, user: 'admin', email: 'three@hooli.test' });
    expect([r1.status, r2.status, r3.status]).toEqual([200, 200, 200]);
    expect((await admin(host, '/__asym/slack/connect/requests', { channel: ch, user: 'admin', email: 'bad' })).body.error).toBe('invalid_email');

    const list = await bot.conversations.requestSharedInvite.list({});
    expect(list.invite_requests!.map((r) => r.id)).toEqual([r1.body.invite_id, r2.body.invite_id, r3.body.invite_id]);
    expect(list.invite_requests![0]).toMatchObject({ channel: { id: ch, name: 'req-room', is_im: false }, target_user: { recipient_email: 'one@hooli.test' }, is_external_limited: true, inviting_user: { id: host.tokens.adminUserId } });
    await expectSlackShape('conversations.requestSharedInvite.list', list);
    const p1 = await bot.conversations.requestSharedInvite.list({ limit: 2 } as never);
    expect(p1.invite_requests!.length).toBe(2);
    const p2 = await bot.conversations.requestSharedInvite.list({ limit: 2, cursor: p1.response_metadata!.next_cursor } as never);
    expect(p2.invite_requests!.map((r) => r.id)).toEqual([r3.body.invite_id]);
    expect(await slackError(bot.conversations.requestSharedInvite.list({ limit: 0 } as never))).toBe('invalid_limit');

    const ap = await bot.conversations.requestSharedInvite.approve({ invite_id: r1.body.invite_id, message: { text: 'welcome', is_override: false } });
    expect(ap.invite_id).toBe(r1.body.invite_id);
    await expectSlackShape('conversations.requestSharedInvite.approve', ap);
    // Approval sends the invite (same id), which now awaits the external side.
    const sent = (await bot.conversations.listConnectInvites({})).invites!.find((i) => i.invite?.id === r1.body.invite_id)!;
    expect(sent).toMatchObject({ direction: 'outgoing', status: 'pending', channel: { id: ch }, invite: { recipient_email: 'one@hooli.test', inviting_user: { id: host.tokens.adminUserId } } });
    expect(await slackError(bot.conversations.requestSharedInvite.approve({ invite_id: r1.body.invite_id }))).toBe('invite_already_approved');
    expect(await slackError(bot.conversations.requestSharedInvite.approve({ invite_id: r2.body.invite_id, message: { text: 'x'.repeat(561), is_override: true } }))).toBe('message_too_long');

    const dn = await bot.conversations.requestSharedInvite.deny({ invite_id: r2.body.invite_id, message: 'not now' });
    expect(dn.invite_id).toBe(r2.body.invite_id);
    await expectSlackShape('conversations.requestSharedInvite.deny', dn);
    expect(await slackError(bot.conversations.requestSharedInvite.deny({ invite_id: r2.body.invite_id }))).toBe('invite_already_denied');
    expect(await slackError(bot.conversations.requestSharedInvite.approve({ invite_id: r2.body.invite_id }))).toBe('invite_already_denied');
    expect(await slackError(bot.conversations.requestSharedInvite.deny({ invite_id: 'I0NOPE' }))).toBe('invite_not_found');

    expect((await bot.conversations.requestSharedInvite.list({})).invite_requests!.map((r) => r.id)).toEqual([r3.body.invite_id]);
    const all = await bot.conversations.requestSharedInvite.list({ include_approved: true, include_denied: true });
    expect(all.invite_requests!.length).toBe(3);
    const some = await bot.conversations.requestSharedInvite.list({ include_denied: true, invite_ids: [r2.body.invite_id] });
    expect(some.invite_requests!.map((r) => r.id)).toEqual([r2.body.invite_id]);
    expect((await bot.conversations.requestSharedInvite.list({ user_id: 'U0NOBODY' })).invite_requests).toEqual([]);
  });
});

describe('channel canvases', () => {
  test('conversations.canvases.create stores markdown once per channel', async () => {
    const ch = await channelWithBot('handbook');
    const md = '# Handbook\n\n- be kind\n- ship it';
    const res = await bot.conversations.canvases.create({ channel_id: ch, title: 'Team handbook', document_content: { type: 'markdown', markdown: md } });
    expect(res.canvas_id).toMatch(/^F[A-Z0-9]+$/);
    await expectSlackShape('conversations.canvases.create', res);
    const stored = (await admin(host, '/__asym/slack/canvases', undefined, 'GET')).body.canvases.find((c: { id: string }) => c.id === res.canvas_id);
    expect(stored).toMatchObject({ channel_id: ch, title: 'Team handbook', markdown: md, creator: host.tokens.botUserId });
    expect(await slackError(bot.conversations.canvases.create({ channel_id: ch }))).toBe('channel_canvas_already_exists');
    expect(await slackError(bot.conversations.canvases.create({ channel_id: 'C0NOPE' }))).toBe('channel_not_found');
    expect(await slackError(bot.conversations.canvases.create({ channel_id: host.tokens.generalChannelId }))).toBe('not_in_channel');
    const empty = await user.conversations.canvases.create({ channel_id: host.tokens.generalChannelId });
    expect(empty.canvas_id).toMatch(/^F/);
    const other = (await user.conversations.create({ name: 'canvas-bad' })).channel!.id!;
    expect(await slackError(user.conversations.canvases.create({ channel_id: other, document_content: { type: 'html', markdown: '<b>' } as never }))).toBe('invalid_arguments');
    const minted = await admin(host, '/__asym/slack/user-token', { user: 'admin', scopes: ['channels:read'] });
    expect(await slackError(client(host, minted.body.token).conversations.canvases.create({ channel_id: other }))).toBe('missing_scope');
  });
});

describe('profile photos', () => {
  test('users.setPhoto stores the image, serves it at ASYM_PUBLIC_URL; deletePhoto reverts', async () => {
    const png = Buffer.from(solidPng(64, '336699'));
    const res = await user.users.setPhoto({ image: png, crop_x: 0, crop_y: 0, crop_w: 64 });
    expect(res.profile!.avatar_hash).toMatch(/^[0-9a-f]{12}$/);
    for (const k of ['image_24', 'image_32', 'image_48', 'image_72', 'image_192', 'image_512', 'image_1024', 'image_original'] as const) {
      expect(res.profile![k]!.startsWith(`${host.apiUrl}/avatars/${host.tokens.adminUserId}/`)).toBe(true);
    }
    await expectSlackShape('users.setPhoto', res);
    const served = await fetch(res.profile!.image_192!);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await served.arrayBuffer()).equals(png)).toBe(true);

    const { SQL } = await import('bun');
    const sql = new SQL(host.databaseUrl, { max: 1 });
    const rows = await sql`select length(bytes) as n, crop_w from user_photos where user_id = ${host.tokens.adminUserId}`;
    await sql.close();
    expect(Number(rows[0].n)).toBe(png.length);
    expect(rows[0].crop_w).toBe(64);

    const info = await bot.users.info({ user: host.tokens.adminUserId });
    expect(info.user!.profile).toMatchObject({ is_custom_image: true, avatar_hash: res.profile!.avatar_hash, image_72: res.profile!.image_72 });

    // JPEG and GIF headers are read too; anything else is bad_image.
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0x00, 0x00, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x00, 0x20, 0x00, 0x40, 0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01, 0xff, 0xd9]);
    const j = await user.users.setPhoto({ image: jpeg });
    expect(j.profile!.image_48).toEndWith('.jpg');
    expect((await fetch(j.profile!.image_48!)).headers.get('content-type')).toBe('image/jpeg');
    expect((await fetch(res.profile!.image_48!)).status).toBe(404);
    const gif = Buffer.from([0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x10, 0x00, 0x10, 0x00, 0x00, 0x00, 0x00, 0x3b]);
    expect((await user.users.setPhoto({ image: gif })).profile!.image_24).toEndWith('.gif');
    expect(await slackError(user.users.setPhoto({ image: Buffer.from('definitely not an image') }))).toBe('bad_image');
    const huge = Buffer.from(solidPng(1, '000000'));
    huge.writeUInt32BE(20_000, 16);
    expect(await slackError(user.users.setPhoto({ image: huge }))).toBe('too_large');
    expect(await slackError(bot.users.setPhoto({ image: png }))).toBe('not_allowed_token_type');

    expect((await user.users.deletePhoto({})).ok).toBe(true);
    const after = (await bot.users.info({ user: host.tokens.adminUserId })).user!.profile!;
    expect(after.is_custom_image).toBe(false);
    expect(after.image_72).toBe(`${host.apiUrl}/avatars/${host.tokens.adminUserId}/72.png`);
    const def = await fetch(after.image_72!);
    expect(def.status).toBe(200);
    expect(def.headers.get('content-type')).toBe('image/png');
    expect((await fetch(j.profile!.image_48!)).status).toBe(404);
  });
});
