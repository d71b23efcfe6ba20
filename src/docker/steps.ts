/**
 * The resource steps of a clone's life, each the unit that a spin registers an undo for:
 * its database (fresh, or a copy of a fork's source), its containers (from the compose
 * model, with ports retried when taken), its pristine copy, and the removal of all of it,
 * stamp-checked. Ordering, locking and the registry are the provider's; these only act.
 */
import { rmSync } from 'node:fs';
import { AsymmetricError, isAsymmetricError } from '../contract/errors.ts';
import type { CloneRecord, PortRange } from '../contract/clone.ts';
import type { AdminClient } from '../admin/client.ts';
import { patchClone, requireClone, updateRegistry } from '../registry/registry.ts';
import { faultPoint } from '../process/faults.ts';
import type { Template } from '../templates/catalog.ts';
import { ensureCloneCert } from '../tools/tls.ts';
import { adoptObjects } from '../worlds/adopt.ts';
import { healthTimeoutMs } from '../config.ts';
import { cloneModel } from './compose-model.ts';
import { composeDownOwned, deleteCloneKeys, dropCloneDatabases, withPgAdmin } from './clone-resources.ts';
import { composeUp, writeComposeFile, writeStackFile } from './compose.ts';
import { ensureInfra, type Infra } from './infra.ts';
import type { ResolvedImage } from './images.ts';
import { PG_ALIAS, REDIS_ALIAS } from './labels.ts';
import { dbPassword, homeId, namesOf, ownerStamp } from './names.ts';
import { apiService, cloneDir, isPortConflict } from './plan.ts';
import { allocatePorts } from './ports.ts';
import { clusterHost, stackDeploy, stackModel, swarmEngine, swarmRouting, taskNodeAddr } from './swarm.ts';

export type Progress = (step: string) => void;

/** Where a fork's database comes from: a frozen copy of its source, copied or (`take`) renamed. */
export interface DatabaseSource {
  database: string;
  /** The only fork of its frozen copy: rename it into place instead of copying it. */
  take?: boolean;
  /** Settles when the frozen copy exists (a fork's containers start before it does). */
  ready?: Promise<unknown>;
  /** Runs once the database is complete, before it takes its name (the fork's Redis keys). */
  beforeOpen?: () => Promise<void>;
}

/**
 * The clone's database and role, stamped as its own. With `from` (a fork), the frozen source
 * is copied (or taken whole) to a staging name, stamped as the clone's, its objects handed to
 * our role, its pristine copy made, and only then renamed to the clone's name: a fork's
 * containers start while this runs, and its backend (retrying its first connection) can only
 * ever open the complete database, never one whose pristine copy is still to be taken.
 * NAME_TAKEN, before anything is made, when a database of that name already exists.
 */
export async function createCloneDatabase(infra: Infra, record: CloneRecord, adminSecret: string, onMade: () => void, from?: DatabaseSource, progress: Progress = () => {}): Promise<void> {
  const names = namesOf(record);
  const stamp = ownerStamp(record.id);
  await withPgAdmin(infra, async (pg) => {
    if (await pg.databaseExists(record.database)) {
      throw new AsymmetricError('NAME_TAKEN', `database ${record.database} already exists on the shared Postgres`, {
        hint: 'an interrupted spin may have left it: asym doctor --fix removes it',
      });
    }
    onMade();
    if (!from) {
      await pg.createCloneDatabase(record.database, names.role, dbPassword(adminSecret), stamp);
      return;
    }
    await pg.createCloneRole(names.role, dbPassword(adminSecret), stamp);
    await from.ready;
    const staging = names.incoming(record.database);
    await pg.dropOwnedDatabase(staging, stamp);
    if (from.take) {
      progress('taking the source copy');
      await pg.takeDatabase(from.database, staging, names.role, stamp);
    } else {
      progress('copying the source database');
      await pg.copyDatabase(from.database, staging, names.role, stamp);
    }
    await faultPoint('fork:database');
    await adoptObjects(infra, staging, names.role);
    await from.beforeOpen?.();
    await pg.copyDatabase(staging, names.pristine, names.role, stamp);
    await pg.renameDatabase(staging, record.database);
  });
}

/** The clone's services as data: the one model a compose file and a stack file are written from. */
function modelOf(record: CloneRecord, t: Template, infra: Infra, images: Record<string, ResolvedImage>, tlsDir?: string) {
  const secret = record.adminSecret!;
  return cloneModel({
    record,
    manifest: t.manifest,
    images: Object.fromEntries(Object.entries(images).map(([k, i]) => [k, i.ref])),
    network: infra.network,
    databaseUrl: `postgres://${namesOf(record).role}:${dbPassword(secret)}@${PG_ALIAS}:5432/${record.database}`,
    redisUrl: `redis://${REDIS_ALIAS}:6379`,
    adminSecret: secret,
    homeId: homeId(),
    ...(tlsDir ? { tlsDir } : {}),
  });
}

