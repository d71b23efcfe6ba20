/**
 * A downloaded asym, end to end: `bun run release` builds the four platform binaries and
 * SHA256SUMS; install.sh picks, checks and installs one; the installed linux-x64 binary,
 * alone in an empty folder with no checkout and no .env (its settings given through
 * `asym settings set` in its own ASYM_HOME), spins, seeds, resets and destroys a clone;
 * the linux-arm64 binary answers under qemu user-mode emulation.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { Client } from '@notionhq/client';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pkg from '../../package.json' with { type: 'json' };
import { baseImages } from '../../src/config.ts';
import { asym, type CliResult } from '../support/cli.ts';
import { describeDocker, inCI, labelled, uniqueName } from '../support/docker.ts';

const repo = join(import.meta.dir, '../..');
const dir = mkdtempSync(join(tmpdir(), 'asym-release-'));
const release = join(dir, 'release');
const sha256 = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');
const headCommit = Bun.spawnSync(['git', '-C', repo, 'rev-parse', 'HEAD']).stdout.toString().trim();
/** The base-image key exactly as scripts/base-images.sh computes it. */
const scriptKey = Bun.spawnSync(['bash', '-c', '{ cat scripts/base-images.sh scripts/base-images/postgres-entrypoint.sh; bun --version; } | sha256sum | cut -c1-12'], { cwd: repo })
  .stdout.toString().trim();

/** The environment of a user who has only the binary: no ASYM_* variables (the checkout's .env sets some). */
function bareEnv(extra: Record<string, string>): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('ASYM_')) delete env[k];
  return { ...env, NO_COLOR: '1', ...extra };
}

async function runIn(cwd: string, cmd: string[], env: Record<string, string | undefined>): Promise<CliResult> {
  const proc = Bun.spawn(cmd, { cwd, env, stdout: 'pipe', stderr: 'pipe', stdin: 'ignore' });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  let json: unknown;
  try {
    json = JSON.parse(stdout);
  } catch {}
  return { code, stdout, stderr, json };
}

const install = (args: string[], env: Record<string, string | undefined> = process.env) => runIn(dir, ['sh', join(repo, 'install.sh'), ...args], env);

