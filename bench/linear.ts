/**
 * Linear clone benchmark: prints figures, asserts nothing.
 *   bun bench/linear.ts [requests=300] [concurrency=16]
 * Spins one clone in a private ASYM_HOME, loads the acme fixture (200 issues), then measures
 * issue create and a filtered, ordered issues list (latency p50/p99 one request at a time,
 * throughput with concurrent requests) through @linear/sdk, all on loopback. The clone is
 * destroyed at the end.
 */
import { LinearClient, LinearDocument } from '@linear/sdk';
import { latency, throughput, withBenchClone } from './support.ts';

const total = Number(process.argv[2] ?? 300);
const concurrency = Number(process.argv[3] ?? 16);

await withBenchClone('linear', async (clone) => {
  const api = clone.endpoints.api as string;
  const admin = await fetch(`${api}/__asym/seed`, { method: 'POST', headers: { 'x-asym-admin': clone.adminSecret ?? '', 'content-type': 'application/json' }, body: JSON.stringify({ fixture: 'acme' }) });
  if (admin.status !== 200) console.log(`fixture not loaded (${admin.status})`);
  const linear = new LinearClient({ apiKey: clone.tokens?.botToken as string, apiUrl: `${api}/graphql` });
  const eng = await linear.team('ENG');
  const create = (i: number) => linear.createIssue({ teamId: eng.id, title: `Bench issue ${i}`, priority: (i % 4) + 1 });
  const filtered = () =>
    linear.issues({ first: 50, orderBy: LinearDocument.PaginationOrderBy.UpdatedAt, filter: { team: { key: { eq: 'ENG' } }, priority: { lte: 2 }, state: { type: { nin: ['completed', 'canceled'] } } } });
  for (let i = 0; i < 20; i++) await filtered(); // warm-up: connections, caches, JIT
  console.log(`asym linear clone benchmark (${new Date().toISOString()}, one clone, loopback, ${total} requests per row)`);
  await latency('issues filter (team, priority, state type) + orderBy, first 50 (SDK)', total, filtered);
  await latency('createIssue (SDK)', total, create);
  await throughput('createIssue (SDK)', total, concurrency, (i) => create(total + i));
  await throughput('issues filter + orderBy (SDK)', total, concurrency, filtered);
});
