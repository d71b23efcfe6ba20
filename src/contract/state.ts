import * as v from 'valibot';
import { AsymmetricError } from './errors.ts';

/**
 * The CloneState machine of the contract, as data:
 *   creating → running → stopped → running → destroying → gone
 *   running → unhealthy → running      (health flaps)
 *   creating → failed
 * Any persisted state may move to `destroying`. `gone` is terminal and never persisted:
 * status uses it for a clone whose containers vanished outside the CLI.
 */
export const CLONE_STATES = ['creating', 'running', 'stopped', 'unhealthy', 'failed', 'destroying', 'gone'] as const;
export const CloneStateSchema = v.picklist(CLONE_STATES);
export type CloneState = v.InferOutput<typeof CloneStateSchema>;

/** States that may be written to the registry. */
export const PersistedCloneStateSchema = v.picklist(['creating', 'running', 'stopped', 'unhealthy', 'failed', 'destroying']);
export type PersistedCloneState = v.InferOutput<typeof PersistedCloneStateSchema>;

export const TRANSITIONS: Readonly<Record<CloneState, readonly CloneState[]>> = {
  creating: ['running', 'failed', 'destroying'],
  running: ['stopped', 'unhealthy', 'destroying'],
  unhealthy: ['running', 'stopped', 'destroying'],
  stopped: ['running', 'destroying'],
  failed: ['destroying'],
  destroying: ['gone'],
  gone: [],
};

export function canTransition(from: CloneState, to: CloneState): boolean {
  return TRANSITIONS[from].includes(to);
}

export function assertTransition(from: CloneState, to: CloneState, id?: string): void {
  if (!canTransition(from, to)) {
    throw new AsymmetricError('ILLEGAL_TRANSITION', `clone${id ? ` ${id}` : ''} cannot go from ${from} to ${to}`, {
      hint: allowedHint(from),
    });
  }
}

function allowedHint(from: CloneState): string {
  const next = TRANSITIONS[from];
  return next.length ? `from ${from} it can go to: ${next.join(', ')}` : `${from} is terminal`;
}
