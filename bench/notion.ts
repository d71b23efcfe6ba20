/**
 * Notion clone benchmark: prints figures, asserts nothing.
 *   bun bench/notion.ts [requests=400] [concurrency=16]
 * Spins one clone in a private ASYM_HOME, loads the acme fixture (Tasks: 40 rows), then
 * measures page create in the Tasks data source, data source queries and a page's children listing (latency p50/p99
 * one request at a time, throughput with concurrent requests) through @notionhq/client,
 * all on loopback. The clone is destroyed at the end.
 */
import { Client, collectPaginatedAPI } from '@notionhq/client';
import { latency, throughput, withBenchClone } from './support.ts';

const total = Number(process.argv[2] ?? 400);
const concurrency = Number(process.argv[3] ?? 16);

await withBenchClone('notion', async (clone) => {
  const api = clone.endpoints.api as string;
  const admin = await fetch(`${api}/__asym/seed`, { method: 'POST', headers: { 'x-asym-admin': clone.adminSecret ?? '', 'content-type': 'application/json' }, body: JSON.stringify({ fixture: 'acme' }) });
  if (admin.status !== 200) console.log(`fixture not loaded (${admin.status})`);
  const notion = new Client({ auth: clone.tokens?.botToken as string, baseUrl: api, maxRetries: 0 } as never);
  const sources = await notion.search({ filter: { property: 'object', value: 'data_source' } });
  const tasks = sources.results.find((s) => (s as { title?: Array<{ plain_text: string }> }).title?.[0]?.plain_text === 'Tasks')!.id;
  const create = (i: number) =>
    notion.pages.create({
      parent: { type: 'data_source_id', data_source_id: tasks },
      properties: { Name: { title: [{ text: { content: `Bench task ${i}` } }] }, Status: { status: { name: 'Not started' } }, Priority: { select: { name: 'Low' } }, Estimate: { number: i % 13 } },
    } as never);
  const queryFilter = () =>
    notion.dataSources.query({ data_source_id: tasks, filter: { and: [{ property: 'Status', status: { equals: 'Done' } }, { property: 'Priority', select: { equals: 'High' } }] }, sorts: [{ property: 'Due', direction: 'ascending' }], page_size: 25 } as never);
  const home = (await notion.search({ query: 'Acme Home', filter: { property: 'object', value: 'page' } })).results[0]!.id;
  const listChildren = () => notion.blocks.children.list({ block_id: home });
  const queryPage = () => notion.dataSources.query({ data_source_id: tasks, page_size: 100 });

  for (let i = 0; i < 20; i++) await queryFilter(); // warm-up: connections, caches, JIT
  console.log(`asym notion clone benchmark (${new Date().toISOString()}, one clone, loopback, ${total} requests per row)`);
  await latency('dataSources.query filter+sort, 40 rows (SDK)', total, queryFilter);
  await latency('pages.create in Tasks (SDK)', total, create);
  await latency(`dataSources.query page of 100 over ${40 + total} rows (SDK)`, total, queryPage);
  await throughput('pages.create in Tasks (SDK)', total, concurrency, (i) => create(total + i));
  await throughput('dataSources.query filter+sort (SDK)', total, concurrency, queryFilter);
  await latency('blocks.children.list of Acme Home, as the integration (SDK)', total, listChildren);
  await throughput('blocks.children.list of Acme Home, as the integration (SDK)', total, concurrency, listChildren);
  const rows = await collectPaginatedAPI(notion.dataSources.query, { data_source_id: tasks } as never);
  console.log(`rows in Tasks at the end: ${rows.length}`);
});
