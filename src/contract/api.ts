/**
 * The control plane's request bodies (asym serve, /v1). One schema each, used three ways:
 * the server validates requests with it, CloudProvider shapes its requests by its type, and
 * /v1/openapi.json is generated from it; the CLI parses its own flags with the same
 * schemas it builds on (CloneSpecSchema, SeedSpecSchema, LogOptionsSchema).
 */
import * as v from 'valibot';
import { CloneNameSchema, CloneSpecSchema } from './clone.ts';
import { SeedSpecSchema } from './seed.ts';

/** Snapshot names: also part of database names, so as tame as the state code requires. */
export const SnapshotNameSchema = v.pipe(v.string(), v.regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, 'use letters, digits, dots, dashes and underscores (max 63)'));

/**
 * `savePack`: answer the seeded state as a snapshot file too (a file answer, below), which
 * the client keeps as a pack of its home (seed --save-as).
 */
export const SeedRequestSchema = v.strictObject({ spec: SeedSpecSchema, force: v.optional(v.boolean()), savePack: v.optional(v.boolean()) });
export const SnapshotRequestSchema = v.strictObject({ name: SnapshotNameSchema });
export const ConfigRequestSchema = v.strictObject({ patch: v.optional(v.record(v.string(), v.unknown())) });
export const ForkRequestSchema = v.strictObject({
  n: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(100)),
  prefix: v.optional(CloneNameSchema),
});
export const DiffRequestSchema = v.strictObject({ from: v.optional(v.string()), tables: v.optional(v.array(v.string())) });
export const UserTokenRequestSchema = v.strictObject({ user: v.pipe(v.string(), v.nonEmpty()) });

/**
 * Files through the control plane (snapshot export, spin --from, restore --from, seed
 * --save-as / --pack): a request's body is the snapshot file itself, of this media type; an
 * answer that is a file is multipart/form-data of two parts, `result` (the verb's JSON
 * document, of any size: an AI seed's rejections can be many) and `file` (the snapshot).
 */
export const SNAPSHOT_MEDIA_TYPE = 'application/vnd.asym.snapshot';

/** `spin --from` (POST /v1/clones with a file): the spin's fields but the seed and world, which the file brings; the template defaults to the file's. */
export const CloneFromSpecSchema = v.strictObject({
  ...v.omit(CloneSpecSchema, ['template', 'seed', 'world']).entries,
  template: v.optional(CloneSpecSchema.entries.template),
});

/** What `asym snapshot export` answers (the file's path is the client's). */
export const ExportResultSchema = v.object({
  id: v.string(),
  snapshot: v.nullable(v.string()),
  file: v.string(),
  bytes: v.number(),
  template: v.string(),
  templateVersion: v.string(),
  migrations: v.array(v.string()),
  redisKeys: v.number(),
  ms: v.number(),
});

/** What `asym restore --from` answers. */
export const ImportResultSchema = v.object({
  id: v.string(),
  file: v.string(),
  template: v.string(),
  templateVersion: v.string(),
  migrated: v.array(v.string()),
  redisKeys: v.number(),
  ms: v.number(),
});

/**
 * A long verb asked with `Accept: application/x-ndjson` answers a stream of these, one per
 * line: the steps as they happen (a clone's, for an environment), each member as it is
 * done, and last the answer (the document and status the plain call would have sent).
 */
export const ProgressEventSchema = v.variant('event', [
  v.object({ event: v.literal('progress'), step: v.string(), clone: v.optional(v.string()) }),
  v.object({ event: v.literal('member'), clone: v.string(), action: v.string(), error: v.optional(v.object({ code: v.string(), message: v.string() })) }),
  v.object({ event: v.literal('result'), status: v.number(), body: v.unknown() }),
]);
export type ProgressEvent = v.InferOutput<typeof ProgressEventSchema>;

/** The error document of every failed request (and of the CLI's --json). */
export const ErrorDocumentSchema = v.object({
  error: v.object({ code: v.string(), message: v.string(), hint: v.nullable(v.string()), details: v.optional(v.record(v.string(), v.unknown())) }),
});

/** API keys: a name is a tenant. */
export const KeyNameSchema = v.pipe(v.string(), v.regex(/^[a-z][a-z0-9-]{0,38}[a-z0-9]$/, 'use 2-40 lowercase letters, digits and dashes, starting with a letter'));
export const MaxClonesSchema = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(10_000));
