import { SQL } from 'bun';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { KitError } from './errors.ts';

/**
 * The clone's database handle. The CLI resets a clone by swapping its database for a
 * pristine copy, so the pool here is disposable: `release()` closes it, the next query
 * reopens it (and re-checks migrations: one query when the level is unchanged), and
 * a query that fails because its connection went away is retried once on a fresh pool.
 *
 * Time in SQL follows the clone's clock: every connection opens with search_path
 * "public, pg_catalog" and the session setting asym.clock (Clock.sqlSetting), and the kit's
 * migration step installs public.now(), which reads that setting. So `now()` in a query and
 * `default now()` in a template's migration give the clone's time, not Postgres' (column
 * defaults bound to pg_catalog.now() by an older kit are re-pointed once). A clock change
 * retires the pool (setClock); its running queries finish on the old connections.
 */

/** Arbitrary but fixed: every clone of every template takes the same lock key. */
const MIGRATION_LOCK_KEY = 7_311_401_733;

/** Postgres SQLSTATEs meaning "this connection or database is gone", not "your SQL is wrong". */
const CONNECTION_STATES = new Set(['3D000', '57P01', '57P02', '57P03', '53300']);

export function isConnectionError(e: unknown): boolean {
  if (!e || typeof e !== 'object' || e instanceof KitError) return false;
  const err = e as { code?: unknown; errno?: unknown; message?: unknown };
  const errno = typeof err.errno === 'string' ? err.errno : '';
  if (CONNECTION_STATES.has(errno) || errno.startsWith('08')) return true;
  const code = typeof err.code === 'string' ? err.code : '';
  if (/CONNECTION|ECONNREFUSED|ECONNRESET|EPIPE|SOCKET|TLS/i.test(code)) return true;
  return /connection (closed|terminated|refused)|socket/i.test(String(err.message ?? ''));
}

export interface DbOptions {
  url: string;
  /** Directory of NNN_name.sql files, applied in name order. */
  migrationsDir: string;
  maxConnections?: number;
  /**
   * How long opening a connection may take, handshake included (default 1.5 s). Bun's own
   * default is 30 s, which made every API call hang that long with the infra Postgres down;
   * a vendor answers 503 at once instead.
   */
  connectTimeoutMs?: number;
}

/** Thrown when the database cannot be reached; templates render it as their vendor's 503. */
export const DB_UNAVAILABLE = 'db_unavailable';

function unavailable(e: unknown): KitError {
  return new KitError(DB_UNAVAILABLE, `the database is unavailable: ${(e as Error)?.message ?? String(e)}`, { status: 503, cause: e });
}

/** A timed-out connect already spent the whole budget: retrying would double the wait. */
function isTimeout(e: unknown): boolean {
  return /TIMEOUT/i.test(String((e as { code?: unknown })?.code ?? ''));
}

/**
 * The fault switch behind /__asym/fault: a local TCP server that accepts connections and
 * never answers, like a Postgres that hangs. Counting what it accepted proves a request
 * really tried to reach the database while the fault was on.
 */
export interface DbFault {
  mode: 'hang';
  accepted: number;
  url: string;
  stop(): void;
}

function hangingPostgres(): DbFault {
  const fault: DbFault = { mode: 'hang', accepted: 0, url: '', stop: () => undefined };
  const server = Bun.listen({
    hostname: '127.0.0.1',
    port: 0,
    socket: {
      open() {
        fault.accepted++;
      },
      data() {
        // never answer the startup message
      },
    },
  });
  fault.url = `postgres://asym:fault@127.0.0.1:${server.port}/fault`;
  fault.stop = () => server.stop(true);
  return fault;
}

export class Db {
  readonly #opts: DbOptions;
  #sql: SQL | null = null;
  #migrated: Promise<void> | null = null;
  readonly #onRelease: Array<() => void> = [];
  readonly #onOpen: Array<() => void> = [];
  #fault: DbFault | null = null;
  #migrations: Promise<string[]> | null = null;
  /**
   * Statements sent to Postgres (a transaction counts its BEGIN and COMMIT too): the round
   * trips a request cost. Always counted (an increment); shown on the admin surface only
   * when the debug flag is on, so tests can fail a hot path that grows a query.
   */
  statements = 0;
  /** asym.clock for new connections: what the clone's clock reads (see world.ts). */
  #clock = '';

  constructor(opts: DbOptions) {
    this.#opts = opts;
  }

