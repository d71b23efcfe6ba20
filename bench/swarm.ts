/**
 * Swarm engine benchmark: prints figures, asserts nothing. Root only (it builds its own swarm).
 *   bun bench/swarm.ts [N=5] [nodes=1]
 * Two control planes in the same run, each with its own home: `asym serve` on this machine's
 * engine, and `asym serve --engine swarm` on a swarm of private dockerds in network
 * namespaces (test/support/swarm.ts, host routing: this kernel has no IPVS). Through each
 * (CloudProvider, as a remote client would), N clones of slack are spun one after another:
 * per-clone spin time as N grows, then reset time per clone, memory per clone (docker stats
 * of the clones' containers on every engine involved), destroy. Local and swarm take turns.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudProvider } from '../src/providers/cloud.ts';
import { resolveServiceImage } from '../src/docker/images.ts';
import { getTemplate } from '../src/templates/catalog.ts';
import { asym } from '../test/support/cli.ts';
import { startServe, type ServeProcess } from '../test/support/serve.ts';
import { makeSwarm } from '../test/support/swarm.ts';

const N = Number(process.argv[2] ?? 5);
const nodeCount = Number(process.argv[3] ?? 1);
const images = [process.env.ASYM_POSTGRES_IMAGE ?? 'asym-local/postgres:15', process.env.ASYM_REDIS_IMAGE ?? 'asym-local/redis:7', process.env.ASYM_BUN_IMAGE ?? 'asym-local/bun:1'];

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)]! : NaN;
};

/** Memory of the containers labelled with one of `ids`, on one engine, in MiB. */
function memoryMiB(dockerHost: string | undefined, ids: string[]): number {
  const env = { ...process.env, ...(dockerHost ? { DOCKER_HOST: dockerHost } : {}) };
  const ps = Bun.spawnSync(['docker', 'ps', '-q', '--filter', 'label=asym.clone'], { env, stdout: 'pipe' }).stdout.toString().split('\n').filter(Boolean);
  if (!ps.length) return 0;
  const rows = Bun.spawnSync(['docker', 'inspect', '--format', '{{.Id}}\t{{index .Config.Labels "asym.clone"}}', ...ps], { env, stdout: 'pipe' }).stdout.toString().split('\n').filter(Boolean).map((l) => l.split('\t'));
  const mine = rows.filter(([, c]) => ids.includes(c!)).map(([id]) => id!);
  if (!mine.length) return 0;
  const stats = Bun.spawnSync(['docker', 'stats', '--no-stream', '--format', '{{.MemUsage}}', ...mine], { env, stdout: 'pipe' }).stdout.toString().split('\n').filter(Boolean);
  const unit: Record<string, number> = { B: 1 / 1048576, KiB: 1 / 1024, MiB: 1, GiB: 1024 };
  return stats.reduce((sum, s) => {
    const m = /^([\d.]+)(\w+)/.exec(s.split('/')[0]!.trim());
    return sum + (m ? Number(m[1]) * (unit[m[2]!] ?? 0) : 0);
  }, 0);
}

async function key(home: string): Promise<string> {
  const r = await asym(['serve', 'keys', 'create', '--name', 'bench', '--json'], { ASYM_HOME: home, ASYM_REMOTE: '' });
  if (r.code !== 0) throw new Error(r.stdout + r.stderr);
  return r.json.key;
}

const slackImage = (await resolveServiceImage(getTemplate('slack'), 'api')).ref;
const t0 = Date.now();
const swarm = await makeSwarm(nodeCount, { images: [...images, slackImage], log: (s) => console.log(`swarm: ${s}`) });
console.log(`swarm of ${nodeCount} node(s) ready in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
const homes = { local: mkdtempSync(join(tmpdir(), 'asym-bench-swl-')), swarm: mkdtempSync(join(tmpdir(), 'asym-bench-sws-')) };
const swarmEnv = { DOCKER_HOST: swarm.manager.host, ASYM_SWARM_ROUTING: 'host', ASYM_SWARM_PG_PORT: '15432', ASYM_SWARM_REDIS_PORT: '16379' };
const servers: Record<string, ServeProcess> = {};
const spun: Record<string, string[]> = { local: [], swarm: [] };
const providers: Record<string, CloudProvider> = {};
try {
  servers.local = await startServe(homes.local);
  servers.swarm = await startServe(homes.swarm, swarmEnv, ['--engine', 'swarm']);
  for (const side of ['local', 'swarm'] as const) providers[side] = new CloudProvider(servers[side]!.url, await key(homes[side]));
  // Warm-up (infra up, image present), not counted.
  for (const side of ['local', 'swarm'] as const) {
    const id = `bsw-${side}-warm-${process.pid}`;
    await providers[side]!.create({ template: 'slack', name: id });
    await providers[side]!.destroy(id);
  }
  const spin: Record<string, number[]> = { local: [], swarm: [] };
  const reset: Record<string, number[]> = { local: [], swarm: [] };
  for (let i = 0; i < N; i++) {
    for (const side of ['local', 'swarm'] as const) {
      const id = `bsw-${side}-${process.pid}-${i}`;
      const t = performance.now();
      await providers[side]!.create({ template: 'slack', name: id });
      spin[side]!.push(performance.now() - t);
      spun[side]!.push(id);
    }
    console.log(`clone ${i + 1}/${N}: spin local ${spin.local!.at(-1)!.toFixed(0)} ms, swarm ${spin.swarm!.at(-1)!.toFixed(0)} ms`);
  }
  for (const side of ['local', 'swarm'] as const) {
    for (const id of spun[side]!) {
      const t = performance.now();
      await providers[side]!.reset(id);
      reset[side]!.push(performance.now() - t);
    }
  }
  const mem = {
    local: memoryMiB(undefined, spun.local!) / N,
    swarm: swarm.nodes.reduce((s, n) => s + memoryMiB(n.host, spun.swarm!), 0) / N,
  };
  console.log(`\nN = ${N} clones of slack through the control plane, nodes = ${nodeCount}`);
  console.log('engine  spin median  spin first  spin last  reset median  memory/clone');
  for (const side of ['local', 'swarm'] as const) {
    console.log(`${side.padEnd(6)}  ${median(spin[side]!).toFixed(0).padStart(8)} ms  ${spin[side]![0]!.toFixed(0).padStart(7)} ms  ${spin[side]!.at(-1)!.toFixed(0).padStart(6)} ms  ${median(reset[side]!).toFixed(0).padStart(9)} ms  ${mem[side].toFixed(0).padStart(8)} MiB`);
  }
} finally {
  for (const side of ['local', 'swarm'] as const) for (const id of spun[side]!) await providers[side]?.destroy(id).catch(() => {});
  for (const s of Object.values(servers)) {
    s.proc.kill('SIGTERM');
    await s.proc.exited;
  }
  await swarm.teardown();
  for (const h of Object.values(homes)) rmSync(h, { recursive: true, force: true });
}
