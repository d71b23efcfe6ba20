import { describe, expect, test } from 'bun:test';
import { CLONE_STATES, TRANSITIONS, assertTransition, canTransition } from '../../src/contract/state.ts';
import { isAsymmetricError } from '../../src/contract/errors.ts';

describe('CloneState machine', () => {
  test('allows the transitions of the contract', () => {
    for (const [from, to] of [
      ['creating', 'running'],
      ['running', 'stopped'],
      ['stopped', 'running'],
      ['running', 'unhealthy'],
      ['unhealthy', 'running'],
      ['creating', 'failed'],
      ['destroying', 'gone'],
    ] as const) {
      expect(canTransition(from, to)).toBe(true);
    }
  });

  test('every persisted state may move to destroying; gone is terminal', () => {
    for (const s of CLONE_STATES) {
      if (s === 'destroying' || s === 'gone') continue;
      expect(canTransition(s, 'destroying')).toBe(true);
    }
    expect(TRANSITIONS.gone).toEqual([]);
  });

  test('rejects illegal transitions with a named error', () => {
    for (const [from, to] of [
      ['creating', 'stopped'],
      ['stopped', 'unhealthy'],
      ['failed', 'running'],
      ['gone', 'running'],
      ['destroying', 'running'],
      ['running', 'creating'],
    ] as const) {
      expect(canTransition(from, to)).toBe(false);
      let caught: unknown;
      try {
        assertTransition(from, to, 'c1');
      } catch (e) {
        caught = e;
      }
      expect(isAsymmetricError(caught)).toBe(true);
      expect((caught as { code: string }).code).toBe('ILLEGAL_TRANSITION');
    }
  });
});
