/**
 * `asym images build-base`: the stand-in base images (Postgres, Redis, a Bun runtime) built
 * from Debian packages, for machines that reach no container registry. The work is done by
 * scripts/base-images.sh, which the binary carries as text and runs from a temp folder, so
 * a downloaded asym needs no checkout; the result is recorded in the user's settings.
 *
 * The script tags each image with a key derived from its own text, the Postgres entrypoint
 * and the Bun version, and skips the build when all three images carry that key. The plan
 * computes the same key, so `--dry-run` can say honestly whether a run would build (about a
 * minute, as root on Debian/Ubuntu) or only confirm what is there (under a second).
 */
import { createHash } from 'node:crypto';
import { accessSync, constants, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import script from '../../scripts/base-images.sh' with { type: 'text' };
import entrypoint from '../../scripts/base-images/postgres-entrypoint.sh' with { type: 'text' };
import { AsymmetricError } from '../contract/errors.ts';
import { docker, lastLines, run } from '../docker/spawn.ts';
import { ensureEngine } from '../docker/engine.ts';
import { updateSettings, type SettingKey } from '../settings/settings.ts';
import { versionInfo } from '../version.ts';

/** What the script builds, by the setting that names each. */
export const STAND_INS: Record<Extract<SettingKey, 'postgresImage' | 'redisImage' | 'bunImage'>, string> = {
  postgresImage: 'asym-local/postgres:15',
  redisImage: 'asym-local/redis:7',
  bunImage: 'asym-local/bun:1',
};
/** The debootstrapped rootfs the three are built FROM; present means no debootstrap. */
export const ROOTFS_IMAGE = 'asym-local/debian:bookworm';
export const DEBIAN_KEYRING = '/usr/share/keyrings/debian-archive-keyring.gpg';

export const embeddedScript = { script, entrypoint };

/** The script's key: sha256 of `cat base-images.sh postgres-entrypoint.sh; bun --version`, 12 hex. */
export function baseKey(bunVersionOutput: string): string {
  return createHash('sha256').update(script).update(entrypoint).update(bunVersionOutput).digest('hex').slice(0, 12);
}

/** Facts about this machine the plan depends on; gathered once, judged by a pure function. */
export interface HostFacts {
  platform: NodeJS.Platform;
  isRoot: boolean;
  /** ID and ID_LIKE of /etc/os-release, e.g. ['ubuntu', 'debian']; empty when unknown. */
  osIds: string[];
  bun: { path: string; version: string } | { path: string | null; problem: string };
  hasApt: boolean;
  hasDebootstrap: boolean;
  hasDebianKeyring: boolean;
}

export interface ImageState {
  ref: string;
  key: string | null;
}

export interface BaseImagesState {
  images: ImageState[];
  rootfsPresent: boolean;
}

export function parseOsRelease(text: string): string[] {
  const get = (k: string) => new RegExp(`^${k}=("?)([^"\\n]*)\\1$`, 'm').exec(text)?.[2] ?? '';
  return [get('ID'), ...get('ID_LIKE').split(/\s+/)].map((s) => s.trim().toLowerCase()).filter(Boolean);
}

const executable = (p: string) => {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/**
 * The Bun binary copied into the runtime image: BUN_BINARY, else `bun` on the PATH, else the
 * bun running this very process when it runs from source (a compiled asym is not a bun).
 */
async function findBun(): Promise<HostFacts['bun']> {
  const fromEnv = process.env.BUN_BINARY?.trim();
  const path = fromEnv || Bun.which('bun') || (versionInfo().from === 'checkout' ? process.execPath : null);
  if (!path) return { path: null, problem: 'no bun binary found' };
  if (!executable(path)) return { path, problem: `${fromEnv ? 'BUN_BINARY=' : ''}${path} is not an executable file` };
  const r = await run([path, '--version'], { timeoutMs: 15_000 });
  if (r.code !== 0 || !/^\d+\.\d+/.test(r.stdout)) return { path, problem: `${path} --version did not print a Bun version` };
  return { path, version: r.stdout };
}

export async function gatherFacts(): Promise<HostFacts> {
  let osIds: string[] = [];
  try {
    osIds = parseOsRelease(readFileSync('/etc/os-release', 'utf8'));
  } catch {}
  return {
    platform: process.platform,
    isRoot: typeof process.getuid === 'function' && process.getuid() === 0,
    osIds,
    bun: await findBun(),
    hasApt: Boolean(Bun.which('apt-get')),
    hasDebootstrap: Boolean(Bun.which('debootstrap')),
    hasDebianKeyring: existsSync(DEBIAN_KEYRING),
  };
}

export async function inspectBaseImages(): Promise<BaseImagesState> {
  const label = async (ref: string) => {
    const r = await docker(['image', 'inspect', '-f', '{{index .Config.Labels "asym.base-key"}}', ref], { allowFailure: true });
    return r.code === 0 ? r.stdout.trim() || null : null;
  };
  const images = await Promise.all(Object.values(STAND_INS).map(async (ref) => ({ ref, key: await label(ref) })));
  const rootfs = await docker(['image', 'inspect', '-f', '{{.Id}}', ROOTFS_IMAGE], { allowFailure: true });
  return { images, rootfsPresent: rootfs.code === 0 };
}

const OTHERWISE = 'or name images you already have: asym settings set postgresImage=… redisImage=… bunImage=… (e.g. ones loaded with docker load)';

/**
 * Every reason this machine cannot run the build, as named errors with the exact thing to
 * install or set; empty when it can. A build that the key says is already done needs only
 * the Bun binary (for the key): nothing is debootstrapped.
 */
export function problemsFor(facts: HostFacts, state: BaseImagesState, key: string | null): AsymmetricError[] {
  const problems: AsymmetricError[] = [];
  if (!('version' in facts.bun)) {
    problems.push(new AsymmetricError('PREREQUISITE_MISSING', `the Bun runtime image needs a Bun binary: ${facts.bun.problem}`, {
      hint: 'install Bun 1.x (npm install -g bun, or https://bun.sh), or set BUN_BINARY=/path/to/bun (a Linux build for this machine)',
    }));
  }
  const upToDate = key !== null && state.images.every((i) => i.key === key);
  if (upToDate) return problems;
  if (facts.platform !== 'linux') {
    problems.push(new AsymmetricError('NOT_SUPPORTED', `asym images build-base builds from Debian packages and runs on Debian or Ubuntu Linux, not ${facts.platform}`, {
      hint: `on ${facts.platform === 'darwin' ? 'macOS, Docker Desktop or colima pulls the official images: asym settings set pull=auto' : 'this machine, let Docker pull the official images (asym settings set pull=auto)'}, ${OTHERWISE}`,
    }));
    return problems;
  }
  const debianLike = facts.osIds.some((id) => id === 'debian' || id === 'ubuntu');
  if (!debianLike) {
    problems.push(new AsymmetricError('NOT_SUPPORTED', `asym images build-base needs Debian or Ubuntu (apt and debootstrap); this is ${facts.osIds[0] ?? 'an unknown Linux'}`, {
      hint: `run it on a Debian/Ubuntu machine and move the images over (docker save asym-local/postgres:15 asym-local/redis:7 asym-local/bun:1 | docker load), ${OTHERWISE}`,
    }));
    return problems;
  }
  if (!facts.isRoot) {
    problems.push(new AsymmetricError('NOT_SUPPORTED', 'asym images build-base must run as root (debootstrap and apt-get need it)', {
      hint: 'sudo asym images build-base',
    }));
  }
  if (!state.rootfsPresent) {
    if (!facts.hasDebootstrap && !facts.hasApt) {
      problems.push(new AsymmetricError('PREREQUISITE_MISSING', 'debootstrap is not installed and there is no apt-get to install it', { hint: 'install debootstrap' }));
    }
    if (!facts.hasDebianKeyring) {
      problems.push(new AsymmetricError('PREREQUISITE_MISSING', `debootstrapping Debian bookworm needs Debian's archive keyring (${DEBIAN_KEYRING})`, {
        hint: 'apt-get install debian-archive-keyring',
      }));
    }
  }
  return problems;
}

export interface BuildBasePlan {
  key: string | null;
  bun: { path: string | null; version: string | null };
  images: Array<ImageState & { upToDate: boolean }>;
  rootfsPresent: boolean;
  /** All three images carry the key: a run confirms them and records them, nothing is built. */
  upToDate: boolean;
  /** What a run does. */
  steps: string[];
  problems: Array<ReturnType<AsymmetricError['toJSON']>>;
  /** What a run records in the settings. */
  settings: typeof STAND_INS;
}

export async function planBuildBase(): Promise<{ plan: BuildBasePlan; errors: AsymmetricError[]; bunPath: string | null }> {
  await ensureEngine();
  const [facts, state] = await Promise.all([gatherFacts(), inspectBaseImages()]);
  const key = 'version' in facts.bun ? baseKey(facts.bun.version) : null;
  const errors = problemsFor(facts, state, key);
  const upToDate = key !== null && state.images.every((i) => i.key === key);
  const steps = upToDate
    ? ['confirm the three images carry the key (nothing is built)', 'record them in the settings']
    : [
        ...(state.rootfsPresent ? [] : [`${facts.hasDebootstrap ? '' : 'apt-get install debootstrap; '}debootstrap Debian bookworm with postgresql-15 and redis-server and import it as ${ROOTFS_IMAGE} (about a minute, ~470 MB)`]),
        `docker build ${Object.values(STAND_INS).join(', ')} (the Bun image gets ${facts.bun.path ?? 'a bun binary'})`,
        'record them in the settings',
      ];
  const plan: BuildBasePlan = {
    key,
    bun: { path: facts.bun.path, version: 'version' in facts.bun ? facts.bun.version.trim() : null },
    images: state.images.map((i) => ({ ...i, upToDate: key !== null && i.key === key })),
    rootfsPresent: state.rootfsPresent,
    upToDate,
    steps,
    problems: errors.map((e) => e.toJSON()),
    settings: STAND_INS,
  };
  return { plan, errors, bunPath: facts.bun.path };
}

/** Run the embedded script from a temp folder laid out like scripts/, then record the images. */
export async function buildBase(onProgress: (line: string) => void): Promise<{ plan: BuildBasePlan; built: boolean; ms: number }> {
  const started = performance.now();
  const { plan, errors, bunPath } = await planBuildBase();
  const [first, ...rest] = errors;
  if (first) {
    throw rest.length ? new AsymmetricError(first.code, first.message, { hint: first.hint, details: { more: rest.map((e) => e.toJSON()) } }) : first;
  }
  const dir = mkdtempSync(join(tmpdir(), 'asym-base-images-'));
  try {
    mkdirSync(join(dir, 'base-images'));
    writeFileSync(join(dir, 'base-images.sh'), script, { mode: 0o755 });
    writeFileSync(join(dir, 'base-images', 'postgres-entrypoint.sh'), entrypoint, { mode: 0o755 });
    let partial = '';
    const res = await run(['bash', join(dir, 'base-images.sh')], {
      env: { BUN_BINARY: bunPath ?? undefined, DOCKER_BUILDKIT: '0' },
      onStderr: (chunk) => {
        const lines = (partial + chunk).split('\n');
        partial = lines.pop() ?? '';
        for (const l of lines) if (l.startsWith('[base-images]')) onProgress(l.replace('[base-images] ', ''));
      },
    });
    if (res.code !== 0) {
      throw new AsymmetricError('BUILD_FAILED', `building the base images failed: ${lastLines(res.stderr, 8)}`, {
        hint: 'it needs Debian’s package archive (deb.debian.org) reachable; rerun after fixing the cause, finished images are kept',
      });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const after = await inspectBaseImages();
  const missing = after.images.filter((i) => i.key !== plan.key);
  if (missing.length) {
    throw new AsymmetricError('BUILD_FAILED', `the base image script finished but ${missing.map((i) => i.ref).join(', ')} do not carry key ${plan.key}`);
  }
  await updateSettings((s) => Object.assign(s, STAND_INS));
  return { plan, built: !plan.upToDate, ms: Math.round(performance.now() - started) };
}
