/**
 * /v1/openapi.json, generated from the valibot schemas the server validates with (and the
 * CLI parses its flags with): a schema changed in src/contract changes the description too.
 */
import { toJsonSchema } from '@valibot/to-json-schema';
import type * as v from 'valibot';
import { ClockOpSchema, ClockReadingSchema } from '../contract/clock.ts';
import { ConfigRequestSchema, DiffRequestSchema, ErrorDocumentSchema, ForkRequestSchema, SeedRequestSchema, SnapshotRequestSchema, UserTokenRequestSchema } from '../contract/api.ts';
import { CloneInstanceSchema, CloneSpecSchema } from '../contract/clone.ts';
import { SeedResultSchema } from '../contract/seed.ts';
import { CloneStatusSchema, LogLineSchema } from '../contract/status.ts';
import { EnvClockResultSchema, EnvDiffResultSchema, EnvDownResultSchema, EnvListEntrySchema, EnvResetResultSchema, EnvStatusResultSchema, EnvUpResultSchema } from '../contract/environment.ts';
import { EnvironmentRequestSchema } from '../env/spec.ts';
import { versionString } from '../version.ts';
import { ROUTES } from './api.ts';

const SCHEMAS: Record<string, v.GenericSchema> = {
  CloneSpec: CloneSpecSchema,
  CloneInstance: CloneInstanceSchema,
  CloneStatus: CloneStatusSchema,
  SeedRequest: SeedRequestSchema,
  SeedResult: SeedResultSchema,
  SnapshotRequest: SnapshotRequestSchema,
  ConfigRequest: ConfigRequestSchema,
  ClockOp: ClockOpSchema,
  ClockReading: ClockReadingSchema,
  DiffRequest: DiffRequestSchema,
  ForkRequest: ForkRequestSchema,
  UserTokenRequest: UserTokenRequestSchema,
  LogLine: LogLineSchema,
  EnvironmentRequest: EnvironmentRequestSchema,
  Environment: EnvListEntrySchema,
  EnvironmentUp: EnvUpResultSchema,
  EnvironmentDown: EnvDownResultSchema,
  EnvironmentReset: EnvResetResultSchema,
  EnvironmentStatus: EnvStatusResultSchema,
  EnvironmentDiff: EnvDiffResultSchema,
  EnvironmentClock: EnvClockResultSchema,
  Error: ErrorDocumentSchema,
};

