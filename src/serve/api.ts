/**
 * The control plane's /v1 API over one CliProvider (the engine). Every route is a row of
 * ROUTES naming a handler below; every handler acts for one tenant (the API key's name),
 * checks that the clone is that tenant's before the engine sees the id, and answers a
 * clone of someone else's exactly as one that does not exist.
 *
 * Operations are not tied to their request: a handler runs to its end whether or not the
 * client is still there (a disconnect mid-spin leaves a finished clone, or a rolled-back
 * one, never a half-made one), and the server waits for every running handler before it
 * exits. A long verb asked for application/x-ndjson answers at once with a stream its
 * steps are written to as they happen (STREAMED, dispatch); a verb that carries a file
 * reads or writes it through files.ts.
 */
import { randomBytes } from 'node:crypto';
import * as v from 'valibot';
import { CloneFromSpecSchema, ConfigRequestSchema, DiffRequestSchema, ForkRequestSchema, SeedRequestSchema, SnapshotRequestSchema, UserTokenRequestSchema, type ProgressEvent } from '../contract/api.ts';
import { CloneSpecSchema, type CloneInstance, type CloneRecord, type CloneSpec } from '../contract/clone.ts';
import { ClockOpSchema } from '../contract/clock.ts';
import { AsymmetricError, isAsymmetricError } from '../contract/errors.ts';
import type { CliProvider } from '../contract/provider.ts';
import { LogOptionsSchema } from '../contract/status.ts';
import { checkInterrupted } from '../process/interrupt.ts';
import { envClock, joinEnvClock } from '../env/env-clock.ts';
import { envDiff, envDown, envList, envReset, envStatus, envUpFrom, findEnvironment } from '../env/environments.ts';
import { definitionFrom, EnvironmentRequestSchema } from '../env/spec.ts';
import { readRegistry } from '../registry/registry.ts';
import { forkNames } from '../worlds/fork.ts';
import { readHeaderOnly } from '../worlds/snapshot-file.ts';
import { asClients, carriesFile, fileResponse, withDownload, withUpload } from './files.ts';
import { envNotFound, errorResponse, json, notFound } from './http.ts';
import type { KeyEntry } from './keys.ts';
import type { Slots } from './slots.ts';
import type { Tenants } from './tenants.ts';

export interface ApiContext {
  key: KeyEntry;
  engine: CliProvider;
  tenants: Tenants;
  /** The host name clients and agents reach the clones at (asym serve --public-host). */
  publicHost: string | null;
  /** Creates (spin, fork) queue here: a burst must not start more clones than the machine can bring up. */
  slots: Slots;
  /** The engine with its steps reported to `onProgress` (and the server's log): a streamed call's. */
  engineWith(onProgress: (step: string) => void): CliProvider;
  /** An operation that outlives its response (a streamed call): the server waits for it before it exits. */
  track(op: Promise<unknown>): void;
}

/** What a call reports as it goes: to its client when it asked for a stream, else nowhere. */
interface Events {
  step(step: string, clone?: string): void;
  member(clone: string, action: string, error?: { code: string; message: string }): void;
}

interface Call {
  ctx: ApiContext;
  req: Request;
  url: URL;
  /** The clone id of /v1/clones/{id}/…, already checked to be the tenant's. */
  id: string;
  /** The path's last segment where it is a name (a snapshot's). */
  name: string;
  /** The environment of /v1/environments/{env}/…, already checked to be the tenant's. */
  env: string;
  events: Events;
  /** The engine for this call: its steps go to `events`. */
  engine: CliProvider;
}

type Handler = (call: Call) => Promise<Response>;

async function body<S extends v.GenericSchema>(req: Request, schema: S): Promise<v.InferOutput<S>> {
  let raw: unknown;
  try {
    const text = await req.text();
    raw = text.trim() ? JSON.parse(text) : {};
  } catch {
    throw new AsymmetricError('INVALID_INPUT', 'the request body is not JSON');
  }
  const r = v.safeParse(schema, raw);
  if (!r.success) {
    const issue = r.issues[0]!;
    const path = v.getDotPath(issue);
    throw new AsymmetricError('INVALID_INPUT', `${path ? `${path}: ` : ''}${issue.message}`, { hint: 'GET /v1/openapi.json describes every request' });
  }
  return r.output;
}

