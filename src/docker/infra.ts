/**
 * The shared infra: one Postgres and one Redis per machine, in their own compose project
 * (labelled asym.clone=__infra__), started on first need and reused. Clones reach them on
 * the infra network by alias; the CLI reaches them on ports published to 127.0.0.1.
 * There are no Docker health checks on them: the CLI probes them when it needs them.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AsymmetricError } from '../contract/errors.ts';
import { baseImages, infraPassword, infraProject } from '../config.ts';
import { homePath } from '../registry/home.ts';
import { withLock } from '../registry/lock.ts';
import { infraModel } from './compose-model.ts';
import { composePs, composeUp, writeComposeFile, writeStackFile, type PsEntry } from './compose.ts';
import { ensureImage } from './images.ts';
import { adminUrl } from './postgres-admin.ts';
import { docker } from './spawn.ts';
import { clusterHost, stackDeploy, stackModel, swarmEngine, swarmInfo, swarmInfraPorts, swarmRouting } from './swarm.ts';

export interface Infra {
  project: string;
  network: string;
  password: string;
  pgPort: number;
  redisPort: number;
  /** Where the CLI reaches the ports: this machine's loopback, or a swarm manager's address. */
  host?: string;
}

export function infraNetwork(project = infraProject()): string {
  return project;
}

function hostPort(entry: PsEntry | undefined, target: number): number | null {
  const p = entry?.Publishers?.find((x) => x.TargetPort === target && x.PublishedPort > 0);
  return p ? p.PublishedPort : null;
}

/** Where the infra is, if both its containers run and publish their ports (not yet whether they answer). */
function located(entries: PsEntry[]): Infra | null {
  const pg = entries.find((e) => e.Service === 'postgres');
  const redis = entries.find((e) => e.Service === 'redis');
  // 'unhealthy' only appears on infra started by an older asym (it had Docker health checks).
  const ok = (e?: PsEntry) => e?.State === 'running' && e.Health !== 'unhealthy';
  const pgPort = hostPort(pg, 5432);
  const redisPort = hostPort(redis, 6379);
  if (!ok(pg) || !ok(redis) || !pgPort || !redisPort) return null;
  const project = infraProject();
  return { project, network: infraNetwork(project), password: infraPassword(), pgPort, redisPort };
}

/**
 * Health on demand: Postgres answers a query and Redis a PING over their host ports. This
 * replaces Docker's exec health checks, which cost CPU every second on an idle machine;
 * a probe costs a few milliseconds, and only when a command needs the infra. Resolves to
 * null when both answer, else to what failed.
 */
export async function probeInfra(infra: Infra, timeoutMs = 1000): Promise<string | null> {
  const pg = (async () => {
    const sql = new Bun.SQL({ url: adminUrl(infra), max: 1, connectionTimeout: timeoutMs / 1000 });
    try {
      await sql`select 1`;
      return null;
    } catch (e) {
      return `Postgres: ${(e as Error).message}`;
    } finally {
      await sql.close({ timeout: 0 }).catch(() => undefined);
    }
  })();
  const redis = (async () => {
    const client = new Bun.RedisClient(`redis://${infra.host ?? '127.0.0.1'}:${infra.redisPort}`, { connectionTimeout: timeoutMs, autoReconnect: false, enableOfflineQueue: false });
    try {
      await client.connect();
      const pong = await client.send('PING', []);
      return pong === 'PONG' ? null : `Redis answered ${String(pong)}`;
    } catch (e) {
      return `Redis: ${(e as Error).message}`;
    } finally {
      client.close();
    }
  })();
  const problems = (await Promise.all([pg, redis])).filter((x): x is string => x !== null);
  return problems.length ? problems.join('; ') : null;
}

/** Probe until both answer (a just-started Postgres takes a few seconds), or give up at the deadline. */
async function answering(infra: Infra, withinMs: number): Promise<string | null> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const problem = await probeInfra(infra);
    if (!problem || Date.now() >= deadline) return problem;
    await Bun.sleep(100);
  }
}

let cached: Infra | undefined;

