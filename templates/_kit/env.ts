import { dirname, join } from 'node:path';
import { KitError } from './errors.ts';

/**
 * The container environment: the contract between the CLI and every template. The names
 * are fixed; the CLI sets them when it creates a clone's service.
 */
export interface KitEnv {
  port: number;
  databaseUrl: string;
  redisUrl: string | null;
  /** Every Redis key a clone writes starts with this (then a colon). */
  redisPrefix: string;
  adminSecret: string;
  /** Base URL as seen from the host (permalinks, urls in payloads). No trailing slash. */
  publicUrl: string;
  cloneId: string;
  templateDir: string;
  /** Certificate and key files when the clone serves HTTPS (spin --tls); TLS ends in Bun.serve. */
  tls?: { cert: string; key: string };
}

/** `serverFile` is the template's src/server.ts; the template dir is its parent's parent. */
export function readEnv(serverFile: string, source: Record<string, string | undefined> = process.env): KitEnv {
  const port = Number(source.PORT ?? 8080);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) {
    throw new KitError('bad_env', `PORT must be a port number, got ${source.PORT}`);
  }
  const databaseUrl = source.DATABASE_URL;
  if (!databaseUrl) throw new KitError('bad_env', 'DATABASE_URL is required (postgres://...)');
  const adminSecret = source.ASYM_ADMIN_SECRET ?? '';
  if (!adminSecret) throw new KitError('bad_env', 'ASYM_ADMIN_SECRET is required');
  return {
    port,
    databaseUrl,
    redisUrl: source.REDIS_URL || null,
    redisPrefix: source.REDIS_PREFIX || 'asym',
    adminSecret,
    publicUrl: (source.ASYM_PUBLIC_URL || `http://127.0.0.1:${port}`).replace(/\/+$/, ''),
    cloneId: source.ASYM_CLONE_ID || 'local',
    templateDir: source.ASYM_TEMPLATE_DIR || join(dirname(serverFile), '..'),
    ...(source.ASYM_TLS_CERT && source.ASYM_TLS_KEY ? { tls: { cert: source.ASYM_TLS_CERT, key: source.ASYM_TLS_KEY } } : {}),
  };
}
