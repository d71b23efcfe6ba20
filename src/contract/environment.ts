import * as v from 'valibot';
import { CloneNameSchema } from './clone.ts';

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
