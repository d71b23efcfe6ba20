/**
 * The user's settings: $ASYM_HOME/settings.json (~/.asymmetric/settings.json), beside the
 * registry. Every command reads it, from any folder; an environment variable, when set,
 * overrides the file key by key; a key in neither has its default.
 *
 * Invariants, as for the registry: the file is 0600 in a 0700 home; every write is a temp
 * file renamed into place under a lock, so concurrent `asym settings set` never lose each
 * other's keys; a file that cannot be parsed is reported (SETTINGS_CORRUPT, with its path)
 * and never overwritten. Keys this version does not know are kept as they are, so an older
 * asym does not strip what a newer one wrote.
 */
import * as v from 'valibot';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AsymmetricError } from '../contract/errors.ts';
import { PortRangeSchema, type PortRange } from '../contract/clone.ts';
import { asymHome, ensureHome } from '../registry/home.ts';
import { withLock } from '../registry/lock.ts';
import { writeAtomic } from '../registry/registry.ts';

// A Docker image reference: [host[:port]/]path[:tag][@sha256:digest], path in lowercase.
const IMAGE_REF = /^(?:[a-zA-Z0-9.-]+(?::\d+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@sha256:[0-9a-f]{64})?$/;
const ImageRefSchema = v.pipe(v.string(), v.regex(IMAGE_REF, 'is not an image reference (e.g. postgres:15, registry.local:5000/team/bun:1)'));
const PullSchema = v.picklist(['auto', 'never'], 'must be auto or never');

export const SettingsFileSchema = v.looseObject({
  version: v.literal(1),
  postgresImage: v.optional(ImageRefSchema),
  redisImage: v.optional(ImageRefSchema),
  bunImage: v.optional(ImageRefSchema),
  pull: v.optional(PullSchema),
  portRange: v.optional(PortRangeSchema),
  /** Named control planes (asym remote add); their keys are files beside, never in here (src/settings/remotes.ts). */
  remotes: v.optional(v.record(v.string(), v.object({ url: v.string(), ca: v.optional(v.string()) }))),
  /** The control plane commands use (asym remote use); absent: this machine. */
  remote: v.optional(v.string()),
});
export type SettingsFile = v.InferOutput<typeof SettingsFileSchema>;

export type SettingKey = 'postgresImage' | 'redisImage' | 'bunImage' | 'pull' | 'portRange';

interface KeySpec {
  env: string;
  default: string;
  describe: string;
  /** Text (from the command line or the environment) → the value stored in the file. */
  parse(text: string): SettingsFile[SettingKey];
  /** Stored value → text. */
  show(value: unknown): string;
}

function checked<S extends v.GenericSchema>(schema: S, text: string): v.InferOutput<S> {
  const r = v.safeParse(schema, text);
  if (!r.success) throw new AsymmetricError('INVALID_INPUT', `${text || '(empty)'} ${r.issues[0]!.message}`);
  return r.output;
}

export function parsePortRangeText(text: string): PortRange {
  const m = /^(\d+)-(\d+)$/.exec(text.trim());
  if (!m) throw new AsymmetricError('INVALID_INPUT', `${text || '(empty)'} is not a port range`, { hint: 'use FROM-TO, e.g. 41000-41999' });
  const r = v.safeParse(PortRangeSchema, { from: Number(m[1]), to: Number(m[2]) });
  if (!r.success) throw new AsymmetricError('INVALID_INPUT', `port range ${text}: ${r.issues[0]!.message}`, { hint: 'ports from 1024 to 65535, FROM at or below TO' });
  return r.output;
}

const image = (env: string, dflt: string, describe: string): KeySpec => ({
  env,
  default: dflt,
  describe,
  parse: (t) => checked(ImageRefSchema, t.trim()),
  show: (x) => String(x),
});

export const SETTING_KEYS: Record<SettingKey, KeySpec> = {
  postgresImage: image('ASYM_POSTGRES_IMAGE', 'postgres:15', 'Postgres image of the shared infra'),
  redisImage: image('ASYM_REDIS_IMAGE', 'redis:7', 'Redis image of the shared infra'),
  bunImage: image('ASYM_BUN_IMAGE', 'oven/bun:1', 'Bun runtime that template images are built on'),
  pull: {
    env: 'ASYM_PULL',
    default: 'auto',
    describe: 'auto: pull missing images from a registry; never: only use local ones (air-gapped)',
    parse: (t) => checked(PullSchema, t.trim()),
    show: (x) => String(x),
  },
  portRange: {
    env: 'ASYM_PORT_RANGE',
    default: '41000-41999',
    describe: 'host ports clones are given, FROM-TO',
    parse: parsePortRangeText,
    show: (x) => `${(x as PortRange).from}-${(x as PortRange).to}`,
  },
};

export const settingKeys = Object.keys(SETTING_KEYS) as SettingKey[];

export function settingsPath(): string {
  return join(asymHome(), 'settings.json');
}

function corrupt(path: string, why: string, cause?: unknown): AsymmetricError {
  return new AsymmetricError('SETTINGS_CORRUPT', `the settings file ${path} cannot be read: ${why}`, {
    hint: `asym will not overwrite it. Fix it by hand, or move it aside (mv ${path} ${path}.bak) to start from the defaults`,
    cause,
  });
}

/** The file as stored; a missing file is empty settings. */
export function readSettings(): SettingsFile {
  const path = settingsPath();
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1 };
    throw new AsymmetricError('INTERNAL', `cannot read ${path}: ${(e as Error).message}`, { cause: e });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw corrupt(path, 'it is not valid JSON', e);
  }
  const r = v.safeParse(SettingsFileSchema, raw);
  if (!r.success) {
    const issue = r.issues[0]!;
    const where = v.getDotPath(issue);
    throw corrupt(path, `${where ? `${where}: ` : ''}${issue.message}`);
  }
  return r.output;
}

