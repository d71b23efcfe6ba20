/**
 * Environments: several clones brought up, stopped, reset and destroyed together.
 *
 * Membership lives only on the Environment (registry), and Environment.state is rederived
 * from the members' persisted states after every member operation here, so `env ls` and
 * the registry agree. Members are handled one at a time (a clone spin is CPU-bound and
 * CI machines have two cores); one member failing never stops the others: each verb
 * reports an EnvironmentResult per member and the caller decides the exit code.
 */
import type { CloneInstance, CloneRecord } from '../contract/clone.ts';
import type { Environment, EnvironmentResult, EnvironmentState } from '../contract/environment.ts';
import { AsymmetricError, toAsymmetricError } from '../contract/errors.ts';
import { fixturesOf, getTemplate, resolveMode } from '../templates/catalog.ts';
import type { RegistryFile } from '../contract/registry-file.ts';
import type { CloneStatus } from '../contract/status.ts';
import type { CliProvider } from '../contract/provider.ts';
import type { StateDiff } from '../contract/diff.ts';
import { providerFor as engineProvider } from '../providers/index.ts';
import { environmentState } from '../registry/migrate.ts';
import { findClone, readRegistry, updateRegistry } from '../registry/registry.ts';
import { loadEnvironmentFile, type EnvironmentDefinition } from './spec.ts';
import { alignAfterReset, joinEnvClock } from './env-clock.ts';

/** What happened to one member, for progress lines (results carry only ok/error). */
export type MemberAction = 'created' | 'started' | 'unchanged' | 'stopped' | 'destroyed' | 'reset' | 'failed';

export interface EnvOptions {
  /** A step of one member, e.g. ('acme-slack', 'starting containers'). */
  onProgress?: (clone: string, step: string) => void;
  /** One member is done. */
  onMember?: (clone: string, action: MemberAction, error?: AsymmetricError) => void;
  /**
   * The provider members are created, started, stopped and destroyed through (default: this
   * process's, providerFor). The control plane passes its tenant's, which claims and releases.
   */
  provider?: CliProvider;
  /** The provider for one member's operation (over `provider`): the control plane's reports that member's steps to its client. */
  memberProvider?: (clone: string) => CliProvider;
}

export interface EnvUpResult {
  environment: Environment;
  results: EnvironmentResult[];
  clones: CloneInstance[];
}

export interface EnvDownResult {
  /** null once --destroy removed it. */
  environment: Environment | null;
  results: EnvironmentResult[];
  destroyed: boolean;
}

export interface EnvResetResult {
  environment: Environment;
  results: EnvironmentResult[];
}

export interface EnvMemberSummary {
  id: string;
  template: string | null;
  state: string;
}

export type EnvListEntry = Environment & { clones: EnvMemberSummary[] };

export interface EnvStatusResult {
  name: string;
  spec: string | null;
  /** Rolled up from the members' live states. */
  state: EnvironmentState;
  members: CloneStatus[];
  checkedAt: string;
}

const now = () => new Date().toISOString();

export function findEnvironment(reg: RegistryFile, name: string): Environment | undefined {
  return reg.environments.find((e) => e.name === name);
}

export function requireEnvironment(reg: RegistryFile, name: string): Environment {
  const env = findEnvironment(reg, name);
  if (!env) {
    const known = reg.environments.map((e) => e.name);
    throw new AsymmetricError('ENVIRONMENT_NOT_FOUND', `no environment named ${name}`, {
      hint: known.length ? `known environments: ${known.join(', ')} (asym env ls)` : 'no environments yet; create one with asym env up -f environment.yaml',
    });
  }
  return env;
}

export function getEnvironment(name: string): Environment {
  return structuredClone(requireEnvironment(readRegistry(), name));
}

function derivedState(reg: RegistryFile, env: Environment): EnvironmentState {
  return environmentState(env.members.map((id) => findClone(reg, id)?.state));
}

/** Rederive Environment.state from the members' persisted states; bump updatedAt only on change. */
export async function syncEnvironment(name: string): Promise<Environment | null> {
  return updateRegistry((reg) => {
    const env = findEnvironment(reg, name);
    if (!env) return null;
    const state = derivedState(reg, env);
    if (state !== env.state) Object.assign(env, { state, updatedAt: now() });
    return structuredClone(env);
  });
}

function ok(clone: string): EnvironmentResult {
  return { clone, ok: true };
}

function failed(clone: string, e: AsymmetricError): EnvironmentResult {
  return { clone, ok: false, error: { code: e.code, message: e.message } };
}

