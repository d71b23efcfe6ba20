/**
 * The env verbs through a control plane: one call per verb to /v1/environments, answering the
 * documents the local verbs print. The environment file is read on this machine and sent
 * (its path is what the environment records as its spec); the server brings the members up,
 * one at a time as here, and streams each member's steps and outcome as they happen, so
 * the progress lines are the local ones.
 */
import type { ProgressEvent } from '../contract/api.ts';
import type { ClockOp } from '../contract/clock.ts';
import type { Environment } from '../contract/environment.ts';
import { AsymmetricError, isErrorCode } from '../contract/errors.ts';
import type { EnvClockResult } from '../env/env-clock.ts';
import type { EnvDiffResult, EnvDownResult, EnvListEntry, EnvOptions, EnvResetResult, EnvStatusResult, EnvUpResult, MemberAction } from '../env/environments.ts';
import type { EnvironmentService, EnvironmentTokens } from '../env/service.ts';
import { environmentRequest, loadEnvironmentFile } from '../env/spec.ts';
import { providerEnvironmentToolEnv } from '../tools/clone-env.ts';
import type { CloudProvider } from './cloud.ts';

/** The server's events as the local verbs report them: a member's steps, then its outcome. */
function relay(name: string, opts: EnvOptions) {
  return (ev: Exclude<ProgressEvent, { event: 'result' }>): void => {
    if (ev.event === 'progress') opts.onProgress?.(ev.clone ?? name, ev.step);
    else if (ev.event === 'member') {
      const err = ev.error ? new AsymmetricError(isErrorCode(ev.error.code) ? ev.error.code : 'INTERNAL', ev.error.message) : undefined;
      opts.onMember?.(ev.clone, ev.action as MemberAction, err);
    }
  };
}

const path = (name: string, rest = '') => `/v1/environments/${encodeURIComponent(name)}${rest}`;

export class CloudEnvironments implements EnvironmentService {
  constructor(private readonly cloud: CloudProvider) {}

  async up(file: string | undefined, opts: EnvOptions = {}): Promise<EnvUpResult> {
    const def = loadEnvironmentFile(file);
    opts.onProgress?.(def.name, `bringing ${def.clones.length} clone(s) up on the control plane`);
    return this.cloud.streamed<EnvUpResult>('POST', '/v1/environments', { json: environmentRequest(def) }, relay(def.name, opts));
  }

  async down(name: string, opts: EnvOptions & { destroy?: boolean } = {}): Promise<EnvDownResult> {
    opts.onProgress?.(name, opts.destroy ? 'destroying on the control plane' : 'stopping on the control plane');
    return this.cloud.streamed<EnvDownResult>(opts.destroy ? 'DELETE' : 'POST', path(name, opts.destroy ? '' : '/stop'), {}, relay(name, opts));
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
    return this.cloud.streamed<EnvResetResult>('POST', path(name, '/reset'), {}, relay(name, opts));
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
