/**
 * Lifecycle benchmark: prints figures, asserts nothing.
 *   bun bench/lifecycle.ts [runs=5]
 * Measures spin with the shared infra already up (images present) and with it down (a
 * private infra project, so running clones are not disturbed), stop, start, destroy,
 * reset / snapshot / restore of a clone holding a few thousand rows with the first API
 * request after each (against the same request on a warm clone), and memory per clone.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diffClone } from '../src/docker/state-diff.ts';
import { getClone } from '../src/registry/registry.ts';
import { WebClient } from '@slack/web-api';
import { LocalDockerProvider } from '../src/docker/provider.ts';
import { composeDown } from '../src/docker/compose.ts';
import { forgetInfra } from '../src/docker/infra.ts';
import { docker } from '../src/docker/spawn.ts';

const runs = Number(process.argv[2] ?? 5);
const home = mkdtempSync(join(tmpdir(), 'asym-bench-'));
process.env.ASYM_HOME = home;
const p = new LocalDockerProvider();
const results: Record<string, number[]> = {};

async function time<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const t = performance.now();
  const r = await fn();
  (results[label] ??= []).push(performance.now() - t);
  return r;
}

function stats(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  const q = (f: number) => s[Math.min(s.length - 1, Math.floor(f * s.length))]!;
  return { n: s.length, median: q(0.5), min: s[0]!, max: s[s.length - 1]! };
}

const name = (i: number | string) => `bench-${process.pid}-${i}`;
try {
  // Warm-up: builds the image and starts the infra if needed (not counted).
  await p.create({ template: 'slack', name: name('warm') });
  await p.destroy(name('warm'));

  for (let i = 0; i < runs; i++) {
    await time('spin (infra up, image present)', () => p.create({ template: 'slack', name: name(i) }));
    await time('stop', () => p.stop(name(i)));
    await time('start', () => p.start(name(i)));
    await time('destroy', () => p.destroy(name(i)));
  }

  // The same through the CLI, as a harness runs it (adds process start and imports).
  const cli = join(import.meta.dir, '../src/cli/main.ts');
  for (let i = 0; i < runs; i++) {
    await time('asym spin slack --json (CLI, warm)', async () => {
      const proc = Bun.spawn(['bun', cli, 'spin', 'slack', '--name', name(`cli${i}`), '--json'], { env: { ...process.env }, stdout: 'pipe', stderr: 'pipe' });
      await new Response(proc.stdout).text();
      if ((await proc.exited) !== 0) throw new Error(`asym spin failed: ${await new Response(proc.stderr).text()}`);
    });
    await p.destroy(name(`cli${i}`));
  }

  // Cold infra: a private infra project that starts from nothing each time.
  for (let i = 0; i < Math.min(runs, 3); i++) {
    const project = `asym-bench-infra-${process.pid}-${i}`;
    process.env.ASYM_INFRA_PROJECT = project;
    forgetInfra();
    await time('spin (infra down)', () => p.create({ template: 'slack', name: name(`cold${i}`) }));
    await p.destroy(name(`cold${i}`));
    await composeDown(project);
  }
  delete process.env.ASYM_INFRA_PROJECT;
  forgetInfra();

  // Reset / snapshot / restore on a clone with a few thousand rows.
  const c = await p.create({ template: 'slack', name: name('data'), seed: { fixture: 'acme' } }).catch(() => p.create({ template: 'slack', name: name('data2') }));
  const slack = new WebClient(c.tokens!.botToken, { slackApiUrl: `${c.endpoints.api}/api/` });
  const ch = (await slack.conversations.create({ name: 'bench' })).channel!.id!;
  const posts: number[] = [];
  for (let i = 0; i < 3000; i += 50) {
    await Promise.all(Array.from({ length: 50 }, async (_, j) => {
      const t = performance.now();
      await slack.chat.postMessage({ channel: ch, text: `row ${i + j}` });
      posts.push(performance.now() - t);
    }));
  }
  await p.snapshot!(c.id, 'base');
  // The first API request after each swap, against the same request on a warm clone.
  // conversations.list: it exists in every state (reset drops the channel made above).
  const read = () => slack.conversations.list({ limit: 20 });
  for (let i = 0; i < 20; i++) await time('request on a warm clone (list)', read);
  for (let i = 0; i < runs; i++) {
    await slack.chat.postMessage({ channel: ch, text: 'dirty' });
    await time('reset (3k+ rows)', () => p.reset(c.id));
    await time('first request after reset', read);
    await time('snapshot (3k+ rows)', () => p.snapshot!(c.id, `s${i}`));
    await time('first request after snapshot', read);
    await time('restore (3k+ rows)', () => p.restore!(c.id, 'base'));
    await time('first request after restore', read);
  }
  // diff reads both databases whole: the cost grows with the clone's data (3k+ changed rows here).
  const record = getClone(c.id);
  for (let i = 0; i < runs; i++) await time('diff vs pristine (3k+ rows)', () => diffClone(record));
  const mem = await docker(['stats', '--no-stream', '--format', '{{.MemUsage}}', `${c.composeProject}-api-1`], { allowFailure: true });
  await p.destroy(c.id);

  console.log(`asym lifecycle benchmark (${runs} runs, ${new Date().toISOString()})`);
  for (const [label, xs] of Object.entries(results)) {
    const s = stats(xs);
    console.log(`${label.padEnd(34)} median ${s.median.toFixed(0).padStart(5)} ms  min ${s.min.toFixed(0).padStart(5)}  max ${s.max.toFixed(0).padStart(5)}  (n=${s.n})`);
  }
  const ps = stats(posts);
  console.log(`${'chat.postMessage while loading'.padEnd(34)} median ${ps.median.toFixed(1).padStart(5)} ms  (n=${ps.n}, 50 concurrent)`);
  console.log(`${'memory of one clone (api service)'.padEnd(34)} ${mem.stdout.trim() || 'n/a'}`);
} finally {
  rmSync(home, { recursive: true, force: true });
}
