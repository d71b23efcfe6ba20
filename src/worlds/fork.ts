/**
 * Fork: N new clones from one clone's current state, for N parallel episodes. The source is
 * copied once, under its lock, to a frozen database and Redis prefix of its own (so it can go
 * on serving while the forks are made); each fork is then a spin whose database is a copy of
 * that frozen one instead of a provision and seed. All or nothing: if any fork fails, the
 * forks already made are destroyed. The frozen copy is always removed: as soon as every fork
 * holds its own copy, else at the end. A single fork takes the frozen copy itself (renamed).
 */
import * as v from 'valibot';
import { CloneNameSchema, type CloneInstance } from '../contract/clone.ts';
import { AsymmetricError, isAsymmetricError, toAsymmetricError } from '../contract/errors.ts';
import { withPgAdmin } from '../docker/clone-resources.ts';
import { ensureInfra } from '../docker/infra.ts';
import { namesOf, ownerStamp } from '../docker/names.ts';
import { copyRedisPrefix, deleteRedisPrefix } from '../docker/redis-admin.ts';
import { notRunning, settled, type ForkSource, type LocalDockerProvider } from '../docker/provider.ts';
import { withCloneLock } from '../registry/clone-lock.ts';
import { getClone } from '../registry/registry.ts';
import { faultPoint } from '../process/faults.ts';

/** A snapshot name no user can give (snapshot names have no `#`): the frozen copy's slot. */
const FROZEN = '#fork';
const PARALLEL = 6;

export interface ForkResult {
  source: string;
  clones: CloneInstance[];
  ms: number;
}

export function forkNames(source: string, n: number, prefix?: string): string[] {
  if (!Number.isInteger(n) || n < 1 || n > 100) throw new AsymmetricError('INVALID_INPUT', `-n must be a whole number from 1 to 100, not ${n}`);
  const base = prefix ?? `${source}-${Math.random().toString(36).slice(2, 6)}`;
  const names = Array.from({ length: n }, (_, i) => `${base}-${i + 1}`);
  for (const name of names) {
    if (!v.is(CloneNameSchema, name)) throw new AsymmetricError('INVALID_INPUT', `fork name ${name} is not a valid clone name`, { hint: 'a --prefix of lowercase letters, digits and dashes, short enough for 40 characters with -N' });
  }
  return names;
}

export async function forkClone(provider: LocalDockerProvider, id: string, n: number, opts: { prefix?: string; progress?: (s: string) => void } = {}): Promise<ForkResult> {
  const started = performance.now();
  const progress = opts.progress ?? (() => {});
  const names = forkNames(id, n, opts.prefix);
  const infra = await ensureInfra(progress);
  const source = getClone(id);
  const srcNames = namesOf(source);
  const frozen: ForkSource = {
    database: srcNames.snapshotDb(FROZEN),
    redisPrefix: srcNames.snapshotRedisPrefix(FROZEN),
    tokens: source.tokens,
    seed: source.seed,
    world: source.world,
    // A single fork renames the frozen copy into place: one copy of the source, not two.
    take: n === 1,
  };
  // Once every fork holds its own copy, the frozen one is dropped while they start (a drop
  // can take a second on a busy server); otherwise at the end, whatever happened.
  let dropping: Promise<void> | null = null;
  const dropFrozen = () =>
    (dropping ??= (async () => {
      await withPgAdmin(infra, (pg) => pg.dropOwnedDatabase(frozen.database, ownerStamp(id))).catch(() => {});
      await deleteRedisPrefix(infra, frozen.redisPrefix).catch(() => {});
    })());
  let copies = 0;
  frozen.copied = () => {
    if (++copies === n) void dropFrozen();
  };
  // Checked before any fork is started (and again under the lock, where it counts).
  const before = settled(getClone(id));
  if (before.state !== 'running') throw notRunning(before);
  const spec = { template: before.template, mode: before.mode, expose: before.expose, ...(before.tls ? { tls: true } : {}) };
  try {
    // The source is copied under its lock while the forks' containers start: each fork waits
    // for the frozen copy only where it takes its database from it (createCloneDatabase).
    const freezing = withCloneLock(id, 'fork', async () => {
      const record = settled(getClone(id));
      if (record.state !== 'running') throw notRunning(record);
      const admin = provider.admin(record);
      // Write the clock's current reading into the database, so forks go on from now.
      await admin.clock({ action: 'checkpoint' }).catch((e) => {
        if (!isAsymmetricError(e) || e.code !== 'NOT_SUPPORTED') throw e;
      });
      progress(`copying ${id}`);
      await withPgAdmin(infra, async (pg) => {
        await pg.dropOwnedDatabase(frozen.database, ownerStamp(id));
        await admin.release();
        await pg.copyDatabase(record.database, frozen.database, srcNames.role);
      });
      await copyRedisPrefix(infra, record.redisPrefix, frozen.redisPrefix);
    }).then(() => faultPoint('fork:frozen'));
    // Observed here, so a failed copy is never an unhandled rejection while no fork waits on it.
    const frozenMade = freezing.then(() => null, (e: unknown) => ({ failed: e }));
    frozen.ready = freezing;
    progress(`making ${n} fork${n === 1 ? '' : 's'}`);
    const made: CloneInstance[] = [];
    const errors: unknown[] = [];
    let next = 0;
    const worker = async () => {
      while (next < names.length && errors.length === 0) {
        const name = names[next++]!;
        try {
          made.push(await provider.create({ ...spec, name }, { from: frozen }));
        } catch (e) {
          errors.push(e);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL, n) }, worker));
    const copy = await frozenMade;
    if (copy || errors.length) {
      progress(`a fork failed: removing the ${made.length} made`);
      for (const c of made) await provider.destroy(c.id).catch(() => {});
      // The source's own error (not running, busy) rather than what it did to the forks.
      throw toAsymmetricError(copy ? copy.failed : errors[0]);
    }
    made.sort((a, b) => names.indexOf(a.id) - names.indexOf(b.id));
    return { source: id, clones: made, ms: Math.round(performance.now() - started) };
  } finally {
    await dropFrozen();
  }
}
