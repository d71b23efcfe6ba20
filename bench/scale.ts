/**
 * How asym scales with clone count: prints figures, asserts nothing.
 *   bun bench/scale.ts [template=stripe] [counts=10,20,40] [--parallel]
 * For each N it spins clones up to N, one at a time (spin time per clone as N grows) or, with
 * --parallel, all of a step's new clones at once (wall time per clone, printed beside the
 * median of three spins made one at a time first). Then it lets them sit idle and sums
 * their containers' CPU over 20 s from the cgroup counters (cpuacct/cpu.stat, not
 * wall-clock sampling), plus memory per clone.
 *
 * Idle is measured 35 s after the last spin, not at once: a clone's database pool closes its
 * connections after 30 s without queries (templates/_kit/db.ts, idleTimeout), and before
 * that the window counts Postgres and the clones winding down from the spins, not idle.
 *
 * The clones run on a private infra (Postgres + Redis of their own, removed at the end), so
 * the infra's CPU is theirs alone, not the shared infra's with whatever else this machine
 * runs: it is printed apart from the clones' own CPU. Docker's own cost (dockerd,
 * containerd, runc) is read from /proc and includes the rest of the machine. Every clone
 * lives in a temporary ASYM_HOME and is destroyed at the end, whatever happens, also on
 * Ctrl-C or SIGTERM. It loads a shared machine: run it once, not in a loop.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalDockerProvider } from '../src/docker/provider.ts';
import { composeDown } from '../src/docker/compose.ts';
import { ensureInfra, forgetInfra } from '../src/docker/infra.ts';
import { interruptedBy } from '../src/process/interrupt.ts';
import { cgroupCpuUs, dockerOut as dockerJson, engineCpuUs, interruptible } from './machine.ts';

const flags = new Set(process.argv.slice(2).filter((a) => a.startsWith('--')));
const [template = 'stripe', countsArg = '10,20,40'] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const counts = countsArg.split(',').map(Number).filter((n) => n > 0);
const parallel = flags.has('--parallel');
const IDLE_S = 20;
/** Longer than the kit's pool idleTimeout (30 s), so the pools have closed. */
const SETTLE_S = 35;
const SEQUENTIAL_SAMPLE = 3;

const home = mkdtempSync(join(tmpdir(), 'asym-bench-scale-'));
const infraProject = `asym-bench-scale-${process.pid}`;
process.env.ASYM_HOME = home;
process.env.ASYM_INFRA_PROJECT = infraProject;
forgetInfra();
const p = new LocalDockerProvider();
const ids: string[] = [];
/** Every name a spin was started for, made or not: cleanup destroys them all. */
const attempted = new Set<string>();

async function containersOf(label: string, values: string[]): Promise<string[]> {
  // docker ps ORs label filters of one key only on newer engines; filter per value to be safe.
  const all: string[] = [];
  for (const v of values) {
    const o = await dockerJson(['ps', '-q', '--no-trunc', '--filter', `label=${label}=${v}`]);
    if (o) all.push(...o.split('\n'));
  }
  return all;
}

async function memoryMiB(containers: string[]): Promise<number> {
  if (!containers.length) return 0;
  const out = await dockerJson(['stats', '--no-stream', '--format', '{{.MemUsage}}', ...containers]);
  const unit: Record<string, number> = { B: 1 / 2 ** 20, KiB: 1 / 1024, MiB: 1, GiB: 1024 };
  return out.split('\n').reduce((sum, line) => {
    const m = /^([\d.]+)\s*([KMG]?i?B)/.exec(line.trim());
    return sum + (m ? Number(m[1]) * (unit[m[2]!] ?? 1) : 0);
  }, 0);
}

let cleaned = false;
/** Destroys every clone this run made, then the private infra (also after Ctrl-C / SIGTERM). */
async function cleanup(): Promise<void> {
  if (cleaned) return;
  cleaned = true;
  for (const id of attempted) {
    await p.destroy(id).catch((e) => {
      if (ids.includes(id)) console.error(`destroy ${id}: ${(e as Error).message}`);
    });
  }
  await composeDown(infraProject).catch((e) => console.error(`compose down ${infraProject}: ${(e as Error).message}`));
  rmSync(home, { recursive: true, force: true });
}
const signals = interruptible();

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

