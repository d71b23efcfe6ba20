/**
 * doctor: check the engine, Compose, the shared infra and the registry, then reconcile the
 * registry against Docker, Postgres and Redis. It only ever touches resources stamped with
 * this ASYM_HOME's identity (label asym.home, database and role comment, the home's Redis
 * prefix), so doctors of different homes sharing one engine never remove each other's.
 *
 * What `--fix` does, finding by finding:
 * - an operation whose process died (a lock or a creating/destroying record with a dead
 *   owner): a create is rolled back; a destroy, reset, restore (also restore --from, while
 *   its file is there) or snapshot rm is finished;
 *   an interrupted snapshot is rolled back; an interrupted seed is reset to the pristine copy;
 * - a clone whose containers are gone or exited: they are brought back (data kept);
 * - spare copies (swaps in flight, unlisted snapshots) and orphans: removed;
 * - the infra down while clones exist: started; a registry others can read: made 0600.
 */
import { statSync, chmodSync, existsSync } from 'node:fs';
import { AsymmetricError, isAsymmetricError } from '../contract/errors.ts';
import type { CloneRecord } from '../contract/clone.ts';
import { getTemplate } from '../templates/catalog.ts';
import { findClone, readRegistry, registryPath } from '../registry/registry.ts';
import { releaseCloneLock, staleCloneLocks, withCloneLock } from '../registry/clone-lock.ts';
import type { Holder } from '../registry/lock.ts';
import { ownerAlive } from '../process/owner.ts';
import { withPgAdmin } from './clone-resources.ts';
import { composeVersion, ensureEngine } from './engine.ts';
import { currentInfra, ensureInfra, type Infra } from './infra.ts';
import { CLONE_LABEL, HOME_LABEL } from './labels.ts';
import { homeId, namesOf, ownerStamp } from './names.ts';
import { servicesForMode } from './compose-model.ts';
import { composePs } from './compose.ts';
import { LocalDockerProvider } from './provider.ts';
import { countRedisPrefix, deleteRedisPrefix, segmentsUnder } from './redis-admin.ts';
import { docker } from './spawn.ts';
import { labelledServices, swarmEngine, swarmInfo } from './swarm.ts';
import { listSnapshots } from './state-ops.ts';

/** Records from before owners were recorded: a transient state this old is abandoned. */
const LEGACY_STALE_MS = 15 * 60_000;

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

export type FindingKind =
  | 'interrupted-operation'
  | 'gone-clone'
  | 'exited-container'
  | 'missing-database'
  | 'infra-down'
  | 'registry-permissions'
  | 'leftover-database'
  | 'leftover-redis'
  | 'orphan-container'
  /** On a swarm: a service of this home that no record owns. */
  | 'orphan-service'
  | 'orphan-network'
  | 'orphan-volume'
  | 'orphan-database'
  | 'orphan-role'
  | 'orphan-redis';

export interface Finding {
  kind: FindingKind;
  target: string;
  detail: string;
  fixed: boolean;
  /** Why a fix failed, or why there is no automatic fix. */
  error?: string;
}

export interface DoctorReport {
  ok: boolean;
  checks: Check[];
  findings: Finding[];
  fixed: number;
}

async function labelledResources(kind: 'container' | 'network' | 'volume'): Promise<{ name: string; clone: string; state?: string }[]> {
  // On a swarm a clone's units are its services (tasks run on any node): their task counts stand for container states.
  if (kind === 'container' && swarmEngine()) return labelledServices(homeId());
  const args = kind === 'container' ? ['ps', '-a'] : [kind, 'ls'];
  const format = kind === 'container' ? `{{.Names}}\t{{.Label "${CLONE_LABEL}"}}\t{{.State}}` : `{{.Name}}\t{{.Label "${CLONE_LABEL}"}}`;
  const res = await docker([...args, '--filter', `label=${HOME_LABEL}=${homeId()}`, '--format', format]);
  return res.stdout.split('\n').filter(Boolean).map((l) => {
    const [name, clone, state] = l.split('\t');
    return { name: name!, clone: clone ?? '', state };
  });
}

