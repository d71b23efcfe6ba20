import { SQL } from 'bun';
import { join } from 'node:path';

/**
 * Runs the Slack template's server on the host (bun, no image) against a Postgres and a
 * Redis container shared by every caller in this test process. Each call gets its own
 * database, Redis prefix, port and admin secret, then is provisioned. The containers are
 * labelled asym.clone=test-host, uniquely named, and removed when the last user stops.
 *
 * `apiUrl` is the clone's base URL (like CloneInstance.endpoints.api); the Slack SDK wants
 * `${apiUrl}/api/` (the manifest's sdk.baseUrlSuffix).
 */

export interface SlackTokens {
  appId: string;
  workspaceId: string;
  botUserId: string;
  adminUserId: string;
  botToken: string;
  userToken: string;
  botId: string;
  signingSecret: string;
  generalChannelId: string;
}

export interface SlackHost {
  apiUrl: string;
  tokens: SlackTokens;
  adminSecret: string;
  databaseUrl: string;
  stop(): Promise<void>;
}

interface Infra {
  pgUrl: string;
  redisUrl: string;
  containers: string[];
}

/** Named so a failed start reads clearly (and no bare Error is thrown). */
export class SlackHostError extends Error {
  override name = 'SlackHostError';
}

const ROOT = join(import.meta.dir, '..', '..');
const LABEL = 'asym.clone=test-host';
let infra: Promise<Infra> | null = null;
let users = 0;

async function sh(args: string[]): Promise<string> {
  const p = Bun.spawn(args, { stdout: 'pipe', stderr: 'pipe' });
  const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
  if (code !== 0) throw new SlackHostError(`${args.join(' ')} failed (${code}): ${err.trim()}`);
  return out.trim();
}

async function hostPort(name: string, port: number): Promise<number> {
  const out = await sh(['docker', 'port', name, `${port}/tcp`]);
  const m = /:(\d+)\s*$/m.exec(out.split('\n')[0] ?? '');
  return Number(m?.[1]);
}

async function startInfra(): Promise<Infra> {
  const id = `${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const pg = `asym-test-pg-${id}`;
  const redis = `asym-test-redis-${id}`;
  await sh(['docker', 'run', '-d', '--label', LABEL, '--name', pg, '-e', 'POSTGRES_PASSWORD=pw', '-p', '127.0.0.1:0:5432', 'asym-local/postgres:15', 'postgres', '-c', 'fsync=off', '-c', 'max_connections=300']);
  await sh(['docker', 'run', '-d', '--label', LABEL, '--name', redis, '-p', '127.0.0.1:0:6379', 'asym-local/redis:7']);
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
      if (Date.now() > deadline) throw e;
      await Bun.sleep(200);
    }
  }
  return { pgUrl, redisUrl, containers: [pg, redis] };
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

export async function startSlackOnHost(): Promise<SlackHost> {
  const h = await startTemplateOnHost<SlackTokens>('slack');
  return { apiUrl: h.apiUrl, tokens: h.provisioned, adminSecret: h.adminSecret, databaseUrl: h.databaseUrl, stop: h.stop };
}

export interface TemplateHost<P> {
  apiUrl: string;
  /** What POST /__asym/provision answered (tokens and ids). */
  provisioned: P;
  adminSecret: string;
  databaseUrl: string;
  stop(): Promise<void>;
}

/** Any template's server on the host, on the shared test infra (see the top of this file). */
export async function startTemplateOnHost<P = Record<string, unknown>>(template: string): Promise<TemplateHost<P>> {
  users++;
  infra ??= startInfra();
  let inf: Infra;
  try {
    inf = await infra;
  } catch (e) {
    users--;
    infra = null;
    throw e;
  }
  const suffix = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 7)}`;
  const dbName = `${template}_${suffix}`;
  await adminSql(inf.pgUrl, (sql) => sql.unsafe(`create database ${dbName}`));
  const port = await freePort();
  const apiUrl = `http://127.0.0.1:${port}`;
  const adminSecret = `admin-${suffix}`;
  const databaseUrl = `${inf.pgUrl}/${dbName}`;
  const proc = Bun.spawn(['bun', join(ROOT, `templates/${template}/src/server.ts`)], {
    env: {
      ...process.env,
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      REDIS_URL: inf.redisUrl,
      REDIS_PREFIX: `${template}-${suffix}`,
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
    users--;
    if (users === 0 && infra) {
      infra = null;
      await sh(['docker', 'rm', '-f', '-v', ...inf.containers]).catch(() => undefined);
    }
  };

  try {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const ok = await fetch(`${apiUrl}/__asym/health`).then((r) => r.status === 200, () => false);
      if (ok) break;
      if (proc.exitCode !== null) throw new SlackHostError(`${template} server exited with ${proc.exitCode}`);
      if (Date.now() > deadline) throw new SlackHostError(`${template} server never became healthy`);
      await Bun.sleep(50);
    }
    const res = await fetch(`${apiUrl}/__asym/provision`, { method: 'POST', headers: { 'x-asym-admin': adminSecret } });
    if (res.status !== 200) throw new SlackHostError(`provision answered ${res.status}: ${await res.text()}`);
    const provisioned = (await res.json()) as P;
    return { apiUrl, provisioned, adminSecret, databaseUrl, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
