/**
 * Where one call's time goes, end to end, for the calls bench/compare.ts races: p50 through
 * the official SDK, through a plain fetch of the same request on the published port
 * (docker-proxy), through a plain fetch of the container's own address (no proxy), and the
 * handler time the clone's server logged for it (Bun.serve fetch in to response out), and the
 * CPU the clone's API container and the shared Postgres spent per request (cgroup v1
 * cpuacct; CPU time barely moves with the machine's load, latency does). With a peer given
 * (the same variables as compare.ts) its SDK and plain-fetch figures are interleaved, and
 * with ASYM_PEER_PID its process's CPU per request.
 *   bun bench/breakdown.ts [rounds=300] [services=slack,github,stripe]
 * Prints figures, asserts nothing.
 */
import { existsSync, readFileSync } from 'node:fs';
import { WebClient } from '@slack/web-api';
import { Octokit } from '@octokit/rest';
import Stripe from 'stripe';
import type { CloneInstance } from '../src/contract/clone.ts';
import { percentile, withBenchClone } from './support.ts';

const rounds = Number(process.argv[2] ?? 300);
const services = (process.argv[3] ?? 'slack,github,stripe').split(',');
const env = process.env;
const quiet = { debug() {}, info() {}, warn() {}, error() {} };

type Call = (i: number) => Promise<unknown>;
interface Probe { sdk: Call; raw: (base: string) => Call; path: string }
interface Side { base: string; probes: Record<string, Probe> }

async function sh(args: string[]): Promise<string> {
  const p = Bun.spawn(args, { stdout: 'pipe', stderr: 'pipe' });
  const [out, err] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
  return `${out}${err}`;
}

/** CPU nanoseconds a container has used (cgroup v1), or null where that file is not found. */
async function cpuOf(id: string): Promise<number | null> {
  const f = `/sys/fs/cgroup/cpuacct/docker/${id}/cpuacct.usage`;
  return existsSync(f) ? Number(readFileSync(f, 'utf8').trim()) : null;
}

