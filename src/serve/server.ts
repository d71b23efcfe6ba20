/**
 * asym serve: the control plane. A foreground Bun.serve over one engine (a CliProvider from
 * src/providers' engineFor, so another engine plugs in there), its state in this process's
 * ASYM_HOME: the registry (as for a local asym), the API keys and the clones' owners.
 *
 * Start: operations the previous run left half-done are finished or rolled back (doctor's
 * interrupted-operation repair), then owner claims with no clone behind them are dropped.
 * Running clones are not touched: they keep running across a restart.
 * Stop (SIGINT/SIGTERM): no new requests; operations in flight see the interruption at
 * their next step and roll back as a local verb does; the process ends when they have.
 */
import { AsymmetricError, isAsymmetricError } from '../contract/errors.ts';
import type { CliProvider } from '../contract/provider.ts';
import { onInterrupt } from '../process/interrupt.ts';
import { envList } from '../env/environments.ts';
import { engineFor, repairEngine } from '../providers/index.ts';
import { dispatch, route, type ApiContext } from './api.ts';
import { clearUploads, uploadLimit } from './files.ts';
import { errorResponse, json } from './http.ts';
import { authenticate } from './keys.ts';
import { openApiDocument } from './openapi.ts';
import { createSlots } from './slots.ts';
import { Tenants } from './tenants.ts';
import { versionString } from '../version.ts';

export interface ServeOptions {
  hostname: string;
  port: number;
  publicHost: string | null;
  tls?: { cert: string; key: string };
  log?: (line: string) => void;
}

export interface RunningServer {
  url: string;
  /** Resolves when the server has stopped and every operation in flight has ended. */
  done: Promise<void>;
  stop(): Promise<void>;
}

function bearer(req: Request): string | null {
  const m = /^Bearer\s+(\S+)$/i.exec(req.headers.get('authorization') ?? '');
  return m ? m[1]! : null;
}

