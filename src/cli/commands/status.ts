import { defineCommand } from 'citty';
import pc from 'picocolors';
import { providerFor } from '../../providers/index.ts';
import { idArg, jsonArgs, requireId } from '../args.ts';
import { redacted, stateColour, table } from '../format.ts';
import { action } from '../run.ts';

export default defineCommand({
  meta: { name: 'status', description: 'Live health of a clone: per-service state, ports, health' },
  args: { ...idArg, ...jsonArgs },
  async run({ args }) {
    await action(args, async (out) => {
      const id = requireId(args.id, 'status');
      const provider = providerFor();
      const status = await provider.status(id);
      const clone = redacted(provider.instance(await provider.get(id)));
      out.result({ ...status, clone }, () => {
        out.info(`${pc.bold(id)} ${stateColour(status.state)} ${status.healthy ? pc.green('healthy') : pc.red('not healthy')}  ${pc.dim(clone.endpoints.api)}`);
        out.info(table([
          ['SERVICE', 'STATE', 'PORT', 'HEALTHY'].map((h) => pc.dim(h)),
          ...status.services.map((s) => [s.name, stateColour(s.state), s.port ? String(s.port) : '-', s.healthy ? pc.green('yes') : pc.red('no')]),
        ]));
        if (status.state === 'gone') out.info(pc.yellow(`its containers are gone; asym start ${id} brings them back with its data (asym destroy ${id} removes it)`));
        else if (!status.healthy && status.services.some((s) => s.state === 'missing' || s.state === 'exited')) out.info(pc.yellow(`some containers are down; asym start ${id} brings them back with its data`));
      });
    });
  },
});
