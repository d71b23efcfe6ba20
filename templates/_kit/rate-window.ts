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

/** Counts one call (or `by` units of a budget, e.g. query complexity) against `limit` per `windowSeconds` in the window named `name`. */
export async function countWindow(ctx: KitContext, name: string, limit: number, windowSeconds: number, opts: { by?: number; nowMs?: number } = {}): Promise<WindowCount> {
  const nowMs = opts.nowMs ?? Date.now();
  const nowSec = nowMs / 1000;
  const start = Math.floor(nowSec / windowSeconds) * windowSeconds;
  const resetAt = start + windowSeconds;
  const key = `rl:${name}:${start}`;
  const retryAfter = Math.max(1, Math.ceil(resetAt - nowSec));
  try {
    const used = await ctx.redis.incrWindow(key, windowSeconds + 60, opts.by ?? 1);
    return { key, limit, used, resetAt, retryAfter, counted: true };
  } catch (e) {
    const warned = ctx.state('kit:rate-warned', () => new Warned());
    if (!warned.done) ctx.log(`rate limits not counted, redis unavailable: ${(e as Error).message}`);
    warned.done = true;
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
  await ctx.redis.decr(w.key).catch(() => undefined);
  return { ...w, used: Math.max(0, w.used - 1) };
}
