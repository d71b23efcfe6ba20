/**
 * LocalDockerProvider: the CloneProvider that runs clones on this machine's Docker engine.
 *
 * A clone = a compose project (its template's services for the chosen mode) joined to the
 * shared infra network + a database and role of its own on the shared Postgres + a key
 * prefix on the shared Redis. Every step that can fail after resources exist is undone
 * on failure, and the record is left `failed` saying why.
 */
import * as v from 'valibot';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { AsymmetricError, toAsymmetricError } from '../contract/errors.ts';
import { CloneSpecSchema, type CloneInstance, type CloneRecord, type CloneSpec, type CloneTokens } from '../contract/clone.ts';
import type { CliProvider, SeedOptions, TokensResult, UpgradeResult } from '../contract/provider.ts';
import type { ClockOp, ClockReading } from '../contract/clock.ts';
import { clockReading } from '../admin/client.ts';
import type { DiffOptions, SnapshotMeta, StateDiff } from '../contract/diff.ts';
import { SeedSpecSchema, type SeedResult, type SeedSpec } from '../contract/seed.ts';
import type { CloneStatus, LogLine, LogOptions } from '../contract/status.ts';
import { assertTransition } from '../contract/state.ts';
import { defaultPortRange } from '../config.ts';
import { joinEnvironment } from '../env/membership.ts';
import { findClone, forgetClone, getClone, patchClone, readRegistry, updateRegistry } from '../registry/registry.ts';
import { interruptedLockError, withCloneLock } from '../registry/clone-lock.ts';
import { faultPoint } from '../process/faults.ts';
import { checkInterrupted, interruptedBy, interruptedError } from '../process/interrupt.ts';
import { selfOwner } from '../process/owner.ts';
import { getTemplate, resolveMode, type Template } from '../templates/catalog.ts';
import { AdminClient } from '../admin/client.ts';
import { caFiles } from '../tools/tls.ts';
import { worldOf } from '../worlds/world.ts';
import { publicUrl, servicesForMode } from './compose-model.ts';
import { composeDownOwned, deleteCloneKeys, dropCloneDatabases, withPgAdmin } from './clone-resources.ts';
import { composePs, composeStop, composeUp } from './compose.ts';
import { ensureEngine } from './engine.ts';
import { ensureInfra, type Infra } from './infra.ts';
import { resolveImages, resolveServiceImage, upgradeImages, type ResolvedImage } from './images.ts';
import { containersUp, liveStatus, waitHealthy } from './health.ts';
import { streamLogs } from './logs.ts';
import { composeProjectName, databaseName, generateId, newSecret, redisPrefixFor } from './names.ts';
import { allocatePorts } from './ports.ts';
import { apiService, checkSeedable, cloneDir, notRunning, now, settled, toInstance } from './plan.ts';
import { createCloneDatabase, locateClone, removeResources, savePristine, upClone, upWithFreePorts, type Progress } from './steps.ts';
import { swarmEngine, swarmRouting } from './swarm.ts';
import { copyRedisPrefix } from './redis-admin.ts';
import type { SnapshotContents } from '../worlds/snapshot-file.ts';
import type { ExportResult, ImportResult } from '../worlds/portable.ts';

// What moved out by concern (plan, health, images, steps) is re-exported for callers.
export { apiService, cloneDir, endpointsOf, isPortConflict, notRunning, settled, toInstance } from './plan.ts';
export type { Progress } from './steps.ts';

/** Where a fork's state comes from: a frozen copy of another clone's database and Redis keys. */
export interface ForkSource {
  database: string;
  redisPrefix: string;
  tokens: CloneTokens | undefined;
  seed: SeedSpec | null;
  world: CloneRecord['world'];
  /** The only fork of this frozen copy: it takes the copy itself (renamed, not copied). */
  take?: boolean;
  /** Called once this fork holds its own copy of the database and keys: the frozen one may go. */
  copied?: () => void;
  /** Settles when the frozen copy is made; the fork's containers start before that. */
  ready?: Promise<unknown>;
}

/** A state brought in from a portable snapshot file (spin --from): loaded right after provision. */
export interface ImportSource {
  contents: SnapshotContents;
  file: string;
}

export interface LocalDockerProviderOptions {
  onProgress?: Progress;
}