/** Write the clone's compose file from the model and bring its services up. */
export async function upClone(record: CloneRecord, t: Template, infra: Infra, images: Record<string, ResolvedImage>): Promise<void> {
  if (swarmEngine()) return upSwarmClone(record, t, infra, images);
  const tls = record.tls ? await ensureCloneCert(cloneDir(record.id), record.id) : null;
  const file = writeComposeFile(cloneDir(record.id), modelOf(record, t, infra, images, tls?.dir));
  await composeUp(record.composeProject, file, { interruptible: true });
}

/**
 * The clone as a stack on the swarm, from the same model. Its endpoints' host is recorded:
 * the cluster's address (mesh routing: any node reaches it), or, with host routing, the
 * address of the node Swarm placed its API task on, once it runs.
 */
async function upSwarmClone(record: CloneRecord, t: Template, infra: Infra, images: Record<string, ResolvedImage>): Promise<void> {
  if (record.tls) throw new AsymmetricError('NOT_SUPPORTED', '--tls is not supported on the Swarm engine yet', { hint: 'spin without --tls' });
  const routing = swarmRouting();
  record.host = await clusterHost();
  await stackDeploy(record.composeProject, writeStackFile(cloneDir(record.id), stackModel(modelOf(record, t, infra, images), { routing })));
  if (routing === 'host') await locateClone(record, t);
  await patchClone(record.id, { host: record.host });
}

/** Host routing: the clone's endpoints are on the node its API task runs on (it moves when rescheduled). */
export async function locateClone(record: CloneRecord, t: Template, withinMs = healthTimeoutMs()): Promise<void> {
  const api = apiService(t, record.mode);
  if (!api || swarmRouting() !== 'host') return;
  const addr = await taskNodeAddr(`${record.composeProject}_${api}`, withinMs);
  if (addr) record.host = addr;
}

/**
 * Ports are probed when allocated, but something else (often an outgoing connection, whose
 * source port comes from the same ephemeral range) can take one before Docker binds it.
 * Then pick other ports and try again, a few times, instead of failing the spin.
 */
export async function upWithFreePorts(record: CloneRecord, t: Template, infra: Infra, images: Record<string, ResolvedImage>, range: PortRange, services: string[], expose: boolean, progress: Progress): Promise<void> {
  const lost = new Set<number>();
  for (let attempt = 1; ; attempt++) {
    try {
      await upClone(record, t, infra, images);
      return;
    } catch (e) {
      if (attempt >= 4 || !isPortConflict(e)) throw e;
      for (const p of Object.values(record.ports)) lost.add(p);
      progress(`a port was taken before Docker could bind it; retrying with others (${attempt}/3)`);
      const ports = await updateRegistry((reg) => {
        const taken = new Set([...lost, ...reg.clones.filter((c) => c.id !== record.id).flatMap((c) => Object.values(c.ports))]);
        const fresh = allocatePorts(services, range, taken, expose);
        requireClone(reg, record.id).ports = fresh;
        return fresh;
      });
      record.ports = ports;
    }
  }
}

/** Copy the database as it stands (right after spin + seed): what reset goes back to. */
export async function savePristine(record: CloneRecord, infra: Infra, admin: AdminClient): Promise<void> {
  const names = namesOf(record);
  await admin.release();
  await withPgAdmin(infra, (pg) => pg.replaceDatabase(record.database, names.pristine, names.role, { incoming: names.incoming(names.pristine), outgoing: names.outgoing(names.pristine) }, ownerStamp(record.id)));
}

/**
 * Containers, databases (clone, pristine, snapshots, copies in flight), role, Redis keys,
 * state dir: each only if it carries this clone's stamp. Fails (leaving the record for a
 * retry or doctor) rather than forget resources it could not reach.
 */
export async function removeResources(record: CloneRecord, progress: Progress): Promise<void> {
  await composeDownOwned(record.composeProject).catch((e) => {
    // Another home's containers under this project name are not ours: leave them, go on.
    if (!isAsymmetricError(e) || e.code !== 'NOT_OWNED') throw e;
    progress(e.message);
  });
  await faultPoint('destroy:containers');
  const infra = await ensureInfra(progress);
  const skipped = await withPgAdmin(infra, (pg) => dropCloneDatabases(pg, record));
  if (skipped.length) progress(`left alone (another owner's stamp): ${skipped.join(', ')}`);
  await faultPoint('destroy:database');
  await deleteCloneKeys(infra, record);
  rmSync(cloneDir(record.id), { recursive: true, force: true });
}
