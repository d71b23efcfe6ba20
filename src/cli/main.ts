#!/usr/bin/env bun
/**
 * asym: local, stateful, resettable clones of SaaS APIs for testing AI agents.
 * Commands are thin (src/cli/commands); the logic lives in importable modules.
 */
import { defineCommand, runCommand, runMain } from 'citty';
import { AsymmetricError } from '../contract/errors.ts';
import { createOutput } from './output.ts';
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
    upgrade: () => import('./commands/upgrade.ts').then((m) => m.default),
    doctor: () => import('./commands/doctor.ts').then((m) => m.default),
    config: () => import('./commands/config.ts').then((m) => m.default),
    env: () => import('./commands/env.ts').then((m) => m.default),
    settings: () => import('./commands/settings.ts').then((m) => m.default),
    images: () => import('./commands/images.ts').then((m) => m.default),
  },
});

export async function cli(rawArgs: string[]): Promise<void> {
  const wantsHelp = rawArgs.some((a) => a === '--help' || a === '-h') || (rawArgs.length === 1 && (rawArgs[0] === '--version' || rawArgs[0] === '-v'));
  if (wantsHelp || rawArgs.length === 0) {
    await runMain(main, { rawArgs: rawArgs.length ? rawArgs : ['--help'] });
    return;
  }
  try {
    await runCommand(main, { rawArgs });
  } catch (e) {
    // citty's own errors (unknown command, bad flags) become named errors too, so --json
    // still prints exactly one JSON document.
    const out = createOutput(rawArgs.includes('--json'));
    out.error(new AsymmetricError('INVALID_INPUT', (e as Error).message.replace(/\x1b\[[0-9;]*m/g, ''), { hint: 'asym --help lists commands' }));
    process.exitCode = 1;
  }
}

if (import.meta.main) await cli(process.argv.slice(2));
