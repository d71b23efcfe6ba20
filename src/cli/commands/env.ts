import * as p from '@clack/prompts';
import { defineCommand } from 'citty';
import pc from 'picocolors';
import { AsymmetricError } from '../../contract/errors.ts';
import type { EnvironmentResult } from '../../contract/environment.ts';
import type { EnvOptions } from '../../env/environments.ts';
import { jsonArgs } from '../args.ts';
import { printInstance, stateColour, table } from '../format.ts';
import type { Output } from '../output.ts';
import { action } from '../run.ts';
import { environmentsFor } from '../../providers/index.ts';
import { shellExports } from '../../tools/tool-env.ts';
import { parseClockOp } from '../../worlds/clock.ts';
import { clockLine, clockWords } from './clock.ts';

const nameArg = { name: { type: 'positional', description: 'Environment name (asym env ls lists them)', required: false } } as const;

function requireName(name: unknown, verb: string): string {
  if (typeof name !== 'string' || !name) {
    throw new AsymmetricError('INVALID_INPUT', 'missing environment name', { hint: `usage: asym env ${verb} <name> (asym env ls lists environments)` });
  }
  return name;
}

/** Progress per member on stderr; a line per member once it is done. */
function memberProgress(out: Output): EnvOptions {
  return {
    onProgress: (clone, step) => out.progress(`${clone}: ${step}`),
    onMember: (clone, act, err) => {
      if (act === 'failed') {
        out.done();
        out.warn(`${clone}: ${err?.message ?? 'failed'}${err ? pc.dim(` [${err.code}]`) : ''}`);
      } else out.done(`${clone}: ${act}`);
    },
  };
}

/** The result is printed either way; a member that failed makes the exit code non-zero. */
function settle(out: Output, results: EnvironmentResult[]): void {
  const bad = results.filter((r) => !r.ok);
  if (!bad.length) return;
  if (!out.json) out.warn(`${bad.length} of ${results.length} members failed: ${bad.map((r) => r.clone).join(', ')}`);
  process.exitCode = 1;
}

const up = defineCommand({
  meta: { name: 'up', description: 'Spin every clone of environment.yaml not yet there, start stopped ones (idempotent)' },
  args: { file: { type: 'string', alias: 'f', description: 'Environment file (default: ./environment.yaml)' }, ...jsonArgs },
  async run({ args }) {
    await action(args, async (out) => {
      const r = await environmentsFor().up(args.file, memberProgress(out));
      out.result(r, () => {
        out.info(`${pc.bold(r.environment.name)} is ${stateColour(r.environment.state)}`);
        for (const c of r.clones) {
          if (c.state === 'running') printInstance(c);
          else out.info(`${pc.bold(c.id)} ${stateColour(c.state)}${c.error ? pc.dim(` ${c.error}`) : ''}`);
        }
      });
      settle(out, r.results);
    });
  },
});

const down = defineCommand({
  meta: { name: 'down', description: 'Stop every clone of an environment (data kept); --destroy removes them and the environment' },
  args: {
    ...nameArg,
    destroy: { type: 'boolean', description: 'Destroy the clones and the environment instead of stopping them' },
    yes: { type: 'boolean', alias: 'y', description: 'Do not ask for confirmation (--destroy; needed off a terminal)' },
    ...jsonArgs,
  },
  async run({ args }) {
    await action(args, async (out) => {
      const name = requireName(args.name, 'down');
      if (args.destroy && !out.interactive && !args.yes) {
        throw new AsymmetricError('INVALID_INPUT', 'env down --destroy needs --yes when it cannot ask (no terminal, or --json)', { hint: `asym env down ${name} --destroy --yes` });
      }
      const envs = environmentsFor();
      const env = await envs.get(name); // unknown names fail before the question
      if (args.destroy && out.interactive && !args.yes) {
        const ok = await p.confirm({ message: `Destroy environment ${name} and its ${env.members.length} clone(s) with all their data?`, initialValue: false, output: process.stderr });
        if (p.isCancel(ok) || !ok) throw new AsymmetricError('CANCELLED', 'nothing was destroyed');
      }
      const r = await envs.down(name, { ...memberProgress(out), destroy: Boolean(args.destroy) });
      out.result(r, () => out.info(r.destroyed ? `${name} destroyed` : `${name} is ${stateColour(r.environment?.state ?? 'stopped')}`));
      settle(out, r.results);
    });
  },
});