/** Make sure the infra runs and answers; returns how to reach it. */
export async function ensureInfra(onProgress?: (msg: string) => void): Promise<Infra> {
  if (cached) return cached;
  if (swarmEngine()) return ensureSwarmInfra(onProgress);
  const project = infraProject();
  const up = located(await composePs(project));
  if (up && !(await probeInfra(up))) return (cached = up);
  // Machine-wide lock: the infra is per machine, not per ASYM_HOME.
  return withLock(join(tmpdir(), `${project}.infra.lock`), async () => {
    const again = located(await composePs(project));
    // Running but not answering yet: another process may have just started it.
    if (again && !(await answering(again, 15_000))) return (cached = again);
    onProgress?.('starting shared Postgres and Redis');
    const images = baseImages();
    await Promise.all([ensureImage(images.postgres, onProgress), ensureImage(images.redis, onProgress)]);
    const file = writeComposeFile(
      homePath('infra', project),
      infraModel({ project, network: infraNetwork(project), postgresImage: images.postgres, redisImage: images.redis, password: infraPassword() }),
    );
    // No --wait: with health checks disabled Compose refuses it; the probe below waits instead.
    await composeUp(project, file);
    const started = located(await composePs(project));
    const problem = started ? await answering(started, 120_000) : 'its containers are not running';
    if (!started || problem) {
      const logs = await docker(['compose', '-p', project, 'logs', '--tail', '20'], { allowFailure: true });
      throw new AsymmetricError('INFRA_UNHEALTHY', `the shared Postgres/Redis did not become healthy: ${problem}`, {
        hint: 'run `asym doctor`; the logs are in the error details',
        details: { logs: logs.stdout.slice(-4000) },
      });
    }
    return (cached = started);
  }, { timeoutMs: 180_000 });
}

/** Reachability only: infra that is running now, without starting it. */
export async function currentInfra(): Promise<Infra | null> {
  if (cached) return cached;
  if (swarmEngine()) {
    const infra = await swarmInfraAt();
    return (await probeInfra(infra)) ? null : infra;
  }
  const found = located(await composePs(infraProject()));
  return found && !(await probeInfra(found)) ? found : null;
}

export function forgetInfra(): void {
  cached = undefined;
}

/**
 * The docker arguments that run a command in the infra's `service` container, stdin attached:
 * `compose exec` on this machine; on a swarm, `exec` in the running task's container (the
 * infra is pinned to the manager this CLI talks to, so its container is on this engine).
 */
export async function infraExec(service: 'postgres' | 'redis'): Promise<string[]> {
  if (!swarmEngine()) return ['compose', '-p', infraProject(), 'exec', '-T', service];
  const name = `${infraProject()}_${service}`;
  const ps = await docker(['ps', '-q', '--filter', `label=com.docker.swarm.service.name=${name}`, '--filter', 'status=running'], { allowFailure: true });
  const id = ps.stdout.trim().split('\n')[0];
  if (!id) throw new AsymmetricError('INFRA_UNHEALTHY', `no running task of ${name} on the manager this CLI talks to`, { hint: 'run `asym doctor`' });
  return ['exec', '-i', id];
}

/** Where the cluster's infra is (fixed ports on the manager's address), whether or not it runs. */
async function swarmInfraAt(): Promise<Infra> {
  const project = infraProject();
  const ports = swarmInfraPorts();
  return { project, network: infraNetwork(project), password: infraPassword(), pgPort: ports.pg, redisPort: ports.redis, host: await clusterHost() };
}

/**
 * The cluster's infra: one Postgres and one Redis for the whole swarm, a stack pinned to the
 * manager this CLI talks to (their volumes live on that node), published on fixed ports.
 * Every clone's database is on it, so reset, snapshot and restore stay server-side SQL.
 */
async function ensureSwarmInfra(onProgress?: (msg: string) => void): Promise<Infra> {
  const infra = await swarmInfraAt();
  if (!(await probeInfra(infra))) return (cached = infra);
  return withLock(join(tmpdir(), `${infra.project}.swarm-infra.lock`), async () => {
    // Deployed but not answering yet: another process may have just started it.
    const deployed = (await docker(['service', 'ls', '--filter', `label=com.docker.stack.namespace=${infra.project}`, '-q'], { allowFailure: true })).stdout.trim();
    if (deployed && !(await answering(infra, 15_000))) return (cached = infra);
    onProgress?.('starting the cluster Postgres and Redis');
    const images = baseImages();
    await Promise.all([ensureImage(images.postgres, onProgress), ensureImage(images.redis, onProgress)]);
    const model = infraModel({ project: infra.project, network: infra.network, postgresImage: images.postgres, redisImage: images.redis, password: infra.password });
    model.services.postgres!.ports = [`${infra.pgPort}:5432`];
    model.services.redis!.ports = [`${infra.redisPort}:6379`];
    const { nodeId } = await swarmInfo();
    const stack = stackModel(model, { routing: swarmRouting(), placement: [`node.id == ${nodeId}`] });
    const file = writeStackFile(homePath('infra', infra.project), stack);
    await stackDeploy(infra.project, file);
    const problem = await answering(infra, 120_000);
    if (problem) {
      const logs = await docker(['service', 'logs', '--tail', '20', `${infra.project}_postgres`], { allowFailure: true });
      throw new AsymmetricError('INFRA_UNHEALTHY', `the cluster Postgres/Redis did not become healthy: ${problem}`, {
        hint: 'run `asym doctor`; the logs are in the error details',
        details: { logs: (logs.stdout + logs.stderr).slice(-4000) },
      });
    }
    return (cached = infra);
  }, { timeoutMs: 180_000 });
}
