/**
 * The sharing model through @notionhq/client: the integration (botToken) sees only what is
 * shared with it and what lies under that; an unseeded clone still gives it the provisioned
 * "Getting started" page to work in; the admin person (userToken) sees the whole workspace and
 * can make private workspace-level pages; the admin route shares and unshares.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { APIResponseError, Client, collectPaginatedAPI } from '@notionhq/client';
import { describeDocker } from '../support/docker.ts';
import { startTemplateOnHost, type HostClone } from '../support/template-host.ts';
import { notionShapeErrors } from '../../templates/notion/verify/shapes.ts';

type Tokens = { botToken: string; userToken: string; botUserId: string; adminUserId: string };
let clone: HostClone<Tokens>;
let bot: Client;
let person: Client;
const text = (content: string) => [{ type: 'text' as const, text: { content } }];
const any = (x: unknown) => x as any;
const GETTING_STARTED = '7c1f0000-0000-4000-8000-000000000100';

async function err(fn: () => Promise<unknown>): Promise<APIResponseError> {
  try {
    await fn();
  } catch (e) {
    if (e instanceof APIResponseError) return e;
    throw e;
  }
  throw new Error('expected a Notion API error');
}
/** Notion's answer for an object that is not shared with the integration. */
async function hidden(fn: () => Promise<unknown>, kind: string, id: string): Promise<void> {
  const e = await err(fn);
  expect([e.status, e.code as string]).toEqual([404, 'object_not_found']);
  expect(e.message).toBe(`Could not find ${kind} with ID: ${id}. Make sure the relevant pages and databases are shared with your integration.`);
}
async function admin(path: string, body?: unknown, method = 'POST'): Promise<{ status: number; body: any }> {
  const res = await fetch(`${clone.endpoints.api}/__asym/${path}`, {
    method,
    headers: { 'x-asym-admin': clone.adminSecret, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}
const searchIds = async (c: Client, query?: string) => (await collectPaginatedAPI(c.search, { ...(query ? { query } : {}), page_size: 100 } as never)).map((r: any) => r.id);

describeDocker('notion sharing', () => {
  beforeAll(async () => {
    clone = await startTemplateOnHost<Tokens>('notion');
    const mk = (auth: string) => new Client({ auth, baseUrl: clone.endpoints.api, maxRetries: 0 } as never);
    bot = mk(clone.tokens.botToken);
    person = mk(clone.tokens.userToken);
  }, 180_000);
  afterAll(() => clone?.stop(), 60_000);

  test('an unseeded clone: the integration finds the provisioned Getting started page and works under it', async () => {
    const all = await bot.search({});
    expect(all.results.map((r) => r.id)).toEqual([GETTING_STARTED]);
    const page = any(all.results[0]);
    expect(page).toMatchObject({ object: 'page', parent: { type: 'workspace', workspace: true }, created_by: { id: clone.tokens.adminUserId }, in_trash: false });
    expect(page.properties.title.title[0].plain_text).toBe('Getting started');
    expect(notionShapeErrors('POST /v1/search', all)).toEqual([]);
    const intro = await bot.blocks.children.list({ block_id: GETTING_STARTED });
    expect(any(intro.results[0]).paragraph.rich_text[0].plain_text).toMatch(/shared with Asym Integration/);

    const child: any = await bot.pages.create({ parent: { page_id: GETTING_STARTED }, properties: { title: { title: text('Agent notes') } }, children: [{ paragraph: { rich_text: text('first') } }] } as never);
    expect(child.parent).toEqual({ type: 'page_id', page_id: GETTING_STARTED });
    expect(child.created_by.id).toBe(clone.tokens.botUserId);
    const db: any = await bot.databases.create({ parent: { type: 'page_id', page_id: child.id }, title: text('Agent tasks'), initial_data_source: { properties: { Name: { title: {} } } } } as never);
    const row: any = await bot.pages.create({ parent: { data_source_id: db.data_sources[0].id }, properties: { Name: { title: text('row one') } } } as never);
    expect((await bot.dataSources.query({ data_source_id: db.data_sources[0].id })).results.map((r) => r.id)).toEqual([row.id]);
    await bot.comments.create({ parent: { page_id: child.id }, rich_text: text('noted') });
    expect((await searchIds(bot, 'agent')).sort()).toEqual([child.id, db.data_sources[0].id].sort());
    // Still nowhere to create at the workspace level: the integration is not a person.
    const top = await err(() => bot.pages.create({ parent: { type: 'workspace', workspace: true }, properties: { title: { title: text('x') } } } as never));
    expect([top.status, top.code as string]).toEqual([400, 'validation_error']);
  });

  test('a private page of the admin is 404 to the integration and absent from search; sharing it shows it with its subtree; unsharing hides it again', async () => {
    // The person token creates at the workspace level (no parent), as a personal access token can.
    const priv: any = await person.pages.create({ properties: { title: { title: text('Salary review') } }, children: [{ paragraph: { rich_text: text('confidential') } }] } as never);
    expect(priv.parent).toEqual({ type: 'workspace', workspace: true });
    expect(priv.created_by.id).toBe(clone.tokens.adminUserId);
    const sub: any = await person.pages.create({ parent: { page_id: priv.id }, properties: { title: { title: text('Salary bands') } } } as never);
    const db: any = await person.databases.create({ parent: { type: 'page_id', page_id: priv.id }, title: text('Salaries'), initial_data_source: { properties: { Name: { title: {} } } } } as never);
    const ds = db.data_sources[0].id;
    const row: any = await person.pages.create({ parent: { data_source_id: ds }, properties: { Name: { title: text('Ada') } } } as never);
    const para = (await person.blocks.children.list({ block_id: priv.id })).results[0]!.id;
    const comment: any = await person.comments.create({ parent: { page_id: priv.id }, rich_text: text('for HR only') });
    // The admin sees the whole workspace.
    expect(await searchIds(person, 'salar')).toEqual(expect.arrayContaining([priv.id, sub.id, ds]));

    const before = await searchIds(bot);
    for (const id of [priv.id, sub.id, ds, row.id]) expect(before).not.toContain(id);
    expect(await searchIds(bot, 'salary')).toEqual([]);
    await hidden(() => bot.pages.retrieve({ page_id: priv.id }), 'page', priv.id);
    await hidden(() => bot.pages.retrieve({ page_id: sub.id }), 'page', sub.id);
    await hidden(() => bot.pages.retrieve({ page_id: row.id }), 'page', row.id);
    await hidden(() => bot.pages.update({ page_id: priv.id, icon: { type: 'emoji', emoji: '🔓' } } as never), 'page', priv.id);
    await hidden(() => bot.pages.retrieveMarkdown({ page_id: priv.id } as never), 'page', priv.id);
    await hidden(() => bot.pages.properties.retrieve({ page_id: priv.id, property_id: 'title' }), 'page', priv.id);
    await hidden(() => bot.pages.create({ parent: { page_id: priv.id }, properties: { title: { title: text('sneak') } } } as never), 'page', priv.id);
    await hidden(() => bot.pages.move({ page_id: sub.id, parent: { type: 'page_id', page_id: GETTING_STARTED } } as never), 'page', sub.id);
    await hidden(() => bot.blocks.retrieve({ block_id: para }), 'block', para);
    await hidden(() => bot.blocks.update({ block_id: para, paragraph: { rich_text: text('leaked') } } as never), 'block', para);
    await hidden(() => bot.blocks.delete({ block_id: para }), 'block', para);
    await hidden(() => bot.blocks.children.list({ block_id: priv.id }), 'block', priv.id);
    await hidden(() => bot.blocks.children.append({ block_id: priv.id, children: [{ paragraph: { rich_text: text('x') } }] } as never), 'block', priv.id);
    await hidden(() => bot.databases.retrieve({ database_id: db.id }), 'database', db.id);
    await hidden(() => bot.dataSources.retrieve({ data_source_id: ds }), 'data source', ds);
    await hidden(() => bot.dataSources.query({ data_source_id: ds }), 'data source', ds);
    await hidden(() => bot.pages.create({ parent: { data_source_id: ds }, properties: { Name: { title: text('x') } } } as never), 'data source', ds);
    await hidden(() => bot.comments.list({ block_id: priv.id }), 'block', priv.id);
    await hidden(() => bot.comments.create({ parent: { page_id: priv.id }, rich_text: text('x') }), 'page', priv.id);
    await hidden(() => bot.comments.create({ discussion_id: comment.discussion_id, rich_text: text('x') } as never), 'discussion', comment.discussion_id);
    await hidden(() => bot.comments.retrieve({ comment_id: comment.id } as never), 'comment', comment.id);
    // Nothing was written by the refused calls.
    expect(any(await person.blocks.retrieve({ block_id: para })).paragraph.rich_text[0].plain_text).toBe('confidential');

    const shared = await admin('notion/share', { id: priv.id.replace(/-/g, '') });
    expect(shared).toEqual({ status: 200, body: { ok: true, shared: true, id: priv.id, object: 'page' } });
    expect(any(await bot.pages.retrieve({ page_id: priv.id })).properties.title.title[0].plain_text).toBe('Salary review');
    expect(any(await bot.pages.retrieve({ page_id: sub.id })).parent.page_id).toBe(priv.id);
    expect((await bot.dataSources.query({ data_source_id: ds })).results.map((r) => r.id)).toEqual([row.id]);
    expect(((await bot.comments.list({ block_id: priv.id })).results as any[]).map((c) => c.id)).toEqual([comment.id]);
    expect((await searchIds(bot, 'salar')).sort()).toEqual([priv.id, sub.id, ds].sort());
    expect((await searchIds(bot)).length).toBe(before.length + 4); // the page, its subpage, the row and the data source
    const added: any = await bot.pages.create({ parent: { page_id: sub.id }, properties: { title: { title: text('Bot summary') } } } as never);
    const list = await admin('notion/shares', undefined, 'GET');
    expect(list.body.shares.map((s: any) => s.id)).toEqual([GETTING_STARTED, priv.id]);

    const unshared = await admin('notion/unshare', { id: priv.id });
    expect(unshared.body).toMatchObject({ ok: true, shared: false, was_shared: true });
    // Its whole subtree goes, what the integration made there too.
    await hidden(() => bot.pages.retrieve({ page_id: priv.id }), 'page', priv.id);
    await hidden(() => bot.pages.retrieve({ page_id: added.id }), 'page', added.id);
    await hidden(() => bot.dataSources.query({ data_source_id: ds }), 'data source', ds);
    expect(await searchIds(bot, 'salar')).toEqual([]);
    expect(await searchIds(bot, 'bot summary')).toEqual([]);
    // Sharing a page deep inside shows that subtree only.
    await admin('notion/share', { id: sub.id });
    expect((await searchIds(bot, 'salar')).sort()).toEqual([sub.id]);
    expect((await searchIds(bot, 'bot summary'))).toEqual([added.id]);
    await hidden(() => bot.pages.retrieve({ page_id: priv.id }), 'page', priv.id);
    // A database is shared on its own too.
    await admin('notion/share', { id: db.id });
    expect((await bot.dataSources.query({ data_source_id: ds })).results.map((r) => r.id)).toEqual([row.id]);
  });

  test('the admin route refuses what it cannot share', async () => {
    expect((await admin('notion/share', { id: 'nope' })).status).toBe(400);
    expect((await admin('notion/share', { id: '11111111-1111-4111-8111-111111111111' })).status).toBe(404);
    const ds = (await person.search({ filter: { property: 'object', value: 'data_source' } })).results[0]!.id;
    const r = await admin('notion/share', { id: ds });
    expect(r.status).toBe(400);
    expect(r.body.message).toMatch(/data source: share its database/);
    const res = await fetch(`${clone.endpoints.api}/__asym/notion/share`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: GETTING_STARTED }) });
    expect(res.status).toBe(401);
  });

  test('a fixture pack is shared as it was saved; a forced re-seed keeps the provisioned page and its share', async () => {
    expect((await admin('seed', { fixture: 'acme' })).status).toBe(200);
    const ids = await searchIds(bot);
    expect(ids).toContain(GETTING_STARTED);
    expect(ids).toContain('b1000000-0000-4000-8000-000000000001'); // Acme Home, shared in the pack
    expect(ids.length).toBeGreaterThan(50);
    expect((await admin('seed', { fixture: 'acme', force: true })).status).toBe(200);
    const again = await searchIds(bot);
    expect(again).toContain(GETTING_STARTED);
    expect(await searchIds(bot, 'agent notes')).toEqual([]); // the integration's page under it went with the seeded data
    expect((await admin('notion/shares', undefined, 'GET')).body.shares.map((s: any) => s.id)).toEqual(['b1000000-0000-4000-8000-000000000001', GETTING_STARTED]);
    expect(any(await bot.pages.retrieve({ page_id: GETTING_STARTED })).properties.title.title[0].plain_text).toBe('Getting started');
  });
});