let buildMs = 0;
beforeAll(() => {
  const started = performance.now();
  const b = Bun.spawnSync(['bun', join(repo, 'scripts/release.ts'), '--out', release], { stdout: 'pipe', stderr: 'pipe' });
  buildMs = performance.now() - started;
  if (b.exitCode !== 0) throw new Error(`release failed: ${b.stderr.toString()}`);
  console.error(b.stderr.toString().trim());
}, 300_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('bun run release', () => {
  test('four binaries, each for its platform, listed with their sha256 in SHA256SUMS', () => {
    const sums = Object.fromEntries(
      readFileSync(join(release, 'SHA256SUMS'), 'utf8').trim().split('\n').map((l) => l.split(/\s+\*?/).reverse() as [string, string]),
    );
    expect(Object.keys(sums).sort()).toEqual(['asym-darwin-arm64', 'asym-darwin-x64', 'asym-linux-arm64', 'asym-linux-x64', 'install.sh']);
    for (const [file, sum] of Object.entries(sums)) expect(sha256(join(release, file))).toBe(sum);
    // The executable headers name the platform: ELF e_machine, Mach-O cputype.
    const head = (f: string) => readFileSync(join(release, f)).subarray(0, 20);
    const elf = (f: string) => (head(f).readUInt32BE(0) === 0x7f454c46 ? head(f).readUInt16LE(18) : null);
    const macho = (f: string) => (head(f).readUInt32LE(0) === 0xfeedfacf ? head(f).readUInt32LE(4) : null);
    expect(elf('asym-linux-x64')).toBe(0x3e); // x86-64
    expect(elf('asym-linux-arm64')).toBe(0xb7); // AArch64
    expect(macho('asym-darwin-x64')).toBe(0x01000007); // x86_64
    expect(macho('asym-darwin-arm64')).toBe(0x0100000c); // arm64
    // Apple silicon kills an unsigned executable: each Mach-O must carry a code signature
    // (LC_CODE_SIGNATURE, 0x1d; bun signs it ad hoc after appending the bundle).
    for (const f of ['asym-darwin-x64', 'asym-darwin-arm64']) {
      const buf = readFileSync(join(release, f)).subarray(0, 1 << 16);
      const cmds: number[] = [];
      for (let i = 0, off = 32; i < buf.readUInt32LE(16); i++, off += buf.readUInt32LE(off + 4)) cmds.push(buf.readUInt32LE(off));
      expect(cmds).toContain(0x1d);
    }
    expect(buildMs).toBeGreaterThan(0);
  }, 60_000);

  test('--version prints the version and the commit it was built from; a checkout prints its HEAD', async () => {
    const v = await runIn(dir, [join(release, 'asym-linux-x64'), '--version'], bareEnv({}));
    expect(v.code).toBe(0);
    expect(v.stdout.trim()).toMatch(new RegExp(`^${pkg.version.replace(/\./g, '\\.')} \\(${headCommit.slice(0, 12)}(\\+dirty)?\\)$`));
    const fromSource = await asym(['--version']);
    expect(fromSource.stdout.trim()).toBe(`${pkg.version} (${headCommit.slice(0, 12)}, checkout)`);
  }, 60_000);

  test('the binary ignores a .env in the folder it runs in: settings come from the environment and the settings file', async () => {
    const cwd = mkdtempSync(join(dir, 'dotenv-'));
    writeFileSync(join(cwd, '.env'), 'ASYM_PULL=never\nASYM_PORT_RANGE=44000-44010\n');
    const r = await runIn(cwd, [join(release, 'asym-linux-x64'), 'settings', '--json'], bareEnv({ ASYM_HOME: join(cwd, 'home') }));
    expect(r.code).toBe(0);
    expect(r.json.settings.pull).toMatchObject({ value: 'auto', source: 'default' });
    expect(r.json.settings.portRange).toMatchObject({ value: '41000-41999', source: 'default' });
  }, 60_000);
});

describe('install.sh', () => {
  test('installs the file for this machine from a local folder, checked against SHA256SUMS, and says so', async () => {
    const bin = join(dir, 'bin-local');
    const r = await install(['--dir', bin, '--from', release]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`installed asym ${pkg.version} (${headCommit.slice(0, 12)}`);
    expect(r.stdout).toContain(`to ${bin}/asym`);
    expect(r.stdout).toContain(`${bin} is not on your PATH`);
    expect(sha256(join(bin, 'asym'))).toBe(sha256(join(release, 'asym-linux-x64')));
    expect(statSync(join(bin, 'asym')).mode & 0o777).toBe(0o755);
    const again = await install(['--dir', bin, '--from', release]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('reinstalled');
  }, 60_000);

  test('re-running upgrades in place: without --dir it replaces the asym already on the PATH', async () => {
    const bin = join(dir, 'bin-upgrade');
    mkdirSync(bin);
    writeFileSync(join(bin, 'asym'), '#!/bin/sh\necho "0.0.1 (0123456789ab)"\n');
    chmodSync(join(bin, 'asym'), 0o755);
    const r = await install(['--from', release], { ...process.env, PATH: `${bin}:${process.env.PATH}` });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`upgraded asym at ${bin}/asym from 0.0.1 (0123456789ab) to ${pkg.version}`);
    expect(r.stdout).not.toContain('not on your PATH');
    expect(sha256(join(bin, 'asym'))).toBe(sha256(join(release, 'asym-linux-x64')));
    expect(readFileSync(join(bin, 'asym')).subarray(0, 4).toString('latin1')).toBe('\x7fELF');
  }, 60_000);

  test('a file that does not match its checksum is refused and the installed asym is left alone', async () => {
    const bad = join(dir, 'tampered');
    mkdirSync(bad);
    copyFileSync(join(release, 'SHA256SUMS'), join(bad, 'SHA256SUMS'));
    writeFileSync(join(bad, 'asym-linux-x64'), '#!/bin/sh\necho pwned\n');
    const bin = join(dir, 'bin-tamper');
    mkdirSync(bin);
    writeFileSync(join(bin, 'asym'), 'previous');
    const r = await install(['--dir', bin, '--from', bad]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('checksum mismatch for asym-linux-x64');
    expect(r.stderr).toContain('Nothing was installed');
    expect(readFileSync(join(bin, 'asym'), 'utf8')).toBe('previous');
  }, 60_000);

  test('picks the file from uname, and refuses one that cannot run here or a system with no build', async () => {
    const fake = join(dir, 'fake-uname');
    mkdirSync(fake, { recursive: true });
    const withUname = (s: string, m: string) => {
      writeFileSync(join(fake, 'uname'), `#!/bin/sh\ncase "$1" in -s) echo ${s};; -m) echo ${m};; *) echo ${s};; esac\n`);
      chmodSync(join(fake, 'uname'), 0o755);
      return { ...process.env, PATH: `${fake}:${process.env.PATH}` };
    };
    const bin = join(dir, 'bin-cross');
    const mac = await install(['--dir', bin, '--from', release], withUname('Darwin', 'arm64'));
    expect(mac.code).toBe(1);
    expect(mac.stderr).toContain('asym-darwin-arm64 does not run on this machine');
    expect(existsSync(join(bin, 'asym'))).toBe(false);
    const bsd = await install(['--dir', bin, '--from', release], withUname('FreeBSD', 'amd64'));
    expect(bsd.code).toBe(1);
    expect(bsd.stderr).toContain('no asym build for FreeBSD');
    const risc = await install(['--dir', bin, '--from', release], withUname('Linux', 'riscv64'));
    expect(risc.stderr).toContain('no asym build for the riscv64 processor');
  }, 60_000);

  test('installs from an http URL (a server on loopback serving the release folder)', async () => {
    const server = Bun.serve({
      hostname: '127.0.0.1',
      port: 0,
      fetch: (req) => {
        const name = new URL(req.url).pathname.split('/').pop() ?? '';
        const p = join(release, name);
        return /^[\w.-]+$/.test(name) && existsSync(p) ? new Response(Bun.file(p)) : new Response('not found', { status: 404 });
      },
    });
    try {
      const bin = join(dir, 'bin-http');
      const r = await install(['--dir', bin, '--from', `http://127.0.0.1:${server.port}/v${pkg.version}/`]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`installed asym ${pkg.version}`);
      expect(sha256(join(bin, 'asym'))).toBe(sha256(join(release, 'asym-linux-x64')));
    } finally {
      server.stop(true);
    }
  }, 60_000);
});

// Debian's qemu-user-static runs the arm64 build; its glibc comes from libc6-arm64-cross
// (both installed by scripts/setup.sh). Outside CI a machine without them skips.
const qemu = '/usr/bin/qemu-aarch64-static';
const sysroot = '/usr/aarch64-linux-gnu';
const hasQemu = existsSync(qemu) && existsSync(join(sysroot, 'lib/ld-linux-aarch64.so.1'));
describe.skipIf(!hasQemu && !inCI)('the linux-arm64 binary under qemu', () => {
  test('answers --version and templates', async () => {
    const env = bareEnv({ ASYM_HOME: join(dir, 'qemu-home') });
    const arm = [qemu, '-L', sysroot, join(release, 'asym-linux-arm64')];
    const v = await runIn(dir, [...arm, '--version'], env);
    expect(v.stderr).toBe('');
    expect(v.stdout.trim()).toStartWith(`${pkg.version} (${headCommit.slice(0, 12)}`);
    const t = await runIn(dir, [...arm, 'templates', '--json'], env);
    expect(t.code).toBe(0);
    expect(t.json.map((x: any) => x.name)).toEqual(expect.arrayContaining(['slack', 'github', 'stripe', 'hubspot', 'notion']));
  }, 60_000);
});

describeDocker('the installed binary alone, in an empty folder', () => {
  const work = mkdtempSync(join(dir, 'alone-'));
  const home = join(work, 'home');
  const exe = join(work, 'asym');
  const env = bareEnv({ ASYM_HOME: home });
  const run = (args: string[]) => runIn(work, [exe, ...args], env);
  const name = uniqueName('alone');
  afterAll(async () => {
    await run(['destroy', name, '--yes', '--json']);
    rmSync(work, { recursive: true, force: true });
  }, 60_000);

  test('takes its settings from asym settings set, then spins, seeds, resets and destroys a clone', async () => {
    copyFileSync(join(release, 'asym-linux-x64'), exe);
    chmodSync(exe, 0o755);
    expect(existsSync(join(work, '.env'))).toBe(false);
    // The images this suite runs on (the checkout's .env or the defaults), given the way a user would.
    const images = baseImages();
    const set = await run(['settings', 'set', `postgresImage=${images.postgres}`, `redisImage=${images.redis}`, `bunImage=${images.bun}`, 'portRange=43000-43999', '--json']);
    expect(set.code).toBe(0);
    for (const k of ['postgresImage', 'redisImage', 'bunImage', 'portRange']) expect(set.json.settings[k].source).toBe('settings');
    expect(statSync(join(home, 'settings.json')).mode & 0o777).toBe(0o600);
    // The binary carries the base-image script: its plan keys the images as the script does.
    const plan = await run(['images', 'build-base', '--dry-run', '--json']);
    expect(plan.json.key).toBe(scriptKey);

    const spin = await run(['spin', 'notion', '--name', name, '--json']);
    expect(spin.stderr).not.toContain('IMAGE_UNAVAILABLE');
    expect(spin.code).toBe(0);
    const clone = spin.json;
    expect(clone.state).toBe('running');
    expect(clone.ports.api).toBeGreaterThanOrEqual(43000);
    expect(clone.ports.api).toBeLessThanOrEqual(43999);

    const seed = await run(['seed', name, '--fixture', 'acme', '--json']);
    expect(seed.code).toBe(0);
    expect(seed.json.written).toBeGreaterThan(0);

    const notion = new Client({ auth: clone.tokens.botToken, baseUrl: clone.endpoints.api } as never);
    const sources: any = await notion.search({ filter: { property: 'object', value: 'data_source' } } as never);
    const tasks = sources.results.find((s: any) => s.title[0]?.plain_text === 'Tasks');
    expect(tasks).toBeDefined();
    await notion.pages.create({ parent: { data_source_id: tasks.id }, properties: { Name: { title: [{ text: { content: 'made by the agent' } }] } } } as never);
    const changed = await run(['diff', name, '--json']);
    expect(changed.json.summary.added).toBeGreaterThan(0);

    const reset = await run(['reset', name, '--json']);
    expect(reset.code).toBe(0);
    const after = await run(['diff', name, '--json']);
    expect(after.json.summary).toEqual({ tables: 0, added: 0, removed: 0, changed: 0 });
    expect(after.json.hash.to).toBe(changed.json.hash.from);

    expect((await labelled(name)).containers.length).toBeGreaterThan(0);
    const destroy = await run(['destroy', name, '--yes', '--json']);
    expect(destroy.json).toEqual({ id: name, destroyed: true });
    expect((await labelled(name)).containers).toEqual([]);
  }, 180_000);
});
