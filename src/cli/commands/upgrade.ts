import { defineCommand } from 'citty';
import { providerFor } from '../../providers/index.ts';
import { idArg, jsonArgs, requireId } from '../args.ts';
import { action } from '../run.ts';

export default defineCommand({
  meta: { name: 'upgrade', description: 'Repin a clone to the current image (pull or rebuild), keep its data, apply new migrations' },
  args: { ...idArg, ...jsonArgs },
  async run({ args }) {
    await action(args, async (out) => {
      const id = requireId(args.id, 'upgrade');
      const result = await providerFor({ onProgress: (s) => out.progress(s) }).upgrade(id);
      out.done(result.changed ? 'upgraded' : 'already current');
      out.result(result, () => out.info(result.changed ? `${id}: ${result.from ?? '?'} → ${result.to}` : `${id} already runs ${result.to}`));
    });
  },
});
