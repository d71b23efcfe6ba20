/**
 * The clone's clock for code that has no KitContext at hand (id and timestamp helpers deep
 * in a template). A clone's API is one process serving one clone, so createServer installs
 * that clone's clock here once; `clockNow()` is then the same reading as `ctx.now()`.
 * Before a server installs one (unit tests calling helpers directly) it is the wall clock.
 */
import type { Clock } from './world.ts';

let installed: Clock | null = null;
const listeners: Array<() => void> = [];

export function installClock(clock: Clock): void {
  installed = clock;
  clock.onChange(() => {
    for (const fn of listeners) fn();
  });
}

/** The clone's time: use this (or ctx.now()), never the wall clock, for any time the API reports or stores. */
export function clockNow(): Date {
  return installed ? installed.now() : new Date();
}

/** Whole seconds of the clone's time (Slack's and Stripe's unix stamps). */
export function clockSeconds(): number {
  return Math.floor(clockNow().getTime() / 1000);
}

/** True when the clock is frozen: real time passing moves nothing. */
export function clockFrozen(): boolean {
  return installed?.current()?.frozen === true;
}

/** Work that waits for a clone time (scheduled messages, retries) re-arms on every clock change. */
export function onClockChange(fn: () => void): () => void {
  listeners.push(fn);
  return () => {
    const i = listeners.indexOf(fn);
    if (i >= 0) listeners.splice(i, 1);
  };
}

/**
 * Milliseconds of real time until the clone's clock shows `atMs`, or null when it never
 * will by itself (the clock is frozen before it). 0 when it is already past.
 */
export function realDelayUntil(atMs: number): number | null {
  const left = atMs - clockNow().getTime();
  if (left <= 0) return 0;
  return clockFrozen() ? null : left;
}

/** setTimeout's ceiling (~24.8 days); a later time is reached by re-arming. */
const MAX_DELAY_MS = 2 ** 31 - 1;

/**
 * Runs `fn` once the clone's clock shows `atMs`: on a real timer while the clock runs, at
 * once when the clock is set or advanced past it, never while it stands frozen before it.
 */
export function atClockTime(atMs: number, fn: () => void): { cancel(): void } {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let done = false;
  const clear = () => {
    if (timer) clearTimeout(timer);
    timer = null;
  };
  const arm = () => {
    clear();
    if (done) return;
    const delay = realDelayUntil(atMs);
    if (delay !== null) timer = setTimeout(fire, Math.min(MAX_DELAY_MS, delay));
  };
  const fire = () => {
    timer = null;
    if (done) return;
    if (clockNow().getTime() < atMs) return arm();
    done = true;
    off();
    fn();
  };
  const off = onClockChange(arm);
  arm();
  return {
    cancel() {
      done = true;
      clear();
      off();
    },
  };
}
