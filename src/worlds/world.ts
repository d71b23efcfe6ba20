/**
 * The world a clone is provisioned in: the seed its ids derive from and the time its clock
 * starts at. The defaults are fixed, not the wall clock, so two clones spun from the same
 * template, mode and fixture pack hold the same state on any machine, on any day.
 */
export interface WorldSpec {
  seed: string;
  start: string;
}

export const DEFAULT_WORLD: WorldSpec = { seed: 'asym', start: '2026-01-01T00:00:00.000Z' };

export function worldOf(given?: { seed?: string; start?: string }): WorldSpec {
  return {
    seed: given?.seed ?? DEFAULT_WORLD.seed,
    start: given?.start ? new Date(Date.parse(given.start)).toISOString() : DEFAULT_WORLD.start,
  };
}
