import { defineCommand } from 'citty';
import pc from 'picocolors';
import { ensureEngine, imageExists } from '../../providers/local.ts';
import { buildBase, planBuildBase, type BuildBasePlan } from '../../images/base-images.ts';
import { resolveSettings } from '../../settings/settings.ts';
import { jsonArgs } from '../args.ts';
import { table } from '../format.ts';
import type { Output } from '../output.ts';
import { action } from '../run.ts';
import { requireLocal } from '../../providers/index.ts';

const BASE_KEYS = ['postgresImage', 'redisImage', 'bunImage'] as const;

function printPlan(out: Output, plan: BuildBasePlan): void {
  out.info(`key ${plan.key ?? pc.dim('unknown (no bun)')}, bun ${plan.bun.version ?? '-'} ${pc.dim(plan.bun.path ?? '')}`);
  out.info(table([
    ['IMAGE', 'KEY', ''].map((h) => pc.dim(h)),
    ...plan.images.map((i) => [i.ref, i.key ?? pc.dim('absent'), i.upToDate ? pc.green('up to date') : pc.yellow('to build')]),
  ]));
  out.info(plan.upToDate ? 'a run builds nothing:' : 'a run would:');
  for (const s of plan.steps) out.info(`  - ${s}`);
  for (const p of plan.problems) out.warn(`${p.message} ${pc.dim(`[${p.code}]`)}${p.hint ? `\n  ${pc.dim('→')} ${p.hint}` : ''}`);
}

/** Env vars that override a recorded image with a different one. */
function overridden(recorded: Record<(typeof BASE_KEYS)[number], string>): string[] {
  const s = resolveSettings();
  return BASE_KEYS.filter((k) => s[k].source === 'env' && s[k].value !== recorded[k]).map((k) => `${s[k].env}=${s[k].value}`);
}

const buildBaseCmd = defineCommand({
  meta: {
    name: 'build-base',
    description: 'Build stand-in Postgres, Redis and Bun base images from Debian packages (Debian/Ubuntu, root; about a minute, once per machine) and record them in the settings; --dry-run shows what it would do',
  },
  args: { 'dry-run': { type: 'boolean', description: 'Only show the plan (and what is missing), change nothing' }, ...jsonArgs },
  async run({ args }) {
    await action(args, async (out) => {
      requireLocal('images');
      if (args['dry-run']) {
        const { plan } = await planBuildBase();
        out.result({ dryRun: true, ...plan }, () => printPlan(out, plan));
        if (plan.problems.length) process.exitCode = 1;
        return;
      }
      out.progress('checking the base images');
      const r = await buildBase((line) => out.progress(line));
      out.done(r.built ? `built ${Object.values(r.plan.settings).join(', ')} in ${(r.ms / 1000).toFixed(0)} s` : `the three base images are up to date (key ${r.plan.key}); nothing was built`);
      out.result({ dryRun: false, built: r.built, ms: r.ms, key: r.plan.key, settings: r.plan.settings }, () => out.info('recorded in the settings (asym settings shows them)'));
      for (const env of overridden(r.plan.settings)) out.warn(`${env} is set in the environment and overrides the recorded image`);
    });
  },
});

export default defineCommand({
  meta: { name: 'images', description: 'The base images asym runs on (from asym settings) and whether each is on this machine; asym images build-base builds stand-ins' },
  args: { ...jsonArgs },
  subCommands: { 'build-base': buildBaseCmd },
  async run({ args }) {
    if (args._.length) return; // a subcommand ran
    await action(args, async (out) => {
      requireLocal('images');
      await ensureEngine();
      const s = resolveSettings();
      const rows = await Promise.all(BASE_KEYS.map(async (k) => ({ setting: k, ref: s[k].value, source: s[k].source, present: await imageExists(s[k].value) })));
      out.result(rows, () => {
        out.info(table([
          ['SETTING', 'IMAGE', 'FROM', 'ON THIS MACHINE'].map((h) => pc.dim(h)),
          ...rows.map((r) => [r.setting, r.ref, pc.dim(r.source), r.present ? pc.green('yes') : pc.yellow('no')]),
        ]));
        if (rows.some((r) => !r.present)) out.info(pc.dim('missing ones are pulled on first use (pull=auto); with no registry: asym images build-base'));
      });
    });
  },
});
