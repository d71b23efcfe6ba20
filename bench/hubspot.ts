/**
 * HubSpot clone benchmark: prints figures, asserts nothing.
 *   bun bench/hubspot.ts [requests=400] [concurrency=16]
 * Spins one clone in a private ASYM_HOME, loads the acme fixture (250 CRM objects), then
 * measures contact create and contact search (latency p50/p99 one request at a time,
 * throughput with concurrent requests) through @hubspot/api-client and through plain
 * fetch, all on loopback. The clone is destroyed at the end.
 */
import { Client } from '@hubspot/api-client';
import { latency, throughput, withBenchClone } from './support.ts';

const total = Number(process.argv[2] ?? 400);
const concurrency = Number(process.argv[3] ?? 16);

await withBenchClone('hubspot', async (clone) => {
  const api = clone.endpoints.api as string;
  const token = clone.tokens?.botToken as string;
  const admin = await fetch(`${api}/__asym/seed`, { method: 'POST', headers: { 'x-asym-admin': clone.adminSecret ?? '', 'content-type': 'application/json' }, body: JSON.stringify({ fixture: 'acme' }) });
  if (admin.status !== 200) console.log(`fixture not loaded (${admin.status}); measuring on an empty clone`);
  const hs = new Client({ accessToken: token, basePath: api, numberOfApiCallRetries: 0 });
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const sdkCreate = (i: number) => hs.crm.contacts.basicApi.create({ properties: { email: `bench-${i}@example.com`, firstname: 'Bench', lastname: String(i) }, associations: [] });
  const rawCreate = (i: number) =>
    fetch(`${api}/crm/v3/objects/contacts`, { method: 'POST', headers, body: JSON.stringify({ properties: { email: `raw-${i}@example.com`, firstname: 'Raw' } }) }).then((r) => r.json());
  const sdkSearchEq = (i: number) =>
    hs.crm.contacts.searchApi.doSearch({ filterGroups: [{ filters: [{ propertyName: 'email', operator: 'EQ' as never, value: `bench-${i % total}@example.com` }] }], limit: 10 });
  const sdkSearchQuery = () => hs.crm.contacts.searchApi.doSearch({ query: 'lovelace', sorts: ['-createdate'], limit: 20 });
  const rawSearch = () =>
    fetch(`${api}/crm/v3/objects/contacts/search`, { method: 'POST', headers, body: JSON.stringify({ filterGroups: [{ filters: [{ propertyName: 'lifecyclestage', operator: 'IN', values: ['customer', 'lead'] }] }], limit: 100 }) }).then((r) => r.json());

  for (let i = 0; i < 20; i++) await sdkSearchQuery(); // warm-up: connections, caches, JIT
  console.log(`asym hubspot clone benchmark (${new Date().toISOString()}, one clone, loopback, ${total} requests per row)`);
  await latency('contacts.basicApi.create (SDK)', total, sdkCreate);
  await latency('POST /crm/v3/objects/contacts (fetch)', total, rawCreate);
  await latency('contacts search email EQ (SDK)', total, sdkSearchEq);
  await latency('contacts search query + sort (SDK)', total, sdkSearchQuery);
  await latency('contacts search IN, limit 100 (fetch)', total, rawSearch);
  await throughput('contacts.basicApi.create (SDK)', total, concurrency, (i) => sdkCreate(total + i));
  await throughput('POST /crm/v3/objects/contacts (fetch)', total, concurrency, (i) => rawCreate(total + i));
  await throughput('contacts search email EQ (SDK)', total, concurrency, sdkSearchEq);
  const count = await hs.crm.contacts.searchApi.doSearch({ limit: 1 });
  console.log(`contacts in the clone at the end: ${count.total}`);
});
