/**
 * ~/.asymmetric/registry.json: the CLI's record of every clone and environment.
 *
 * Invariants: the directory is 0700 and the file 0600 whatever the umask; every write is
 * a temp file renamed into place, so a reader sees the old file or the new one, never
 * half of one; every read-modify-write runs under a cross-process lock, so concurrent
 * commands never lose each other's updates; a file that cannot be parsed is reported
 * (REGISTRY_CORRUPT, with its path) and left exactly as it is, never "repaired".
 */
import * as v from 'valibot';
import { chmodSync, closeSync, fsyncSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { AsymmetricError } from '../contract/errors.ts';
import { RegistryFileSchema, emptyRegistry, type RegistryFile } from '../contract/registry-file.ts';
import type { CloneRecord } from '../contract/clone.ts';
import { asymHome, ensureHome } from './home.ts';
import { withLock } from './lock.ts';
import { isV1, migrateV1 } from './migrate.ts';
import { leaveEnvironments } from '../env/membership.ts';

export function registryPath(): string {
  return join(asymHome(), 'registry.json');
}

function corrupt(path: string, why: string, cause?: unknown): AsymmetricError {
  return new AsymmetricError('REGISTRY_CORRUPT', `the registry at ${path} cannot be read: ${why}`, {
    hint: `asym will not overwrite it. Inspect or fix it by hand, or move it aside (mv ${path} ${path}.bak) to start afresh`,
    cause,
  });
}

export function parseRegistry(text: string, path = registryPath()): RegistryFile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw corrupt(path, 'it is not valid JSON', e);
  }
  if (isV1(raw)) return migrateV1(raw);
  const parsed = v.safeParse(RegistryFileSchema, raw);
  if (!parsed.success) {
    const issue = parsed.issues[0];
    const where = issue ? v.getDotPath(issue) : null;
    throw corrupt(path, `${where ? `${where}: ` : ''}${issue?.message ?? 'unexpected shape'}`);
  }
  return parsed.output;
}

/** Read without locking: a consistent snapshot thanks to atomic renames. */
export function readRegistry(): RegistryFile {
  const path = registryPath();
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return emptyRegistry();
    throw new AsymmetricError('INTERNAL', `cannot read ${path}: ${(e as Error).message}`, { cause: e });
  }
  return parseRegistry(text, path);
}

/** Temp file in the same directory, fsync, rename: readers see the old file or the new one. */
export function writeAtomic(path: string, data: string): void {
  const tmp = `${path}.${process.pid}.${Date.now().toString(36)}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    chmodSync(tmp, 0o600);
    renameSync(tmp, path);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {}
    throw new AsymmetricError('INTERNAL', `cannot write ${path}: ${(e as Error).message}`, { cause: e });
  }
}

/**
 * Read-modify-write under the lock. `fn` mutates the registry it is given (or returns a
 * value); the result is validated before it is written, so a bug cannot persist a record
 * that the next read would call corrupt.
 */
export async function updateRegistry<T>(fn: (reg: RegistryFile) => T | Promise<T>): Promise<T> {
  ensureHome();
  const path = registryPath();
  return withLock(`${path}.lock`, async () => {
    const reg = readRegistry();
    const result = await fn(reg);
    const checked = v.safeParse(RegistryFileSchema, reg);
    if (!checked.success) {
      const issue = checked.issues[0];
      throw new AsymmetricError('INTERNAL', `refusing to write an invalid registry: ${issue ? v.getDotPath(issue) : ''} ${issue?.message}`);
    }
    writeAtomic(path, `${JSON.stringify(checked.output, null, 2)}\n`);
    return result;
  });
}

export function findClone(reg: RegistryFile, id: string): CloneRecord | undefined {
  return reg.clones.find((c) => c.id === id);
}

export function requireClone(reg: RegistryFile, id: string): CloneRecord {
  const clone = findClone(reg, id);
  if (!clone) {
    const known = reg.clones.map((c) => c.id);
    throw new AsymmetricError('CLONE_NOT_FOUND', `no clone named ${id}`, {
      hint: known.length ? `known clones: ${known.join(', ')} (asym ls)` : 'no clones yet; create one with asym spin',
    });
  }
  return clone;
}

export function getClone(id: string): CloneRecord {
  return requireClone(readRegistry(), id);
}

/** Update one clone record under the lock; returns the updated copy. */
export async function patchClone(id: string, patch: Partial<CloneRecord> | ((c: CloneRecord) => void)): Promise<CloneRecord> {
  return updateRegistry((reg) => {
    const clone = requireClone(reg, id);
    if (typeof patch === 'function') patch(clone);
    else Object.assign(clone, patch);
    clone.updatedAt = new Date().toISOString();
    return structuredClone(clone);
  });
}

/** Remove a clone's record and its environment memberships (the last step of a destroy). */
export async function forgetClone(id: string): Promise<void> {
  await updateRegistry((reg) => {
    reg.clones = reg.clones.filter((c) => c.id !== id);
    leaveEnvironments(reg, id);
  });
}
