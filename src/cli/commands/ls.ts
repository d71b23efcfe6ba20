import { defineCommand } from 'citty';
import pc from 'picocolors';
import { readRegistry } from '../../registry/registry.ts';
import { endpointsOf } from '../../docker/provider.ts';
import { getTemplate } from '../../templates/catalog.ts';
import { jsonArgs } from '../args.ts';
import { redacted, stateColour, table } from '../format.ts';
import { action } from '../run.ts';

export default defineCommand({
  meta: { name: 'ls', description: 'List clones (persisted state; asym status <id> checks live health)' },
  args: { ...jsonArgs },
  async run({ args }) {
    await action(args, async (out) => {
      const clones = readRegistry().clones.map((c) => {
        let endpoints = { api: '', web: null as string | null };
        try {
          endpoints = endpointsOf(c, getTemplate(c.template));
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
