import { defineCommand } from 'citty';
import pc from 'picocolors';
import { AsymmetricError } from '../../contract/errors.ts';
import { verifyTemplate } from '../../verify/index.ts';
import { jsonArgs } from '../args.ts';
import { table } from '../format.ts';
import { action } from '../run.ts';

export default defineCommand({
  meta: {
    name: 'verify',
    description: "Score a template's fidelity: its official SDK drives a live clone through every operation and each answer is checked against the vendor's shapes",
  },
  args: {
    template: { type: 'positional', required: false, description: 'Template to verify (see asym templates)' },
    clone: { type: 'string', description: 'Verify against this running clone (it gets written to) instead of a throwaway one' },
    ...jsonArgs,
  },
  async run({ args }) {
    await action(args, async (out) => {
      const template = typeof args.template === 'string' ? args.template : '';
      if (!template) throw new AsymmetricError('INVALID_INPUT', 'asym verify needs a template', { hint: 'asym verify slack (see asym templates)' });
      const report = await verifyTemplate(template, { clone: args.clone || undefined, onProgress: (s) => out.progress(s) });
      const { ours, theirs, matched } = report.fidelity.operations;
      out.done(`verified ${template} in ${report.ms} ms`);
      out.result(report, () => {
        const failing = report.operations.filter((o) => o.implemented && !o.matched);
        out.info(`${pc.bold(template)} fidelity ${pc.bold(`${Math.round(report.fidelity.score * 100)}%`)}: ${matched} of ${theirs} operations pass (${ours} implemented)`);
        if (failing.length) {
          out.info(table([
            ['OPERATION', 'PROBLEM'].map((h) => pc.dim(h)),
            ...failing.map((o) => [o.id, o.problems[0] ?? '']),
          ]));
        }
        for (const f of report.failedSteps) out.warn(`step "${f.step}" failed: ${f.error}`);
      });
    });
  },
});
