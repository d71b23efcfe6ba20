/**
 * A clone's world: the seed its ids derive from and its clock.
 *
 * Ids minted at provision come from a PRNG seeded by (world seed, label), so every clone of
 * one world has the same workspace, app and user ids; secrets (tokens, signing secrets) keep
 * using the system's random source.
 *
 * The clock is stored in asym_meta ('clock': { at, frozen }) as the time it showed when it
 * was last written, and anchored to the wall clock in memory when first read after a load.
 * The stored form holds no wall time, so two clones' databases stay identical, and a database
 * swap (reset, restore: the kit drops the anchor on release) takes the clock back to what the
 * copy holds: reset returns it to the world's start.
 */
import { createHash } from 'node:crypto';
import { prng, type Prng } from './prng.ts';

export interface World {
  seed: string;
  /** ISO time the world starts at: provision and seed stamp exactly this. */
  start: string;
}

export interface ClockState {
  at: string;
  frozen: boolean;
}

export const DEFAULT_WORLD: World = { seed: 'asym', start: '2026-01-01T00:00:00.000Z' };

export function worldRng(seed: string, label: string): Prng {
  const h = createHash('sha256').update(`${seed}\0${label}`).digest();
  return prng(h.readInt32LE(0));
}

export function rngString(rng: Prng, length: number, alphabet: string): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[Math.floor(rng.rand() * alphabet.length)];
  return out;
}

/** The clock of one running clone. `load` reads the stored state (null: wall time). */
export class Clock {
  private state: ClockState | null = null;
  private anchor = 0;
  private loaded = false;
  private readonly listeners: Array<() => void> = [];

  constructor(private readonly load: () => Promise<ClockState | null>) {}

  /** Called after every change of reading (set, advance, freeze, run, a reload after a swap). */
  onChange(fn: () => void): void {
    this.listeners.push(fn);
  }

  private changed(): void {
    for (const fn of this.listeners) fn();
  }

  /** Read the stored clock once after start or release, so `now` can stay synchronous. */
  async refresh(): Promise<void> {
    if (this.loaded) return;
    this.state = await this.load();
    this.anchor = Date.now();
    this.loaded = true;
    this.changed();
  }

  /**
   * Forget the reading's source (the database is being swapped): the next refresh reloads it.
   * Until then `now` goes on from the old reading, never the wall clock, so timers armed in
   * between (the Slack scheduler re-reads its table on release) do not see a wrong time.
   */
  drop(): void {
    this.loaded = false;
  }

  /** Set in memory (the caller persists it). */
  adopt(state: ClockState): void {
    this.state = state;
    this.anchor = Date.now();
    this.loaded = true;
    this.changed();
  }

  now(): Date {
    if (!this.state) return new Date();
    const at = Date.parse(this.state.at);
    return new Date(this.state.frozen ? at : at + (Date.now() - this.anchor));
  }

  current(): ClockState | null {
    return this.state ? { at: this.now().toISOString(), frozen: this.state.frozen } : null;
  }

  /**
   * The clock as Postgres sees it (the session setting asym.clock, read by the database's
   * now(); see db.ts): "frozen <ISO>", "offset <ms from the wall clock>", or "" for wall time.
   */
  sqlSetting(): string {
    if (!this.state) return '';
    const at = Date.parse(this.state.at);
    return this.state.frozen ? `frozen ${this.state.at}` : `offset ${at - this.anchor}`;
  }
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** "90s", "15m", "2h30m", "7d": milliseconds, or null when not a duration. */
export function parseDuration(text: string): number | null {
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/gy;
  let total = 0;
  let matched = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    total += Number(m[1]) * UNITS[m[2]!]!;
    matched = re.lastIndex;
  }
  return matched === text.length && matched > 0 ? total : null;
}
