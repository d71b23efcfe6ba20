/**
 * The user's settings file: what `asym settings` shows and where each value comes from,
 * what `settings set` accepts and refuses, and that every command reads it from any folder.
 */
import { afterAll, afterEach, beforeEach, describe, expect, test } from 'bun:test';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { baseImages, defaultPortRange, pullPolicy } from '../../src/config.ts';
import { isAsymmetricError } from '../../src/contract/errors.ts';
import { readSettings, resolveSettings, settingsPath, updateSettings } from '../../src/settings/settings.ts';
import { asym, CLI } from '../support/cli.ts';
import { describeDocker, uniqueName } from '../support/docker.ts';
import { tempHome } from '../support/home.ts';

/** No ASYM_* from the checkout's .env: only what a test gives. */
function bare(extra: Record<string, string> = {}): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('ASYM_')) env[k] = undefined;
  return { ...env, ...extra };
}

/** Run the CLI from a folder outside the checkout (no .env there for Bun to load). */
const outside = mkdtempSync(join(tmpdir(), 'asym-settings-cwd-'));
async function cli(args: string[], env: Record<string, string | undefined>) {
  const proc = Bun.spawn(['bun', CLI, ...args], { cwd: outside, env: { ...env, NO_COLOR: '1' }, stdout: 'pipe', stderr: 'pipe', stdin: 'ignore' });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  let json: any;
  try {
    json = JSON.parse(stdout);
  } catch {}
  return { code, stdout, stderr, json };
}
afterAll(() => rmSync(outside, { recursive: true, force: true }));

let home: ReturnType<typeof tempHome>;
const saved: Record<string, string | undefined> = {};
beforeEach(() => {
  home = tempHome('asym-settings');
  for (const k of ['ASYM_POSTGRES_IMAGE', 'ASYM_REDIS_IMAGE', 'ASYM_BUN_IMAGE', 'ASYM_PULL', 'ASYM_PORT_RANGE']) {
    saved[k] = process.env[k];
    delete process.env[k];
  }
});
afterEach(() => {
  for (const [k, val] of Object.entries(saved)) if (val === undefined) delete process.env[k];
  else process.env[k] = val;
  home.restore();
});

describe('settings, in process', () => {
  test('each value comes from the environment, else the settings file, else the default', async () => {
    expect(baseImages()).toEqual({ postgres: 'postgres:15', redis: 'redis:7', bun: 'oven/bun:1' });
    expect(pullPolicy()).toBe('auto');
    expect(defaultPortRange()).toEqual({ from: 41000, to: 41999 });
    await updateSettings((s) => Object.assign(s, { postgresImage: 'asym-local/postgres:15', pull: 'never', portRange: { from: 42000, to: 42099 } }));
    expect(baseImages().postgres).toBe('asym-local/postgres:15');
    expect(pullPolicy()).toBe('never');
    expect(defaultPortRange()).toEqual({ from: 42000, to: 42099 });
    process.env.ASYM_POSTGRES_IMAGE = 'from-env/postgres:15';
    process.env.ASYM_PORT_RANGE = '45000-45010';
    const r = resolveSettings();
    expect(r.postgresImage).toEqual({ value: 'from-env/postgres:15', source: 'env', env: 'ASYM_POSTGRES_IMAGE', default: 'postgres:15' });
    expect(r.pull.source).toBe('settings');
    expect(r.redisImage.source).toBe('default');
    expect(defaultPortRange()).toEqual({ from: 45000, to: 45010 });
    expect(statSync(settingsPath()).mode & 0o777).toBe(0o600);
    expect(statSync(home.dir).mode & 0o777).toBe(0o700);
  });

  test('a settings file that cannot be parsed is reported with its path and never overwritten', async () => {
    writeFileSync(settingsPath(), '{"version":1,"pull":"sometimes"}');
    let err: unknown;
    try {
      pullPolicy();
    } catch (e) {
      err = e;
    }
    expect(isAsymmetricError(err) && err.code).toBe('SETTINGS_CORRUPT');
    expect((err as Error).message).toContain(settingsPath());
    await expect(updateSettings((s) => Object.assign(s, { pull: 'never' }))).rejects.toMatchObject({ code: 'SETTINGS_CORRUPT' });
    expect(readFileSync(settingsPath(), 'utf8')).toBe('{"version":1,"pull":"sometimes"}');
  });

  test('keys this version does not know are kept when it writes', async () => {
    writeFileSync(settingsPath(), JSON.stringify({ version: 1, futureKey: { a: 1 } }));
    await updateSettings((s) => Object.assign(s, { pull: 'never' }));
    expect(JSON.parse(readFileSync(settingsPath(), 'utf8'))).toEqual({ version: 1, futureKey: { a: 1 }, pull: 'never' });
    expect(readSettings().pull).toBe('never');
  });
});

