import * as v from 'valibot';

export const AI_VOLUMES = ['small', 'medium', 'large'] as const;

export const AiSeedSpecSchema = v.strictObject({
  entities: v.optional(v.array(v.pipe(v.string(), v.nonEmpty()))),
  volume: v.optional(v.union([v.picklist(AI_VOLUMES), v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(10_000))])),
  model: v.optional(v.pipe(v.string(), v.nonEmpty())),
  prompt: v.optional(v.string()),
});
export type AiSeedSpec = v.InferOutput<typeof AiSeedSpecSchema>;

export const SeedSpecSchema = v.strictObject({
  /** A deterministic SQL pack shipped in the template. */
  fixture: v.optional(v.pipe(v.string(), v.regex(/^[a-z0-9][a-z0-9_-]*$/, 'fixture names are lowercase words'))),
  /** `true` means the template's defaults. */
  ai: v.optional(v.union([AiSeedSpecSchema, v.boolean()])),
  /** A fixture pack saved in this home (`seed --save-as`): the whole state it holds (additive). */
  pack: v.optional(v.pipe(v.string(), v.regex(/^[a-z0-9][a-z0-9_-]*$/, 'pack names are lowercase words'))),
});
export type SeedSpec = v.InferOutput<typeof SeedSpecSchema>;

export const SeedSourceCountSchema = v.strictObject({
  written: v.pipe(v.number(), v.integer(), v.minValue(0)),
  rejected: v.pipe(v.number(), v.integer(), v.minValue(0)),
});

export const SeedResultSchema = v.strictObject({
  written: v.pipe(v.number(), v.integer(), v.minValue(0)),
  rejected: v.pipe(v.number(), v.integer(), v.minValue(0)),
  bySource: v.strictObject({
    fixture: v.optional(SeedSourceCountSchema),
    ai: v.optional(SeedSourceCountSchema),
  }),
  warnings: v.array(v.string()),
  /** Why each rejected record was rejected (additive). */
  rejections: v.optional(v.array(v.strictObject({ entity: v.string(), index: v.number(), reason: v.string() }))),
  /** LLM tokens an AI seed used (additive). */
  usage: v.optional(v.strictObject({ inputTokens: v.number(), outputTokens: v.number() })),
});
export type SeedResult = v.InferOutput<typeof SeedResultSchema>;
