import { defineCommand } from 'citty';
import { providerFor } from '../../providers/index.ts';
import { getClone } from '../../registry/registry.ts';
import { idArg, jsonArgs, requireId } from '../args.ts';
import { redacted } from '../format.ts';
import { action } from '../run.ts';

export default defineCommand({
  meta: { name: 'stop', description: 'Stop a clone’s containers; its data is kept' },
  args: { ...idArg, ...jsonArgs },
  async run({ args }) {
    await action(args, async (out) => {
      const id = requireId(args.id, 'stop');
      await providerFor({ onProgress: (s) => out.progress(s) }).stop(id);
      out.done('stopped');
      const record = redacted(getClone(id));
      out.result({ id, state: record.state }, () => out.info(`${id} is ${record.state}`));
    });
  },
});
