/**
 * asym images build-base: the embedded copy of scripts/base-images.sh, the key it computes,
 * the plan (what a run would do, and the named error where it cannot run), and a real run
 * on a machine whose base images are already built, which only confirms and records them.
 * The base images are never rebuilt here: that takes minutes and replaces shared images.
 */
import { afterEach, beforeEach, describe, expect, test } from 'bun:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { baseKey, embeddedScript, parseOsRelease, problemsFor, STAND_INS, type BaseImagesState, type HostFacts } from '../../src/images/base-images.ts';
import { asym } from '../support/cli.ts';
import { describeDocker, inCI } from '../support/docker.ts';
import { tempHome } from '../support/home.ts';

const repo = join(import.meta.dir, '../..');
const bunVersion = Bun.spawnSync(['bun', '--version']).stdout.toString();
/** The key exactly as the script computes it. */
const scriptKey = Bun.spawnSync(['bash', '-c', `{ cat scripts/base-images.sh scripts/base-images/postgres-entrypoint.sh; bun --version; } | sha256sum | cut -c1-12`], { cwd: repo })
  .stdout.toString().trim();

const debianRoot: HostFacts = {
  platform: 'linux', isRoot: true, osIds: ['debian'], bun: { path: '/usr/bin/bun', version: '1.4.5\n' },
  hasApt: true, hasDebootstrap: false, hasDebianKeyring: true,
};
const nothingBuilt: BaseImagesState = { images: Object.values(STAND_INS).map((ref) => ({ ref, key: null })), rootfsPresent: false };
const codes = (f: Partial<HostFacts>, s = nothingBuilt) => problemsFor({ ...debianRoot, ...f }, s, 'abc').map((e) => [e.code, e.message, e.hint]);

describe('the embedded script', () => {
  test('is byte for byte scripts/base-images.sh and its entrypoint, and keys like the script does', () => {
    expect(embeddedScript.script).toBe(readFileSync(join(repo, 'scripts/base-images.sh'), 'utf8'));
    expect(embeddedScript.entrypoint).toBe(readFileSync(join(repo, 'scripts/base-images/postgres-entrypoint.sh'), 'utf8'));
    expect(baseKey(bunVersion)).toBe(scriptKey);
    for (const ref of Object.values(STAND_INS)) expect(embeddedScript.script).toContain(ref);
  });

  test('os-release: ID and ID_LIKE', () => {
    expect(parseOsRelease('PRETTY_NAME="Ubuntu 24.04"\nID=ubuntu\nID_LIKE=debian\n')).toEqual(['ubuntu', 'debian']);
    expect(parseOsRelease('ID="fedora"\n')).toEqual(['fedora']);
  });
});

describe('where it cannot run, a named error says what to install or set', () => {
  test('Debian as root with nothing built: no problem (apt-get installs debootstrap)', () => {
    expect(codes({})).toEqual([]);
  });

  test('macOS, another Linux, not root, no keyring, no bun', () => {
    const [mac] = codes({ platform: 'darwin' });
    expect(mac![0]).toBe('NOT_SUPPORTED');
    expect(mac![2]).toContain('asym settings set postgresImage=');
    const [fedora] = codes({ osIds: ['fedora'] });
    expect(fedora![0]).toBe('NOT_SUPPORTED');
    expect(fedora![1]).toContain('this is fedora');
    expect(fedora![2]).toContain('docker save');
    expect(codes({ isRoot: false })).toEqual([['NOT_SUPPORTED', expect.stringContaining('must run as root'), 'sudo asym images build-base']]);
    expect(codes({ osIds: ['ubuntu', 'debian'], hasDebianKeyring: false })).toEqual([
      ['PREREQUISITE_MISSING', expect.stringContaining('archive keyring'), 'apt-get install debian-archive-keyring'],
    ]);
    const [bun] = codes({ bun: { path: null, problem: 'no bun binary found' } });
    expect(bun![0]).toBe('PREREQUISITE_MISSING');
    expect(bun![2]).toContain('BUN_BINARY=');
  });

  test('images already carrying the key need only a bun: nothing is debootstrapped, so root and Debian are not needed', () => {
    const built: BaseImagesState = { images: Object.values(STAND_INS).map((ref) => ({ ref, key: 'abc' })), rootfsPresent: true };
    expect(codes({ platform: 'darwin', isRoot: false }, built)).toEqual([]);
    expect(codes({ isRoot: false }, { ...built, images: [{ ref: 'asym-local/bun:1', key: 'old' }] })[0]![0]).toBe('NOT_SUPPORTED');
  });
});

