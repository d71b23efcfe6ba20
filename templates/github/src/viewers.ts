import type { Db } from '../../_kit/db.ts';
import type { UserRow } from './types.ts';

/**
 * The authenticated user's row, cached per user id, so the dispatcher does not read the
 * users table on every request (the token itself is cached by the kit's TokenCache).
 * Dropped with the database (release: reset/restore/snapshot), and by the only writers of
 * an existing user row: PATCH /user and the forced re-seed that deletes fixture users.
 */
const caches = new WeakMap<Db, Map<number, UserRow>>();

function cacheOf(db: Db): Map<number, UserRow> {
  let c = caches.get(db);
  if (!c) {
    const fresh = new Map<number, UserRow>();
    db.onRelease(() => fresh.clear());
    caches.set(db, fresh);
    c = fresh;
  }
  return c;
}

export async function viewerRow(db: Db, userId: number): Promise<UserRow | null> {
  const cache = cacheOf(db);
  const hit = cache.get(userId);
  if (hit) return hit;
  const [row] = await db.q<UserRow>`select * from users where id = ${userId}`;
  if (row) cache.set(userId, row);
  return row ?? null;
}

/** A user row changed (or users were deleted): forget it, or everything when no id is given. */
export function forgetViewer(db: Db, userId?: number): void {
  if (userId === undefined) cacheOf(db).clear();
  else cacheOf(db).delete(userId);
}