/** Read-modify-write under the lock; the result is validated before it is written. */
export async function updateSettings(fn: (s: SettingsFile) => void): Promise<SettingsFile> {
  ensureHome();
  const path = settingsPath();
  return withLock(`${path}.lock`, () => {
    const s = readSettings();
    fn(s);
    const r = v.safeParse(SettingsFileSchema, s);
    if (!r.success) throw new AsymmetricError('INTERNAL', `refusing to write invalid settings: ${r.issues[0]!.message}`);
    writeAtomic(path, `${JSON.stringify(r.output, null, 2)}\n`);
    return r.output;
  });
}

export type SettingSource = 'env' | 'settings' | 'default';

export interface ResolvedSetting {
  value: string;
  source: SettingSource;
  env: string;
  default: string;
}

/** Every key's effective value and where it came from: environment, settings file, default. */
export function resolveSettings(env: Record<string, string | undefined> = process.env, file: SettingsFile = readSettings()): Record<SettingKey, ResolvedSetting> {
  const out = {} as Record<SettingKey, ResolvedSetting>;
  for (const key of settingKeys) {
    const spec = SETTING_KEYS[key];
    const fromEnv = env[spec.env]?.trim();
    const stored = file[key];
    out[key] = fromEnv
      ? { value: fromEnv, source: 'env', env: spec.env, default: spec.default }
      : stored !== undefined
        ? { value: spec.show(stored), source: 'settings', env: spec.env, default: spec.default }
        : { value: spec.default, source: 'default', env: spec.env, default: spec.default };
  }
  return out;
}

/** The effective value of one key (env, else file, else default). */
export function setting(key: SettingKey): string {
  return resolveSettings(process.env)[key].value;
}

function unknownKey(key: string): AsymmetricError {
  // Someone who types the environment variable's name, or another spelling, gets the key.
  const norm = (s: string) => s.toLowerCase().replace(/[^a-z]/g, '');
  const match = settingKeys.find((k) => norm(k) === norm(key) || norm(SETTING_KEYS[k].env) === norm(key) || `asym${norm(k)}` === norm(key));
  return new AsymmetricError('INVALID_INPUT', `unknown setting ${key}`, {
    hint: `${match ? `did you mean ${match}? ` : ''}settings are ${settingKeys.join(', ')} (asym settings shows them)`,
  });
}

export function requireKey(key: string): SettingKey {
  if ((settingKeys as string[]).includes(key)) return key as SettingKey;
  throw unknownKey(key);
}

/** `key=value` pairs → validated changes; nothing is written unless every pair is valid. */
export function parseAssignments(pairs: string[]): Partial<SettingsFile> {
  if (!pairs.length) {
    throw new AsymmetricError('INVALID_INPUT', 'nothing to set', { hint: 'e.g. asym settings set postgresImage=postgres:15 pull=never portRange=42000-42999' });
  }
  const changes: Partial<Record<SettingKey, unknown>> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq < 1) throw new AsymmetricError('INVALID_INPUT', `${pair} is not key=value`, { hint: `e.g. asym settings set pull=never; keys: ${settingKeys.join(', ')}` });
    const key = requireKey(pair.slice(0, eq));
    const text = pair.slice(eq + 1);
    if (!text.trim()) throw new AsymmetricError('INVALID_INPUT', `no value for ${key}`, { hint: `asym settings unset ${key} goes back to the default` });
    try {
      changes[key] = SETTING_KEYS[key].parse(text);
    } catch (e) {
      const err = e as AsymmetricError;
      throw new AsymmetricError('INVALID_INPUT', `${key}: ${err.message}`, { hint: err.hint ?? `${key}: ${SETTING_KEYS[key].describe}, e.g. ${key}=${SETTING_KEYS[key].default}` });
    }
  }
  return changes as Partial<SettingsFile>;
}
