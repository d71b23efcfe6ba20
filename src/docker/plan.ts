/**
 * The plan of a clone: where its files live, which service is its API, the endpoints a
 * record advertises, the checks made before anything is created, and how a record in a
 * transient state is read by anyone but its owner. No Docker calls here.
 */
import { AsymmetricError, isAsymmetricError } from '../contract/errors.ts';
import type { CloneInstance, CloneRecord } from '../contract/clone.ts';
import type { SeedSpec } from '../contract/seed.ts';
import { homePath } from '../registry/home.ts';
import { interruptedLockError } from '../registry/clone-lock.ts';
import { ownerAlive } from '../process/owner.ts';
import { fixturesOf, getTemplate, type Template } from '../templates/catalog.ts';
import { publicUrl, servicesForMode } from './compose-model.ts';

export const now = () => new Date().toISOString();

export function cloneDir(id: string): string {
  return homePath('clones', id);
}

/** The service whose port is the clone's `api` endpoint. */
export function apiService(t: Template, mode: string): string | undefined {
  const names = servicesForMode(t.manifest, mode);
  return names.find((n) => t.manifest.services[n]!.endpoint === 'api') ?? names[0];
}

export function endpointsOf(record: CloneRecord, t: Template): CloneInstance['endpoints'] {
  const names = servicesForMode(t.manifest, record.mode);
  const urlFor = (kind: 'api' | 'web') => {
    const svc = names.find((n) => t.manifest.services[n]!.endpoint === kind);
    const port = svc ? record.ports[svc] : undefined;
    return port ? publicUrl(port, kind === 'api' && record.tls === true, record.host) : null;
  };
  return { api: urlFor('api') ?? publicUrl(Object.values(record.ports)[0] ?? 0, record.tls === true, record.host), web: urlFor('web') };
}

export function toInstance(record: CloneRecord): CloneInstance {
  return { ...record, endpoints: endpointsOf(record, getTemplate(record.template)) };
}

/** Refuse a seed that cannot work before anything is created (a typo must cost nothing). */
export async function checkSeedable(t: Template, seed: SeedSpec): Promise<void> {
  if (seed.fixture && !fixturesOf(t).includes(seed.fixture)) {
    const packs = fixturesOf(t);
    throw new AsymmetricError('FIXTURE_NOT_FOUND', `template ${t.manifest.name} has no fixture pack ${seed.fixture}`, {
      hint: packs.length ? `packs: ${packs.join(', ')}` : 'this template ships no fixture packs',
    });
  }
  if (seed.pack) {
    const { packExists, listPacks } = await import('../worlds/packs.ts');
    if (!packExists(t.manifest.name, seed.pack)) {
      const packs = listPacks(t.manifest.name);
      throw new AsymmetricError('FIXTURE_NOT_FOUND', `this home has no saved ${t.manifest.name} pack ${seed.pack}`, {
        hint: packs.length ? `saved packs: ${packs.join(', ')}` : 'save one: asym seed <id> --ai … --save-as NAME',
      });
    }
  }
  if (seed.ai) {
    const { anthropicFromEnv } = await import('../seed/anthropic.ts');
    anthropicFromEnv();
  }
}

export function isPortConflict(e: unknown): boolean {
  return isAsymmetricError(e) && e.code === 'DOCKER_FAILED' && /address already in use|port is already allocated|is already in use by service/i.test(e.message);
}

/**
 * A record in a transient state (creating, destroying) belongs to the process that is
 * making or removing it. Seen by anyone else, that process is either still at work
 * (CLONE_BUSY) or dead (CLONE_INTERRUPTED: doctor --fix finishes or rolls it back).
 */
export function settled(record: CloneRecord): CloneRecord {
  if (record.state !== 'creating' && record.state !== 'destroying') return record;
  if (record.owner && ownerAlive(record.owner)) {
    throw new AsymmetricError('CLONE_BUSY', `clone ${record.id} is ${record.state} (process ${record.owner.pid})`, { hint: 'wait for that command to finish' });
  }
  throw interruptedLockError(record.id, { op: record.state === 'creating' ? 'create' : 'destroy', pid: record.owner?.pid ?? 0, host: record.owner?.host ?? '', at: record.updatedAt });
}

export function notRunning(record: CloneRecord): AsymmetricError {
  return new AsymmetricError('CLONE_NOT_RUNNING', `clone ${record.id} is ${record.state}`, {
    hint: record.state === 'stopped' ? `start it: asym start ${record.id}` : 'asym status shows why',
  });
}
