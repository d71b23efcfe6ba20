/**
 * What changed in a clone: its database now against the pristine copy taken right after
 * spin (and seed), or against a named snapshot, table by table and row by row, plus a
 * content hash of each side. For graders: "the agent posted one message in #support and
 * changed nothing else" becomes an assertion on this result.
 *
 * Each side is read in one read-only, repeatable-read transaction, so a clone that keeps
 * writing is seen at one point in time. Rows are keyed by their primary key (the whole row
 * for a table without one); the kit's bookkeeping tables are left out.
 */
import { createHash } from 'node:crypto';
import { AsymmetricError } from '../contract/errors.ts';
import type { CloneRecord } from '../contract/clone.ts';
import { ensureInfra, type Infra } from './infra.ts';
import { namesOf } from './names.ts';
import { adminUrl, PgAdmin } from './postgres-admin.ts';
import { requireSnapshot } from './state-ops.ts';
import { SECRET_COLUMNS } from '../worlds/secrets.ts';

type Row = Record<string, unknown>;

export type { RowChange, TableDiff, StateDiff, DiffOptions } from '../contract/diff.ts';
import type { DiffOptions, StateDiff, TableDiff } from '../contract/diff.ts';

const BOOKKEEPING = new Set(['asym_migrations', 'asym_meta']);

interface TableData {
  key: string[];
  rows: Map<string, Row>;
}

const stable = (v: unknown): string => JSON.stringify(v, (_k, x) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b))) : x));

async function readDatabase(infra: Infra, db: string, only?: Set<string>): Promise<Map<string, TableData>> {
  const sql = new Bun.SQL({ url: adminUrl(infra, db), max: 1, idleTimeout: 2 });
  try {
    return await sql.begin('isolation level repeatable read read only', async (tx) => {
      const tables = (await tx`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`) as { table_name: string }[];
      const out = new Map<string, TableData>();
      for (const { table_name: name } of tables) {
        if (BOOKKEEPING.has(name) || (only && !only.has(name))) continue;
        const pk = (await tx`select a.attname from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
          where i.indrelid = ${`public."${name}"`}::regclass and i.indisprimary order by array_position(i.indkey, a.attnum)`) as { attname: string }[];
        const key = pk.map((r) => r.attname);
        const rows = (await tx.unsafe(`select row_to_json(t)::text as j from public."${name.replace(/"/g, '""')}" t`)) as { j: string }[];
        const map = new Map<string, Row>();
        for (const { j } of rows) {
          const row = JSON.parse(j) as Row;
          const k = key.length ? stable(key.map((c) => row[c])) : stable(row);
          // A table without a key can hold equal rows: count them apart.
          let id = k;
          for (let n = 2; map.has(id); n++) id = `${k}#${n}`;
          map.set(id, row);
        }
        out.set(name, { key, rows: map });
      }
      return out;
    });
  } catch (e) {
    if (e instanceof AsymmetricError) throw e;
    throw new AsymmetricError('INFRA_UNHEALTHY', `reading database ${db} failed: ${(e as Error).message}`, { cause: e });
  } finally {
    await sql.close();
  }
}

/**
 * Secrets (token hashes, signing secrets) are left out: they are random per clone, so two
 * clones of one world hash alike. Rows are hashed without them, sorted by their text.
 */
function hashOf(data: Map<string, TableData>): string {
  const h = createHash('sha256');
  for (const name of [...data.keys()].sort()) {
    h.update(`\u0000table ${name}\n`);
    const secret = SECRET_COLUMNS[name];
    const rows = [...data.get(name)!.rows.values()].map((row) => stable(secret ? Object.fromEntries(Object.entries(row).filter(([c]) => !secret.includes(c))) : row));
    for (const line of rows.sort()) h.update(`${line}\n`);
  }
  return h.digest('hex');
}

function keyOf(t: TableData, row: Row): Row {
  return t.key.length ? Object.fromEntries(t.key.map((c) => [c, row[c]])) : row;
}

export function diffData(before: Map<string, TableData>, after: Map<string, TableData>): TableDiff[] {
  const out: TableDiff[] = [];
  for (const name of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const a = before.get(name) ?? { key: after.get(name)!.key, rows: new Map() };
    const b = after.get(name) ?? { key: a.key, rows: new Map() };
    const d: TableDiff = { table: name, added: [], removed: [], changed: [] };
    for (const [k, row] of b.rows) {
      const old = a.rows.get(k);
      if (!old) d.added.push(row);
      else if (stable(old) !== stable(row)) {
        const columns = [...new Set([...Object.keys(old), ...Object.keys(row)])].filter((c) => stable(old[c]) !== stable(row[c]));
        d.changed.push({ key: keyOf(b, row), before: old, after: row, columns });
      }
    }
    for (const [k, row] of a.rows) if (!b.rows.has(k)) d.removed.push(row);
    if (d.added.length || d.removed.length || d.changed.length) out.push(d);
  }
  return out;
}

export async function diffClone(record: CloneRecord, opts: DiffOptions = {}): Promise<StateDiff> {
  const started = performance.now();
  const from = opts.from && opts.from !== 'pristine' ? opts.from : 'pristine';
  const baseDb = from === 'pristine' ? namesOf(record).pristine : requireSnapshot(record.id, from).database;
  const infra = await ensureInfra();
  const only = opts.tables?.length ? new Set(opts.tables) : undefined;
  const pg = new PgAdmin(infra);
  const found = await pg.databaseExists(baseDb).finally(() => pg.close());
  if (!found) {
    throw new AsymmetricError(from === 'pristine' ? 'NOT_SUPPORTED' : 'SNAPSHOT_NOT_FOUND', `clone ${record.id} has no ${from === 'pristine' ? 'pristine copy' : `database for snapshot ${from}`} to compare with`, {
      hint: from === 'pristine' ? 'clones spun before reset existed have none; spin a new one' : 'asym doctor reports what happened to it',
    });
  }
  const [before, after] = await Promise.all([readDatabase(infra, baseDb, only), readDatabase(infra, record.database, only)]);
  if (only) {
    const unknown = [...only].filter((t) => !before.has(t) && !after.has(t));
    if (unknown.length) {
      throw new AsymmetricError('INVALID_INPUT', `no table ${unknown.join(', ')} in clone ${record.id}`, { hint: `tables: ${[...new Set([...(await readDatabase(infra, record.database)).keys()])].join(', ')}` });
    }
  }
  const tables = diffData(before, after);
  return {
    clone: record.id,
    from,
    tables,
    summary: {
      tables: tables.length,
      added: tables.reduce((n, t) => n + t.added.length, 0),
      removed: tables.reduce((n, t) => n + t.removed.length, 0),
      changed: tables.reduce((n, t) => n + t.changed.length, 0),
    },
    hash: { from: hashOf(before), to: hashOf(after) },
    ms: Math.round(performance.now() - started),
  };
}
