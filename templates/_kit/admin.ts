import { join } from 'node:path';
import { timingSafeEqualStr } from './auth.ts';
import { KitError, isKitError } from './errors.ts';
import { json } from './http.ts';
import type { KitContext, RecordsOutcome, TemplateHooks } from './types.ts';
import { parseDuration, type Clock, type ClockState, type World } from './world.ts';

/**
 * The /__asym/* admin surface every template mounts. The CLI drives a clone only through
 * this and Docker, so the same verbs work for a remote clone. Everything but health is
 * guarded by the per-clone secret in X-Asym-Admin.
 */

export const ADMIN_HEADER = 'x-asym-admin';

export interface AdminState {
  /** True once startup migrations are applied. */
  ready: boolean;
  /** Config cache; dropped on release. */
  config: Record<string, unknown> | null;
}

export async function handleAdmin(req: Request, url: URL, ctx: KitContext, hooks: TemplateHooks, state: AdminState, clock?: Clock): Promise<Response> {
  const path = url.pathname;
  if (path === '/__asym/health') return health(ctx, hooks, state);

  const given = req.headers.get(ADMIN_HEADER) ?? '';
  if (!given || !timingSafeEqualStr(given, ctx.env.adminSecret)) {
    return json({ error: 'unauthorized', message: 'missing or wrong X-Asym-Admin secret' }, 401);
  }
  try {
    if (path === '/__asym/provision' && req.method === 'POST') return await provision(req, ctx, hooks, clock);
    if (path === '/__asym/clock' && clock) return await clockRoute(req, ctx, clock);
    if (path === '/__asym/seed' && req.method === 'POST') return await seed(req, ctx, hooks);
    if (path === '/__asym/release' && req.method === 'POST') {
      state.config = null;
      hooks.onRelease?.();
      await ctx.db.release();
      return json({ ok: true });
    }
    if (path === '/__asym/warm' && req.method === 'POST') {
      // After a swap (reset/restore/snapshot) the CLI asks the clone to reopen its pool,
      // check migrations and warm its sessions now, so the first API request after it is as
      // fast as any other. Reopen even if something reconnected during the swap: that pool
      // checked the old database's migrations. The clock is read first: its reading sets the
      // new pool's asym.clock, and reading it later would retire the warmed pool (db.setClock).
      await ctx.db.release();
      await clock?.refresh();
      await ctx.db.warmUp();
      return json({ ok: true });
    }
    if (path === '/__asym/debug/queries') {
      // Round-trip counter for tests and benches; off unless ASYM_DEBUG_QUERIES=1.
      if (process.env.ASYM_DEBUG_QUERIES !== '1') return json({ error: 'not_found', message: 'set ASYM_DEBUG_QUERIES=1 to count queries' }, 404);
      return json({ ok: true, statements: ctx.db.statements });
    }
    if (path === '/__asym/fault') {
      // Fault injection for tests: the clone's own switch, so nobody stops the shared infra.
      if (req.method === 'POST') {
        const body = await readJson(req);
        if (body.db !== 'hang' && body.db !== null) throw new KitError('invalid_fault', 'db must be "hang" or null', { status: 400 });
        await ctx.db.setFault(body.db);
      }
      return json({ ok: true, db: ctx.db.fault });
    }
    if (path === '/__asym/config') {
      if (req.method === 'GET') return json({ ok: true, config: await ctx.config() });
      if (req.method === 'POST') return await configure(req, ctx, hooks, state);
    }
    const prefix = `/__asym/${hooks.template}/`;
    if (path.startsWith(prefix) && hooks.adminRoutes) {
      const res = await hooks.adminRoutes(req, url, ctx);
      if (res) return res;
    }
    return json({ error: 'not_found', message: `no admin route ${req.method} ${path}` }, 404);
  } catch (e) {
    if (isKitError(e)) return json({ error: e.code, message: e.message, ...(e.details ?? {}) }, e.status);
    ctx.log(`admin ${path} failed: ${(e as Error)?.stack ?? e}`);
    return json({ error: 'internal', message: (e as Error)?.message ?? String(e) }, 500);
  }
}

async function health(ctx: KitContext, hooks: TemplateHooks, state: AdminState): Promise<Response> {
  if (!state.ready) return json({ ok: false, template: hooks.template, version: hooks.version, reason: 'migrating' }, 503);
  try {
    await ctx.db.q`select 1 from asym_migrations limit 1`;
    return json({ ok: true, template: hooks.template, version: hooks.version });
  } catch (e) {
    return json({ ok: false, template: hooks.template, version: hooks.version, reason: (e as Error).message }, 503);
  }
}