const ls = defineCommand({
  meta: { name: 'ls', description: 'List environments with their clones and state' },
  args: { ...jsonArgs },
  async run({ args }) {
    await action(args, async (out) => {
      const envs = await environmentsFor().list();
      out.result(envs, () => {
        if (!envs.length) return out.info(pc.dim('no environments; create one with asym env up -f environment.yaml'));
        out.info(table([
          ['NAME', 'STATE', 'CLONES', 'SPEC'].map((h) => pc.dim(h)),
          ...envs.map((e) => [pc.bold(e.name), stateColour(e.state), e.clones.map((c) => `${c.id} (${stateColour(c.state)})`).join(', ') || '-', e.spec ?? '-']),
        ]));
      });
    });
  },
});

const status = defineCommand({
  meta: { name: 'status', description: 'Live health of every clone of an environment and the rolled-up state' },
  args: { ...nameArg, ...jsonArgs },
  async run({ args }) {
    await action(args, async (out) => {
      const s = await environmentsFor().status(requireName(args.name, 'status'));
      out.result(s, () => {
        out.info(`${pc.bold(s.name)} ${stateColour(s.state)}`);
        out.info(table([
          ['CLONE', 'STATE', 'HEALTHY'].map((h) => pc.dim(h)),
          ...s.members.map((m) => [m.id, stateColour(m.state), m.healthy ? pc.green('yes') : pc.red('no')]),
        ]));
      });
    });
  },
});

const reset = defineCommand({
  meta: { name: 'reset', description: 'Reset every clone of an environment to its state right after spin (and seed)' },
  args: { ...nameArg, ...jsonArgs },
  async run({ args }) {
    await action(args, async (out) => {
      const r = await environmentsFor().reset(requireName(args.name, 'reset'), memberProgress(out));
      out.result(r, () => out.info(`${r.environment.name}: ${r.results.filter((x) => x.ok).length}/${r.results.length} clones reset`));
      settle(out, r.results);
    });
  },
});

const diff = defineCommand({
  meta: { name: 'diff', description: 'What changed in every clone of an environment since it was spun (and seeded); asym diff <id> shows one in detail' },
  args: { ...nameArg, ...jsonArgs },
  async run({ args }) {
    await action(args, async (out) => {
      const r = await environmentsFor().diff(requireName(args.name, 'diff'));
      out.result(r, () =>
        out.info(table([
          ['CLONE', 'TABLES', 'ADDED', 'CHANGED', 'REMOVED', 'STATE'].map((h) => pc.dim(h)),
          ...r.results.map((m) => {
            const d = r.diffs[m.clone];
            if (!d) return [m.clone, pc.red(m.error?.code ?? 'failed'), '', '', '', ''];
            return [m.clone, String(d.summary.tables), pc.green(`+${d.summary.added}`), pc.yellow(`~${d.summary.changed}`), pc.red(`-${d.summary.removed}`), d.hash.to.slice(0, 12)];
          }),
        ])),
      );
      settle(out, r.results);
    });
  },
});

const tokens = defineCommand({
  meta: { name: 'tokens', description: 'The environment an agent’s tools need to reach every clone of an environment (--env: shell export lines; --json: an object)' },
  args: {
    ...nameArg,
    env: { type: 'boolean', description: 'Print the variables (the only output today; accepted for symmetry with asym tokens --env)' },
    for: { type: 'string', description: 'Only this tool’s variables, from the members that have it (e.g. gh, notion-mcp)' },
    ...jsonArgs,
  },
  async run({ args }) {
    await action(args, async (out) => {
      const r = await environmentsFor().tokens(requireName(args.name, 'tokens'), args.for);
      for (const n of r.notes) out.warn(n);
      out.result(r.vars, () => process.stdout.write(`${shellExports(r.vars)}\n`));
    });
  },
});

const clock = defineCommand({
  meta: { name: 'clock', description: 'The environment’s one clock, shared by its clones: asym env clock <name> [set <ISO time> | advance <duration> | freeze | run]' },
  args: { ...nameArg, ...clockWords, ...jsonArgs },
  async run({ args }) {
    await action(args, async (out) => {
      const name = requireName(args.name, 'clock');
      const r = await environmentsFor().clock(name, parseClockOp(args.verb, args.value, `asym env clock ${name}`));
      out.result(r, () => {
        for (const m of r.members) out.info(clockLine(m));
        if (r.members.length > 1) out.info(pc.dim(r.skewMs < 1000 ? `in step (${Math.round(r.skewMs)} ms apart)` : `${Math.round(r.skewMs)} ms apart: run a clock verb again to realign`));
      });
      settle(out, r.results);
    });
  },
});

export default defineCommand({
  meta: { name: 'env', description: 'Environments: several clones from one environment.yaml, managed together (up, down, ls, status, reset, diff, tokens, clock)' },
  subCommands: { up, down, ls, status, reset, diff, tokens, clock },
});