/** The operation a dead process left on a clone, from its lock or its transient record. */
function interruptedOps(clones: CloneRecord[]): Map<string, { op: string; detail?: string; holder: Holder | null }> {
  const out = new Map<string, { op: string; detail?: string; holder: Holder | null }>();
  for (const l of staleCloneLocks()) out.set(l.id, { op: l.holder?.op ?? 'unknown', detail: l.holder?.detail, holder: l.holder });
  for (const c of clones) {
    if (out.has(c.id) || (c.state !== 'creating' && c.state !== 'destroying')) continue;
    const dead = c.owner ? !ownerAlive(c.owner) : Date.now() - Date.parse(c.updatedAt) > LEGACY_STALE_MS;
    if (dead) out.set(c.id, { op: c.state === 'creating' ? 'create' : 'destroy', holder: null });
  }
  return out;
}

/** Finish or roll back one interrupted operation, holding the clone's lock while doing it. */
async function repair(id: string, op: string, detail: string | undefined): Promise<void> {
  releaseCloneLock(id); // its holder is dead
  const provider = new LocalDockerProvider();
  const record = findClone(readRegistry(), id);
  if (!record) return; // the record was already gone: leftovers are orphans, handled below
  if (op === 'create' || op === 'destroy' || record.state === 'creating' || record.state === 'destroying') {
    await withCloneLock(id, `doctor:${op}`, () => provider.destroyLocked(id));
    return;
  }
  if (op === 'reset' || op === 'seed') return provider.reset(id);
  if (op === 'restore' && detail) return provider.restore(id, detail);
  // restore --from: finished from the file when it is still there; otherwise the clone kept
  // its state unless the swap had happened (its staged copies are leftovers, removed below).
  if (op === 'import' && detail && existsSync(detail)) {
    await provider.restoreFrom(id, detail);
    return;
  }
  if (op === 'snapshot-rm' && detail) {
    if (listSnapshots(id).some((s) => s.name === detail)) await provider.removeSnapshot(id, detail);
    return; // an unlisted snapshot's database is a leftover, removed below
  }
  if (op === 'start' || op === 'upgrade') return provider.start(id);
  if (op === 'stop') return provider.stop(id);
  // snapshot: its copies are unlisted leftovers, removed below.
}

/**
 * Only the first of doctor's repairs: finish or roll back every operation whose process
 * died. A control plane runs this as it starts, for the operations its previous run left.
 */
export async function repairInterruptedOperations(): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const [id, op] of interruptedOps(readRegistry().clones)) {
    const f: Finding = { kind: 'interrupted-operation', target: id, detail: `${op.op}${op.detail ? ` ${op.detail}` : ''} was interrupted`, fixed: false };
    try {
      await repair(id, op.op, op.detail);
      f.fixed = true;
    } catch (e) {
      f.error = isAsymmetricError(e) ? `${e.code}: ${e.message}` : String(e);
    }
    findings.push(f);
  }
  return findings;
}

