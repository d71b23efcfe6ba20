import * as v from 'valibot';

const Count = v.pipe(v.number(), v.integer(), v.minValue(0));

export const FidelityScoreSchema = v.strictObject({
  score: v.pipe(v.number(), v.minValue(0), v.maxValue(1)),
  operations: v.strictObject({ ours: Count, theirs: Count, matched: Count }),
  checkedAt: v.pipe(v.string(), v.isoTimestamp()),
  source: v.string(),
});
export type FidelityScore = v.InferOutput<typeof FidelityScoreSchema>;
