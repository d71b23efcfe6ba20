import { Client, collectPaginatedAPI } from '@notionhq/client';
import { is, stepFailed, type Scenario } from '../../../src/verify/types.ts';

/**
 * Drives every implemented Notion operation through @notionhq/client on a fresh clone:
 * users, a page tree, a database with its data source (schema updates, query with
 * filters, sorts and paging), pages with typed properties, property items, blocks,
 * comments, search and page moves. Steps tolerate a missing value from an earlier failed step.
 */
const text = (content: string) => [{ type: 'text' as const, text: { content } }];

export const scenario: Scenario = async (ctx) => {
  const notion = new Client({ auth: ctx.clone.tokens.botToken, baseUrl: ctx.apiUrl, maxRetries: 0 } as never);
  const tag = `v${ctx.unique}`;
  const need = <T>(v: T | undefined, what: string): T => {
    if (v === undefined) throw stepFailed(`${what} missing (an earlier step failed)`);
    return v;
  };
  let root: string | undefined;
  let db: string | undefined;
  let ds: string | undefined;
  let task: string | undefined;
  let block: string | undefined;
  const plain = (rt: unknown) => ((rt ?? []) as Array<{ plain_text?: string }>).map((x) => x.plain_text ?? '').join('');
  const titleOf = (page: any) => plain(Object.values(page?.properties ?? {}).find((p: any) => p?.type === 'title') && (Object.values(page.properties).find((p: any) => p.type === 'title') as any).title);

  await ctx.step('users', async () => {
    const me = await notion.users.me({});
    await ctx.check('GET /v1/users/me', 'the token\'s bot', () => is(me.type === 'bot', `users.me is a ${me.type}`));
    const all = await collectPaginatedAPI(notion.users.list, { page_size: 1 });
    const full = await notion.users.list({ page_size: 100 });
    await ctx.check('GET /v1/users', 'page_size 1 walks every user once and ends; the bot is there', () => is(all.length === full.results.length && new Set(all.map((x) => x.id)).size === all.length && all.some((x) => x.id === me.id), `walked ${all.length} of ${full.results.length}`));
    const person = all.find((x) => x.type === 'person') ?? me;
    const one = await notion.users.retrieve({ user_id: person.id });
    await ctx.check('GET /v1/users/{user_id}', 'the user asked for', () => is(one.id === person.id && one.type === person.type && one.name === person.name, JSON.stringify(one).slice(0, 120)));
  });

  await ctx.step('pages under a page', async () => {
    // The clone's integration creates under an existing page; seed one through the admin surface.
    const seeded = await ctx.admin('seed', { records: { pages: [{ title: `Verify root ${tag}` }] } }, 'POST');
    if (seeded.status !== 200) throw stepFailed(`seed root page: ${seeded.status}`);
    const found = await notion.search({ query: `Verify root ${tag}`, filter: { property: 'object', value: 'page' } });
    root = need(found.results[0]?.id, 'root page');
    const child = await notion.pages.create({ parent: { page_id: root }, properties: { title: { title: text(`Child ${tag}`) } }, children: [{ paragraph: { rich_text: text('hello') } }] });
    await ctx.errorCase('POST /v1/pages', 'parent missing', { status: 400, code: 'validation_error' }, () => notion.pages.create({ properties: { title: { title: text('x') } } } as never));
    const got = (await notion.pages.retrieve({ page_id: child.id })) as any;
    await ctx.check(['POST /v1/pages', 'GET /v1/pages/{page_id}'], 'the page created is the page read, under its parent', () => is(titleOf(got) === `Child ${tag}` && got.parent?.page_id === root, JSON.stringify(got).slice(0, 160)));
    await notion.pages.update({ page_id: child.id, icon: { type: 'emoji', emoji: '📘' } });
    await ctx.check('PATCH /v1/pages/{page_id}', 'the icon reads back', async () => is(((await notion.pages.retrieve({ page_id: child.id })) as any).icon?.emoji === '📘', 'icon not set'));
    const other = await notion.pages.create({ parent: { page_id: root }, properties: { title: { title: text(`Other ${tag}`) } } });
    await notion.pages.move({ page_id: child.id, parent: { type: 'page_id', page_id: other.id } } as never);
    await ctx.check('POST /v1/pages/{page_id}/move', 'the page is under its new parent', async () => is(((await notion.pages.retrieve({ page_id: child.id })) as any).parent?.page_id === other.id, 'not moved'));
  });

  await ctx.step('databases and data sources', async () => {
    const d = await notion.databases.create({
      parent: { type: 'page_id', page_id: need(root, 'root page') },
      title: text(`Tasks ${tag}`),
      initial_data_source: {
        properties: {
          Name: { title: {} },
          Status: { status: {} },
          Priority: { select: { options: [{ name: 'High', color: 'red' }, { name: 'Low', color: 'gray' }] } },
          Estimate: { number: { format: 'number' } },
          Due: { date: {} },
          Done: { checkbox: {} },
        },
      },
    } as never);
    db = d.id;
    const got = (await notion.databases.retrieve({ database_id: d.id })) as any;
    await ctx.check(['POST /v1/databases', 'GET /v1/databases/{database_id}'], 'the database created is read, titled, with one data source', () => is(plain(got.title) === `Tasks ${tag}` && got.data_sources?.length === 1, JSON.stringify(got).slice(0, 160)));
    await notion.databases.update({ database_id: d.id, description: text(`verified ${tag}`) } as never);
    await ctx.check('PATCH /v1/databases/{database_id}', 'the description reads back', async () => is(plain(((await notion.databases.retrieve({ database_id: d.id })) as any).description) === `verified ${tag}`, 'not updated'));
    ds = need((d as { data_sources?: Array<{ id: string }> }).data_sources?.[0]?.id, 'data source');
    const src = (await notion.dataSources.retrieve({ data_source_id: ds })) as any;
    await notion.dataSources.update({ data_source_id: ds, properties: { Tags: { multi_select: { options: [{ name: 'api' }] } }, Owner: { people: {} } } } as never);
    const after = (await notion.dataSources.retrieve({ data_source_id: ds })) as any;
    await ctx.check('GET /v1/data_sources/{data_source_id}', 'the schema given at creation, each property typed', () => is(src.properties?.Priority?.type === 'select' && src.properties?.Estimate?.type === 'number' && src.properties?.Name?.type === 'title', JSON.stringify(Object.keys(src.properties ?? {}))));
    await ctx.check('PATCH /v1/data_sources/{data_source_id}', 'the added properties read back', () => is(after.properties?.Tags?.type === 'multi_select' && after.properties?.Owner?.type === 'people' && !!after.properties?.Priority, JSON.stringify(Object.keys(after.properties ?? {}))));
    const templates = (await notion.dataSources.listTemplates({ data_source_id: ds } as never)) as { templates?: unknown[] };
    await ctx.check('GET /v1/data_sources/{data_source_id}/templates', 'a new data source has no templates', () => is(Array.isArray(templates.templates) && templates.templates.length === 0, JSON.stringify(templates).slice(0, 120)));
    const extra = await notion.dataSources.create({ parent: { type: 'database_id', database_id: d.id }, title: text(`Second ${tag}`), properties: { Title: { title: {} } } } as never);
    const two = (await notion.databases.retrieve({ database_id: d.id })) as any;
    await ctx.check('POST /v1/data_sources', 'the database now has two data sources', async () => is(two.data_sources?.length === 2 && two.data_sources.some((x: any) => x.id === extra.id) && plain(((await notion.dataSources.retrieve({ data_source_id: extra.id })) as any).title) === `Second ${tag}`, JSON.stringify(two.data_sources)));
  });

  await ctx.step('data source rows and query', async () => {
    const source = need(ds, 'data source');
    for (let i = 0; i < 5; i++) {
      const p = await notion.pages.create({
        parent: { type: 'data_source_id', data_source_id: source },
        properties: { Name: { title: text(`Task ${i} ${tag}`) }, Priority: { select: { name: i % 2 ? 'High' : 'Low' } }, Estimate: { number: i }, Status: { status: { name: i > 2 ? 'Done' : 'Not started' } }, Due: { date: { start: `2026-0${i + 1}-15` } }, Done: { checkbox: i > 2 } },
      } as never);
      task ??= p.id;
    }
    const q = await notion.dataSources.query({ data_source_id: source, filter: { and: [{ property: 'Priority', select: { equals: 'High' } }, { property: 'Estimate', number: { greater_than: 0 } }] }, sorts: [{ property: 'Estimate', direction: 'descending' }] } as never);
    const est = (p: any) => p.properties?.Estimate?.number;
    await ctx.check('POST /v1/data_sources/{data_source_id}/query', 'High and Estimate > 0: tasks 3 and 1, sorted descending', () => is(q.results.map(est).join() === '3,1', `query found ${q.results.map(est)}`));
    const all = await collectPaginatedAPI(notion.dataSources.query, { data_source_id: source, page_size: 2 } as never);
    const asc = await notion.dataSources.query({ data_source_id: source, sorts: [{ property: 'Due', direction: 'ascending' }] } as never);
    await ctx.check('POST /v1/data_sources/{data_source_id}/query', 'page_size 2 walks all five once; a date sort orders them', () => is(all.length === 5 && new Set(all.map((x) => x.id)).size === 5 && asc.results.map(est).join() === '0,1,2,3,4', `paged ${all.length}, sorted ${asc.results.map(est)}`));
    await notion.pages.update({ page_id: need(task, 'task'), properties: { Estimate: { number: 8 } } } as never);
    await ctx.check('PATCH /v1/pages/{page_id}', 'the property update reads back and is queryable', async () => {
      const r = await notion.dataSources.query({ data_source_id: source, filter: { property: 'Estimate', number: { equals: 8 } } } as never);
      is(r.results.length === 1 && r.results[0]!.id === task, `found ${r.results.length}`);
    });
    const prop = (await notion.pages.properties.retrieve({ page_id: need(task, 'task'), property_id: 'title' })) as any;
    await ctx.check('GET /v1/pages/{page_id}/properties/{property_id}', 'the title property item', () => is(JSON.stringify(prop).includes(`Task 0 ${tag}`), JSON.stringify(prop).slice(0, 160)));
  });

  await ctx.step('views', async () => {
    const source = need(ds, 'data source');
    const database = need(db, 'database');
    const listed = await notion.views.list({ database_id: database });
    await ctx.check('GET /v1/views', 'a new database has its default view', () => is(listed.results.length === 1 && listed.results[0]!.object === 'view', JSON.stringify(listed.results)));
    await ctx.errorCase('GET /v1/views', 'neither database_id nor data_source_id', { status: 400, code: 'validation_error' }, () => notion.views.list({} as never));
    const v = (await notion.views.create({ data_source_id: source, database_id: database, name: `High ${tag}`, type: 'table', filter: { property: 'Priority', select: { equals: 'High' } }, sorts: [{ property: 'Estimate', direction: 'ascending' }] } as never)) as any;
    await ctx.errorCase('POST /v1/views', 'an unknown view type', { status: 400, code: 'validation_error' }, () => notion.views.create({ data_source_id: source, database_id: database, name: 'x', type: 'spreadsheet' } as never));
    const got = (await notion.views.retrieve({ view_id: v.id })) as any;
    await ctx.check(['POST /v1/views', 'GET /v1/views/{view_id}'], 'the view created is read back with its filter and sorts', () => is(got.name === `High ${tag}` && got.type === 'table' && got.data_source_id === source && got.filter?.select?.equals === 'High' && got.sorts?.[0]?.property === 'Estimate', JSON.stringify(got).slice(0, 200)));
    const both = await collectPaginatedAPI(notion.views.list, { data_source_id: source, page_size: 1 } as never);
    await ctx.check('GET /v1/views', 'page_size 1 walks both views of the data source', () => is(both.length === 2 && both.some((x) => x.id === v.id), `walked ${both.length}`));
    const q = (await notion.views.queries.create({ view_id: v.id, page_size: 1 } as never)) as any;
    await ctx.check('POST /v1/views/{view_id}/queries', "the view's filter and sort: two High tasks, the first page holds one", () => is(q.object === 'view_query' && q.total_count === 2 && q.results.length === 1 && q.has_more === true, JSON.stringify(q).slice(0, 200)));
    const rest = (await notion.views.queries.results({ view_id: v.id, query_id: q.id, start_cursor: q.next_cursor } as never)) as any;
    await ctx.check('GET /v1/views/{view_id}/queries/{query_id}', 'the next page holds the other High task, and the list ends', () => is(rest.results.length === 1 && rest.results[0].id !== q.results[0].id && rest.has_more === false, JSON.stringify(rest).slice(0, 200)));
    await notion.views.update({ view_id: v.id, name: `Low ${tag}`, filter: { property: 'Priority', select: { equals: 'Low' } } } as never);
    const low = (await notion.views.queries.create({ view_id: v.id } as never)) as any;
    await ctx.check('PATCH /v1/views/{view_id}', 'the new name and filter hold: three Low tasks', async () => is(((await notion.views.retrieve({ view_id: v.id })) as any).name === `Low ${tag}` && low.total_count === 3, `total ${low.total_count}`));
    await ctx.errorCase('PATCH /v1/views/{view_id}', 'a filter on a property the data source lacks', { status: 400, code: 'validation_error' }, () => notion.views.update({ view_id: v.id, filter: { property: 'Nope', select: { equals: 'x' } } } as never));
    const gone = (await notion.views.queries.delete({ view_id: v.id, query_id: low.id } as never)) as any;
    await ctx.check('DELETE /v1/views/{view_id}/queries/{query_id}', 'deleted; its results are gone (404), and deleting again still succeeds', async () => {
      is(gone.deleted === true, JSON.stringify(gone));
      const again = (await notion.views.queries.delete({ view_id: v.id, query_id: low.id } as never)) as any;
      is(again.deleted === true, 'a second delete failed');
    });
    await ctx.errorCase('GET /v1/views/{view_id}/queries/{query_id}', 'a deleted query', { status: 404, code: 'object_not_found' }, () => notion.views.queries.results({ view_id: v.id, query_id: low.id } as never));
    await notion.views.delete({ view_id: v.id } as never);
    await ctx.check('DELETE /v1/views/{view_id}', 'no longer listed', async () => is(!(await notion.views.list({ database_id: database })).results.some((x) => x.id === v.id), 'still listed'));
    await ctx.errorCase('DELETE /v1/views/{view_id}', 'a view already deleted', { status: 404, code: 'object_not_found' }, () => notion.views.delete({ view_id: v.id } as never));
  });

  await ctx.step('blocks', async () => {
    const page = need(task, 'task');
    const appended = await notion.blocks.children.append({ block_id: page, children: [{ heading_2: { rich_text: text('Plan') } }, { to_do: { rich_text: text('write tests'), checked: false } }, { code: { rich_text: text('bun test'), language: 'shell' } }] } as never);
    block = need(appended.results[0]?.id, 'block');
    await notion.blocks.children.append({ block_id: page, after: block, children: [{ paragraph: { rich_text: text('inserted') } }] } as never);
    const kinds = async () => (await collectPaginatedAPI(notion.blocks.children.list, { block_id: page })).map((b: any) => b.type);
    const order = await kinds();
    await ctx.check(['PATCH /v1/blocks/{block_id}/children', 'GET /v1/blocks/{block_id}/children'], 'appended in order; after: inserts right after that block', () => is(order.join() === 'heading_2,paragraph,to_do,code', order.join()));
    const one = (await notion.blocks.retrieve({ block_id: block })) as any;
    await ctx.check('GET /v1/blocks/{block_id}', 'the heading appended', () => is(one.type === 'heading_2' && plain(one.heading_2?.rich_text) === 'Plan', JSON.stringify(one).slice(0, 120)));
    await notion.blocks.update({ block_id: block, heading_2: { rich_text: text('Plan (updated)') } } as never);
    await ctx.check('PATCH /v1/blocks/{block_id}', 'the new text reads back', async () => is(plain(((await notion.blocks.retrieve({ block_id: block! })) as any).heading_2?.rich_text) === 'Plan (updated)', 'not updated'));
    const code = need(appended.results[2]?.id, 'code block');
    await notion.blocks.delete({ block_id: code });
    await ctx.check('DELETE /v1/blocks/{block_id}', 'gone from the children, read as archived', async () => is(!(await kinds()).includes('code') && ((await notion.blocks.retrieve({ block_id: code })) as any).in_trash === true, 'still listed'));
    const md = await notion.pages.retrieveMarkdown({ page_id: page } as never);
    await ctx.check('GET /v1/pages/{page_id}/markdown', 'the page as markdown, with the edited heading', () => is((md as { markdown: string }).markdown.includes('## Plan (updated)'), 'markdown lacks the heading'));
    await notion.pages.updateMarkdown({ page_id: page, type: 'insert_content', insert_content: { content: '- [ ] ship it' } } as never);
    await ctx.check('PATCH /v1/pages/{page_id}/markdown', 'the inserted content is in the page', async () => is(((await notion.pages.retrieveMarkdown({ page_id: page } as never)) as { markdown: string }).markdown.includes('ship it'), 'not inserted'));
  });

  await ctx.step('file uploads', async () => {
    const page = need(task, 'task');
    const up = (await notion.fileUploads.create({ filename: `notes-${tag}.txt`, content_type: 'text/plain' })) as any;
    await ctx.errorCase('POST /v1/file_uploads', 'multi_part without number_of_parts', { status: 400, code: 'validation_error' }, () => notion.fileUploads.create({ mode: 'multi_part', filename: 'big.bin' }));
    const sent = (await notion.fileUploads.send({ file_upload_id: up.id, file: { filename: `notes-${tag}.txt`, data: new Blob(['hello from verify'], { type: 'text/plain' }) } })) as any;
    await ctx.check(['POST /v1/file_uploads', 'POST /v1/file_uploads/{file_upload_id}/send'], 'pending when created, uploaded with its length once sent', () => is(up.status === 'pending' && sent.status === 'uploaded' && sent.content_length === 17 && sent.filename === `notes-${tag}.txt`, JSON.stringify(sent).slice(0, 200)));
    await ctx.errorCase('POST /v1/file_uploads/{file_upload_id}/send', 'sending again to an uploaded file', { status: 400, code: 'validation_error' }, () => notion.fileUploads.send({ file_upload_id: up.id, file: { data: 'again' } }));
    const got = (await notion.fileUploads.retrieve({ file_upload_id: up.id })) as any;
    await ctx.check('GET /v1/file_uploads/{file_upload_id}', 'the upload as sent', () => is(got.status === 'uploaded' && got.content_type === 'text/plain', JSON.stringify(got).slice(0, 160)));
    const multi = (await notion.fileUploads.create({ mode: 'multi_part', filename: `part-${tag}.txt`, content_type: 'text/plain', number_of_parts: 1 })) as any;
    await ctx.errorCase('POST /v1/file_uploads/{file_upload_id}/complete', 'completing before every part is sent', { status: 400, code: 'validation_error' }, () => notion.fileUploads.complete({ file_upload_id: multi.id }));
    await notion.fileUploads.send({ file_upload_id: multi.id, part_number: '1', file: { data: 'one part' } });
    const done = (await notion.fileUploads.complete({ file_upload_id: multi.id })) as any;
    await ctx.check('POST /v1/file_uploads/{file_upload_id}/complete', 'uploaded, every part counted', () => is(done.status === 'uploaded' && done.number_of_parts?.sent === 1 && done.content_length === 8, JSON.stringify(done).slice(0, 200)));
    const uploaded = await collectPaginatedAPI(notion.fileUploads.list, { status: 'uploaded', page_size: 1 } as never);
    await ctx.check('GET /v1/file_uploads', 'status uploaded, page_size 1: both uploads, newest first', () => is(uploaded.length === 2 && uploaded[0]!.id === multi.id && uploaded[1]!.id === up.id, uploaded.map((x) => x.id).join()));
    await ctx.errorCase('GET /v1/file_uploads', 'an unknown status', { status: 400, code: 'validation_error' }, () => notion.fileUploads.list({ status: 'done' } as never));
    const appended = await notion.blocks.children.append({ block_id: page, children: [{ file: { type: 'file_upload', file_upload: { id: up.id }, caption: text('notes') } }] } as never);
    const block = (await notion.blocks.retrieve({ block_id: need(appended.results[0]?.id, 'file block') })) as any;
    const body = block.file?.file?.url ? await (await fetch(block.file.file.url)).text() : '';
    await ctx.check('POST /v1/file_uploads/{file_upload_id}/send', 'the uploaded file, attached to a file block, serves its bytes', () => is(block.type === 'file' && block.file.type === 'file' && body === 'hello from verify', JSON.stringify(block).slice(0, 200)));
  });

  await ctx.step('meeting notes', async () => {
    const page = need(task, 'task');
    const audio = (await notion.fileUploads.create({ filename: `call-${tag}.wav`, content_type: 'audio/wav' })) as any;
    await notion.fileUploads.send({ file_upload_id: audio.id, file: { filename: `call-${tag}.wav`, data: new Blob(['RIFF-audio'], { type: 'audio/wav' }) } });
    const note = (await notion.blocks.meetingNotes.create({ title: `Sync ${tag}`, source: { type: 'file_upload', file_upload_id: audio.id }, parent: { type: 'page_id', page_id: page } })) as any;
    const read = (await notion.blocks.retrieve({ block_id: note.id })) as any;
    await ctx.check('POST /v1/blocks/meeting_notes', 'a meeting notes block in the page, its transcription under way', () =>
      is(read.type === 'meeting_notes' && read.parent?.page_id === page && read.meeting_notes.status === 'transcription_in_progress' && plain(read.meeting_notes.title) === `Sync ${tag}`, JSON.stringify(read).slice(0, 200)));
    const textUpload = (await notion.fileUploads.create({ filename: `memo-${tag}.txt`, content_type: 'text/plain' })) as any;
    await notion.fileUploads.send({ file_upload_id: textUpload.id, file: { filename: `memo-${tag}.txt`, data: new Blob(['memo'], { type: 'text/plain' }) } });
    await ctx.errorCase('POST /v1/blocks/meeting_notes', 'a text file, not audio or video', { status: 400, code: 'validation_error' }, () => notion.blocks.meetingNotes.create({ source: { type: 'file_upload', file_upload_id: textUpload.id }, parent: { type: 'page_id', page_id: page } }));
    const found = (await notion.blocks.meetingNotes.query({ filter: { operator: 'and', filters: [{ property: 'title', filter: { operator: 'string_contains', value: { type: 'exact', value: tag } } }] }, limit: 5 })) as any;
    await ctx.check('POST /v1/blocks/meeting_notes/query', 'the title filter finds that note only', () => is(found.results.length === 1 && found.results[0].id === note.id && found.has_more === false, JSON.stringify(found).slice(0, 200)));
    await ctx.errorCase('POST /v1/blocks/meeting_notes/query', 'limit over 50', { status: 400, code: 'validation_error' }, () => notion.blocks.meetingNotes.query({ limit: 51 }));
  });

  await ctx.step('custom emojis', async () => {
    for (const name of [`party_${tag}`, `ship_${tag}`]) {
      const r = await ctx.admin('notion/custom-emojis', { name, url: `https://emoji.asym.test/${name}.png` }, 'POST');
      if (r.status !== 200) throw stepFailed(`add custom emoji: ${r.status}`);
    }
    const all = await collectPaginatedAPI(notion.customEmojis.list, { page_size: 1 } as never);
    const one = await notion.customEmojis.list({ name: `ship_${tag}` } as never);
    await ctx.check('GET /v1/custom_emojis', 'page_size 1 walks both; name keeps the exact match', () => is(all.length === 2 && one.results.length === 1 && one.results[0]!.name === `ship_${tag}` && one.results[0]!.url.endsWith(`ship_${tag}.png`), JSON.stringify(one.results)));
    await ctx.errorCase('GET /v1/custom_emojis', 'page_size over 100', { status: 400, code: 'validation_error' }, () => notion.customEmojis.list({ page_size: 101 } as never));
  });

  await ctx.step('comments', async () => {
    const c = await notion.comments.create({ parent: { page_id: need(task, 'task') }, rich_text: text('Looks good') });
    const reply = await notion.comments.create({ discussion_id: (c as { discussion_id: string }).discussion_id, rich_text: text('Thanks') });
    const listed = await notion.comments.list({ block_id: need(task, 'task') });
    await ctx.check(['POST /v1/comments', 'GET /v1/comments'], 'both comments listed in order, in one discussion', () =>
      is(listed.results.map((x: any) => plain(x.rich_text)).join() === 'Looks good,Thanks' && (reply as any).discussion_id === (c as any).discussion_id, JSON.stringify(listed.results.map((x: any) => plain(x.rich_text)))));
    const one = (await notion.comments.retrieve({ comment_id: c.id } as never)) as any;
    await ctx.check('GET /v1/comments/{comment_id}', 'the comment asked for', () => is(one.id === c.id && plain(one.rich_text) === 'Looks good', JSON.stringify(one).slice(0, 120)));
    await notion.comments.update({ comment_id: c.id, rich_text: text('Looks great') } as never);
    await ctx.check('PATCH /v1/comments/{comment_id}', 'the new text reads back', async () => is(plain(((await notion.comments.retrieve({ comment_id: c.id } as never)) as any).rich_text) === 'Looks great', 'not updated'));
    await notion.comments.delete({ comment_id: c.id } as never);
    await ctx.check('DELETE /v1/comments/{comment_id}', 'no longer listed', async () => is(!(await notion.comments.list({ block_id: task! })).results.some((x) => x.id === c.id), 'still listed'));
  });

  await ctx.step('search', async () => {
    const r = await notion.search({ query: `Other ${tag}`, sort: { direction: 'descending', timestamp: 'last_edited_time' }, page_size: 3 });
    await ctx.check('POST /v1/search', 'the query finds the page by its title only', () => is(r.results.length === 1 && titleOf(r.results[0]) === `Other ${tag}`, `found ${r.results.length}`));
    const sources = await notion.search({ filter: { property: 'object', value: 'data_source' } });
    await ctx.check('POST /v1/search', 'the object filter keeps only data sources, ours among them', () => is(sources.results.length >= 2 && sources.results.every((x) => x.object === 'data_source') && sources.results.some((x) => x.id === ds), sources.results.map((x) => x.object).join()));
    const walked = await collectPaginatedAPI(notion.search, { query: tag, page_size: 2 });
    await ctx.check('POST /v1/search', 'page_size 2 walks every match once and ends', () => is(walked.length >= 8 && new Set(walked.map((x) => x.id)).size === walked.length, `walked ${walked.length}`));
    void db;
  });
};
