import { afterEach, beforeEach, describe, expect, test } from 'bun:test';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readRegistry, registryPath, updateRegistry } from '../../src/registry/registry.ts';
import { withLock } from '../../src/registry/lock.ts';
import { isAsymmetricError } from '../../src/contract/errors.ts';
import { tempHome } from '../support/home.ts';
import { sampleRecord } from '../support/records.ts';

let home: ReturnType<typeof tempHome>;
beforeEach(() => {
  home = tempHome('asym-registry');
});
afterEach(() => home.restore());

describe('registry', () => {
  test('a missing file reads as empty; writes are 0600 in a 0700 home even with umask 000', async () => {
    expect(readRegistry()).toEqual({ version: 2, clones: [], environments: [] });
    const old = process.umask(0o000);
    try {
      await updateRegistry((reg) => {
        reg.clones.push(sampleRecord('perm-check'));
      });
    } finally {
      process.umask(old);
    }
    expect(statSync(registryPath()).mode & 0o777).toBe(0o600);
    expect(statSync(home.dir).mode & 0o777).toBe(0o700);
    expect(readRegistry().clones.map((c) => c.id)).toEqual(['perm-check']);
    expect(existsSync(`${registryPath()}.lock`)).toBe(false);
  });

  test('20 concurrent processes each adding one clone leave exactly 20 records', async () => {
    const script = join(import.meta.dir, '../support/add-clone.ts');
    const procs = Array.from({ length: 20 }, (_, i) =>
      Bun.spawn(['bun', script, `worker-${String(i).padStart(2, '0')}`], {
        env: { ...process.env, ASYM_HOME: home.dir },
        stdout: 'pipe',
        stderr: 'pipe',
      }),
    );
    const codes = await Promise.all(procs.map((p) => p.exited));
    const errors = await Promise.all(procs.map((p) => new Response(p.stderr).text()));
    expect(errors.filter(Boolean)).toEqual([]);
    expect(codes.every((c) => c === 0)).toBe(true);
    const ids = readRegistry().clones.map((c) => c.id).sort();
    expect(ids).toHaveLength(20);
    expect(new Set(ids).size).toBe(20);
  }, 60_000);

  test('a stale lock left by a dead process is taken over', async () => {
    await updateRegistry(() => {});
    const dead = Bun.spawn(['true']);
    await dead.exited;
    writeFileSync(`${registryPath()}.lock`, JSON.stringify({ pid: dead.pid, host: require('node:os').hostname(), at: new Date().toISOString() }));
    await updateRegistry((reg) => {
      reg.clones.push(sampleRecord('after-stale'));
    });
    expect(readRegistry().clones.map((c) => c.id)).toEqual(['after-stale']);
  });

  test('a lock held by a live process times out with REGISTRY_LOCKED', async () => {
    const lock = join(home.dir, 'held.lock');
    let caught: unknown;
    await withLock(lock, async () => {
      try {
        await withLock(lock, () => {}, { timeoutMs: 200 });
      } catch (e) {
        caught = e;
      }
    });
    expect(isAsymmetricError(caught) && caught.code).toBe('REGISTRY_LOCKED');
  });

  test('a v1 registry migrates to v2 keeping every membership', () => {
    const fixture = readFileSync(join(import.meta.dir, '../fixtures/registry-v1.json'), 'utf8');
    writeFileSync(registryPath(), fixture);
    const reg = readRegistry();
    expect(reg.version).toBe(2);
    expect(reg.clones.map((c) => c.id)).toEqual(['slack-one', 'stripe-one', 'github-orphan-tag', 'loner']);
    for (const c of reg.clones) expect('group' in c).toBe(false);
    const envs = Object.fromEntries(reg.environments.map((e) => [e.name, e]));
    expect(Object.keys(envs).sort()).toEqual(['empty-group', 'legacy-only', 'support-bot']);
    expect(envs['support-bot']!.members).toEqual(['slack-one', 'stripe-one']);
    expect(envs['support-bot']!.spec).toBe('/work/evals/environment.yaml');
    expect(envs['support-bot']!.state).toBe('partial');
    expect(envs['legacy-only']!.members).toEqual(['github-orphan-tag']);
    expect(envs['empty-group']!.members).toEqual([]);
  });

  test('the migration is persisted on the next write', async () => {
    writeFileSync(registryPath(), readFileSync(join(import.meta.dir, '../fixtures/registry-v1.json'), 'utf8'));
    await updateRegistry(() => {});
    const onDisk = JSON.parse(readFileSync(registryPath(), 'utf8'));
    expect(onDisk.version).toBe(2);
    expect(onDisk.groups).toBeUndefined();
    expect(onDisk.environments).toHaveLength(3);
  });

  test.each([
    ['not JSON', '{"version": 2, "clones": ['],
    ['wrong shape', JSON.stringify({ version: 2, clones: [{ id: 'x' }], environments: [] })],
    ['unknown version', JSON.stringify({ version: 9, clones: [], environments: [] })],
  ])('a corrupt registry (%s) is a named error and left untouched', async (_why, text) => {
    writeFileSync(registryPath(), text, { mode: 0o600 });
    for (const attempt of [() => readRegistry(), () => updateRegistry(() => {})]) {
      let caught: unknown;
      try {
        await attempt();
      } catch (e) {
        caught = e;
      }
      expect(isAsymmetricError(caught) && caught.code).toBe('REGISTRY_CORRUPT');
      expect((caught as Error).message).toContain(registryPath());
    }
    expect(readFileSync(registryPath(), 'utf8')).toBe(text);
  });
});