describe('asym settings', () => {
  test('set writes the file (0600, no temp file left), show names each source; --json', async () => {
    const env = bare({ ASYM_HOME: home.dir, ASYM_REDIS_IMAGE: 'from-env/redis:7' });
    const r = await cli(['settings', 'set', 'postgresImage=registry.local:5000/team/postgres:15', 'pull=never', 'portRange=42000-42999', '--json'], env);
    expect(r.code).toBe(0);
    expect(r.json.path).toBe(join(home.dir, 'settings.json'));
    expect(r.json.settings.postgresImage).toMatchObject({ value: 'registry.local:5000/team/postgres:15', source: 'settings' });
    expect(r.json.settings.pull).toMatchObject({ value: 'never', source: 'settings' });
    expect(r.json.settings.portRange).toMatchObject({ value: '42000-42999', source: 'settings' });
    expect(r.json.settings.redisImage).toMatchObject({ value: 'from-env/redis:7', source: 'env', env: 'ASYM_REDIS_IMAGE' });
    expect(r.json.settings.bunImage).toMatchObject({ value: 'oven/bun:1', source: 'default' });
    expect(statSync(join(home.dir, 'settings.json')).mode & 0o777).toBe(0o600);
    expect(readdirSync(home.dir).sort()).toEqual(['settings.json']);
    expect(JSON.parse(readFileSync(join(home.dir, 'settings.json'), 'utf8'))).toEqual({
      version: 1, postgresImage: 'registry.local:5000/team/postgres:15', pull: 'never', portRange: { from: 42000, to: 42999 },
    });
    const human = await cli(['settings'], env);
    expect(human.stdout).toMatch(/redisImage\s+from-env\/redis:7\s+env ASYM_REDIS_IMAGE/);
    expect(human.stdout).toMatch(/pull\s+never\s+settings file/);
    expect(human.stdout).toMatch(/bunImage\s+oven\/bun:1\s+default/);
    const overridden = await cli(['settings', 'set', 'redisImage=mine/redis:7'], env);
    expect(overridden.stderr).toContain('ASYM_REDIS_IMAGE=from-env/redis:7 is set in the environment and overrides it');
    const unset = await cli(['settings', 'unset', 'pull', 'portRange', '--json'], env);
    expect(unset.json.settings.pull.source).toBe('default');
    expect(unset.json.settings.portRange.value).toBe('41000-41999');
  }, 30_000);

  test('unknown keys and bad values are INVALID_INPUT with a hint, and nothing is written', async () => {
    const env = bare({ ASYM_HOME: home.dir });
    await cli(['settings', 'set', 'pull=never'], env);
    const before = readFileSync(join(home.dir, 'settings.json'), 'utf8');
    const typo = await cli(['settings', 'set', 'ASYM_POSTGRES_IMAGE=postgres:16', '--json'], env);
    expect(typo.code).toBe(1);
    expect(typo.json.error.code).toBe('INVALID_INPUT');
    expect(typo.json.error.message).toBe('unknown setting ASYM_POSTGRES_IMAGE');
    expect(typo.json.error.hint).toContain('did you mean postgresImage?');
    expect(typo.json.error.hint).toContain('postgresImage, redisImage, bunImage, pull, portRange');
    // Each run pairs a valid change with a bad one: all or nothing, so the file stays as it was.
    for (const bad of ['bunImage=Not An Image', 'pull=sometimes', 'portRange=900-1000', 'portRange=5000-4000', 'portRange=lots', 'redisImage=', 'pull']) {
      const r = await cli(['settings', 'set', 'redisImage=ok/redis:7', bad, '--json'], env);
      expect([bad, r.code, r.json?.error?.code]).toEqual([bad, 1, 'INVALID_INPUT']);
      expect(r.json.error.hint).toBeTruthy();
    }
    expect(readFileSync(join(home.dir, 'settings.json'), 'utf8')).toBe(before);
    const nothing = await cli(['settings', 'set', '--json'], env);
    expect(nothing.json.error).toMatchObject({ code: 'INVALID_INPUT', message: 'nothing to set' });
  }, 60_000);

  test('five concurrent set commands, one key each, lose none', async () => {
    const env = bare({ ASYM_HOME: home.dir });
    const pairs = ['postgresImage=p/pg:1', 'redisImage=r/redis:1', 'bunImage=b/bun:1', 'pull=never', 'portRange=43000-43100'];
    const results = await Promise.all(pairs.map((p) => cli(['settings', 'set', p, '--json'], env)));
    expect(results.map((r) => r.code)).toEqual([0, 0, 0, 0, 0]);
    expect(readSettings()).toEqual({ version: 1, postgresImage: 'p/pg:1', redisImage: 'r/redis:1', bunImage: 'b/bun:1', pull: 'never', portRange: { from: 43000, to: 43100 } });
    expect(existsSync(`${settingsPath()}.lock`)).toBe(false);
  }, 30_000);
});

describeDocker('every command reads the settings, from any folder', () => {
  test('spin uses the image named in the settings; when it is missing, the hint names asym images build-base and asym settings set', async () => {
    const name = uniqueName('setimg');
    const env = bare({ ASYM_HOME: home.dir });
    // The suite's own Postgres and Redis (from the checkout's .env, or the defaults), a Bun image that does not exist.
    const pg = saved.ASYM_POSTGRES_IMAGE ?? 'postgres:15';
    const redis = saved.ASYM_REDIS_IMAGE ?? 'redis:7';
    const set = await cli(['settings', 'set', `postgresImage=${pg}`, `redisImage=${redis}`, 'bunImage=asym-test/absent-bun:1', 'pull=never'], env);
    expect(set.code).toBe(0);
    try {
      const r = await cli(['spin', 'slack', '--name', name, '--json'], env);
      expect(r.code).toBe(1);
      expect(r.json.error.code).toBe('IMAGE_UNAVAILABLE');
      expect(r.json.error.message).toContain('asym-test/absent-bun:1');
      expect(r.json.error.hint).toContain('asym images build-base');
      expect(r.json.error.hint).toContain('asym settings set postgresImage=');
      expect(r.json.error.hint).not.toContain('scripts/');
    } finally {
      await asym(['destroy', name, '--yes', '--json'], { ASYM_HOME: home.dir });
    }
  }, 120_000);
});