describeDocker('asym images build-base on this machine', () => {
  let home: ReturnType<typeof tempHome>;
  beforeEach(() => {
    home = tempHome('asym-base');
  });
  afterEach(() => home.restore());
  const run = (args: string[], extra: Record<string, string> = {}) => asym(args, { ASYM_HOME: home.dir, ...extra });
  const labels = () =>
    Object.values(STAND_INS).map((ref) => Bun.spawnSync(['docker', 'image', 'inspect', '-f', '{{index .Config.Labels "asym.base-key"}}', ref]).stdout.toString().trim());

  test('--dry-run plans with the script’s own key and tells truthfully whether a run would build', async () => {
    const r = await run(['images', 'build-base', '--dry-run', '--json']);
    expect(r.json.dryRun).toBe(true);
    expect(r.json.key).toBe(scriptKey);
    expect(r.json.images.map((i: any) => i.ref)).toEqual(Object.values(STAND_INS));
    const actual = labels();
    expect(r.json.images.map((i: any) => i.key ?? '')).toEqual(actual);
    expect(r.json.upToDate).toBe(actual.every((k) => k === scriptKey));
    expect(r.json.steps.at(-1)).toBe('record them in the settings');
  });

  test('with the images built (as CI’s setup builds them) a run confirms them through the script and records them', async () => {
    const upToDate = labels().every((k) => k === scriptKey);
    // CI and this project's machines build them in scripts/setup.sh; a laptop with the official images has none.
    if (!upToDate && !inCI) return;
    expect(upToDate).toBe(true);
    const r = await run(['images', 'build-base']);
    expect(r.code).toBe(0);
    // This line is the embedded script's own, from its skip check: it ran and found its key.
    expect(r.stderr).toContain(`base images present (key ${scriptKey})`);
    expect(r.stderr).toContain('nothing was built');
    const settings = JSON.parse(readFileSync(join(home.dir, 'settings.json'), 'utf8'));
    expect(settings).toEqual({ version: 1, ...STAND_INS });
    const shown = await run(['settings', '--json'], { ASYM_POSTGRES_IMAGE: '', ASYM_REDIS_IMAGE: '', ASYM_BUN_IMAGE: '' });
    expect(shown.json.settings.bunImage).toMatchObject({ value: 'asym-local/bun:1', source: 'settings' });
  }, 60_000);

  test('asym images lists the base images the settings name and whether each is here', async () => {
    await run(['settings', 'set', 'bunImage=asym-test/absent-bun:1']);
    const r = await run(['images', '--json'], { ASYM_POSTGRES_IMAGE: 'asym-local/postgres:15', ASYM_BUN_IMAGE: '' });
    expect(r.code).toBe(0);
    const present = Bun.spawnSync(['docker', 'image', 'inspect', 'asym-local/postgres:15'], { stdout: 'ignore', stderr: 'ignore' }).exitCode === 0;
    expect(r.json).toEqual([
      { setting: 'postgresImage', ref: 'asym-local/postgres:15', source: 'env', present },
      { setting: 'redisImage', ref: expect.any(String), source: expect.any(String), present: expect.any(Boolean) },
      { setting: 'bunImage', ref: 'asym-test/absent-bun:1', source: 'settings', present: false },
    ]);
  });

  test('a Bun binary that is not there is a named error naming BUN_BINARY, and nothing is recorded', async () => {
    const r = await run(['images', 'build-base', '--json'], { BUN_BINARY: '/nonexistent/bun' });
    expect(r.code).toBe(1);
    expect(r.json.error.code).toBe('PREREQUISITE_MISSING');
    expect(r.json.error.message).toContain('BUN_BINARY=/nonexistent/bun is not an executable file');
    expect(r.json.error.hint).toContain('npm install -g bun');
    const dry = await run(['images', 'build-base', '--dry-run', '--json'], { BUN_BINARY: '/nonexistent/bun' });
    expect(dry.code).toBe(1);
    expect(dry.json.problems[0].code).toBe('PREREQUISITE_MISSING');
    expect(Bun.file(join(home.dir, 'settings.json')).size).toBe(0);
  });
});
