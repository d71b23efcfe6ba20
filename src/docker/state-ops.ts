/**
 * Reset, snapshot and restore are database operations, not container rebuilds: the clone
 * releases its pool, its database is swapped for a copy (built under a temporary name with
 * CREATE DATABASE … TEMPLATE, then renamed into place in one transaction, so the clone has
 * a complete database at every instant), and its Redis prefix is cleared or restored in
 * one atomic script. Containers keep running. The caller holds the clone's lock.
 *
 * A snapshot is listed only once its metadata file has been renamed into place, which
 * happens after its database and Redis copies are complete: a crash midway leaves at
 * most an unlisted database (reclaimed on the next attempt, or by doctor), never a half
 * snapshot that restore would use.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AsymmetricError } from '../contract/errors.ts';
import type { CloneRecord } from '../contract/clone.ts';
import { patchClone } from '../registry/registry.ts';
import { faultPoint } from '../process/faults.ts';
import { withPgAdmin as withPg } from './clone-resources.ts';
import { ensureInfra } from './infra.ts';
import { namesOf, ownerStamp } from './names.ts';
import type { PgAdmin } from './postgres-admin.ts';
import { copyRedisPrefix, deleteRedisPrefix, replaceRedisPrefix } from './redis-admin.ts';
import { cloneDir, notRunning, type LocalDockerProvider } from './provider.ts';

export type { SnapshotMeta } from '../contract/diff.ts';
import type { SnapshotMeta } from '../contract/diff.ts';

const SNAPSHOT_NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/i;

function snapshotsDir(id: string): string {
  return join(cloneDir(id), 'snapshots');
}

function checkName(name: string): void {
  if (!SNAPSHOT_NAME.test(name)) {
    throw new AsymmetricError('INVALID_INPUT', `bad snapshot name ${JSON.stringify(name)}`, { hint: 'use letters, digits, dots, dashes and underscores (max 63)' });
  }
}

function usable(record: CloneRecord): void {
  if (record.state !== 'running' && record.state !== 'stopped' && record.state !== 'unhealthy') throw notRunning(record);
}

/** Ask a running clone to drop its connections and caches before its database is swapped. */
async function release(provider: LocalDockerProvider, record: CloneRecord): Promise<void> {
  if (record.state === 'stopped') return;
  await provider.admin(record).release();
}

/**
 * After a swap: ask the running clone to reopen its pool now (best effort; an older image
 * answers 404 and simply reconnects on its first request instead).
 */
async function warm(provider: LocalDockerProvider, record: CloneRecord): Promise<void> {
  if (record.state === 'stopped') return;
  await provider.admin(record).call('warm', {}, 10_000).catch(() => undefined);
}

/** Replace the clone's database with a copy of `source`, complete at every instant. */
async function swapDatabase(pg: PgAdmin, record: CloneRecord, source: string, meanwhile?: () => Promise<void>): Promise<void> {
  const names = namesOf(record);
  await pg.replaceDatabase(source, record.database, names.role, { incoming: names.incoming(record.database), outgoing: names.outgoing(record.database) }, ownerStamp(record.id), { meanwhile });
}

export async function resetClone(provider: LocalDockerProvider, record: CloneRecord): Promise<void> {
  usable(record);
  const infra = await ensureInfra();
  await withPg(infra, async (pg) => {
    if (!(await pg.databaseExists(namesOf(record).pristine))) {
      throw new AsymmetricError('NOT_SUPPORTED', `clone ${record.id} has no pristine copy to reset to`, {
        hint: 'it was created by an older asym; destroy and spin it again',
      });
    }
    await release(provider, record);
    await swapDatabase(pg, record, namesOf(record).pristine, () => warm(provider, record));
  });
  await faultPoint('reset:database');
  await deleteRedisPrefix(infra, record.redisPrefix);
  await patchClone(record.id, { syncedAt: new Date().toISOString() });
}


export async function snapshotClone(provider: LocalDockerProvider, record: CloneRecord, name: string): Promise<SnapshotMeta> {
  checkName(name);
  usable(record);
  const dir = snapshotsDir(record.id);
  if (existsSync(join(dir, `${name}.json`))) {
    throw new AsymmetricError('SNAPSHOT_EXISTS', `clone ${record.id} already has a snapshot ${name}`, { hint: `remove it first: asym snapshot rm ${record.id} ${name}` });
  }
  const infra = await ensureInfra();
  const names = namesOf(record);
  const db = names.snapshotDb(name);
  const clash = listSnapshots(record.id).find((s) => s.database === db);
  if (clash) {
    throw new AsymmetricError('SNAPSHOT_EXISTS', `snapshot names ${name} and ${clash.name} map to the same database`, { hint: 'pick another name' });
  }
  await withPg(infra, async (pg) => {
    await pg.dropOwnedDatabase(db, ownerStamp(record.id)); // leftover of an interrupted attempt
    await release(provider, record);
    await pg.copyDatabase(record.database, db, names.role);
  });
  await warm(provider, record);
  await faultPoint('snapshot:database');
  const redisKeys = await copyRedisPrefix(infra, record.redisPrefix, names.snapshotRedisPrefix(name));
  await faultPoint('snapshot:redis');
  const meta: SnapshotMeta = { name, clone: record.id, database: db, createdAt: new Date().toISOString(), redisKeys };
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tmp = join(dir, `.${name}.json.${process.pid}.tmp`);
  writeFileSync(tmp, JSON.stringify(meta, null, 2), { mode: 0o600 });
  renameSync(tmp, join(dir, `${name}.json`));
  return meta;
}

export function listSnapshots(id: string): SnapshotMeta[] {
  const dir = snapshotsDir(id);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json') && !f.startsWith('.'))
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as SnapshotMeta)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

export function requireSnapshot(id: string, name: string): SnapshotMeta {
  const found = listSnapshots(id).find((s) => s.name === name);
  if (!found) {
    const names = listSnapshots(id).map((s) => s.name);
    throw new AsymmetricError('SNAPSHOT_NOT_FOUND', `clone ${id} has no snapshot ${name}`, {
      hint: names.length ? `snapshots: ${names.join(', ')}` : `take one: asym snapshot ${id} <name>`,
    });
  }
  return found;
}

export async function restoreClone(provider: LocalDockerProvider, record: CloneRecord, name: string): Promise<void> {
  usable(record);
  const meta = requireSnapshot(record.id, name);
  const infra = await ensureInfra();
  await withPg(infra, async (pg) => {
    if (!(await pg.databaseExists(meta.database))) {
      throw new AsymmetricError('SNAPSHOT_NOT_FOUND', `the database of snapshot ${name} is missing`, { hint: 'asym doctor reports what happened to it' });
    }
    await release(provider, record);
    await swapDatabase(pg, record, meta.database, () => warm(provider, record));
  });
  await faultPoint('restore:database');
  await replaceRedisPrefix(infra, namesOf(record).snapshotRedisPrefix(name), record.redisPrefix);
  await patchClone(record.id, { syncedAt: new Date().toISOString() });
}

export async function removeSnapshot(record: CloneRecord, name: string): Promise<void> {
  const meta = requireSnapshot(record.id, name);
  const dir = snapshotsDir(record.id);
  // Unlist first: a crash after this leaves an orphan database, never a listed ghost.
  rmSync(join(dir, `${name}.json`), { force: true });
  await faultPoint('snapshot-rm:unlisted');
  const infra = await ensureInfra();
  await withPg(infra, (pg) => pg.dropOwnedDatabase(meta.database, ownerStamp(record.id)));
  await deleteRedisPrefix(infra, namesOf(record).snapshotRedisPrefix(name));
}
