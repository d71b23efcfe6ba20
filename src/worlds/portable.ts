/**
 * Portable worlds: a clone's state written to one file (snapshot-file.ts) and brought back on
 * any machine, into a new clone (`spin --from`) or an existing one (`restore --from`).
 *
 * Export works on a throwaway copy (CREATE DATABASE … TEMPLATE of the snapshot, or of the live
 * database after a clock checkpoint), so the clone and its snapshot are never written to.
 * On that copy the exporting clone's secrets are taken out before pg_dump sees them: the bot's
 * and admin's token rows get the markers `asym:bot` / `asym:user`, every other stored token
 * `asym:revoked:…`, and signing secrets are blanked.
 *
 * Import checks the whole file (checksum, template, version, migration level, world) before it
 * touches anything, then loads it into the clone's `incoming` copy (a database of its own,
 * owned and stamped like the clone's), gives that copy the importing clone's own credentials
 * (its registry tokens hashed into the marker rows, its own signing secrets), and swaps it
 * into place in one transaction. A crash before the swap leaves the clone as it was plus a
 * spare copy (doctor removes it); the Redis keys are staged under a prefix of their own and
 * replaced in one script after the swap. The clone's server applies any migration the file
 * predates when it reopens its pool (warm), so an older file is migrated forward.
 *
 * Design decision: a token of the exporting machine never works on the importing clone.
 * The file holds none; an imported world answers to the importing clone's tokens only.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { AsymmetricError, isAsymmetricError } from '../contract/errors.ts';
import type { CloneRecord } from '../contract/clone.ts';
import { withPgAdmin } from '../docker/clone-resources.ts';
import { ensureInfra, infraExec, type Infra } from '../docker/infra.ts';
import { homeId, namesOf, ownerStamp } from '../docker/names.ts';
import { adminUrl } from '../docker/postgres-admin.ts';
import { copyRedisPrefix, deleteRedisPrefix, replaceRedisPrefix } from '../docker/redis-admin.ts';
import { docker } from '../docker/spawn.ts';
import type { LocalDockerProvider } from '../docker/provider.ts';
import { faultPoint } from '../process/faults.ts';
import { patchClone } from '../registry/registry.ts';
import type { Template } from '../templates/catalog.ts';
import { versionInfo } from '../version.ts';
import { adoptObjects } from './adopt.ts';
import { SECRET_COLUMNS } from './secrets.ts';
import { compareVersions, encodeSnapshot, readSnapshot, type RedisEntry, type SnapshotContents, type SnapshotHeader } from './snapshot-file.ts';
import { worldOf } from './world.ts';

/** Names no user snapshot can take (snapshot names have no `#`): where export and import stage. */
const EXPORT_SLOT = '#export';
const IMPORT_SLOT = '#import';

/** Tables whose primary key is a token's hash, and whether they keep the token's last 4 characters. */
const TOKEN_TABLES: Record<string, { last4: boolean }> = { tokens: { last4: false }, api_keys: { last4: true } };
/** Per-clone secrets kept in asym_meta (Linear's webhook signing secret). */
const SECRET_META = ['webhook_secret'];

export type { PortableExport as ExportResult, PortableImport as ImportResult } from '../contract/provider.ts';
import type { PortableExport as ExportResult, PortableImport as ImportResult } from '../contract/provider.ts';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const q = (s: string) => `"${s.replace(/"/g, '""')}"`;

function adminSql(infra: Infra, db: string): Bun.SQL {
  return new Bun.SQL({ url: adminUrl(infra, db), max: 1, idleTimeout: 2 });
}

async function columnsOf(sql: Bun.SQL, table: string): Promise<string[]> {
  const rows = (await sql`select column_name from information_schema.columns where table_schema = 'public' and table_name = ${table}`) as { column_name: string }[];
  return rows.map((r) => r.column_name);
}

async function primaryKeyOf(sql: Bun.SQL, table: string): Promise<string[]> {
  const rows = (await sql`select a.attname from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
    where i.indrelid = ${`public."${table}"`}::regclass and i.indisprimary order by array_position(i.indkey, a.attnum)`) as { attname: string }[];
  return rows.map((r) => r.attname);
}

/** Secret columns other than token hashes (signing secrets), from the one list diff also uses. */
function secretFields(): [string, string[]][] {
  return Object.entries(SECRET_COLUMNS).filter(([t]) => !TOKEN_TABLES[t] && t !== 'asym_migrations').map(([t, c]) => [t, [...c]]);
}

