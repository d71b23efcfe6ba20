import { join } from 'node:path';
import { timingSafeEqualStr } from './auth.ts';
import { KitError, isKitError } from './errors.ts';
import { json } from './http.ts';
import type { KitContext, RecordsOutcome, TemplateHooks } from './types.ts';

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

export async function handleAdmin(req: Request, url: URL, ctx: KitContext, hooks: TemplateHooks, state: AdminState): Promise<Response> {
  const path = url.pathname;
  if (path === '/__asym/health') return health(ctx, hooks, state);

  const given = req.headers.get(ADMIN_HEADER) ?? '';
  if (!given || !timingSafeEqualStr(given, ctx.env.adminSecret)) {
    return json({ error: 'unauthorized', message: 'missing or wrong X-Asym-Admin secret' }, 401);
  }
  try {
    if (path === '/__asym/provision' && req.method === 'POST') return await provision(ctx, hooks);
    if (path === '/__asym/seed' && req.method === 'POST') return await seed(req, ctx, hooks);
    if (path === '/__asym/release' && req.method === 'POST') {
      state.config = null;
      hooks.onRelease?.();
      await ctx.db.release();
      return json({ ok: true });
    }
    if (path === '/__asym/warm' && req.method === 'POST') {
      // After a swap (reset/restore/snapshot) the CLI asks the clone to reopen its pool and
      // check migrations now, so the first API request after it is as fast as any other.
      await ctx.db.migrate();
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

export async function metaSet(ctx: KitContext, key: string, value: unknown): Promise<void> {
  await ctx.db.q`insert into asym_meta (key, value) values (${key}, ${JSON.stringify(value)}::text::jsonb)
    on conflict (key) do update set value = excluded.value, updated_at = now()`;
}

async function provision(ctx: KitContext, hooks: TemplateHooks): Promise<Response> {
  const result = await ctx.db.tx(async (tx) => {
    // The claim row and the template's writes commit together, so a failed provision can be retried.
    const claimed = await tx`insert into asym_meta (key, value) values ('provisioned', ${JSON.stringify({ at: new Date().toISOString() })}::text::jsonb)
      on conflict (key) do nothing returning key`;
    if (claimed.length === 0) return null;
    return hooks.provision(ctx, tx);
  });
  if (!result) return json({ error: 'already_provisioned', message: 'this clone was provisioned already; tokens are shown once' }, 409);
  return json(result);
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
    await metaSet(ctx, 'seeded', { fixture: fixture ?? prev.fixture ?? null, records: (prev.records ?? 0) + (out.bySource.ai?.written ?? 0), at: new Date().toISOString() });
  }
  return json(out);
}

async function configure(req: Request, ctx: KitContext, hooks: TemplateHooks, state: AdminState): Promise<Response> {
  const patch = await readJson(req);
  const current = await ctx.config();
  const next = hooks.configure ? await hooks.configure(current, patch) : { ...current, ...patch };
  await metaSet(ctx, 'config', next);
  state.config = next;
  return json({ ok: true, config: next });
}
