import { defineCommand } from 'citty';
import pc from 'picocolors';
import { AsymmetricError } from '../../contract/errors.ts';
import { verifyTemplate, type VerifyReport } from '../../verify/index.ts';
import { verifiableTemplates } from '../../verify/verifiers.ts';
import { jsonArgs } from '../args.ts';
import { table } from '../format.ts';
import { action } from '../run.ts';

export default defineCommand({
  meta: {
    name: 'verify',
    description: "Score a template's fidelity: its official SDK drives a live clone through every operation and each answer is checked against the vendor's shapes",
  },
  args: {
    template: { type: 'positional', required: false, description: 'Template to verify (see asym templates); none: every template that has checks' },
    clone: { type: 'string', description: 'Verify against this running clone (it gets written to) instead of a throwaway one' },
    ...jsonArgs,
  },
  async run({ args }) {
    await action(args, async (out) => {
      const template = typeof args.template === 'string' ? args.template : '';
      if (!template) {
        if (args.clone) throw new AsymmetricError('INVALID_INPUT', '--clone needs the template too', { hint: 'asym verify <template> --clone <id>' });
        // Every template, one throwaway clone each; a failure of one does not hide the others.
        const reports: VerifyReport[] = [];
        for (const t of verifiableTemplates()) reports.push(await verifyTemplate(t, { onProgress: (s) => out.progress(s) }));
        out.done(`verified ${reports.length} templates`);
        out.result(reports, () =>
          out.info(table([
            ['TEMPLATE', 'FIDELITY', 'PASS', 'IMPLEMENTED', 'REAL API', 'FAILING'].map((h) => pc.dim(h)),
            ...reports.map((r) => [pc.bold(r.template), `${Math.round(r.fidelity.score * 100)}%`, String(r.fidelity.operations.matched), String(r.fidelity.operations.ours), String(r.fidelity.operations.theirs), r.operations.filter((o) => o.implemented && !o.matched).map((o) => o.id).join(', ') || '-']),
          ])),
        );
        return;
      }
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
