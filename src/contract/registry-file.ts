import * as v from 'valibot';
import { CloneRecordSchema } from './clone.ts';
import { EnvironmentSchema } from './environment.ts';

export const REGISTRY_VERSION = 2;

export const RegistryFileSchema = v.object({
  version: v.literal(REGISTRY_VERSION),
  clones: v.array(CloneRecordSchema),
  environments: v.array(EnvironmentSchema),
});
export type RegistryFile = v.InferOutput<typeof RegistryFileSchema>;

/**
 * Version 1, kept only to migrate from: environments were called `groups`, and each clone
 * carried its own `group` tag (membership lived on the clone, which v2 forbids).
 */
export const RegistryFileV1Schema = v.object({
  version: v.literal(1),
  clones: v.array(v.object({ ...CloneRecordSchema.entries, group: v.optional(v.nullable(v.string())) })),
  groups: v.optional(
    v.array(
      v.object({
        name: v.string(),
        spec: v.optional(v.nullable(v.string())),
        createdAt: v.optional(v.string()),
        updatedAt: v.optional(v.string()),
      }),
    ),
  ),
});
export type RegistryFileV1 = v.InferOutput<typeof RegistryFileV1Schema>;

export function emptyRegistry(): RegistryFile {
  return { version: REGISTRY_VERSION, clones: [], environments: [] };
}
