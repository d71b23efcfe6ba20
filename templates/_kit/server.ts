import { join } from 'node:path';
import { handleAdmin, metaGet, type AdminState } from './admin.ts';
import { Db, DB_UNAVAILABLE } from './db.ts';
import { readEnv, type KitEnv } from './env.ts';
import { isKitError } from './errors.ts';
import { json } from './http.ts';
import { checkInput, type InputProblem } from './input.ts';
import { installClock } from './clock.ts';
import { PrefixedRedis } from './redis.ts';
import type { Clearable, KitContext, TemplateHooks } from './types.ts';
import { Clock, DEFAULT_WORLD, worldRng, type ClockState, type World } from './world.ts';


// Admin paths that must not read the clock first: health and faults answer without the
// database; release and warm bracket a swap, and warm reads the clock itself (admin.ts).
const NO_CLOCK = new Set(['/__asym/health', '/__asym/fault', '/__asym/release', '/__asym/warm']);
/**
 * Wires a template into a running clone: env, database (migrated at startup), Redis, the
 * admin surface, request logging and graceful shutdown. A thrown error never crashes
 * the process; it becomes the template's vendor envelope with status 500.
 */
export interface StartedServer {
  ctx: KitContext;
  server: ReturnType<typeof Bun.serve>;
  stop(): Promise<void>;
}

