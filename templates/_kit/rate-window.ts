import type { KitContext } from './types.ts';

/**
 * The kit's one rate counter, for every template's rate stage: a fixed window counted in
 * Redis under the clone's prefix (so reset and restore take the counts back with the rest of
 * the clone's Redis state, and a restarted server keeps them). A window is aligned to the
 * epoch (a day window ends at UTC midnight, an hour window on the hour), and its key expires
 * a minute after the window ends.
 *
 * Windows run on the wall clock, not the clone's clock: they meter the agent's real requests,
 * and a frozen clone clock must not freeze a window shut.
 *
 * If Redis does not answer, the call is let through and reported as nothing used: a missing
 * counter must not fail an agent's run. The first such miss per server is logged.
 *
 * Redis is the store, but a request waits for it only once per window: the first call of a
 * window (on this server, since its start or the last release) counts in Redis and learns the
 * window's count; later calls count on the server's copy in ctx.state and send their
 * increment to Redis without waiting for it (the same INCRBY and EXPIRE NX, in order on one
 * connection, so Redis ends with the same count). One server answers a clone's API, so the
 * copy is exact; release (reset, restore) clears it, and the next call reads Redis again.
 * A Redis round trip was 0.15-0.3 ms of a 1-2 ms GitHub call (issue 17).
 */
export interface WindowCount {
  /** The Redis key (under the clone's prefix) that counted this call. */
  key: string;
  limit: number;
  /** Calls in this window including this one (0 when Redis did not answer). */
  used: number;
  /** When the window ends, in epoch seconds. */
  resetAt: number;
  /** Seconds from now until the window ends (at least 1). */
  retryAfter: number;
  /** False when Redis did not answer and the call went uncounted. */
  counted: boolean;
}

class Warned {
  done = false;
  clear(): void {
    this.done = false;
  }
}

function warnOnce(ctx: KitContext, e: unknown): void {
  const warned = ctx.state('kit:rate-warned', () => new Warned());
  if (!warned.done) ctx.log(`rate limits not counted, redis unavailable: ${(e as Error).message}`);
  warned.done = true;
}

/** A window's count as this server knows it; `ready` settles once Redis gave the first count (false: it did not answer). */
interface Copy {
  key: string;
  used: number;
  ready: Promise<boolean>;
}

/** The server's copies, one live window per name (a new window replaces the last). */
class Copies {
  readonly byName = new Map<string, Copy>();
  clear(): void {
    this.byName.clear();
  }
}

/** Counts one call (or `by` units of a budget, e.g. query complexity) against `limit` per `windowSeconds` in the window named `name`. */
export async function countWindow(ctx: KitContext, name: string, limit: number, windowSeconds: number, opts: { by?: number; nowMs?: number } = {}): Promise<WindowCount> {
  const nowMs = opts.nowMs ?? Date.now();
  const nowSec = nowMs / 1000;
  const start = Math.floor(nowSec / windowSeconds) * windowSeconds;
  const resetAt = start + windowSeconds;
  const key = `rl:${name}:${start}`;
  const retryAfter = Math.max(1, Math.ceil(resetAt - nowSec));
  const by = opts.by ?? 1;
  const ttl = windowSeconds + 60;
  const copies = ctx.state('kit:rate-copies', () => new Copies());
  const known = copies.byName.get(name);
  // A call arriving while the window's first count is on its way waits for that answer, then
  // counts on the copy: its increment reaches Redis after the first one.
  if (known && known.key === key && (await known.ready) && copies.byName.get(name) === known) {
    known.used += by;
    const used = known.used;
    ctx.redis.incrWindow(key, ttl, by).catch((e) => {
      // Redis stopped answering: the next call asks it again (and reports what it says).
      if (copies.byName.get(name) === known) copies.byName.delete(name);
      warnOnce(ctx, e);
    });
    return { key, limit, used, resetAt, retryAfter, counted: true };
  }
  let settle: (ok: boolean) => void = () => undefined;
  const copy: Copy = { key, used: 0, ready: new Promise<boolean>((r) => (settle = r)) };
  copies.byName.set(name, copy);
  try {
    copy.used = await ctx.redis.incrWindow(key, ttl, by);
    settle(true);
    return { key, limit, used: copy.used, resetAt, retryAfter, counted: true };
  } catch (e) {
    if (copies.byName.get(name) === copy) copies.byName.delete(name);
    settle(false);
    warnOnce(ctx, e);
    return { key, limit, used: 0, resetAt, retryAfter, counted: false };
  }
}

/** True when the counted call is over its window's limit. */
export function over(w: WindowCount): boolean {
  return w.counted && w.used > w.limit;
}

/** What is left in the window after this call. */
export function remaining(w: WindowCount): number {
  return Math.max(0, w.limit - w.used);
}

/** A call that turned out free (a conditional 304) or was refused gives its count back. */
export async function giveBack(ctx: KitContext, w: WindowCount): Promise<WindowCount> {
  if (!w.counted) return w;
  for (const copy of ctx.state('kit:rate-copies', () => new Copies()).byName.values()) {
    if (copy.key === w.key) copy.used = Math.max(0, copy.used - 1);
  }
  ctx.redis.decr(w.key).catch(() => undefined);
  return { ...w, used: Math.max(0, w.used - 1) };
}