export async function runDoctor(opts: { fix: boolean }): Promise<DoctorReport> {
  const checks: Check[] = [];
  const findings: Finding[] = [];
  const attempt = async (f: Finding, fix: () => Promise<unknown>) => {
    findings.push(f);
    if (!opts.fix) return;
    try {
      await fix();
      f.fixed = true;
    } catch (e) {
      f.error = isAsymmetricError(e) ? `${e.code}: ${e.message}` : String(e);
    }
  };
  try {
    const engine = await ensureEngine();
    checks.push({ name: 'engine', ok: true, detail: `Docker ${engine.serverVersion}` });
    if (swarmEngine()) {
      const swarm = await swarmInfo().then((s) => ({ ok: true, detail: `swarm manager at ${s.nodeAddr}` }), (e) => ({ ok: false, detail: isAsymmetricError(e) ? e.message : String(e) }));
      checks.push({ name: 'swarm', ...swarm });
      if (!swarm.ok) return { ok: false, checks, findings, fixed: 0 };
    } else {
      const compose = await composeVersion().catch(() => null);
      const major = Number(compose?.split('.')[0] ?? 0);
      checks.push({ name: 'compose', ok: major >= 2, detail: compose ? `Compose ${compose}${major >= 2 ? '' : ' (v2 required)'}` : 'Compose v2 (`docker compose`) is not installed' });
    }
  } catch (e) {
    checks.push({ name: 'engine', ok: false, detail: isAsymmetricError(e) ? `${e.message}${e.hint ? ` — ${e.hint}` : ''}` : String(e) });
    return { ok: false, checks, findings, fixed: 0 };
  }
  let clones: CloneRecord[] = [];
  try {
    clones = readRegistry().clones;
    checks.push({ name: 'registry', ok: true, detail: `${registryPath()}: ${clones.length} clone(s)` });
  } catch (e) {
    checks.push({ name: 'registry', ok: false, detail: isAsymmetricError(e) ? e.message : String(e) });
    return { ok: false, checks, findings, fixed: 0 };
  }
  if (existsSync(registryPath()) && (statSync(registryPath()).mode & 0o077) !== 0) {
    const mode = (statSync(registryPath()).mode & 0o777).toString(8);
    await attempt({ kind: 'registry-permissions', target: registryPath(), detail: `mode ${mode}: others can read its tokens`, fixed: false }, async () => chmodSync(registryPath(), 0o600));
  }

  let infra: Infra | null = await currentInfra();
  if (!infra && clones.length) {
    await attempt({ kind: 'infra-down', target: 'infra', detail: `the shared Postgres/Redis is down while ${clones.length} clone(s) exist`, fixed: false }, async () => {
      infra = await ensureInfra();
    });
  }
  checks.push({ name: 'infra', ok: Boolean(infra) || !clones.length, detail: infra ? `Postgres on ${infra.host ?? '127.0.0.1'}:${infra.pgPort}, Redis on ${infra.host ?? '127.0.0.1'}:${infra.redisPort}` : 'not running (started on the next spin)' });

  // Operations whose process died.
  const interrupted = interruptedOps(clones);
  for (const [id, op] of interrupted) {
    const who = op.holder ? ` (pid ${op.holder.pid} since ${op.holder.at})` : '';
    await attempt({ kind: 'interrupted-operation', target: id, detail: `${op.op}${op.detail ? ` ${op.detail}` : ''} was interrupted: its asym process${who} died`, fixed: false }, () => repair(id, op.op, op.detail));
  }
  clones = readRegistry().clones;

  // Clones whose containers vanished or stopped outside the CLI.
  const containers = await labelledResources('container');
  const pgState = infra ? await withPgAdmin(infra, async (pg) => ({ dbs: await pg.cloneDatabases(), roles: await pg.cloneRoles() })) : null;
  for (const c of clones) {
    if (interrupted.has(c.id) || c.state === 'failed' || c.state === 'creating' || c.state === 'destroying') continue;
    if (pgState && !pgState.dbs.some((d) => d.name === c.database)) {
      findings.push({ kind: 'missing-database', target: c.id, detail: `its database ${c.database} is missing: its data is lost`, fixed: false, error: `no automatic fix; asym destroy ${c.id} removes what is left` });
      continue;
    }
    if (c.state === 'stopped') continue;
    const own = containers.filter((x) => x.clone === c.id);
    const t = getTemplate(c.template);
    const expected = servicesForMode(t.manifest, c.mode).length;
    const startIt = () => new LocalDockerProvider().start(c.id);
    if (!own.length) await attempt({ kind: 'gone-clone', target: c.id, detail: `registry says ${c.state}, but it has no containers (start brings them back, data kept)`, fixed: false }, startIt);
    else if (own.some((x) => x.state !== 'running') || own.length < expected) {
      const down = own.filter((x) => x.state !== 'running').map((x) => `${x.name} ${x.state}`);
      await attempt({ kind: 'exited-container', target: c.id, detail: down.length ? down.join(', ') : `${expected - own.length} container(s) missing`, fixed: false }, startIt);
    }
  }

  const known = new Set(clones.map((c) => c.id));
  // Labelled resources no record owns.
  for (const kind of ['container', 'network', 'volume'] as const) {
    const list = kind === 'container' ? containers : await labelledResources(kind);
    for (const r of list) {
      if (known.has(r.clone)) continue;
      const rm = kind === 'container' ? (swarmEngine() ? ['service', 'rm', r.name] : ['rm', '-f', r.name]) : [kind, 'rm', r.name];
      await attempt({ kind: kind === 'container' && swarmEngine() ? 'orphan-service' : `orphan-${kind}`, target: r.name, detail: `labelled ${CLONE_LABEL}=${r.clone}, no clone record`, fixed: false }, async () => {
        if ((await docker(rm, { allowFailure: true })).code !== 0) throw new AsymmetricError('DOCKER_FAILED', `docker ${rm.join(' ')} failed`);
      });
    }
  }

  if (infra && pgState) {
    const home = homeId();
    const live = infra;
    await withPgAdmin(live, async (pg) => {
      for (const db of pgState.dbs) {
        if (db.home !== home || !(await pg.databaseExists(db.name))) continue;
        const owner = clones.find((c) => namesOf(c).ownsDatabase(db.name));
        // A copy killed before its stamp is known by its owner role's (databaseStamp): removed as any other.
        const unstamped = db.unstamped ? ' (left without its owner stamp; its owner role is the clone\'s)' : '';
        if (!owner) {
          await attempt({ kind: 'orphan-database', target: db.name, detail: `no clone record owns it${unstamped}`, fixed: false }, () => pg.dropOwnedDatabase(db.name, ownerStamp(db.clone ?? '', home)));
          continue;
        }
        const names = namesOf(owner);
        const expected = new Set([names.database, names.pristine, ...listSnapshots(owner.id).map((s) => s.database)]);
        if (expected.has(db.name) || owner.state === 'creating' || owner.state === 'destroying') continue;
        await attempt({ kind: 'leftover-database', target: db.name, detail: `a copy of clone ${owner.id} that no snapshot lists (an interrupted swap or snapshot)${unstamped}`, fixed: false }, () => pg.dropOwnedDatabase(db.name, ownerStamp(owner.id, home)));
      }
      for (const role of pgState.roles) {
        if (role.home !== home || clones.some((c) => namesOf(c).role === role.name)) continue;
        await attempt({ kind: 'orphan-role', target: role.name, detail: 'no clone record owns it', fixed: false }, () => pg.dropOwnedRole(role.name, ownerStamp(role.clone ?? '', home)));
      }
    });
    // Redis keys under this home's prefixes that no clone (or no listed snapshot) owns.
    const tag = home.slice(0, 8);
    for (const id of await segmentsUnder(live, `asym:${tag}:`)) {
      if (known.has(id)) continue;
      await attempt({ kind: 'orphan-redis', target: `asym:${tag}:${id}:*`, detail: 'keys of a clone with no record', fixed: false }, () => deleteRedisPrefix(live, `asym:${tag}:${id}:`));
    }
    for (const id of await segmentsUnder(live, `asym-snap:${tag}:`)) {
      const owner = clones.find((c) => c.id === id);
      if (!owner) {
        await attempt({ kind: 'orphan-redis', target: `asym-snap:${tag}:${id}:*`, detail: 'snapshot keys of a clone with no record', fixed: false }, () => deleteRedisPrefix(live, `asym-snap:${tag}:${id}:`));
        continue;
      }
      const names = namesOf(owner);
      const listed = new Set(listSnapshots(id).map((s) => s.name));
      for (const snap of await segmentsUnder(live, names.snapshotsRedisPrefix)) {
        if (listed.has(snap)) continue;
        await attempt({ kind: 'leftover-redis', target: names.snapshotRedisPrefix(snap), detail: `keys of snapshot ${snap} of ${id}, which no snapshot lists`, fixed: false }, () => deleteRedisPrefix(live, names.snapshotRedisPrefix(snap)));
      }
    }
  }
  const fixed = findings.filter((f) => f.fixed).length;
  return { ok: checks.every((c) => c.ok) && findings.every((f) => f.fixed), checks, findings, fixed };
}

/** Every resource of a clone that still exists (tests assert this is empty after a destroy). */
export async function cloneLeftovers(record: Pick<CloneRecord, 'id' | 'database' | 'redisPrefix' | 'composeProject'>): Promise<string[]> {
  const out = (await composePs(record.composeProject)).map((p) => `container ${p.Name}`);
  const infra = await currentInfra();
  if (!infra) return out;
  const names = namesOf(record);
  await withPgAdmin(infra, async (pg) => {
    for (const db of await pg.listDatabases(names.database)) if (names.ownsDatabase(db)) out.push(`database ${db}`);
    if (await pg.roleExists(names.role)) out.push(`role ${names.role}`);
  });
  for (const prefix of [names.redisPrefix, names.snapshotsRedisPrefix]) {
    const n = await countRedisPrefix(infra, prefix);
    if (n) out.push(`redis ${prefix}* (${n} keys)`);
  }
  return out;
}
