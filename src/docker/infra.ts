/**
 * The shared infra: one Postgres and one Redis per machine, in their own compose project
 * (labelled asym.clone=__infra__), started on first need and reused. Clones reach them on
 * the infra network by alias; the CLI reaches them on ports published to 127.0.0.1.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AsymmetricError } from '../contract/errors.ts';
import { baseImages, infraPassword, infraProject } from '../config.ts';
import { homePath } from '../registry/home.ts';
import { withLock } from '../registry/lock.ts';
import { infraModel } from './compose-model.ts';
import { composePs, composeUp, writeComposeFile, type PsEntry } from './compose.ts';
import { ensureImage } from './images.ts';
import { docker } from './spawn.ts';

export interface Infra {
  project: string;
  network: string;
  password: string;
  pgPort: number;
  redisPort: number;
}

export function infraNetwork(project = infraProject()): string {
  return project;
}

function hostPort(entry: PsEntry | undefined, target: number): number | null {
  const p = entry?.Publishers?.find((x) => x.TargetPort === target && x.PublishedPort > 0);
  return p ? p.PublishedPort : null;
}

function ready(entries: PsEntry[]): Infra | null {
  const pg = entries.find((e) => e.Service === 'postgres');
  const redis = entries.find((e) => e.Service === 'redis');
  const ok = (e?: PsEntry) => e?.State === 'running' && e.Health === 'healthy';
  const pgPort = hostPort(pg, 5432);
  const redisPort = hostPort(redis, 6379);
  if (!ok(pg) || !ok(redis) || !pgPort || !redisPort) return null;
  const project = infraProject();
  return { project, network: infraNetwork(project), password: infraPassword(), pgPort, redisPort };
}

let cached: Infra | undefined;

/** Make sure the infra runs and is healthy; returns how to reach it. */
export async function ensureInfra(onProgress?: (msg: string) => void): Promise<Infra> {
  if (cached) return cached;
  const project = infraProject();
  const up = ready(await composePs(project));
  if (up) return (cached = up);
  // Machine-wide lock: the infra is per machine, not per ASYM_HOME.
  return withLock(join(tmpdir(), `${project}.infra.lock`), async () => {
    const again = ready(await composePs(project));
    if (again) return (cached = again);
    onProgress?.('starting shared Postgres and Redis');
    const images = baseImages();
    await Promise.all([ensureImage(images.postgres, onProgress), ensureImage(images.redis, onProgress)]);
    const file = writeComposeFile(
      homePath('infra', project),
      infraModel({ project, network: infraNetwork(project), postgresImage: images.postgres, redisImage: images.redis, password: infraPassword() }),
    );
    await composeUp(project, file, { wait: true, timeoutS: 120 });
    const started = ready(await composePs(project));
    if (!started) {
      const logs = await docker(['compose', '-p', project, 'logs', '--tail', '20'], { allowFailure: true });
      throw new AsymmetricError('INFRA_UNHEALTHY', 'the shared Postgres/Redis did not become healthy', {
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
  return ready(await composePs(infraProject()));
}

export function forgetInfra(): void {
  cached = undefined;
}
