import { defineCommand } from 'citty';
import { AsymmetricError } from '../../contract/errors.ts';
import { providerFor } from '../../providers/index.ts';
import { idArg, jsonArgs, requireId } from '../args.ts';
import { action } from '../run.ts';
import { seedArgs, seedFromArgs } from './spin.ts';

export default defineCommand({
  meta: { name: 'seed', description: 'Load a fixture pack (--fixture NAME), a saved pack (--pack NAME) or AI-generated data (--ai) into a running clone' },
  args: {
    ...idArg,
    ...seedArgs,
    force: { type: 'boolean', description: 'Clear previously seeded data and load the fixture pack again' },
    'save-as': { type: 'string', description: 'Then save the seeded state as a pack of this home (--pack NAME replays it without the model)', valueHint: 'NAME' },
    ...jsonArgs,
  },
  async run({ args }) {
    await action(args, async (out) => {
      const id = requireId(args.id, 'seed');
      const spec = seedFromArgs(args);
      if (!spec) throw new AsymmetricError('INVALID_INPUT', 'nothing to seed', { hint: 'pass --fixture NAME, --pack NAME or --ai' });
      const saveAs = args['save-as'];
      const result = await providerFor({ onProgress: (s) => out.progress(s) }).seed(id, spec, { force: Boolean(args.force), ...(saveAs ? { saveAs } : {}) });
      out.done('seeded');
      out.result(result, () => {
        out.info(`wrote ${result.written} records, rejected ${result.rejected}`);
        for (const w of result.warnings) out.warn(w);
      });
    });
  },
});