async function readJson(req: Request): Promise<Record<string, unknown>> {
  const text = await req.text();
  if (!text.trim()) return {};
  try {
    const v = JSON.parse(text);
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // fall through to the named error below
  }
  throw new KitError('invalid_json', 'the body must be a JSON object', { status: 400 });
}

export async function metaGet<T>(ctx: KitContext, key: string): Promise<T | null> {
  const rows = await ctx.db.q<{ value: T }>`select value from asym_meta where key = ${key}`;
  return rows[0]?.value ?? null;
}

export async function metaSet(ctx: KitContext, key: string, value: unknown, stamp?: string): Promise<void> {
  // Stamped from the clone's clock, not Postgres' now(): the same world gives the same rows.
  const at = stamp ?? ctx.now().toISOString();
  await ctx.db.q`insert into asym_meta (key, value, updated_at) values (${key}, ${JSON.stringify(value)}::text::jsonb, ${at}::timestamptz)
    on conflict (key) do update set value = excluded.value, updated_at = excluded.updated_at`;
}

/**
 * Provision creates the default app and users inside the world the CLI names (seed, start),
 * with the clock frozen at the world's start: every id and time it and the seed that follows
 * write is the same in every clone of that world. The CLI sets the clock running afterwards.
 */
async function provision(req: Request, ctx: KitContext, hooks: TemplateHooks, clock?: Clock): Promise<Response> {
  const body = await readJson(req);
  const given = body.world as Partial<World> | undefined;
  if (given !== undefined && (typeof given !== 'object' || typeof given.seed !== 'string' || typeof given.start !== 'string' || Number.isNaN(Date.parse(given.start)))) {
    throw new KitError('invalid_world', 'world must be {"seed": string, "start": ISO time}', { status: 400 });
  }
  const world: World | null = given ? { seed: given.seed!, start: new Date(Date.parse(given.start!)).toISOString() } : null;
  const previous = clock?.current() ?? null;
  if (world && clock) clock.adopt({ at: world.start, frozen: true });
  const stamp = ctx.now().toISOString();
  const result = await ctx.db.tx(async (tx) => {
    // The claim row and the template's writes commit together, so a failed provision can be retried.
    const claimed = await tx`insert into asym_meta (key, value, updated_at) values ('provisioned', ${JSON.stringify({ at: stamp })}::text::jsonb, ${stamp}::timestamptz)
      on conflict (key) do nothing returning key`;
    if (claimed.length === 0) return null;
    if (world) {
      await tx`insert into asym_meta (key, value, updated_at) values ('world', ${JSON.stringify(world)}::text::jsonb, ${stamp}::timestamptz)
        on conflict (key) do update set value = excluded.value`;
      await tx`insert into asym_meta (key, value, updated_at) values ('clock', ${JSON.stringify({ at: world.start, frozen: true })}::text::jsonb, ${stamp}::timestamptz)
        on conflict (key) do update set value = excluded.value`;
    }
    return hooks.provision(ctx, tx);
  }).catch((e) => {
    if (clock) (previous ? clock.adopt(previous) : clock.drop());
    throw e;
  });
  if (!result) {
    clock?.drop();
    return json({ error: 'already_provisioned', message: 'this clone was provisioned already; tokens are shown once' }, 409);
  }
  clock?.drop(); // re-read world and clock from what was committed
  return json(result);
}

/** GET: the clock. POST {action: set|advance|freeze|run|checkpoint, at?, by?}: change it, persisted. */
async function clockRoute(req: Request, ctx: KitContext, clock: Clock): Promise<Response> {
  if (req.method === 'GET') return json({ ok: true, clock: clock.current(), world: ctx.world() });
  const body = await readJson(req);
  const cur: ClockState = clock.current() ?? { at: new Date().toISOString(), frozen: false };
  let next: ClockState;
  switch (body.action) {
    case 'set': {
      const at = typeof body.at === 'string' ? Date.parse(body.at) : Number.NaN;
      if (Number.isNaN(at)) throw new KitError('invalid_time', 'set needs an ISO time in "at"', { status: 400 });
      next = { at: new Date(at).toISOString(), frozen: cur.frozen };
      break;
    }
    case 'advance': {
      const ms = typeof body.by === 'string' ? parseDuration(body.by) : typeof body.by === 'number' ? body.by : null;
      if (ms === null || !Number.isFinite(ms) || ms < 0) throw new KitError('invalid_duration', 'advance needs a duration like 90s, 15m, 2h, 7d in "by"', { status: 400 });
      next = { at: new Date(Date.parse(cur.at) + ms).toISOString(), frozen: cur.frozen };
      break;
    }
    case 'freeze':
    case 'run':
    case 'checkpoint':
      next = { at: cur.at, frozen: body.action === 'checkpoint' ? cur.frozen : body.action === 'freeze' };
      break;
    default:
      throw new KitError('invalid_action', 'action must be set, advance, freeze, run or checkpoint', { status: 400 });
  }
  clock.adopt(next);
  await metaSet(ctx, 'clock', next, next.at); // the time it was set to, not a millisecond later
  return json({ ok: true, clock: clock.current(), world: ctx.world() });
}

