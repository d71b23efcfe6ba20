import { SQL } from 'bun';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBundle } from '../../src/docker/bundle.ts';
import { resolveSettings } from '../../src/settings/settings.ts';

/**
 * Runs any template's server on the host (its src/server.ts under bun, no image, no CLI)
 * against one Postgres and one Redis container shared by every caller in this test process.
 * Each call gets its own database, Redis prefix, port and admin secret, is provisioned and,
 * if asked, seeded with a fixture pack. The server is the template's one-file bundle (what its
 * image runs, rebuilt from src/ when older, src/docker/bundle.ts), so it starts in tens of ms.
 * The containers use the configured base images (the environment, i.e. .env, over the
 * defaults; never ~/.asymmetric), are labelled asym.clone=test-host, uniquely named, started
 * once per test run (`bun test` runs every file in one process) and removed when it ends.
 *
 * What it answers looks like the parts of `asym spin --json` a test of the HTTP API reads
 * (`endpoints.api`, `tokens`, `adminSecret`), so the suites' helpers take either. Whatever
 * goes through the CLI (seed, reset, snapshot, the image) needs a real spin.
 */

export interface HostClone<T = Record<string, string>> {
  id: string;
  template: string;
  endpoints: { api: string };
  tokens: T;
  adminSecret: string;
  databaseUrl: string;
  /** The shared Redis and this clone's key prefix (every key it writes starts with it). */
  redisUrl: string;
  redisPrefix: string;
  /** The seed answer ({written, rejected, …}) when a fixture was asked for. */
  seeded?: { written: number; rejected: number };
  stop(): Promise<void>;
}

/** Named so a failed start reads clearly (and no bare Error is thrown). */
export class TemplateHostError extends Error {
  override name = 'TemplateHostError';
}

interface Infra {
  pgUrl: string;
  redisUrl: string;
}

const ROOT = join(import.meta.dir, '..', '..');
const LABEL = 'asym.clone=test-host';
let infra: Promise<Infra> | null = null;

/**
 * One Postgres for the whole run, removed once this process is gone: bun test runs no exit
 * hook, so a watcher in its own session (a Ctrl-C of the run does not reach it) waits for the
 * test process to end, however it ends, then removes the containers.
 */
function removeWhenGone(containers: string[]): void {
  const script = `while kill -0 ${process.pid} 2>/dev/null; do sleep 0.5; done; docker rm -f -v ${containers.join(' ')} >/dev/null 2>&1`;
  Bun.spawn(['setsid', 'sh', '-c', script], { stdin: 'ignore', stdout: 'ignore', stderr: 'ignore' }).unref();
}

async function sh(args: string[]): Promise<string> {
  const p = Bun.spawn(args, { stdout: 'pipe', stderr: 'pipe' });
  const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
  if (code !== 0) throw new TemplateHostError(`${args.join(' ')} failed (${code}): ${err.trim()}`);
  return out.trim();
}

async function hostPort(name: string, port: number): Promise<number> {
  const out = await sh(['docker', 'port', name, `${port}/tcp`]);
  const m = /:(\d+)\s*$/m.exec(out.split('\n')[0] ?? '');
  return Number(m?.[1]);
}

/** The base images as the CLI would resolve them, from the environment only (no settings file is read). */
export function hostImages(): { postgres: string; redis: string } {
  const s = resolveSettings(process.env, { version: 1 });
  return { postgres: s.postgresImage.value, redis: s.redisImage.value };
}

async function startInfra(): Promise<Infra> {
  const id = `${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const pg = `asym-test-pg-${id}`;
  const redis = `asym-test-redis-${id}`;
  const images = hostImages();
  const containers: string[] = [];
  try {
    // A throwaway database on tmpfs: initdb and every CREATE DATABASE skip the disk.
    await sh(['docker', 'run', '-d', '--label', LABEL, '--name', pg, '--tmpfs', '/var/lib/postgresql/data', '-e', 'POSTGRES_PASSWORD=pw', '-p', '127.0.0.1:0:5432', images.postgres, 'postgres', '-c', 'fsync=off', '-c', 'max_connections=300']);
    containers.push(pg);
    await sh(['docker', 'run', '-d', '--label', LABEL, '--name', redis, '-p', '127.0.0.1:0:6379', images.redis]);
    containers.push(redis);
    removeWhenGone(containers);
    const pgUrl = `postgres://postgres:pw@127.0.0.1:${await hostPort(pg, 5432)}`;
    const redisUrl = `redis://127.0.0.1:${await hostPort(redis, 6379)}`;
    const deadline = Date.now() + 30_000;
    for (;;) {
      const sql = new SQL(`${pgUrl}/postgres`, { max: 1, connectionTimeout: 2 });
      try {
        await sql`select 1`;
        await sql.close();
        break;
      } catch (e) {
        await sql.close().catch(() => undefined);
        if (Date.now() > deadline) throw new TemplateHostError(`postgres (${images.postgres}) never answered: ${e}`);
        await Bun.sleep(200);
      }
    }
    return { pgUrl, redisUrl };
  } catch (e) {
    if (containers.length) await sh(['docker', 'rm', '-f', '-v', ...containers]).catch(() => undefined);
    throw e;
  }
}