function providerFor(id: string, opts: EnvOptions): CliProvider {
  return opts.memberProvider?.(id) ?? opts.provider ?? engineProvider({ onProgress: (step) => opts.onProgress?.(id, step) });
}

/** Run `fn` for one member, turning a throw into a failed result; the environment's state follows. */
async function eachMember(
  env: string,
  ids: string[],
  opts: EnvOptions,
  fn: (id: string, provider: CliProvider) => Promise<MemberAction>,
): Promise<EnvironmentResult[]> {
  const results: EnvironmentResult[] = [];
  for (const id of ids) {
    try {
      const action = await fn(id, providerFor(id, opts));
      results.push(ok(id));
      opts.onMember?.(id, action);
    } catch (e) {
      const err = toAsymmetricError(e);
      results.push(failed(id, err));
      opts.onMember?.(id, 'failed', err);
    }
    await syncEnvironment(env);
  }
  return results;
}

/** Create the environment, or point an existing one at this file; untouched if already so. */
async function ensureEnvironment(def: EnvironmentDefinition): Promise<void> {
  const current = findEnvironment(readRegistry(), def.name);
  if (current && current.spec === def.path) return;
  await updateRegistry((reg) => {
    let env = findEnvironment(reg, def.name);
    if (!env) {
      env = { name: def.name, members: [], spec: def.path, state: 'stopped', createdAt: now(), updatedAt: now() };
      reg.environments.push(env);
    } else {
      env.spec = def.path;
      env.updatedAt = now();
    }
  });
}

/** Unknown templates, modes and fixture packs fail before anything is created, naming the entry. */
function checkCatalog(def: EnvironmentDefinition): void {
  def.clones.forEach((c, i) => {
    try {
      const t = getTemplate(c.template);
      resolveMode(t, c.mode);
      if (c.seed?.fixture && !fixturesOf(t).includes(c.seed.fixture)) {
        const packs = fixturesOf(t);
        throw new AsymmetricError('FIXTURE_NOT_FOUND', `template ${c.template} has no fixture pack ${c.seed.fixture}`, {
          hint: packs.length ? `packs: ${packs.join(', ')}` : 'this template ships no fixture packs',
        });
      }
    } catch (e) {
      const err = toAsymmetricError(e);
      throw new AsymmetricError(err.code, `${def.path}: clones[${i}] (${c.name}): ${err.message}`, { hint: err.hint, cause: err });
    }
  });
}

/**
 * Bring an environment up from its file: spin every clone not yet there, start members
 * that are stopped, leave running ones alone. Running it twice changes nothing.
 */
export async function envUp(file: string | undefined, opts: EnvOptions = {}): Promise<EnvUpResult> {
  return envUpFrom(loadEnvironmentFile(file), opts);
}

/** envUp for a definition already read and checked (the control plane gets it in a request). */
export async function envUpFrom(def: EnvironmentDefinition, opts: EnvOptions = {}): Promise<EnvUpResult> {
  checkCatalog(def);
  await ensureEnvironment(def);
  const specs = new Map(def.clones.map((c) => [c.name, c]));
  const extras = getEnvironment(def.name).members.filter((id) => !specs.has(id));
  const results = await eachMember(def.name, [...specs.keys(), ...extras], opts, async (id, provider) => {
    const reg = readRegistry();
    const record = findClone(reg, id);
    const spec = specs.get(id);
    const member = requireEnvironment(reg, def.name).members.includes(id);
    if (spec && (!record || record.state === 'failed')) {
      if (record && !member) throw foreign(record, def);
      await provider.create(spec);
      // The environment's clones share one clock: a new member takes the others' time.
      await joinEnvClock(def.name, id, provider);
      return 'created';
    }
    if (!record) throw new AsymmetricError('CLONE_NOT_FOUND', `member ${id} has no clone record`, { hint: `asym env down ${def.name} --destroy removes the environment` });
    if (!member) throw foreign(record, def);
    if (spec && spec.template !== record.template) {
      throw new AsymmetricError('INVALID_INPUT', `${def.path}: clone ${id} is a ${record.template} clone, the file asks for ${spec.template}`, {
        hint: `destroy it (asym destroy ${id}) or give the entry another name`,
      });
    }
    // A running member whose containers are gone is repaired (data kept), not reported unchanged.
    return (await provider.ensureRunning(id)) ? 'started' : 'unchanged';
  });
  return { environment: getEnvironment(def.name), results, clones: memberInstances(def.name, opts.provider) };
}

function foreign(record: CloneRecord, def: EnvironmentDefinition): AsymmetricError {
  return new AsymmetricError('NAME_TAKEN', `a clone named ${record.id} already exists outside environment ${def.name}`, {
    hint: `give the entry in ${def.path} another name, or destroy that clone first (asym destroy ${record.id})`,
  });
}

