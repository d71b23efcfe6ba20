import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import type { WebClient } from '@slack/web-api';
import type { SlackHost } from '../support/slack-host.ts';
import { admin, client, expectSlackShape, hostWithCarol, slackError } from './helpers.ts';

/** files.* (the filesUploadV2 flow, info/list/delete, private URLs) and search.*. */

let host: SlackHost;
let bot: WebClient;
let user: WebClient;
let carol: WebClient;
let carolToken = '';
let carolId = '';
let ch = '';
let priv = '';

beforeAll(async () => {
  ({ host, bot, user, carol, carolToken, carolId, ch } = await hostWithCarol('files'));
  priv = (await user.conversations.create({ name: 'secret-room', is_private: true })).channel!.id!;
  await user.conversations.invite({ channel: priv, users: host.tokens.botUserId });
}, 60_000);
afterAll(async () => {
  await host?.stop();
}, 60_000);

type Completion = { files: { files: { id: string }[] }[] };
const uploadedId = (r: unknown) => (r as Completion).files[0]!.files[0]!.id;

describe('files: the filesUploadV2 flow', () => {
  test('uploads, completes and shares a file message in the channel', async () => {
    const r = await bot.filesUploadV2({ channel_id: ch, content: 'hello file', filename: 'notes.txt', title: 'Release notes', initial_comment: 'see attached' });
    const completion = (r as unknown as Completion).files[0]!;
    await expectSlackShape('files.completeUploadExternal', completion);
    const id = uploadedId(r);
    expect(id).toMatch(/^F/);
    const h = await bot.conversations.history({ channel: ch, limit: 1 });
    const m = h.messages![0]!;
    expect(m).toMatchObject({ text: 'see attached', user: host.tokens.botUserId, upload: true, subtype: 'file_share' });
    expect(m.files![0]).toMatchObject({ id, name: 'notes.txt', title: 'Release notes', filetype: 'text', mimetype: 'text/plain', size: 10 });
    await expectSlackShape('conversations.history', h);

    const info = await carol.files.info({ file: id });
    await expectSlackShape('files.info', info);
    expect(info.file).toMatchObject({ id, user: host.tokens.botUserId, channels: [ch], is_public: true, mode: 'hosted' });
    const shares = (info.file!.shares as { public: Record<string, { ts: string }[]> }).public;
    expect(shares[ch]![0]!.ts).toBe(m.ts!);
  });

  test('a thread_ts upload lands in the thread; binary bytes round-trip through url_private', async () => {
    const root = await carol.chat.postMessage({ channel: ch, text: 'send the logo?' });
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
    const r = await bot.filesUploadV2({ channel_id: ch, thread_ts: root.ts!, file: png, filename: 'logo.png', initial_comment: 'here' });
    const id = uploadedId(r);
    const replies = await bot.conversations.replies({ channel: ch, ts: root.ts! });
    const reply = replies.messages!.find((x) => x.files?.[0]?.id === id)!;
    expect(reply).toMatchObject({ thread_ts: root.ts, text: 'here' });
    expect(reply.files![0]).toMatchObject({ filetype: 'png', mimetype: 'image/png', size: png.length });
    // The parent is not re-posted in the channel (no broadcast).
    const h = await bot.conversations.history({ channel: ch, limit: 1 });
    expect(h.messages![0]!.ts).toBe(root.ts);

    const file = (await bot.files.info({ file: id })).file!;
    const got = await fetch(file.url_private!, { headers: { authorization: `Bearer ${carolToken}` } });
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await got.arrayBuffer()).equals(png)).toBe(true);
    const dl = await fetch(file.url_private_download!, { headers: { authorization: `Bearer ${host.tokens.botToken}` } });
    expect(dl.headers.get('content-disposition')).toContain('attachment; filename="logo.png"');
    // Without a token Slack sends the browser to sign in; the body is HTML, not the file.
    const anon = await fetch(file.url_private!, { redirect: 'manual' });
    expect(anon.status).toBe(302);
    const followed = await fetch(file.url_private!);
    expect(followed.status).toBe(200);
    expect(followed.headers.get('content-type')).toContain('text/html');
    const bad = await fetch(file.url_private!, { headers: { authorization: 'Bearer xoxb-nope' }, redirect: 'manual' });
    expect(bad.status).toBe(302);
  });

  test('the raw upload flow: private until shared; size limit; unknown ids', async () => {
    const u = await carol.files.getUploadURLExternal({ filename: 'draft.md', length: 7 });
    await expectSlackShape('files.getUploadURLExternal', u);
    expect(u.upload_url).toStartWith(`${host.apiUrl}/upload/v1/`);
    // Completing before the bytes arrive: Slack has no file yet.
    expect(await slackError(carol.files.completeUploadExternal({ files: [{ id: u.file_id! }] }))).toBe('file_not_found');
    const posted = await fetch(u.upload_url!, { method: 'POST', body: '# draft' });
    expect(posted.status).toBe(200);
    expect(await posted.text()).toBe('OK - 7');
    const done = await carol.files.completeUploadExternal({ files: [{ id: u.file_id!, title: 'Draft' }] });
    expect(done.files![0]).toMatchObject({ id: u.file_id, title: 'Draft', channels: [], filetype: 'markdown' });
    // Not shared anywhere: only the owner sees it.
    expect((await carol.files.info({ file: u.file_id! })).file!.title).toBe('Draft');
    expect(await slackError(bot.files.info({ file: u.file_id! }))).toBe('file_not_found');
    // The upload URL is spent once completed.
    expect((await fetch(u.upload_url!, { method: 'POST', body: 'again' })).status).toBe(404);

    expect(await slackError(carol.files.getUploadURLExternal({ filename: 'huge.bin', length: 60 * 1024 * 1024 }))).toBe('file_size_exceeds_limit');
    expect(await slackError(carol.files.getUploadURLExternal({ filename: '', length: 3 }))).toBe('invalid_arguments');
    expect(await slackError(carol.files.info({ file: 'F0NOPE' }))).toBe('file_not_found');
    expect(await slackError(carol.files.completeUploadExternal({ files: [{ id: 'F0NOPE' }] }))).toBe('file_not_found');

    // Multipart uploads work too, and completing into a private channel needs membership.
    const m = await carol.files.getUploadURLExternal({ filename: 'm.csv', length: 4 });
    const fd = new FormData();
    fd.append('file', new Blob(['a,b\n']), 'm.csv');
    expect((await fetch(m.upload_url!, { method: 'POST', body: fd })).status).toBe(200);
    expect(await slackError(carol.files.completeUploadExternal({ files: [{ id: m.file_id! }], channel_id: priv }))).toBe('channel_not_found');
  });

  test('a file shared in a private channel is visible to its members only', async () => {
    const r = await bot.filesUploadV2({ channel_id: priv, content: 'top secret plan', filename: 'plan.txt' });
    const id = uploadedId(r);
    expect((await user.files.info({ file: id })).file!.groups).toEqual([priv]);
    expect(await slackError(carol.files.info({ file: id }))).toBe('file_not_found');
    const file = (await bot.files.info({ file: id })).file!;
    expect((await fetch(file.url_private!, { headers: { authorization: `Bearer ${carolToken}` } })).status).toBe(404);
    expect((await carol.files.list({})).files!.some((f) => f.id === id)).toBe(false);
  });

  test('files.list filters and pages', async () => {
    const all = await user.files.list({});
    await expectSlackShape('files.list', all);
    expect(all.files!.length).toBeGreaterThanOrEqual(3);
    // Newest first.
    const created = all.files!.map((f) => f.created!);
    expect([...created].sort((a, b) => b - a)).toEqual(created);
    const inCh = await user.files.list({ channel: ch });
    expect(inCh.files!.every((f) => f.channels!.includes(ch))).toBe(true);
    expect(inCh.files!.length).toBe(2);
    expect((await user.files.list({ user: carolId })).files!.every((f) => f.user === carolId)).toBe(true);
    const images = await user.files.list({ types: 'images' });
    expect(images.files!.map((f) => f.name)).toEqual(['logo.png']);
    const now = Math.floor(Date.now() / 1000);
    expect((await user.files.list({ ts_to: String(now - 3600) })).files).toEqual([]);
    expect((await user.files.list({ ts_from: String(now - 3600) })).files!.length).toBe(all.files!.length);
    const p1 = await user.files.list({ count: 1, page: 1 });
    const p2 = await user.files.list({ count: 1, page: 2 });
    expect(p1.paging).toEqual({ count: 1, total: all.files!.length, page: 1, pages: all.files!.length });
    expect(p2.files![0]!.id).toBe(all.files![1]!.id!);
  });

  test('files.delete: owner or admin; the share message keeps a tombstone', async () => {
    const r = await bot.filesUploadV2({ channel_id: ch, content: 'temporary', filename: 'tmp.txt' });
    const id = uploadedId(r);
    expect(await slackError(carol.files.delete({ file: id }))).toBe('cant_delete_file');
    const del = await bot.files.delete({ file: id });
    await expectSlackShape('files.delete', del);
    expect(await slackError(bot.files.info({ file: id }))).toBe('file_not_found');
    const h = await bot.conversations.history({ channel: ch, limit: 1 });
    expect(h.messages![0]!.files).toEqual([{ id, mode: 'tombstone' }]);
    // A workspace admin may delete anyone's file.
    const c = await carol.filesUploadV2({ channel_id: ch, content: 'mine', filename: 'carol.txt' });
    await user.files.delete({ file: uploadedId(c) });
    expect(await slackError(carol.files.info({ file: uploadedId(c) }))).toBe('file_not_found');
  });

  test('files.upload is retired, as in Slack', async () => {
    expect(await slackError(bot.apiCall('files.upload', { content: 'x', channels: ch }))).toBe('method_deprecated');
  });
});

