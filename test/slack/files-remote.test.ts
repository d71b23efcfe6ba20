import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { SQL } from 'bun';
import type { WebClient } from '@slack/web-api';
import type { SlackHost } from '../support/slack-host.ts';
import { admin, expectSlackShape, hostWithCarol, slackError } from './helpers.ts';

/** files.remote.*, files.sharedPublicURL / revokePublicURL, files.comments.delete through @slack/web-api. */

let host: SlackHost;
let bot: WebClient;
let user: WebClient;
let carol: WebClient;
let ch = '';
let sql: SQL;

beforeAll(async () => {
  ({ host, bot, user, carol, ch } = await hostWithCarol('remote-room'));
  sql = new SQL(host.databaseUrl);
}, 60_000);
afterAll(async () => {
  await sql?.close();
  await host?.stop();
}, 60_000);

describe('files.remote.*', () => {
  test('add (an upsert by external_id), info, update, list, share, remove', async () => {
    const added = await bot.files.remote.add({ external_id: 'doc-1', external_url: 'https://docs.example.test/doc-1', title: 'Roadmap' });
    await expectSlackShape('files.remote.add', added);
    const f = added.file!;
    expect(f.id).toMatch(/^F/);
    expect(f).toMatchObject({ title: 'Roadmap', mode: 'external', is_external: true, external_type: 'app', external_id: 'doc-1', external_url: 'https://docs.example.test/doc-1', filetype: 'remote', mimetype: 'application/vnd.slack-remote', pretty_type: 'Remote' });
    // The same external_id again updates the file, keeping its id.
    const again = await bot.files.remote.add({ external_id: 'doc-1', external_url: 'https://docs.example.test/doc-1?v=2', title: 'Roadmap v2' });
    expect(again.file).toMatchObject({ id: f.id, title: 'Roadmap v2', external_url: 'https://docs.example.test/doc-1?v=2' });
    expect((await sql`select count(*)::int as n from files where external_id = 'doc-1'`)[0].n).toBe(1);

    // Any token of the workspace reads it, by id or by external_id.
    const byExt = await carol.files.remote.info({ external_id: 'doc-1' });
    expect(byExt.file?.id).toBe(f.id);
    await expectSlackShape('files.remote.info', byExt);
    expect((await user.files.remote.info({ file: f.id! })).file?.title).toBe('Roadmap v2');
    expect(await slackError(bot.files.remote.info({ external_id: 'nope' }))).toBe('file_not_found');

    const upd = await bot.files.remote.update({ file: f.id!, title: 'Roadmap 2027', filetype: 'gdoc' });
    expect(upd.file).toMatchObject({ id: f.id, title: 'Roadmap 2027', filetype: 'gdoc' });
    await expectSlackShape('files.remote.update', upd);
    expect(await slackError(user.files.remote.update({ file: f.id!, title: 'x' }))).toBe('not_allowed_token_type');

    const second = await bot.files.remote.add({ external_id: 'doc-2', external_url: 'https://docs.example.test/doc-2', title: 'Budget' });
    const listed = await carol.files.remote.list({});
    expect(listed.files?.map((x) => x.id)).toEqual([second.file!.id, f.id]);
    await expectSlackShape('files.remote.list', listed);
    const p1 = await carol.files.remote.list({ limit: 1 });
    expect(p1.files?.map((x) => x.id)).toEqual([second.file!.id]);
    const p2 = await carol.files.remote.list({ limit: 1, cursor: p1.response_metadata!.next_cursor! });
    expect(p2.files?.map((x) => x.id)).toEqual([f.id]);
    expect(p2.response_metadata?.next_cursor).toBe('');

    const shared = await bot.files.remote.share({ file: f.id!, channels: ch });
    expect(shared.file?.channels).toEqual([ch]);
    await expectSlackShape('files.remote.share', shared);
    const h = await carol.conversations.history({ channel: ch, limit: 1 });
    expect(h.messages![0]).toMatchObject({ subtype: 'file_share', user: host.tokens.botUserId });
    expect(h.messages![0]!.files![0]).toMatchObject({ id: f.id, mode: 'external', external_id: 'doc-1' });
    expect((await carol.files.remote.list({ channel: ch })).files?.map((x) => x.id)).toEqual([f.id]);
    expect(await slackError(bot.files.remote.share({ file: f.id!, channels: 'C0NOSUCH00' }))).toBe('channel_not_found');

    await bot.files.remote.remove({ external_id: 'doc-2' });
    expect(await slackError(carol.files.remote.info({ file: second.file!.id! }))).toBe('file_not_found');
    expect((await sql`select count(*)::int as n from files where external_id = 'doc-2'`)[0].n).toBe(0);
  });

  test('documented argument errors', async () => {
    expect(await slackError(bot.files.remote.add({ external_id: 'x', external_url: 'https://a.test/x', title: 't'.repeat(256) }))).toBe('bad_title');
    expect(await slackError(bot.files.remote.add({ external_id: 'x'.repeat(256), external_url: 'https://a.test/x', title: 't' }))).toBe('invalid_external_id');
    expect(await slackError(bot.files.remote.add({ external_id: 'x', external_url: 'https://a.test/x' } as never))).toBe('invalid_arguments');
    expect(await slackError(user.files.remote.add({ external_id: 'x', external_url: 'https://a.test/x', title: 't' }))).toBe('not_allowed_token_type');
    expect(await slackError(bot.files.remote.remove({ external_id: 'never-added' }))).toBe('file_not_found');
  });
});

