import { defineCommand } from 'citty';
import { providerFor } from '../../providers/index.ts';
import { idArg, jsonArgs, requireId } from '../args.ts';
import { action } from '../run.ts';

export default defineCommand({
  meta: { name: 'reset', description: 'Return a clone to its state right after spin (and seed): data restored, Redis cleared, tokens kept' },
  args: { ...idArg, ...jsonArgs },
  async run({ args }) {
    await action(args, async (out) => {
      const id = requireId(args.id, 'reset');
      const started = performance.now();
      await providerFor({ onProgress: (s) => out.progress(s) }).reset(id);
      const ms = Math.round(performance.now() - started);
      out.result({ id, reset: true, ms }, () => out.info(`${id} reset (${ms} ms)`));
    });
  },
});
