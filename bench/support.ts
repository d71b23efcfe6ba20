/** What every request benchmark shares: a throwaway clone, and latency/throughput printers. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CloneInstance } from '../src/contract/clone.ts';
import { LocalDockerProvider } from '../src/docker/provider.ts';

/** Spin one clone in a temporary ASYM_HOME, run `fn`, destroy it whatever happens. */
export async function withBenchClone(template: string, fn: (clone: CloneInstance) => Promise<void>): Promise<void> {
  const home = mkdtempSync(join(tmpdir(), `asym-bench-${template}-`));
  process.env.ASYM_HOME = home;
  const p = new LocalDockerProvider();
  const clone = await p.create({ template, name: `bench-${template}-${process.pid}` });
  try {
    await fn(clone);
  } finally {
    await p.destroy(clone.id);
    rmSync(home, { recursive: true, force: true });
  }
}

export function percentile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
}

const WIDTH = 48;

/** One request in flight at a time: p50 and p99 latency. */
export async function latency(label: string, n: number, fn: (i: number) => Promise<unknown>): Promise<void> {
  const xs: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn(i);
    xs.push(performance.now() - t);
  }
  console.log(`${label.padEnd(WIDTH)} p50 ${percentile(xs, 0.5).toFixed(2)} ms  p99 ${percentile(xs, 0.99).toFixed(2)} ms  (n=${n}, sequential)`);
}

/** `concurrency` requests in flight: requests per second. */
export async function throughput(label: string, n: number, concurrency: number, fn: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  const t = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < n) await fn(next++);
  }));
  const s = (performance.now() - t) / 1000;
  console.log(`${label.padEnd(WIDTH)} ${(n / s).toFixed(0)} req/s  (n=${n}, ${concurrency} in flight)`);
}