/** CPU nanoseconds of a process (utime + stime), or null. */
async function cpuOfPid(pid: string | undefined): Promise<number | null> {
  if (!pid) return null;
  const f = `/proc/${pid}/stat`;
  if (!existsSync(f)) return null;
  const fields = readFileSync(f, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * (1e9 / 100);
}

async function infraPostgres(): Promise<string> {
  return (await sh(['docker', 'ps', '-q', '--no-trunc', '--filter', 'name=asym-infra-postgres'])).trim().split('\n')[0] ?? '';
}

/** The clone's API container, its address on the infra network and the port it listens on. */
async function container(c: CloneInstance): Promise<{ name: string; direct: string; id: string }> {
  const name = (await sh(['docker', 'ps', '-q', '--filter', `label=asym.clone=${c.id}`, '--filter', 'label=asym.service=api'])).trim().split('\n')[0]!;
  const info = JSON.parse(await sh(['docker', 'inspect', name]))[0];
  const ip = Object.values(info.NetworkSettings.Networks as Record<string, { IPAddress: string }>)[0]!.IPAddress;
  const port = Object.keys(info.Config.ExposedPorts ?? {})[0]?.split('/')[0] ?? new URL(c.endpoints.api).port;
  return { name, direct: `http://${ip}:${port}`, id: info.Id as string };
}

/** p50 of the handler times the server logged for `path` ("POST /api/x", from "POST /api/x 200 0.9ms"). */
async function served(name: string, path: string): Promise<number | null> {
  const xs = (await sh(['docker', 'logs', name])).split('\n').flatMap((l) => {
    const m = /^(\w+ \S+) \d+ ([\d.]+)ms/.exec(l);
    return m && m[1] === path ? [Number(m[2])] : [];
  });
  return xs.length ? percentile(xs, 0.5) : null;
}

async function time(fn: Call, i: number, into: number[]): Promise<void> {
  const t = performance.now();
  await fn(i);
  into.push(performance.now() - t);
}

const p50 = (xs: number[]) => (xs.length ? percentile(xs, 0.5).toFixed(2).padStart(6) : '     -');

async function run(label: string, asym: Side, peer: Side | null, box: { name: string; direct: string; id: string }): Promise<void> {
  const pg = await infraPostgres();
  for (const [name, probe] of Object.entries(asym.probes)) {
    const r = { sdk: [] as number[], raw: [] as number[], direct: [] as number[], psdk: [] as number[], praw: [] as number[] };
    const raw = probe.raw(asym.base);
    const direct = probe.raw(box.direct);
    const pp = peer?.probes[name];
    const praw = pp?.raw(peer!.base);
    let apiCpu = 0;
    let pgCpu = 0;
    let peerCpu = 0;
    for (let i = 0; i < rounds; i++) {
      // CPU counted around asym's requests only (and the peer's around its own), so neither is charged for the other.
      const [a0, g0] = await Promise.all([cpuOf(box.id), cpuOf(pg)]);
      await time(probe.sdk, i, r.sdk);
      const [a1, g1] = await Promise.all([cpuOf(box.id), cpuOf(pg)]);
      apiCpu += (a1 ?? 0) - (a0 ?? 0);
      pgCpu += (g1 ?? 0) - (g0 ?? 0);
      const q0 = await cpuOfPid(env.ASYM_PEER_PID);
      if (pp) await time(pp.sdk, i, r.psdk);
      peerCpu += ((await cpuOfPid(env.ASYM_PEER_PID)) ?? 0) - (q0 ?? 0);
      await time(raw, i, r.raw);
      if (praw) await time(praw, i, r.praw);
      await time(direct, i, r.direct);
    }
    await Bun.sleep(100); // the server writes its request lines after the response
    const handler = await served(box.name, probe.path);
    const us = (ns: number) => (ns / rounds / 1000).toFixed(0).padStart(4);
    console.log(`${`${label} ${name}`.padEnd(30)} asym sdk ${p50(r.sdk)}  fetch ${p50(r.raw)}  direct ${p50(r.direct)}  handler ${handler === null ? '     -' : handler.toFixed(2).padStart(6)}  cpu api ${us(apiCpu)} us pg ${us(pgCpu)} us   peer sdk ${p50(r.psdk)}  fetch ${p50(r.praw)}${env.ASYM_PEER_PID ? `  cpu ${us(peerCpu)} us` : ''}`);
  }
}

function form(token: string, body: Record<string, string>): RequestInit {
  return { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(body).toString() };
}

async function slackSide(url: string, token: string): Promise<Side> {
  const s = new WebClient(token, { slackApiUrl: url, retryConfig: { retries: 0 } });
  const channel = (await s.conversations.create({ name: `bd-${Date.now().toString(36)}` })).channel!.id!;
  for (let i = 0; i < 50; i++) await s.chat.postMessage({ channel, text: `warm ${i}` });
  const base = url.replace(/\/api\/?$/, '');
  return {
    base,
    probes: {
      'chat.postMessage': {
        path: 'POST /api/chat.postMessage',
        sdk: (i) => s.chat.postMessage({ channel, text: `bd ${i}` }),
        raw: (b) => (i) => fetch(`${b}/api/chat.postMessage`, form(token, { channel, text: `raw ${i}` })).then((r) => r.json()),
      },
      'conversations.history': {
        path: 'POST /api/conversations.history',
        sdk: () => s.conversations.history({ channel, limit: 100 }),
        raw: (b) => () => fetch(`${b}/api/conversations.history`, form(token, { channel, limit: '100' })).then((r) => r.json()),
      },
    },
  };
}

async function githubSide(url: string, token: string): Promise<Side> {
  const gh = new Octokit({ auth: token, baseUrl: url, log: quiet, request: { retries: 0 } });
  const made = (await gh.rest.repos.createForAuthenticatedUser({ name: `bd-${Date.now().toString(36)}` })).data;
  const [owner, repo] = [made.owner.login, made.name];
  const headers = { authorization: `token ${token}`, accept: 'application/vnd.github.v3+json', 'content-type': 'application/json; charset=utf-8' };
  return {
    base: url,
    probes: {
      'issues.create': {
        path: `POST /repos/${owner}/${repo}/issues`,
        sdk: (i) => gh.rest.issues.create({ owner, repo, title: `bd ${i}`, body: 'body' }),
        raw: (b) => (i) => fetch(`${b}/repos/${owner}/${repo}/issues`, { method: 'POST', headers, body: JSON.stringify({ title: `raw ${i}`, body: 'body' }) }).then((r) => r.json()),
      },
      'issues.listForRepo': {
        path: `GET /repos/${owner}/${repo}/issues`,
        sdk: () => gh.rest.issues.listForRepo({ owner, repo, per_page: 30 }),
        raw: (b) => () => fetch(`${b}/repos/${owner}/${repo}/issues?per_page=30`, { headers }).then((r) => r.json()),
      },
    },
  };
}

function stripeSide(url: string, key: string): Side {
  const u = new URL(url);
  const stripe = new Stripe(key, { host: u.hostname, port: Number(u.port), protocol: u.protocol === 'https:' ? 'https' : 'http', maxNetworkRetries: 0, telemetry: false });
  const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/x-www-form-urlencoded' };
  return {
    base: url.replace(/\/$/, ''),
    probes: {
      'customers.create': {
        path: 'POST /v1/customers',
        sdk: (i) => stripe.customers.create({ email: `bd-${i}@example.com`, name: `Bd ${i}` }),
        raw: (b) => (i) => fetch(`${b}/v1/customers`, { method: 'POST', headers, body: new URLSearchParams({ email: `raw-${i}@example.com`, name: `Raw ${i}` }).toString() }).then((r) => r.json()),
      },
      'customers.list': {
        path: 'GET /v1/customers',
        sdk: () => stripe.customers.list({ limit: 10 }),
        raw: (b) => () => fetch(`${b}/v1/customers?limit=10`, { headers }).then((r) => r.json()),
      },
    },
  };
}

console.log(`where the time goes, p50 ms (${new Date().toISOString()}, ${navigator.hardwareConcurrency} cores, ${rounds} rounds, interleaved)`);
const bot = (c: CloneInstance) => c.tokens!.botToken;
if (services.includes('slack')) {
  await withBenchClone('slack', async (c) => {
    const peer = env.ASYM_PEER_SLACK_URL ? await slackSide(env.ASYM_PEER_SLACK_URL, env.ASYM_PEER_SLACK_TOKEN ?? '') : null;
    await run('slack', await slackSide(`${c.endpoints.api}/api/`, bot(c)), peer, await container(c));
  });
}
if (services.includes('github')) {
  await withBenchClone('github', async (c) => {
    const peer = env.ASYM_PEER_GITHUB_URL ? await githubSide(env.ASYM_PEER_GITHUB_URL, env.ASYM_PEER_GITHUB_TOKEN ?? '') : null;
    await run('github', await githubSide(c.endpoints.api, bot(c)), peer, await container(c));
  });
}
if (services.includes('stripe')) {
  await withBenchClone('stripe', async (c) => {
    const peer = env.ASYM_PEER_STRIPE_URL ? stripeSide(env.ASYM_PEER_STRIPE_URL, env.ASYM_PEER_STRIPE_KEY ?? '') : null;
    await run('stripe', stripeSide(c.endpoints.api, bot(c)), peer, await container(c));
  });
}
