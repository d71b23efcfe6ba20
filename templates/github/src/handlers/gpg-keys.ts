import { GitHubError, invalid, notFound } from '../errors.ts';
import { PgpError, readPublicKey, type PgpKey } from '../openpgp.ts';
import { listReply, pageOf } from '../paging.ts';
import * as render from '../render.ts';
import { userByLogin } from '../store.ts';
import type { Gh, Reply, UserRow } from '../types.ts';
import { me, noContent, ok } from './common.ts';
import { emailsOf } from './emails.ts';

/**
 * GPG keys (/user/gpg_keys, GET /users/{username}/gpg_keys): the armored public key is read
 * (src/openpgp.ts) for its key id, subkeys, capabilities, expiry and user-id emails; each
 * email is `verified` when it is a verified address of the account (/user/emails). A
 * primary key is on one account only (422 on key_id). Signatures are not verified.
 */

interface GpgRow {
  id: number;
  user_id: number;
  primary_key_id: number | null;
  name: string | null;
  key_id: string;
  public_key: string;
  raw_key: string | null;
  emails: string[];
  can_sign: boolean;
  can_certify: boolean;
  can_encrypt_comms: boolean;
  can_encrypt_storage: boolean;
  created_at: Date;
  expires_at: Date | null;
}

function keyJson(k: GpgRow, verified: Set<string>, subkeys: GpgRow[]): Record<string, unknown> {
  return {
    id: k.id,
    ...(k.primary_key_id === null ? { name: k.name } : {}),
    primary_key_id: k.primary_key_id,
    key_id: k.key_id,
    public_key: k.public_key,
    emails: k.emails.map((email) => ({ email, verified: verified.has(email.toLowerCase()) })),
    subkeys: subkeys.map((s) => keyJson(s, verified, [])),
    can_sign: k.can_sign,
    can_encrypt_comms: k.can_encrypt_comms,
    can_encrypt_storage: k.can_encrypt_storage,
    can_certify: k.can_certify,
    created_at: render.iso(k.created_at),
    expires_at: render.iso(k.expires_at),
    revoked: false,
    raw_key: k.raw_key,
  };
}

/** Primary keys with their subkeys, rendered for the account that owns them. */
async function renderKeys(g: Gh, owner: UserRow, primaries: GpgRow[]): Promise<Record<string, unknown>[]> {
  if (!primaries.length) return [];
  const subs = await g.ctx.db.q<GpgRow>`select * from gpg_keys where primary_key_id = any(${primaries.map((k) => k.id)}::int[]) order by id`;
  const verified = new Set((await emailsOf(g, owner)).filter((e) => e.verified).map((e) => e.email.toLowerCase()));
  return primaries.map((k) => keyJson(k, verified, subs.filter((s) => s.primary_key_id === k.id)));
}

async function listFor(g: Gh, owner: UserRow): Promise<Reply> {
  const p = pageOf(g);
  const count = await g.ctx.db.q<{ n: number }>`select count(*)::int as n from gpg_keys where user_id = ${owner.id} and primary_key_id is null`;
  const rows = await g.ctx.db.q<GpgRow>`select * from gpg_keys where user_id = ${owner.id} and primary_key_id is null order by id limit ${p.perPage} offset ${p.offset}`;
  return listReply(g, p, await renderKeys(g, owner, rows), count[0]?.n ?? 0);
}

async function ownKey(g: Gh): Promise<GpgRow> {
  const raw = g.params.gpg_key_id ?? '';
  if (!/^\d+$/.test(raw) || Number(raw) > 2_147_483_647) return notFound();
  const rows = await g.ctx.db.q<GpgRow>`select * from gpg_keys where id = ${Number(raw)} and user_id = ${me(g).id} and primary_key_id is null`;
  return rows[0] ?? notFound();
}

export const list = (g: Gh) => listFor(g, me(g));

export async function listForUser(g: Gh): Promise<Reply> {
  return listFor(g, (await userByLogin(g, g.params.username ?? '')) ?? notFound());
}

export async function get(g: Gh): Promise<Reply> {
  const [json] = await renderKeys(g, me(g), [await ownKey(g)]);
  return ok(json);
}

export async function create(g: Gh): Promise<Reply> {
  const u = me(g);
  const armored = g.body.armored_public_key;
  if (armored === undefined || armored === null || armored === '') invalid('GpgKey', 'missing_field', 'armored_public_key');
  if (typeof armored !== 'string') throw new GitHubError(422, `Invalid request.\n\nFor 'properties/armored_public_key', ${JSON.stringify(armored)} is not a string.`);
  const name = g.body.name;
  if (name !== undefined && name !== null && typeof name !== 'string') throw new GitHubError(422, `Invalid request.\n\nFor 'properties/name', ${JSON.stringify(name)} is not a string.`);
  let key;
  try {
    key = readPublicKey(armored);
  } catch (e) {
    if (!(e instanceof PgpError)) throw e;
    return invalid('GpgKey', 'custom', 'armored_public_key', { message: `armored_public_key is not a valid GPG public key (${e.message})` });
  }
  const columns = (k: PgpKey) => [k.keyId, k.publicKey, k.canSign, k.canCertify, k.canEncryptComms, k.canEncryptStorage, k.createdAt, k.expiresAt] as const;
  const id = await g.ctx.db.tx(async (tx) => {
    const [kid, pub, sign, certify, comms, storage, created, expires] = columns(key);
    const rows: Array<{ id: number }> = await tx`insert into gpg_keys (user_id, name, key_id, public_key, raw_key, emails, can_sign, can_certify, can_encrypt_comms, can_encrypt_storage, created_at, expires_at)
      values (${u.id}, ${name ?? null}, ${kid}, ${pub}, ${armored}, ${key.emails}::text[], ${sign}, ${certify}, ${comms}, ${storage}, ${created}, ${expires})
      on conflict (key_id) where primary_key_id is null do nothing returning id`;
    if (!rows[0]) return null;
    for (const s of key.subkeys) {
      const [skid, spub, ssign, scertify, scomms, sstorage, screated, sexpires] = columns(s);
      await tx`insert into gpg_keys (user_id, primary_key_id, key_id, public_key, can_sign, can_certify, can_encrypt_comms, can_encrypt_storage, created_at, expires_at)
        values (${u.id}, ${rows[0].id}, ${skid}, ${spub}, ${ssign}, ${scertify}, ${scomms}, ${sstorage}, ${screated}, ${sexpires})`;
    }
    return rows[0].id;
  });
  if (id === null) return invalid('GpgKey', 'custom', 'key_id', { message: 'key_id already exists' });
  const rows = await g.ctx.db.q<GpgRow>`select * from gpg_keys where id = ${id}`;
  const [json] = await renderKeys(g, u, rows);
  return ok(json, 201);
}

export async function remove(g: Gh): Promise<Reply> {
  const k = await ownKey(g);
  await g.ctx.db.q`delete from gpg_keys where id = ${k.id}`;
  return noContent();
}
