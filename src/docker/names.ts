/**
 * Every name a clone owns, derived injectively from (home, clone id).
 *
 * - Clone ids are `[a-z][a-z0-9-]*[a-z0-9]`: no `_`, `.`, `:`. Every name below puts a short
 *   hash of the home (fixed length) first and the id verbatim after it, and separates any
 *   suffix with a character an id cannot contain (`.` for databases, `:` for Redis), so no
 *   two (home, id) pairs share a name, a suffix can never be read as part of another id
 *   (`agent` vs `agent--v2`, `o` vs `o--pristine`), and no clone can name the infra.
 * - Names only say where to look. Before anything is removed its owner stamp is checked
 *   (the `asym.home` label, the database and role comment), so even a hash collision of two
 *   homes could not make one remove the other's resources.
 *
 * Records written by older versions carry their own names (composeProject, database,
 * redisPrefix); `namesOf` falls back to the old derivation for them.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { CloneRecord } from '../contract/clone.ts';
import { asymHome } from '../registry/home.ts';

export const DB_PREFIX = 'asym_';

/** A short stable identity of the current ASYM_HOME, stamped on labels and database comments. */
export function homeId(home = asymHome()): string {
  return createHash('sha256').update(home).digest('hex').slice(0, 12);
}
/** The part of the home identity that goes into names (kept short for Postgres' 63 bytes). */
function homeTag(home?: string): string {
  return homeId(home).slice(0, 8);
}

/** Compose project names that belong to clones: `asym-<8 hex>-<id>`. The infra must not look like one. */
export const CLONE_PROJECT = /^asym-[0-9a-f]{8}-/;

export function composeProjectName(id: string, home?: string): string {
  return `asym-${homeTag(home)}-${id}`;
}
/** The clone's database, also its owner role's name. At most 5 + 8 + 1 + 40 = 54 bytes. */
export function databaseName(id: string, home?: string): string {
  return `${DB_PREFIX}${homeTag(home)}_${id}`;
}
export function redisPrefixFor(id: string, home?: string): string {
  return `asym:${homeTag(home)}:${id}:`;
}

/** The stamp written on a clone's databases and role: who owns it. */
export function ownerStamp(id: string, home = homeId()): string {
  return `asym home=${home} clone=${id}`;
}
export function parseStamp(comment: string | null | undefined): { home: string | null; clone: string | null } {
  const text = String(comment ?? '');
  return { home: /asym home=(\w+)/.exec(text)?.[1] ?? null, clone: /clone=([a-z0-9-]+)/.exec(text)?.[1] ?? null };
}

export interface CloneNames {
  database: string;
  role: string;
  /** The copy taken right after spin (+seed) that reset restores. */
  pristine: string;
  /** Where a replacement is built before it is renamed into place, and where the old one goes. */
  incoming(db: string): string;
  outgoing(db: string): string;
  snapshotDb(snapshot: string): string;
  redisPrefix: string;
  /** Where the clone's snapshots keep their Redis keys: outside its prefix, so it never sees them. */
  snapshotsRedisPrefix: string;
  snapshotRedisPrefix(snapshot: string): string;
  /** Is this database one of the clone's (its own, pristine, snapshots, copies in flight)? */
  ownsDatabase(db: string): boolean;
}

function hash36(s: string, n: number): string {
  return BigInt(`0x${createHash('sha256').update(s).digest('hex').slice(0, 16)}`).toString(36).padStart(n, '0').slice(0, n);
}

/** Names of a clone from its record (so older records keep the names they were made with). */
export function namesOf(record: Pick<CloneRecord, 'id' | 'database' | 'redisPrefix'>): CloneNames {
  // New names keep the id's dashes; old ones replaced them, so the two never coincide.
  if (record.database === `${DB_PREFIX}${record.id.replace(/-/g, '_')}`) return legacyNames(record);
  const db = record.database;
  return {
    database: db,
    role: db,
    pristine: `${db}.p`,
    incoming: (d) => `${d}.n`,
    outgoing: (d) => `${d}.o`,
    // 54 + 2 + 7 = 63 bytes at most; the snapshot's own name lives in its metadata file.
    snapshotDb: (s) => `${db}.s${hash36(s, 7)}`,
    redisPrefix: record.redisPrefix,
    snapshotsRedisPrefix: `asym-snap:${record.redisPrefix.slice('asym:'.length)}`,
    snapshotRedisPrefix: (s) => `asym-snap:${record.redisPrefix.slice('asym:'.length)}${s}:`,
    ownsDatabase: (d) => d === db || d.startsWith(`${db}.`),
  };
}

/** Names of clones made before names carried the home (`asym_<id with _>`, `__` suffixes). */
function legacyNames(record: Pick<CloneRecord, 'id' | 'database' | 'redisPrefix'>): CloneNames {
  const db = record.database;
  return {
    database: db,
    role: db,
    pristine: `${db}__pristine`,
    incoming: (d) => `${d}__n`,
    outgoing: (d) => `${d}__o`,
    snapshotDb: (s) => `${db}__s_${createHash('sha256').update(s).digest('hex').slice(0, 10)}`,
    redisPrefix: record.redisPrefix,
    snapshotsRedisPrefix: `asym-snap:${record.id}:`,
    snapshotRedisPrefix: (s) => `asym-snap:${record.id}:${s}:`,
    ownsDatabase: (d) => d === db || d.startsWith(`${db}__`),
  };
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