/** On the export copy: token hashes become role markers, signing secrets are blanked. */
async function stripSecrets(infra: Infra, db: string, record: CloneRecord): Promise<void> {
  const sql = adminSql(infra, db);
  const bot = record.tokens ? sha256(record.tokens.botToken) : '';
  const user = record.tokens ? sha256(record.tokens.userToken) : '';
  try {
    for (const [table, { last4 }] of Object.entries(TOKEN_TABLES)) {
      const cols = await columnsOf(sql, table);
      if (!cols.includes('hash')) continue;
      await sql.unsafe(`update public.${q(table)} set hash = case hash when $1 then 'asym:bot' when $2 then 'asym:user' else 'asym:revoked:' || md5(hash) end${last4 && cols.includes('last4') ? `, last4 = ''` : ''}`, [bot, user]);
    }
    for (const [table, secret] of secretFields()) {
      const cols = (await columnsOf(sql, table)).filter((c) => secret.includes(c));
      if (cols.length) await sql.unsafe(`update public.${q(table)} set ${cols.map((c) => `${q(c)} = ''`).join(', ')}`);
    }
    await sql`update asym_meta set value = '""'::jsonb where key in ${sql(SECRET_META)}`;
  } catch (e) {
    throw new AsymmetricError('INFRA_UNHEALTHY', `could not prepare ${db} for export: ${(e as Error).message}`, { cause: e });
  } finally {
    await sql.close();
  }
}

/**
 * On the import copy: the importing clone's own credentials. Its registry tokens are hashed
 * into the marker rows; each signing secret is the value the clone holds now (matched by
 * primary key), or a fresh random one where the clone has no such row.
 */
async function giveSecrets(infra: Infra, staged: string, record: CloneRecord): Promise<void> {
  const into = adminSql(infra, staged);
  const from = adminSql(infra, record.database);
  try {
    for (const [table, { last4 }] of Object.entries(TOKEN_TABLES)) {
      const cols = await columnsOf(into, table);
      if (!cols.includes('hash')) continue;
      for (const [marker, token] of [['asym:bot', record.tokens?.botToken], ['asym:user', record.tokens?.userToken]] as const) {
        if (!token) continue;
        await into.unsafe(`update public.${q(table)} set hash = $1${last4 && cols.includes('last4') ? ', last4 = $3' : ''} where hash = $2`, last4 && cols.includes('last4') ? [sha256(token), marker, token.slice(-4)] : [sha256(token), marker]);
      }
    }
    for (const [table, secret] of secretFields()) {
      const cols = (await columnsOf(into, table)).filter((c) => secret.includes(c));
      if (!cols.length) continue;
      const pk = await primaryKeyOf(into, table);
      await into.unsafe(`update public.${q(table)} set ${cols.map((c) => `${q(c)} = md5(random()::text || clock_timestamp()::text)`).join(', ')}`);
      const mine = (await columnsOf(from, table)).length ? ((await from.unsafe(`select ${[...pk, ...cols].map(q).join(', ')} from public.${q(table)}`)) as Record<string, unknown>[]) : [];
      for (const row of mine) {
        const params = [...cols.map((c) => row[c]), ...pk.map((c) => row[c])];
        await into.unsafe(`update public.${q(table)} set ${cols.map((c, i) => `${q(c)} = $${i + 1}`).join(', ')} where ${pk.map((c, i) => `${q(c)} = $${cols.length + i + 1}`).join(' and ')}`, params);
      }
    }
    const meta = (await from`select key, value::text as value from asym_meta where key in ${from(SECRET_META)}`.catch(() => [])) as { key: string; value: string }[];
    for (const m of meta) await into`update asym_meta set value = ${m.value}::jsonb where key = ${m.key}`;
  } catch (e) {
    throw new AsymmetricError('INFRA_UNHEALTHY', `could not give the imported state clone ${record.id}'s credentials: ${(e as Error).message}`, { cause: e });
  } finally {
    await into.close();
    await from.close();
  }
}

