import { defineCommand } from 'citty';
import { providerFor } from '../../providers/index.ts';
import { idArg, jsonArgs, requireId } from '../args.ts';
import { redacted } from '../format.ts';
import { action } from '../run.ts';

export default defineCommand({
  meta: { name: 'start', description: 'Start a stopped clone (data kept) and wait until healthy' },
  args: { ...idArg, ...jsonArgs },
  async run({ args }) {
    await action(args, async (out) => {
      const id = requireId(args.id, 'start');
      const provider = providerFor({ onProgress: (s) => out.progress(s) });
      await provider.start(id);
      out.done('started');
      const record = redacted(await provider.get(id));
      out.result({ id, state: record.state }, () => out.info(`${id} is ${record.state}`));
    });
  },
});
