/**
 * Slack clone request benchmark: prints figures, asserts nothing.
 *   bun bench/slack.ts [requests=2000] [concurrency=16]
 * Latency is measured sequentially (one request in flight) through the official SDK and
 * through plain fetch (to separate the SDK's own cost); throughput with N in flight.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebClient } from '@slack/web-api';
import { LocalDockerProvider } from '../src/docker/provider.ts';

const total = Number(process.argv[2] ?? 2000);
const concurrency = Number(process.argv[3] ?? 16);
const home = mkdtempSync(join(tmpdir(), 'asym-bench-slack-'));
process.env.ASYM_HOME = home;
const p = new LocalDockerProvider();
const clone = await p.create({ template: 'slack', name: `bench-slack-${process.pid}` });
try {
  const api = clone.endpoints.api;
  const token = clone.tokens!.botToken;
  const slack = new WebClient(token, { slackApiUrl: `${api}/api/`, retryConfig: { retries: 0 } });
  const channel = (await slack.conversations.create({ name: 'bench' })).channel!.id!;
  for (let i = 0; i < 200; i++) await slack.chat.postMessage({ channel, text: `warm ${i}` });

  const pct = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;
  async function latency(label: string, n: number, fn: (i: number) => Promise<unknown>) {
    const xs: number[] = [];
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      await fn(i);
      xs.push(performance.now() - t);
    }
    console.log(`${label.padEnd(44)} p50 ${pct(xs, 0.5).toFixed(2)} ms  p99 ${pct(xs, 0.99).toFixed(2)} ms  (n=${n}, sequential)`);
  }
  async function throughput(label: string, n: number, fn: (i: number) => Promise<unknown>) {
    let next = 0;
    const t = performance.now();
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (next < n) await fn(next++);
    }));
    const s = (performance.now() - t) / 1000;
    console.log(`${label.padEnd(44)} ${(n / s).toFixed(0)} req/s  (n=${n}, ${concurrency} in flight)`);
  }
  const form = (body: Record<string, string>) => ({
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(body).toString(),
  });
  const post = (i: number) => slack.chat.postMessage({ channel, text: `bench ${i}` });
  const history = () => slack.conversations.history({ channel, limit: 100 });
  const rawPost = (i: number) => fetch(`${api}/api/chat.postMessage`, form({ channel, text: `raw ${i}` })).then((r) => r.json());
  const rawHistory = () => fetch(`${api}/api/conversations.history`, form({ channel, limit: '100' })).then((r) => r.json());

  console.log(`asym slack clone benchmark (${new Date().toISOString()}, one clone, loopback)`);
  await latency('chat.postMessage (@slack/web-api)', total / 4, post);
  await latency('chat.postMessage (fetch)', total / 4, rawPost);
  await latency('conversations.history limit=100 (@slack/web-api)', total / 4, history);
  await latency('conversations.history limit=100 (fetch)', total / 4, rawHistory);
  await throughput('chat.postMessage (fetch)', total, rawPost);
  await throughput('conversations.history limit=100 (fetch)', total, rawHistory);
} finally {
  await p.destroy(clone.id);
  rmSync(home, { recursive: true, force: true });
}
