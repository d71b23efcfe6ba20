/** Database views, file uploads and custom emojis through @notionhq/client, on a clone spun with the acme fixture; reset puts both back. */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { APIResponseError, Client, collectPaginatedAPI } from '@notionhq/client';
import { cloneHarness } from '../support/clones.ts';
import { describeDocker } from '../support/docker.ts';
import { notionShapeErrors } from '../../templates/notion/verify/shapes.ts';

const h = cloneHarness('notion');
let clone: any;
let notion: Client;
const any = (x: unknown) => x as any;
let tasksDs = '';
let tasksDb = '';
let home = '';

async function err(fn: () => Promise<unknown>): Promise<APIResponseError> {
  try {
    await fn();
  } catch (e) {
    if (e instanceof APIResponseError) return e;
    throw e;
  }
  throw new Error('expected a Notion API error');
}
const bad = async (fn: () => Promise<unknown>, status: number, code: string, message?: RegExp) => {
  const e = await err(fn);
  expect([e.status, e.code as string]).toEqual([status, code]);
  if (message) expect(e.message).toMatch(message);
};

describeDocker('notion views and file uploads', () => {
  beforeAll(async () => {
    clone = await h.spin('notion', ['--fixture', 'acme']);
    notion = new Client({ auth: clone.tokens.botToken, baseUrl: clone.endpoints.api, maxRetries: 0 } as never);
    const sources = await notion.search({ filter: { property: 'object', value: 'data_source' } });
    const tasks = any(sources.results.find((s) => any(s).title[0].plain_text === 'Tasks'));
    tasksDs = tasks.id;
    tasksDb = tasks.parent.database_id;
    home = (await notion.search({ query: 'Acme Home', filter: { property: 'object', value: 'page' } })).results[0]!.id;
  }, 240_000);
  afterAll(() => h.cleanup(), 60_000);

  test('views: the default view, create with filter and sorts, list, update, query with paging, delete; errors', async () => {
    const initial = await notion.views.list({ database_id: tasksDb });
    expect(initial.results.length).toBe(1);
    expect(notionShapeErrors('GET /v1/views', initial)).toEqual([]);
    const def: any = await notion.views.retrieve({ view_id: initial.results[0]!.id });
    expect(def).toMatchObject({ object: 'view', name: 'Default view', type: 'table', data_source_id: tasksDs, parent: { type: 'database_id', database_id: tasksDb }, filter: null, sorts: null });

    const ds: any = await notion.dataSources.retrieve({ data_source_id: tasksDs });
    const select = Object.values(ds.properties).find((p: any) => p.type === 'select') as any;
    const option = select.select.options[0].name;
    const v: any = await notion.views.create({
      data_source_id: tasksDs,
      database_id: tasksDb,
      name: 'Filtered',
      type: 'board',
      filter: { property: select.name, select: { equals: option } },
      sorts: [{ timestamp: 'created_time', direction: 'ascending' }],
      configuration: { type: 'board', group_by: { type: 'select', property_id: select.id, sort: { type: 'manual' } } },
      position: { type: 'start' },
    } as never);
    expect(notionShapeErrors('POST /v1/views', v)).toEqual([]);
    expect(v).toMatchObject({ name: 'Filtered', type: 'board', configuration: { type: 'board' }, created_by: { id: clone.tokens.botUserId ?? expect.any(String) } });
    // position start: the new view is the first tab.
    expect((await notion.views.list({ database_id: tasksDb })).results.map((x) => x.id)).toEqual([v.id, def.id]);

    const expected = (await collectPaginatedAPI(notion.dataSources.query, { data_source_id: tasksDs, filter: { property: select.name, select: { equals: option } }, sorts: [{ timestamp: 'created_time', direction: 'ascending' }] } as never)).map((p) => p.id);
    expect(expected.length).toBeGreaterThan(2);
    const q: any = await notion.views.queries.create({ view_id: v.id, page_size: 2 } as never);
    expect(notionShapeErrors('POST /v1/views/{view_id}/queries', q)).toEqual([]);
    expect(q.total_count).toBe(expected.length);
    // 15 minutes on the clone's clock (the view was made just before the query).
    const ttl = Date.parse(q.expires_at) - Date.parse(v.created_time);
    expect(ttl).toBeGreaterThanOrEqual(15 * 60_000);
    expect(ttl).toBeLessThan(16 * 60_000);
    const walked = [...q.results.map((r: any) => r.id)];
    let cursor = q.next_cursor;
    while (cursor) {
      const page: any = await notion.views.queries.results({ view_id: v.id, query_id: q.id, start_cursor: cursor, page_size: 2 } as never);
      expect(notionShapeErrors('GET /v1/views/{view_id}/queries/{query_id}', page)).toEqual([]);
      walked.push(...page.results.map((r: any) => r.id));
      cursor = page.next_cursor;
    }
    expect(walked).toEqual(expected);

    // quick filters narrow the view further; a null entry removes one.
    await notion.views.update({ view_id: v.id, name: 'Renamed', quick_filters: { [select.name]: { select: { equals: select.select.options[1].name } } } } as never);
    const both: any = await notion.views.queries.create({ view_id: v.id } as never);
    expect(both.total_count).toBe(0); // one option and another at once: nothing
    const cleared: any = await notion.views.update({ view_id: v.id, quick_filters: { [select.name]: null }, sorts: null } as never);
    expect(cleared).toMatchObject({ name: 'Renamed', quick_filters: {}, sorts: null });
    expect((await notion.views.queries.create({ view_id: v.id } as never) as any).total_count).toBe(expected.length);

    await bad(() => notion.views.list({} as never), 400, 'validation_error');
    await bad(() => notion.views.create({ data_source_id: tasksDs, database_id: tasksDb, name: 'x', type: 'spreadsheet' } as never), 400, 'validation_error', /body\.type should be one of/);
    await bad(() => notion.views.create({ data_source_id: tasksDs, name: 'x', type: 'table' } as never), 400, 'validation_error', /body\.database_id should be defined/);
    await bad(() => notion.views.create({ data_source_id: tasksDs, database_id: tasksDb, type: 'table' } as never), 400, 'validation_error', /body\.name should be defined/);
    await bad(() => notion.views.create({ data_source_id: tasksDs, database_id: tasksDb, name: 'x', type: 'table', filter: { property: 'Nope', select: { equals: 'x' } } } as never), 400, 'validation_error');
    await bad(() => notion.views.update({ view_id: v.id, configuration: { type: 'calendar', date_property_id: 'x' } } as never), 400, 'validation_error', /view's type/);
    await bad(() => notion.views.retrieve({ view_id: '00000000-0000-4000-8000-000000000000' }), 404, 'object_not_found');

    // A deleted query: its results are 404, deleting it again succeeds (idempotent).
    expect(await notion.views.queries.delete({ view_id: v.id, query_id: q.id } as never)).toEqual({ object: 'view_query', id: q.id, deleted: true });
    await bad(() => notion.views.queries.results({ view_id: v.id, query_id: q.id } as never), 404, 'object_not_found');
    expect(any(await notion.views.queries.delete({ view_id: v.id, query_id: q.id } as never)).deleted).toBe(true);

    const del: any = await notion.views.delete({ view_id: v.id });
    expect(del).toEqual({ object: 'view', id: v.id, parent: { type: 'database_id', database_id: tasksDb }, type: 'board' });
    await bad(() => notion.views.retrieve({ view_id: v.id }), 404, 'object_not_found');
    expect((await notion.views.list({ data_source_id: tasksDs } as never)).results.map((x) => x.id)).toEqual([def.id]);
  });

  test('views: a dashboard takes other views as widgets; a database created by the API has its default view', async () => {
    const dash: any = await notion.views.create({ data_source_id: tasksDs, database_id: tasksDb, name: 'Overview', type: 'dashboard' } as never);
    expect(dash).toMatchObject({ type: 'dashboard', data_source_id: null, configuration: { type: 'dashboard', rows: [] } });
    const w: any = await notion.views.create({ data_source_id: tasksDs, view_id: dash.id, name: 'Widget', type: 'table' } as never);
    expect(w.dashboard_view_id).toBe(dash.id);
    const after: any = await notion.views.retrieve({ view_id: dash.id });
    expect(after.configuration.rows.map((r: any) => r.widgets.map((x: any) => x.view_id))).toEqual([[w.id]]);
    await bad(() => notion.views.create({ data_source_id: tasksDs, view_id: w.id, name: 'x', type: 'table' } as never), 400, 'validation_error', /dashboard view/);
    await bad(() => notion.views.queries.create({ view_id: dash.id } as never), 400, 'validation_error');

    const db: any = await notion.databases.create({ parent: { type: 'page_id', page_id: home }, title: [{ type: 'text', text: { content: 'Fresh' } }], initial_data_source: { properties: { Name: { title: {} } } } } as never);
    const views = await notion.views.list({ database_id: db.id });
    expect(views.results.length).toBe(1);
    expect(any(await notion.views.retrieve({ view_id: views.results[0]!.id }))).toMatchObject({ name: 'Default view', type: 'table', data_source_id: db.data_sources[0].id });
  });

  test('file uploads: single part, attached to a block and a page icon and cover, served; list by status; errors', async () => {
    const up: any = await notion.fileUploads.create({ filename: 'report.txt', content_type: 'text/plain' });
    expect(notionShapeErrors('POST /v1/file_uploads', up)).toEqual([]);
    expect(up).toMatchObject({ object: 'file_upload', status: 'pending', filename: 'report.txt', content_type: 'text/plain', content_length: null, upload_url: `${clone.endpoints.api}/v1/file_uploads/${up.id}/send` });
    expect(Date.parse(up.expiry_time) - Date.parse(up.created_time)).toBe(60 * 60_000);
    // Not uploaded yet: it cannot be attached.
    await bad(() => notion.blocks.children.append({ block_id: home, children: [{ image: { type: 'file_upload', file_upload: { id: up.id } } }] } as never), 400, 'validation_error', /pending/);
    const sent: any = await notion.fileUploads.send({ file_upload_id: up.id, file: { filename: 'report.txt', data: new Blob(['quarterly numbers'], { type: 'text/plain' }) } });
    expect(notionShapeErrors('POST /v1/file_uploads/{file_upload_id}/send', sent)).toEqual([]);
    expect(sent).toMatchObject({ status: 'uploaded', content_length: 17 });
    expect(sent.upload_url).toBeUndefined();
    await bad(() => notion.fileUploads.send({ file_upload_id: up.id, file: { data: 'x' } }), 400, 'validation_error', /uploaded/);
    await bad(() => notion.fileUploads.send({ file_upload_id: up.id, part_number: '1', file: { data: 'x' } } as never), 400, 'validation_error');

    const appended: any = await notion.blocks.children.append({ block_id: home, children: [{ file: { type: 'file_upload', file_upload: { id: up.id }, caption: [{ type: 'text', text: { content: 'Q3' } }] } }, { image: { external: { url: 'https://example.com/a.png' } } }] } as never);
    const fileBlock: any = await notion.blocks.retrieve({ block_id: appended.results[0].id });
    expect(notionShapeErrors('GET /v1/blocks/{block_id}', fileBlock)).toEqual([]);
    expect(fileBlock.file).toMatchObject({ type: 'file', name: 'report.txt', caption: [{ plain_text: 'Q3' }] });
    expect(typeof fileBlock.file.file.expiry_time).toBe('string');
    const served = await fetch(fileBlock.file.file.url);
    expect([served.status, await served.text(), served.headers.get('content-type')]).toEqual([200, 'quarterly numbers', 'text/plain']);
    expect(any(await notion.blocks.retrieve({ block_id: appended.results[1].id })).image).toMatchObject({ type: 'external', external: { url: 'https://example.com/a.png' } });
    // Attached: it no longer expires, and it can be used again (a page icon and cover).
    expect(any(await notion.fileUploads.retrieve({ file_upload_id: up.id })).expiry_time).toBeNull();
    const pg: any = await notion.pages.update({ page_id: home, icon: { type: 'file_upload', file_upload: { id: up.id } }, cover: { type: 'file_upload', file_upload: { id: up.id } } } as never);
    expect(notionShapeErrors('PATCH /v1/pages/{page_id}', pg)).toEqual([]);
    expect(pg.icon.type).toBe('file');
    expect(pg.cover.file.url).toBe(fileBlock.file.file.url);
    // A client cannot name a Notion-hosted file by URL.
    await bad(() => notion.blocks.children.append({ block_id: home, children: [{ image: { type: 'file', file: { url: 'https://x.test/y.png' } } }] } as never), 400, 'validation_error');
    await bad(() => notion.blocks.children.append({ block_id: home, children: [{ image: { type: 'file_upload', file_upload: { id: '00000000-0000-4000-8000-000000000000' } } }] } as never), 400, 'validation_error');

    const pending: any = await notion.fileUploads.create({});
    const lists = async (status: string) => (await collectPaginatedAPI(notion.fileUploads.list, { status, page_size: 1 } as never)).map((x) => x.id);
    expect(await lists('pending')).toEqual([pending.id]);
    expect(await lists('uploaded')).toContain(up.id);
    expect(notionShapeErrors('GET /v1/file_uploads', await notion.fileUploads.list({}))).toEqual([]);
    await bad(() => notion.fileUploads.list({ status: 'done' } as never), 400, 'validation_error');
    await bad(() => notion.fileUploads.create({ mode: 'chunked' } as never), 400, 'validation_error');
    await bad(() => notion.fileUploads.create({ filename: `${'x'.repeat(901)}.txt` }), 400, 'validation_error', /900/);
    await bad(() => notion.fileUploads.create({ mode: 'multi_part', number_of_parts: 2 }), 400, 'validation_error', /filename/);
    await bad(() => notion.fileUploads.create({ mode: 'multi_part', filename: 'a.bin', number_of_parts: 1001 }), 400, 'validation_error');
    await bad(() => notion.fileUploads.create({ number_of_parts: 2 }), 400, 'validation_error');
    await bad(() => notion.fileUploads.create({ mode: 'external_url', filename: 'a.png', external_url: 'http://insecure.test/a.png' }), 400, 'validation_error', /https/);
    await bad(() => notion.fileUploads.complete({ file_upload_id: up.id }), 400, 'validation_error', /single_part/);
    await bad(() => notion.fileUploads.retrieve({ file_upload_id: '00000000-0000-4000-8000-000000000000' }), 404, 'object_not_found');
    // Uploads are the integration's own: the admin person does not see them.
    const person = new Client({ auth: clone.tokens.userToken, baseUrl: clone.endpoints.api, maxRetries: 0 } as never);
    await bad(() => person.fileUploads.retrieve({ file_upload_id: up.id }), 404, 'object_not_found');
  });

  test('file uploads: multi part, parts out of order, 5 MB minimum but for the last, complete', async () => {
    const mb = 1024 * 1024;
    const m: any = await notion.fileUploads.create({ mode: 'multi_part', filename: 'big.bin', content_type: 'application/octet-stream', number_of_parts: 2 });
    expect(m).toMatchObject({ status: 'pending', number_of_parts: { total: 2, sent: 0 }, complete_url: `${clone.endpoints.api}/v1/file_uploads/${m.id}/complete` });
    await bad(() => notion.fileUploads.send({ file_upload_id: m.id, file: { data: 'x' } }), 400, 'validation_error', /part_number/);
    await bad(() => notion.fileUploads.send({ file_upload_id: m.id, part_number: '3', file: { data: 'x' } }), 400, 'validation_error', /between 1 and 2/);
    await bad(() => notion.fileUploads.send({ file_upload_id: m.id, part_number: '1', file: { data: 'too small' } }), 400, 'validation_error', /5 MB/);
    const last: any = await notion.fileUploads.send({ file_upload_id: m.id, part_number: '2', file: { data: new Blob([new Uint8Array(10).fill(2)]) } });
    expect(last).toMatchObject({ status: 'pending', number_of_parts: { total: 2, sent: 1 } });
    await bad(() => notion.fileUploads.complete({ file_upload_id: m.id }), 400, 'validation_error', /missing parts 1 of 2/);
    await notion.fileUploads.send({ file_upload_id: m.id, part_number: '1', file: { data: new Blob([new Uint8Array(5 * mb).fill(1)]) } });
    const done: any = await notion.fileUploads.complete({ file_upload_id: m.id });
    expect(notionShapeErrors('POST /v1/file_uploads/{file_upload_id}/complete', done)).toEqual([]);
    expect(done).toMatchObject({ status: 'uploaded', content_length: 5 * mb + 10, number_of_parts: { total: 2, sent: 2 } });
    const b: any = await notion.blocks.children.append({ block_id: home, children: [{ file: { file_upload: { id: m.id } } }] } as never);
    const bytes = new Uint8Array(await (await fetch(any(await notion.blocks.retrieve({ block_id: b.results[0].id })).file.file.url)).arrayBuffer());
    expect([bytes.length, bytes[0], bytes[5 * mb]]).toEqual([5 * mb + 10, 1, 2]);
    await bad(() => notion.fileUploads.complete({ file_upload_id: m.id }), 400, 'validation_error', /uploaded/);
    const me: any = await notion.users.me({});
    expect(me.bot.workspace_limits.max_file_upload_size_in_bytes).toBe(5 * 1024 * mb);
  });

  test('custom emojis: added by the admin route, listed paged, by exact name', async () => {
    const add = (name: string, url = `https://emoji.test/${name}.png`) =>
      fetch(`${clone.endpoints.api}/__asym/notion/custom-emojis`, { method: 'POST', headers: { 'x-asym-admin': clone.adminSecret, 'content-type': 'application/json' }, body: JSON.stringify({ name, url }) });
    expect((await notion.customEmojis.list({} as never)).results).toEqual([]);
    expect((await add('shipit')).status).toBe(200);
    expect((await add('party')).status).toBe(200);
    expect((await add('party')).status).toBe(409);
    expect((await add('bad name')).status).toBe(400);
    const all = await collectPaginatedAPI(notion.customEmojis.list, { page_size: 1 } as never);
    expect(all.map((e: any) => e.name)).toEqual(['shipit', 'party']);
    const one: any = await notion.customEmojis.list({ name: 'party' } as never);
    expect(notionShapeErrors('GET /v1/custom_emojis', one)).toEqual([]);
    expect(one.results).toEqual([{ id: expect.any(String), name: 'party', url: 'https://emoji.test/party.png' }]);
    expect((await notion.customEmojis.list({ name: 'part' } as never)).results).toEqual([]);
    await bad(() => notion.customEmojis.list({ page_size: 101 } as never), 400, 'validation_error');
  });

  test('reset puts the views back and removes the uploads', async () => {
    const r = await h.run(['reset', clone.id, '--json']);
    expect(r.code).toBe(0);
    const views = await notion.views.list({ database_id: tasksDb });
    expect(views.results.length).toBe(1);
    expect(any(await notion.views.retrieve({ view_id: views.results[0]!.id })).name).toBe('Default view');
    expect((await notion.fileUploads.list({})).results).toEqual([]);
    expect((await notion.customEmojis.list({} as never)).results).toEqual([]);
  }, 60_000);
});
