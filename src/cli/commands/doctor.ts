import { defineCommand } from 'citty';
import pc from 'picocolors';
import { runDoctor } from '../../providers/local.ts';
import { jsonArgs } from '../args.ts';
import { action } from '../run.ts';
import { requireLocal } from '../../providers/index.ts';

export default defineCommand({
  meta: { name: 'doctor', description: 'Check Docker, Compose, infra and the registry; find gone clones and orphans (--fix removes them)' },
  args: { fix: { type: 'boolean', description: 'Remove gone clones’ leftovers and orphaned resources' }, ...jsonArgs },
  async run({ args }) {
    await action(args, async (out) => {
      requireLocal('doctor');
      const report = await runDoctor({ fix: Boolean(args.fix) });
      if (!report.ok) process.exitCode = 1;
      out.result(report, () => {
        for (const c of report.checks) out.info(`${c.ok ? pc.green('✔') : pc.red('✖')} ${c.name.padEnd(9)} ${c.detail}`);
        if (!report.findings.length) return out.info(pc.green('no problems found'));
        for (const f of report.findings) out.info(`${f.fixed ? pc.green('fixed') : pc.yellow('found')} ${f.kind} ${pc.bold(f.target)} ${pc.dim(f.detail)}`);
        if (!args.fix) out.info(pc.dim('run asym doctor --fix to clean these up'));
      });
    });
  },
});