describe('search', () => {
  let hits: string[] = [];
  beforeAll(async () => {
    hits = [];
    for (const [who, text] of [
      [carol, 'zebra crossing plan'],
      [user, 'zebra zebra stripes https://example.test/z'],
      [bot, 'zebra facts'],
      [carol, 'unrelated chatter'],
    ] as const) {
      hits.push((await who.chat.postMessage({ channel: ch, text })).ts!);
    }
    await carol.reactions.add({ channel: ch, timestamp: hits[2]!, name: 'eyes' });
    await user.chat.postMessage({ channel: priv, text: 'zebra secret' });
  });

  test('terms, in:, from:, has:, scores and the paging objects', async () => {
    const r = await carol.search.messages({ query: 'zebra' });
    await expectSlackShape('search.messages', r);
    expect(r.query).toBe('zebra');
    // The private channel's message is not Carol's to find.
    expect(r.messages!.total).toBe(3);
    expect(r.messages!.matches![0]).toMatchObject({ text: 'zebra zebra stripes https://example.test/z', type: 'message', user: host.tokens.adminUserId, username: 'admin', channel: { id: ch, name: 'files', is_channel: true } });
    expect(r.messages!.matches![0]!.permalink).toContain(`/archives/${ch}/p`);
    expect(r.messages!.paging).toEqual({ count: 20, total: 3, page: 1, pages: 1 });
    expect(r.messages!.pagination).toEqual({ total_count: 3, page: 1, per_page: 20, page_count: 1, first: 1, last: 3 });

    expect((await user.search.messages({ query: 'zebra' })).messages!.total).toBe(4);
    expect((await user.search.messages({ query: 'zebra in:#secret-room' })).messages!.matches!.map((m) => m.text)).toEqual(['zebra secret']);
    expect((await carol.search.messages({ query: 'zebra in:#secret-room' })).messages!.total).toBe(0);
    expect((await carol.search.messages({ query: `zebra in:<#${ch}>` })).messages!.total).toBe(3);
    expect((await carol.search.messages({ query: 'zebra from:@carol' })).messages!.matches!.map((m) => m.text)).toEqual(['zebra crossing plan']);
    expect((await carol.search.messages({ query: `from:<@${host.tokens.botUserId}> zebra` })).messages!.matches!.map((m) => m.text)).toEqual(['zebra facts']);
    expect((await carol.search.messages({ query: 'zebra has:link' })).messages!.matches!.map((m) => m.ts)).toEqual([hits[1]!]);
    const reacted = await carol.search.messages({ query: 'has:reaction zebra' });
    expect(reacted.messages!.matches!.map((m) => [m.ts, m.no_reactions])).toEqual([[hits[2]!, false]]);
    expect((await carol.search.messages({ query: '"crossing plan"' })).messages!.total).toBe(1);
    expect((await carol.search.messages({ query: 'zebra -stripes -facts' })).messages!.matches!.map((m) => m.ts)).toEqual([hits[0]!]);
  });

  test('dates, sort and sort_dir, count/page', async () => {
    const day = new Date().toISOString().slice(0, 10);
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    expect((await carol.search.messages({ query: `zebra on:${day}` })).messages!.total).toBe(3);
    expect((await carol.search.messages({ query: `zebra before:${day}` })).messages!.total).toBe(0);
    expect((await carol.search.messages({ query: `zebra after:${yesterday}` })).messages!.total).toBe(3);
    expect((await carol.search.messages({ query: `zebra after:${day}` })).messages!.total).toBe(0);

    const newest = await carol.search.messages({ query: 'zebra', sort: 'timestamp', sort_dir: 'desc' });
    expect(newest.messages!.matches!.map((m) => m.ts)).toEqual([hits[2]!, hits[1]!, hits[0]!]);
    const oldest = await carol.search.messages({ query: 'zebra', sort: 'timestamp', sort_dir: 'asc' });
    expect(oldest.messages!.matches!.map((m) => m.ts)).toEqual([hits[0]!, hits[1]!, hits[2]!]);

    const p2 = await carol.search.messages({ query: 'zebra', sort: 'timestamp', count: 2, page: 2 });
    expect(p2.messages!.matches!.map((m) => m.ts)).toEqual([hits[0]!]);
    expect(p2.messages!.paging).toEqual({ count: 2, total: 3, page: 2, pages: 2 });
    expect(p2.messages!.pagination).toEqual({ total_count: 3, page: 2, per_page: 2, page_count: 2, first: 3, last: 3 });
  });

  test('search.files and search.all', async () => {
    const f = await user.search.files({ query: 'notes' });
    await expectSlackShape('search.files', f);
    expect(f.files!.matches!.map((x) => x.name)).toEqual(['notes.txt']);
    expect(f.files!.pagination).toMatchObject({ total_count: 1, page: 1, first: 1, last: 1 });
    expect((await carol.search.files({ query: 'plan' })).files!.total).toBe(0);
    expect((await user.search.files({ query: 'plan in:#secret-room' })).files!.matches!.map((x) => x.name)).toEqual(['plan.txt']);
    // Carol's unshared draft is hers alone; her incomplete upload is not searchable.
    expect((await carol.search.files({ query: 'from:me' })).files!.matches!.map((x) => x.name)).toEqual(['draft.md']);
    expect((await user.search.files({ query: `from:<@${carolId}>` })).files!.total).toBe(0);

    const a = await carol.search.all({ query: 'release' });
    await expectSlackShape('search.all', a);
    expect(a.files!.total).toBe(1);
    expect(a.messages!.total).toBe(0);
    expect(a.posts).toEqual({ total: 0, matches: [] });
  });

  test("bots get Slack's not_allowed_token_type; tokens without search:read get missing_scope; no query", async () => {
    expect(await slackError(bot.search.messages({ query: 'zebra' }))).toBe('not_allowed_token_type');
    expect(await slackError(bot.search.files({ query: 'zebra' }))).toBe('not_allowed_token_type');
    expect(await slackError(bot.search.all({ query: 'zebra' }))).toBe('not_allowed_token_type');
    const limited = await admin(host, '/__asym/slack/user-token', { user: 'carol', scopes: ['channels:read'] });
    const c = client(host, limited.body.token);
    expect(await slackError(c.search.messages({ query: 'zebra' }))).toBe('missing_scope');
    expect(await slackError(carol.search.messages({ query: '  ' }))).toBe('no_query');
  });
});
