/**
 * One state-changing operation at a time per clone. Every verb that changes a clone's
 * containers, database or Redis keys (spin, start, stop, destroy, seed, reset, snapshot,
 * snapshot rm, restore, upgrade) holds `<home>/locks/<id>.lock` while it runs.
 *
 * - A second verb on a busy clone waits for it (ASYM_LOCK_TIMEOUT_MS, default 60 s), then
 *   fails with CLONE_BUSY naming the holder and what it is doing.
 * - A lock whose holder died (kill -9, crash) is not taken over silently: the clone may be
 *   mid-swap. Verbs answer CLONE_INTERRUPTED and point at `asym doctor --fix`, which reads
 *   the lock's `op` to finish or roll back what was interrupted, then removes the lock.
 */
import { readdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { AsymmetricError } from '../contract/errors.ts';
import { sleepInterruptible } from '../process/interrupt.ts';
import { ensurePrivateDir, homePath } from './home.ts';
import { isStale, readHolder, tryLock, type Holder } from './lock.ts';

export function locksDir(): string {
  return homePath('locks');
}

export function cloneLockPath(id: string): string {
  return join(locksDir(), `${id}.lock`);
}

function lockTimeoutMs(): number {
  const n = Number(process.env.ASYM_LOCK_TIMEOUT_MS);
  return Number.isFinite(n) && n >= 0 ? n : 60_000;
}

export function interruptedLockError(id: string, holder: Holder | null): AsymmetricError {
  const what = holder?.op ? `${holder.op}${holder.detail ? ` ${holder.detail}` : ''}` : 'an operation';
  return new AsymmetricError('CLONE_INTERRUPTED', `clone ${id} was left mid-${what}: its asym process${holder ? ` (pid ${holder.pid})` : ''} died`, {
    hint: 'run asym doctor --fix: it finishes or rolls back the interrupted operation',
    details: { op: holder?.op ?? null, pid: holder?.pid ?? null, since: holder?.at ?? null },
  });
}

export interface CloneLockOptions {
  /** Extra words about the operation (a snapshot's name), kept in the lock for doctor. */
  detail?: string;
  timeoutMs?: number;
}

export async function withCloneLock<T>(id: string, op: string, fn: () => Promise<T>, opts: CloneLockOptions = {}): Promise<T> {
  ensurePrivateDir(locksDir());
  const path = cloneLockPath(id);
  const deadline = Date.now() + (opts.timeoutMs ?? lockTimeoutMs());
  let wait = 20;
  while (!tryLock(path, { op, ...(opts.detail ? { detail: opts.detail } : {}) })) {
    const info = readHolder(path);
    if (!info) continue; // released between our attempt and the read
    if (isStale(info)) throw interruptedLockError(id, info.holder);
    if (Date.now() > deadline) {
      const h = info.holder;
      throw new AsymmetricError('CLONE_BUSY', `clone ${id} is busy: ${h?.op ?? 'another operation'} by process ${h?.pid ?? '?'} since ${h?.at ?? '?'}`, {
        hint: 'wait for it to finish and retry (ASYM_LOCK_TIMEOUT_MS sets how long verbs wait)',
        details: { op: h?.op ?? null, pid: h?.pid ?? null },
      });
    }
    await sleepInterruptible(wait);
    wait = Math.min(wait * 2, 250);
  }
  try {
    return await fn();
  } finally {
    releaseCloneLock(id);
  }
}

export function releaseCloneLock(id: string): void {
  try {
    unlinkSync(cloneLockPath(id));
  } catch {}
}

/** Locks whose holder is dead: operations doctor must finish or roll back. */
export function staleCloneLocks(): { id: string; holder: Holder | null }[] {
  let files: string[];
  try {
    files = readdirSync(locksDir());
  } catch {
    return [];
  }
  const out: { id: string; holder: Holder | null }[] = [];
  for (const f of files) {
    if (!f.endsWith('.lock')) continue;
    const info = readHolder(join(locksDir(), f));
    if (info && isStale(info)) out.push({ id: f.slice(0, -'.lock'.length), holder: info.holder });
  }
  return out;
}
