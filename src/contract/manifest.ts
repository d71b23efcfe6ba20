import * as v from 'valibot';
import { CloneModeSchema } from './clone.ts';

/**
 * clone.manifest.json, at a template's root. A service declares a published `image`, a
 * `build` (Dockerfile inside the template; the build context is the templates root so the
 * shared kit is in reach), or both. `optional: true` services run only in the modes that
 * name them.
 */
export const ManifestServiceSchema = v.pipe(
  v.strictObject({
    image: v.optional(v.string()),
    build: v.optional(v.strictObject({ dockerfile: v.string() })),
    /** Port the service listens on inside its container. */
    port: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(65535)),
    /** Which endpoint of a CloneInstance this service provides. */
    endpoint: v.optional(v.picklist(['api', 'web'])),
    /** HTTP path answering 200 when the service is ready. */
    health: v.optional(v.string()),
    optional: v.optional(v.boolean()),
    env: v.optional(v.record(v.string(), v.string())),
  }),
  v.check((s) => Boolean(s.image || s.build), 'a service needs an image or a build'),
);
export type ManifestService = v.InferOutput<typeof ManifestServiceSchema>;

export const ManifestModeSchema = v.strictObject({
  name: CloneModeSchema,
  description: v.optional(v.string()),
  services: v.pipe(v.array(v.string()), v.minLength(1)),
});

export const TemplateManifestSchema = v.pipe(
  v.strictObject({
    $schema: v.optional(v.string()),
    name: v.pipe(v.string(), v.regex(/^[a-z][a-z0-9-]*$/)),
    realProduct: v.string(),
    version: v.string(),
    description: v.string(),
    /** The first mode is the default. */
    modes: v.pipe(v.array(ManifestModeSchema), v.minLength(1)),
    services: v.record(v.string(), ManifestServiceSchema),
    database: v.strictObject({ migrations: v.string() }),
    redis: v.strictObject({ prefix: v.string() }),
    /**
     * What only the CLI reads (never part of the image), relative to the template: the
     * `asym verify` verifier and scenario modules and the derived response shapes
     * (scripts/derive-shapes.ts writes them). src/templates/generated-index.ts imports the modules.
     */
    verify: v.optional(v.strictObject({ verifier: v.string(), scenario: v.string(), shapes: v.optional(v.string()) })),
    seed: v.strictObject({
      fixtures: v.string(),
      ai: v.strictObject({
        entities: v.array(v.string()),
        defaultModel: v.string(),
        /** The module exporting the AI-seed entity schemas (`entities`), relative to the template. */
        schemas: v.optional(v.string()),
      }),
    }),
    /** Where the vendor's official SDK is pointed, relative to the api endpoint. */
    sdk: v.optional(v.strictObject({ package: v.string(), baseUrlSuffix: v.string() })),
  }),
  v.check(
    (m) => m.modes.every((mode) => mode.services.every((s) => s in m.services)),
    'every mode must name services the manifest declares',
  ),
  v.check(
    (m) => Object.entries(m.services).every(([name, s]) => !s.optional || m.modes.some((mode) => mode.services.includes(name))),
    'an optional service must be named by some mode',
  ),
);
export type TemplateManifest = v.InferOutput<typeof TemplateManifestSchema>;
