/**
 * Fault-injection points for tests: `ASYM_FAULT_AT=<point>[,<point>…]` makes the process,
 * on reaching a named point, write `<ASYM_FAULT_DIR>/<point>` (proof that it is inside that
 * step) and then wait there until it is killed or interrupted. A test waits for the file,
 * then delivers SIGKILL, SIGTERM or SIGINT, so every fault lands exactly where it aims.
 * Without ASYM_FAULT_AT this is one environment lookup.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { untilInterrupted } from './interrupt.ts';

export async function faultPoint(point: string): Promise<void> {
  const at = process.env.ASYM_FAULT_AT;
  if (!at || !at.split(',').includes(point)) return;
  const dir = process.env.ASYM_FAULT_DIR;
  if (dir) writeFileSync(join(dir, point), String(process.pid));
  const stop = untilInterrupted();
  // Keeps the event loop alive while parked; the interruption (or SIGKILL) ends the wait.
  const keep = setInterval(() => {}, 60_000);
  try {
    await stop.promise;
  } finally {
    clearInterval(keep);
  }
}
