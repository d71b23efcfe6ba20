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
import { AsymmetricError, isAsymmetricError, toAsymmetricError } from '../contract/errors.ts';
import { CloneSpecSchema, type CloneInstance, type CloneRecord, type CloneSpec, type CloneTokens, type PortRange } from '../contract/clone.ts';
import type { CliProvider, TokensResult, UpgradeResult } from '../contract/provider.ts';
import type { DiffOptions, SnapshotMeta, StateDiff } from '../contract/diff.ts';
import { SeedSpecSchema, type SeedResult, type SeedSpec } from '../contract/seed.ts';
import type { CloneStatus, LogLine, LogOptions, ServiceStatus } from '../contract/status.ts';
import { assertTransition, type CloneState } from '../contract/state.ts';
import { defaultPortRange, healthTimeoutMs, pullPolicy } from '../config.ts';
import { homePath } from '../registry/home.ts';
import { findClone, forgetClone, getClone, patchClone, readRegistry, requireClone, updateRegistry } from '../registry/registry.ts';
import { interruptedLockError, withCloneLock } from '../registry/clone-lock.ts';
import { faultPoint } from '../process/faults.ts';
import { checkInterrupted, interruptedBy, interruptedError, sleepInterruptible } from '../process/interrupt.ts';
import { ownerAlive, selfOwner } from '../process/owner.ts';
import { fixturesOf, getTemplate, resolveMode, type Template } from '../templates/catalog.ts';
import { AdminClient } from '../admin/client.ts';
import { cloneModel, publicUrl, servicesForMode } from './compose-model.ts';
import { composeDownOwned, deleteCloneKeys, dropCloneDatabases, withPgAdmin } from './clone-resources.ts';
import { composePs, composeStop, composeUp, writeComposeFile, type PsEntry } from './compose.ts';
import { ensureEngine } from './engine.ts';
import { ensureInfra, type Infra } from './infra.ts';
import { buildImage, repoDigest, resolveServiceImage, type ResolvedImage } from './images.ts';
import { PG_ALIAS, REDIS_ALIAS } from './labels.ts';
import { streamLogs } from './logs.ts';
import { composeProjectName, databaseName, dbPassword, generateId, homeId, namesOf, newSecret, ownerStamp, redisPrefixFor } from './names.ts';
import { allocatePorts } from './ports.ts';
import { docker, lastLines } from './spawn.ts';
import { caFiles, ensureCloneCert } from '../tools/tls.ts';
import { worldOf } from '../worlds/world.ts';
import { adoptObjects } from '../worlds/adopt.ts';
import { copyRedisPrefix } from './redis-admin.ts';
import type { SnapshotContents } from '../worlds/snapshot-file.ts';
import type { ExportResult, ImportResult } from '../worlds/portable.ts';

export type Progress = (step: string) => void;

/** Where a fork's state comes from: a frozen copy of another clone's database and Redis keys. */
export interface ForkSource {
  database: string;
  redisPrefix: string;
  tokens: CloneTokens | undefined;
  seed: SeedSpec | null;
  world: CloneRecord['world'];
}

/** A state brought in from a portable snapshot file (spin --from): loaded right after provision. */
export interface ImportSource {
  contents: SnapshotContents;
  file: string;
}

export interface LocalDockerProviderOptions {
  onProgress?: Progress;
}

const now = () => new Date().toISOString();

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
    return port ? publicUrl(port, kind === 'api' && record.tls === true) : null;
  };
  return { api: urlFor('api') ?? publicUrl(Object.values(record.ports)[0] ?? 0, record.tls === true), web: urlFor('web') };
}

