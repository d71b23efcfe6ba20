/**
 * doctor: check the engine, Compose, the shared infra and the registry, then reconcile the
 * registry against Docker and Postgres. It only ever touches resources stamped with this
 * ASYM_HOME's identity (label asym.home / database comment), so doctors of different
 * homes sharing one engine never remove each other's clones.
 */
import { isAsymmetricError } from '../contract/errors.ts';
import type { CloneRecord } from '../contract/clone.ts';
import { readRegistry, registryPath } from '../registry/registry.ts';
import { composeVersion, ensureEngine } from './engine.ts';
import { currentInfra } from './infra.ts';
import { CLONE_LABEL, HOME_LABEL } from './labels.ts';
import { homeId, ownsDatabase } from './names.ts';
import { PgAdmin } from './postgres-admin.ts';
import { LocalDockerProvider } from './provider.ts';
import { docker } from './spawn.ts';

const STALE_CREATE_MS = 15 * 60_000;

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

export interface Finding {
  kind: 'gone-clone' | 'stale-creating' | 'orphan-container' | 'orphan-network' | 'orphan-volume' | 'orphan-database';
  target: string;
  detail: string;
  fixed: boolean;
}

export interface DoctorReport {
  ok: boolean;
  checks: Check[];
  findings: Finding[];
  fixed: number;
}

async function labelledResources(kind: 'container' | 'network' | 'volume'): Promise<{ name: string; clone: string }[]> {
  const args = kind === 'container' ? ['ps', '-a'] : [kind, 'ls'];
  const format = kind === 'container' ? `{{.Names}}\t{{.Label "${CLONE_LABEL}"}}` : `{{.Name}}\t{{.Label "${CLONE_LABEL}"}}`;
  const res = await docker([...args, '--filter', `label=${HOME_LABEL}=${homeId()}`, '--format', format]);
  return res.stdout.split('\n').filter(Boolean).map((l) => {
    const [name, clone] = l.split('\t');
    return { name: name!, clone: clone ?? '' };
  });
}

export async function runDoctor(opts: { fix: boolean }): Promise<DoctorReport> {
  const checks: Check[] = [];
  const findings: Finding[] = [];
  try {
    const engine = await ensureEngine();
    checks.push({ name: 'engine', ok: true, detail: `Docker ${engine.serverVersion}` });
    const compose = await composeVersion().catch(() => null);
    const major = Number(compose?.split('.')[0] ?? 0);
    checks.push({ name: 'compose', ok: major >= 2, detail: compose ? `Compose ${compose}${major >= 2 ? '' : ' (v2 required)'}` : 'Compose v2 (`docker compose`) is not installed' });
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
  const infra = await currentInfra();
  checks.push({ name: 'infra', ok: true, detail: infra ? `Postgres on 127.0.0.1:${infra.pgPort}, Redis on 127.0.0.1:${infra.redisPort}` : 'not running (started on the next spin)' });

  const known = new Set(clones.map((c) => c.id));
  const containers = await labelledResources('container');

  // Clones whose containers vanished outside the CLI.
  for (const c of clones) {
    if (c.state === 'failed') continue;
    // A create that died with its process (killed, machine off) stays `creating` forever.
    const stale = c.state === 'creating' && Date.now() - Date.parse(c.updatedAt) > STALE_CREATE_MS;
    if (c.state === 'creating' && !stale) continue;
    if (!stale && containers.some((x) => x.clone === c.id)) continue;
    const f: Finding = stale
      ? { kind: 'stale-creating', target: c.id, detail: `creating since ${c.updatedAt}; its asym process is gone`, fixed: false }
      : { kind: 'gone-clone', target: c.id, detail: `registry says ${c.state}, but it has no containers`, fixed: false };
    if (opts.fix) {
      // Destroy removes what is left of it (database, role, keys) and its record.
      await new LocalDockerProvider().destroy(c.id);
      f.fixed = true;
    }
    findings.push(f);
  }

  // Labelled resources no record owns.
  for (const kind of ['container', 'network', 'volume'] as const) {
    const list = kind === 'container' ? containers : await labelledResources(kind);
    for (const r of list) {
      if (known.has(r.clone)) continue;
      const f: Finding = { kind: `orphan-${kind}`, target: r.name, detail: `labelled ${CLONE_LABEL}=${r.clone}, no clone record`, fixed: false };
      if (opts.fix) {
        const rm = kind === 'container' ? ['rm', '-f', r.name] : [kind, 'rm', r.name];
        f.fixed = (await docker(rm, { allowFailure: true })).code === 0;
      }
      findings.push(f);
    }
  }

  // Databases stamped with this home that no clone owns.
  if (infra) {
    const pg = new PgAdmin(infra);
    try {
      for (const db of await pg.cloneDatabases()) {
        if (db.home !== homeId()) continue;
        if (clones.some((c) => ownsDatabase(c.id, db.name))) continue;
        const f: Finding = { kind: 'orphan-database', target: db.name, detail: 'no clone record owns it', fixed: false };
        if (opts.fix) {
          await pg.dropDatabase(db.name);
          f.fixed = true;
        }
        findings.push(f);
      }
    } finally {
      await pg.close();
    }
  }
  const fixed = findings.filter((f) => f.fixed).length;
  return { ok: checks.every((c) => c.ok) && findings.every((f) => f.fixed), checks, findings, fixed };
}
