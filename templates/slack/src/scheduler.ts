import type { Db } from '../../_kit/db.ts';
import type { KitContext } from '../../_kit/types.ts';
import { clockNow, onClockChange, realDelayUntil } from '../../_kit/clock.ts';
import { nowSeconds } from './ids.ts';

/**
 * Scheduled messages post on time with one timer set for the next due message, not a
 * poll: an idle clone sends Postgres nothing. The scheduler also knows the earliest
 * post_at (or that there is none), so a history read skips its "post what is due" DELETE
 * when nothing can be due.
 *
 * Invariant: when `known`, `next` is at or before the earliest post_at in the table (a
 * deleted message only leaves `next` early, which costs one empty flush). Anything that
 * may change the table behind the scheduler's back (a database swap, a re-seed) makes it
 * unknown, and the next use re-reads the minimum.
 *
 * Due means due on the clone's clock: the timer waits the real time until the clock shows
 * post_at, is re-set whenever the clock changes (set or advanced past post_at: it fires at
 * once), and is not set at all while the clock stands frozen before it.
 */

/** setTimeout's ceiling (~24.8 days); a later message is reached by re-arming. */
const MAX_DELAY_MS = 2 ** 31 - 1;

type Flush = (ctx: KitContext) => Promise<number>;

export class Scheduler {
  #known = false;
  #next: number | null = null;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #stopped = false;
  #arming: Promise<void> | null = null;
  readonly #offClock: () => void;

  constructor(
    private readonly ctx: KitContext,
    private readonly flush: Flush,
  ) {
    this.#offClock = onClockChange(() => {
      if (this.#known) this.#setTimer();
    });
  }

  /** True when a message may be due now (or the scheduler does not know). */
  mayBeDue(now = nowSeconds()): boolean {
    return !this.#known || (this.#next !== null && this.#next <= now);
  }

  /** A message was scheduled for `postAt` (seconds). */
  scheduled(postAt: number): void {
    if (!this.#known) return void this.arm();
    if (this.#next === null || postAt < this.#next) {
      this.#next = postAt;
      this.#setTimer();
    }
  }

  /**
   * The table may have changed under the scheduler (swap, reset, re-seed): re-read it, but
   * only once the pool reopens (onOpen: the next request, or /__asym/warm after a swap).
   * Arming here, on release, reconnected at once to the database the CLI was about to copy
   * or swap, and CREATE DATABASE … TEMPLATE then waited 5 s for that session to leave.
   */
  invalidate(): void {
    this.#known = false;
    this.#clearTimer();
  }

  /** Read the earliest post_at and set the timer for it. Failures leave it unknown. */
  arm(): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    this.#arming ??= (async () => {
      try {
        const [row] = await this.ctx.db.q<{ next: string | null }>`select min(post_at) as next from scheduled_messages`;
        this.#next = row?.next == null ? null : Number(row.next);
        this.#known = true;
        this.#setTimer();
      } catch {
        // Unknown stays unknown: history reads flush on their own, and the next schedule re-arms.
        this.#known = false;
      } finally {
        this.#arming = null;
      }
    })();
    return this.#arming;
  }

  stop(): void {
    this.#stopped = true;
    this.#offClock();
    this.#clearTimer();
  }

  #clearTimer(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }

  #setTimer(): void {
    this.#clearTimer();
    if (this.#stopped || this.#next === null) return;
    // post_at is whole seconds; fire just after the second starts so nowSeconds() >= post_at.
    const wait = realDelayUntil(this.#next * 1000);
    if (wait === null) return; // frozen before post_at: only a clock change can make it due
    const delay = Math.min(MAX_DELAY_MS, wait === 0 ? 0 : wait + 5);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.#fire();
    }, delay);
  }

  async #fire(): Promise<void> {
    if (this.#next !== null && this.#next * 1000 > clockNow().getTime()) return this.#setTimer();
    await this.flush(this.ctx).catch(() => undefined);
    this.#known = false;
    await this.arm();
  }
}

const schedulers = new WeakMap<Db, Scheduler>();

export function attachScheduler(ctx: KitContext, flush: Flush): Scheduler {
  const s = new Scheduler(ctx, flush);
  schedulers.set(ctx.db, s);
  return s;
}

/** The clone's scheduler, if the server started one (tests may call handlers without). */
export function schedulerOf(db: Db): Scheduler | undefined {
  return schedulers.get(db);
}
