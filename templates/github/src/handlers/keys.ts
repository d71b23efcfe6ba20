import { GitHubError, invalid, notFound } from '../errors.ts';
import { listReply, pageOf } from '../paging.ts';
import * as render from '../render.ts';
import { userByLogin } from '../store.ts';
import type { Gh, Reply } from '../types.ts';
import { me, noContent, ok } from './common.ts';

/**
 * Public SSH keys (/user/keys: authentication) and SSH signing keys (/user/ssh_signing_keys),
 * one table, one `kind` each. A key is stored as GitHub shows it, `<type> <base64>` without
 * its comment, and is used once per kind across all accounts (the same key may be both an
 * authentication and a signing key). Types are those of GitHub's description: ssh-rsa,
 * ssh-dss, ssh-ed25519, ecdsa-sha2-nistp256/384/521, and for signing keys also the
 * sk-ssh-ed25519@openssh.com and sk-ecdsa-sha2-nistp256@openssh.com security keys.
 */

type Kind = 'authentication' | 'signing';

interface KeyRow {
  id: number;
  user_id: number;
  kind: Kind;
  title: string;
  key: string;
  created_at: Date;
}

const TYPES: Record<Kind, string[]> = {
  authentication: ['ssh-rsa', 'ssh-dss', 'ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521'],
  signing: ['ssh-rsa', 'ssh-dss', 'ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'sk-ssh-ed25519@openssh.com', 'sk-ecdsa-sha2-nistp256@openssh.com'],
};
const RESOURCE: Record<Kind, string> = { authentication: 'PublicKey', signing: 'SshSigningKey' };

/**
 * The key normalised to `<type> <base64>`, or GitHub's 422. The base64 blob must decode and
 * name its own type first (an SSH wire-format string), so a truncated or pasted-wrong key
 * is refused rather than stored.
 */
function parseKey(kind: Kind, raw: unknown): string {
  const resource = RESOURCE[kind];
  if (raw === undefined || raw === null || raw === '') invalid(resource, 'missing_field', 'key');
  if (typeof raw !== 'string') throw new GitHubError(422, `Invalid request.\n\nFor 'properties/key', ${JSON.stringify(raw)} is not a string.`);
  const [type = '', blob = ''] = raw.trim().split(/\s+/);
  const bad = (): never => invalid(resource, 'custom', 'key', { message: `key is invalid. You must supply a key in OpenSSH public key format` });
  if (!TYPES[kind].includes(type) || !/^[A-Za-z0-9+/]+={0,2}$/.test(blob)) return bad();
  const bytes = Buffer.from(blob, 'base64');
  const n = bytes.length >= 4 ? bytes.readUInt32BE(0) : -1;
  if (n !== type.length || bytes.subarray(4, 4 + n).toString('latin1') !== type || bytes.length <= 4 + n) return bad();
  return `${type} ${blob}`;
}

function authJson(g: Gh, k: KeyRow): Record<string, unknown> {
  return { key: k.key, id: k.id, url: `${g.base}/user/keys/${k.id}`, title: k.title, created_at: render.iso(k.created_at), verified: true, read_only: false, last_used: null };
}

function signingJson(k: KeyRow): Record<string, unknown> {
  return { key: k.key, id: k.id, title: k.title, created_at: render.iso(k.created_at) };
}

const full = (g: Gh, k: KeyRow) => (k.kind === 'authentication' ? authJson(g, k) : signingJson(k));

async function keysReply(g: Gh, userId: number, kind: Kind, map: (k: KeyRow) => unknown): Promise<Reply> {
  const p = pageOf(g);
  const count = await g.ctx.db.q<{ n: number }>`select count(*)::int as n from user_keys where user_id = ${userId} and kind = ${kind}`;
  const rows = await g.ctx.db.q<KeyRow>`select * from user_keys where user_id = ${userId} and kind = ${kind} order by id limit ${p.perPage} offset ${p.offset}`;
  return listReply(g, p, rows.map(map), count[0]?.n ?? 0);
}

/** The viewer's key of that kind named by the path, else 404 (another account's key too). */
async function ownKey(g: Gh, kind: Kind, param: string): Promise<KeyRow> {
  const raw = g.params[param] ?? '';
  if (!/^\d+$/.test(raw) || Number(raw) > 2_147_483_647) return notFound();
  const rows = await g.ctx.db.q<KeyRow>`select * from user_keys where id = ${Number(raw)} and user_id = ${me(g).id} and kind = ${kind}`;
  return rows[0] ?? notFound();
}

async function create(g: Gh, kind: Kind): Promise<Reply> {
  const u = me(g);
  const key = parseKey(kind, g.body.key);
  const title = g.body.title;
  if (title !== undefined && title !== null && typeof title !== 'string') throw new GitHubError(422, `Invalid request.\n\nFor 'properties/title', ${JSON.stringify(title)} is not a string.`);
  const rows = await g.ctx.db.q<KeyRow>`insert into user_keys (user_id, kind, title, key) values (${u.id}, ${kind}, ${title ?? ''}, ${key})
    on conflict (kind, key) do nothing returning *`;
  if (!rows[0]) invalid(RESOURCE[kind], 'custom', 'key', { message: 'key is already in use' });
  return ok(full(g, rows[0]!), 201);
}

async function remove(g: Gh, kind: Kind, param: string): Promise<Reply> {
  const k = await ownKey(g, kind, param);
  await g.ctx.db.q`delete from user_keys where id = ${k.id}`;
  return noContent();
}

async function forUser(g: Gh, kind: Kind, map: (k: KeyRow) => unknown): Promise<Reply> {
  const u = (await userByLogin(g, g.params.username ?? '')) ?? notFound();
  return keysReply(g, u.id, kind, map);
}

// ---- /user/keys (authentication) ----
export const listMine = (g: Gh) => keysReply(g, me(g).id, 'authentication', (k) => authJson(g, k));
export const createMine = (g: Gh) => create(g, 'authentication');
export const getMine = async (g: Gh): Promise<Reply> => ok(authJson(g, await ownKey(g, 'authentication', 'key_id')));
export const deleteMine = (g: Gh) => remove(g, 'authentication', 'key_id');
/** GET /users/{username}/keys: anyone may read a user's keys, as "Key Simple" ({id, key}). */
export const listForUser = (g: Gh) => forUser(g, 'authentication', (k) => ({ id: k.id, key: k.key, created_at: render.iso(k.created_at), last_used: null }));

// ---- /user/ssh_signing_keys ----
export const listSigning = (g: Gh) => keysReply(g, me(g).id, 'signing', signingJson);
export const createSigning = (g: Gh) => create(g, 'signing');
export const getSigning = async (g: Gh): Promise<Reply> => ok(signingJson(await ownKey(g, 'signing', 'ssh_signing_key_id')));
export const deleteSigning = (g: Gh) => remove(g, 'signing', 'ssh_signing_key_id');
export const listSigningForUser = (g: Gh) => forUser(g, 'signing', signingJson);