export class LocalDockerProvider implements CliProvider {
  readonly kind = 'local' as const;
  private readonly progress: Progress;

  constructor(opts: LocalDockerProviderOptions = {}) {
    this.progress = opts.onProgress ?? (() => {});
  }

  admin(record: CloneRecord): AdminClient {
    const t = getTemplate(record.template);
    const svc = apiService(t, record.mode);
    const port = svc ? record.ports[svc] : undefined;
    if (!port || !record.adminSecret) throw new AsymmetricError('CLONE_NOT_RUNNING', `clone ${record.id} has no admin endpoint`);
    return new AdminClient(publicUrl(port, record.tls === true, record.host), record.adminSecret, record.tls ? caFiles().cert : undefined);
  }

  /** `from`: a fork, whose database and keys are copies of another clone's (no provision, no seed). */
  async create(input: CloneSpec, opts: { from?: ForkSource; imported?: ImportSource } = {}): Promise<CloneInstance> {
    const parsed = v.safeParse(CloneSpecSchema, input);
    if (!parsed.success) {
      const issue = parsed.issues[0]!;
      throw new AsymmetricError('INVALID_INPUT', `${v.getDotPath(issue) ?? 'spec'}: ${issue.message}`);
    }
    const spec = parsed.output;
    const t = getTemplate(spec.template);
    const mode = resolveMode(t, spec.mode);
    if (spec.seed && !opts.from) await checkSeedable(t, spec.seed);
    await ensureEngine();
    const id = spec.name ?? generateId(t.manifest.name);
    return withCloneLock(id, 'create', () => this.createLocked(id, spec, t, mode.name, opts.from, opts.imported));
  }

