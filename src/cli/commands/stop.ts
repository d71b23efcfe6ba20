import { defineCommand } from 'citty';
import { providerFor } from '../../providers/index.ts';
import { idArg, jsonArgs, requireId } from '../args.ts';
import { redacted } from '../format.ts';
import { action } from '../run.ts';

export default defineCommand({
  meta: { name: 'stop', description: 'Stop a clone’s containers; its data is kept' },
  args: { ...idArg, ...jsonArgs },
  async run({ args }) {
    await action(args, async (out) => {
      const id = requireId(args.id, 'stop');
      const provider = providerFor({ onProgress: (s) => out.progress(s) });
      await provider.stop(id);
      out.done('stopped');
      const record = redacted(await provider.get(id));
      out.result({ id, state: record.state }, () => out.info(`${id} is ${record.state}`));
    });
  },
});
