import { homedir } from 'node:os';
import { join } from 'node:path';
import { chmodSync, mkdirSync } from 'node:fs';

/** ~/.asymmetric, or ASYM_HOME when set (tests always set it). Read at call time. */
export function asymHome(): string {
  const override = process.env.ASYM_HOME;
  return override && override.trim() ? override : join(homedir(), '.asymmetric');
}

/**
 * Create a directory private to the user (0700). chmod after mkdir because mkdir's mode
 * is filtered by the umask, and a permissive umask must not widen it.
 */
export function ensurePrivateDir(dir: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  return dir;
}

export function homePath(...parts: string[]): string {
  return join(asymHome(), ...parts);
}

export function ensureHome(): string {
  return ensurePrivateDir(asymHome());
}
