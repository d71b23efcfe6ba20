import { defineCommand } from 'citty';
import pc from 'picocolors';
import { providerFor } from '../../providers/index.ts';
import { jsonArgs } from '../args.ts';
import { redacted, stateColour, table } from '../format.ts';
import { action } from '../run.ts';

export default defineCommand({
  meta: { name: 'ls', description: 'List clones (persisted state; asym status <id> checks live health)' },
  args: { ...jsonArgs },
  async run({ args }) {
    await action(args, async (out) => {
      const provider = providerFor();
      const clones = (await provider.list()).map((c) => {
        let endpoints = { api: '', web: null as string | null };
        try {
          endpoints = provider.instance(c).endpoints;
        } catch {}
        return { ...redacted(c), endpoints };
      });
      out.result(clones, () => {
        if (!clones.length) return out.info(pc.dim('no clones; create one with asym spin'));
        out.info(table([
          ['ID', 'TEMPLATE', 'MODE', 'STATE', 'API', 'CREATED'].map((h) => pc.dim(h)),
          ...clones.map((c) => [pc.bold(c.id), c.template, c.mode, stateColour(c.state), c.endpoints.api, c.createdAt.slice(0, 19).replace('T', ' ')]),
        ]));
      });
    });
  },
});
