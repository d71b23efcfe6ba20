import { AsymmetricError } from '../contract/errors.ts';
import { daemonDownError, docker, run } from './spawn.ts';

export interface EngineInfo {
  serverVersion: string;
  composeVersion: string;
  buildkit: boolean;
}

let cached: Promise<EngineInfo> | undefined;

/** Check once per process that an engine answers and Compose v2 is installed. */
export function ensureEngine(): Promise<EngineInfo> {
  cached ??= probe().catch((e) => {
    cached = undefined;
    throw e;
  });
  return cached;
}

async function probe(): Promise<EngineInfo> {
  const [info, compose, buildx] = await Promise.all([
    run(['docker', 'version', '--format', '{{.Server.Version}}'], { timeoutMs: 15_000 }),
    run(['docker', 'compose', 'version', '--short'], { timeoutMs: 15_000 }),
    run(['docker', 'buildx', 'version'], { timeoutMs: 15_000 }),
  ]);
  if (info.code !== 0 || !info.stdout.trim()) throw daemonDownError(info.stderr);
  if (compose.code !== 0) {
    throw new AsymmetricError('COMPOSE_UNAVAILABLE', 'Docker Compose v2 (`docker compose`) is not installed', {
      hint: 'install the docker-compose-plugin package (or Docker Desktop); on Debian, scripts/ensure-docker.sh installs it',
    });
  }
  return { serverVersion: info.stdout.trim(), composeVersion: compose.stdout.trim().replace(/^v/, ''), buildkit: buildx.code === 0 };
}

/** Parse `docker compose ps --format json`: an array before Compose 2.21, one object per line after. */
export function parseJsonLines<T>(text: string): T[] {
  const trimmed = text.trim();
  if (!trimmed) return [];
  if (trimmed.startsWith('[')) return JSON.parse(trimmed) as T[];
  return trimmed.split('\n').filter(Boolean).map((line) => JSON.parse(line) as T);
}

export { docker };
