/**
 * Parsing the clock verbs' words into a ClockOp, with named errors before anything is sent.
 * Durations are a sum of whole or decimal amounts of ms, s, m, h, d, w ("90s", "2h30m", "1w").
 */
import { AsymmetricError } from '../contract/errors.ts';
import type { ClockOp } from '../contract/clock.ts';
import { parseDuration } from '../../templates/_kit/world.ts';

// The clone parses the same words when asked over its admin API: one parser for both sides.
export { parseDuration };

/** An ISO 8601 date-time with a zone (Z or ±hh:mm) or a bare date (midnight UTC), as ISO; null otherwise. */
export function parseIsoTime(text: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2}))?$/i.test(text)) return null;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

export const CLOCK_VERBS = ['set', 'advance', 'freeze', 'run'] as const;

/** `[]` shows; `set <ISO>`, `advance <duration>`, `freeze`, `run` change. `usage` is the command's prefix for hints. */
export function parseClockOp(verb: string | undefined, value: string | undefined, usage: string): ClockOp {
  if (verb === undefined) return { op: 'show' };
  switch (verb) {
    case 'set': {
      if (!value) throw new AsymmetricError('INVALID_INPUT', 'clock set needs a time', { hint: `${usage} set 2026-03-01T09:00:00Z` });
      const at = parseIsoTime(value);
      if (!at) throw new AsymmetricError('INVALID_INPUT', `${value} is not an ISO 8601 time`, { hint: `a date-time with a zone, e.g. ${usage} set 2026-03-01T09:00:00Z (or a date: 2026-03-01)` });
      return { op: 'set', at };
    }
    case 'advance': {
      if (!value) throw new AsymmetricError('INVALID_INPUT', 'clock advance needs a duration', { hint: `${usage} advance 2h (units: ms, s, m, h, d, w; e.g. 90s, 1h30m, 3d)` });
      const ms = parseDuration(value);
      if (ms === null) throw new AsymmetricError('INVALID_INPUT', `${value} is not a duration`, { hint: `units ms, s, m, h, d, w, summed: e.g. ${usage} advance 90s, 15m, 2h30m, 3d, 1w` });
      if (ms <= 0) throw new AsymmetricError('INVALID_INPUT', 'clock advance needs a duration above zero', { hint: `a clock only moves forward by advance; set it to go back: ${usage} set <ISO time>` });
      return { op: 'advance', by: `${ms}ms` };
    }
    case 'freeze':
    case 'run':
      if (value !== undefined) throw new AsymmetricError('INVALID_INPUT', `clock ${verb} takes no value (got ${value})`, { hint: `${usage} ${verb}` });
      return { op: verb };
    default:
      throw new AsymmetricError('INVALID_INPUT', `unknown clock verb ${verb}`, { hint: `${usage} [set <ISO time> | advance <duration> | freeze | run]` });
  }
}
