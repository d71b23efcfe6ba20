/** asym --version from a checkout: HEAD read from .git itself, in a plain clone, with packed refs, in a worktree. */
import { afterAll, expect, test } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkoutCommit, versionString } from '../../src/version.ts';

const dir = mkdtempSync(join(tmpdir(), 'asym-version-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const git = (cwd: string, ...args: string[]) => {
  const p = Bun.spawnSync(['git', '-c', 'user.name=t', '-c', 'user.email=t@t', '-c', 'init.defaultBranch=main', ...args], { cwd, stdout: 'pipe', stderr: 'pipe' });
  if (p.exitCode !== 0) throw new Error(p.stderr.toString());
  return p.stdout.toString().trim();
};

test('loose refs, packed refs, a detached HEAD and a linked worktree all give HEAD', () => {
  const repo = join(dir, 'repo');
  git(dir, 'init', '-q', repo);
  expect(checkoutCommit(repo)).toBeNull(); // no commit yet
  git(repo, 'commit', '-q', '--allow-empty', '-m', 'one');
  const one = git(repo, 'rev-parse', 'HEAD');
  expect(checkoutCommit(repo)).toBe(one);
  git(repo, 'pack-refs', '--all');
  expect(checkoutCommit(repo)).toBe(one);
  git(repo, 'commit', '-q', '--allow-empty', '-m', 'two');
  const two = git(repo, 'rev-parse', 'HEAD');
  git(repo, 'worktree', 'add', '-q', '-b', 'side', join(dir, 'wt'), one);
  expect(checkoutCommit(join(dir, 'wt'))).toBe(one);
  git(join(dir, 'wt'), 'commit', '-q', '--allow-empty', '-m', 'three');
  expect(checkoutCommit(join(dir, 'wt'))).toBe(git(join(dir, 'wt'), 'rev-parse', 'HEAD'));
  git(repo, 'checkout', '-q', '--detach', one);
  expect(checkoutCommit(repo)).toBe(one);
  expect(two).not.toBe(one);
  expect(checkoutCommit(join(dir, 'nowhere'))).toBeNull();
});

test('the printed form', () => {
  expect(versionString({ version: '1.2.3', commit: 'a'.repeat(40), from: 'build' })).toBe('1.2.3 (aaaaaaaaaaaa)');
  expect(versionString({ version: '1.2.3', commit: `${'b'.repeat(40)}+dirty`, from: 'build' })).toBe('1.2.3 (bbbbbbbbbbbb+dirty)');
  expect(versionString({ version: '1.2.3', commit: null, from: 'checkout' })).toBe('1.2.3 (unknown commit, checkout)');
});
