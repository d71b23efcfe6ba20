import { defineCommand } from 'citty';
import pc from 'picocolors';
import type { ClockReading } from '../../contract/clock.ts';
import { providerFor } from '../../providers/index.ts';
import { parseClockOp } from '../../worlds/clock.ts';
import { idArg, jsonArgs, requireId } from '../args.ts';
import { action } from '../run.ts';

export const clockWords = {
  verb: { type: 'positional', required: false, description: 'set <ISO time> | advance <duration> | freeze | run (none: show it)' },
  value: { type: 'positional', required: false, description: 'The time for set (e.g. 2026-03-01T09:00:00Z), the duration for advance (90s, 15m, 2h, 3d, 1w)' },
} as const;

/** "+3d 2h ahead" style: how far the clone's time is from the wall clock. */
export function offsetText(ms: number): string {
  const abs = Math.abs(ms);
  if (abs < 1000) return 'with the wall clock';
  const parts: string[] = [];
  let left = Math.round(abs / 1000);
  for (const [unit, secs] of [['d', 86_400], ['h', 3_600], ['m', 60], ['s', 1]] as const) {
    if (left >= secs && parts.length < 2) {
      parts.push(`${Math.floor(left / secs)}${unit}`);
      left %= secs;
    }
  }
  return `${parts.join(' ')} ${ms > 0 ? 'ahead of' : 'behind'} the wall clock`;
}

export function clockLine(r: ClockReading): string {
  return `${pc.bold(r.id)} ${r.at} ${r.frozen ? pc.cyan('frozen') : pc.green('running')} ${pc.dim(`(${offsetText(r.offsetMs)}; world start ${r.world.start})`)}`;
}

export default defineCommand({
  meta: {
    name: 'clock',
    description: 'Show or move a clone’s clock: asym clock <id> [set <ISO time> | advance <duration> | freeze | run]',
  },
  args: { ...idArg, ...clockWords, ...jsonArgs },
  async run({ args }) {
    await action(args, async (out) => {
      const id = requireId(args.id, 'clock');
      const op = parseClockOp(args.verb, args.value, `asym clock ${id}`);
      const reading = await providerFor().clock(id, op);
      out.result(reading, () => out.info(clockLine(reading)));
    });
  },
});
