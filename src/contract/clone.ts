import * as v from 'valibot';
import { PersistedCloneStateSchema } from './state.ts';
import { SeedSpecSchema } from './seed.ts';

/** Clone ids/names double as compose project and database name parts: keep them tame. */
export const CloneNameSchema = v.pipe(
  v.string(),
  v.regex(/^[a-z][a-z0-9-]{0,38}[a-z0-9]$/, 'use 2-40 lowercase letters, digits and dashes, starting with a letter'),
);

export const CloneModeSchema = v.pipe(v.string(), v.regex(/^[a-z][a-z0-9-]*$/, 'mode names are lowercase words'));
export type CloneMode = v.InferOutput<typeof CloneModeSchema>;

const PortSchema = v.pipe(v.number(), v.integer(), v.minValue(1024), v.maxValue(65535));

export const PortRangeSchema = v.pipe(
  v.strictObject({ from: PortSchema, to: PortSchema }),
  v.check((r) => r.from <= r.to, 'the range must start at or below where it ends'),
);
export type PortRange = v.InferOutput<typeof PortRangeSchema>;

export const CloneSpecSchema = v.strictObject({
  template: v.pipe(v.string(), v.nonEmpty()),
  mode: v.optional(CloneModeSchema),
  name: v.optional(CloneNameSchema),
  group: v.optional(CloneNameSchema),
  seed: v.optional(SeedSpecSchema),
  portRange: v.optional(PortRangeSchema),
  expose: v.optional(v.boolean()),
  /** Serve HTTPS with a certificate of the home's local CA (additive). */
  tls: v.optional(v.boolean()),
  /** The world to provision: the seed ids derive from and the clock's start (additive). */
  world: v.optional(v.strictObject({ seed: v.optional(v.pipe(v.string(), v.nonEmpty())), start: v.optional(v.pipe(v.string(), v.isoTimestamp())) })),
});
export type CloneSpec = v.InferOutput<typeof CloneSpecSchema>;

export const CloneTokensSchema = v.object({
  appId: v.string(),
  workspaceId: v.string(),
  botUserId: v.string(),
  adminUserId: v.string(),
  botToken: v.string(),
  userToken: v.string(),
  /** The secret that signs deliveries, where the template has one: Slack's request signing secret, Linear's webhook secret. */
  signingSecret: v.optional(v.string()),
});
export type CloneTokens = v.InferOutput<typeof CloneTokensSchema>;

const IsoDate = v.pipe(v.string(), v.isoTimestamp());

/** The JSON row persisted in registry.json. */
export const CloneRecordSchema = v.object({
  id: CloneNameSchema,
  template: v.string(),
  mode: CloneModeSchema,
  composeProject: v.string(),
  database: v.string(),
  redisPrefix: v.string(),
  /** Host port per service name. */
  ports: v.record(v.string(), PortSchema),
  state: PersistedCloneStateSchema,
  seed: v.nullable(SeedSpecSchema),
  expose: v.boolean(),
  /** The API answers HTTPS (spin --tls), with a certificate of the home's CA (additive). */
  tls: v.optional(v.boolean()),
  image: v.optional(v.nullable(v.string())),
  imageDigest: v.optional(v.nullable(v.string())),
  tokens: v.optional(CloneTokensSchema),
  /** Secret guarding the clone's /__asym admin surface (additive, like image/tokens). */
  adminSecret: v.optional(v.string()),
  /** The process making or removing the clone while it is `creating`/`destroying` (additive). */
  owner: v.optional(v.object({ pid: v.number(), host: v.string(), boot: v.optional(v.string()), start: v.optional(v.string()) })),
  /** The world the clone was provisioned in: id seed and clock start (additive; older clones have none). */
  world: v.optional(v.object({ seed: v.string(), start: v.string() })),
  /** Where its endpoints are reached when not on this machine (a Swarm engine's cluster or node address; additive). */
  host: v.optional(v.string()),
  /** Why a clone is `failed` (additive). */
  error: v.optional(v.string()),
  createdAt: IsoDate,
  updatedAt: IsoDate,
  syncedAt: v.nullable(IsoDate),
});
export type CloneRecord = v.InferOutput<typeof CloneRecordSchema>;

export const CloneEndpointsSchema = v.object({
  api: v.string(),
  web: v.nullable(v.string()),
});

export const CloneInstanceSchema = v.object({
  ...CloneRecordSchema.entries,
  endpoints: CloneEndpointsSchema,
});
export type CloneInstance = v.InferOutput<typeof CloneInstanceSchema>;
