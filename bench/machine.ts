/** Machine readings the scale and idle benches share: cgroup and engine CPU, and clean exits. */
import { readdirSync, readFileSync } from 'node:fs';
import { installInterruptHandlers, interruptedBy, signalExitCode, sleepInterruptible } from '../src/process/interrupt.ts';

export async function dockerOut(args: string[]): Promise<string> {
  const proc = Bun.spawn(['docker', ...args], { stdout: 'pipe', stderr: 'ignore' });
  const out = await new Response(proc.stdout).text();
  await proc.exited;
  return out.trim();
}

/** Container CPU in µs from its cgroup (v2 cpu.stat or v1 cpuacct.usage). */
export function cgroupCpuUs(fullId: string): number {
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
export function engineCpuUs(): number {
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

/**
 * Ctrl-C / SIGTERM through asym's own handlers (src/process/interrupt.ts): a spin in flight
 * rolls itself back and throws INTERRUPTED, a bench's waits end, and its `finally` removes
 * what it made; the exit status is then 130/143. A second signal is ignored (cleanup finishes).
 */
export function interruptible(): { sleep(ms: number): Promise<void>; exitCode(): void } {
  installInterruptHandlers(() => console.error('cleaning up; a second signal is ignored'));
  return {
    sleep: sleepInterruptible,
    exitCode() {
      const sig = interruptedBy();
      if (sig) {
        console.error(`${sig}: interrupted, everything this run made was removed`);
        process.exitCode = signalExitCode(sig);
      }
    },
  };
}
