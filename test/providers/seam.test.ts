import { describe, expect, test } from 'bun:test';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isAsymmetricError } from '../../src/contract/errors.ts';
import { LocalDockerProvider } from '../../src/docker/provider.ts';
import { providerFor } from '../../src/providers/index.ts';
import { CloudProvider } from '../../src/providers/cloud.ts';

const root = join(import.meta.dir, '..', '..', 'src');
const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));

describe('the seam', () => {
  test('no command or env module constructs a provider or imports src/docker', () => {
    const offenders = ['cli', 'env'].flatMap((d) => files(join(root, d))).filter((f) => {
      const text = readFileSync(f, 'utf8');
      return text.includes('new LocalDockerProvider(') || /from '(\.\.\/)+docker\//.test(text);
    });
    expect(offenders).toEqual([]);
    // What commands call (tool variables for tokens --env and env tokens) asks the seam too;
    // src/docker/spawn.ts is only a process runner (openssl for --tls), not the engine.
    const tools = files(join(root, 'tools')).filter((f) => /from '(\.\.\/)+docker\/(?!spawn\.ts')/.test(readFileSync(f, 'utf8')));
    expect(tools).toEqual([]);
    const verify = files(join(root, 'verify')).filter((f) => readFileSync(f, 'utf8').includes('new LocalDockerProvider('));
    expect(verify).toEqual([]);
  });

  test('the control plane gets its engine from src/providers only (a Swarm engine plugs in there)', () => {
    const serve = files(join(root, 'serve')).filter((f) => {
      const text = readFileSync(f, 'utf8');
      return text.includes('new LocalDockerProvider(') || /from '(\.\.\/)+docker\//.test(text);
    });
    expect(serve).toEqual([]);
  });

  test('local by default; ASYM_REMOTE gives the thin client of a control plane', () => {
    const saved = process.env.ASYM_REMOTE;
    try {
      delete process.env.ASYM_REMOTE;
      expect(providerFor()).toBeInstanceOf(LocalDockerProvider);
      process.env.ASYM_REMOTE = 'http://127.0.0.1:7420';
      expect(providerFor()).toBeInstanceOf(CloudProvider);
      expect(providerFor().kind).toBe('cloud');
      process.env.ASYM_REMOTE = 'ftp://nope';
      let err: unknown;
      try {
        providerFor();
      } catch (e) {
        err = e;
      }
      expect(isAsymmetricError(err) && err.code).toBe('INVALID_INPUT');
    } finally {
      if (saved === undefined) delete process.env.ASYM_REMOTE;
      else process.env.ASYM_REMOTE = saved;
    }
  });
});
