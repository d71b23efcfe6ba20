/**
 * Named control planes ("contexts"): `asym remote add NAME URL --token-stdin` records the URL
 * (and a CA file) in settings.json under `remotes`, and the key in `<home>/remotes/NAME.token`
 * (0600 in a 0700 folder), so settings.json, which `asym settings` prints, never holds a key.
 * `asym remote use NAME` sets `remote`; `use local` removes it.
 *
 * Which control plane a command talks to, first match wins:
 * 1. ASYM_REMOTE in the environment: that URL with ASYM_REMOTE_TOKEN (and ASYM_REMOTE_CA);
 *    set but empty means this machine, whatever the settings say;
 * 2. the settings' `remote`: that context's URL, key and CA;
 * 3. none: this machine's engine.
 */
import * as v from 'valibot';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { AsymmetricError } from '../contract/errors.ts';
import { ensureHome, ensurePrivateDir, homePath } from '../registry/home.ts';
import { writeAtomic } from '../registry/registry.ts';
import { readSettings, updateSettings } from './settings.ts';

export const LOCAL = 'local';

const RemoteNameSchema = v.pipe(v.string(), v.regex(/^[a-z][a-z0-9-]{0,38}[a-z0-9]$/, 'use 2-40 lowercase letters, digits and dashes, starting with a letter'));

export interface RemoteTarget {
  url: string;
  token: string;
  ca: string | null;
  /** The context's name, or null when ASYM_REMOTE set it. */
  context: string | null;
}

export interface RemoteEntry {
  name: string;
  url: string | null;
  ca: string | null;
  current: boolean;
}

export function tokenPath(name: string): string {
  return homePath('remotes', `${name}.token`);
}

/** http(s)://HOST[:PORT] as its origin; anything else is INVALID_INPUT naming where it came from. */
export function remoteOrigin(url: string, what: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new AsymmetricError('INVALID_INPUT', `${what} ${url} is not a URL`, { hint: 'e.g. https://asym.example.com:7420' });
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new AsymmetricError('INVALID_INPUT', `${what} ${url} must be http(s)://HOST:PORT`, { hint: 'e.g. https://asym.example.com:7420' });
  return parsed.origin;
}

function checkName(name: string): string {
  if (name === LOCAL) throw new AsymmetricError('INVALID_INPUT', `${LOCAL} names this machine and cannot be a remote's name`, { hint: 'pick another name' });
  if (!v.is(RemoteNameSchema, name)) throw new AsymmetricError('INVALID_INPUT', `remote name ${JSON.stringify(name)}: use 2-40 lowercase letters, digits and dashes, starting with a letter`);
  return name;
}

function notFound(name: string, known: string[]): AsymmetricError {
  return new AsymmetricError('REMOTE_NOT_FOUND', `no remote named ${name}`, {
    hint: known.length ? `remotes: ${known.join(', ')} (asym remote ls); ${LOCAL} is this machine` : `add one: asym remote add NAME URL --token-stdin`,
  });
}

export async function addRemote(name: string, url: string, token: string, ca?: string): Promise<RemoteEntry> {
  checkName(name);
  const origin = remoteOrigin(url, 'URL');
  const key = token.trim();
  if (!key || /\s/.test(key)) throw new AsymmetricError('INVALID_INPUT', 'no key on stdin (or more than one word)', { hint: `printf %s "$KEY" | asym remote add ${name} ${url} --token-stdin` });
  if (ca !== undefined && !existsSync(ca)) throw new AsymmetricError('INVALID_INPUT', `no such file ${ca}`, { hint: '--ca names the PEM file of the CA that signed the server\'s certificate' });
  ensureHome();
  await updateSettings((s) => {
    if (s.remotes?.[name]) throw new AsymmetricError('NAME_TAKEN', `a remote named ${name} already exists`, { hint: `asym remote rm ${name} first` });
    ensurePrivateDir(homePath('remotes'));
    writeAtomic(tokenPath(name), `${key}\n`);
    // Absolute: the context is used from any folder.
    s.remotes = { ...s.remotes, [name]: { url: origin, ...(ca ? { ca: resolve(ca) } : {}) } };
  });
  return { name, url: origin, ca: ca ? resolve(ca) : null, current: readSettings().remote === name };
}

export async function useRemote(name: string): Promise<RemoteEntry> {
  const s = await updateSettings((s) => {
    if (name === LOCAL) {
      delete s.remote;
      return;
    }
    if (!s.remotes?.[name]) throw notFound(name, Object.keys(s.remotes ?? {}));
    s.remote = name;
  });
  return name === LOCAL ? { name, url: null, ca: null, current: true } : { name, url: s.remotes![name]!.url, ca: s.remotes![name]!.ca ?? null, current: true };
}

export async function removeRemote(name: string): Promise<{ name: string; removed: true; current: string }> {
  const s = await updateSettings((s) => {
    if (!s.remotes?.[name]) throw notFound(name, Object.keys(s.remotes ?? {}));
    const { [name]: _, ...rest } = s.remotes;
    s.remotes = rest;
    if (s.remote === name) delete s.remote;
  });
  rmSync(tokenPath(name), { force: true });
  return { name, removed: true, current: s.remote ?? LOCAL };
}

/** This machine first, then every remote; never a key. */
export function listRemotes(): RemoteEntry[] {
  const s = readSettings();
  return [
    { name: LOCAL, url: null, ca: null, current: !s.remote },
    ...Object.entries(s.remotes ?? {}).map(([name, r]) => ({ name, url: r.url, ca: r.ca ?? null, current: s.remote === name })),
  ];
}

/** The control plane this process talks to, or null for this machine (see the order above). */
export function currentRemote(env: NodeJS.ProcessEnv = process.env): RemoteTarget | null {
  if (env.ASYM_REMOTE !== undefined) {
    const url = env.ASYM_REMOTE.trim();
    return url ? { url, token: env.ASYM_REMOTE_TOKEN?.trim() ?? '', ca: env.ASYM_REMOTE_CA?.trim() || null, context: null } : null;
  }
  const s = readSettings();
  if (!s.remote) return null;
  const r = s.remotes?.[s.remote];
  if (!r) throw notFound(s.remote, Object.keys(s.remotes ?? {}));
  let token: string;
  try {
    token = readFileSync(tokenPath(s.remote), 'utf8').trim();
  } catch {
    throw new AsymmetricError('REMOTE_NOT_FOUND', `the key of remote ${s.remote} is missing (${tokenPath(s.remote)})`, { hint: `asym remote rm ${s.remote}, then add it again with its key` });
  }
  return { url: r.url, token, ca: r.ca ?? null, context: s.remote };
}
