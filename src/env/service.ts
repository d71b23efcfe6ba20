/**
 * The env verbs as one interface, so `asym env …` does not know where environments live:
 * here (the registry of this home, through src/env) or behind a control plane (the same
 * documents, from /v1/environments). providerFor's sibling environmentsFor picks one.
 */
import type { Environment } from '../contract/environment.ts';
import type { ClockOp } from '../contract/clock.ts';
import { environmentToolEnv } from '../tools/clone-env.ts';
import { envClock, type EnvClockResult } from './env-clock.ts';
import {
  envDiff,
  envDown,
  envList,
  envReset,
  envStatus,
  envUp,
  getEnvironment,
  type EnvDiffResult,
  type EnvDownResult,
  type EnvListEntry,
  type EnvOptions,
  type EnvResetResult,
  type EnvStatusResult,
  type EnvUpResult,
} from './environments.ts';

export interface EnvironmentTokens {
  vars: Record<string, string>;
  notes: string[];
  clones: string[];
}

export interface EnvironmentService {
  up(file: string | undefined, opts?: EnvOptions): Promise<EnvUpResult>;
  down(name: string, opts?: EnvOptions & { destroy?: boolean }): Promise<EnvDownResult>;
  list(): Promise<EnvListEntry[]>;
  get(name: string): Promise<Environment>;
  status(name: string): Promise<EnvStatusResult>;
  reset(name: string, opts?: EnvOptions): Promise<EnvResetResult>;
  diff(name: string): Promise<EnvDiffResult>;
  clock(name: string, op: ClockOp): Promise<EnvClockResult>;
  tokens(name: string, only?: string): Promise<EnvironmentTokens>;
}

export const localEnvironments: EnvironmentService = {
  up: (file, opts) => envUp(file, opts),
  down: (name, opts) => envDown(name, opts),
  list: async () => envList(),
  get: async (name) => getEnvironment(name),
  status: (name) => envStatus(name),
  reset: (name, opts) => envReset(name, opts),
  diff: (name) => envDiff(name),
  clock: (name, op) => envClock(name, op),
  tokens: async (name, only) => environmentToolEnv(name, only),
};