async function freePort(): Promise<number> {
  const s = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: () => new Response() });
  const port = s.port as number;
  await s.stop(true);
  return port;
}

async function adminSql<T>(pgUrl: string, fn: (sql: SQL) => Promise<T>): Promise<T> {
  const sql = new SQL(`${pgUrl}/postgres`, { max: 1 });
  try {
    return await fn(sql);
  } finally {
    await sql.close();
  }
}

export interface HostOptions {
  /** A fixture pack to load after provision (POST /__asym/seed {fixture}). */
  fixture?: string;
}

export async function startTemplateOnHost<T = Record<string, string>>(template: string, opts: HostOptions = {}): Promise<HostClone<T>> {
  if (!/^[a-z][a-z0-9-]*$/.test(template)) throw new TemplateHostError(`not a template name: ${template}`);
  infra ??= startInfra();
  let inf: Infra;
  try {
    inf = await infra;
  } catch (e) {
    infra = null;
    throw e;
  }
  const dir = join(ROOT, 'templates', template);
  await ensureBundle(join(ROOT, 'templates'), dir, join(dir, 'Dockerfile'));
  const bundle = join(dir, 'dist', 'server.js');
  const server = existsSync(bundle) ? bundle : join(dir, 'src', 'server.ts');
  const suffix = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 7)}`;
  const dbName = `${template.replace(/-/g, '_')}_${suffix}`;
  await adminSql(inf.pgUrl, (sql) => sql.unsafe(`create database ${dbName}`));
  const port = await freePort();
  const apiUrl = `http://127.0.0.1:${port}`;
  const adminSecret = `admin-${suffix}`;
  const databaseUrl = `${inf.pgUrl}/${dbName}`;
  const redisPrefix = `${template}-${suffix}`;
  const proc = Bun.spawn(['bun', server], {
    env: {
      ...process.env,
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      REDIS_URL: inf.redisUrl,
      REDIS_PREFIX: redisPrefix,
      ASYM_ADMIN_SECRET: adminSecret,
      ASYM_PUBLIC_URL: apiUrl,
      ASYM_CLONE_ID: `test-${suffix}`,
    },
    stdout: process.env.ASYM_TEST_LOGS ? 'inherit' : 'ignore',
    stderr: 'inherit',
  });

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    proc.kill('SIGTERM');
    await Promise.race([proc.exited, Bun.sleep(2000)]);
    if (proc.exitCode === null) proc.kill('SIGKILL');
    await adminSql(inf.pgUrl, (sql) => sql.unsafe(`drop database if exists ${dbName} with (force)`)).catch(() => undefined);
  };

  const admin = async (path: string, body?: unknown) => {
    const res = await fetch(`${apiUrl}/__asym/${path}`, {
      method: 'POST',
      headers: { 'x-asym-admin': adminSecret, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (res.status !== 200) throw new TemplateHostError(`${template} ${path} answered ${res.status}: ${await res.text()}`);
    return res.json();
  };

  try {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const ok = await fetch(`${apiUrl}/__asym/health`).then((r) => r.status === 200, () => false);
      if (ok) break;
      if (proc.exitCode !== null) throw new TemplateHostError(`${template} server exited with ${proc.exitCode}`);
      if (Date.now() > deadline) throw new TemplateHostError(`${template} server never became healthy`);
      await Bun.sleep(50);
    }
    const tokens = (await admin('provision')) as T;
    const seeded = opts.fixture ? ((await admin('seed', { fixture: opts.fixture })) as HostClone['seeded']) : undefined;
    return { id: `test-${suffix}`, template, endpoints: { api: apiUrl }, tokens, adminSecret, databaseUrl, redisUrl: inf.redisUrl, redisPrefix, seeded, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
