/**
 * One Output with two faces (supabase-style). JSON mode: stdout carries exactly one JSON
 * document (the result or {"error":…}, terminal escapes stripped); nothing else is ever
 * written to stdout, and no prompt appears. Human mode: short coloured lines, a spinner on
 * stderr for slow steps.
 */
import * as p from '@clack/prompts';
import pc from 'picocolors';
import { AsymmetricError, isAsymmetricError, toAsymmetricError } from '../contract/errors.ts';
import { toJson } from './terminal.ts';

export interface Output {
  readonly json: boolean;
  readonly interactive: boolean;
  /** Show a step that may take a while; updates the spinner text if one is running. */
  progress(message: string): void;
  /** Finish the running step (if any). */
  done(message?: string): void;
  info(message: string): void;
  warn(message: string): void;
  /** The command's result: printed as JSON in JSON mode, else via `human`. */
  result(data: unknown, human?: () => void): void;
  error(e: unknown): void;
}

export function isInteractive(): boolean {
  return Boolean(process.stdin.isTTY && process.stderr.isTTY) && !process.env.CI;
}

export function createOutput(json: boolean): Output {
  const interactive = !json && isInteractive();
  let spin: ReturnType<typeof p.spinner> | undefined;
  let last = '';
  const err = (line: string) => process.stderr.write(`${line}\n`);
  return {
    json,
    interactive,
    progress(message) {
      if (json) {
        if (process.env.ASYM_PROGRESS === '1') err(`… ${message}`);
        return;
      }
      if (!process.stderr.isTTY) {
        err(pc.dim(`… ${message}`));
        return;
      }
      if (!spin) {
        spin = p.spinner({ output: process.stderr });
        spin.start(message);
      } else spin.message(message);
      last = message;
    },
    done(message) {
      if (spin) {
        spin.stop(message ?? last);
        spin = undefined;
      } else if (message && !json) err(`${pc.green('✔')} ${message}`);
    },
    info(message) {
      if (!json) process.stdout.write(`${message}\n`);
    },
    warn(message) {
      err(`${pc.yellow('!')} ${message}`);
    },
    result(data, human) {
      if (json) process.stdout.write(`${toJson(data, 2)}\n`);
      else if (human) human();
      else process.stdout.write(`${typeof data === 'string' ? data : JSON.stringify(data, null, 2)}\n`);
    },
    error(e) {
      if (spin) {
        spin.stop(pc.red('failed'), );
        spin = undefined;
      }
      const known = isAsymmetricError(e);
      const ae = known ? e : toAsymmetricError(e);
      if (json) {
        const { code, message, hint, details } = ae.toJSON();
        process.stdout.write(`${toJson({ error: { code, message, hint: hint ?? null, ...(details ? { details } : {}) } }, 2)}\n`);
        return;
      }
      err(`${pc.red('✖')} ${ae.message} ${pc.dim(`[${ae.code}]`)}`);
      if (ae.hint) err(`  ${pc.dim('→')} ${ae.hint}`);
      const logs = ae.details?.logs;
      if (typeof logs === 'string' && logs.trim()) {
        err(pc.dim(`  --- recent logs (${String(ae.details?.service ?? 'service')}) ---`));
        for (const line of logs.split('\n')) err(pc.dim(`  ${line}`));
      }
      if (!known) {
        err(pc.dim('  This looks like a bug in asym; please report it with the stack below.'));
        err(pc.dim(String((e as Error)?.stack ?? e)));
      }
    },
  };
}

/** Prompts are only allowed in human mode on a terminal. */
export function requireInteractive(out: Output, what: string): void {
  if (!out.interactive) {
    throw new AsymmetricError('INVALID_INPUT', `missing ${what}`, { hint: 'provide all required values via flags (see --help)' });
  }
}
