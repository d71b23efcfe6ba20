/**
 * The one place a command gets its provider. Local Docker by default; ASYM_REMOTE names a
 * control plane instead. Commands, src/env and src/verify call this and never construct a
 * provider or import src/docker, so the engine is a choice made here.
 *
 * The control plane (asym serve) gets its engine here too (engineFor): the engine that
 * runs its clones is this machine's Docker today; another (a Swarm engine) is one more case.
 */
import { AsymmetricError } from '../contract/errors.ts';
import type { CliProvider } from '../contract/provider.ts';
import { LocalDockerProvider } from '../docker/provider.ts';
import { localEnvironments, type EnvironmentService } from '../env/service.ts';
import { CloudProvider } from './cloud.ts';
import { CloudEnvironments } from './cloud-environments.ts';
import { currentRemote } from '../settings/remotes.ts';

export interface ProviderOptions {
  /** Human progress lines ("creating database", …); remote providers may send fewer. */
  onProgress?: (step: string) => void;
}

/** The control plane's URL when this process is configured for one (ASYM_REMOTE, else asym remote use). */
export function remoteUrl(env: NodeJS.ProcessEnv = process.env): string | null {
  return currentRemote(env)?.url ?? null;
}

/** A verb that exists only for this machine's engine (doctor, images) refuses a remote clearly. */
export function requireLocal(verb: string): void {
  const remote = remoteUrl();
  if (remote) {
    throw new AsymmetricError('NOT_SUPPORTED', `asym ${verb} works on this machine's engine only; ASYM_REMOTE is set (${remote})`, {
      hint: `run it on this machine with ASYM_REMOTE= (or asym remote use local); on the control plane's machine, run it there`,
    });
  }
}

export function providerFor(opts: ProviderOptions = {}): CliProvider {
  const remote = currentRemote();
  if (remote) return new CloudProvider(remote.url, remote.token, { ...opts, ...(remote.ca ? { ca: remote.ca } : {}), what: remote.context ? `remote ${remote.context}` : 'ASYM_REMOTE' });
  return engineFor(opts);
}

/** Where `asym env` finds environments: this home's registry, or the control plane's. */
export function environmentsFor(opts: ProviderOptions = {}): EnvironmentService {
  const provider = providerFor(opts);
  return provider instanceof CloudProvider ? new CloudEnvironments(provider) : localEnvironments;
}

export const ENGINES = ['docker', 'swarm'] as const;

/**
 * The engine clones run on, here or behind asym serve (ASYM_ENGINE): `docker` (this
 * machine's engine, Compose) or `swarm` (a Docker Swarm whose manager DOCKER_HOST names:
 * the same provider, its resource steps placed as stacks; see src/docker/swarm.ts).
 */
export function engineFor(opts: ProviderOptions = {}): CliProvider {
  const name = process.env.ASYM_ENGINE?.trim() || 'docker';
  if (!(ENGINES as readonly string[]).includes(name)) throw new AsymmetricError('NOT_SUPPORTED', `no engine named ${name}`, { hint: `ASYM_ENGINE is one of ${ENGINES.join(', ')} (docker is the default)` });
  return new LocalDockerProvider({ onProgress: opts.onProgress });
}

/** Finish or roll back what a dead process left half-done on the engine (asym serve, at start). */
export async function repairEngine(): Promise<{ target: string; detail: string; fixed: boolean; error?: string }[]> {
  const { repairInterruptedOperations } = await import('../docker/doctor.ts');
  return repairInterruptedOperations();
}
