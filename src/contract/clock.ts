import * as v from 'valibot';

/**
 * A clone's clock (issue 16): what `asym clock <id> …` and `asym env clock <name> …` do.
 * `set` and `advance` keep the clock frozen or running as it was; `freeze` stops it at its
 * current reading, `run` lets it go on from there at the wall clock's pace.
 */
export type ClockOp =
  | { op: 'show' }
  | { op: 'set'; at: string }
  | { op: 'advance'; by: string }
  | { op: 'freeze' }
  | { op: 'run' };

/** A clock change as the control plane's API takes it (POST /v1/clones/{id}/clock). */
export const ClockOpSchema = v.variant('op', [
  v.strictObject({ op: v.literal('set'), at: v.pipe(v.string(), v.isoTimestamp()) }),
  v.strictObject({ op: v.literal('advance'), by: v.pipe(v.string(), v.minLength(2)) }),
  v.strictObject({ op: v.literal('freeze') }),
  v.strictObject({ op: v.literal('run') }),
]);

export const ClockReadingSchema = v.object({
  /** The clone's time when it answered (ISO). */
  at: v.string(),
  frozen: v.boolean(),
  /** The world it was provisioned in: the clock's start (reset returns it there). */
  world: v.object({ seed: v.string(), start: v.string() }),
});

export type ClockReading = v.InferOutput<typeof ClockReadingSchema> & {
  id: string;
  /** at minus the wall time of the answer, in ms: how far the clone is ahead (negative: behind). */
  offsetMs: number;
};
