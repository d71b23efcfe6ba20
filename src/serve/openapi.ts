/**
 * /v1/openapi.json, generated from the valibot schemas the server validates with (and the
 * CLI parses its flags with): a schema changed in src/contract changes the description too.
 */
import { toJsonSchema } from '@valibot/to-json-schema';
import type * as v from 'valibot';
import { ClockOpSchema, ClockReadingSchema } from '../contract/clock.ts';
import { CloneFromSpecSchema, ConfigRequestSchema, DiffRequestSchema, ErrorDocumentSchema, ExportResultSchema, ForkRequestSchema, ImportResultSchema, ProgressEventSchema, SeedRequestSchema, SNAPSHOT_MEDIA_TYPE, SnapshotRequestSchema, UserTokenRequestSchema } from '../contract/api.ts';
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
  CloneFromSpec: CloneFromSpecSchema,
  ExportResult: ExportResultSchema,
  ImportResult: ImportResultSchema,
  ProgressEvent: ProgressEventSchema,
  Error: ErrorDocumentSchema,
};

/**
 * Routes that also take a snapshot file as the body instead of JSON (`query`: the parameters
 * that then carry the rest), or answer one (`fileAnswer`: multipart/form-data, the document
 * and the file), and those that stream ProgressEvents when asked for application/x-ndjson.
 */
const FILE_BODY: Record<string, { summary: string; answer: string; query: { name: string; description: string; schema?: string; required?: boolean }[] }> = {
  'POST /v1/clones': {
    summary: 'or, with a snapshot file as the body, a clone holding its state (asym spin --from)',
    answer: 'CloneInstance',
    query: [
      { name: 'spec', description: "the spin's fields, as JSON (the file brings seed and world; the template defaults to the file's)", schema: 'CloneFromSpec' },
      { name: 'file', description: "the file's path on the client, named in messages instead of the server's copy" },
    ],
  },
  'POST /v1/clones/{id}/restore': {
    summary: "or, with a snapshot file as the body, the clone's state replaced by the file's (asym restore --from)",
    answer: 'ImportResult',
    query: [{ name: 'file', description: "the file's path on the client, answered as ImportResult.file" }],
  },
  'POST /v1/clones/{id}/seed': {
    summary: "or, with a pack of the client's home as the body, that pack's state (asym seed --pack under a remote)",
    answer: 'SeedResult',
    query: [
      { name: 'pack', description: "the pack's name, recorded as the clone's seed", required: true },
      { name: 'file', description: "the pack's path on the client, named in messages" },
    ],
  },
};
const FILE_ANSWER: Record<string, { description: string; result: string; query?: { name: string; description: string }[] }> = {
  'GET /v1/clones/{id}/snapshots/{name}/file': { description: 'the snapshot file', result: 'ExportResult', query: [{ name: 'file', description: "the file's path on the client, answered as ExportResult.file" }] },
  'POST /v1/clones/{id}/seed': { description: 'with savePack: the seeded state as a snapshot file (the client keeps it as a pack)', result: 'SeedResult' },
};
const STREAMS = new Set([
  'POST /v1/clones', 'DELETE /v1/clones/{id}', 'POST /v1/clones/{id}/start', 'POST /v1/clones/{id}/stop', 'POST /v1/clones/{id}/reset', 'POST /v1/clones/{id}/seed',
  'POST /v1/clones/{id}/snapshot', 'POST /v1/clones/{id}/restore', 'POST /v1/clones/{id}/upgrade', 'POST /v1/clones/{id}/fork',
  'POST /v1/environments', 'DELETE /v1/environments/{env}', 'POST /v1/environments/{env}/stop', 'POST /v1/environments/{env}/reset',
]);

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
  'GET /v1/clones/{id}/snapshots/{name}/file': { summary: 'A named snapshot as one portable file (asym snapshot export)', answer: 'ExportResult' },
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

const fileSchema = { type: 'string', contentMediaType: SNAPSHOT_MEDIA_TYPE, description: 'an asym snapshot file (src/worlds/snapshot-file.ts)' };

export function openApiDocument(serverUrl: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [method, pattern] of ROUTES) {
    const key = `${method} ${pattern}`;
    const shape = SHAPES[key] ?? { summary: pattern };
    const fileBody = FILE_BODY[key];
    const fileAnswer = FILE_ANSWER[key];
    const params: Record<string, unknown>[] = [...pattern.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    for (const q of fileAnswer?.query ?? []) params.push({ name: q.name, in: 'query', required: false, description: q.description, schema: { type: 'string' } });
    for (const q of fileBody?.query ?? []) {
      params.push({ name: q.name, in: 'query', required: q.required ?? false, description: `with a file as the body: ${q.description}`, ...(q.schema ? { content: { 'application/json': { schema: ref(q.schema) } } } : { schema: { type: 'string' } }) });
    }
    const answer = shape.answer ? (shape.list ? { type: 'array', items: ref(shape.answer) } : ref(shape.answer)) : fileAnswer ? ref(fileAnswer.result) : { type: 'object' };
    const content: Record<string, unknown> = {};
    if (fileAnswer) {
      content['multipart/form-data'] = {
        schema: { type: 'object', description: fileAnswer.description, required: ['result', 'file'], properties: { result: ref(fileAnswer.result), file: fileSchema } },
        encoding: { result: { contentType: 'application/json' }, file: { contentType: SNAPSHOT_MEDIA_TYPE } },
      };
    }
    if (!fileAnswer || shape.body) content[shape.ndjson ? 'application/x-ndjson' : 'application/json'] = { schema: answer };
    if (STREAMS.has(key)) content['application/x-ndjson'] = { schema: { ...ref('ProgressEvent'), description: 'with Accept: application/x-ndjson, one per line: the steps and members as they happen, the last line the answer ({event: result, status, body})' } };
    const body: Record<string, unknown> = {};
    if (shape.body) body['application/json'] = { schema: ref(shape.body) };
    if (fileBody) body[SNAPSHOT_MEDIA_TYPE] = { schema: fileSchema };
    (paths[pattern] ??= {})[method.toLowerCase()] = {
      summary: fileBody ? `${shape.summary}; ${fileBody.summary}` : shape.summary,
      ...(params.length ? { parameters: params } : {}),
      ...(Object.keys(body).length ? { requestBody: { required: true, content: body } } : {}),
      responses: {
        [method === 'POST' && (pattern === '/v1/clones' || pattern.endsWith('/fork') || pattern.endsWith('/snapshot')) ? '201' : '200']: {
          description: 'success',
          content,
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