export async function createServer(hooks: TemplateHooks, opts: { serverFile: string; env?: KitEnv }): Promise<StartedServer> {
  const env = opts.env ?? readEnv(opts.serverFile);
  const db = new Db({ url: env.databaseUrl, migrationsDir: join(env.templateDir, 'migrations') });
  const redis = new PrefixedRedis(env.redisUrl, env.redisPrefix);
  const state: AdminState = { ready: false, config: null };
  const log = (line: string) => process.stdout.write(`${line}\n`);
  // Request lines are batched and written after the response (one write per burst, off the
  // request's path); the timer exists only while lines are pending, so idle costs nothing.
  let pending: string[] = [];
  const logLater = (line: string) => {
    if (pending.push(line) === 1) {
      setTimeout(() => {
        const out = pending;
        pending = [];
        process.stdout.write(`${out.join('\n')}\n`);
      }, 20);
    }
  };
  const logAll = process.env.ASYM_LOG_REQUESTS !== '0';
  const slowMs = Number(process.env.ASYM_SLOW_MS) > 0 ? Number(process.env.ASYM_SLOW_MS) : 250;
  // The world and clock are read from the database once after start and after each release
  // (a database swap), so ctx.now() stays synchronous for handlers.
  let world: World = DEFAULT_WORLD;
  const clock = new Clock(async () => {
    world = (await metaGet<World>(ctx, 'world')) ?? DEFAULT_WORLD;
    return metaGet<ClockState>(ctx, 'clock');
  });
  // Per-server state of the template (ctx.state): cleared, not dropped, so a holder that
  // registered itself elsewhere (a TokenCache on db.onRelease) is never orphaned.
  const local = new Map<string, Clearable>();
  db.onRelease(() => {
    state.config = null;
    clock.drop();
    for (const v of local.values()) v.clear();
  });
  // SQL's now() and the template's helpers (clockNow) read the same clock as ctx.now().
  clock.onChange(() => db.setClock(clock.sqlSetting()));
  installClock(clock);

  const ctx: KitContext = {
    env,
    db,
    redis,
    log,
    now: () => clock.now(),
    world: () => world,
    rng: (label) => worldRng(world.seed, label),
    state<T extends Clearable>(key: string, init: () => T): T {
      let v = local.get(key);
      if (!v) local.set(key, (v = init()));
      return v as T;
    },
    async config() {
      state.config ??= (await metaGet<Record<string, unknown>>(ctx, 'config')) ?? {};
      return state.config;
    },
  };

  const errorResponse = (e: unknown, req: Request): Response => {
    if (isKitError(e) && e.code === DB_UNAVAILABLE) {
      log(`unavailable ${req.method} ${new URL(req.url).pathname}: ${e.message}`);
      if (hooks.unavailable) return hooks.unavailable(req);
      return json({ error: 'service_unavailable', message: 'the service is temporarily unavailable' }, 503, { 'retry-after': '1' });
    }
    if (!isKitError(e) || e.status >= 500) log(`error ${req.method} ${new URL(req.url).pathname}: ${(e as Error)?.stack ?? String(e)}`);
    if (hooks.errorEnvelope) {
      try {
        return hooks.errorEnvelope(e, req);
      } catch {
        // the envelope itself failed; answer plainly below
      }
    }
    return json({ error: 'internal_error' }, 500);
  };

  const badInput = (problem: InputProblem, req: Request): Response => {
    if (hooks.badInput) return hooks.badInput(problem, req);
    const message = problem.kind === 'nul' ? `${problem.field} contains a NUL character` : `the body exceeds ${problem.limit} bytes`;
    return json({ error: problem.kind === 'nul' ? 'invalid_input' : 'payload_too_large', message }, problem.kind === 'nul' ? 400 : 413);
  };

  const server = Bun.serve({
    port: env.port,
    hostname: '0.0.0.0',
    idleTimeout: 30,
    ...(env.tls ? { tls: { cert: Bun.file(env.tls.cert), key: Bun.file(env.tls.key) } } : {}),
    async fetch(req) {
      const started = performance.now();
      const url = new URL(req.url);
      let res: Response;
      try {
        // Health and the fault switch must answer while the database does not (that is what they are for).
        if (state.ready && !NO_CLOCK.has(url.pathname)) await clock.refresh();
        if (url.pathname.startsWith('/__asym/')) res = await handleAdmin(req, url, ctx, hooks, state, clock);
        else {
          const checked = await checkInput(req, url, hooks.inputLimits);
          if (checked.problem) res = badInput(checked.problem, req);
          else res = (await hooks.routes(checked.req, url, ctx)) ?? (hooks.notFound ? hooks.notFound(req, url) : json({ error: 'not_found' }, 404));
        }
      } catch (e) {
        res = errorResponse(e, req);
      }
      // A synchronous stdout line per request cost ~0.4 ms of a 2.8 ms call: lines are now
      // batched after the response. ASYM_LOG_REQUESTS=0 keeps only what helps most: 5xx,
      // failed admin calls and slow requests (errors themselves are logged in errorResponse).
      // Health is probed by the CLI; a fine answer is not news.
      const ms = performance.now() - started;
      const fineHealth = url.pathname === '/__asym/health' && res.status === 200;
      if ((logAll && !fineHealth) || res.status >= 500 || ms >= slowMs || (res.status >= 400 && url.pathname.startsWith('/__asym/') && !fineHealth)) {
        logLater(`${req.method} ${url.pathname} ${res.status} ${ms.toFixed(1)}ms${ms >= slowMs ? ' (slow)' : ''}`);
      }
      return res;
    },
    error(e) {
      return json({ error: 'internal_error', message: e.message }, 500);
    },
  });

  // Migrate after listening so health can say 503 "migrating" instead of refusing connections.
  const migrate = async () => {
    for (let attempt = 0; ; attempt++) {
      try {
        await db.migrate();
        // Before any timer a template starts: they wait for the clone's time, not the wall clock's.
        await clock.refresh();
        state.ready = true;
        log(`${hooks.template} ${hooks.version} ready on :${server.port} (clone ${env.cloneId})`);
        hooks.start?.(ctx);
        return;
      } catch (e) {
        // The database may still be starting, or (a fork's) still taking its name: keep
        // trying, often at first, health stays 503 meanwhile.
        if (attempt % 10 === 0) log(`database not ready: ${(e as Error).message}`);
        await Bun.sleep(attempt < 8 ? 25 : Math.min(1000, 100 * (attempt - 6)));
      }
    }
  };
  void migrate();

  let stopping: Promise<void> | null = null;
  const stop = () =>
    (stopping ??= (async () => {
      hooks.stop?.(ctx);
      if (pending.length) process.stdout.write(`${pending.splice(0).join('\n')}\n`);
      const closing = Promise.allSettled([server.stop(true), db.release(), Promise.resolve(redis.close())]);
      await Promise.race([closing, Bun.sleep(800)]);
    })());

  const onSignal = (sig: string) => {
    log(`${sig} received, shutting down`);
    void stop().finally(() => process.exit(0));
  };
  process.once('SIGTERM', () => onSignal('SIGTERM'));
  process.once('SIGINT', () => onSignal('SIGINT'));

  return { ctx, server, stop };
}