export function toInstance(record: CloneRecord): CloneInstance {
  return { ...record, endpoints: endpointsOf(record, getTemplate(record.template)) };
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
    return new AdminClient(publicUrl(port, record.tls === true), record.adminSecret, record.tls ? caFiles().cert : undefined);
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
      const images = await this.resolveImages(t, services);
      checkInterrupted();
      const names = namesOf(record);
      const stamp = ownerStamp(id);
      await withPgAdmin(infra, async (pg) => {
        if (await pg.databaseExists(record.database)) {
          throw new AsymmetricError('NAME_TAKEN', `database ${record.database} already exists on the shared Postgres`, {
            hint: 'an interrupted spin may have left it: asym doctor --fix removes it',
          });
        }
        undo.push({ what: 'database', run: () => withPgAdmin(infra, (p) => dropCloneDatabases(p, record)) });
        await pg.createCloneDatabase(record.database, names.role, dbPassword(adminSecret), stamp);
        if (from) {
          // A fork: the database becomes a copy of the frozen source, stamped and owned as ours.
          this.progress('copying the source database');
          await pg.replaceDatabase(from.database, record.database, names.role, { incoming: names.incoming(record.database), outgoing: names.outgoing(record.database) }, stamp);
          await pg.stampDatabase(record.database, stamp);
          await adoptObjects(infra, record.database, names.role);
        }
      });
      await faultPoint('spin:database');
      checkInterrupted();
      const main = images[apiService(t, mode) ?? services[0]!]!;
      this.progress('starting containers');
      // Registered before `up`, which can fail having created some containers.
      undo.push({ what: 'containers', run: () => composeDownOwned(record.composeProject) });
      undo.push({ what: 'redis keys', run: () => deleteCloneKeys(infra, record) });
      if (from) await copyRedisPrefix(infra, from.redisPrefix, record.redisPrefix);
      await this.upWithFreePorts(record, t, infra, images, range, services, spec.expose ?? false);
      await faultPoint('spin:containers');
      this.progress('waiting for health');
      await this.waitHealthy(record, t);
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
      await this.savePristine(record, infra, admin);
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

  private async resolveImages(t: Template, services: string[]): Promise<Record<string, ResolvedImage>> {
    const out: Record<string, ResolvedImage> = {};
    for (const s of services) out[s] = await resolveServiceImage(t, s, this.progress);
    return out;
  }

  private async up(record: CloneRecord, t: Template, infra: Infra, images: Record<string, ResolvedImage>): Promise<void> {
    const secret = record.adminSecret!;
    const tls = record.tls ? await ensureCloneCert(cloneDir(record.id), record.id) : null;
    const model = cloneModel({
      record,
      manifest: t.manifest,
      images: Object.fromEntries(Object.entries(images).map(([k, i]) => [k, i.ref])),
      network: infra.network,
      databaseUrl: `postgres://${namesOf(record).role}:${dbPassword(secret)}@${PG_ALIAS}:5432/${record.database}`,
      redisUrl: `redis://${REDIS_ALIAS}:6379`,
      adminSecret: secret,
      homeId: homeId(),
      ...(tls ? { tlsDir: tls.dir } : {}),
    });
    const file = writeComposeFile(cloneDir(record.id), model);
    await composeUp(record.composeProject, file, { interruptible: true });
  }

  /**
   * Ports are probed when allocated, but something else (often an outgoing connection, whose
   * source port comes from the same ephemeral range) can take one before Docker binds it.
   * Then pick other ports and try again, a few times, instead of failing the spin.
   */
  private async upWithFreePorts(record: CloneRecord, t: Template, infra: Infra, images: Record<string, ResolvedImage>, range: PortRange, services: string[], expose: boolean): Promise<void> {
    const lost = new Set<number>();
    for (let attempt = 1; ; attempt++) {
      try {
        await this.up(record, t, infra, images);
        return;
      } catch (e) {
        if (attempt >= 4 || !isPortConflict(e)) throw e;
        for (const p of Object.values(record.ports)) lost.add(p);
        this.progress(`a port was taken before Docker could bind it; retrying with others (${attempt}/3)`);
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

  /** Poll the health endpoint on the host port; fail fast if a container exits. */
  private async waitHealthy(record: CloneRecord, t: Template): Promise<void> {
    const admin = this.admin(record);
    const deadline = Date.now() + healthTimeoutMs();
    // Services other than the API (e.g. Slack's web view) are probed on their own health path.
    const apiSvc = apiService(t, record.mode);
    const others = servicesForMode(t.manifest, record.mode).filter((n) => n !== apiSvc && t.manifest.services[n]!.health && record.ports[n]);
    let lastPs = 0;
    while (Date.now() < deadline) {
      if ((await admin.health(500)) && (await Promise.all(others.map((n) => probeService(record, t, n, 500)))).every(Boolean)) return;
      if (Date.now() - lastPs > 1000) {
        lastPs = Date.now();
        const ps = await composePs(record.composeProject);
        const dead = ps.find((p) => p.State === 'exited' || p.State === 'dead');
        if (dead) throw await this.unhealthy(record, dead.Service, `service ${dead.Service} exited`);
      }
      await sleepInterruptible(25);
    }
    const slow = [];
    for (const n of others) if (!(await probeService(record, t, n, 500))) slow.push(n);
    throw await this.unhealthy(record, (await admin.health(500)) && slow[0] ? slow[0] : (apiSvc ?? 'api'), `not healthy within ${healthTimeoutMs() / 1000}s`);
  }

  private async unhealthy(record: CloneRecord, service: string, why: string): Promise<AsymmetricError> {
    const logs = await docker(['compose', '-p', record.composeProject, 'logs', '--no-color', '--tail', '40', service], { allowFailure: true });
    const text = lastLines(logs.stdout + logs.stderr, 40);
    return new AsymmetricError('UNHEALTHY', `clone ${record.id}: ${why}`, {
      hint: 'the service’s recent logs are below; the clone was cleaned up',
      details: { service, logs: text },
    });
  }

  private async seedThrough(admin: AdminClient, record: CloneRecord, spec: SeedSpec, force = false): Promise<SeedResult> {
    if (spec.pack) {
      // A saved pack is a whole state: it replaces the clone's (with the clone's own tokens).
      const { importState, openSnapshot } = await import('../worlds/portable.ts');
      const { packPath } = await import('../worlds/packs.ts');
      const file = packPath(record.template, spec.pack);
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

  /** Copy the database right after spin (+seed): what reset goes back to. */
  async savePristine(record: CloneRecord, infra: Infra, admin: AdminClient): Promise<void> {
    const names = namesOf(record);
    await admin.release();
    await withPgAdmin(infra, (pg) => pg.replaceDatabase(record.database, names.pristine, names.role, { incoming: names.incoming(names.pristine), outgoing: names.outgoing(names.pristine) }, ownerStamp(record.id)));
  }

  /**
   * Containers, databases (clone, pristine, snapshots, copies in flight), role, Redis keys,
   * state dir: each only if it carries this clone's stamp. Fails (leaving the record for a
   * retry or doctor) rather than forget resources it could not reach.
   */
  async removeResources(record: CloneRecord): Promise<void> {
    await composeDownOwned(record.composeProject).catch((e) => {
      // Another home's containers under this project name are not ours: leave them, go on.
      if (!isAsymmetricError(e) || e.code !== 'NOT_OWNED') throw e;
      this.progress(e.message);
    });
    await faultPoint('destroy:containers');
    const infra = await ensureInfra(this.progress);
    const skipped = await withPgAdmin(infra, (pg) => dropCloneDatabases(pg, record));
    if (skipped.length) this.progress(`left alone (another owner's stamp): ${skipped.join(', ')}`);
    await faultPoint('destroy:database');
    await deleteCloneKeys(infra, record);
    rmSync(cloneDir(record.id), { recursive: true, force: true });
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
      if (record.state === 'running' && (await this.containersUp(record, t))) return false;
      if (record.state !== 'running' && record.state !== 'unhealthy') assertTransition(record.state, 'running', id);
      const infra = await ensureInfra(this.progress);
      this.progress('starting containers');
      const saved = join(cloneDir(id), 'compose.json');
      if (existsSync(saved)) await composeUp(record.composeProject, saved, { interruptible: true });
      else {
        const images: Record<string, ResolvedImage> = {};
        for (const s of servicesForMode(t.manifest, record.mode)) {
          images[s] = { ref: record.imageDigest ?? record.image ?? (await resolveServiceImage(t, s, this.progress)).ref, digest: record.imageDigest ?? null, source: 'local' };
        }
        await this.up(record, t, infra, images);
      }
      this.progress('waiting for health');
      await this.waitHealthy(record, t);
      await patchClone(id, { state: 'running', syncedAt: now() });
      return true;
    });
  }

  /** Every service of the clone's mode has a running container. */
  private async containersUp(record: CloneRecord, t: Template): Promise<boolean> {
    const ps = await composePs(record.composeProject);
    return servicesForMode(t.manifest, record.mode).every((n) => ps.some((p) => p.Service === n && p.State === 'running'));
  }

  async stop(id: string): Promise<void> {
    await withCloneLock(id, 'stop', async () => {
      const record = settled(getClone(id));
      if (record.state === 'stopped') return;
      assertTransition(record.state, 'stopped', id);
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
    const t = getTemplate(record.template);
    const ps = await composePs(record.composeProject);
    const names = servicesForMode(t.manifest, record.mode);
    const apiSvc = apiService(t, record.mode);
    const probe = record.adminSecret && apiSvc && ps.some((p) => p.Service === apiSvc && p.State === 'running') ? await this.admin(record).health(1000) : false;
    const running = (name: string) => ps.some((p) => p.Service === name && p.State === 'running');
    const probes = await Promise.all(names.map((name) => (name === apiSvc ? probe : running(name) && t.manifest.services[name]!.health ? probeService(record, t, name, 1000) : undefined)));
    const services: ServiceStatus[] = names.map((name, i) => serviceStatus(name, ps.find((p) => p.Service === name), record.ports[name] ?? null, probes[i]));
    const healthy = services.length > 0 && services.every((s) => s.healthy);
    let state: CloneState = record.state;
    if ((record.state === 'running' || record.state === 'unhealthy' || record.state === 'stopped') && services.every((s) => s.state === 'missing')) {
      state = 'gone';
    } else if (record.state === 'running' && !healthy) {
      state = 'unhealthy';
    } else if (record.state === 'unhealthy' && healthy) {
      state = 'running';
    }
    if (state !== record.state && state !== 'gone') {
      await patchClone(id, (c) => {
        if (c.state === record.state) Object.assign(c, { state, syncedAt: now() });
      });
    }
    return { id, state, healthy, services, checkedAt: now() };
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
    yield* streamLogs(record.composeProject, opts);
  }

  /** `force` clears previously seeded data before loading a fixture pack again. */
  /**
   * `force` clears previously seeded data before loading a fixture pack again; `saveAs` then
   * saves the seeded state as a pack of this home (an AI seed replayed without the model).
   */
  async seed(id: string, input: SeedSpec, opts: { force?: boolean; saveAs?: string } = {}): Promise<SeedResult> {
    const parsed = v.safeParse(SeedSpecSchema, input);
    if (!parsed.success) throw new AsymmetricError('INVALID_INPUT', parsed.issues[0]!.message);
    const spec = parsed.output;
    if (!spec.fixture && !spec.ai && !spec.pack) throw new AsymmetricError('INVALID_INPUT', 'nothing to seed', { hint: 'pass --fixture NAME, --pack NAME or --ai' });
    if ([spec.fixture, spec.ai, spec.pack].filter(Boolean).length > 1 && spec.pack) throw new AsymmetricError('INVALID_INPUT', 'a pack is a whole state: --pack goes alone', { hint: 'asym seed <id> --pack NAME' });
    const { checkPackName } = await import('../worlds/packs.ts');
    const before = getClone(id);
    if (opts.saveAs) checkPackName(getTemplate(before.template), opts.saveAs);
    if (spec.pack || spec.fixture) await checkSeedable(getTemplate(before.template), spec);
    return withCloneLock(id, 'seed', async () => {
      const record = settled(getClone(id));
      if (record.state !== 'running') throw notRunning(record);
      const admin = this.admin(record);
      const result = await this.seedThrough(admin, record, spec, opts.force);
      const infra = await ensureInfra(this.progress);
      // What reset returns to now includes this seed.
      await this.savePristine(record, infra, admin);
      const done = await patchClone(id, (c) => {
        c.seed = spec.pack ? { pack: spec.pack } : { ...(c.seed ?? {}), ...spec };
      });
      if (opts.saveAs) {
        const { savePack } = await import('../worlds/packs.ts');
        const saved = await savePack(this, done, opts.saveAs, this.progress);
        return { ...result, warnings: [...result.warnings, `saved as pack ${opts.saveAs} (${saved.file}); replay it with --pack ${opts.saveAs}`] };
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
    const images: Record<string, ResolvedImage> = {};
    for (const s of servicesForMode(t.manifest, record.mode)) {
      const svc = t.manifest.services[s]!;
      let fresh: ResolvedImage | undefined;
      if (svc.image && pullPolicy() !== 'never') {
        this.progress(`pulling ${svc.image}`);
        const res = await docker(['pull', svc.image], { allowFailure: true });
        if (res.code === 0) fresh = { ref: svc.image, digest: await repoDigest(svc.image), source: 'pulled' };
      }
      images[s] = fresh ?? (svc.build ? { ref: await buildImage(t, s, this.progress).catch(async () => (await resolveServiceImage(t, s, this.progress)).ref), digest: null, source: 'built' } : await resolveServiceImage(t, s, this.progress));
    }
    const main = images[apiService(t, record.mode) ?? Object.keys(images)[0]!]!;
    const from = record.imageDigest ?? record.image ?? null;
    this.progress('recreating services');
    await this.up(record, t, infra, images);
    await this.waitHealthy(record, t);
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

/** Refuse a seed that cannot work before anything is created (a typo must cost nothing). */
async function checkSeedable(t: Template, seed: SeedSpec): Promise<void> {
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

/** A service's own health path on its host port (the API is probed through its admin client). */
async function probeService(record: CloneRecord, t: Template, name: string, timeoutMs: number): Promise<boolean> {
  const port = record.ports[name];
  const path = t.manifest.services[name]?.health;
  if (!port || !path) return false;
  try {
    const res = await fetch(`${publicUrl(port)}${path}`, { signal: AbortSignal.timeout(timeoutMs) });
    await res.body?.cancel();
    return res.ok;
  } catch {
    return false;
  }
}

export function isPortConflict(e: unknown): boolean {
  return isAsymmetricError(e) && e.code === 'DOCKER_FAILED' && /address already in use|port is already allocated/i.test(e.message);
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

function serviceStatus(name: string, entry: PsEntry | undefined, port: number | null, probe: boolean | undefined): ServiceStatus {
  if (!entry) return { name, state: 'missing', port, healthy: false };
  if (entry.State !== 'running') return { name, state: 'exited', port, healthy: false };
  // Our own probe is fresher than Docker's health status, which lags by an interval.
  if (probe !== undefined) return { name, state: probe || entry.Health !== 'unhealthy' ? 'running' : 'unhealthy', port, healthy: probe };
  if (entry.Health === 'unhealthy') return { name, state: 'unhealthy', port, healthy: false };
  return { name, state: 'running', port, healthy: entry.Health === 'healthy' || entry.Health === '' };
}

function joinEnvironment(reg: import('../contract/registry-file.ts').RegistryFile, name: string, id: string): void {
  let env = reg.environments.find((e) => e.name === name);
  if (!env) {
    env = { name, members: [], spec: null, state: 'stopped', createdAt: now(), updatedAt: now() };
    reg.environments.push(env);
  }
  if (!env.members.includes(id)) env.members.push(id);
  env.updatedAt = now();
}

