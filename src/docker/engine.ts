import { composeMissingError, daemonDownError, docker, run } from './spawn.ts';

export interface EngineInfo {
  serverVersion: string;
}

let cached: Promise<EngineInfo> | undefined;

/**
 * Check once per process that an engine answers. One `docker version` only: it runs on
 * every verb, so Compose and BuildKit are probed where they are needed (composeVersion,
 * hasBuildKit), and a missing Compose plugin is named by the first compose call.
 */
export function ensureEngine(): Promise<EngineInfo> {
  cached ??= probe().catch((e) => {
    cached = undefined;
    throw e;
  });
  return cached;
}

async function probe(): Promise<EngineInfo> {
  const info = await run(['docker', 'version', '--format', '{{.Server.Version}}'], { timeoutMs: 15_000 });
  if (info.code !== 0 || !info.stdout.trim()) throw daemonDownError(info.stderr);
  return { serverVersion: info.stdout.trim() };
}

export async function composeVersion(): Promise<string> {
  const res = await run(['docker', 'compose', 'version', '--short'], { timeoutMs: 15_000 });
  if (res.code !== 0) throw composeMissingError();
  return res.stdout.trim().replace(/^v/, '');
}

let buildkit: Promise<boolean> | undefined;

/** Whether `docker build` may use BuildKit (the buildx plugin); else the legacy builder. */
export function hasBuildKit(): Promise<boolean> {
  buildkit ??= run(['docker', 'buildx', 'version'], { timeoutMs: 15_000 }).then((r) => r.code === 0);
  return buildkit;
}

/** Parse `docker compose ps --format json`: an array before Compose 2.21, one object per line after. */
export function parseJsonLines<T>(text: string): T[] {
  const trimmed = text.trim();
  if (!trimmed) return [];
  if (trimmed.startsWith('[')) return JSON.parse(trimmed) as T[];
  return trimmed.split('\n').filter(Boolean).map((line) => JSON.parse(line) as T);
}

export { docker };
