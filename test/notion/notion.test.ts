/** The Notion clone through @notionhq/client: users, databases, data sources, query, pages, blocks, comments, search, errors, fixture, reset. */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { APIResponseError, Client, collectPaginatedAPI, iteratePaginatedAPI } from '@notionhq/client';
import { cloneHarness } from '../support/clones.ts';
import { describeDocker } from '../support/docker.ts';
import { notionShapeErrors } from '../../templates/notion/verify/shapes.ts';

const h = cloneHarness('notion');
let clone: any;
let notion: Client;
const text = (content: string) => [{ type: 'text' as const, text: { content } }];
const client = (auth: string) => new Client({ auth, baseUrl: clone.endpoints.api, maxRetries: 0 } as never);
async function err(fn: () => Promise<unknown>): Promise<APIResponseError> {
  try {
    await fn();
  } catch (e) {
    if (e instanceof APIResponseError) return e;
    throw e;
  }
  throw new Error('expected a Notion API error');
}
const any = (x: unknown) => x as any;
let tasksDs = '';
let projectsDs = '';
let home = '';

describeDocker('notion clone', () => {
  beforeAll(async () => {
    clone = await h.spin('notion', ['--fixture', 'acme']);
    notion = client(clone.tokens.botToken);
    const sources = await notion.search({ filter: { property: 'object', value: 'data_source' } });
    tasksDs = sources.results.find((s) => any(s).title[0].plain_text === 'Tasks')!.id;
    projectsDs = sources.results.find((s) => any(s).title[0].plain_text === 'Projects')!.id;
    home = (await notion.search({ query: 'Acme Home', filter: { property: 'object', value: 'page' } })).results[0]!.id;
  }, 240_000);
  afterAll(() => h.cleanup(), 60_000);

  test('tokens, users, me, 401 and unknown paths', async () => {
    expect(clone.tokens.botToken).toMatch(/^ntn_[0-9]{11}[A-Za-z0-9]{35}$/);
    const me = await notion.users.me({});
    expect(me).toMatchObject({ object: 'user', type: 'bot', name: 'Asym Integration' });
    const admin = await client(clone.tokens.userToken).users.me({});
    expect(admin).toMatchObject({ type: 'person', name: 'Avery Admin', person: { email: 'admin@asym.test' } });
    const users = await collectPaginatedAPI(notion.users.list, { page_size: 2 });
    expect(users.length).toBe(8);
    expect(users.map((u) => u.name)).toContain('Grace Hopper');
    expect((await notion.users.retrieve({ user_id: users[2]!.id })).id).toBe(users[2]!.id);
    const bad = await err(() => client('ntn_nope').users.me({}));
    expect(bad.status).toBe(401);
    expect(bad.code as string).toBe('unauthorized');
    expect(bad.message).toBe('API token is invalid.');
    const missing = await err(() => notion.users.retrieve({ user_id: '00000000-0000-4000-8000-000000000000' }));
    expect(missing.status).toBe(404);
    expect(missing.code as string).toBe('object_not_found');
    const res = await fetch(`${clone.endpoints.api}/v1/agents`, { headers: { authorization: `Bearer ${clone.tokens.botToken}`, 'notion-version': '2025-09-03' } });
    const body: any = await res.json();
    expect(body).toMatchObject({ object: 'error', code: 'invalid_request_url' });
    expect(body.message).toMatch(/not emulated/);
    expect(typeof body.request_id).toBe('string');
    expect(res.headers.get('x-request-id')).toBe(body.request_id);
    const noVersion = await fetch(`${clone.endpoints.api}/v1/users/me`, { headers: { authorization: `Bearer ${clone.tokens.botToken}` } });
    expect(noVersion.status).toBe(400);
    expect(((await noVersion.json()) as any).code).toBe('missing_version');
  });

  test('fixture: Tasks has 40 rows through iteratePaginatedAPI, relations are dual, blocks and comments', async () => {
    const rows: any[] = [];
    for await (const p of iteratePaginatedAPI(notion.dataSources.query, { data_source_id: tasksDs, page_size: 7 } as never)) rows.push(p);
    expect(rows.length).toBe(40);
    expect(new Set(rows.map((r) => r.id)).size).toBe(40);
    const t = rows.find((r) => r.properties.ID.unique_id.number === 1);
    expect(t.properties.ID.unique_id.prefix).toBe('TASK');
    expect(t.parent).toEqual({ type: 'data_source_id', data_source_id: tasksDs, database_id: t.parent.database_id });
    const projectId = t.properties.Project.relation[0].id;
    const project: any = await notion.pages.retrieve({ page_id: projectId });
    expect(project.properties.Tasks.relation.map((r: any) => r.id)).toContain(t.id);
    expect(notionShapeErrors('GET /v1/pages/{page_id}', project)).toEqual([]);
    const kids = await collectPaginatedAPI(notion.blocks.children.list, { block_id: home });
    expect(kids.map((b: any) => b.type)).toEqual(['child_database', 'child_database', 'child_page', 'child_page', 'child_page']);
    const handbook = kids[2]!.id;
    expect(any(kids[2]).child_page.title).toBe('Engineering handbook');
    const blocks = await collectPaginatedAPI(notion.blocks.children.list, { block_id: handbook });
    expect(blocks.map((b: any) => b.type)).toEqual(['heading_1', 'paragraph', 'heading_2', 'bulleted_list_item', 'bulleted_list_item', 'code', 'callout']);
    expect(any(blocks[5]).code.language).toBe('shell');
    const comments = await notion.comments.list({ block_id: handbook });
    expect(comments.results.length).toBe(2);
    expect(any(comments.results[0]).rich_text[0].plain_text).toMatch(/Thanks for writing/);
  });

  test('query: filters, compound filters, sorts, timestamps and paging', async () => {
    const q = (body: any) => collectPaginatedAPI(notion.dataSources.query, { data_source_id: tasksDs, page_size: 5, ...body } as never) as Promise<any[]>;
    const all = await q({});
    const high = await q({ filter: { property: 'Priority', select: { equals: 'High' } } });
    expect(high.length).toBe(all.filter((p) => p.properties.Priority.select?.name === 'High').length);
    expect(high.length).toBeGreaterThan(0);
    const done = await q({ filter: { property: 'Status', status: { equals: 'Done' } } });
    const notDone = await q({ filter: { property: 'Status', status: { does_not_equal: 'Done' } } });
    expect(done.length + notDone.length).toBe(40);
    const both = await q({ filter: { and: [{ property: 'Status', status: { equals: 'Done' } }, { property: 'Priority', select: { equals: 'High' } }] } });
    expect(both.every((p) => p.properties.Status.status.name === 'Done' && p.properties.Priority.select.name === 'High')).toBe(true);
    const either = await q({ filter: { or: [{ property: 'Tags', multi_select: { contains: 'Bug' } }, { property: 'Blocked', checkbox: { equals: true } }] } });
    expect(either.length).toBe(all.filter((p) => p.properties.Tags.multi_select.some((o: any) => o.name === 'Bug') || p.properties.Blocked.checkbox).length);
    const named = await q({ filter: { property: 'Name', title: { starts_with: 'design' } } });
    expect(named.length).toBe(all.filter((p) => p.properties.Name.title[0].plain_text.startsWith('Design')).length);
    const noDue = await q({ filter: { property: 'Due', date: { is_empty: true } } });
    expect(noDue.length).toBe(all.filter((p) => !p.properties.Due.date).length);
    const before = await q({ filter: { property: 'Due', date: { before: '2025-04-01' } } });
    expect(before.every((p) => p.properties.Due.date.start < '2025-04-01')).toBe(true);
    const est = await q({ filter: { property: 'Estimate', number: { greater_than_or_equal_to: 8 } }, sorts: [{ property: 'Estimate', direction: 'ascending' }] });
    const ests = est.map((p) => p.properties.Estimate.number);
    expect(ests).toEqual([...ests].sort((a, b) => a - b));
    expect(ests.every((n) => n >= 8)).toBe(true);
    const assignee = all.find((p) => p.properties.Assignee.people.length)!.properties.Assignee.people[0].id;
    const mine = await q({ filter: { property: 'Assignee', people: { contains: assignee } } });
    expect(mine.length).toBe(all.filter((p) => p.properties.Assignee.people.some((u: any) => u.id === assignee)).length);
    const created = await q({ sorts: [{ timestamp: 'created_time', direction: 'ascending' }] });
    expect(created[0].properties.ID.unique_id.number).toBe(1);
    const ts = await q({ filter: { timestamp: 'created_time', created_time: { on_or_after: '2025-02-06' } } });
    expect(ts.every((p) => p.created_time >= '2025-02-06')).toBe(true);
    const first = await notion.dataSources.query({ data_source_id: tasksDs, page_size: 15 });
    expect(first.has_more).toBe(true);
    expect(first.results.length).toBe(15);
    const second = await notion.dataSources.query({ data_source_id: tasksDs, page_size: 15, start_cursor: first.next_cursor! });
    expect(second.results[0]!.id).toBe(first.next_cursor!);
    const e1 = await err(() => notion.dataSources.query({ data_source_id: tasksDs, filter: { property: 'Nope', select: { equals: 'x' } } } as never));
    expect(e1.status).toBe(400);
    expect(e1.code).toBe('validation_error' as never);
    expect(e1.message).toBe('Could not find property with name or id: Nope');
    const e2 = await err(() => notion.dataSources.query({ data_source_id: tasksDs, page_size: 500 }));
    expect(e2.code).toBe('validation_error' as never);
  });

  test('databases and data sources: create, retrieve, update schema, templates', async () => {
    const db: any = await notion.databases.create({
      parent: { type: 'page_id', page_id: home },
      title: text('Bugs'),
      initial_data_source: { properties: { Name: { title: {} }, Severity: { select: { options: [{ name: 'S1', color: 'red' }] } }, Fixed: { checkbox: {} }, Project: { relation: { data_source_id: projectsDs, type: 'dual_property', dual_property: {} } } } },
    } as never);
    expect(db).toMatchObject({ object: 'database', in_trash: false, public_url: null, parent: { type: 'page_id', page_id: home } });
    expect(db.title[0].plain_text).toBe('Bugs');
    expect(db.url).toContain(clone.endpoints.api);
    expect(notionShapeErrors('POST /v1/databases', db)).toEqual([]);
    const dsId = db.data_sources[0].id;
    const ds: any = await notion.dataSources.retrieve({ data_source_id: dsId });
    expect(Object.keys(ds.properties).sort()).toEqual(['Fixed', 'Name', 'Project', 'Severity']);
    expect(ds.properties.Severity.select.options[0]).toMatchObject({ name: 'S1', color: 'red' });
    const projects: any = await notion.dataSources.retrieve({ data_source_id: projectsDs });
    expect(projects.properties['Related to Bugs (Project)'].relation.dual_property.synced_property_name).toBe('Project');
    const up: any = await notion.dataSources.update({ data_source_id: dsId, properties: { Fixed: null, Severity: { name: 'Sev' }, Points: { number: {} } } } as never);
    expect(Object.keys(up.properties).sort()).toEqual(['Name', 'Points', 'Project', 'Sev']);
    expect(up.properties.Sev.id).toBe(ds.properties.Severity.id);
    const upd: any = await notion.databases.update({ database_id: db.id, title: text('Bug tracker') } as never);
    expect(upd.title[0].plain_text).toBe('Bug tracker');
    expect((await notion.dataSources.listTemplates({ data_source_id: dsId } as never)) as any).toEqual({ templates: [], has_more: false, next_cursor: null });
    const second: any = await notion.dataSources.create({ parent: { type: 'database_id', database_id: db.id }, title: text('Archive'), properties: { Title: { title: {} } } } as never);
    expect(second.parent).toEqual({ type: 'database_id', database_id: db.id });
    expect(((await notion.databases.retrieve({ database_id: db.id })) as any).data_sources.length).toBe(2);
  });

  test('pages: create with every property type, validation errors, update, trash, property items, move', async () => {
    const users = await notion.users.list({});
    const person = users.results.find((u) => u.type === 'person')!.id;
    const project = (await notion.dataSources.query({ data_source_id: projectsDs, page_size: 1 })).results[0]!.id;
    const page: any = await notion.pages.create({
      parent: { type: 'data_source_id', data_source_id: tasksDs },
      icon: { type: 'emoji', emoji: '🧪' },
      properties: {
        Name: { title: text('Write the clone tests') },
        Status: { status: { name: 'In progress' } },
        Assignee: { people: [{ id: person }] },
        Due: { date: { start: '2026-01-15' } },
        Priority: { select: { name: 'Urgent' } },
        Tags: { multi_select: [{ name: 'Backend' }, { name: 'Testing' }] },
        Estimate: { number: 3 },
        Blocked: { checkbox: true },
        Notes: { rich_text: [{ type: 'text', text: { content: 'see ', link: null } }, { type: 'text', text: { content: 'docs', link: { url: 'https://developers.notion.com' } }, annotations: { bold: true } }] },
        Link: { url: 'https://example.test' },
        Project: { relation: [{ id: project }] },
      },
    } as never);
    expect(page.properties.Name.title[0].plain_text).toBe('Write the clone tests');
    expect(page.properties.Status.status.name).toBe('In progress');
    expect(page.properties.Priority.select).toMatchObject({ name: 'Urgent', color: 'default' });
    expect(page.properties.Tags.multi_select.map((o: any) => o.name)).toEqual(['Backend', 'Testing']);
    expect(page.properties.Notes.rich_text[1]).toMatchObject({ plain_text: 'docs', href: 'https://developers.notion.com', annotations: { bold: true, italic: false, color: 'default' } });
    expect(page.properties.ID.unique_id).toEqual({ prefix: 'TASK', number: 41 });
    expect(page.properties.Created.created_time).toBe(page.created_time);
    expect(page.created_by).toEqual({ object: 'user', id: clone.tokens.botUserId });
    expect(page.icon).toEqual({ type: 'emoji', emoji: '🧪' });
    expect(notionShapeErrors('POST /v1/pages', page)).toEqual([]);
    const proj: any = await notion.pages.retrieve({ page_id: project });
    expect(proj.properties.Tasks.relation.map((r: any) => r.id)).toContain(page.id);
    const ds: any = await notion.dataSources.retrieve({ data_source_id: tasksDs });
    expect(ds.properties.Priority.select.options.map((o: any) => o.name)).toContain('Urgent');

    const e1 = await err(() => notion.pages.create({ parent: { data_source_id: tasksDs }, properties: { Name: { title: text('x') }, Nope: { number: 1 } } } as never));
    expect([e1.status, e1.code as string, e1.message]).toEqual([400, 'validation_error', 'Nope is not a property that exists.']);
    const e2 = await err(() => notion.pages.create({ parent: { data_source_id: tasksDs }, properties: { Estimate: { number: 'three' } } } as never));
    expect(e2.message).toBe('Estimate is expected to be number.');
    const e3 = await err(() => notion.pages.create({ parent: { data_source_id: tasksDs }, properties: { Status: { status: { name: 'Blocked' } } } } as never));
    expect(e3.message).toMatch(/Status option "Blocked" does not exist/);
    const e4 = await err(() => notion.pages.retrieve({ page_id: 'not-a-uuid' }));
    expect(e4.code).toBe('validation_error' as never);
    const e5 = await err(() => notion.pages.retrieve({ page_id: '11111111-1111-4111-8111-111111111111' }));
    expect([e5.status, e5.code as string]).toEqual([404, 'object_not_found']);
    expect(e5.message).toMatch(/Could not find page with ID: 11111111-1111-4111-8111-111111111111/);

    const up: any = await notion.pages.update({ page_id: page.id, properties: { Estimate: { number: 5 }, Project: { relation: [] } }, cover: { type: 'external', external: { url: 'https://img.test/c.png' } } } as never);
    expect(up.properties.Estimate.number).toBe(5);
    expect(up.cover).toEqual({ type: 'external', external: { url: 'https://img.test/c.png' } });
    expect(((await notion.pages.retrieve({ page_id: project })) as any).properties.Tasks.relation.map((r: any) => r.id)).not.toContain(page.id);
    const title: any = await notion.pages.properties.retrieve({ page_id: page.id, property_id: 'title' });
    expect(title.object).toBe('list');
    expect(title.results[0]).toMatchObject({ object: 'property_item', type: 'title' });
    const notes = await collectPaginatedAPI(notion.pages.properties.retrieve as never, { page_id: page.id, property_id: ds.properties.Notes.id, page_size: 1 } as never);
    expect((notes as any[]).map((n) => n.rich_text.plain_text)).toEqual(['see ', 'docs']);
    const est: any = await notion.pages.properties.retrieve({ page_id: page.id, property_id: ds.properties.Estimate.id });
    expect(est).toEqual({ object: 'property_item', id: ds.properties.Estimate.id, type: 'number', number: 5 });

    const trashed: any = await notion.pages.update({ page_id: page.id, in_trash: true });
    expect([trashed.in_trash, trashed.archived]).toEqual([true, true]);
    const e6 = await err(() => notion.pages.update({ page_id: page.id, properties: { Estimate: { number: 1 } } } as never));
    expect(e6.message).toBe("Can't edit block that is archived. You must unarchive the block before editing.");
    const rows = await collectPaginatedAPI(notion.dataSources.query, { data_source_id: tasksDs });
    expect(rows.some((r) => r.id === page.id)).toBe(false);

    const a: any = await notion.pages.create({ parent: { page_id: home }, properties: { title: { title: text('Move me') } } });
    const b: any = await notion.pages.create({ parent: { page_id: home }, properties: { title: { title: text('New home') } } });
    const moved: any = await notion.pages.move({ page_id: a.id, parent: { type: 'page_id', page_id: b.id } } as never);
    expect(moved.parent).toEqual({ type: 'page_id', page_id: b.id });
    expect((await notion.blocks.children.list({ block_id: b.id })).results.map((x) => x.id)).toEqual([a.id]);
  });

  test('blocks: append with after, nested children, list, update, delete', async () => {
    const page: any = await notion.pages.create({ parent: { page_id: home }, properties: { title: { title: text('Block playground') } }, children: [{ paragraph: { rich_text: text('first') } }, { paragraph: { rich_text: text('last') } }] } as never);
    const start = await collectPaginatedAPI(notion.blocks.children.list, { block_id: page.id });
    const appended: any = await notion.blocks.children.append({
      block_id: page.id,
      after: start[0]!.id,
      children: [{ heading_2: { rich_text: text('Middle') } }, { toggle: { rich_text: text('More'), children: [{ to_do: { rich_text: text('nested'), checked: true } }] } }],
    } as never);
    expect(appended.results.map((b: any) => b.type)).toEqual(['heading_2', 'toggle']);
    expect(appended.results[1].has_children).toBe(true);
    expect(notionShapeErrors('PATCH /v1/blocks/{block_id}/children', appended)).toEqual([]);
    const all = await collectPaginatedAPI(notion.blocks.children.list, { block_id: page.id, page_size: 1 });
    expect(all.map((b: any) => b[b.type].rich_text[0].plain_text)).toEqual(['first', 'Middle', 'More', 'last']);
    const nested = await notion.blocks.children.list({ block_id: appended.results[1].id });
    expect(nested.results[0]).toMatchObject({ type: 'to_do', to_do: { checked: true }, parent: { type: 'block_id', block_id: appended.results[1].id } });
    const up: any = await notion.blocks.update({ block_id: appended.results[0].id, heading_2: { rich_text: text('Middle (edited)'), color: 'blue' } } as never);
    expect(up.heading_2).toMatchObject({ color: 'blue', is_toggleable: false });
    expect(up.heading_2.rich_text[0].plain_text).toBe('Middle (edited)');
    const del: any = await notion.blocks.delete({ block_id: start[1]!.id });
    expect([del.in_trash, del.archived]).toEqual([true, true]);
    expect((await collectPaginatedAPI(notion.blocks.children.list, { block_id: page.id })).length).toBe(3);
    const asBlock: any = await notion.blocks.retrieve({ block_id: page.id });
    expect(asBlock).toMatchObject({ type: 'child_page', child_page: { title: 'Block playground' }, has_children: true });
    const bad = await err(() => notion.blocks.children.append({ block_id: page.id, children: [{ embed: { url: 'https://x.test' } }] } as never));
    expect(bad.code).toBe('validation_error' as never);
    expect(bad.message).toMatch(/not emulated/);
    const badAfter = await err(() => notion.blocks.children.append({ block_id: page.id, after: home, children: [{ divider: {} }] } as never));
    expect(badAfter.code).toBe('validation_error' as never);
  });

  test('comments and search', async () => {
    const page: any = await notion.pages.create({ parent: { page_id: home }, properties: { title: { title: text('Searchable zebra page') } } });
    const c: any = await notion.comments.create({ parent: { page_id: page.id }, rich_text: text('First!') });
    expect(c).toMatchObject({ object: 'comment', parent: { type: 'page_id', page_id: page.id }, created_by: { object: 'user', id: clone.tokens.botUserId } });
    const reply: any = await notion.comments.create({ discussion_id: c.discussion_id, rich_text: text('Reply') });
    expect(reply.discussion_id).toBe(c.discussion_id);
    expect((await notion.comments.list({ block_id: page.id })).results.map((x: any) => x.rich_text[0].plain_text)).toEqual(['First!', 'Reply']);
    expect(((await notion.comments.retrieve({ comment_id: c.id } as never)) as any).id).toBe(c.id);

    const hit = await notion.search({ query: 'ZEBRA' });
    expect(hit.results.map((r) => r.id)).toEqual([page.id]);
    const ds = await notion.search({ query: 'task', filter: { property: 'object', value: 'data_source' } });
    expect(ds.results.map((r) => r.object)).toEqual(['data_source']);
    const pagesAsc = await collectPaginatedAPI(notion.search, { filter: { property: 'object', value: 'page' }, sort: { direction: 'ascending', timestamp: 'last_edited_time' }, page_size: 20 } as never);
    const times = (pagesAsc as any[]).map((p) => p.last_edited_time);
    expect(times).toEqual([...times].sort());
    expect(pagesAsc.length).toBeGreaterThan(50);
    const bad = await err(() => notion.search({ filter: { property: 'object', value: 'database' as never } }));
    expect(bad.code).toBe('validation_error' as never);
  });

  test('page markdown: get, insert at start and end, update_content, replace_content', async () => {
    const kids = await collectPaginatedAPI(notion.blocks.children.list, { block_id: home });
    const onboarding = kids.find((b: any) => b.child_page?.title === 'Onboarding checklist')!.id;
    const md: any = await notion.pages.retrieveMarkdown({ page_id: onboarding } as never);
    expect(md).toMatchObject({ object: 'page_markdown', id: onboarding, truncated: false, unknown_block_ids: [] });
    expect(md.markdown).toBe(
      ['## First week', '- [x] Get laptop and accounts', '- [ ] Meet your onboarding buddy', '- [ ] Ship a first small change', '---', '<details>', '<summary>Who to ask</summary>', '\tYour manager, then #help-engineering.', '</details>'].join('\n'),
    );
    expect(notionShapeErrors('GET /v1/pages/{page_id}/markdown', md)).toEqual([]);
    const home2: any = await notion.pages.retrieveMarkdown({ page_id: home } as never);
    expect(home2.markdown).toContain('<database url=');
    expect(home2.markdown).toContain('>Engineering handbook</page>');

    const page: any = await notion.pages.create({ parent: { page_id: home }, properties: { title: { title: text('Markdown page') } }, children: [{ paragraph: { rich_text: text('middle') } }] } as never);
    await notion.pages.updateMarkdown({ page_id: page.id, type: 'insert_content', insert_content: { content: '# Title\n\nSome **bold** and [a link](https://x.test)', position: { type: 'start' } } } as never);
    const after: any = await notion.pages.updateMarkdown({ page_id: page.id, type: 'insert_content', insert_content: { content: '1. one\n2. two\n```ts\nconst x = 1;\n```' } } as never);
    expect(after.markdown).toBe('# Title\nSome **bold** and [a link](https://x.test)\nmiddle\n1. one\n2. two\n```ts\nconst x = 1;\n```');
    const blocks = await collectPaginatedAPI(notion.blocks.children.list, { block_id: page.id });
    expect(blocks.map((b: any) => b.type)).toEqual(['heading_1', 'paragraph', 'paragraph', 'numbered_list_item', 'numbered_list_item', 'code']);
    expect((blocks[1] as any).paragraph.rich_text[1]).toMatchObject({ plain_text: 'bold', annotations: { bold: true } });
    expect((blocks[5] as any).code.language).toBe('ts');
    const upd: any = await notion.pages.updateMarkdown({ page_id: page.id, type: 'update_content', update_content: { content_updates: [{ old_str: 'middle', new_str: 'centre' }] } } as never);
    expect(upd.markdown).toContain('\ncentre\n');
    const miss = await err(() => notion.pages.updateMarkdown({ page_id: page.id, type: 'update_content', update_content: { content_updates: [{ old_str: 'nowhere', new_str: 'x' }] } } as never));
    expect(miss.code as string).toBe('validation_error');
    const rep: any = await notion.pages.updateMarkdown({ page_id: page.id, type: 'replace_content', replace_content: { new_str: '- a\n\t- b' } } as never);
    expect(rep.markdown).toBe('- a\n\t- b');
    const top = await notion.blocks.children.list({ block_id: page.id });
    expect(top.results.length).toBe(1);
    expect((top.results[0] as any).has_children).toBe(true);
  });

  test('comments: update and delete by the author only (403 restricted_resource otherwise)', async () => {
    const kids = await collectPaginatedAPI(notion.blocks.children.list, { block_id: home });
    const handbook = kids.find((b: any) => b.child_page?.title === 'Engineering handbook')!.id;
    const existing: any[] = (await notion.comments.list({ block_id: handbook })).results;
    const byBot = existing.find((x) => x.created_by.id === clone.tokens.botUserId);
    const byOther = existing.find((x) => x.created_by.id !== clone.tokens.botUserId);
    const up: any = await notion.comments.update({ comment_id: byBot.id, rich_text: text('Edited') } as never);
    expect(up.rich_text[0].plain_text).toBe('Edited');
    expect(notionShapeErrors('PATCH /v1/comments/{comment_id}', up)).toEqual([]);
    const md: any = await notion.comments.update({ comment_id: byBot.id, markdown: 'Now **bold**' } as never);
    expect(md.rich_text.map((r: any) => [r.plain_text, r.annotations.bold])).toEqual([['Now ', false], ['bold', true]]);
    const denied = await err(() => notion.comments.update({ comment_id: byOther.id, rich_text: text('hijack') } as never));
    expect([denied.status, denied.code as string]).toEqual([403, 'restricted_resource']);
    const del: any = await notion.comments.delete({ comment_id: byBot.id } as never);
    expect(del.id).toBe(byBot.id);
    expect((await notion.comments.list({ block_id: handbook })).results.length).toBe(1);
    const gone = await err(() => notion.comments.retrieve({ comment_id: byBot.id } as never));
    expect(gone.status).toBe(404);
  });

  test('concurrent creates: distinct unique ids, one new select option; database_id parents; trashed databases leave search', async () => {
    const made: any[] = await Promise.all(
      Array.from({ length: 12 }, (_, i) => notion.pages.create({ parent: { data_source_id: tasksDs }, properties: { Name: { title: text(`Parallel ${i}`) }, Priority: { select: { name: 'Parallel' } } } } as never)),
    );
    const numbers = made.map((p) => p.properties.ID.unique_id.number);
    expect(new Set(numbers).size).toBe(12);
    const ds: any = await notion.dataSources.retrieve({ data_source_id: tasksDs });
    expect(ds.properties.Priority.select.options.filter((o: any) => o.name === 'Parallel').length).toBe(1);
    expect(new Set(made.map((p) => p.properties.Priority.select.id)).size).toBe(1);

    const db: any = await notion.databases.create({ parent: { type: 'page_id', page_id: home }, title: text('Scratch pad'), initial_data_source: { properties: { Name: { title: {} } } } } as never);
    const row: any = await notion.pages.create({ parent: { database_id: db.id }, properties: { Name: { title: text('via database id') } } } as never);
    expect(row.parent).toEqual({ type: 'data_source_id', data_source_id: db.data_sources[0].id, database_id: db.id });
    expect((await notion.search({ query: 'Scratch pad', filter: { property: 'object', value: 'data_source' } })).results.length).toBe(1);
    const gone: any = await notion.databases.update({ database_id: db.id, in_trash: true } as never);
    expect(gone.in_trash).toBe(true);
    expect((await notion.search({ query: 'Scratch pad', filter: { property: 'object', value: 'data_source' } })).results.length).toBe(0);
    expect((await collectPaginatedAPI(notion.blocks.children.list, { block_id: home })).some((b) => b.id === db.id)).toBe(false);
  });

  test('reset puts the fixture back', async () => {
    const r = await h.run(['reset', clone.id, '--json']);
    expect(r.code).toBe(0);
    const rows = await collectPaginatedAPI(notion.dataSources.query, { data_source_id: tasksDs });
    expect(rows.length).toBe(40);
    expect((await notion.search({ query: 'zebra' })).results).toEqual([]);
    const sources = await notion.search({ filter: { property: 'object', value: 'data_source' } });
    expect(sources.results.length).toBe(2);
  }, 60_000);
});
