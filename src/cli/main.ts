#!/usr/bin/env bun
/**
 * asym: local, stateful, resettable clones of SaaS APIs for testing AI agents.
 * Commands are thin (src/cli/commands); the logic lives in importable modules.
 */
import { defineCommand, renderUsage, runCommand, runMain, type CommandDef } from 'citty';
import { AsymmetricError, isAsymmetricError } from '../contract/errors.ts';
import { createOutput } from './output.ts';
import { checkCommandLine } from './strict.ts';
import { colourOn, quietOnBrokenPipe, stripAnsi } from './terminal.ts';
import { versionString } from '../version.ts';

export const main = defineCommand({
  meta: { name: 'asym', version: versionString(), description: 'Local, stateful, resettable clones of SaaS APIs for testing AI agents' },
  subCommands: {
    spin: () => import('./commands/spin.ts').then((m) => m.default),
    ls: () => import('./commands/ls.ts').then((m) => m.default),
    status: () => import('./commands/status.ts').then((m) => m.default),
    start: () => import('./commands/start.ts').then((m) => m.default),
    stop: () => import('./commands/stop.ts').then((m) => m.default),
    destroy: () => import('./commands/destroy.ts').then((m) => m.default),
    logs: () => import('./commands/logs.ts').then((m) => m.default),
    tokens: () => import('./commands/tokens.ts').then((m) => m.default),
    templates: () => import('./commands/templates.ts').then((m) => m.default),
    seed: () => import('./commands/seed.ts').then((m) => m.default),
    reset: () => import('./commands/reset.ts').then((m) => m.default),
    verify: () => import('./commands/verify.ts').then((m) => m.default),
    diff: () => import('./commands/diff.ts').then((m) => m.default),
    snapshot: () => import('./commands/snapshot.ts').then((m) => m.default),
    restore: () => import('./commands/restore.ts').then((m) => m.default),
    fork: () => import('./commands/fork.ts').then((m) => m.default),
    upgrade: () => import('./commands/upgrade.ts').then((m) => m.default),
    doctor: () => import('./commands/doctor.ts').then((m) => m.default),
    config: () => import('./commands/config.ts').then((m) => m.default),
    clock: () => import('./commands/clock.ts').then((m) => m.default),
    env: () => import('./commands/env.ts').then((m) => m.default),
    settings: () => import('./commands/settings.ts').then((m) => m.default),
    images: () => import('./commands/images.ts').then((m) => m.default),
    serve: () => import('./commands/serve.ts').then((m) => m.default),
    remote: () => import('./commands/remote.ts').then((m) => m.default),
  },
});

/** citty colours its help whatever stdout is; plain text for a pipe or under NO_COLOR. */
async function showUsage(cmd: CommandDef<any>, parent?: CommandDef<any>): Promise<void> {
  const usage = await renderUsage(cmd, parent);
  process.stdout.write(`${colourOn() ? usage : stripAnsi(usage)}\n\n`);
}

/** The entry point of both `bun src/cli/main.ts` and the compiled binary (scripts/build.ts). */
export async function cli(rawArgs: string[]): Promise<void> {
  quietOnBrokenPipe();
  const wantsHelp = rawArgs.some((a) => a === '--help' || a === '-h') || (rawArgs.length === 1 && (rawArgs[0] === '--version' || rawArgs[0] === '-v'));
  if (wantsHelp || rawArgs.length === 0) {
    await runMain(main, { rawArgs: rawArgs.length ? rawArgs : ['--help'], showUsage });
    return;
  }
  try {
    // Every command's words are checked against its own definition before any runs.
    await checkCommandLine(main, rawArgs);
    await runCommand(main, { rawArgs });
  } catch (e) {
    // citty's own errors become named errors too, so --json still prints one JSON document.
    const out = createOutput(rawArgs.includes('--json'));
    out.error(isAsymmetricError(e) ? e : new AsymmetricError('INVALID_INPUT', stripAnsi((e as Error).message), { hint: 'asym --help lists commands' }));
    process.exitCode = 1;
  }
}

if (import.meta.main) await cli(process.argv.slice(2));
