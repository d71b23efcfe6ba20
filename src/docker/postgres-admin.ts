/**
 * Database administration on the shared Postgres, over its 127.0.0.1 port with Bun.SQL
 * (a round trip costs a millisecond where `docker exec psql` costs a hundred). Each clone
 * gets its own role that owns its database; PUBLIC loses CONNECT so one clone's
 * credentials cannot open another clone's database.
 */
import { AsymmetricError } from '../contract/errors.ts';
import type { Infra } from './infra.ts';

const IDENT = /^[a-z_][a-z0-9_]{0,62}$/;

function ident(name: string): string {
  if (!IDENT.test(name)) throw new AsymmetricError('INTERNAL', `unsafe SQL identifier ${JSON.stringify(name)}`);
  return `"${name}"`;
}

function literal(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** The superuser's URL for one database of the shared Postgres, over its host port. */
export function adminUrl(infra: Infra, db = 'postgres'): string {
  return `postgres://postgres:${encodeURIComponent(infra.password)}@127.0.0.1:${infra.pgPort}/${db}`;
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

  async createCloneDatabase(db: string, role: string, password: string, home: string): Promise<void> {
    await this.exec(`do $$ begin
      if not exists (select from pg_roles where rolname = ${literal(role)}) then
        create role ${ident(role)} login password ${literal(password)};
      else
        alter role ${ident(role)} login password ${literal(password)};
      end if; end $$`);
    await this.exec(`create database ${ident(db)} owner ${ident(role)}`);
    await this.exec(`revoke connect on database ${ident(db)} from public`);
    await this.exec(`comment on database ${ident(db)} is ${literal(`asym home=${home}`)}`);
  }

  /** Databases named like a clone's, with the home that made them (from their comment). */
  async cloneDatabases(): Promise<{ name: string; home: string | null }[]> {
    const rows = await this.exec(`select d.datname, shobj_description(d.oid, 'pg_database') as comment from pg_database d where d.datname like 'asym\\_%' order by 1`);
    return rows.map((r) => {
      const m = /asym home=(\w+)/.exec(String(r.comment ?? ''));
      return { name: String(r.datname), home: m ? m[1]! : null };
    });
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

  /** CREATE DATABASE … TEMPLATE: a file-level copy; the source must have no sessions. */
  async copyDatabase(from: string, to: string, owner: string): Promise<void> {
    // A clone's background work (e.g. Slack's scheduler) can reconnect between the
    // terminate and the copy; Postgres then refuses (55006). Terminate and try again.
    for (let attempt = 0; ; attempt++) {
      await this.terminate(from);
      try {
        await this.sql.unsafe(`create database ${ident(to)} template ${ident(from)} owner ${ident(owner)}`);
        break;
      } catch (e) {
        const busy = (e as { errno?: string }).errno === '55006' || /being accessed by other users/.test(String((e as Error).message));
        if (!busy || attempt >= 20) {
          throw new AsymmetricError('INFRA_UNHEALTHY', `Postgres refused to copy ${from}: ${(e as Error).message}`, { cause: e });
        }
        await Bun.sleep(10 + attempt * 10);
      }
    }
    await this.exec(`revoke connect on database ${ident(to)} from public`);
    // Comments are not copied by TEMPLATE; keep the home stamp doctor relies on.
    const [row] = await this.exec(`select shobj_description(oid, 'pg_database') as c from pg_database where datname = ${literal(from)}`);
    if (row?.c) await this.exec(`comment on database ${ident(to)} is ${literal(String(row.c))}`);
  }

  async renameDatabase(from: string, to: string): Promise<void> {
    await this.exec(`alter database ${ident(from)} rename to ${ident(to)}`);
  }
}
