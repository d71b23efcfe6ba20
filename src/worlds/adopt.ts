/**
 * A database copied from another clone (a fork) holds objects owned by that clone's role.
 * Hand every object in its public schema to the new clone's role, so the new clone's
 * credentials can use its tables and the old role keeps no rights in a database it does
 * not own. Tables first: ALTER TABLE … OWNER also moves the sequences a table owns.
 */
import { AsymmetricError } from '../contract/errors.ts';
import type { Infra } from '../docker/infra.ts';
import { adminUrl } from '../docker/postgres-admin.ts';

export async function adoptObjects(infra: Infra, db: string, role: string): Promise<void> {
  const sql = new Bun.SQL({ url: adminUrl(infra, db), max: 1, idleTimeout: 2 });
  const q = role.replace(/"/g, '""');
  try {
    await sql.unsafe(`do $$
      declare r record;
      begin
        for r in select c.oid::regclass as name, c.relkind from pg_class c join pg_namespace n on n.oid = c.relnamespace
                 where n.nspname = 'public' and c.relkind in ('r', 'p', 'v', 'm', 'f') loop
          execute format('alter %s %s owner to "${q}"', case r.relkind when 'v' then 'view' when 'm' then 'materialized view' when 'f' then 'foreign table' else 'table' end, r.name);
        end loop;
        for r in select c.oid::regclass as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
                 where n.nspname = 'public' and c.relkind = 'S' and c.relowner <> (select oid from pg_roles where rolname = '${role.replace(/'/g, "''")}') loop
          execute format('alter sequence %s owner to "${q}"', r.name);
        end loop;
        for r in select p.oid::regprocedure as name from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = 'public' loop
          execute format('alter routine %s owner to "${q}"', r.name);
        end loop;
        for r in select t.oid::regtype as name from pg_type t join pg_namespace n on n.oid = t.typnamespace
                 where n.nspname = 'public' and t.typtype in ('e', 'd', 'r') loop
          execute format('alter type %s owner to "${q}"', r.name);
        end loop;
      end $$`);
  } catch (e) {
    throw new AsymmetricError('INFRA_UNHEALTHY', `could not hand ${db} to ${role}: ${(e as Error).message}`, { cause: e });
  } finally {
    await sql.close();
  }
}
