/**
 * Stripe clone benchmark: prints figures, asserts nothing.
 *   bun bench/stripe.ts [requests=400] [concurrency=16]
 * Spins one clone in a private ASYM_HOME, then measures customer create and list (latency
 * p50/p99 one request at a time, throughput with concurrent requests) through the official
 * `stripe` SDK and through plain fetch, all on loopback. The clone is destroyed at the end.
 */
import Stripe from 'stripe';
import { latency, throughput, withBenchClone } from './support.ts';

const total = Number(process.argv[2] ?? 400);
const concurrency = Number(process.argv[3] ?? 16);

await withBenchClone('stripe', async (clone) => {
  const api = clone.endpoints.api as string;
  const key = clone.tokens?.botToken as string;
  const u = new URL(api);
  const stripe = new Stripe(key, { host: u.hostname, port: Number(u.port), protocol: 'http', maxNetworkRetries: 0, telemetry: false });
  const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/x-www-form-urlencoded' };
  const sdkCreate = (i: number) => stripe.customers.create({ email: `bench-${i}@example.com`, name: `Bench ${i}`, metadata: { i: String(i) } });
  const rawCreate = (i: number) => fetch(`${api}/v1/customers`, { method: 'POST', headers, body: `email=raw-${i}%40example.com&name=Raw+${i}&metadata[i]=${i}` }).then((r) => r.json());
  const sdkList = () => stripe.customers.list({ limit: 10 });
  const rawList100 = () => fetch(`${api}/v1/customers?limit=100`, { headers }).then((r) => r.json());
  const rawListEmail = (i: number) => fetch(`${api}/v1/customers?email=bench-${i % total}%40example.com`, { headers }).then((r) => r.json());

  for (let i = 0; i < 20; i++) await sdkList(); // warm-up: connections, caches, JIT
  console.log(`asym stripe clone benchmark (${new Date().toISOString()}, one clone, loopback, ${total} requests per row)`);
  await latency('customers.create (stripe SDK)', total, sdkCreate);
  await latency('POST /v1/customers (fetch)', total, rawCreate);
  await latency('customers.list limit=10 (stripe SDK)', total, sdkList);
  await latency('GET /v1/customers?limit=100 (fetch)', total, rawList100);
  await latency('GET /v1/customers?email=… (fetch)', total, rawListEmail);
  await throughput('POST /v1/customers (fetch)', total, concurrency, (i) => rawCreate(total + i));
  await throughput('customers.create (stripe SDK)', total, concurrency, (i) => sdkCreate(2 * total + i));
  await throughput('GET /v1/customers?limit=10 (stripe SDK)', total, concurrency, sdkList);
  await throughput('GET /v1/customers?limit=100 (fetch)', total, concurrency, rawList100);
  let count = 0;
  for await (const _ of stripe.customers.list({ limit: 100 })) count++;
  console.log(`customers in the clone at the end: ${count}`);
});