function parsed<S extends v.GenericSchema>(schema: S, raw: unknown, what: string): v.InferOutput<S> {
  const r = v.safeParse(schema, raw);
  if (!r.success) {
    const issue = r.issues[0]!;
    const path = v.getDotPath(issue);
    throw new AsymmetricError('INVALID_INPUT', `${what}: ${path ? `${path}: ` : ''}${issue.message}`, { hint: 'GET /v1/openapi.json describes every request' });
  }
  return r.output;
}

/** A query parameter holding JSON (a request whose body is a file carries its fields there). */
function queryJson<S extends v.GenericSchema>(url: URL, name: string, schema: S): v.InferOutput<S> {
  const text = url.searchParams.get(name);
  let raw: unknown = {};
  try {
    if (text) raw = JSON.parse(text);
  } catch {
    throw new AsymmetricError('INVALID_INPUT', `the ${name} parameter is not JSON`);
  }
  return parsed(schema, raw, name);
}

/** The record as its tenant sees it: its endpoints at the public host; no server process details. */
function view(ctx: ApiContext, inst: CloneInstance): CloneInstance {
  const { owner: _, ...rest } = inst;
  if (!ctx.publicHost) return rest;
  const swap = (u: string) => {
    const url = new URL(u);
    // An endpoint on this machine's loopback is advertised at the public host; one an engine
    // placed elsewhere (a Swarm node's address) is already where clients reach it.
    if (url.hostname !== '127.0.0.1') return url.origin;
    url.hostname = ctx.publicHost!;
    return url.origin;
  };
  return { ...rest, endpoints: { api: swap(inst.endpoints.api), web: inst.endpoints.web ? swap(inst.endpoints.web) : null } };
}

async function exists(engine: CliProvider, id: string): Promise<boolean> {
  try {
    await engine.get(id);
    return true;
  } catch (e) {
    if (isAsymmetricError(e) && e.code === 'CLONE_NOT_FOUND') return false;
    throw e;
  }
}

/** Claims that ended up with no clone behind them (a create that failed before recording, or was rolled back) are released. */
async function releaseMissing(ctx: ApiContext, ids: string[]): Promise<void> {
  const missing: string[] = [];
  for (const id of ids) if (!(await exists(ctx.engine, id))) missing.push(id);
  ctx.tenants.release(missing);
}

/**
 * After a create that threw: the engine has undone what it made but keeps a `failed` record
 * (a local user reads it in asym ls). Here the caller has the error in the answer; the record
 * is removed (destroy finishes any cleanup the spin could not) and the claim released, so a
 * failed create never counts against the key's --max-clones. A record that cannot be removed
 * keeps its claim: it still holds something on the machine.
 */
async function rollBack(ctx: ApiContext, ids: string[]): Promise<void> {
  for (const id of ids) {
    const record = await ctx.engine.get(id).catch(() => null);
    if (record?.state === 'failed') await ctx.engine.destroy(id).catch(() => {});
  }
  await releaseMissing(ctx, ids);
}

const loopback = (host: string) => host === 'localhost' || host === '::1' || host.startsWith('127.');

function newId(template: string): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return `${template}-${[...randomBytes(6)].map((b) => alphabet[b % alphabet.length]).join('')}`;
}

async function listClones({ ctx }: Call): Promise<Response> {
  const mine = new Set(ctx.tenants.owned(ctx.key.name));
  const records = (await ctx.engine.list()).filter((r) => mine.has(r.id));
  return json(records.map((r) => view(ctx, instanceOf(ctx, r))));
}

function instanceOf(ctx: ApiContext, r: CloneRecord): CloneInstance {
  try {
    return ctx.engine.instance(r);
  } catch {
    return { ...r, endpoints: { api: '', web: null } };
  }
}

