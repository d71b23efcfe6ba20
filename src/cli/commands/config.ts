import { defineCommand } from 'citty';
import { AsymmetricError } from '../../contract/errors.ts';
import { providerFor } from '../../providers/index.ts';
import { idArg, jsonArgs, requireId } from '../args.ts';
import { action } from '../run.ts';

export default defineCommand({
  meta: {
    name: 'config',
    description: 'Show or change a running clone’s settings, e.g. asym config <id> \'{"rateLimits":{"enabled":true}}\' or --events-url URL (Slack)',
  },
  args: {
    ...idArg,
    patch: { type: 'positional', required: false, description: 'A JSON object merged into the settings' },
    'events-url': { type: 'string', description: 'Slack: deliver Events API callbacks to this Request URL; Linear: webhook URL' },
    ...jsonArgs,
  },
  async run({ args }) {
    await action(args, async (out) => {
      const id = requireId(args.id, 'config');
      let patch: Record<string, unknown> = {};
      if (args.patch) {
        try {
          patch = JSON.parse(args.patch);
        } catch {
          throw new AsymmetricError('INVALID_INPUT', 'the settings patch is not JSON', { hint: `e.g. asym config ${id} '{"rateLimits":{"enabled":true}}'` });
        }
        if (!patch || typeof patch !== 'object' || Array.isArray(patch)) throw new AsymmetricError('INVALID_INPUT', 'the settings patch must be a JSON object');
      }
      if (args['events-url']) {
        const tpl = (await providerFor().get(id)).template;
        if (tpl !== 'slack' && tpl !== 'linear') throw new AsymmetricError('INVALID_INPUT', '--events-url applies to Slack and Linear clones');
        patch = { ...patch, events: { ...((patch.events as object) ?? {}), requestUrl: args['events-url'] } };
      }
      const result = await providerFor().config(id, patch);
      out.result(result, () => out.info(JSON.stringify(result, null, 2)));
    });
  },
});