  /**
   * The steps of a spin, each registering how to undo itself before it runs. On any failure
   * (or Ctrl-C / SIGTERM) exactly those undos run, newest first: a spin never removes what
   * it did not create, such as another home's clone of the same name.
   */
  private async createLocked(id: string, spec: CloneSpec, t: Template, mode: string, from?: ForkSource, imported?: ImportSource): Promise<CloneInstance> {
    const adminSecret = newSecret();
    const range = spec.portRange ?? defaultPortRange();
    const services = servicesForMode(t.manifest, mode);
    if (spec.tls && services.some((n) => t.manifest.services[n]!.endpoint === 'web')) {
      throw new AsymmetricError('NOT_SUPPORTED', `--tls covers the API only; mode ${mode} of ${t.manifest.name} also serves a web view`, { hint: 'spin the api mode with --tls' });
    }
    const record = await updateRegistry((reg) => {
      const existing = findClone(reg, id);
      if (existing && existing.state !== 'failed') {
        if (existing.state === 'creating' || existing.state === 'destroying') throw interruptedLockError(id, null);
        throw new AsymmetricError('NAME_TAKEN', `a clone named ${id} already exists`, { hint: 'pick another --name, or asym destroy it first' });
      }
      if (existing) reg.clones.splice(reg.clones.indexOf(existing), 1);
      const taken = new Set(reg.clones.flatMap((c) => Object.values(c.ports)));
      const ports = allocatePorts(services, range, taken, spec.expose ?? false);
      const rec: CloneRecord = {
        id,
        template: t.manifest.name,
        mode,
        composeProject: composeProjectName(id),
        database: databaseName(id),
        redisPrefix: redisPrefixFor(id),
        ports,
        state: 'creating',
        owner: selfOwner(),
        seed: from ? from.seed : imported ? imported.contents.header.seed : (spec.seed ?? null),
        world: from ? from.world : worldOf(spec.world),
        expose: spec.expose ?? false,
        ...(spec.tls ? { tls: true } : {}),
        adminSecret,
        createdAt: now(),
        updatedAt: now(),
        syncedAt: null,
      };
      reg.clones.push(rec);
      if (spec.group) joinEnvironment(reg, spec.group, id);
      return structuredClone(rec);
    });

    const undo: { what: string; run: () => Promise<unknown> }[] = [];
    try {
      await faultPoint('spin:recorded');
      const infra = await ensureInfra(this.progress);
      this.progress('resolving images');
      const dropDatabases = { what: 'database', run: () => withPgAdmin(infra, (p) => dropCloneDatabases(p, record)) };
      let images: Record<string, ResolvedImage>;
      if (from) {
        // A fork: its containers start while its database is made (from a frozen copy that may
        // itself still be in the making); the backend retries its first connection until the
        // database takes its name, complete with its pristine copy and keys (createCloneDatabase).
        images = await resolveImages(t, services, this.progress);
        checkInterrupted();
        this.progress('starting containers');
        undo.push({ what: 'containers', run: () => composeDownOwned(record.composeProject) });
        undo.push({ what: 'redis keys', run: () => deleteCloneKeys(infra, record) });
        const source = {
          ...from,
          beforeOpen: async () => {
            await copyRedisPrefix(infra, from.redisPrefix, record.redisPrefix);
            from.copied?.();
          },
        };
        // Both settle before an error is thrown, so the undo sees all that was made; the
        // database goes last (undo runs newest first), after the containers using it.
        const [making, upping] = await Promise.allSettled([
          createCloneDatabase(infra, record, adminSecret, () => undo.unshift(dropDatabases), source, this.progress).then(() => faultPoint('spin:database')),
          upWithFreePorts(record, t, infra, images, range, services, spec.expose ?? false, this.progress),
        ]);
        if (making.status === 'rejected') throw making.reason;
        if (upping.status === 'rejected') throw upping.reason;
      } else {
        // Images and the database do not depend on each other: one is checked (or built) while
        // the other is made. Both settle before an error is thrown, so the undo sees all that was made.
        const [imaging, making] = await Promise.allSettled([
          resolveImages(t, services, this.progress),
          createCloneDatabase(infra, record, adminSecret, () => undo.push(dropDatabases), undefined, this.progress),
        ]);
        if (imaging.status === 'rejected') throw imaging.reason;
        if (making.status === 'rejected') throw making.reason;
        images = imaging.value;
        await faultPoint('spin:database');
        checkInterrupted();
        this.progress('starting containers');
        // Registered before `up`, which can fail having created some containers.
        undo.push({ what: 'containers', run: () => composeDownOwned(record.composeProject) });
        undo.push({ what: 'redis keys', run: () => deleteCloneKeys(infra, record) });
        await upWithFreePorts(record, t, infra, images, range, services, spec.expose ?? false, this.progress);
      }
      const main = images[apiService(t, mode) ?? services[0]!]!;
      await faultPoint('spin:containers');
      this.progress('waiting for health');
      await waitHealthy(record, t, this.admin(record));
      this.progress('provisioning');
      const admin = this.admin(record);
      // A fork keeps its source's users and tokens (their hashes are in the copied database).
      const tokens = from ? from.tokens : await admin.provision(record.world);
      checkInterrupted();
      if (imported) {
        // spin --from: the file's state replaces the fresh one, with this clone's new tokens.
        const { importState } = await import('../worlds/portable.ts');
        await importState(this, { ...record, tokens }, imported.contents, imported.file, { progress: this.progress });
        checkInterrupted();
      } else if (spec.seed && !from) {
        this.progress('seeding');
        await this.seedThrough(admin, { ...record, tokens }, spec.seed);
        checkInterrupted();
      }
      // Provision and seed ran with the clock frozen at the world's start; from here it runs
      // (stored as {start, running}, no wall time, so pristine copies of one world are equal).
      // A fork's clock goes on from where its source's stood; an imported one (a file, a
      // saved pack) from where the file's stood.
      if (!from && !imported && !spec.seed?.pack) await admin.clock({ action: 'run' });
      // A fork's pristine copy was made with its database.
      if (!from) await savePristine(record, infra, admin);
      await faultPoint('spin:pristine');
      checkInterrupted();
      const done = await patchClone(id, (c) => {
        assertTransition(c.state, 'running', id);
        Object.assign(c, { state: 'running', tokens, image: main.ref, imageDigest: main.digest, syncedAt: now() });
        delete c.owner;
      });
      return toInstance(done);
    } catch (e) {
      const sig = interruptedBy();
      const err = sig ? interruptedError(sig) : toAsymmetricError(e);
      this.progress(sig ? `interrupted (${sig}): removing what this spin created` : 'cleaning up after failure');
      const failedUndo: string[] = [];
      for (const step of undo.reverse()) await step.run().catch((u) => failedUndo.push(`${step.what}: ${(u as Error).message}`));
      rmSync(cloneDir(id), { recursive: true, force: true });
      if (failedUndo.length) {
        // Keep the record (and its owner) so doctor --fix can finish the job.
        await patchClone(id, { state: 'failed', error: `${err.code}: ${err.message}; cleanup incomplete: ${failedUndo.join('; ')}` }).catch(() => {});
      } else if (sig) {
        await forgetClone(id).catch(() => {});
      } else {
        await patchClone(id, (c) => {
          Object.assign(c, { state: 'failed', error: `${err.code}: ${err.message}` });
          delete c.owner;
        }).catch(() => {});
      }
      throw err;
    }
  }

