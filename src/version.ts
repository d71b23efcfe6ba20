/**
 * What `asym --version` prints: the package version and the git commit it was built from.
 * A compiled binary has both baked in by scripts/build.ts (`--define`); a run from a
 * checkout reads the commit from .git directly (no `git` process on every command).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import pkg from '../package.json' with { type: 'json' };

// Replaced by string literals at compile time (bun build --define); undeclared otherwise.
declare const ASYM_BUILD_COMMIT: string | undefined;
declare const ASYM_BUILD_VERSION: string | undefined;

export interface VersionInfo {
  version: string;
  /** Full commit hash, with `+dirty` when built from a tree with uncommitted changes; null when unknown. */
  commit: string | null;
  /** `build` for a compiled binary, `checkout` for a run from source. */
  from: 'build' | 'checkout';
}

export function versionInfo(): VersionInfo {
  if (typeof ASYM_BUILD_COMMIT === 'string') {
    return { version: typeof ASYM_BUILD_VERSION === 'string' ? ASYM_BUILD_VERSION : pkg.version, commit: ASYM_BUILD_COMMIT || null, from: 'build' };
  }
  return { version: pkg.version, commit: checkoutCommit(join(import.meta.dir, '..')), from: 'checkout' };
}

/** `0.1.0 (3f2a9c1b7d0e)`, or `0.1.0 (3f2a9c1b7d0e, checkout)` when run from source. */
export function versionString(info = versionInfo()): string {
  const commit = info.commit ? `${info.commit.slice(0, 12)}${info.commit.endsWith('+dirty') ? '+dirty' : ''}` : 'unknown commit';
  return `${info.version} (${commit}${info.from === 'checkout' ? ', checkout' : ''})`;
}

function read(path: string): string | null {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return null;
  }
}

/** HEAD's commit of the repository at `root`, following worktree `.git` files and packed refs. */
export function checkoutCommit(root: string): string | null {
  const dotGit = join(root, '.git');
  if (!existsSync(dotGit)) return null;
  let gitDir = dotGit;
  if (statSync(dotGit).isFile()) {
    const m = /^gitdir:\s*(.+)$/m.exec(read(dotGit) ?? '');
    if (!m) return null;
    gitDir = m[1]!.startsWith('/') ? m[1]! : join(root, m[1]!);
  }
  const head = read(join(gitDir, 'HEAD'));
  if (!head) return null;
  const ref = /^ref:\s*(.+)$/.exec(head)?.[1];
  if (!ref) return /^[0-9a-f]{40,64}$/.test(head) ? head : null;
  // Branch refs of a linked worktree live in the main repository (its "commondir").
  const common = read(join(gitDir, 'commondir'));
  const dirs = [gitDir, ...(common ? [common.startsWith('/') ? common : join(gitDir, common)] : [])];
  for (const dir of dirs) {
    const loose = read(join(dir, ref));
    if (loose) return loose;
    const packed = read(join(dir, 'packed-refs'));
    const line = packed?.split('\n').find((l) => l.endsWith(` ${ref}`));
    if (line) return line.split(' ')[0]!;
  }
  return null;
}