/** An environment name for the caller: its own, or a new one (another's, or one spun locally in this home, is taken). */
function claimEnvironment(ctx: ApiContext, name: string): void {
  const owner = ctx.tenants.environmentOwner(name);
  if (owner === undefined && findEnvironment(readRegistry(), name)) throw new AsymmetricError('NAME_TAKEN', `an environment named ${name} already exists`, { hint: 'give the environment another name' });
  ctx.tenants.claimEnvironment(ctx.key.name, name);
}

/**
 * One clone for the caller: claimed within its quota before the engine sees it (so a create
 * in progress counts), queued for a slot, rolled back and released if it fails.
 */
async function createFor(ctx: ApiContext, spec: CloneSpec, engine: CliProvider = ctx.engine, make: (spec: CloneSpec) => Promise<CloneInstance> = (s) => engine.create(s)): Promise<CloneInstance> {
  const id = spec.name ?? newId(spec.template);
  // A failed member of the caller's environment is made again under its claim (env up).
  const mine = ctx.tenants.ownerOf(id) === ctx.key.name;
  // An id already in the engine is taken whoever holds it (possibly nobody: a clone spun locally in this home).
  if (!mine && (await exists(ctx.engine, id))) throw new AsymmetricError('NAME_TAKEN', `a clone named ${id} already exists`, { hint: 'pick another --name' });
  if (spec.group) claimEnvironment(ctx, spec.group);
  if (!mine) await ctx.tenants.claim(ctx.key.name, [id], ctx.key.maxClones);
  // A clone an agent on another machine must reach listens beyond loopback.
  const expose = spec.expose ?? (ctx.publicHost !== null && !loopback(ctx.publicHost));
  try {
    return await ctx.slots.run(async () => {
      checkInterrupted(); // the server began to stop while this one waited its turn
      return make({ ...spec, name: id, ...(expose ? { expose } : {}) });
    });
  } catch (e) {
    await rollBack(ctx, [id]);
    throw e;
  }
}

