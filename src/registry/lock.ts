/**
 * A cross-process lock file (nuxt/cli style): created with O_EXCL ("wx"), holding the
 * owner's pid and host. A lock whose holder on this host is dead, or one older than
 * STALE_FOREIGN_MS from another host, is stale. Taking over a stale lock happens under a
 * short-lived second lock, and only after re-reading that the stale holder is still the
 * one we judged dead, so two processes can never both remove a lock and both win.
 */
import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { AsymmetricError } from '../contract/errors.ts';
import { ownerAlive, selfOwner, type ProcessOwner } from '../process/owner.ts';

const STALE_FOREIGN_MS = 60_000;
const TAKEOVER_STALE_MS = 5_000;

export interface Holder extends ProcessOwner {
  at: string;
  /** What the holder is doing (clone locks: the verb), for messages and doctor. */
  op?: string;
  detail?: string;
}

function tryCreate(path: string, extra: { op?: string; detail?: string } = {}): boolean {
  try {
    const fd = openSync(path, 'wx', 0o600);
    const holder: Holder = { ...selfOwner(), at: new Date().toISOString(), ...extra };
    writeSync(fd, JSON.stringify(holder));
    closeSync(fd);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new AsymmetricError('INTERNAL', `cannot create lock file ${path}: ${(e as Error).message}`, { cause: e });
  }
}

export function readHolder(path: string): { holder: Holder | null; raw: string; mtimeMs: number } | null {
  try {
    const raw = readFileSync(path, 'utf8');
    const mtimeMs = statSync(path).mtimeMs;
    try {
      const parsed = JSON.parse(raw) as Holder;
      return { holder: typeof parsed?.pid === 'number' ? parsed : null, raw, mtimeMs };
    } catch {
      // A holder crashed between create and write: an empty or partial lock file.
      return { holder: null, raw, mtimeMs };
    }
  } catch {
    return null;
  }
}

export function isStale(info: { holder: Holder | null; mtimeMs: number }): boolean {
  const age = Date.now() - info.mtimeMs;
  if (!info.holder) return age > TAKEOVER_STALE_MS;
  if (info.holder.host === hostname()) return !ownerAlive(info.holder);
  return age > STALE_FOREIGN_MS;
}

export function removeIfStillStale(path: string, seenRaw: string): void {
  const guard = `${path}.takeover`;
  if (!tryCreate(guard)) {
    const g = readHolder(guard);
    if (g && isStale(g)) {
      try {
        unlinkSync(guard);
      } catch {}
    }
    return;
  }
  try {
    const now = readHolder(path);
    if (now && now.raw === seenRaw && isStale(now)) unlinkSync(path);
  } finally {
    try {
      unlinkSync(guard);
    } catch {}
  }
}

export interface LockOptions {
  timeoutMs?: number;
}

/** One attempt at a lock, for callers with their own waiting policy (clone locks). */
export function tryLock(path: string, extra: { op?: string; detail?: string } = {}): boolean {
  return tryCreate(path, extra);
}

export async function withLock<T>(path: string, fn: () => Promise<T> | T, opts: LockOptions = {}): Promise<T> {
  const deadline = Date.now() + (opts.timeoutMs ?? 15_000);
  let wait = 2;
  while (!tryCreate(path)) {
    const info = readHolder(path);
    if (info && isStale(info)) {
      removeIfStillStale(path, info.raw);
      continue;
    }
    if (Date.now() > deadline) {
      const who = info?.holder ? `process ${info.holder.pid} on ${info.holder.host}` : 'another process';
      throw new AsymmetricError('REGISTRY_LOCKED', `the registry is locked by ${who}`, {
        hint: `wait for it to finish; if no asym command is running, remove ${path}`,
      });
    }
    await Bun.sleep(wait + Math.random() * wait);
    wait = Math.min(wait * 2, 50);
  }
  try {
    return await fn();
  } finally {
    try {
      unlinkSync(path);
    } catch {}
  }
}
