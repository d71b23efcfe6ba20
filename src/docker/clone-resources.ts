/**
 * Removing what a clone owns, each piece only after checking its owner stamp. Used by
 * destroy, by the undo steps of a failed or interrupted spin, and by doctor.
 */
import type { CloneRecord } from '../contract/clone.ts';
import { AsymmetricError, isAsymmetricError } from '../contract/errors.ts';
import { infraProject } from '../config.ts';
import type { Infra } from './infra.ts';
import { CLONE_LABEL, HOME_LABEL } from './labels.ts';
import { homeId, namesOf, ownerStamp } from './names.ts';
import { PgAdmin } from './postgres-admin.ts';
import { deleteRedisPrefix } from './redis-admin.ts';
import { docker } from './spawn.ts';
import { stackRemoveOwned, swarmEngine } from './swarm.ts';

/**
 * Every database the clone owns (by name and stamp), then its role. One that carries
 * another owner's stamp is not this clone's to remove: it is skipped (and returned).
 */
export async function dropCloneDatabases(pg: PgAdmin, record: CloneRecord): Promise<string[]> {
  const names = namesOf(record);
  const stamp = ownerStamp(record.id);
  const skipped: string[] = [];
  const drop = async (kind: string, name: string, fn: () => Promise<boolean>) => {
    try {
      await fn();
    } catch (e) {
      if (!isAsymmetricError(e) || e.code !== 'NOT_OWNED') throw e;
      skipped.push(`${kind} ${name}`);
    }
  };
  for (const db of await pg.listDatabases(names.database)) {
    if (names.ownsDatabase(db)) await drop('database', db, () => pg.dropOwnedDatabase(db, stamp));
  }
  await drop('role', names.role, () => pg.dropOwnedRole(names.role, stamp));
  return skipped;
}

export async function deleteCloneKeys(infra: Infra, record: CloneRecord): Promise<void> {
  const names = namesOf(record);
  await deleteRedisPrefix(infra, names.redisPrefix);
  await deleteRedisPrefix(infra, names.snapshotsRedisPrefix);
}

/**
 * `compose down` of a clone's project, after checking that every container in it carries
 * this home's stamp: a project name never reaches the shared infra or another home's clone
 * (NOT_OWNED, and nothing is removed).
 */
export async function composeDownOwned(project: string): Promise<void> {
  if (swarmEngine()) return stackRemoveOwned(project, infraProject(), homeId());
  if (project === infraProject()) {
    throw new AsymmetricError('NOT_OWNED', `refusing to remove compose project ${project}: it is the shared infra`);
  }
  const res = await docker(['ps', '-a', '--filter', `label=com.docker.compose.project=${project}`, '--format', `{{.Names}}\t{{.Label "${HOME_LABEL}"}}\t{{.Label "${CLONE_LABEL}"}}`]);
  const foreign = res.stdout.split('\n').filter(Boolean).map((l) => l.split('\t')).filter(([, home]) => home !== homeId());
  if (foreign.length) {
    throw new AsymmetricError('NOT_OWNED', `compose project ${project} has containers of another asym home (${foreign.map((f) => f[0]).join(', ')}); they were left alone`, {
      hint: 'nothing was removed; asym only removes what carries its own stamp',
    });
  }
  await docker(['compose', '-p', project, 'down', '-v', '-t', '0', '--remove-orphans'], { allowFailure: true });
}

export async function withPgAdmin<T>(infra: Infra, fn: (pg: PgAdmin) => Promise<T>): Promise<T> {
  const pg = new PgAdmin(infra);
  try {
    return await fn(pg);
  } finally {
    await pg.close();
  }
}
