import { ensureInfra } from '../../src/docker/infra.ts';
import { PgAdmin } from '../../src/docker/postgres-admin.ts';
import { countRedisPrefix } from '../../src/docker/redis-admin.ts';
import { docker } from '../../src/docker/spawn.ts';
import { infraProject } from '../../src/config.ts';

export async function databaseExists(db: string): Promise<boolean> {
  const pg = new PgAdmin(await ensureInfra());
  try {
    return await pg.databaseExists(db);
  } finally {
    await pg.close();
  }
}

export async function redisKeys(prefix: string): Promise<number> {
  return countRedisPrefix(await ensureInfra(), prefix);
}

/** A plain-text dump of a clone database, for byte-for-byte comparisons. */
export async function dumpDatabase(db: string, opts: { excludeData?: string[] } = {}): Promise<string> {
  const exclude = (opts.excludeData ?? []).map((t) => `--exclude-table-data=${t}`);
  const res = await docker(['compose', '-p', infraProject(), 'exec', '-T', 'postgres', 'pg_dump', '-U', 'postgres', '--no-owner', '--no-privileges', ...exclude, db]);
  // pg_dump 15.14+ wraps the dump in \restrict/\unrestrict with a random key per run.
  return res.stdout.replace(/^\\(un)?restrict .*$/gm, '');
}
