/**
 * API keys of a control plane: `<home>/serve/keys.json` (0600). A key is shown once, when it
 * is created; only its sha256 is stored, and a presented key is compared against every
 * stored hash with timingSafeEqual (no early exit on the first byte that differs, and no
 * lookup whose timing depends on the key). Each key's name is a tenant.
 * The file is written under a lock and renamed into place; the server re-reads it per
 * request (it is small), so `asym serve keys revoke` takes effect at once.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import * as v from 'valibot';
import { KeyNameSchema, MaxClonesSchema } from '../contract/api.ts';
import { AsymmetricError } from '../contract/errors.ts';
import { ensurePrivateDir, homePath } from '../registry/home.ts';
import { withLock } from '../registry/lock.ts';
import { writeAtomic } from '../registry/registry.ts';

const KeyEntrySchema = v.object({
  name: KeyNameSchema,
  sha256: v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/)),
  maxClones: v.nullable(MaxClonesSchema),
  createdAt: v.string(),
  revokedAt: v.optional(v.string()),
});
const KeysFileSchema = v.object({ version: v.literal(1), keys: v.array(KeyEntrySchema) });
export type KeyEntry = v.InferOutput<typeof KeyEntrySchema>;
/** What `keys ls` shows: never the hash. */
export type KeyInfo = Omit<KeyEntry, 'sha256'> & { revoked: boolean };

export const KEY_PREFIX = 'asym_sk_';

export function keysPath(): string {
  return homePath('serve', 'keys.json');
}

const hashOf = (key: string) => createHash('sha256').update(key).digest();

export function readKeys(): KeyEntry[] {
  const path = keysPath();
  if (!existsSync(path)) return [];
  const parsed = v.safeParse(KeysFileSchema, (() => {
    try {
      return JSON.parse(readFileSync(path, 'utf8'));
    } catch {
      return null;
    }
  })());
  if (!parsed.success) throw new AsymmetricError('REGISTRY_CORRUPT', `${path} is not a valid keys file`, { hint: 'restore it from a backup, or move it away and create the keys again' });
  return parsed.output.keys;
}

async function updateKeys<T>(fn: (keys: KeyEntry[]) => T): Promise<T> {
  ensurePrivateDir(homePath('serve'));
  return withLock(`${keysPath()}.lock`, () => {
    const keys = readKeys();
    const out = fn(keys);
    writeAtomic(keysPath(), `${JSON.stringify({ version: 1, keys }, null, 2)}\n`);
    return out;
  });
}

const info = ({ sha256: _, ...k }: KeyEntry): KeyInfo => ({ ...k, revoked: Boolean(k.revokedAt) });

export async function createKey(name: string, maxClones: number | null): Promise<{ key: string; info: KeyInfo }> {
  if (!v.is(KeyNameSchema, name)) throw new AsymmetricError('INVALID_INPUT', `key name ${JSON.stringify(name)}: use 2-40 lowercase letters, digits and dashes, starting with a letter`);
  if (maxClones !== null && !v.is(MaxClonesSchema, maxClones)) throw new AsymmetricError('INVALID_INPUT', `--max-clones must be a whole number from 0 to 10000`);
  const key = `${KEY_PREFIX}${randomBytes(24).toString('base64url')}`;
  const entry = await updateKeys((keys) => {
    const existing = keys.find((k) => k.name === name);
    if (existing && !existing.revokedAt) throw new AsymmetricError('NAME_TAKEN', `a key named ${name} already exists`, { hint: `pick another --name, or asym serve keys revoke ${name} first` });
    // A revoked name is taken over by the new key: the tenant (and its clones) stay one.
    if (existing) keys.splice(keys.indexOf(existing), 1);
    const e: KeyEntry = { name, sha256: hashOf(key).toString('hex'), maxClones, createdAt: new Date().toISOString() };
    keys.push(e);
    return e;
  });
  return { key, info: info(entry) };
}

export function listKeys(): KeyInfo[] {
  return readKeys().map(info);
}

export async function revokeKey(name: string): Promise<KeyInfo> {
  return updateKeys((keys) => {
    const k = keys.find((e) => e.name === name && !e.revokedAt);
    if (!k) throw new AsymmetricError('INVALID_INPUT', `no active key named ${name}`, { hint: 'asym serve keys ls lists them' });
    k.revokedAt = new Date().toISOString();
    return info(k);
  });
}

/** The active key a bearer token belongs to, or null; every stored hash is compared. */
export function authenticate(token: string | null): KeyEntry | null {
  if (!token) return null;
  const presented = hashOf(token);
  let found: KeyEntry | null = null;
  for (const k of readKeys()) {
    const stored = Buffer.from(k.sha256, 'hex');
    if (stored.length === presented.length && timingSafeEqual(stored, presented) && !k.revokedAt) found = k;
  }
  return found;
}