async function spinOne(): Promise<number> {
  const name = `scale-${process.pid}-${attempted.size}`;
  attempted.add(name);
  const t = performance.now();
  const c = await p.create({ template, name });
  ids.push(c.id);
  return performance.now() - t;
}

/** `k` spins at once: wall time, and how many failed (their error is printed once). */
async function spinTogether(k: number): Promise<{ wallMs: number; failed: number }> {
  const t = performance.now();
  const results = await Promise.allSettled(Array.from({ length: k }, () => spinOne()));
  const wallMs = performance.now() - t;
  const failures = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
  if (failures.length) console.error(`${failures.length} of ${k} parallel spins failed; first: ${(failures[0]!.reason as Error).message}`);
  if (interruptedBy()) throw failures[0]?.reason;
  return { wallMs, failed: failures.length };
}

try {
  const cores = navigator.hardwareConcurrency;
  console.log(`asym scale benchmark: template ${template}, ${parallel ? 'parallel' : 'sequential'} spins, ${new Date().toISOString()}, ${cores} cores, load average ${(await Bun.file('/proc/loadavg').text()).split(' ').slice(0, 3).join(' ')}`);
  await ensureInfra(); // the private infra, started before anything is timed
  const infraContainers = await containersOf('com.docker.compose.project', [infraProject]);
  let sequential = 0;
  if (parallel) {
    const spins: number[] = [];
    while (spins.length < Math.min(SEQUENTIAL_SAMPLE, counts[0] ?? 0)) spins.push(await spinOne());
    sequential = median(spins);
    console.log(`sequential spin: ${(sequential / 1000).toFixed(2)} s per clone (median of ${spins.length}, one at a time, counted in the first N)`);
  }
  console.log(`idle CPU over ${IDLE_S} s, from ${SETTLE_S} s after the last spin; % of one core (machine = ${cores} cores)`);
  console.log(`N    ${(parallel ? 'spin/clone (all of a step at once)' : 'spin/clone (batch median)').padEnd(40)}clones' idle CPU, summed    per clone        infra (pg+redis)   engine     memory/clone`);
  let firstSpin = 0;
  for (const n of counts) {
    let spinCol: string;
    const k = n - ids.length;
    if (parallel) {
      if (k > 0) {
        const { wallMs, failed } = await spinTogether(k);
        const per = wallMs / k;
        spinCol = `${(per / 1000).toFixed(2)} s (${k} at once, x${(per / sequential).toFixed(2)} of seq${failed ? `, ${failed} failed` : ''})`;
      } else spinCol = 'the sequential sample only';
    } else {
      const spins: number[] = [];
      while (ids.length < n) spins.push(await spinOne());
      const spinMed = median(spins);
      firstSpin ||= spinMed;
      spinCol = `${(spinMed / 1000).toFixed(2)} s (x${(spinMed / firstSpin).toFixed(2)} of first)`;
    }
    const containers = await containersOf('asym.clone', ids);
    await signals.sleep(SETTLE_S * 1000);
    const c0 = containers.reduce((s, c) => s + cgroupCpuUs(c), 0);
    const i0 = infraContainers.reduce((s, c) => s + cgroupCpuUs(c), 0);
    const e0 = engineCpuUs();
    await signals.sleep(IDLE_S * 1000);
    const c1 = containers.reduce((s, c) => s + cgroupCpuUs(c), 0);
    const i1 = infraContainers.reduce((s, c) => s + cgroupCpuUs(c), 0);
    const e1 = engineCpuUs();
    const core = (us: number) => (us / (IDLE_S * 1e6)) * 100;
    const clones = core(c1 - c0);
    const mem = (await memoryMiB(containers)) / ids.length;
    console.log(
      `${String(ids.length).padEnd(5)}${`${spinCol} `.padEnd(40)}` +
        `${`${clones.toFixed(2)}% (${(clones / cores).toFixed(2)}% mach)`.padEnd(28)}` +
        `${`${(clones / ids.length).toFixed(3)}%`.padEnd(17)}${`${core(i1 - i0).toFixed(2)}%`.padEnd(19)}${`${(core(e1 - e0) / cores).toFixed(2)}% mach`.padEnd(11)}${mem.toFixed(1)} MiB`,
    );
  }
  console.log('infra is this run\'s private Postgres + Redis; engine is dockerd+containerd+shims+runc for the whole machine (other work included).');
} catch (e) {
  if (!interruptedBy()) throw e;
} finally {
  await cleanup();
  signals.exitCode();
}
