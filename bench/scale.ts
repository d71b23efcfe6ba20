/**
 * How asym scales with clone count: prints figures, asserts nothing.
 *   bun bench/scale.ts [template=stripe] [counts=10,20,40]
 * For each N it spins clones one at a time up to N (spin time per clone as N grows), lets
 * them sit idle, and sums their containers' CPU over 20 s from the cgroup counters
 * (cpuacct/cpu.stat, not wall-clock sampling), plus memory per clone. Docker's own cost
 * (dockerd, containerd, runc: where exec health checks used to go) is read from /proc.
 * Idle CPU is printed summed over all clones (% of one core and % of the machine) and per
 * clone. Every clone lives in a temporary ASYM_HOME and is destroyed at the end, whatever
 * happens, also on Ctrl-C or SIGTERM.
 * It loads a shared machine: run it once, not in a loop.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalDockerProvider } from '../src/docker/provider.ts';
import { interruptedBy } from '../src/process/interrupt.ts';
import { cgroupCpuUs, dockerOut as dockerJson, engineCpuUs, interruptible } from './machine.ts';

const template = process.argv[2] ?? 'stripe';
const counts = (process.argv[3] ?? '10,20,40').split(',').map(Number).filter((n) => n > 0);
const IDLE_S = 20;

const home = mkdtempSync(join(tmpdir(), 'asym-bench-scale-'));
process.env.ASYM_HOME = home;
const p = new LocalDockerProvider();
const ids: string[] = [];

async function containersOf(cloneIds: string[]): Promise<string[]> {
  const out = await dockerJson(['ps', '-q', '--no-trunc', ...cloneIds.flatMap((id) => ['--filter', `label=asym.clone=${id}`])]);
  // docker ps ORs label filters of one key only on newer engines; filter per clone to be safe.
  if (cloneIds.length <= 1) return out ? out.split('\n') : [];
  const all: string[] = [];
  for (const id of cloneIds) {
    const o = await dockerJson(['ps', '-q', '--no-trunc', '--filter', `label=asym.clone=${id}`]);
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
/** Destroys every clone this run made (also after Ctrl-C / SIGTERM: see interruptible). */
async function cleanup(): Promise<void> {
  if (cleaned) return;
  cleaned = true;
  // A spin interrupted midway is in the registry but not yet in `ids`: destroy by name too.
  const names = new Set([...ids, `scale-${process.pid}-${ids.length}`]);
  for (const id of names) {
    await p.destroy(id).catch((e) => {
      if (ids.includes(id)) console.error(`destroy ${id}: ${(e as Error).message}`);
    });
  }
  rmSync(home, { recursive: true, force: true });
}
const signals = interruptible();

try {
  const cores = navigator.hardwareConcurrency;
  console.log(`asym scale benchmark: template ${template}, ${new Date().toISOString()}, ${cores} cores, load average ${(await Bun.file('/proc/loadavg').text()).split(' ').slice(0, 3).join(' ')}`);
  console.log('N    spin/clone (batch median)       idle CPU of all clones, summed       per clone          engine CPU   memory/clone');
  let firstSpin = 0;
  for (const n of counts) {
    const spins: number[] = [];
    while (ids.length < n) {
      const t = performance.now();
      const c = await p.create({ template, name: `scale-${process.pid}-${ids.length}` });
      spins.push(performance.now() - t);
      ids.push(c.id);
    }
    const spinMed = spins.sort((a, b) => a - b)[Math.floor(spins.length / 2)] ?? 0;
    firstSpin ||= spinMed;
    const containers = await containersOf(ids);
    await signals.sleep(2000); // let the last spin's work settle
    const c0 = containers.reduce((s, c) => s + cgroupCpuUs(c), 0);
    const e0 = engineCpuUs();
    await signals.sleep(IDLE_S * 1000);
    const c1 = containers.reduce((s, c) => s + cgroupCpuUs(c), 0);
    const e1 = engineCpuUs();
    const core = (us: number) => (us / (IDLE_S * 1e6)) * 100;
    const clones = core(c1 - c0);
    const mem = (await memoryMiB(containers)) / n;
    console.log(
      `${String(n).padEnd(5)}${`${(spinMed / 1000).toFixed(2)} s (x${(spinMed / firstSpin).toFixed(2)} of first)`.padEnd(32)}` +
        `${`${clones.toFixed(2)}% of a core = ${(clones / cores).toFixed(2)}% of machine`.padEnd(37)}` +
        `${`${(clones / n).toFixed(3)}% of a core`.padEnd(19)}${`${(core(e1 - e0) / cores).toFixed(2)}% mach`.padEnd(13)}${mem.toFixed(1)} MiB`,
    );
  }
  console.log('engine CPU is dockerd+containerd+shims+runc for the whole machine (other work included).');
} catch (e) {
  if (!interruptedBy()) throw e;
} finally {
  await cleanup();
  signals.exitCode();
}