async function seed(req: Request, ctx: KitContext, hooks: TemplateHooks): Promise<Response> {
  const body = await readJson(req);
  const fixture = body.fixture;
  const records = body.records;
  const force = body.force === true;
  if (fixture !== undefined && (typeof fixture !== 'string' || !/^[a-z0-9][a-z0-9_-]*$/.test(fixture))) {
    throw new KitError('invalid_fixture', 'fixture must be a lowercase name', { status: 400 });
  }
  if (records !== undefined && (!records || typeof records !== 'object' || Array.isArray(records))) {
    throw new KitError('invalid_records', 'records must be an object of entity -> array', { status: 400 });
  }
  if (!(await metaGet(ctx, 'provisioned'))) throw new KitError('not_provisioned', 'provision the clone before seeding', { status: 409 });
  const fixtureFile = typeof fixture === 'string' ? Bun.file(join(ctx.env.templateDir, 'fixtures', `${fixture}.sql`)) : null;
  if (fixtureFile && !(await fixtureFile.exists())) throw new KitError('fixture_not_found', `no fixture pack named ${fixture}`, { status: 404 });
  // A fixture pack has fixed ids: loading it onto seeded data would collide or duplicate.
  // Records (AI or harness) may be added on top at any time.
  const already = await metaGet(ctx, 'seeded');
  if (fixtureFile && already && !force) throw new KitError('already_seeded', 'the clone already holds seeded data; pass {"force":true} to seed again', { status: 409, details: { seeded: already } });

  const out = { written: 0, rejected: 0, bySource: {} as Record<string, { written: number; rejected: number }>, warnings: [] as string[], rejections: [] as RecordsOutcome['rejections'] };
  if (fixtureFile) {
    const text = await fixtureFile.text();
    await ctx.db.tx(async (tx) => {
      if (already && force && hooks.clearSeeded) await hooks.clearSeeded(ctx, tx);
      await tx.unsafe(text);
    });
    // The pack declares its size in its header, so written is exact without counting tables.
    const written = Number(/asym-fixture:.*records=(\d+)/.exec(text)?.[1] ?? 0);
    out.written += written;
    out.bySource.fixture = { written, rejected: 0 };
  }
  if (records && typeof records === 'object') {
    if (!hooks.seedRecords) throw new KitError('records_unsupported', `template ${hooks.template} does not accept records`, { status: 400 });
    const arrays: Record<string, unknown[]> = {};
    for (const [entity, list] of Object.entries(records as Record<string, unknown>)) {
      if (!Array.isArray(list)) {
        out.warnings.push(`records.${entity} is not an array; skipped`);
        continue;
      }
      arrays[entity] = list;
    }
    const r = await hooks.seedRecords(ctx, arrays);
    out.written += r.written;
    out.rejected += r.rejected;
    out.bySource.ai = { written: r.written, rejected: r.rejected };
    out.warnings.push(...r.warnings);
    out.rejections.push(...r.rejections);
  }
  if (out.written > 0) {
    const prev = (already ?? {}) as { fixture?: string | null; records?: number };
    await metaSet(ctx, 'seeded', { fixture: fixture ?? prev.fixture ?? null, records: (prev.records ?? 0) + (out.bySource.ai?.written ?? 0), at: ctx.now().toISOString() });
  }
  return json(out);
}

async function configure(req: Request, ctx: KitContext, hooks: TemplateHooks, state: AdminState): Promise<Response> {
  const patch = await readJson(req);
  const current = await ctx.config();
  const next = hooks.configure ? await hooks.configure(current, patch, ctx) : { ...current, ...patch };
  await metaSet(ctx, 'config', next);
  state.config = next;
  return json({ ok: true, config: next });
}