  private async seedThrough(admin: AdminClient, record: CloneRecord, spec: SeedSpec, force = false, packFile?: string): Promise<SeedResult> {
    if (spec.pack) {
      // A saved pack is a whole state: it replaces the clone's (with the clone's own tokens).
      const { importState, openSnapshot } = await import('../worlds/portable.ts');
      const { packPath } = await import('../worlds/packs.ts');
      const file = packFile ?? packPath(record.template, spec.pack);
      const contents = openSnapshot(file, getTemplate(record.template), record);
      await importState(this, record, contents, file, { progress: this.progress });
      return { written: 0, rejected: 0, bySource: {}, warnings: [`the clone's state was replaced by pack ${spec.pack}`] };
    }
    if (spec.ai) {
      const { runAiSeed } = await import('../seed/ai.ts');
      return runAiSeed(admin, record, spec, this.progress, force);
    }
    return admin.seed({ fixture: spec.fixture, ...(force ? { force: true } : {}) });
  }

  /** Copy the database as it stands: what reset goes back to (portable imports call it too). */
  async savePristine(record: CloneRecord, infra: Infra, admin: AdminClient): Promise<void> {
    await savePristine(record, infra, admin);
  }

  /**
   * Containers, databases (clone, pristine, snapshots, copies in flight), role, Redis keys,
   * state dir: each only if it carries this clone's stamp. Fails (leaving the record for a
   * retry or doctor) rather than forget resources it could not reach.
   */
  async removeResources(record: CloneRecord): Promise<void> {
    await removeResources(record, this.progress);
  }

  /**
   * Start a stopped clone, or bring back a running one whose containers were removed or
   * exited: from the saved compose file, with the pinned image, data kept.
   */
  async start(id: string): Promise<void> {
    await this.ensureRunning(id);
  }

  /** `start`, saying whether anything had to be (re)started. */
  async ensureRunning(id: string): Promise<boolean> {
    return withCloneLock(id, 'start', async () => {
      const record = settled(getClone(id));
      const t = getTemplate(record.template);
      if (record.state === 'running' && (await containersUp(record, t))) return false;
      if (record.state !== 'running' && record.state !== 'unhealthy') assertTransition(record.state, 'running', id);
      const infra = await ensureInfra(this.progress);
      this.progress('starting containers');
      const saved = join(cloneDir(id), 'compose.json');
      if (existsSync(saved)) {
        await composeUp(record.composeProject, saved, { interruptible: true });
        await this.relocate(record);
      }
      else {
        const images: Record<string, ResolvedImage> = {};
        for (const s of servicesForMode(t.manifest, record.mode)) {
          images[s] = { ref: record.imageDigest ?? record.image ?? (await resolveServiceImage(t, s, this.progress)).ref, digest: record.imageDigest ?? null, source: 'local' };
        }
        await upClone(record, t, infra, images);
      }
      this.progress('waiting for health');
      await waitHealthy(record, t, this.admin(record));
      await patchClone(id, { state: 'running', syncedAt: now() });
      return true;
    });
  }

  /**
   * Swarm with host routing: the clone's endpoints follow its API task to the node Swarm
   * (re)scheduled it on; the record's host is updated when it moved. A no-op elsewhere.
   */
  private async relocate(record: CloneRecord, withinMs?: number): Promise<void> {
    if (!swarmEngine() || swarmRouting() !== 'host') return;
    const before = record.host;
    await locateClone(record, getTemplate(record.template), withinMs);
    if (record.host !== before) await patchClone(record.id, { host: record.host });
  }

