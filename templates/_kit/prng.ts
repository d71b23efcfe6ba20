/**
 * A small seeded PRNG (mulberry32) for the fixture generators: the same seed gives the same
 * sequence on every machine, which is what makes a fixture pack byte-identical run to run.
 */
export interface Prng {
  /** A float in [0, 1). */
  rand(): number;
  pick<T>(xs: readonly T[]): T;
  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number;
}

export function prng(seed: number): Prng {
  let s = seed;
  const rand = () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    rand,
    pick: <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)] as T,
    int: (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1)),
  };
}
