import { defineCommand } from 'citty';
import pc from 'picocolors';
import { AsymmetricError } from '../../contract/errors.ts';
import { providerFor } from '../../providers/index.ts';

import { jsonArgs, requireId } from '../args.ts';
import { table } from '../format.ts';
import { action } from '../run.ts';

export default defineCommand({
  meta: { name: 'snapshot', description: 'asym snapshot <id> <name> | asym snapshot ls <id> | asym snapshot rm <id> <name> | asym snapshot export <id> <name> -o FILE' },
  args: {
    a: { type: 'positional', required: false, description: 'clone id, or ls / rm / export' },
    b: { type: 'positional', required: false, description: 'snapshot name, or clone id after ls / rm / export' },
    c: { type: 'positional', required: false, description: 'snapshot name after rm / export' },
    output: { type: 'string', alias: 'o', description: 'export: the file to write (its folder must exist; written whole or not at all)', valueHint: 'FILE' },
    ...jsonArgs,
  },
  async run({ args }) {
    await action(args, async (out) => {
      if (args.output !== undefined && args.a !== 'export') throw new AsymmetricError('INVALID_INPUT', '-o belongs to snapshot export', { hint: 'asym snapshot export <id> <name> -o FILE' });
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
      if (args.a === 'export') {
        const id = requireId(args.b, 'snapshot export');
        if (!args.c) throw new AsymmetricError('INVALID_INPUT', 'missing snapshot name', { hint: 'asym snapshot export <id> <name> -o FILE (take one first: asym snapshot <id> <name>)' });
        if (!args.output) throw new AsymmetricError('INVALID_INPUT', 'missing -o FILE', { hint: `asym snapshot export ${id} ${args.c} -o ${args.c}.asym` });
        const result = await providerFor({ onProgress: (s) => out.progress(s) }).exportSnapshot(id, args.c, args.output);
        out.result(result, () => out.info(`snapshot ${args.c} of ${id} written to ${result.file} (${(result.bytes / 1024).toFixed(1)} KiB, ${result.ms} ms)`));
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