/** Request body and success answer per route (method + pattern), by schema name. */
const SHAPES: Record<string, { summary: string; body?: string; answer?: string; list?: boolean; ndjson?: boolean }> = {
  'GET /v1/clones': { summary: "List the caller's clones", answer: 'CloneInstance', list: true },
  'POST /v1/clones': { summary: 'Create and start a clone (asym spin)', body: 'CloneSpec', answer: 'CloneInstance' },
  'GET /v1/clones/{id}': { summary: 'One clone, with its endpoints and tokens', answer: 'CloneInstance' },
  'DELETE /v1/clones/{id}': { summary: 'Destroy a clone' },
  'GET /v1/clones/{id}/status': { summary: 'Live health', answer: 'CloneStatus' },
  'POST /v1/clones/{id}/start': { summary: 'Start (data kept)' },
  'POST /v1/clones/{id}/stop': { summary: 'Stop (data kept)' },
  'POST /v1/clones/{id}/reset': { summary: 'Back to the state right after spin and seed' },
  'POST /v1/clones/{id}/seed': { summary: 'Load a fixture pack or AI data', body: 'SeedRequest', answer: 'SeedResult' },
  'POST /v1/clones/{id}/snapshot': { summary: 'Take a named snapshot', body: 'SnapshotRequest' },
  'GET /v1/clones/{id}/snapshots': { summary: 'List snapshots' },
  'DELETE /v1/clones/{id}/snapshots/{name}': { summary: 'Remove a snapshot' },
  'POST /v1/clones/{id}/restore': { summary: 'Restore a snapshot', body: 'SnapshotRequest' },
  'POST /v1/clones/{id}/diff': { summary: 'Rows changed since pristine or a snapshot', body: 'DiffRequest' },
  'GET /v1/clones/{id}/tokens': { summary: "The clone's credentials" },
  'POST /v1/clones/{id}/tokens': { summary: 'Mint a user token', body: 'UserTokenRequest' },
  'GET /v1/clones/{id}/config': { summary: "The clone's settings" },
  'POST /v1/clones/{id}/config': { summary: 'Merge a settings patch', body: 'ConfigRequest' },
  'GET /v1/clones/{id}/clock': { summary: "The clone's clock", answer: 'ClockReading' },
  'POST /v1/clones/{id}/clock': { summary: 'Set, advance, freeze or run the clock', body: 'ClockOp', answer: 'ClockReading' },
  'POST /v1/clones/{id}/upgrade': { summary: 'Repin to the current image' },
  'POST /v1/clones/{id}/fork': { summary: "N clones from one clone's state", body: 'ForkRequest' },
  'GET /v1/clones/{id}/logs': { summary: 'Logs as NDJSON (query: follow, tail, since, service)', answer: 'LogLine', ndjson: true },
  'GET /v1/environments': { summary: "List the caller's environments with their clones", answer: 'Environment', list: true },
  'POST /v1/environments': { summary: 'Bring an environment up from its file (asym env up): spin missing clones, start stopped ones', body: 'EnvironmentRequest', answer: 'EnvironmentUp' },
  'GET /v1/environments/{env}': { summary: 'One environment, with its clones', answer: 'Environment' },
  'DELETE /v1/environments/{env}': { summary: 'Destroy every clone of an environment, then the environment (asym env down --destroy)', answer: 'EnvironmentDown' },
  'POST /v1/environments/{env}/stop': { summary: 'Stop every clone of an environment, data kept (asym env down)', answer: 'EnvironmentDown' },
  'GET /v1/environments/{env}/status': { summary: 'Live health of every clone and the rolled-up state', answer: 'EnvironmentStatus' },
  'POST /v1/environments/{env}/reset': { summary: 'Reset every clone to its state right after spin and seed', answer: 'EnvironmentReset' },
  'GET /v1/environments/{env}/diff': { summary: 'What changed in every clone since spin and seed', answer: 'EnvironmentDiff' },
  'GET /v1/environments/{env}/clock': { summary: "The environment's one clock, per clone", answer: 'EnvironmentClock' },
  'POST /v1/environments/{env}/clock': { summary: "Set, advance, freeze or run every clone's clock together", body: 'ClockOp', answer: 'EnvironmentClock' },
};

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

export function openApiDocument(serverUrl: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [method, pattern] of ROUTES) {
    const shape = SHAPES[`${method} ${pattern}`] ?? { summary: pattern };
    const params = [...pattern.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    const answer = shape.answer ? (shape.list ? { type: 'array', items: ref(shape.answer) } : ref(shape.answer)) : { type: 'object' };
    (paths[pattern] ??= {})[method.toLowerCase()] = {
      summary: shape.summary,
      ...(params.length ? { parameters: params } : {}),
      ...(shape.body ? { requestBody: { required: true, content: { 'application/json': { schema: ref(shape.body) } } } } : {}),
      responses: {
        [method === 'POST' && (pattern === '/v1/clones' || pattern.endsWith('/fork') || pattern.endsWith('/snapshot')) ? '201' : '200']: {
          description: 'success',
          content: { [shape.ndjson ? 'application/x-ndjson' : 'application/json']: { schema: answer } },
        },
        default: { description: 'a named error (code, message, hint)', content: { 'application/json': { schema: ref('Error') } } },
      },
    };
  }
  const schemas = Object.fromEntries(Object.entries(SCHEMAS).map(([name, s]) => {
    const { $schema: _, ...js } = toJsonSchema(s, { errorMode: 'ignore' }) as Record<string, unknown>;
    return [name, js];
  }));
  return {
    openapi: '3.1.0',
    info: { title: 'asym control plane', version: versionString(), description: 'Clones of SaaS APIs, run by asym serve. Every route but /v1/health and this one needs Authorization: Bearer <key> (asym serve keys create).' },
    servers: [{ url: serverUrl }],
    security: [{ bearer: [] }],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } }, schemas },
    paths,
  };
}