/** Every key under `prefix`, by type, with its TTL. */
export async function readRedis(infra: Infra, prefix: string): Promise<RedisEntry[]> {
  const client = new Bun.RedisClient(`redis://${infra.host ?? '127.0.0.1'}:${infra.redisPort}`);
  const pattern = `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`;
  const out: RedisEntry[] = [];
  try {
    let cursor = '0';
    do {
      const [next, keys] = (await client.send('SCAN', [cursor, 'MATCH', pattern, 'COUNT', '1000'])) as [string, string[]];
      cursor = next;
      for (const full of keys) {
        const type = String(await client.send('TYPE', [full])) as RedisEntry['type'];
        const ttl = Number(await client.send('PTTL', [full]));
        if (ttl === -2) continue; // expired between SCAN and now
        const key = full.slice(prefix.length);
        if (type === 'string') out.push({ key, type, ttl, value: String(await client.send('GET', [full])) });
        else if (type === 'hash') out.push({ key, type, ttl, value: { ...((await client.send('HGETALL', [full])) as Record<string, string>) } });
        else if (type === 'list') out.push({ key, type, ttl, value: (await client.send('LRANGE', [full, '0', '-1'])) as string[] });
        else if (type === 'set') out.push({ key, type, ttl, value: ((await client.send('SMEMBERS', [full])) as string[]).sort() });
        else if (type === 'zset') out.push({ key, type, ttl, value: (await client.send('ZRANGE', [full, '0', '-1', 'WITHSCORES'])) as [string, number][] });
        else throw new AsymmetricError('NOT_SUPPORTED', `Redis key ${full} is a ${type}, which a snapshot file cannot hold yet`);
      }
    } while (cursor !== '0');
  } catch (e) {
    if (isAsymmetricError(e)) throw e;
    throw new AsymmetricError('INFRA_UNHEALTHY', `Redis refused: ${(e as Error).message}`, { cause: e });
  } finally {
    client.close();
  }
  return out.sort((a, b) => a.key.localeCompare(b.key));
}

export async function writeRedis(infra: Infra, prefix: string, entries: RedisEntry[]): Promise<void> {
  await deleteRedisPrefix(infra, prefix);
  const client = new Bun.RedisClient(`redis://${infra.host ?? '127.0.0.1'}:${infra.redisPort}`);
  try {
    for (const e of entries) {
      const k = prefix + e.key;
      if (e.type === 'string') await client.send('SET', [k, String(e.value)]);
      else if (e.type === 'hash') await client.send('HSET', [k, ...Object.entries(e.value as Record<string, string>).flat()]);
      else if (e.type === 'list') await client.send('RPUSH', [k, ...(e.value as string[])]);
      else if (e.type === 'set') await client.send('SADD', [k, ...(e.value as string[])]);
      else if (e.type === 'zset') await client.send('ZADD', [k, ...(e.value as [string, number][]).flatMap(([m, s]) => [String(s), m])]);
      if (e.ttl > 0) await client.send('PEXPIRE', [k, String(e.ttl)]);
    }
  } catch (e) {
    throw new AsymmetricError('INFRA_UNHEALTHY', `Redis refused: ${(e as Error).message}`, { cause: e });
  } finally {
    client.close();
  }
}

/** pg_dump runs inside the shared Postgres container, so no client tools are needed on the host. */
async function dumpTo(db: string, file: string): Promise<Buffer> {
  const res = await docker([...(await infraExec('postgres')), 'pg_dump', '-U', 'postgres', '--no-owner', '--no-privileges', db], { stdoutFile: file, allowFailure: true });
  if (res.code !== 0) throw new AsymmetricError('INFRA_UNHEALTHY', `pg_dump of ${db} failed: ${res.stderr.trim().slice(0, 400)}`);
  // pg_dump 15.14+ brackets its output in \restrict <random key>: dropped, so one state gives
  // one file and an older psql can load it.
  const text = await Bun.file(file).text();
  return Buffer.from(text.replace(/^\\(un)?restrict .*\n/gm, ''));
}

async function loadFrom(db: string, file: string): Promise<void> {
  const res = await docker([...(await infraExec('postgres')), 'psql', '-X', '-q', '-U', 'postgres', '-d', db, '-v', 'ON_ERROR_STOP=1', '--single-transaction', '-o', '/dev/null'], { stdinFile: file, allowFailure: true });
  if (res.code !== 0) {
    throw new AsymmetricError('SNAPSHOT_INCOMPATIBLE', `the snapshot's database did not load: ${res.stderr.trim().split('\n').slice(-3).join(' ').slice(0, 400)}`, { hint: 'nothing was changed; the file may come from a newer Postgres' });
  }
}

async function readMigrations(infra: Infra, db: string): Promise<{ migrations: string[]; clock: SnapshotHeader['clock'] }> {
  const sql = adminSql(infra, db);
  try {
    const migrations = ((await sql`select name from asym_migrations order by name`) as { name: string }[]).map((r) => r.name);
    const [row] = (await sql`select value from asym_meta where key = 'clock'`) as { value: { at: string; frozen: boolean } }[];
    return { migrations, clock: row?.value ? { at: String(row.value.at), frozen: Boolean(row.value.frozen) } : null };
  } finally {
    await sql.close();
  }
}

