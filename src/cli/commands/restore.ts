import { defineCommand } from 'citty';
import { AsymmetricError } from '../../contract/errors.ts';
import { providerFor } from '../../providers/index.ts';
import { idArg, jsonArgs, requireId } from '../args.ts';
import { action } from '../run.ts';

export default defineCommand({
  meta: { name: 'restore', description: 'Put a clone back exactly as a named snapshot left it (database and Redis), or as a snapshot file holds it (--from FILE)' },
  args: {
    ...idArg,
    name: { type: 'positional', required: false, description: 'Snapshot name' },
    from: { type: 'string', description: 'A snapshot file (asym snapshot export) of the same template and world; the clone keeps its tokens', valueHint: 'FILE' },
    ...jsonArgs,
  },
  async run({ args }) {
    await action(args, async (out) => {
      const id = requireId(args.id, 'restore');
      if (args.from !== undefined) {
        if (args.name) throw new AsymmetricError('INVALID_INPUT', 'give a snapshot name or --from FILE, not both', { hint: 'asym restore <id> --from FILE' });
        const result = await providerFor({ onProgress: (s) => out.progress(s) }).restoreFrom(id, args.from);
        out.result(result, () => out.info(`${id} restored from ${result.file} (${result.ms} ms${result.migrated.length ? `; migrated forward: ${result.migrated.join(', ')}` : ''})`));
        return;
      }
      if (!args.name) throw new AsymmetricError('INVALID_INPUT', 'missing snapshot name', { hint: 'asym restore <id> <name> (asym snapshot ls <id>), or asym restore <id> --from FILE' });
      const started = performance.now();
      await providerFor({ onProgress: (s) => out.progress(s) }).restore(id, args.name);
      const ms = Math.round(performance.now() - started);
      out.result({ id, name: args.name, ms }, () => out.info(`${id} restored to ${args.name} (${ms} ms)`));
    });
  },
});
