import * as p from '@clack/prompts';
import { defineCommand } from 'citty';
import { AsymmetricError } from '../../contract/errors.ts';
import { providerFor } from '../../providers/index.ts';
import { idArg, jsonArgs, requireId } from '../args.ts';
import { action } from '../run.ts';

export default defineCommand({
  meta: { name: 'destroy', description: 'Remove a clone: containers, database, Redis keys, snapshots. Asks on a terminal; elsewhere needs --yes.' },
  args: { ...idArg, yes: { type: 'boolean', alias: 'y', description: 'Do not ask for confirmation' }, ...jsonArgs },
  async run({ args }) {
    await action(args, async (out) => {
      const id = requireId(args.id, 'destroy');
      // Off a terminal (or with --json) nobody can answer, and silence is not a yes.
      if (!out.interactive && !args.yes) {
        throw new AsymmetricError('INVALID_INPUT', 'destroy needs --yes when it cannot ask (no terminal, or --json)', { hint: `asym destroy ${id} --yes` });
      }
      const provider = providerFor({ onProgress: (s) => out.progress(s) });
      await provider.get(id); // unknown ids fail before the question
      if (out.interactive && !args.yes) {
        const ok = await p.confirm({ message: `Destroy clone ${id} and all its data?`, initialValue: false, output: process.stderr });
        if (p.isCancel(ok) || !ok) throw new AsymmetricError('CANCELLED', 'nothing was destroyed');
      }
      await provider.destroy(id);
      out.done('destroyed');
      out.result({ id, destroyed: true }, () => out.info(`${id} destroyed`));
    });
  },
});
