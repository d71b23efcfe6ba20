import { Client, collectPaginatedAPI } from '@notionhq/client';
import { stepFailed, type Scenario } from '../types.ts';

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

  await ctx.step('users', async () => {
    const me = await notion.users.me({});
    if (me.type !== 'bot') throw stepFailed(`users.me is a ${me.type}`);
    const all = await notion.users.list({ page_size: 1 });
    const person = all.results[0] ?? me;
    await notion.users.retrieve({ user_id: person.id });
  });

  await ctx.step('pages under a page', async () => {
    // The clone's integration creates under an existing page; seed one through the admin surface.
    const seeded = await ctx.admin('seed', { records: { pages: [{ title: `Verify root ${tag}` }] } }, 'POST');
    if (seeded.status !== 200) throw stepFailed(`seed root page: ${seeded.status}`);
    const found = await notion.search({ query: `Verify root ${tag}`, filter: { property: 'object', value: 'page' } });
    root = need(found.results[0]?.id, 'root page');
    const child = await notion.pages.create({ parent: { page_id: root }, properties: { title: { title: text(`Child ${tag}`) } }, children: [{ paragraph: { rich_text: text('hello') } }] });
    await notion.pages.retrieve({ page_id: child.id });
    await notion.pages.update({ page_id: child.id, icon: { type: 'emoji', emoji: '📘' } });
    const other = await notion.pages.create({ parent: { page_id: root }, properties: { title: { title: text(`Other ${tag}`) } } });
    await notion.pages.move({ page_id: child.id, parent: { type: 'page_id', page_id: other.id } } as never);
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
    await notion.databases.retrieve({ database_id: d.id });
    await notion.databases.update({ database_id: d.id, description: text('verified') } as never);
    ds = need((d as { data_sources?: Array<{ id: string }> }).data_sources?.[0]?.id, 'data source');
    await notion.dataSources.retrieve({ data_source_id: ds });
    await notion.dataSources.update({ data_source_id: ds, properties: { Tags: { multi_select: { options: [{ name: 'api' }] } }, Owner: { people: {} } } } as never);
    await notion.dataSources.listTemplates({ data_source_id: ds } as never);
    const extra = await notion.dataSources.create({ parent: { type: 'database_id', database_id: d.id }, title: text(`Second ${tag}`), properties: { Title: { title: {} } } } as never);
    await notion.dataSources.retrieve({ data_source_id: extra.id });
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
    if (q.results.length !== 2) throw stepFailed(`query found ${q.results.length}`);
    const all = await collectPaginatedAPI(notion.dataSources.query, { data_source_id: source, page_size: 2 } as never);
    if (all.length !== 5) throw stepFailed(`paged query found ${all.length}`);
    await notion.pages.update({ page_id: need(task, 'task'), properties: { Estimate: { number: 8 } } } as never);
    await notion.pages.properties.retrieve({ page_id: need(task, 'task'), property_id: 'title' });
  });

  await ctx.step('blocks', async () => {
    const page = need(task, 'task');
    const appended = await notion.blocks.children.append({ block_id: page, children: [{ heading_2: { rich_text: text('Plan') } }, { to_do: { rich_text: text('write tests'), checked: false } }, { code: { rich_text: text('bun test'), language: 'shell' } }] } as never);
    block = need(appended.results[0]?.id, 'block');
    await notion.blocks.children.append({ block_id: page, after: block, children: [{ paragraph: { rich_text: text('inserted') } }] } as never);
    await notion.blocks.retrieve({ block_id: block });
    await notion.blocks.update({ block_id: block, heading_2: { rich_text: text('Plan (updated)') } } as never);
    await notion.blocks.children.list({ block_id: page });
    await notion.blocks.delete({ block_id: need(appended.results[2]?.id, 'code block') });
    const md = await notion.pages.retrieveMarkdown({ page_id: page } as never);
    if (!(md as { markdown: string }).markdown.includes('## Plan (updated)')) throw stepFailed('markdown lacks the heading');
    await notion.pages.updateMarkdown({ page_id: page, type: 'insert_content', insert_content: { content: '- [ ] ship it' } } as never);
  });

  await ctx.step('comments', async () => {
    const c = await notion.comments.create({ parent: { page_id: need(task, 'task') }, rich_text: text('Looks good') });
    await notion.comments.create({ discussion_id: (c as { discussion_id: string }).discussion_id, rich_text: text('Thanks') });
    await notion.comments.list({ block_id: need(task, 'task') });
    await notion.comments.retrieve({ comment_id: c.id } as never);
    await notion.comments.update({ comment_id: c.id, rich_text: text('Looks great') } as never);
    await notion.comments.delete({ comment_id: c.id } as never);
  });

  await ctx.step('search', async () => {
    const r = await notion.search({ query: tag, sort: { direction: 'descending', timestamp: 'last_edited_time' }, page_size: 3 });
    if (!r.results.length) throw stepFailed('search found nothing');
    await notion.search({ filter: { property: 'object', value: 'data_source' } });
    void db;
  });
};