  async stop(id: string): Promise<void> {
    await withCloneLock(id, 'stop', async () => {
      const record = settled(getClone(id));
      if (record.state === 'stopped') return;
      assertTransition(record.state, 'stopped', id);
      // The clock's reading is kept in memory between writes: store it, so a running clock
      // goes on after start from where it stood instead of from its last change.
      if (record.state === 'running' && record.adminSecret) await this.admin(record).clock({ action: 'checkpoint' }).catch(() => undefined);
      this.progress('stopping containers');
      await composeStop(record.composeProject, `${cloneDir(id)}/compose.json`).catch(async (e) => {
        // Containers removed by hand: nothing to stop, which is what was asked.
        if ((await composePs(record.composeProject)).length) throw e;
      });
      await patchClone(id, { state: 'stopped', syncedAt: now() });
    });
  }

  async destroy(id: string): Promise<void> {
    await withCloneLock(id, 'destroy', () => this.destroyLocked(id));
  }

  /** Destroy while holding the clone's lock (doctor, finishing an interrupted operation, holds it). */
  async destroyLocked(id: string): Promise<void> {
    const record = getClone(id);
    await patchClone(id, (c) => {
      if (c.state !== 'destroying') assertTransition(c.state, 'destroying', id);
      Object.assign(c, { state: 'destroying', owner: selfOwner() });
    });
    await faultPoint('destroy:marked');
    this.progress('removing containers, database and keys');
    await this.removeResources(record);
    await forgetClone(id);
  }

  async status(id: string): Promise<CloneStatus> {
    const record = getClone(id);
    if (record.state === 'running' || record.state === 'unhealthy') await this.relocate(record, 0);
    const status = await liveStatus(record, getTemplate(record.template), () => this.admin(record));
    if (status.state !== record.state && status.state !== 'gone') {
      await patchClone(id, (c) => {
        if (c.state === record.state) Object.assign(c, { state: status.state, syncedAt: now() });
      });
    }
    return status;
  }

  async *logs(id: string, opts: LogOptions = {}): AsyncIterable<LogLine> {
    const record = getClone(id);
    if (opts.service) {
      const t = getTemplate(record.template);
      if (!servicesForMode(t.manifest, record.mode).includes(opts.service)) {
        throw new AsymmetricError('INVALID_INPUT', `clone ${id} has no service ${opts.service}`, {
          hint: `services: ${servicesForMode(t.manifest, record.mode).join(', ')}`,
        });
      }
    }
    // Swarm logs are per service: the API's unless another is named.
    yield* streamLogs(record.composeProject, swarmEngine() && !opts.service ? { ...opts, service: apiService(getTemplate(record.template), record.mode) } : opts);
  }

  /**
   * `force` clears previously seeded data before loading a fixture pack again; `saveAs` then
   * saves the seeded state as a pack of this home (an AI seed replayed without the model),
   * `saveTo` writes it to that file instead; `packFile` is where a pack is read from when
   * it is not this home's (a control plane's client sent it).
   */
  async seed(id: string, input: SeedSpec, opts: SeedOptions = {}): Promise<SeedResult> {
    const parsed = v.safeParse(SeedSpecSchema, input);
    if (!parsed.success) throw new AsymmetricError('INVALID_INPUT', parsed.issues[0]!.message);
    const spec = parsed.output;
    if (!spec.fixture && !spec.ai && !spec.pack) throw new AsymmetricError('INVALID_INPUT', 'nothing to seed', { hint: 'pass --fixture NAME, --pack NAME or --ai' });
    if ([spec.fixture, spec.ai, spec.pack].filter(Boolean).length > 1 && spec.pack) throw new AsymmetricError('INVALID_INPUT', 'a pack is a whole state: --pack goes alone', { hint: 'asym seed <id> --pack NAME' });
    const { checkPackName } = await import('../worlds/packs.ts');
    const before = getClone(id);
    if (opts.saveAs) checkPackName(getTemplate(before.template), opts.saveAs);
    if ((spec.pack && !opts.packFile) || spec.fixture) await checkSeedable(getTemplate(before.template), spec);
    return withCloneLock(id, 'seed', async () => {
      const record = settled(getClone(id));
      if (record.state !== 'running') throw notRunning(record);
      const admin = this.admin(record);
      const result = await this.seedThrough(admin, record, spec, opts.force, opts.packFile);
      const infra = await ensureInfra(this.progress);
      // What reset returns to now includes this seed.
      await savePristine(record, infra, admin);
      const done = await patchClone(id, (c) => {
        c.seed = spec.pack ? { pack: spec.pack } : { ...(c.seed ?? {}), ...spec };
      });
      if (opts.saveAs) {
        const { savePack } = await import('../worlds/packs.ts');
        const saved = await savePack(this, done, opts.saveAs, this.progress);
        return { ...result, warnings: [...result.warnings, `saved as pack ${opts.saveAs} (${saved.file}); replay it with --pack ${opts.saveAs}`] };
      }
      if (opts.saveTo) {
        const { exportState } = await import('../worlds/portable.ts');
        await exportState(this, done, getTemplate(done.template), { snapshot: null, file: opts.saveTo, progress: this.progress });
      }
      return result;
    });
  }

