/**
 * The env verbs through a control plane: one call per verb to /v1/environments, answering the
 * documents the local verbs print. The environment file is read on this machine and sent
 * (its path is what the environment records as its spec); the server brings the members up,
 * one at a time as here, and answers when all are done, so progress comes as one line.
 */
import type { ClockOp } from '../contract/clock.ts';
import type { Environment, EnvironmentResult } from '../contract/environment.ts';
import { AsymmetricError, isErrorCode } from '../contract/errors.ts';
import type { EnvClockResult } from '../env/env-clock.ts';
import type { EnvDiffResult, EnvDownResult, EnvListEntry, EnvOptions, EnvResetResult, EnvStatusResult, EnvUpResult } from '../env/environments.ts';
import type { EnvironmentService, EnvironmentTokens } from '../env/service.ts';
import { environmentRequest, loadEnvironmentFile } from '../env/spec.ts';
import { providerEnvironmentToolEnv } from '../tools/clone-env.ts';
import type { CloudProvider } from './cloud.ts';

/** The server answers once all members are done: each member's line then, as the local verbs print them one by one. */
function report<T extends { results: EnvironmentResult[] }>(opts: EnvOptions, r: T): T {
  for (const m of r.results) {
    if (m.ok) opts.onMember?.(m.clone, 'done');
    else opts.onMember?.(m.clone, 'failed', new AsymmetricError(isErrorCode(m.error?.code) ? m.error.code : 'INTERNAL', m.error?.message ?? 'failed'));
  }
  return r;
}

const path = (name: string, rest = '') => `/v1/environments/${encodeURIComponent(name)}${rest}`;

export class CloudEnvironments implements EnvironmentService {
  constructor(private readonly cloud: CloudProvider) {}

  async up(file: string | undefined, opts: EnvOptions = {}): Promise<EnvUpResult> {
    const def = loadEnvironmentFile(file);
    opts.onProgress?.(def.name, `bringing ${def.clones.length} clone(s) up on the control plane`);
    return report(opts, await this.cloud.call<EnvUpResult>('POST', '/v1/environments', environmentRequest(def)));
  }

  async down(name: string, opts: EnvOptions & { destroy?: boolean } = {}): Promise<EnvDownResult> {
    opts.onProgress?.(name, opts.destroy ? 'destroying on the control plane' : 'stopping on the control plane');
    return report(opts, await (opts.destroy ? this.cloud.call<EnvDownResult>('DELETE', path(name)) : this.cloud.call<EnvDownResult>('POST', path(name, '/stop'))));
  }

  list(): Promise<EnvListEntry[]> {
    return this.cloud.call('GET', '/v1/environments');
  }

  get(name: string): Promise<Environment> {
    return this.cloud.call('GET', path(name));
  }

  status(name: string): Promise<EnvStatusResult> {
    return this.cloud.call('GET', path(name, '/status'));
  }

  async reset(name: string, opts: EnvOptions = {}): Promise<EnvResetResult> {
    opts.onProgress?.(name, 'resetting on the control plane');
    return report(opts, await this.cloud.call<EnvResetResult>('POST', path(name, '/reset')));
  }

  diff(name: string): Promise<EnvDiffResult> {
    return this.cloud.call('GET', path(name, '/diff'));
  }

  clock(name: string, op: ClockOp): Promise<EnvClockResult> {
    return op.op === 'show' ? this.cloud.call('GET', path(name, '/clock')) : this.cloud.call('POST', path(name, '/clock'), op);
  }

  /** Built here from the members' records, as asym tokens --env is for one remote clone. */
  async tokens(name: string, only?: string): Promise<EnvironmentTokens> {
    const env = await this.get(name);
    return providerEnvironmentToolEnv(this.cloud, name, env.members, only);
  }
}
