import { defineCommand } from 'citty';
import { AsymmetricError } from '../../contract/errors.ts';
import { providerFor } from '../../providers/index.ts';
import { idArg, jsonArgs, requireId } from '../args.ts';
import { action } from '../run.ts';

export default defineCommand({
  meta: { name: 'fork', description: 'N new clones from one clone’s current state (a database copy, not a re-seed), made in parallel' },
  args: {
    ...idArg,
    count: { type: 'string', alias: 'n', description: 'How many forks (1-100)', valueHint: 'N' },
    prefix: { type: 'string', description: 'Fork names are <prefix>-1 … <prefix>-N (default <id>-<4 random>)', valueHint: 'P' },
    ...jsonArgs,
  },
  async run({ args }) {
    await action(args, async (out) => {
      const id = requireId(args.id, 'fork');
      const n = args.count === undefined ? 1 : Number(args.count);
      if (!/^\d+$/.test(String(args.count ?? '1'))) throw new AsymmetricError('INVALID_INPUT', `-n must be a number, not ${JSON.stringify(args.count)}`, { hint: 'asym fork <id> -n 10' });
      const result = await providerFor({ onProgress: (s) => out.progress(s) }).fork(id, n, args.prefix ? { prefix: args.prefix } : {});
      out.result(result, () => {
        for (const c of result.clones) out.info(`${c.id}  ${c.endpoints.api}`);
        out.info(`${result.clones.length} fork(s) of ${id} in ${result.ms} ms`);
      });
    });
  },
});