/** Write `bytes` to `file` through a temporary sibling and a rename: never a half file. */
function writeAtomic(file: string, bytes: Buffer): void {
  const dir = dirname(file);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new AsymmetricError('INVALID_INPUT', `folder ${dir} does not exist`, { hint: 'create it first, or pass -o with an existing folder' });
  const tmp = join(dir, `.${file.split('/').pop()}.${process.pid}.tmp`);
  try {
    writeFileSync(tmp, bytes, { mode: 0o600 });
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new AsymmetricError('INVALID_INPUT', `cannot write ${file}: ${(e as Error).message}`, { cause: e });
  }
}

export function migrationsOf(t: Template): string[] {
  const dir = join(t.dir, t.manifest.database.migrations);
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.sql')).sort() : [];
}

/**
 * Export a clone's state: a named snapshot (`snapshot`), or its live state (null; the caller
 * holds the clone's lock). The file's folder must exist.
 */
export async function exportState(provider: LocalDockerProvider, record: CloneRecord, t: Template, opts: { snapshot: string | null; snapshotDb?: string; file: string; progress?: (s: string) => void }): Promise<ExportResult> {
  const started = performance.now();
  const file = resolve(opts.file);
  const infra = await ensureInfra();
  const names = namesOf(record);
  const copy = names.snapshotDb(EXPORT_SLOT);
  const stamp = ownerStamp(record.id);
  const redisCopy = names.snapshotRedisPrefix(EXPORT_SLOT);
  const work = join(tmpdir(), `asym-export-${process.pid}-${randomBytes(4).toString('hex')}.sql`);
  try {
    opts.progress?.('copying the state');
    if (opts.snapshot === null) {
      if (record.state === 'running') {
        const admin = provider.admin(record);
        // The clock's current reading goes into the state, so the file's world goes on from now.
        await admin.clock({ action: 'checkpoint' }).catch((e) => {
          if (!isAsymmetricError(e) || e.code !== 'NOT_SUPPORTED') throw e;
        });
        await admin.release();
      }
      await withPgAdmin(infra, async (pg) => {
        await pg.dropOwnedDatabase(copy, stamp);
        await pg.copyDatabase(record.database, copy, names.role);
      });
      await copyRedisPrefix(infra, record.redisPrefix, redisCopy);
    } else {
      await withPgAdmin(infra, async (pg) => {
        await pg.dropOwnedDatabase(copy, stamp);
        await pg.copyDatabase(opts.snapshotDb!, copy, names.role);
      });
      await copyRedisPrefix(infra, names.snapshotRedisPrefix(opts.snapshot), redisCopy);
    }
    await stripSecrets(infra, copy, record);
    const { migrations, clock } = await readMigrations(infra, copy);
    opts.progress?.('dumping');
    const database = await dumpTo(copy, work);
    const redis = await readRedis(infra, redisCopy);
    await faultPoint('export:dumped');
    const t0 = record.tokens;
    const bytes = encodeSnapshot({
      template: t.manifest.name,
      templateVersion: t.manifest.version,
      mode: record.mode,
      migrations,
      world: record.world ?? null,
      clock,
      seed: record.seed,
      ids: t0 ? { appId: t0.appId, workspaceId: t0.workspaceId, botUserId: t0.botUserId, adminUserId: t0.adminUserId } : null,
      source: { clone: record.id, snapshot: opts.snapshot, home: homeId(), asym: versionInfo().version, exportedAt: new Date().toISOString() },
    }, database, redis);
    writeAtomic(file, bytes);
    return { id: record.id, snapshot: opts.snapshot, file, bytes: bytes.length, template: t.manifest.name, templateVersion: t.manifest.version, migrations, redisKeys: redis.length, ms: Math.round(performance.now() - started) };
  } finally {
    rmSync(work, { force: true });
    await withPgAdmin(infra, (pg) => pg.dropOwnedDatabase(copy, stamp)).catch(() => {});
    await deleteRedisPrefix(infra, redisCopy).catch(() => {});
  }
}

/**
 * Refuse, before anything is touched, a file this clone cannot take: another template
 * (SNAPSHOT_INCOMPATIBLE), a newer template version or a migration this template does not
 * know (SNAPSHOT_TOO_NEW), and, for an existing clone, another world (its ids differ).
 */
