/**
 * Database administration on the shared Postgres, over its 127.0.0.1 port with Bun.SQL
 * (a round trip costs a millisecond where `docker exec psql` costs a hundred). Each clone
 * gets its own role that owns its database; PUBLIC loses CONNECT so one clone's
 * credentials cannot open another clone's database.
 */
import { AsymmetricError } from '../contract/errors.ts';
import { faultPoint } from '../process/faults.ts';
import type { Infra } from './infra.ts';
import { parseStamp } from './names.ts';

/** Always double-quoted below, so `.` and `-` (which clone names use as separators) are safe. */
const IDENT = /^[a-z_][a-z0-9_.-]{0,62}$/;

function ident(name: string): string {
  if (!IDENT.test(name)) throw new AsymmetricError('INTERNAL', `unsafe SQL identifier ${JSON.stringify(name)}`);
  return `"${name}"`;
}

function literal(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** Postgres refused because a session is still on the database (55006): terminate and retry. */
function inUse(e: unknown): boolean {
  return (e as { errno?: string }).errno === '55006' || /being accessed by other users/.test(String((e as Error).message));
}

/** The superuser's URL for one database of the shared Postgres, over its host port. */
export function adminUrl(infra: Infra, db = 'postgres'): string {
  return `postgres://postgres:${encodeURIComponent(infra.password)}@${infra.host ?? '127.0.0.1'}:${infra.pgPort}/${db}`;
}

export class PgAdmin {
  private sql: Bun.SQL;
  constructor(infra: Infra) {
    this.sql = new Bun.SQL({ url: adminUrl(infra), max: 2, idleTimeout: 5 });
  }

  async close(): Promise<void> {
    await this.sql.close();
  }

  private async exec(text: string): Promise<Record<string, unknown>[]> {
    try {
      return (await this.sql.unsafe(text)) as Record<string, unknown>[];
    } catch (e) {
      throw new AsymmetricError('INFRA_UNHEALTHY', `Postgres refused: ${(e as Error).message}`, { cause: e, details: { sql: text.slice(0, 200) } });
    }
  }

  async databaseExists(db: string): Promise<boolean> {
    const rows = await this.exec(`select 1 from pg_database where datname = ${literal(db)}`);
    return rows.length > 0;
  }

  async listDatabases(prefix: string): Promise<string[]> {
    const rows = await this.exec(`select datname from pg_database where datname like ${literal(`${prefix}%`)} order by 1`);
    return rows.map((r) => String(r.datname));
  }

  /**
   * A new role and database, both stamped with their owner (`stamp`). Refuses (NAME_TAKEN)
   * when either exists already: a create never adopts or alters what another clone owns.
   */
  async createCloneDatabase(db: string, role: string, password: string, stamp: string): Promise<void> {
    await this.createCloneRole(role, password, stamp);
    await this.exec(`create database ${ident(db)} owner ${ident(role)}`);
    await this.exec(`revoke connect on database ${ident(db)} from public`);
    await this.exec(`comment on database ${ident(db)} is ${literal(stamp)}`);
  }

  /** A new login role stamped with its owner; NAME_TAKEN when it exists already. */
  async createCloneRole(role: string, password: string, stamp: string): Promise<void> {
    if (await this.roleExists(role)) {
      throw new AsymmetricError('NAME_TAKEN', `role ${role} already exists on the shared Postgres`, { hint: 'asym doctor --fix removes what an interrupted spin left' });
    }
    await this.exec(`create role ${ident(role)} login password ${literal(password)}`);
    await this.exec(`comment on role ${ident(role)} is ${literal(stamp)}`);
  }

  async roleExists(role: string): Promise<boolean> {
    return (await this.exec(`select 1 from pg_roles where rolname = ${literal(role)}`)).length > 0;
  }

  /**
   * A database's owner stamp (null when it has none or does not exist): its comment, or, for
   * a copy killed between its CREATE and its COMMENT, the stamp of the clone role that owns it
   * (every copy is created owned by its clone's role; see cloneDatabases).
   */
  async databaseStamp(db: string): Promise<string | null> {
    const [row] = await this.exec(`select shobj_description(d.oid, 'pg_database') as c, shobj_description(r.oid, 'pg_authid') as rc
      from pg_database d left join pg_roles r on r.oid = d.datdba where d.datname = ${literal(db)}`);
    if (row?.c) return String(row.c);
    return row?.rc && parseStamp(String(row.rc)).home ? String(row.rc) : null;
  }

  async roleStamp(role: string): Promise<string | null> {
    const [row] = await this.exec(`select shobj_description(oid, 'pg_authid') as c from pg_roles where rolname = ${literal(role)}`);
    return row?.c ? String(row.c) : null;
  }

  /**
   * Databases named like a clone's, with the home and clone that made them (from their stamp).
   * CREATE DATABASE and its COMMENT are two statements, so a verb killed between them leaves a copy with no stamp; every copy is
   * created owned by its clone's role, which is stamped, so such a copy is known by its
   * owner's stamp instead (`unstamped`; databaseStamp answers the same for it).
   */
  async cloneDatabases(): Promise<{ name: string; home: string | null; clone: string | null; unstamped: boolean }[]> {
    const rows = await this.exec(`select d.datname, shobj_description(d.oid, 'pg_database') as comment, shobj_description(r.oid, 'pg_authid') as role_comment
      from pg_database d left join pg_roles r on r.oid = d.datdba where d.datname like 'asym\\_%' order by 1`);
    return rows.map((r) => {
      const own = parseStamp(String(r.comment ?? ''));
      if (own.home || r.comment) return { name: String(r.datname), ...own, unstamped: false };
      const role = parseStamp(String(r.role_comment ?? ''));
      return { name: String(r.datname), ...role, unstamped: role.home !== null };
    });
  }

  /** Roles named like a clone's, with their stamp. */
  async cloneRoles(): Promise<{ name: string; home: string | null; clone: string | null }[]> {
    const rows = await this.exec(`select rolname, shobj_description(oid, 'pg_authid') as comment from pg_roles where rolname like 'asym\\_%' order by 1`);
    return rows.map((r) => ({ name: String(r.rolname), ...parseStamp(String(r.comment ?? '')) }));
  }

  /**
   * Drop a database only if it carries `stamp`'s home (and clone, when the stamp names one).
   * Returns false when it does not exist; throws NOT_OWNED when it is someone else's.
   */
  async dropOwnedDatabase(db: string, stamp: string): Promise<boolean> {
    if (!(await this.databaseExists(db))) return false;
    assertOwned('database', db, await this.databaseStamp(db), stamp);
    await this.dropDatabase(db);
    return true;
  }

  async dropOwnedRole(role: string, stamp: string): Promise<boolean> {
    if (!(await this.roleExists(role))) return false;
    assertOwned('role', role, await this.roleStamp(role), stamp);
    await this.dropRole(role);
    return true;
  }

  /**
   * Make `target` a copy of `source` so that `target` is complete at every instant: the
   * copy is built under a temporary name, then the old and new databases trade names in one
   * transaction (ALTER DATABASE … RENAME is transactional), then the old one is dropped. A
   * crash leaves at most a spare copy (`incoming` or `outgoing`), which the next swap or
   * doctor removes; never a clone without its database. `meanwhile` runs once the new
   * database is in place, alongside the old one's drop.
   */
  async replaceDatabase(source: string, target: string, owner: string, temp: { incoming: string; outgoing: string }, stamp: string, opts: { meanwhile?: () => Promise<void> } = {}): Promise<void> {
    await this.dropOwnedDatabase(temp.incoming, stamp);
    await this.dropOwnedDatabase(temp.outgoing, stamp);
    await this.copyDatabase(source, temp.incoming, owner);
    await faultPoint('swap:copied');
    await this.swapIn(target, temp, stamp, opts);
  }

  /**
   * The second half of replaceDatabase: `temp.incoming` (complete, built by the caller)
   * trades names with `target` in one transaction, then the old database is dropped while
   * `meanwhile` runs.
   */
  async swapIn(target: string, temp: { incoming: string; outgoing: string }, stamp: string, opts: { meanwhile?: () => Promise<void> } = {}): Promise<void> {
    const exists = await this.databaseExists(target);
    if (exists) assertOwned('database', target, await this.databaseStamp(target), stamp);
    for (let attempt = 0; ; attempt++) {
      if (exists) await this.terminate(target);
      // A copy built through its own sessions (an import's staging copy) may still have them.
      await this.terminate(temp.incoming);
      try {
        await this.sql.begin(async (tx) => {
          if (exists) await tx.unsafe(`alter database ${ident(target)} rename to ${ident(temp.outgoing)}`);
          await tx.unsafe(`alter database ${ident(temp.incoming)} rename to ${ident(target)}`);
        });
        break;
      } catch (e) {
        // The clone's pool may reconnect between the terminate and the rename (55006).
        const busy = inUse(e);
        if (!busy || attempt >= 40) throw new AsymmetricError('INFRA_UNHEALTHY', `Postgres refused to swap ${target}: ${(e as Error).message}`, { cause: e });
        await Bun.sleep(5 + attempt * 5);
      }
    }
    await faultPoint('swap:renamed');
    // The target is complete from here: `meanwhile` (the clone reopening its pool) need not
    // wait for the old database's drop, which can take hundreds of ms on a busy server.
    await Promise.all([exists ? this.dropDatabase(temp.outgoing) : undefined, opts.meanwhile?.()]);
  }

  /** Close every session on a database (the clone's pool must reconnect). */
  async terminate(db: string): Promise<void> {
    await this.exec(`select pg_terminate_backend(pid) from pg_stat_activity where datname = ${literal(db)} and pid <> pg_backend_pid()`);
  }

  async dropDatabase(db: string): Promise<void> {
    await this.exec(`drop database if exists ${ident(db)} with (force)`);
  }

  async dropRole(role: string): Promise<void> {
    await this.exec(`drop role if exists ${ident(role)}`);
  }

  /**
   * CREATE DATABASE … TEMPLATE: a file-level copy; the source must have no sessions.
   * STRATEGY FILE_COPY (Postgres 15+): copies the files and checkpoints once, where the
   * default WAL_LOG writes every block of a mostly-catalog 8 MB database through the WAL;
   * measured here at about half the time. The infra runs with fsync off, so the checkpoint
   * is cheap. The copy is stamped with `stamp`, else with its source's stamp.
   */
  async copyDatabase(from: string, to: string, owner: string, stamp?: string): Promise<void> {
    // A clone's background work (e.g. Slack's scheduler) can reconnect between the
    // terminate and the copy; Postgres then refuses (55006). Terminate and try again.
    for (let attempt = 0; ; attempt++) {
      await this.terminate(from);
      try {
        await this.sql.unsafe(`create database ${ident(to)} template ${ident(from)} owner ${ident(owner)} strategy file_copy`);
        break;
      } catch (e) {
        const busy = inUse(e);
        if (!busy || attempt >= 20) {
          throw new AsymmetricError('INFRA_UNHEALTHY', `Postgres refused to copy ${from}: ${(e as Error).message}`, { cause: e });
        }
        await Bun.sleep(10 + attempt * 10);
      }
    }
    // A kill here leaves a copy without its stamp: cloneDatabases knows it by its owner role.
    await faultPoint('copy:created');
    await this.exec(`revoke connect on database ${ident(to)} from public`);
    // Comments are not copied by TEMPLATE; keep the home stamp doctor relies on.
    if (stamp) {
      await this.stampDatabase(to, stamp);
      return;
    }
    const [row] = await this.exec(`select shobj_description(oid, 'pg_database') as c from pg_database where datname = ${literal(from)}`);
    if (row?.c) await this.exec(`comment on database ${ident(to)} is ${literal(String(row.c))}`);
  }

  /**
   * Make `from` (a copy no one else needs: a fork's frozen source) become `to`, owned by
   * `owner` and stamped `stamp`, without copying a byte. Name, owner and stamp change in one
   * transaction, so at every instant the database is either still `from` with its old stamp
   * or already `to` with the new one: an interrupted take never leaves a database that its
   * name's owner cannot remove. The old owner's rights pass to the new owner with it.
   */
  async takeDatabase(from: string, to: string, owner: string, stamp: string): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      await this.terminate(from);
      try {
        await this.sql.begin(async (tx) => {
          await tx.unsafe(`alter database ${ident(from)} rename to ${ident(to)}`);
          await tx.unsafe(`alter database ${ident(to)} owner to ${ident(owner)}`);
          await tx.unsafe(`comment on database ${ident(to)} is ${literal(stamp)}`);
        });
        return;
      } catch (e) {
        const busy = inUse(e);
        if (!busy || attempt >= 20) throw new AsymmetricError('INFRA_UNHEALTHY', `Postgres refused to rename ${from} to ${to}: ${(e as Error).message}`, { cause: e });
        await Bun.sleep(10 + attempt * 10);
      }
    }
  }

  /** An empty database owned by an existing clone role, closed to PUBLIC and stamped (an import's staging copy). */
  async createOwnedDatabase(db: string, owner: string, stamp: string): Promise<void> {
    await this.exec(`create database ${ident(db)} owner ${ident(owner)} strategy file_copy`);
    await this.exec(`revoke connect on database ${ident(db)} from public`);
    await this.exec(`comment on database ${ident(db)} is ${literal(stamp)}`);
  }

  /** Write the owner stamp of a database (a copy carries its source's, which is another clone's). */
  async stampDatabase(db: string, stamp: string): Promise<void> {
    await this.exec(`comment on database ${ident(db)} is ${literal(stamp)}`);
  }

  async renameDatabase(from: string, to: string): Promise<void> {
    await this.exec(`alter database ${ident(from)} rename to ${ident(to)}`);
  }
}

/** A resource may be removed only by the home (and clone) its stamp names. */
export function assertOwned(kind: string, name: string, found: string | null, expected: string): void {
  const want = parseStamp(expected);
  const have = parseStamp(found);
  if (have.home === want.home && (!want.clone || !have.clone || have.clone === want.clone)) return;
  throw new AsymmetricError('NOT_OWNED', `${kind} ${name} belongs to ${have.home ? `another asym home (${have.home})` : 'nothing asym made'}; it was left alone`, {
    hint: 'nothing was removed; asym only removes what carries its own stamp',
    details: { [kind]: name, stamp: found },
  });
}