export async function startServer(opts: ServeOptions): Promise<RunningServer> {
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const engine: CliProvider = engineFor({ onProgress: (s) => log(`  … ${s}`) });
  try {
    for (const f of await repairEngine()) log(`reconciled ${f.target}: ${f.detail}${f.fixed ? ' (done)' : ` (not fixed: ${f.error})`}`);
  } catch (e) {
    log(`could not reconcile interrupted operations yet: ${isAsymmetricError(e) ? `${e.code}: ${e.message}` : String(e)}`);
  }
  // After the repair, which may finish a restore --from from its uploaded file.
  const stale = clearUploads();
  if (stale) log(`removed ${stale} upload(s) a previous run left`);
  const tenants = new Tenants();
  const dropped = tenants.reconcile(new Set((await engine.list()).map((c) => c.id)));
  if (dropped.length) log(`dropped ${dropped.length} claim(s) with no clone: ${dropped.join(', ')}`);
  const droppedEnvs = tenants.reconcileEnvironments(new Set(envList().map((e) => e.name)));
  if (droppedEnvs.length) log(`dropped ${droppedEnvs.length} environment claim(s) with no environment: ${droppedEnvs.join(', ')}`);

  const slots = createSlots();
  const inflight = new Set<Promise<unknown>>();
  let stopping = false;
  let origin = '';

  async function handle(req: Request): Promise<Response> {
    const url = new URL(req.url);
    const path = url.pathname;
    if (req.method === 'GET' && path === '/v1/health') return json({ ok: true, version: versionString(), engine: engine.kind });
    if (req.method === 'GET' && path === '/v1/openapi.json') return json(openApiDocument(origin));
    if (stopping) return errorResponse(new AsymmetricError('INTERRUPTED', 'the control plane is shutting down', { hint: 'retry when it is back' }));
    const key = authenticate(bearer(req));
    if (!key) {
      return errorResponse(new AsymmetricError('UNAUTHORIZED', bearer(req) ? 'the API key is not valid (unknown or revoked)' : 'no API key: send Authorization: Bearer <key>', {
        hint: 'use a key from asym serve keys create (on the server): asym remote add NAME URL --token-stdin, or ASYM_REMOTE_TOKEN',
      }));
    }
    const found = route(req.method, path);
    if (found === null) return json({ error: { code: 'INVALID_INPUT', message: `no route ${path}`, hint: 'GET /v1/openapi.json lists the routes' } }, 404);
    if (found === 'method') return json({ error: { code: 'INVALID_INPUT', message: `${req.method} is not allowed on ${path}`, hint: 'GET /v1/openapi.json lists the routes' } }, 405);
    const ctx: ApiContext = {
      key,
      engine,
      tenants,
      publicHost: opts.publicHost,
      slots,
      engineWith: (onProgress) => engineFor({ onProgress: (s) => {
        log(`  … ${s}`);
        onProgress(s);
      } }),
      track: (op) => {
        inflight.add(op);
        void op.finally(() => inflight.delete(op));
      },
    };
    return dispatch(ctx, req, url, found);
  }

  if (opts.tls) {
    for (const f of [opts.tls.cert, opts.tls.key]) {
      if (!(await Bun.file(f).exists())) throw new AsymmetricError('INVALID_INPUT', `no such file ${f}`, { hint: '--tls-cert and --tls-key name PEM files' });
    }
  }
  const server = listen({
    hostname: opts.hostname,
    port: opts.port,
    // A spin can take minutes; the connection must not be cut while it works.
    idleTimeout: 0,
    // Uploads are limited (and refused by name, FILE_TOO_LARGE) in the handler, which counts
    // as it reads; Bun's own limit must not answer first with a bare 413.
    maxRequestBodySize: Math.max(uploadLimit(), 128 * 1024 * 1024) + 1024 * 1024,
    ...(opts.tls ? { tls: { cert: Bun.file(opts.tls.cert), key: Bun.file(opts.tls.key) } } : {}),
    fetch(req) {
      const started = performance.now();
      const op = handle(req).catch(errorResponse).then((res) => {
        log(`${req.method} ${new URL(req.url).pathname} ${res.status} ${Math.round(performance.now() - started)} ms`);
        return res;
      });
      // Streamed logs last as long as their client; every other call is waited for at stop.
      if (!new URL(req.url).pathname.endsWith('/logs')) {
        inflight.add(op);
        void op.finally(() => inflight.delete(op));
      }
      return op;
    },
  });
  origin = `${opts.tls ? 'https' : 'http'}://${opts.publicHost ?? server.hostname}:${server.port}`;
  let resolveDone!: () => void;
  const done = new Promise<void>((r) => (resolveDone = r));
  const stop = async () => {
    if (stopping) return done;
    stopping = true;
    log('stopping: waiting for operations in flight');
    void server.stop(false);
    while (inflight.size) await Promise.allSettled([...inflight]);
    await server.stop(true);
    resolveDone();
    return done;
  };
  onInterrupt(() => void stop());
  return { url: `${opts.tls ? 'https' : 'http'}://${server.hostname}:${server.port}`, done, stop };
}

/** Bun.serve, with a taken port or a bad certificate as named errors. */
function listen(options: Parameters<typeof Bun.serve>[0] & { hostname: string; port: number }): ReturnType<typeof Bun.serve> {
  try {
    return Bun.serve(options);
  } catch (e) {
    const msg = (e as Error).message ?? String(e);
    if (/EADDRINUSE|in use/i.test(msg) || (e as { code?: string }).code === 'EADDRINUSE') {
      throw new AsymmetricError('PORT_IN_USE', `${options.hostname}:${options.port} is already in use`, { hint: 'pick another --listen HOST:PORT (port 0 picks a free one)' });
    }
    throw new AsymmetricError('INVALID_INPUT', `cannot listen on ${options.hostname}:${options.port}: ${msg}`, { hint: 'check --listen and the --tls-cert/--tls-key files', cause: e });
  }
}
