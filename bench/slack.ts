/**
 * Slack clone request benchmark: prints figures, asserts nothing.
 *   bun bench/slack.ts [requests=2000] [concurrency=16]
 * Latency is measured sequentially (one request in flight) through the official SDK and
 * through plain fetch (to separate the SDK's own cost); throughput with N in flight.
 */
import { WebClient } from '@slack/web-api';
import { latency, throughput, withBenchClone } from './support.ts';

const total = Number(process.argv[2] ?? 2000);
const concurrency = Number(process.argv[3] ?? 16);

await withBenchClone('slack', async (clone) => {
  const api = clone.endpoints.api;
  const token = clone.tokens!.botToken;
  const slack = new WebClient(token, { slackApiUrl: `${api}/api/`, retryConfig: { retries: 0 } });
  const channel = (await slack.conversations.create({ name: 'bench' })).channel!.id!;
  for (let i = 0; i < 200; i++) await slack.chat.postMessage({ channel, text: `warm ${i}` });

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
  await throughput('chat.postMessage (fetch)', total, concurrency, rawPost);
  await throughput('conversations.history limit=100 (fetch)', total, concurrency, rawHistory);
});
