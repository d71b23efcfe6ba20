import { randomString } from '../../_kit/auth.ts';
import type { Prng } from '../../_kit/prng.ts';
import { rngString } from '../../_kit/world.ts';
import { clockSeconds } from '../../_kit/clock.ts';

/** Slack ids: a type letter then uppercase base36, e.g. U07ABCDEFGH, C07ABCDEFGH. */
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

export function slackId(prefix: 'T' | 'A' | 'B' | 'U' | 'C' | 'G' | 'D' | 'Q' | 'Ev' | 'I' | 'F' | 'Fc' | 'E', rng?: Prng): string {
  return `${prefix}0${rng ? rngString(rng, 9, UPPER) : randomString(9, UPPER)}`;
}

/** The clone's clock, in whole seconds (never the wall clock: see _kit/clock.ts). */
export function nowSeconds(): number {
  return clockSeconds();
}

/** Microseconds since epoch -> Slack ts "1700000000.000100". */
export function tsFromMicros(us: bigint | number): string {
  const v = BigInt(us);
  const secs = v / 1_000_000n;
  const frac = v % 1_000_000n;
  return `${secs.toString().padStart(10, '0')}.${frac.toString().padStart(6, '0')}`;
}

/** Accepts "1700000000.000100", "1700000000", or numbers; null when not a ts. */
export function microsFromTs(ts: unknown): bigint | null {
  if (typeof ts === 'number' && Number.isFinite(ts)) return BigInt(Math.round(ts * 1_000_000));
  if (typeof ts !== 'string') return null;
  const m = /^(\d{1,10})(?:\.(\d{1,6}))?$/.exec(ts.trim());
  if (!m) return null;
  return BigInt(m[1] as string) * 1_000_000n + BigInt((m[2] ?? '').padEnd(6, '0') || '0');
}

/** Normalise a ts-like param to the canonical fixed-width text; null when invalid. */
export function normTs(ts: unknown): string | null {
  const us = microsFromTs(ts);
  return us === null ? null : tsFromMicros(us);
}

/** Opaque cursors, shaped like Slack's: base64("<kind>:<value>"). */
export function encodeCursor(kind: string, value: string): string {
  return Buffer.from(`${kind}:${value}`).toString('base64');
}

export function decodeCursor(cursor: string, kind: string): string | null {
  let text: string;
  try {
    text = Buffer.from(cursor, 'base64').toString('utf8');
  } catch {
    return null;
  }
  if (!text.startsWith(`${kind}:`)) return null;
  const value = text.slice(kind.length + 1);
  return value.length ? value : null;
}
