import { defineCommand } from 'citty';
import pc from 'picocolors';
import { AsymmetricError } from '../../contract/errors.ts';
import { LogOptionsSchema, type LogLine } from '../../contract/status.ts';
import { providerFor } from '../../providers/index.ts';
import { idArg, jsonArgs, parseInput, requireId } from '../args.ts';
import { action } from '../run.ts';
import { onInterrupt } from '../../process/interrupt.ts';
import { toJson } from '../terminal.ts';

export default defineCommand({
  meta: { name: 'logs', description: 'Show a clone’s logs. With --json: an array of lines; with --json --follow: one JSON line per log line' },
  args: {
    ...idArg,
    follow: { type: 'boolean', alias: 'f', description: 'Keep streaming until Ctrl-C' },
    tail: { type: 'string', description: 'Only the last N lines of each service' },
    since: { type: 'string', description: 'Only lines since a duration (10m) or an ISO timestamp' },
    service: { type: 'string', description: 'Only this service' },
    ...jsonArgs,
  },
  async run({ args }) {
    await action(args, async (out) => {
      const id = requireId(args.id, 'logs');
      if (args.tail !== undefined && !/^\d+$/.test(args.tail)) throw new AsymmetricError('INVALID_INPUT', `--tail ${args.tail} is not a number`);
      const opts = parseInput(LogOptionsSchema, JSON.parse(JSON.stringify({
        follow: args.follow || undefined,
        tail: args.tail === undefined ? undefined : Number(args.tail),
        since: args.since,
        service: args.service,
      })), 'log options');
      const controller = new AbortController();
      const unsubscribe = onInterrupt(() => controller.abort());
      const lines: LogLine[] = [];
      try {
        for await (const line of providerFor().logs(id, { ...opts, signal: controller.signal })) {
          if (out.json && !opts.follow) lines.push(line);
          else if (out.json) process.stdout.write(`${toJson(line)}\n`);
          else process.stdout.write(`${pc.cyan(line.service)} ${pc.dim(line.timestamp?.slice(11, 23) ?? '')} ${line.text}\n`);
        }
      } finally {
        unsubscribe();
      }
      if (out.json && !opts.follow) out.result(lines);
    }, { endsOnInterrupt: true });
  },
});