/** Members' full instances (tokens included, as spin prints them). */
export function memberInstances(name: string, provider: CliProvider = engineProvider()): CloneInstance[] {
  const reg = readRegistry();
  return requireEnvironment(reg, name).members.flatMap((id) => {
    const record = findClone(reg, id);
    return record ? [provider.instance(record)] : [];
  });
}

/** Stop every member, or (destroy) remove them and then the environment. */
export async function envDown(name: string, opts: EnvOptions & { destroy?: boolean } = {}): Promise<EnvDownResult> {
  const env = getEnvironment(name);
  const results = await eachMember(name, env.members, opts, async (id, provider) => {
    const record = findClone(readRegistry(), id);
    if (opts.destroy) {
      if (record) await provider.destroy(id);
      return 'destroyed';
    }
    if (!record) throw new AsymmetricError('CLONE_NOT_FOUND', `member ${id} has no clone record`, { hint: `asym env down ${name} --destroy removes the environment` });
    // A failed spin left no containers: nothing is running, which is what down asks for.
    if (record.state === 'stopped' || record.state === 'failed') return 'unchanged';
    await provider.stop(id);
    return 'stopped';
  });
  if (!opts.destroy) return { environment: getEnvironment(name), results, destroyed: false };
  // Members that could not be destroyed keep the environment (and its name) alive.
  const left = await updateRegistry((reg) => {
    const e = findEnvironment(reg, name);
    if (!e) return null;
    e.members = e.members.filter((id) => findClone(reg, id));
    if (e.members.length === 0) {
      reg.environments = reg.environments.filter((x) => x !== e);
      return null;
    }
    Object.assign(e, { state: derivedState(reg, e), updatedAt: now() });
    return structuredClone(e);
  });
  return { environment: left, results, destroyed: left === null };
}

/** Reset every member to its state right after spin (+ seed). */
export async function envReset(name: string, opts: EnvOptions = {}): Promise<EnvResetResult> {
  const env = getEnvironment(name);
  const results = await eachMember(name, env.members, opts, async (id, provider) => {
    await provider.reset(id);
    return 'reset';
  });
  // Reset members one after another started their clocks a little apart: put them in step.
  if (results.every((r) => r.ok)) await alignAfterReset(name, opts.provider);
  return { environment: getEnvironment(name), results };
}

export interface EnvDiffResult {
  environment: Environment;
  results: EnvironmentResult[];
  /** Per member that could be read: what changed since spin (+ seed). */
  diffs: Record<string, StateDiff>;
}

/** What changed in every member since it was spun (and seeded): one StateDiff per clone. */
export async function envDiff(name: string, provider: CliProvider = engineProvider()): Promise<EnvDiffResult> {
  const env = getEnvironment(name);
  const diffs: Record<string, StateDiff> = {};
  const results: EnvironmentResult[] = [];
  for (const id of env.members) {
    try {
      const record = findClone(readRegistry(), id);
      if (!record) throw new AsymmetricError('CLONE_NOT_FOUND', `member ${id} of ${name} is not in the registry`, { hint: `asym env up -f <file> recreates it` });
      diffs[id] = await provider.diff(record.id);
      results.push(ok(id));
    } catch (e) {
      results.push(failed(id, toAsymmetricError(e)));
    }
  }
  return { environment: env, results, diffs };
}

/** Environments with their members; state derived from the members' persisted states. */
export function envList(): EnvListEntry[] {
  const reg = readRegistry();
  return reg.environments.map((env) => ({
    ...structuredClone(env),
    state: derivedState(reg, env),
    clones: env.members.map((id) => {
      const c = findClone(reg, id);
      return { id, template: c?.template ?? null, state: c?.state ?? 'gone' };
    }),
  }));
}

/** Live status of every member and the state rolled up from them. */
export async function envStatus(name: string, provider: CliProvider = engineProvider()): Promise<EnvStatusResult> {
  const env = getEnvironment(name);
  const members: CloneStatus[] = [];
  for (const id of env.members) {
    try {
      members.push(await provider.status(id));
    } catch (e) {
      if (toAsymmetricError(e).code !== 'CLONE_NOT_FOUND') throw e;
      members.push({ id, state: 'gone', healthy: false, services: [], checkedAt: now() });
    }
  }
  // status may have recorded a health flap on a member: keep the environment in step.
  await syncEnvironment(name);
  return { name, spec: env.spec, state: environmentState(members.map((m) => m.state)), members, checkedAt: now() };
}
