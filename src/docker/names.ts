import { createHash, randomBytes } from 'node:crypto';
import { asymHome } from '../registry/home.ts';

/** Every name a clone owns derives from its id, so cleanup can find them without state. */
export const DB_PREFIX = 'asym_';

export function composeProjectName(id: string): string {
  return `asym-${id}`;
}
export function databaseName(id: string): string {
  return `${DB_PREFIX}${id.replace(/-/g, '_')}`;
}
/** The database owner role; same name as the database. */
export function roleName(id: string): string {
  return databaseName(id);
}
export function redisPrefixFor(id: string): string {
  return `asym:${id}:`;
}
/** The copy taken right after spin (+seed) that reset restores. */
export function pristineName(id: string): string {
  return `${databaseName(id)}__pristine`;
}
/** Snapshot databases are named by a hash of the snapshot name, to fit Postgres' 63 bytes. */
export function snapshotDbName(id: string, snapshot: string): string {
  return `${databaseName(id)}__s_${createHash('sha256').update(snapshot).digest('hex').slice(0, 10)}`;
}
/** Where a clone's snapshots keep their Redis keys: outside its prefix, so it never sees them. */
export function snapshotsRedisPrefix(id: string): string {
  return `asym-snap:${id}:`;
}
export function snapshotRedisPrefix(id: string, snapshot: string): string {
  return `${snapshotsRedisPrefix(id)}${snapshot}:`;
}
/** All databases of a clone share `asym_<id>` and, past it, only `__…` suffixes. */
export function ownsDatabase(id: string, db: string): boolean {
  const base = databaseName(id);
  return db === base || db.startsWith(`${base}__`);
}

export function generateId(template: string): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = randomBytes(6);
  let suffix = '';
  for (const b of bytes) suffix += alphabet[b % alphabet.length];
  return `${template}-${suffix}`;
}

export function newSecret(bytes = 24): string {
  return randomBytes(bytes).toString('base64url');
}

/** The clone's database password, derived from its admin secret so one secret is stored. */
export function dbPassword(adminSecret: string): string {
  return createHash('sha256').update(`${adminSecret}:postgres`).digest('hex').slice(0, 32);
}

/** A short stable identity of the current ASYM_HOME, stamped on labels and database comments. */
export function homeId(): string {
  return createHash('sha256').update(asymHome()).digest('hex').slice(0, 12);
}
