import * as v from 'valibot';

const Count = v.pipe(v.number(), v.integer(), v.minValue(0));
const Fraction = v.pipe(v.number(), v.minValue(0), v.maxValue(1));

/** One kind of evidence over the vendor's operations: its mean, and operations where it fully holds. */
const PartSchema = v.strictObject({ score: Fraction, passed: Count });

/**
 * What `asym verify` measured. `score` is the mean over the vendor's in-scope operations
 * (`theirs`) of shape × behaviour × errors per operation, each in [0, 1]: an operation counts
 * fully only when its answers have the documented shape, the scenario's checks prove its
 * effect, and its documented error cases answer as the vendor does; one with no evidence of a
 * kind counts 0. `matched` = operations where all three hold. `parts` and `excluded` are
 * absent from scores cached before they existed.
 */
export const FidelityScoreSchema = v.strictObject({
  score: Fraction,
  operations: v.strictObject({ ours: Count, theirs: Count, matched: Count }),
  parts: v.optional(v.strictObject({ shape: PartSchema, behaviour: PartSchema, errors: PartSchema })),
  /** Families of the vendor's reference list left out of `theirs`, with their operation counts. */
  excluded: v.optional(v.record(v.string(), Count)),
  checkedAt: v.pipe(v.string(), v.isoTimestamp()),
  source: v.string(),
});
export type FidelityScore = v.InferOutput<typeof FidelityScoreSchema>;
