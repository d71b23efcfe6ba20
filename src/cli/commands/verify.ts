import { defineCommand } from 'citty';
import pc from 'picocolors';
import { AsymmetricError } from '../../contract/errors.ts';
import { verifyTemplate, type VerifyReport } from '../../verify/index.ts';
import { excludedLine, fidelityLine } from '../../verify/summary.ts';
import { verifiableTemplates } from '../../verify/verifiers.ts';
import { jsonArgs } from '../args.ts';
import { table } from '../format.ts';
import { action } from '../run.ts';

export default defineCommand({
  meta: {
    name: 'verify',
    description: "Score a template's fidelity per operation of the vendor's list: shape (documented status and body), behaviour (writes read back, filters, sorts, paging) and errors (documented error cases); prints the per-operation table",
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
            ['TEMPLATE', 'FIDELITY', 'SHAPE', 'BEHAVIOUR', 'ERRORS', 'PASS', 'IMPLEMENTED', 'REAL API', 'FAMILIES LEFT OUT'].map((h) => pc.dim(h)),
            ...reports.map((r) => {
              const p = r.fidelity.parts!;
              const pct = (x: number) => `${Math.round(x * 100)}%`;
              return [pc.bold(r.template), pct(r.fidelity.score), pct(p.shape.score), pct(p.behaviour.score), pct(p.errors.score), String(r.fidelity.operations.matched), String(r.fidelity.operations.ours), String(r.fidelity.operations.theirs), excludedLine(r.excluded, 4)];
            }),
          ])),
        );
        return;
      }
      const report = await verifyTemplate(template, { clone: args.clone || undefined, onProgress: (s) => out.progress(s) });
      const { ours, theirs, matched } = report.fidelity.operations;
      out.done(`verified ${template} in ${report.ms} ms`);
      out.result(report, () => {
        // The per-operation table: every operation of the vendor's list in scope, its three scores and first problem.
        const n = (x: number) => (x === 1 ? '1' : x === 0 ? pc.red('0') : x.toFixed(2));
        out.info(table([
          ['OPERATION', 'SHAPE', 'BEHAVIOUR', 'ERRORS', 'SCORE', 'FIRST PROBLEM'].map((h) => pc.dim(h)),
          ...report.operations.map((o) => (o.implemented ? [o.id, n(o.shape), n(o.behaviour), n(o.errors), n(o.score), (o.problems[0] ?? '').slice(0, 120)] : [pc.dim(o.id), '-', '-', '-', pc.red('0'), pc.dim('not emulated')])),
        ]));
        out.info(`${pc.bold(template)} fidelity ${pc.bold(fidelityLine(report.fidelity))}: ${matched} of ${theirs} operations hold on all three (${ours} implemented)`);
        out.info(`families of the vendor's list left out: ${excludedLine(report.excluded)}`);
        for (const f of report.failedSteps) out.warn(`step "${f.step}" failed: ${f.error}`);
      });
    });
  },
});
