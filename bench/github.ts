/**
 * GitHub clone request benchmark: prints figures, asserts nothing.
 *   bun bench/github.ts [requests=2000] [concurrency=16]
 * Latency of issue create and list is measured sequentially (one request in flight)
 * through @octokit/rest and through plain fetch (to separate the SDK's own cost);
 * throughput with N in flight. One clone, spun in a temporary ASYM_HOME, destroyed at the end.
 */
import { Octokit } from '@octokit/rest';
import { latency, throughput, withBenchClone } from './support.ts';

const total = Number(process.argv[2] ?? 2000);
const concurrency = Number(process.argv[3] ?? 16);

await withBenchClone('github', async (clone) => {
  const api = clone.endpoints.api;
  const token = clone.tokens!.botToken;
  const quiet = { debug() {}, info() {}, warn() {}, error() {} };
  // 5000 requests an hour (GitHub's limit) is less than the benchmark sends: lift it.
  await fetch(`${api}/__asym/config`, { method: 'POST', headers: { 'x-asym-admin': clone.adminSecret!, 'content-type': 'application/json' }, body: JSON.stringify({ rate_limit: 1_000_000 }) });
  const gh = new Octokit({ auth: token, baseUrl: api, log: quiet });
  const repo = { owner: 'asym-bot', repo: 'bench' };
  await gh.rest.repos.createForAuthenticatedUser({ name: 'bench' });
  for (let i = 0; i < 200; i++) await gh.rest.issues.create({ ...repo, title: `warm ${i}`, labels: ['bug'] });

  const headers = { authorization: `token ${token}`, accept: 'application/vnd.github.v3+json', 'content-type': 'application/json' };
  const create = (i: number) => gh.rest.issues.create({ ...repo, title: `bench ${i}`, body: 'body', labels: ['bug'] });
  const list = () => gh.rest.issues.listForRepo({ ...repo, per_page: 30 });
  const rawCreate = (i: number) =>
    fetch(`${api}/repos/asym-bot/bench/issues`, { method: 'POST', headers, body: JSON.stringify({ title: `raw ${i}`, labels: ['bug'] }) }).then((r) => r.json());
  const rawList = () => fetch(`${api}/repos/asym-bot/bench/issues?per_page=30`, { headers }).then((r) => r.json());

  console.log(`asym github clone benchmark (${new Date().toISOString()}, one clone, loopback)`);
  await latency('issues.create (@octokit/rest)', total / 4, create);
  await latency('issues.create (fetch)', total / 4, rawCreate);
  await latency('issues.listForRepo per_page=30 (@octokit/rest)', total / 4, list);
  await latency('issues.listForRepo per_page=30 (fetch)', total / 4, rawList);
  await throughput('issues.create (fetch)', total, concurrency, rawCreate);
  await throughput('issues.listForRepo per_page=30 (fetch)', total, concurrency, rawList);
  const count = (await gh.rest.search.issuesAndPullRequests({ q: 'repo:asym-bot/bench' })).data.total_count;
  console.log(`issues in the benchmark repository at the end: ${count}`);
});
