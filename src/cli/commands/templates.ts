import { defineCommand } from 'citty';
import pc from 'picocolors';
import { cachedFidelity } from '../../verify/cache.ts';
import { fidelityLine } from '../../verify/summary.ts';
import { fixturesOf, listTemplates } from '../../templates/catalog.ts';
import { listPacks } from '../../worlds/packs.ts';
import { jsonArgs } from '../args.ts';
import { table } from '../format.ts';
import { action } from '../run.ts';

export default defineCommand({
  meta: { name: 'templates', description: 'List the templates that can be spun, with modes, fixture packs (and packs saved here), AI entities and last measured fidelity (asym verify)' },
  args: { ...jsonArgs },
  async run({ args }) {
    await action(args, async (out) => {
      const rows = listTemplates().map((t) => ({
        name: t.manifest.name,
        realProduct: t.manifest.realProduct,
        version: t.manifest.version,
        description: t.manifest.description,
        modes: t.manifest.modes.map((m) => m.name),
        fixtures: fixturesOf(t),
        /** Packs saved in this home (seed --save-as), loaded with --pack. */
        packs: listPacks(t.manifest.name),
        aiEntities: t.manifest.seed.ai.entities,
        defaultModel: t.manifest.seed.ai.defaultModel,
        fidelity: cachedFidelity(t.manifest.name),
      }));
      out.result(rows, () =>
        out.info(table([
          ['TEMPLATE', 'MODES', 'FIXTURES', 'AI ENTITIES', 'FIDELITY', 'DESCRIPTION'].map((h) => pc.dim(h)),
          ...rows.map((r) => [pc.bold(r.name), r.modes.join(','), [...r.fixtures, ...r.packs.map((n) => `${n} (saved)`)].join(',') || '-', r.aiEntities.join(','), r.fidelity ? fidelityLine(r.fidelity) : pc.dim('asym verify'), r.description]),
        ])),
      );
    });
  },
});
