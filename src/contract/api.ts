/**
 * The control plane's request bodies (asym serve, /v1). One schema each, used three ways:
 * the server validates requests with it, CloudProvider shapes its requests by its type, and
 * /v1/openapi.json is generated from it; the CLI parses its own flags with the same
 * schemas it builds on (CloneSpecSchema, SeedSpecSchema, LogOptionsSchema).
 */
import * as v from 'valibot';
import { CloneNameSchema } from './clone.ts';
import { SeedSpecSchema } from './seed.ts';

/** Snapshot names: also part of database names, so as tame as the state code requires. */
export const SnapshotNameSchema = v.pipe(v.string(), v.regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, 'use letters, digits, dots, dashes and underscores (max 63)'));

export const SeedRequestSchema = v.strictObject({ spec: SeedSpecSchema, force: v.optional(v.boolean()) });
export const SnapshotRequestSchema = v.strictObject({ name: SnapshotNameSchema });
export const ConfigRequestSchema = v.strictObject({ patch: v.optional(v.record(v.string(), v.unknown())) });
export const ForkRequestSchema = v.strictObject({
  n: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(100)),
  prefix: v.optional(CloneNameSchema),
});
export const DiffRequestSchema = v.strictObject({ from: v.optional(v.string()), tables: v.optional(v.array(v.string())) });
export const UserTokenRequestSchema = v.strictObject({ user: v.pipe(v.string(), v.nonEmpty()) });

/** The error document of every failed request (and of the CLI's --json). */
export const ErrorDocumentSchema = v.object({
  error: v.object({ code: v.string(), message: v.string(), hint: v.nullable(v.string()), details: v.optional(v.record(v.string(), v.unknown())) }),
});

/** API keys: a name is a tenant. */
export const KeyNameSchema = v.pipe(v.string(), v.regex(/^[a-z][a-z0-9-]{0,38}[a-z0-9]$/, 'use 2-40 lowercase letters, digits and dashes, starting with a letter'));
export const MaxClonesSchema = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(10_000));