  /** Register a cache-clearing callback; caches must not outlive the database they mirror. */
  onRelease(fn: () => void): void {
    this.#onRelease.push(fn);
  }

  /** Called (not awaited) each time a new pool is open and its migrations checked. */
  onOpen(fn: () => void): void {
    this.#onOpen.push(fn);
  }

  /** Close the pool and forget every cache. The next query opens a new pool. */
  async release(): Promise<void> {
    const sql = this.#sql;
    this.#sql = null;
    this.#migrated = null;
    for (const fn of this.#onRelease) fn();
    if (sql) await sql.close({ timeout: 0 }).catch(() => undefined);
  }

  /**
   * The clone's clock changed: connections opened from now on carry the new reading. The old
   * pool is retired, not killed: queries already running on it finish (up to 5 s).
   */
  setClock(setting: string): void {
    if (setting === this.#clock) return;
    this.#clock = setting;
    const sql = this.#sql;
    this.#sql = null;
    this.#migrated = null;
    if (sql) void sql.close({ timeout: 5 }).catch(() => undefined);
  }

  /** The injected fault, if any (GET /__asym/fault). */
  get fault(): { mode: 'hang'; accepted: number } | null {
    return this.#fault && { mode: this.#fault.mode, accepted: this.#fault.accepted };
  }

  /** Point the pool at a Postgres that never answers ('hang'), or back at the real one (null). */
  async setFault(mode: 'hang' | null): Promise<void> {
    this.#fault?.stop();
    this.#fault = mode === 'hang' ? hangingPostgres() : null;
    await this.release();
  }

  /**
   * Run `fn` with a ready pool; on a connection-level failure reopen once and retry. A
   * database that still cannot be reached becomes KitError db_unavailable (status 503).
   */
  async run<T>(fn: (sql: SQL) => Promise<T>): Promise<T> {
    try {
      return await fn(await this.#ready());
    } catch (e) {
      if (!isConnectionError(e)) throw e;
      await this.release();
      if (isTimeout(e)) throw unavailable(e);
      await Bun.sleep(50);
      try {
        return await fn(await this.#ready());
      } catch (again) {
        throw isConnectionError(again) ? unavailable(again) : again;
      }
    }
  }

  /** Tagged-template query with the retry of `run`. */
  q = <T = Record<string, unknown>>(strings: TemplateStringsArray, ...values: unknown[]): Promise<T[]> =>
    this.run(async (sql) => {
      this.statements++;
      return (await sql(strings, ...values)) as unknown as T[];
    });

  /** Parameterised query for SQL built at run time ($1, $2, ...). */
  unsafe<T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
    return this.run(async (sql) => {
      this.statements++;
      return (await sql.unsafe(text, params)) as unknown as T[];
    });
  }

  /** A transaction; the callback must use the `tx` it is given. */
  tx<T>(fn: (tx: SQL) => Promise<T>): Promise<T> {
    return this.run((sql) => {
      this.statements += 2; // BEGIN and COMMIT are round trips too
      return sql.begin((tx) => fn(countingTx(tx as unknown as SQL, this))) as Promise<T>;
    });
  }

  /** Applies migrations now (startup) so health can answer truthfully. */
  async migrate(): Promise<void> {
    await this.#ready();
  }

  /**
   * Opens `connections` sessions of a fresh pool and has each read every table's catalog
   * entries (a `limit 0` select per table, one simple-protocol round trip), so a request's
   * parallel queries after a swap find sessions open and their relation caches filled
   * instead of paying a backend start and the catalog reads themselves.
   */
  async warmUp(connections = 4): Promise<void> {
    const sql = await this.#ready();
    const tables = await sql.unsafe<{ t: string }[]>(
      `select format('%I', c.relname) as t from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and c.relkind in ('r', 'p')`,
    );
    if (!tables.length) return;
    const text = tables.map(({ t }) => `select from ${t} limit 0`).join('; ');
    await Promise.all(Array.from({ length: Math.max(1, Math.min(connections, this.#opts.maxConnections ?? 8)) }, () => sql.unsafe(text).simple()));
  }

  async #ready(): Promise<SQL> {
    if (!this.#sql) {
      this.#sql = new SQL(this.#fault?.url ?? this.#opts.url, {
        max: this.#opts.maxConnections ?? 8,
        idleTimeout: 30,
        connectionTimeout: (this.#opts.connectTimeoutMs ?? 1500) / 1000,
        // Startup parameters, so they cost no round trip: pg_catalog last lets public.now() win.
        connection: { search_path: 'public, pg_catalog', 'asym.clock': this.#clock },
      });
    }
    const sql = this.#sql;
    if (!this.#migrated) {
      // The file list never changes while the server runs: read it once.
      this.#migrations ??= listMigrations(this.#opts.migrationsDir);
      this.#migrated = this.#migrations.then((files) => applyMigrations(sql, this.#opts.migrationsDir, files));
      this.#migrated.then(
        () => {
          if (this.#sql === sql) for (const fn of this.#onOpen) fn();
        },
        () => {
          // A failed migration must be retried by the next caller, not cached forever.
          if (this.#sql === sql) this.#migrated = null;
        },
      );
    }
    await this.#migrated;
    return sql;
  }
}

export async function listMigrations(dir: string): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  return names.filter((n) => /^\d+_[\w-]+\.sql$/.test(n)).sort();
}

/** Statements run inside a transaction count toward the Db's round trips. */
function countingTx(tx: SQL, db: { statements: number }): SQL {
  return new Proxy(tx, {
    apply(target, self, args) {
      db.statements++;
      return Reflect.apply(target as unknown as (...a: unknown[]) => unknown, self, args);
    },
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver);
      if (prop !== 'unsafe' || typeof v !== 'function') return v;
      return (...args: unknown[]) => {
        db.statements++;
        return (v as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

/** Postgres: undefined_table (asym_migrations does not exist yet). */
const UNDEFINED_TABLE = '42P01';

/**
 * Applies every migration not yet recorded in asym_migrations, each in its own
 * transaction, all under one advisory lock so two starts against one database never race.
 * A database already at this server's migration level (the usual case after a reset or
 * restore reopens the pool) costs one query instead of a locked transaction.
 */
async function applyMigrations(sql: SQL, dir: string, files: string[]): Promise<void> {
  try {
    const [row] = (await sql`select count(*)::int as n, max(name) as last, to_regprocedure('public.now()') is not null as clock from asym_migrations`) as { n: number; last: string | null; clock: boolean }[];
    if (row && row.clock && row.n === files.length && (row.last ?? undefined) === files.at(-1)) return;
  } catch (e) {
    if ((e as { errno?: string }).errno !== UNDEFINED_TABLE) throw e;
  }
  await sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`;
    await tx.unsafe(`create table if not exists asym_migrations (name text primary key, applied_at timestamptz not null default now());
      create table if not exists asym_meta (key text primary key, value jsonb not null, updated_at timestamptz not null default now());
      ${CLOCK_FUNCTION}`);
    const done = new Set((await tx`select name from asym_migrations`).map((r: { name: string }) => r.name));
    for (const name of files) {
      if (done.has(name)) continue;
      const text = await Bun.file(join(dir, name)).text();
      try {
        await tx.unsafe(text);
      } catch (e) {
        throw new KitError('migration_failed', `migration ${name} failed: ${(e as Error).message}`, { cause: e });
      }
      await tx`insert into asym_migrations (name) values (${name})`;
    }
    await repointNowDefaults(tx);
  });
}

/**
 * The database's now(): the clone's clock from the session setting asym.clock ("frozen <ISO>"
 * or "offset <ms>"), else Postgres' own. Shadows pg_catalog.now() under the pool's search_path.
 */
const CLOCK_FUNCTION = `create or replace function public.now() returns timestamptz language sql stable parallel safe as $$
  select case
    when s like 'frozen %' then substr(s, 8)::timestamptz
    when s like 'offset %' then pg_catalog.now() + substr(s, 8)::double precision * interval '1 millisecond'
    else pg_catalog.now() end
  from coalesce(current_setting('asym.clock', true), '') as s $$;`;

/**
 * Column defaults written before public.now() existed are bound to pg_catalog.now(); under
 * this search_path they print qualified, which is how they are found and re-pointed.
 */
async function repointNowDefaults(tx: SQL): Promise<void> {
  const rows = (await tx`select c.relname as table, a.attname as column from pg_attrdef d
    join pg_class c on c.oid = d.adrelid join pg_namespace n on n.oid = c.relnamespace and n.nspname = 'public'
    join pg_attribute a on a.attrelid = d.adrelid and a.attnum = d.adnum
    where pg_get_expr(d.adbin, d.adrelid) = 'pg_catalog.now()' order by 1, 2`) as { table: string; column: string }[];
  for (const r of rows) await tx.unsafe(`alter table public."${r.table}" alter column "${r.column}" set default public.now()`);
}
