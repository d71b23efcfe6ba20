/** Bad input is a named error with a hint, never a stack trace; --json keeps stdout to one document. */
import { afterAll, describe, expect, test } from 'bun:test';
import { tempHome } from '../support/home.ts';
import { asym } from '../support/cli.ts';

const home = tempHome('asym-cli');
afterAll(() => home.restore());
const env = { ASYM_HOME: home.dir };

describe('asym CLI errors (--json)', () => {
  test.each([
    [['spin', 'nosuch', '--json'], 'TEMPLATE_NOT_FOUND'],
    [['spin', 'slack', '--mode', 'nosuch', '--json'], 'MODE_NOT_FOUND'],
    [['spin', 'slack', '--port-range', '5000-4000', '--json'], 'INVALID_INPUT'],
    [['spin', 'slack', '--port-range', 'abc', '--json'], 'INVALID_INPUT'],
    [['spin', 'slack', '--name', 'Bad Name!', '--json'], 'INVALID_INPUT'],
    [['spin', '--json'], 'INVALID_INPUT'],
    [['spin', 'slack', '--fixture', 'nosuch', '--json'], 'FIXTURE_NOT_FOUND'],
    [['status', 'ghost', '--json'], 'CLONE_NOT_FOUND'],
    [['destroy', 'ghost', '--yes', '--json'], 'CLONE_NOT_FOUND'],
    [['logs', 'ghost', '--json'], 'CLONE_NOT_FOUND'],
    [['tokens', 'ghost', '--json'], 'CLONE_NOT_FOUND'],
    [['reset', 'ghost', '--json'], 'CLONE_NOT_FOUND'],
    [['status', '--json'], 'INVALID_INPUT'],
    [['frobnicate', '--json'], 'INVALID_INPUT'],
  ])('asym %p → %s', async (args, code) => {
    const r = await asym(args, env);
    expect(r.code).not.toBe(0);
    expect(r.json?.error?.code).toBe(code);
    expect(typeof r.json.error.message).toBe('string');
    expect(r.json.error).toHaveProperty('hint');
    expect(r.stdout.trim().startsWith('{')).toBe(true);
    expect(r.stderr).not.toContain('    at ');
  });

  test('spin --ai without a key fails before anything is created', async () => {
    const r = await asym(['spin', 'slack', '--ai', '--json'], { ...env, ANTHROPIC_API_KEY: '' });
    expect(r.json.error.code).toBe('AI_KEY_MISSING');
    expect((await asym(['ls', '--json'], env)).json).toEqual([]);
  });

  test('Docker not running is DOCKER_UNAVAILABLE with a hint', async () => {
    const r = await asym(['spin', 'slack', '--json'], { ...env, DOCKER_HOST: 'unix:///tmp/asym-no-such-docker.sock' });
    expect(r.code).toBe(1);
    expect(r.json.error.code).toBe('DOCKER_UNAVAILABLE');
    expect(r.json.error.hint).toContain('start Docker');
  });

  test('human mode: a one-line error with a hint on stderr, nothing on stdout', async () => {
    const r = await asym(['status', 'ghost'], env);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('no clone named ghost');
    expect(r.stderr).toContain('CLONE_NOT_FOUND');
    expect(r.stderr).toContain('→');
  });

  test('--version and --help', async () => {
    const v = await asym(['--version'], env);
    // From source: the version and the checkout's HEAD (test/release checks the built binary).
    expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+ \(([0-9a-f]{12}|unknown commit), checkout\)$/);
    const h = await asym(['--help'], env);
    expect(h.code).toBe(0);
    expect(h.stdout).toContain('spin');
  });

  test('ls --json on an empty home is an empty array', async () => {
    const r = await asym(['ls', '--json'], env);
    expect(r.code).toBe(0);
    expect(r.json).toEqual([]);
  });

  test('a corrupt registry is reported with its path, as JSON', async () => {
    const { writeFileSync, readFileSync } = await import('node:fs');
    const file = `${home.dir}/registry.json`;
    writeFileSync(file, '{oops');
    const r = await asym(['ls', '--json'], env);
    expect(r.code).toBe(1);
    expect(r.json.error.code).toBe('REGISTRY_CORRUPT');
    expect(r.json.error.message).toContain(file);
    expect(readFileSync(file, 'utf8')).toBe('{oops');
    (await import('node:fs')).rmSync(file);
  });
});
