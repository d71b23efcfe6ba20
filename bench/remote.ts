/**
 * Remote overhead benchmark: prints figures, asserts nothing.
 *   bun bench/remote.ts [runs=5] [concurrent=50]
 * The same verbs through LocalDockerProvider (in this process) and through CloudProvider
 * against a real `asym serve` on loopback (its own home), per verb side by side, and one
 * SDK request through a clone of each (the agent talks to the clone directly, so those two
 * should match). Then `concurrent` creates at once from 5 keys against the server: how many
 * succeed, whether every port is distinct, and how long the burst takes. concurrent=0 skips it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebClient } from '@slack/web-api';
import type { CliProvider } from '../src/contract/provider.ts';
import { LocalDockerProvider } from '../src/docker/provider.ts';
import { CloudProvider } from '../src/providers/cloud.ts';
import { asym } from '../test/support/cli.ts';
import { startServe } from '../test/support/serve.ts';

const runs = Number(process.argv[2] ?? 5);
const concurrent = Number(process.argv[3] ?? 50);
const localHome = mkdtempSync(join(tmpdir(), 'asym-bench-local-'));
const serveHome = mkdtempSync(join(tmpdir(), 'asym-bench-serve-'));
const fileDir = mkdtempSync(join(tmpdir(), 'asym-bench-files-'));
process.env.ASYM_HOME = localHome;
const results: Record<string, Record<string, number[]>> = {};

async function time<T>(verb: string, side: string, fn: () => Promise<T>): Promise<T> {
  const t = performance.now();
  const r = await fn();
  ((results[verb] ??= {})[side] ??= []).push(performance.now() - t);
  return r;
}
const median = (xs: number[] = []) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)]! : NaN;
};

async function key(name: string): Promise<string> {
  const r = await asym(['serve', 'keys', 'create', '--name', name, '--json'], { ASYM_HOME: serveHome, ASYM_REMOTE: '' });
  if (r.code !== 0) throw new Error(r.stdout + r.stderr);
  return r.json.key;
}

const server = await startServe(serveHome);
try {
  const sides: [string, CliProvider][] = [['local', new LocalDockerProvider()], ['remote', new CloudProvider(server.url, await key('bench'))]];
  // Warm-up (image present, infra up), not counted.
  for (const [side, p] of sides) {
    await p.create({ template: 'slack', name: `bench-${side}-warm` });
    await p.destroy(`bench-${side}-warm`);
  }
  // Local and remote take turns, so a busy machine slows both alike.
  for (let i = 0; i < runs; i++) {
    for (const [side, p] of sides) {
      const id = `bench-${side}-${process.pid}-${i}`;
      const c = await time('spin', side, () => p.create({ template: 'slack', name: id }));
      const slack = new WebClient(c.tokens!.botToken, { slackApiUrl: `${c.endpoints.api}/api/` });
      const ch = (await slack.conversations.create({ name: 'bench' })).channel!.id!;
      for (let j = 0; j < 20; j++) await time('SDK chat.postMessage (to the clone)', side, () => slack.chat.postMessage({ channel: ch, text: `m${j}` }));
      for (let j = 0; j < 20; j++) await time('get (one record)', side, () => p.get(id));
      await time('reset', side, () => p.reset(id));
      await time('snapshot', side, () => p.snapshot(id, 's'));
      await time('restore', side, () => p.restore(id, 's'));
      await time('status', side, () => p.status(id));
      // Portable files: on the caller's disk either way (sent to, or written from, the server).
      const file = join(fileDir, `${side}-${i}.asym`);
      await time('snapshot export', side, () => p.exportSnapshot(id, 's', file));
      await time('restore --from', side, () => p.restoreFrom(id, file));
      const copy = await time('spin --from', side, () => p.createFrom({ name: `${id}-from` }, file));
      await p.destroy(copy.id);
      await time('destroy', side, () => p.destroy(id));
    }
  }

  console.log(`asym remote overhead (${runs} runs, medians in ms, load average ${(await import('node:os')).loadavg()[0]!.toFixed(1)}, ${new Date().toISOString()})`);
  console.log(`${'verb'.padEnd(36)} ${'local'.padStart(8)} ${'remote'.padStart(8)} ${'overhead'.padStart(9)}`);
  for (const [verb, by] of Object.entries(results)) {
    const l = median(by.local);
    const r = median(by.remote);
    console.log(`${verb.padEnd(36)} ${l.toFixed(1).padStart(8)} ${r.toFixed(1).padStart(8)} ${(r - l).toFixed(1).padStart(9)}`);
  }

  if (concurrent > 0) {
    const keys = await Promise.all(Array.from({ length: 5 }, (_, i) => key(`burst-${i}`)));
    const clients = keys.map((k) => new CloudProvider(server.url, k));
    const t = performance.now();
    const outcomes = await Promise.allSettled(Array.from({ length: concurrent }, (_, i) => clients[i % 5]!.create({ template: 'slack', name: `burst-${process.pid}-${i}` })));
    const ms = performance.now() - t;
    const ok = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
    const failed = outcomes.flatMap((o) => (o.status === 'rejected' ? [String((o.reason as { code?: string }).code ?? o.reason)] : []));
    const ports = new Set(ok.map((c) => c.ports.api));
    console.log(`${concurrent} concurrent creates from 5 keys: ${ok.length} running, ${failed.length} failed${failed.length ? ` (${[...new Set(failed)].join(', ')})` : ''}, ${ports.size} distinct ports, ${(ms / 1000).toFixed(1)} s for the burst`);
    const t2 = performance.now();
    await Promise.allSettled(outcomes.map((o, i) => (o.status === 'fulfilled' ? clients[i % 5]!.destroy(o.value.id) : Promise.resolve())));
    console.log(`destroying them: ${((performance.now() - t2) / 1000).toFixed(1)} s`);
  }
} finally {
  server.proc.kill('SIGTERM');
  await server.proc.exited;
  // Whatever a failed run left, in either home.
  for (const home of [localHome, serveHome]) {
    const ls = await asym(['ls', '--json'], { ASYM_HOME: home, ASYM_REMOTE: '' });
    for (const c of (ls.json ?? []) as { id: string }[]) await asym(['destroy', c.id, '--yes', '--json'], { ASYM_HOME: home, ASYM_REMOTE: '' });
    rmSync(home, { recursive: true, force: true });
  }
  rmSync(fileDir, { recursive: true, force: true });
}
