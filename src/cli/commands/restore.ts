import { defineCommand } from 'citty';
import { AsymmetricError } from '../../contract/errors.ts';
import { providerFor } from '../../providers/index.ts';
import { idArg, jsonArgs, requireId } from '../args.ts';
import { action } from '../run.ts';

export default defineCommand({
  meta: { name: 'restore', description: 'Put a clone back exactly as a named snapshot left it (database and Redis)' },
  args: { ...idArg, name: { type: 'positional', required: false, description: 'Snapshot name' }, ...jsonArgs },
  async run({ args }) {
    await action(args, async (out) => {
      const id = requireId(args.id, 'restore');
      if (!args.name) throw new AsymmetricError('INVALID_INPUT', 'missing snapshot name', { hint: 'asym restore <id> <name> (asym snapshot ls <id>)' });
      const started = performance.now();
      await providerFor({ onProgress: (s) => out.progress(s) }).restore(id, args.name);
      const ms = Math.round(performance.now() - started);
      out.result({ id, name: args.name, ms }, () => out.info(`${id} restored to ${args.name} (${ms} ms)`));
    });
  },
});
