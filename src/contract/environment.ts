import * as v from 'valibot';
import { ClockReadingSchema } from './clock.ts';
import { CloneInstanceSchema, CloneNameSchema } from './clone.ts';
import { CloneStatusSchema } from './status.ts';

export const EnvironmentStateSchema = v.picklist(['running', 'partial', 'stopped', 'failed']);
export type EnvironmentState = v.InferOutput<typeof EnvironmentStateSchema>;

const IsoDate = v.pipe(v.string(), v.isoTimestamp());

/** Membership lives here and only here: a clone does not carry its environment. */
export const EnvironmentSchema = v.object({
  name: CloneNameSchema,
  members: v.array(v.string()),
  spec: v.nullable(v.string()),
  state: EnvironmentStateSchema,
  createdAt: IsoDate,
  updatedAt: IsoDate,
});
export type Environment = v.InferOutput<typeof EnvironmentSchema>;

/** Per-member outcome, reserved for the multi-clone engine (env reset loop). */
export const EnvironmentResultSchema = v.strictObject({
  clone: v.string(),
  ok: v.boolean(),
  error: v.optional(v.strictObject({ code: v.string(), message: v.string() })),
});
export type EnvironmentResult = v.InferOutput<typeof EnvironmentResultSchema>;

/**
 * The documents the env verbs print (--json) and the control plane answers, one schema each
 * so /v1/openapi.json describes them. Members' diffs are `asym diff` documents (StateDiff).
 */
export const EnvMemberSummarySchema = v.object({ id: v.string(), template: v.nullable(v.string()), state: v.string() });
export const EnvListEntrySchema = v.object({ ...EnvironmentSchema.entries, clones: v.array(EnvMemberSummarySchema) });
export const EnvUpResultSchema = v.object({ environment: EnvironmentSchema, results: v.array(EnvironmentResultSchema), clones: v.array(CloneInstanceSchema) });
export const EnvDownResultSchema = v.object({ environment: v.nullable(EnvironmentSchema), results: v.array(EnvironmentResultSchema), destroyed: v.boolean() });
export const EnvResetResultSchema = v.object({ environment: EnvironmentSchema, results: v.array(EnvironmentResultSchema) });
export const EnvStatusResultSchema = v.object({
  name: v.string(),
  spec: v.nullable(v.string()),
  state: EnvironmentStateSchema,
  members: v.array(CloneStatusSchema),
  checkedAt: v.string(),
});
export const EnvDiffResultSchema = v.object({
  environment: EnvironmentSchema,
  results: v.array(EnvironmentResultSchema),
  diffs: v.record(v.string(), v.looseObject({ clone: v.string(), from: v.string(), tables: v.array(v.unknown()), summary: v.looseObject({}), hash: v.looseObject({}) })),
});
export const EnvClockResultSchema = v.object({
  environment: v.string(),
  clock: v.nullable(v.object({ at: v.string(), frozen: v.boolean() })),
  members: v.array(v.object({ ...ClockReadingSchema.entries, id: v.string(), offsetMs: v.number() })),
  results: v.array(EnvironmentResultSchema),
  skewMs: v.number(),
});
