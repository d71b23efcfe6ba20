import * as v from 'valibot';
import { CloneStateSchema } from './state.ts';

export const SERVICE_STATES = ['running', 'exited', 'unhealthy', 'missing'] as const;

export const ServiceStatusSchema = v.strictObject({
  name: v.string(),
  state: v.picklist(SERVICE_STATES),
  port: v.nullable(v.number()),
  healthy: v.boolean(),
});
export type ServiceStatus = v.InferOutput<typeof ServiceStatusSchema>;

/** Live health view, distinct from the persisted CloneState. */
export const CloneStatusSchema = v.strictObject({
  id: v.string(),
  state: CloneStateSchema,
  healthy: v.boolean(),
  services: v.array(ServiceStatusSchema),
  checkedAt: v.pipe(v.string(), v.isoTimestamp()),
});
export type CloneStatus = v.InferOutput<typeof CloneStatusSchema>;

export const LogOptionsSchema = v.strictObject({
  follow: v.optional(v.boolean()),
  tail: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
  /** An ISO timestamp or a relative duration such as `10m`. */
  since: v.optional(v.pipe(v.string(), v.regex(/^(\d+(ms|s|m|h)|\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)$/, 'use a duration like 10m or an ISO timestamp'))),
  service: v.optional(v.string()),
});
export type LogOptions = v.InferOutput<typeof LogOptionsSchema> & { signal?: AbortSignal };

export const LogLineSchema = v.strictObject({
  service: v.string(),
  stream: v.picklist(['stdout', 'stderr']),
  timestamp: v.nullable(v.string()),
  text: v.string(),
});
export type LogLine = v.InferOutput<typeof LogLineSchema>;