  /** `asym snapshot export`: a named snapshot as one portable file. */
  async exportSnapshot(id: string, name: string, file: string): Promise<ExportResult> {
    const { exportState } = await import('../worlds/portable.ts');
    const { requireSnapshot } = await import('./state-ops.ts');
    return withCloneLock(id, 'export', async () => {
      const record = settled(getClone(id));
      const meta = requireSnapshot(id, name);
      return exportState(this, record, getTemplate(record.template), { snapshot: name, snapshotDb: meta.database, file, progress: this.progress });
    }, { detail: name });
  }

  /** `asym spin [template] --from FILE`: a new clone holding the file's state, with tokens of its own. */
  async createFrom(spec: Omit<CloneSpec, 'template' | 'seed' | 'world'> & { template?: string }, file: string): Promise<CloneInstance> {
    const { openSnapshot } = await import('../worlds/portable.ts');
    const { readHeaderOnly } = await import('../worlds/snapshot-file.ts');
    const { resolve } = await import('node:path');
    const path = resolve(file);
    const header = readHeaderOnly(path).header;
    const t = getTemplate(spec.template ?? header.template);
    const contents = openSnapshot(path, t);
    const mode = spec.mode ?? (t.manifest.modes.some((m) => m.name === contents.header.mode) ? contents.header.mode : undefined);
    const world = contents.header.world ?? undefined;
    return this.create({ ...spec, template: t.manifest.name, ...(mode ? { mode } : {}), ...(world ? { world } : {}) }, { imported: { contents, file: path } });
  }

  /** `asym restore <id> --from FILE`: the clone's state replaced by the file's; its tokens stay its own. */
  async restoreFrom(id: string, file: string): Promise<ImportResult> {
    const { importState, openSnapshot } = await import('../worlds/portable.ts');
    const { resolve } = await import('node:path');
    const path = resolve(file);
    const before = settled(getClone(id));
    openSnapshot(path, getTemplate(before.template), before); // refuse before waiting for the lock
    return withCloneLock(id, 'import', async () => {
      const record = settled(getClone(id));
      if (record.state !== 'running' && record.state !== 'stopped' && record.state !== 'unhealthy') throw notRunning(record);
      const contents = openSnapshot(path, getTemplate(record.template), record);
      return importState(this, record, contents, path, { progress: this.progress });
    }, { detail: path });
  }

  async reset(id: string): Promise<void> {
    const { resetClone } = await import('./state-ops.ts');
    await withCloneLock(id, 'reset', () => resetClone(this, settled(getClone(id))));
  }

  async snapshot(id: string, name: string): Promise<void> {
    const { snapshotClone } = await import('./state-ops.ts');
    await withCloneLock(id, 'snapshot', () => snapshotClone(this, settled(getClone(id)), name), { detail: name });
  }

  async restore(id: string, name: string): Promise<void> {
    const { restoreClone } = await import('./state-ops.ts');
    await withCloneLock(id, 'restore', () => restoreClone(this, settled(getClone(id)), name), { detail: name });
  }

  async fork(id: string, n: number, opts: { prefix?: string } = {}): Promise<{ source: string; clones: CloneInstance[]; ms: number }> {
    const { forkClone } = await import('../worlds/fork.ts');
    return forkClone(this, id, n, { ...opts, progress: this.progress });
  }

