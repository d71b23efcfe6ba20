/**
 * Fault-injection points for tests: `ASYM_FAULT_AT=<point>[,<point>…]` makes the process,
 * on reaching a named point, write `<ASYM_FAULT_DIR>/<point>` (proof that it is inside that
 * step) and then wait there until it is killed or interrupted. A test waits for the file,
 * then delivers SIGKILL, SIGTERM or SIGINT, so every fault lands exactly where it aims.
 * A long-lived process (asym serve) is not ended to move on: a test that writes
 * `<ASYM_FAULT_DIR>/<point>.release` lets the parked step go on, so a fault can hold an
 * operation while something else (a client's disconnect) happens.
 * Without ASYM_FAULT_AT this is one environment lookup.
 */
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { untilInterrupted } from './interrupt.ts';

export async function faultPoint(point: string): Promise<void> {
  const at = process.env.ASYM_FAULT_AT;
  if (!at || !at.split(',').includes(point)) return;
  const dir = process.env.ASYM_FAULT_DIR;
  if (dir) writeFileSync(join(dir, point), String(process.pid));
  const stop = untilInterrupted();
  const release = dir ? join(dir, `${point}.release`) : null;
  let poll: ReturnType<typeof setInterval> | undefined;
  const released = new Promise<void>((resolve) => {
    // Keeps the event loop alive while parked; the interruption (or SIGKILL) ends the wait.
    poll = setInterval(() => {
      if (release && existsSync(release)) resolve();
    }, 50);
  });
  try {
    await Promise.race([stop.promise, released]);
  } finally {
    clearInterval(poll);
    stop.cancel();
    if (release) rmSync(release, { force: true });
  }
}
