/**
 * The same SDK calls against asym and, when given, a peer (another emulator of the same
 * services), interleaved in one run so both see the same machine load; prints p50 per call
 * side by side with the ratio asym/peer. Nothing of the peer lives in this repository: point
 * it at a running peer with one base URL (and token) per service:
 *   ASYM_PEER_SLACK_URL=http://127.0.0.1:4001/api/  ASYM_PEER_SLACK_TOKEN=xoxb-...
 *   ASYM_PEER_GITHUB_URL=http://127.0.0.1:4002      ASYM_PEER_GITHUB_TOKEN=ghp_...  ASYM_PEER_GITHUB_REPO=owner/name
 *   ASYM_PEER_STRIPE_URL=http://127.0.0.1:4003      ASYM_PEER_STRIPE_KEY=sk_test_...
 *   bun bench/compare.ts [rounds=200] [services=slack,github,stripe]
 * Without a peer it prints asym's figures alone.
 */
import { WebClient } from '@slack/web-api';
import { Octokit } from '@octokit/rest';
import Stripe from 'stripe';
import type { CloneInstance } from '../src/contract/clone.ts';
import { percentile, withBenchClone } from './support.ts';

const rounds = Number(process.argv[2] ?? 200);
const services = (process.argv[3] ?? 'slack,github,stripe').split(',');
const env = process.env;
const quiet = { debug() {}, info() {}, warn() {}, error() {} };

type Call = (i: number) => Promise<unknown>;
interface Side { calls: Record<string, Call> }

/** Alternate asym and peer call by call, so load drifts hit both alike. */
async function race(label: string, asym: Side, peer: Side | null): Promise<void> {
  for (const name of Object.keys(asym.calls)) {
    const a: number[] = [];
    const p: number[] = [];
    for (let i = 0; i < rounds; i++) {
      let t = performance.now();
      await asym.calls[name]!(i);
      a.push(performance.now() - t);
      if (peer?.calls[name]) {
        t = performance.now();
        await peer.calls[name]!(i);
        p.push(performance.now() - t);
      }
    }
    const pa = percentile(a, 0.5);
    const pp = p.length ? percentile(p, 0.5) : null;
    console.log(`${`${label} ${name}`.padEnd(40)} asym ${pa.toFixed(2).padStart(7)} ms${pp === null ? '' : `   peer ${pp.toFixed(2).padStart(7)} ms   ratio ${(pa / pp).toFixed(2)}x`}`);
  }
}

async function slackSide(url: string, token: string): Promise<Side> {
  const s = new WebClient(token, { slackApiUrl: url, retryConfig: { retries: 0 } });
  const channel = (await s.conversations.create({ name: `cmp-${Date.now().toString(36)}` })).channel!.id!;
  for (let i = 0; i < 50; i++) await s.chat.postMessage({ channel, text: `warm ${i}` });
  return {
    calls: {
      'chat.postMessage': (i) => s.chat.postMessage({ channel, text: `cmp ${i}` }),
      'conversations.history': () => s.conversations.history({ channel, limit: 100 }),
    },
  };
}

async function githubSide(url: string, token: string, repoFull?: string): Promise<Side> {
  const gh = new Octokit({ auth: token, baseUrl: url, log: quiet, request: { retries: 0 } });
  let owner: string;
  let repo: string;
  if (repoFull) [owner, repo] = repoFull.split('/') as [string, string];
  else {
    const made = (await gh.rest.repos.createForAuthenticatedUser({ name: `cmp-${Date.now().toString(36)}` })).data;
    [owner, repo] = [made.owner.login, made.name];
  }
  return {
    calls: {
      'issues.create': (i) => gh.rest.issues.create({ owner, repo, title: `cmp ${i}`, body: 'body' }),
      'issues.listForRepo': () => gh.rest.issues.listForRepo({ owner, repo, per_page: 30 }),
    },
  };
}

function stripeSide(url: string, key: string): Side {
  const u = new URL(url);
  const stripe = new Stripe(key, { host: u.hostname, port: Number(u.port), protocol: u.protocol === 'https:' ? 'https' : 'http', maxNetworkRetries: 0, telemetry: false });
  return {
    calls: {
      'customers.create': (i) => stripe.customers.create({ email: `cmp-${i}@example.com`, name: `Cmp ${i}` }),
      'customers.list': () => stripe.customers.list({ limit: 10 }),
    },
  };
}

console.log(`asym vs peer (${new Date().toISOString()}, ${navigator.hardwareConcurrency} cores, ${rounds} rounds per call, interleaved)`);
const bot = (c: CloneInstance) => c.tokens!.botToken;
if (services.includes('slack')) {
  await withBenchClone('slack', async (c) => {
    const peer = env.ASYM_PEER_SLACK_URL ? await slackSide(env.ASYM_PEER_SLACK_URL, env.ASYM_PEER_SLACK_TOKEN ?? '') : null;
    await race('slack', await slackSide(`${c.endpoints.api}/api/`, bot(c)), peer);
  });
}
if (services.includes('github')) {
  await withBenchClone('github', async (c) => {
    const peer = env.ASYM_PEER_GITHUB_URL ? await githubSide(env.ASYM_PEER_GITHUB_URL, env.ASYM_PEER_GITHUB_TOKEN ?? '', env.ASYM_PEER_GITHUB_REPO) : null;
    await race('github', await githubSide(c.endpoints.api, bot(c)), peer);
  });
}
if (services.includes('stripe')) {
  await withBenchClone('stripe', async (c) => {
    const peer = env.ASYM_PEER_STRIPE_URL ? stripeSide(env.ASYM_PEER_STRIPE_URL, env.ASYM_PEER_STRIPE_KEY ?? '') : null;
    await race('stripe', stripeSide(c.endpoints.api, bot(c)), peer);
  });
}
