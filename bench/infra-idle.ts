/**
 * What the shared infra (Postgres + Redis) costs while nothing uses it: prints figures,
 * asserts nothing.
 *   bun bench/infra-idle.ts [seconds=30]
 * Starts a private infra project (so the machine's real infra and its clones are not
 * touched), lets it settle, then over the window counts Docker exec probes into its
 * containers (`docker events`), sums its containers' CPU from their cgroups, and reads the
 * engine's own CPU (dockerd, containerd, shims, runc: where exec probes are paid) from
 * /proc. The engine figure includes whatever else the machine is doing. Removed at the end,
 * also on Ctrl-C.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composeDown } from '../src/docker/compose.ts';
import { ensureInfra, forgetInfra } from '../src/docker/infra.ts';
import { interruptedBy } from '../src/process/interrupt.ts';
import { cgroupCpuUs, dockerOut, engineCpuUs, interruptible } from './machine.ts';

const seconds = Number(process.argv[2] ?? 30);
const home = mkdtempSync(join(tmpdir(), 'asym-bench-infra-'));
const project = `asym-bench-idle-${process.pid}`;
process.env.ASYM_HOME = home;
process.env.ASYM_INFRA_PROJECT = project;
forgetInfra();

let cleaned = false;
async function cleanup(): Promise<void> {
  if (cleaned) return;
  cleaned = true;
  await composeDown(project).catch((e) => console.error(`compose down ${project}: ${(e as Error).message}`));
  rmSync(home, { recursive: true, force: true });
}
const signals = interruptible();

try {
  const t = performance.now();
  await ensureInfra();
  const upMs = performance.now() - t;
  const containers = (await dockerOut(['ps', '-q', '--no-trunc', '--filter', `label=com.docker.compose.project=${project}`])).split('\n').filter(Boolean);
  await signals.sleep(3000); // start-up work settles
  const since = Math.floor(Date.now() / 1000);
  const c0 = containers.reduce((s, c) => s + cgroupCpuUs(c), 0);
  const e0 = engineCpuUs();
  await signals.sleep(seconds * 1000);
  const c1 = containers.reduce((s, c) => s + cgroupCpuUs(c), 0);
  const e1 = engineCpuUs();
  const until = Math.floor(Date.now() / 1000);
  const events = await dockerOut(['events', '--since', String(since), '--until', String(until), '--filter', `label=com.docker.compose.project=${project}`, '--filter', 'event=exec_start', '--format', '{{.ID}}']);
  const execs = events.split('\n').filter(Boolean).length;
  const cores = navigator.hardwareConcurrency;
  const pct = (us: number) => `${((us / (seconds * 1e6)) * 100).toFixed(2)}% of one core (${((us / (seconds * 1e6 * cores)) * 100).toFixed(2)}% of the machine)`;
  console.log(`asym infra idle benchmark (${new Date().toISOString()}, ${cores} cores, ${seconds} s window, private project)`);
  console.log(`infra up (cold, images present)    ${upMs.toFixed(0)} ms`);
  console.log(`exec probes in the window          ${execs} (${(execs / seconds).toFixed(2)}/s)`);
  console.log(`infra containers' CPU              ${pct(c1 - c0)}`);
  console.log(`engine CPU (whole machine's)       ${pct(e1 - e0)}`);
} catch (e) {
  if (!interruptedBy()) throw e;
} finally {
  await cleanup();
  signals.exitCode();
}
