/**
 * How asym scales with clone count: prints figures, asserts nothing.
 *   bun bench/scale.ts [template=stripe] [counts=10,20,40]
 * For each N it spins clones one at a time up to N (spin time per clone as N grows), lets
 * them sit idle, and sums their containers' CPU over 20 s from the cgroup counters
 * (cpuacct/cpu.stat, not wall-clock sampling), plus memory per clone. Docker's own cost
 * (dockerd, containerd, runc: where exec health checks used to go) is read from /proc.
 * Every clone lives in a temporary ASYM_HOME and is destroyed at the end, whatever happens.
 * It loads a shared machine: run it once, not in a loop.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalDockerProvider } from '../src/docker/provider.ts';

const template = process.argv[2] ?? 'stripe';
const counts = (process.argv[3] ?? '10,20,40').split(',').map(Number).filter((n) => n > 0);
const IDLE_S = 20;

const home = mkdtempSync(join(tmpdir(), 'asym-bench-scale-'));
process.env.ASYM_HOME = home;
const p = new LocalDockerProvider();
const ids: string[] = [];

async function dockerJson(args: string[]): Promise<string> {
  const proc = Bun.spawn(['docker', ...args], { stdout: 'pipe', stderr: 'ignore' });
  const out = await new Response(proc.stdout).text();
  await proc.exited;
  return out.trim();
}

/** Container CPU in µs from its cgroup (v2 cpu.stat or v1 cpuacct.usage). */
function cgroupCpuUs(fullId: string): number {
  const v2 = [`/sys/fs/cgroup/system.slice/docker-${fullId}.scope/cpu.stat`, `/sys/fs/cgroup/docker/${fullId}/cpu.stat`];
  for (const f of v2) {
    try {
      return Number(/usage_usec (\d+)/.exec(readFileSync(f, 'utf8'))?.[1] ?? 0);
    } catch {}
  }
  for (const f of [`/sys/fs/cgroup/cpuacct/docker/${fullId}/cpuacct.usage`, `/sys/fs/cgroup/cpu,cpuacct/docker/${fullId}/cpuacct.usage`]) {
    try {
      return Number(readFileSync(f, 'utf8')) / 1000;
    } catch {}
  }
  return Number.NaN;
}

/** CPU (µs) of the engine's own processes, where exec probes are paid. */
function engineCpuUs(): number {
  const tick = 1_000_000 / 100; // USER_HZ
  let total = 0;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
      if (!/^(dockerd|containerd|containerd-shim.*|runc)$/.test(comm)) continue;
      const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      total += (Number(f[11]) + Number(f[12])) * tick;
    } catch {}
  }
  return total;
}

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

try {
  console.log(`asym scale benchmark: template ${template}, ${new Date().toISOString()}, ${navigator.hardwareConcurrency} cores`);
  console.log('N    spin/clone (last batch, median)  idle CPU of clones (% of one core)  engine CPU  memory/clone');
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
    await Bun.sleep(2000); // let the last spin's work settle
    const c0 = containers.reduce((s, c) => s + cgroupCpuUs(c), 0);
    const e0 = engineCpuUs();
    await Bun.sleep(IDLE_S * 1000);
    const c1 = containers.reduce((s, c) => s + cgroupCpuUs(c), 0);
    const e1 = engineCpuUs();
    const pct = (us: number) => ((us / (IDLE_S * 1e6)) * 100).toFixed(2);
    const mem = (await memoryMiB(containers)) / n;
    console.log(
      `${String(n).padEnd(5)}${`${(spinMed / 1000).toFixed(2)} s (x${(spinMed / firstSpin).toFixed(2)} of first)`.padEnd(33)}${`${pct(c1 - c0)}%`.padEnd(37)}${`${pct(e1 - e0)}%`.padEnd(12)}${mem.toFixed(1)} MiB`,
    );
  }
} finally {
  for (const id of ids) await p.destroy(id).catch((e) => console.error(`destroy ${id}: ${(e as Error).message}`));
  rmSync(home, { recursive: true, force: true });
}