describe('public links and file comments', () => {
  test('sharedPublicURL serves the file without a token until revokePublicURL', async () => {
    const up = (await user.filesUploadV2({ channel_id: ch, content: 'public bytes', filename: 'pub.txt' })) as unknown as { files: { files: { id: string }[] }[] };
    const id = up.files[0]!.files[0]!.id;
    expect(await slackError(bot.files.sharedPublicURL({ file: id }))).toBe('not_allowed_token_type');
    const shared = await user.files.sharedPublicURL({ file: id });
    expect(shared.file?.public_url_shared).toBe(true);
    await expectSlackShape('files.sharedPublicURL', shared);
    const link = shared.file!.permalink_public!;
    const got = await fetch(link);
    expect(got.status).toBe(200);
    expect(await got.text()).toBe('public bytes');
    // The secret is what opens it.
    expect((await fetch(link.replace(/-([a-f0-9]+)\/pub\.txt$/, '-0000000000/pub.txt'))).status).toBe(404);
    expect((await user.files.info({ file: id })).file?.public_url_shared).toBe(true);

    const revoked = await bot.files.revokePublicURL({ file: id });
    expect(revoked.file?.public_url_shared).toBe(false);
    await expectSlackShape('files.revokePublicURL', revoked);
    expect((await fetch(link)).status).toBe(404);
    // Shared again, the link is the same one.
    expect((await user.files.sharedPublicURL({ file: id })).file?.permalink_public).toBe(link);
    expect(await slackError(user.files.sharedPublicURL({ file: 'F0NOSUCH00' }))).toBe('file_not_found');
    expect(await slackError(bot.files.revokePublicURL({ file: 'F0NOSUCH00' }))).toBe('file_not_found');
  });

  test('files.comments.delete: seeded legacy comments, listed by files.info, deleted by their author or an admin', async () => {
    const up = (await carol.filesUploadV2({ channel_id: ch, content: 'commented', filename: 'old.txt' })) as unknown as { files: { files: { id: string }[] }[] };
    const file = up.files[0]!.files[0]!.id;
    const seeded = await admin(host, '/__asym/seed', {
      records: {
        file_comments: [
          { file, user: 'carol', comment: 'first', created: 1500000000 },
          { file, user: 'carol', comment: 'second' },
          { file, user: host.tokens.adminUserId, comment: 'the admin\'s' },
          { file: 'F0NOSUCH00', user: 'carol', comment: 'orphan' },
          { file, user: 'carol', comment: ' ' },
        ],
      },
    });
    expect(seeded.body).toMatchObject({ written: 3, rejected: 2 });
    const info = await carol.files.info({ file });
    expect(info.comments!.map((c) => c.comment)).toEqual(['first', 'second', "the admin's"]);
    expect(info.comments![0]).toMatchObject({ created: 1500000000, timestamp: 1500000000, is_intro: false });
    expect(info.comments!.map((c) => c.user)).toEqual([info.comments![0]!.user, info.comments![0]!.user, host.tokens.adminUserId]);
    expect(info.file?.comments_count).toBe(3);
    await expectSlackShape('files.info', info);
    const [first, second, admins] = info.comments!.map((c) => c.id!);
    expect(first).toMatch(/^Fc/);

    // Only the author or an admin; the bot (not an admin) cannot delete carol's.
    expect(await slackError(bot.files.comments.delete({ file, id: first! }))).toBe('cant_delete');
    expect(await slackError(carol.files.comments.delete({ file, id: admins! }))).toBe('cant_delete');
    const done = await carol.files.comments.delete({ file, id: first! });
    expect(done.ok).toBe(true);
    await expectSlackShape('files.comments.delete', done);
    await user.files.comments.delete({ file, id: second! });
    const after = await carol.files.info({ file });
    expect(after.comments!.map((c) => c.comment)).toEqual(["the admin's"]);
    expect(after.file?.comments_count).toBe(1);
    expect(await slackError(carol.files.comments.delete({ file, id: first! }))).toBe('cant_delete');
    expect(await slackError(carol.files.comments.delete({ file: 'F0NOSUCH00', id: admins! }))).toBe('file_not_found');

    // Deleting the file deletes its comments.
    await carol.files.delete({ file });
    expect((await sql`select count(*)::int as n from file_comments where file_id = ${file}`)[0].n).toBe(0);
  });
});