/** The engine as one tenant's environments use it: creates claim (createFor), destroys release. */
function tenantEngine(ctx: ApiContext, engine: CliProvider = ctx.engine): CliProvider {
  return new Proxy(engine, {
    get(target, prop) {
      if (prop === 'create') return (spec: CloneSpec) => createFor(ctx, spec, engine);
      if (prop === 'destroy') {
        return async (id: string) => {
          await target.destroy(id);
          ctx.tenants.release([id]);
        };
      }
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

async function createClone(call: Call): Promise<Response> {
  const { ctx, req, engine } = call;
  if (carriesFile(req)) return createFromFile(call);
  const spec = await body(req, CloneSpecSchema);
  const inst = await createFor(ctx, spec, engine);
  // An environment's clones share one clock: a clone that joins takes the others' time.
  if (spec.group) await joinEnvClock(spec.group, inst.id, ctx.engine).catch(() => null);
  return json(view(ctx, inst), 201);
}

/**
 * spin --from: the file is the body, the spin's fields are the `spec` parameter. The quota is
 * asked before the upload is read (a full key is refused at once) and held by the claim
 * once the file is whole; the engine checks the file as a local spin --from does.
 */
async function createFromFile({ ctx, req, url, engine }: Call): Promise<Response> {
  const spec = queryJson(url, 'spec', CloneFromSpecSchema);
  ctx.tenants.checkRoom(ctx.key.name, 1, ctx.key.maxClones);
  return withUpload(req, async (file) => {
    try {
      const template = spec.template ?? readHeaderOnly(file).header.template;
      // No joinEnvClock with --group: the file brings its clock, as a local spin --from keeps it.
      const inst = await createFor(ctx, { ...spec, template }, engine, (s) => engine.createFrom(s, file));
      return json(view(ctx, inst), 201);
    } catch (e) {
      throw asClients(e, file, url.searchParams.get('file'));
    }
  });
}

async function getOne({ ctx, id }: Call): Promise<Response> {
  return json(view(ctx, instanceOf(ctx, await ctx.engine.get(id))));
}

async function destroyOne({ ctx, id, engine }: Call): Promise<Response> {
  await engine.destroy(id);
  ctx.tenants.release([id]);
  return json({ id, destroyed: true });
}

const statusOf: Handler = async ({ ctx, id }) => json(await ctx.engine.status(id));
const start: Handler = async ({ id, engine }) => json({ id, changed: await engine.ensureRunning(id) });
const stop: Handler = async ({ id, engine }) => {
  await engine.stop(id);
  return json({ id, stopped: true });
};
const reset: Handler = async ({ id, engine }) => {
  await engine.reset(id);
  return json({ id, reset: true });
};
/**
 * seed: a JSON SeedRequest; with `savePack` the answer is the seeded state as a file (the
 * client keeps it as a pack of its home). A file as the body is a pack of the client's
 * home, named by the `pack` parameter (seed --pack under a remote).
 */
const seed: Handler = async ({ req, url, id, engine }) => {
  if (carriesFile(req)) {
    const pack = parsed(v.pipe(v.string(), v.nonEmpty()), url.searchParams.get('pack') ?? '', 'pack');
    return withUpload(req, async (file) => {
      try {
        return json(await engine.seed(id, { pack }, { packFile: file }));
      } catch (e) {
        throw asClients(e, file, url.searchParams.get('file'));
      }
    });
  }
  const b = await body(req, SeedRequestSchema);
  if (!b.savePack) return json(await engine.seed(id, b.spec, { force: b.force }));
  const { bytes, result } = await withDownload((file) => engine.seed(id, b.spec, { force: b.force, saveTo: file }));
  return fileResponse(bytes, result);
};
const snapshot: Handler = async ({ req, id, engine }) => {
  const b = await body(req, SnapshotRequestSchema);
  await engine.snapshot(id, b.name);
  return json({ id, name: b.name }, 201);
};
const listSnapshots: Handler = async ({ ctx, id }) => json(await ctx.engine.listSnapshots(id));
const removeSnapshot: Handler = async ({ ctx, id, name }) => {
  await ctx.engine.removeSnapshot(id, name);
  return json({ id, name, removed: true });
};
/** restore: a named snapshot ({name}), or a file as the body (restore --from; `file`: the client's path). */
const restore: Handler = async ({ req, url, id, engine }) => {
  if (carriesFile(req)) {
    const clientFile = url.searchParams.get('file');
    return withUpload(req, async (file) => {
      try {
        const r = await engine.restoreFrom(id, file);
        return json({ ...r, file: clientFile ?? r.file });
      } catch (e) {
        throw asClients(e, file, clientFile);
      }
    });
  }
  const b = await body(req, SnapshotRequestSchema);
  await engine.restore(id, b.name);
  return json({ id, name: b.name });
};
/** snapshot export: the snapshot as one file, with its ExportResult (a file answer, files.ts). */
const exportSnapshot: Handler = async ({ url, id, name, engine }) => {
  // The name is looked up, not checked here: an odd one is SNAPSHOT_NOT_FOUND, as locally.
  const { bytes, result } = await withDownload((file) => engine.exportSnapshot(id, name, file));
  return fileResponse(bytes, { ...result, file: url.searchParams.get('file') ?? '' });
};
const diff: Handler = async ({ ctx, req, id }) => json(await ctx.engine.diff(id, await body(req, DiffRequestSchema)));
const tokens: Handler = async ({ ctx, id }) => json(await ctx.engine.tokens(id));
const userToken: Handler = async ({ ctx, req, id }) => json(await ctx.engine.userToken(id, (await body(req, UserTokenRequestSchema)).user));
const getConfig: Handler = async ({ ctx, id }) => json(await ctx.engine.config(id));
const setConfig: Handler = async ({ ctx, req, id }) => json(await ctx.engine.config(id, (await body(req, ConfigRequestSchema)).patch));
const upgrade: Handler = async ({ id, engine }) => json(await engine.upgrade(id));
const getClock: Handler = async ({ ctx, id }) => json(await ctx.engine.clock(id, { op: 'show' }));
const setClock: Handler = async ({ ctx, req, id }) => json(await ctx.engine.clock(id, await body(req, ClockOpSchema)));

async function fork({ ctx, req, id, engine }: Call): Promise<Response> {
  const b = await body(req, ForkRequestSchema);
  const names = forkNames(id, b.n, b.prefix);
  for (const n of names) if (await exists(ctx.engine, n)) throw new AsymmetricError('NAME_TAKEN', `a clone named ${n} already exists`, { hint: 'pick another --prefix' });
  await ctx.tenants.claim(ctx.key.name, names, ctx.key.maxClones);
  try {
    // The names were chosen here (and claimed), so the engine is told them.
    const prefix = names[0]!.replace(/-1$/, '');
    const r = await ctx.slots.run(() => engine.fork(id, b.n, { prefix }));
    return json({ ...r, clones: r.clones.map((c) => view(ctx, c)) }, 201);
  } catch (e) {
    await rollBack(ctx, names);
    throw e;
  } finally {
    await releaseMissing(ctx, names);
  }
}

/** NDJSON, one LogLine per line; with follow=true it lasts until the client goes away. */
async function logs({ ctx, req, url, id }: Call): Promise<Response> {
  const q = url.searchParams;
  const tail = q.get('tail');
  const raw = JSON.parse(JSON.stringify({
    follow: q.get('follow') === 'true' || undefined,
    tail: tail === null ? undefined : /^\d+$/.test(tail) ? Number(tail) : tail,
    since: q.get('since') ?? undefined,
    service: q.get('service') ?? undefined,
  }));
  const r = v.safeParse(LogOptionsSchema, raw);
  if (!r.success) throw new AsymmetricError('INVALID_INPUT', `log options (${v.getDotPath(r.issues[0]!) ?? ''}): ${r.issues[0]!.message}`);
  const controller = new AbortController();
  req.signal.addEventListener('abort', () => controller.abort());
  const iter = ctx.engine.logs(id, { ...r.output, signal: controller.signal })[Symbol.asyncIterator]();
  // The first line (or the error) before the status is sent, so a bad service is a 400, not a broken stream.
  const first = await iter.next();
  const enc = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    start(c) {
      if (first.done) c.close();
      else c.enqueue(enc.encode(`${JSON.stringify(first.value)}\n`));
    },
    async pull(c) {
      try {
        const n = await iter.next();
        if (n.done) c.close();
        else c.enqueue(enc.encode(`${JSON.stringify(n.value)}\n`));
      } catch (e) {
        c.error(e);
      }
    },
    cancel() {
      controller.abort();
      void iter.return?.();
    },
  });
  return new Response(first.done ? '' : stream, { headers: { 'content-type': 'application/x-ndjson' } });
}

/**
 * Environments: the env verbs run here on the server's registry, with the tenant's engine
 * (tenantEngine), so their members are claimed, counted and released as clones are. Members'
 * endpoints are answered at the public host, as GET /v1/clones shows them.
 */
function withViews<T extends { clones: CloneInstance[] }>(ctx: ApiContext, r: T): T {
  return { ...r, clones: r.clones.map((c) => view(ctx, c)) };
}

const listEnvironments: Handler = async ({ ctx }) => json(envList().filter((e) => ctx.tenants.environmentOwner(e.name) === ctx.key.name));
const showEnvironment: Handler = async ({ env }) => {
  const entry = envList().find((e) => e.name === env);
  if (!entry) throw envNotFound(env);
  return json(entry);
};
/** The env verbs' options for a call: members through the tenant's engine, each one's steps and outcome reported. */
function memberOptions(ctx: ApiContext, events: Events) {
  return {
    provider: tenantEngine(ctx),
    memberProvider: (clone: string) => tenantEngine(ctx, ctx.engineWith((step) => events.step(step, clone))),
    onMember: (clone: string, action: string, error?: AsymmetricError) => events.member(clone, action, error ? { code: error.code, message: error.message } : undefined),
  };
}

const upEnvironment: Handler = async ({ ctx, req, events }) => {
  const def = definitionFrom(await body(req, EnvironmentRequestSchema));
  claimEnvironment(ctx, def.name);
  try {
    return json(withViews(ctx, await envUpFrom(def, memberOptions(ctx, events))));
  } finally {
    // A first env up that failed before the registry recorded the environment leaves no claim.
    if (!findEnvironment(readRegistry(), def.name)) ctx.tenants.releaseEnvironment(def.name);
  }
};
const stopEnvironment: Handler = async ({ ctx, env, events }) => json(await envDown(env, memberOptions(ctx, events)));
const destroyEnvironment: Handler = async ({ ctx, env, events }) => {
  const r = await envDown(env, { ...memberOptions(ctx, events), destroy: true });
  if (r.destroyed) ctx.tenants.releaseEnvironment(env);
  return json(r);
};
const environmentStatus: Handler = async ({ ctx, env }) => json(await envStatus(env, ctx.engine));
const resetEnvironment: Handler = async ({ ctx, env, events }) => json(await envReset(env, { provider: ctx.engine, memberProvider: (clone) => ctx.engineWith((step) => events.step(step, clone)), onMember: memberOptions(ctx, events).onMember }));
const diffEnvironment: Handler = async ({ ctx, env }) => json(await envDiff(env, ctx.engine));
const environmentClock: Handler = async ({ ctx, env }) => json(await envClock(env, { op: 'show' }, ctx.engine));
const setEnvironmentClock: Handler = async ({ ctx, req, env }) => json(await envClock(env, await body(req, ClockOpSchema), ctx.engine));

/** Method, path pattern ({id}: a clone of the caller's, {env}: an environment of the caller's, {name}: a snapshot), handler. */
export const ROUTES: [string, string, Handler][] = [
  ['GET', '/v1/clones', listClones],
  ['POST', '/v1/clones', createClone],
  ['GET', '/v1/clones/{id}', getOne],
  ['DELETE', '/v1/clones/{id}', destroyOne],
  ['GET', '/v1/clones/{id}/status', statusOf],
  ['POST', '/v1/clones/{id}/start', start],
  ['POST', '/v1/clones/{id}/stop', stop],
  ['POST', '/v1/clones/{id}/reset', reset],
  ['POST', '/v1/clones/{id}/seed', seed],
  ['POST', '/v1/clones/{id}/snapshot', snapshot],
  ['GET', '/v1/clones/{id}/snapshots', listSnapshots],
  ['DELETE', '/v1/clones/{id}/snapshots/{name}', removeSnapshot],
  ['GET', '/v1/clones/{id}/snapshots/{name}/file', exportSnapshot],
  ['POST', '/v1/clones/{id}/restore', restore],
  ['POST', '/v1/clones/{id}/diff', diff],
  ['GET', '/v1/clones/{id}/tokens', tokens],
  ['POST', '/v1/clones/{id}/tokens', userToken],
  ['GET', '/v1/clones/{id}/config', getConfig],
  ['POST', '/v1/clones/{id}/config', setConfig],
  ['GET', '/v1/clones/{id}/clock', getClock],
  ['POST', '/v1/clones/{id}/clock', setClock],
  ['POST', '/v1/clones/{id}/upgrade', upgrade],
  ['POST', '/v1/clones/{id}/fork', fork],
  ['GET', '/v1/clones/{id}/logs', logs],
  ['GET', '/v1/environments', listEnvironments],
  ['POST', '/v1/environments', upEnvironment],
  ['GET', '/v1/environments/{env}', showEnvironment],
  ['DELETE', '/v1/environments/{env}', destroyEnvironment],
  ['POST', '/v1/environments/{env}/stop', stopEnvironment],
  ['GET', '/v1/environments/{env}/status', environmentStatus],
  ['POST', '/v1/environments/{env}/reset', resetEnvironment],
  ['GET', '/v1/environments/{env}/diff', diffEnvironment],
  ['GET', '/v1/environments/{env}/clock', environmentClock],
  ['POST', '/v1/environments/{env}/clock', setEnvironmentClock],
];

function match(pattern: string, path: string): Record<string, string> | null {
  const p = pattern.split('/');
  const s = path.replace(/\/+$/, '').split('/');
  if (p.length !== s.length) return null;
  const out: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    if (p[i]!.startsWith('{')) out[p[i]!.slice(1, -1)] = decodeURIComponent(s[i]!);
    else if (p[i] !== s[i]) return null;
  }
  return out;
}

/** The route for a request, or null (404) / 'method' (405). */
export function route(method: string, path: string): { handler: Handler; params: Record<string, string> } | null | 'method' {
  let pathMatched = false;
  for (const [m, pattern, handler] of ROUTES) {
    const params = match(pattern, path);
    if (!params) continue;
    pathMatched = true;
    if (m === method) return { handler, params };
  }
  return pathMatched ? 'method' : null;
}

/** Long verbs that answer a stream of ProgressEvents when asked with Accept: application/x-ndjson. */
const STREAMED = new Set<Handler>([createClone, destroyOne, start, stop, reset, seed, snapshot, restore, upgrade, fork, upEnvironment, stopEnvironment, destroyEnvironment, resetEnvironment]);

const wantsStream = (req: Request) => (req.headers.get('accept') ?? '').split(',').some((t) => t.split(';')[0]!.trim() === 'application/x-ndjson');

const quiet: Events = { step() {}, member() {} };

export async function dispatch(ctx: ApiContext, req: Request, url: URL, found: { handler: Handler; params: Record<string, string> }): Promise<Response> {
  const id = found.params.id ?? '';
  const env = found.params.env ?? '';
  if (id && ctx.tenants.ownerOf(id) !== ctx.key.name) throw notFound(id);
  if (env && ctx.tenants.environmentOwner(env) !== ctx.key.name) throw envNotFound(env);
  const run = async (events: Events, engine: CliProvider): Promise<Response> => {
    try {
      return await found.handler({ ctx, req, url, id, env, name: found.params.name ?? '', events, engine });
    } catch (e) {
      // The engine's own not-found names the clones (and environments) it knows, which may be other tenants'.
      if (isAsymmetricError(e) && e.code === 'ENVIRONMENT_NOT_FOUND') throw envNotFound(env || 'that');
      if (isAsymmetricError(e) && e.code === 'CLONE_NOT_FOUND' && !env) throw notFound(id || 'that');
      throw e;
    }
  };
  if (!STREAMED.has(found.handler) || !wantsStream(req)) return run(quiet, ctx.engine);
  // The stream starts at once; the operation runs to its end whether or not anyone still reads it.
  const enc = new TextEncoder();
  let out: ReadableStreamDefaultController<Uint8Array> | null = null;
  const send = (ev: ProgressEvent) => {
    try {
      out?.enqueue(enc.encode(`${JSON.stringify(ev)}\n`));
    } catch {
      out = null; // the client went away
    }
  };
  const events: Events = {
    step: (step, clone) => send({ event: 'progress', step, ...(clone ? { clone } : {}) }),
    member: (clone, action, error) => send({ event: 'member', clone, action, ...(error ? { error } : {}) }),
  };
  const stream = new ReadableStream<Uint8Array>({
    start(c) {
      out = c;
    },
    cancel() {
      out = null;
    },
  });
  const op = run(events, ctx.engineWith((step) => events.step(step)))
    .catch(errorResponse)
    .then(async (res) => {
      send({ event: 'result', status: res.status, body: await res.json().catch(() => null) });
      try {
        out?.close();
      } catch {
        // already closed by the client
      }
      out = null;
    });
  ctx.track(op);
  return new Response(stream, { headers: { 'content-type': 'application/x-ndjson' } });
}