export function checkCompatible(header: SnapshotHeader, t: Template, file: string, target?: CloneRecord): void {
  if (header.template !== t.manifest.name) {
    throw new AsymmetricError('SNAPSHOT_INCOMPATIBLE', `${file} holds a ${header.template} clone, not ${t.manifest.name}`, { hint: `nothing was changed; bring it back with asym spin ${header.template} --from ${file}` });
  }
  if (compareVersions(header.templateVersion, t.manifest.version) > 0) {
    throw new AsymmetricError('SNAPSHOT_TOO_NEW', `${file} comes from ${header.template} ${header.templateVersion}; this machine has ${t.manifest.version}`, { hint: 'nothing was changed; upgrade asym here to import it' });
  }
  const known = new Set(migrationsOf(t));
  const unknown = header.migrations.filter((m) => !known.has(m));
  if (unknown.length) {
    throw new AsymmetricError('SNAPSHOT_TOO_NEW', `${file} is at a migration level this ${t.manifest.name} template does not know (${unknown.join(', ')})`, { hint: 'nothing was changed; upgrade asym here to import it' });
  }
  if (target) {
    const mine = worldOf(target.world);
    const theirs = worldOf(header.world ?? undefined);
    if (mine.seed !== theirs.seed || mine.start !== theirs.start) {
      throw new AsymmetricError('SNAPSHOT_INCOMPATIBLE', `${file} is of world ${theirs.seed}@${theirs.start}; clone ${target.id} is of world ${mine.seed}@${mine.start}`, {
        hint: `nothing was changed; its ids differ from this clone's: make a new clone of it with asym spin ${header.template} --from ${file}`,
      });
    }
  }
}

/** Read and check a file for `t` (and an existing clone), before anything is touched. */
export function openSnapshot(file: string, t: Template, target?: CloneRecord): SnapshotContents {
  const contents = readSnapshot(file);
  checkCompatible(contents.header, t, file, target);
  return contents;
}

/**
 * Replace a clone's state with a checked file's. The caller holds the clone's lock. `fresh`:
 * the clone is being created (spin --from), so its record is not yet `running`.
 */
export async function importState(provider: LocalDockerProvider, record: CloneRecord, contents: SnapshotContents, file: string, opts: { progress?: (s: string) => void } = {}): Promise<ImportResult> {
  const started = performance.now();
  const infra = await ensureInfra();
  const names = namesOf(record);
  const stamp = ownerStamp(record.id);
  const temp = { incoming: names.incoming(record.database), outgoing: names.outgoing(record.database) };
  const stagedKeys = names.snapshotRedisPrefix(IMPORT_SLOT);
  const work = join(tmpdir(), `asym-import-${process.pid}-${randomBytes(4).toString('hex')}.sql`);
  let swapped = false;
  try {
    opts.progress?.('loading the snapshot');
    await withPgAdmin(infra, async (pg) => {
      // Leftovers of an interrupted attempt (or swap), then a fresh database for the copy.
      await pg.dropOwnedDatabase(temp.incoming, stamp);
      await pg.dropOwnedDatabase(temp.outgoing, stamp);
      await pg.createOwnedDatabase(temp.incoming, names.role, stamp);
    });
    writeFileSync(work, contents.database, { mode: 0o600 });
    await loadFrom(temp.incoming, work);
    await adoptObjects(infra, temp.incoming, names.role);
    await giveSecrets(infra, temp.incoming, record);
    await writeRedis(infra, stagedKeys, contents.redis);
    await faultPoint('import:staged');
    opts.progress?.('swapping it in');
    if (record.state === 'running' || record.state === 'unhealthy' || record.state === 'creating') await provider.admin(record).release();
    await withPgAdmin(infra, (pg) => pg.swapIn(record.database, temp, stamp));
    swapped = true;
    await faultPoint('import:database');
    await replaceRedisPrefix(infra, stagedKeys, record.redisPrefix);
    let migrated: string[] = [];
    if (record.state !== 'stopped') {
      // The clone reopens its pool and applies the migrations the file predates.
      const { status, json } = await provider.admin(record).call('warm', {}, 120_000);
      if (status !== 200) throw new AsymmetricError('SNAPSHOT_INCOMPATIBLE', `clone ${record.id} could not migrate the imported state forward: ${JSON.stringify(json).slice(0, 300)}`, { hint: 'asym reset puts it back to its spin state' });
      const now = await readMigrations(infra, record.database);
      migrated = now.migrations.filter((m) => !contents.header.migrations.includes(m));
    }
    if (record.state !== 'creating') await patchClone(record.id, { syncedAt: new Date().toISOString() });
    return { id: record.id, file, template: contents.header.template, templateVersion: contents.header.templateVersion, migrated, redisKeys: contents.redis.length, ms: Math.round(performance.now() - started) };
  } finally {
    rmSync(work, { force: true });
    if (!swapped) await withPgAdmin(infra, (pg) => pg.dropOwnedDatabase(temp.incoming, stamp)).catch(() => {});
    await deleteRedisPrefix(infra, stagedKeys).catch(() => {});
  }
}
