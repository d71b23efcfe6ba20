import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AsymmetricError } from '../contract/errors.ts';
import { ensurePrivateDir } from '../registry/home.ts';
import type { ComposeModel } from './compose-model.ts';
import { parseJsonLines } from './engine.ts';
import { docker, lastLines, type RunOptions } from './spawn.ts';
import { stackDeploy, stackPs, stackStop, swarmEngine } from './swarm.ts';

/** Write a model where the user can find it (0600: it holds the clone's secrets). */
export function writeComposeFile(dir: string, model: ComposeModel): string {
  ensurePrivateDir(dir);
  const file = join(dir, 'compose.json');
  writeFileSync(file, `${JSON.stringify(model, null, 2)}\n`, { mode: 0o600 });
  return file;
}

/** A stack file (Swarm engine), as the compose file is written: JSON, 0600. */
export function writeStackFile(dir: string, stack: Record<string, unknown>): string {
  ensurePrivateDir(dir);
  const file = join(dir, 'compose.json');
  writeFileSync(file, `${JSON.stringify(stack, null, 2)}\n`, { mode: 0o600 });
  return file;
}

export interface PsEntry {
  Name: string;
  Service: string;
  State: string; // running, exited, created, restarting, paused, dead
  Health: string; // healthy, unhealthy, starting, ''
  Labels?: string;
  Publishers?: { URL: string; TargetPort: number; PublishedPort: number; Protocol: string }[] | null;
}

export async function composePs(project: string): Promise<PsEntry[]> {
  if (swarmEngine()) return stackPs(project);
  const res = await docker(['compose', '-p', project, 'ps', '-a', '--format', 'json']);
  return parseJsonLines<PsEntry>(res.stdout);
}

export async function composeUp(project: string, file: string, opts: { wait?: boolean; timeoutS?: number; services?: string[] } & RunOptions = {}): Promise<void> {
  // On a swarm the saved file is a stack file (steps.ts: upClone): deploying it again restores its replicas.
  if (swarmEngine()) return stackDeploy(project, file);
  const args = ['compose', '-p', project, '-f', file, 'up', '-d', '--remove-orphans'];
  if (opts.wait) args.push('--wait', '--wait-timeout', String(opts.timeoutS ?? 120));
  const res = await docker([...args, ...(opts.services ?? [])], { ...opts, allowFailure: true });
  if (res.code !== 0) {
    throw new AsymmetricError('DOCKER_FAILED', `docker compose up for ${project} failed: ${lastLines(res.stderr, 8)}`, {
      details: { project },
    });
  }
}

export async function composeStop(project: string, file: string): Promise<void> {
  if (swarmEngine()) return stackStop(project);
  await docker(['compose', '-p', project, '-f', file, 'stop', '-t', '3']);
}

export async function composeStart(project: string, file: string): Promise<void> {
  await docker(['compose', '-p', project, '-f', file, 'start']);
}

/** Remove a project's containers, networks and volumes. Works without the file (by label). */
export async function composeDown(project: string): Promise<void> {
  await docker(['compose', '-p', project, 'down', '-v', '-t', '0', '--remove-orphans'], { allowFailure: true });
}
