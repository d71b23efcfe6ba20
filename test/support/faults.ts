/**
 * Faults that land where they aim (src/process/faults.ts): a verb started with
 * ASYM_FAULT_AT=<point> writes `<markers>/<point>` on reaching it and parks there, and the
 * test acts (a kill, a disconnect) only once the marker exists.
 */
import { afterAll } from 'bun:test';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { composeProjectName, databaseName, redisPrefixFor } from '../../src/docker/names.ts';
import { CLI } from './cli.ts';

export interface Parked {
  proc: Bun.Subprocess<'ignore', 'pipe', 'pipe'>;
  /** The verb's stdout, once it has exited. */
  out: Promise<string>;
}

// A test that fails while a verb is parked must not leave it parked for ever: it is sent
// SIGTERM (the verb undoes what it made, as a user's Ctrl-C would) before the file's own
// clean-up runs, and killed if it does not exit.
const parked = new Set<Bun.Subprocess>();
afterAll(async () => {
  for (const proc of parked) {
    if (proc.exitCode !== null) continue;
    proc.kill('SIGTERM');
    if ((await Promise.race([proc.exited, Bun.sleep(30_000).then(() => 'late')])) === 'late') proc.kill('SIGKILL');
  }
  parked.clear();
}, 60_000);

/** Start `asym <args> --json` that parks at `point`; resolves once it is there. */
export async function parkAt(point: string, args: string[], opts: { env: Record<string, string | undefined>; markers: string }): Promise<Parked> {
  const marker = join(opts.markers, point);
  rmSync(marker, { force: true });
  const proc = Bun.spawn(['bun', CLI, ...args, '--json'], {
    env: { ...process.env, ...opts.env, NO_COLOR: '1', ASYM_FAULT_AT: point, ASYM_FAULT_DIR: opts.markers },
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: 'pipe',
  });
  parked.add(proc);
  const out = new Response(proc.stdout).text();
  const deadline = Date.now() + 90_000;
  while (!existsSync(marker)) {
    if (proc.exitCode !== null) throw new Error(`${args.join(' ')} exited (${proc.exitCode}) before reaching ${point}: ${await out} ${await new Response(proc.stderr).text()}`);
    if (Date.now() > deadline) throw new Error(`${args.join(' ')} never reached ${point}`);
    await Bun.sleep(20);
  }
  return { proc, out };
}

/** Polls `fn` until it answers something other than undefined. */
export async function until<T>(what: string, fn: () => Promise<T | undefined> | T | undefined, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(100);
  }
}

/** The names a clone of this home gets: what must all be gone after a rolled-back verb. */
export function namesFor(id: string): { id: string; composeProject: string; database: string; redisPrefix: string } {
  return { id, composeProject: composeProjectName(id), database: databaseName(id), redisPrefix: redisPrefixFor(id) };
}
