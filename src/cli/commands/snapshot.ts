import { defineCommand } from 'citty';
import pc from 'picocolors';
import { AsymmetricError } from '../../contract/errors.ts';
import { providerFor } from '../../providers/index.ts';

import { jsonArgs, requireId } from '../args.ts';
import { table } from '../format.ts';
import { action } from '../run.ts';

export default defineCommand({
  meta: { name: 'snapshot', description: 'asym snapshot <id> <name> | asym snapshot ls <id> | asym snapshot rm <id> <name>' },
  args: {
    a: { type: 'positional', required: false, description: 'clone id, or ls / rm' },
    b: { type: 'positional', required: false, description: 'snapshot name, or clone id after ls / rm' },
    c: { type: 'positional', required: false, description: 'snapshot name after rm' },
    ...jsonArgs,
  },
  async run({ args }) {
    await action(args, async (out) => {
      if (args.a === 'ls') {
        // ls takes one argument fewer than the other forms, which the parser cannot know.
        if (args.c) throw new AsymmetricError('INVALID_INPUT', `unexpected argument ${args.c} for asym snapshot ls`, { hint: 'asym snapshot ls <id>' });
        const id = requireId(args.b, 'snapshot ls');
        const snaps = await providerFor().listSnapshots(id);
        out.result(snaps, () =>
          out.info(snaps.length ? table([['NAME', 'CREATED', 'REDIS KEYS'].map((h) => pc.dim(h)), ...snaps.map((s) => [s.name, s.createdAt, String(s.redisKeys)])]) : pc.dim('no snapshots')),
        );
        return;
      }
      if (args.a === 'rm') {
        const id = requireId(args.b, 'snapshot rm');
        if (!args.c) throw new AsymmetricError('INVALID_INPUT', 'missing snapshot name', { hint: 'asym snapshot rm <id> <name>' });
        await providerFor({ onProgress: (s) => out.progress(s) }).removeSnapshot(id, args.c);
        out.result({ id, name: args.c, removed: true }, () => out.info(`snapshot ${args.c} of ${id} removed`));
        return;
      }
      const id = requireId(args.a, 'snapshot');
      if (!args.b) throw new AsymmetricError('INVALID_INPUT', 'missing snapshot name', { hint: 'asym snapshot <id> <name>' });
      const started = performance.now();
      await providerFor({ onProgress: (s) => out.progress(s) }).snapshot(id, args.b);
      const ms = Math.round(performance.now() - started);
      out.result({ id, name: args.b, ms }, () => out.info(`snapshot ${args.b} of ${id} taken (${ms} ms)`));
    });
  },
});
