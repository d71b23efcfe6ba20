/**
 * Ctrl-C and SIGTERM during a verb: the verb must undo what it created and exit 130/143,
 * never print "Canceled" and exit 0, never leave a half-made clone. Signals only set a
 * flag (and stop the Docker commands running at that moment); the verb sees it at its next
 * checkpoint or wait, throws INTERRUPTED, and its ordinary failure path cleans up. A second
 * signal while cleaning up is acknowledged and ignored: leaving now would strand resources.
 */
import { AsymmetricError } from '../contract/errors.ts';

export type InterruptSignal = 'SIGINT' | 'SIGTERM';

let received: InterruptSignal | null = null;
let installed = false;
const listeners = new Set<(sig: InterruptSignal) => void>();

export function interruptedBy(): InterruptSignal | null {
  return received;
}

/** Exit status for a verb ended by a signal, as shells report it (128 + signal number). */
export function signalExitCode(sig: InterruptSignal): number {
  return sig === 'SIGINT' ? 130 : 143;
}

export function interruptedError(sig: InterruptSignal = received ?? 'SIGINT'): AsymmetricError {
  return new AsymmetricError('INTERRUPTED', `interrupted by ${sig}; what this command had created was removed`, {
    hint: 'nothing is left half-made; if the process was killed harder than this, asym doctor --fix cleans up',
    details: { signal: sig },
  });
}

/** Throw INTERRUPTED if a signal arrived: called between steps of long verbs. */
export function checkInterrupted(): void {
  if (received) throw interruptedError(received);
}

/** Calls `fn` when a signal arrives (at once if one already has); returns an unsubscribe. */
export function onInterrupt(fn: (sig: InterruptSignal) => void): () => void {
  if (received) {
    fn(received);
    return () => {};
  }
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** A promise that rejects with INTERRUPTED when a signal arrives (for waits and sleeps). */
export function untilInterrupted(): { promise: Promise<never>; cancel(): void } {
  let cancel = () => {};
  const promise = new Promise<never>((_, reject) => {
    cancel = onInterrupt((sig) => reject(interruptedError(sig)));
  });
  promise.catch(() => {});
  return { promise, cancel };
}

/** Sleep that ends early (throwing INTERRUPTED) on a signal. */
export async function sleepInterruptible(ms: number): Promise<void> {
  checkInterrupted();
  const stop = untilInterrupted();
  try {
    await Promise.race([Bun.sleep(ms), stop.promise]);
  } finally {
    stop.cancel();
  }
}

/** Install the handlers once per process (the CLI does, for every verb). */
export function installInterruptHandlers(onSecond?: (sig: InterruptSignal) => void): void {
  if (installed) return;
  installed = true;
  const handle = (sig: InterruptSignal) => {
    if (received) {
      onSecond?.(sig);
      return;
    }
    received = sig;
    for (const fn of [...listeners]) fn(sig);
    listeners.clear();
  };
  process.on('SIGINT', () => handle('SIGINT'));
  process.on('SIGTERM', () => handle('SIGTERM'));
}
