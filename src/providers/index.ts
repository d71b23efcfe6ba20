/**
 * The one place a command gets its provider. Local Docker by default; ASYM_REMOTE names a
 * control plane instead. Commands, src/env and src/verify call this and never construct a
 * provider or import src/docker, so the engine is a choice made here.
 */
import { AsymmetricError } from '../contract/errors.ts';
import type { CliProvider } from '../contract/provider.ts';
import { LocalDockerProvider } from '../docker/provider.ts';

export interface ProviderOptions {
  /** Human progress lines ("creating database", …); remote providers may send fewer. */
  onProgress?: (step: string) => void;
}

/** The control plane's URL when this process is configured for one. */
export function remoteUrl(env: NodeJS.ProcessEnv = process.env): string | null {
  const url = env.ASYM_REMOTE?.trim();
  return url ? url : null;
}

export function providerFor(opts: ProviderOptions = {}): CliProvider {
  const remote = remoteUrl();
  if (remote) {
    // The control plane (asym serve) and its thin client are issue 15's next steps.
    throw new AsymmetricError('NOT_SUPPORTED', `ASYM_REMOTE is set (${remote}) but this build has no remote provider yet`, {
      hint: 'unset ASYM_REMOTE to use this machine\'s Docker',
    });
  }
  return new LocalDockerProvider({ onProgress: opts.onProgress });
}