  async removeSnapshot(id: string, name: string): Promise<void> {
    const { removeSnapshot } = await import('./state-ops.ts');
    await withCloneLock(id, 'snapshot-rm', () => removeSnapshot(settled(getClone(id)), name), { detail: name });
  }

  /**
   * Repin to the current image (a fresh pull, or a build of the current template source),
   * recreate the services, keep the data; the backend applies new migrations as it starts.
   */
  async upgrade(id: string): Promise<UpgradeResult> {
    return withCloneLock(id, 'upgrade', () => this.upgradeLocked(id));
  }

  private async upgradeLocked(id: string): Promise<UpgradeResult> {
    const record = settled(getClone(id));
    if (record.state !== 'running' && record.state !== 'stopped' && record.state !== 'unhealthy') throw notRunning(record);
    const t = getTemplate(record.template);
    const infra = await ensureInfra(this.progress);
    const images = await upgradeImages(t, servicesForMode(t.manifest, record.mode), this.progress);
    const main = images[apiService(t, record.mode) ?? Object.keys(images)[0]!]!;
    const from = record.imageDigest ?? record.image ?? null;
    this.progress('recreating services');
    await upClone(record, t, infra, images);
    await waitHealthy(record, t, this.admin(record));
    await patchClone(id, { state: 'running', image: main.ref, imageDigest: main.digest, syncedAt: now() });
    return { id, from, to: main.digest ?? main.ref, digest: main.digest, changed: from !== (main.digest ?? main.ref) };
  }

  async list(): Promise<CloneRecord[]> {
    return readRegistry().clones;
  }

  async get(id: string): Promise<CloneRecord> {
    return getClone(id);
  }

  instance(record: CloneRecord): CloneInstance {
    return toInstance(record);
  }

  async tokens(id: string): Promise<TokensResult> {
    const record = settled(getClone(id));
    if (!record.tokens) throw new AsymmetricError('PROVISION_FAILED', `clone ${id} has no tokens (state ${record.state})`, { hint: 'spin it again' });
    return { id, ...record.tokens, adminSecret: record.adminSecret };
  }

  async userToken(id: string, user: string): Promise<unknown> {
    const record = settled(getClone(id));
    if (!record.tokens) throw new AsymmetricError('PROVISION_FAILED', `clone ${id} has no tokens (state ${record.state})`, { hint: 'spin it again' });
    if (record.state !== 'running') throw new AsymmetricError('CLONE_NOT_RUNNING', `clone ${id} is ${record.state}`, { hint: `asym start ${id}` });
    const { status, json } = await this.admin(record).call(`${record.template}/user-token`, { user });
    if (status === 404) throw new AsymmetricError('INVALID_INPUT', `clone ${id} has no user ${user}`, { hint: 'use a user name or id the clone knows' });
    if (status !== 200) throw new AsymmetricError('NOT_SUPPORTED', `clone ${id} cannot mint user tokens (HTTP ${status}): ${JSON.stringify(json).slice(0, 200)}`);
    return json;
  }

  async config(id: string, patch?: Record<string, unknown>): Promise<unknown> {
    const record = settled(getClone(id));
    if (record.state !== 'running') throw notRunning(record);
    const admin = this.admin(record);
    return patch && Object.keys(patch).length ? admin.config(patch) : admin.getConfig();
  }

  async clock(id: string, op: ClockOp): Promise<ClockReading> {
    const read = async () => {
      const record = settled(getClone(id));
      if (record.state !== 'running') throw notRunning(record);
      const answer = await this.admin(record).clock(op.op === 'show' ? undefined : op.op === 'set' ? { action: 'set', at: op.at } : op.op === 'advance' ? { action: 'advance', by: op.by } : { action: op.op });
      return clockReading(id, answer);
    };
    // A change waits for any reset, restore or snapshot of the clone, which swap its database.
    return op.op === 'show' ? read() : withCloneLock(id, 'clock', read, { detail: op.op });
  }

  async diff(id: string, opts: DiffOptions = {}): Promise<StateDiff> {
    const { diffClone } = await import('./state-diff.ts');
    return diffClone(settled(getClone(id)), opts);
  }

  async listSnapshots(id: string): Promise<SnapshotMeta[]> {
    getClone(id);
    const { listSnapshots } = await import('./state-ops.ts');
    return listSnapshots(id);
  }
}
