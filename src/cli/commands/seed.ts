import { defineCommand } from 'citty';
import { AsymmetricError } from '../../contract/errors.ts';
import { providerFor } from '../../providers/index.ts';
import { idArg, jsonArgs, requireId } from '../args.ts';
import { action } from '../run.ts';
import { seedArgs, seedFromArgs } from './spin.ts';

export default defineCommand({
  meta: { name: 'seed', description: 'Load a fixture pack (--fixture NAME) or AI-generated data (--ai) into a running clone' },
  args: { ...idArg, ...seedArgs, force: { type: 'boolean', description: 'Clear previously seeded data and load the fixture pack again' }, ...jsonArgs },
  async run({ args }) {
    await action(args, async (out) => {
      const id = requireId(args.id, 'seed');
      const spec = seedFromArgs(args);
      if (!spec) throw new AsymmetricError('INVALID_INPUT', 'nothing to seed', { hint: 'pass --fixture NAME or --ai' });
      const result = await providerFor({ onProgress: (s) => out.progress(s) }).seed(id, spec, { force: Boolean(args.force) });
      out.done('seeded');
      out.result(result, () => {
        out.info(`wrote ${result.written} records, rejected ${result.rejected}`);
        for (const w of result.warnings) out.warn(w);
      });
    });
  },
});
