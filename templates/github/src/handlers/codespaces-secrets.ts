import type { SQL } from 'bun';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { GitHubError, invalid, notFound } from '../errors.ts';
import { listReply, pageOf } from '../paging.ts';
import * as render from '../render.ts';
import { renderRepos } from '../store.ts';
import type { Gh, Reply, RepoRow } from '../types.ts';
import { me, noContent, ok } from './common.ts';
import { repoById } from './codespaces.ts';

/**
 * The authenticated user's codespaces secrets (/user/codespaces/secrets). Each user has a
 * Curve25519 public key (made on first use: GET .../public-key) that values are sealed with
 * (libsodium's sealed box); a value is stored as sent and never shown. The clone checks what
 * it can without the private key: `key_id` must be the user's key's (422 otherwise), and
 * `encrypted_value` base64 of at least a sealed box's 48 bytes of overhead. Names follow
 * GitHub's rules for secrets (letters, digits, `_`; not starting with a digit or `GITHUB_`;
 * case-insensitive, stored upper-cased). A user secret is available to the repositories
 * selected for it (`visibility: selected`), each one the user can read.
 */

interface SecretRow {
  name: string;
  created_at: Date;
  updated_at: Date;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{4})$/;
/** A sealed box: the sender's ephemeral public key (32 bytes) and the MAC (16) around the message. */
const SEAL_OVERHEAD = 48;

async function keyOf(g: Gh): Promise<{ key_id: string; key: string }> {
  const u = me(g);
  const have = await g.ctx.db.q<{ key_id: string; public_key: string }>`select key_id, public_key from codespace_keys where user_id = ${u.id}`;
  if (have[0]) return { key_id: have[0].key_id, key: have[0].public_key };
  const raw = generateKeyPairSync('x25519').publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  // GitHub's key ids are long decimal strings.
  const keyId = BigInt(`0x${createHash('sha256').update(raw).digest('hex').slice(0, 15)}`).toString();
  await g.ctx.db.q`insert into codespace_keys (user_id, key_id, public_key) values (${u.id}, ${keyId}, ${raw.toString('base64')}) on conflict (user_id) do nothing`;
  return keyOf(g);
}

function secretName(g: Gh): string {
  const name = g.params.secret_name ?? '';
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || /^GITHUB_/i.test(name)) {
    invalid('Secret', 'invalid', 'name', { message: 'Secret names can only contain alphanumeric characters or underscores, must not start with a number, and must not start with the GITHUB_ prefix' });
  }
  return name.toUpperCase();
}

async function secretRow(g: Gh, name = secretName(g)): Promise<SecretRow> {
  const rows = await g.ctx.db.q<SecretRow>`select name, created_at, updated_at from codespace_secrets where user_id = ${me(g).id} and name = ${name}`;
  return rows[0] ?? notFound();
}

const secretJson = (g: Gh, s: SecretRow) => ({
  name: s.name,
  created_at: render.iso(s.created_at),
  updated_at: render.iso(s.updated_at),
  visibility: 'selected',
  selected_repositories_url: `${g.base}/user/codespaces/secrets/${s.name}/repositories`,
});

/** `selected_repository_ids` as repository ids the user can read; any other is `onMissing`. */
async function selectedIds(g: Gh, onMissing: () => never): Promise<number[] | undefined> {
  const v = g.body.selected_repository_ids;
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) throw new GitHubError(422, `Invalid request.\n\nFor 'selected_repository_ids', ${JSON.stringify(v)} is not an array.`);
  const ids: number[] = [];
  for (const id of v) {
    try {
      ids.push((await repoById(g, id)).id);
    } catch (e) {
      if (e instanceof GitHubError && e.status === 404) onMissing();
      throw e;
    }
  }
  return [...new Set(ids)];
}

export async function getPublicKey(g: Gh): Promise<Reply> {
  return ok(await keyOf(g));
}

export async function list(g: Gh): Promise<Reply> {
  const u = me(g);
  const p = pageOf(g);
  const rows = await g.ctx.db.q<SecretRow>`select name, created_at, updated_at from codespace_secrets where user_id = ${u.id} order by name limit ${p.perPage} offset ${p.offset}`;
  const total = (await g.ctx.db.q<{ n: number }>`select count(*)::int as n from codespace_secrets where user_id = ${u.id}`)[0]?.n ?? 0;
  return listReply(g, p, { total_count: total, secrets: rows.map((s) => secretJson(g, s)) }, total);
}

export async function get(g: Gh): Promise<Reply> {
  return ok(secretJson(g, await secretRow(g)));
}

export async function put(g: Gh): Promise<Reply> {
  const u = me(g);
  const name = secretName(g);
  const keyId = g.body.key_id;
  const value = g.body.encrypted_value;
  if (keyId === undefined || keyId === null) invalid('Secret', 'missing_field', 'key_id');
  if (typeof keyId !== 'string' || keyId !== (await keyOf(g)).key_id) invalid('Secret', 'invalid', 'key_id', { message: 'key_id does not match your current public key' });
  const exists = (await g.ctx.db.q`select 1 from codespace_secrets where user_id = ${u.id} and name = ${name}`).length > 0;
  if (value === undefined || value === null) {
    if (!exists) invalid('Secret', 'missing_field', 'encrypted_value');
  } else if (typeof value !== 'string' || !BASE64.test(value) || Buffer.from(value, 'base64').length < SEAL_OVERHEAD) {
    invalid('Secret', 'invalid', 'encrypted_value', { message: 'encrypted_value is not a value sealed with your public key' });
  }
  const repos = await selectedIds(g, () => invalid('Secret', 'invalid', 'selected_repository_ids', { message: 'a selected repository does not exist or is not yours to read' }));
  const now = g.ctx.now();
  await g.ctx.db.tx(async (tx) => {
    await tx`insert into codespace_secrets (user_id, name, encrypted_value, key_id, created_at, updated_at) values (${u.id}, ${name}, ${(value as string | undefined) ?? ''}, ${keyId}, ${now}, ${now})
      on conflict (user_id, name) do update set encrypted_value = coalesce(${(value as string | undefined) ?? null}::text, codespace_secrets.encrypted_value), key_id = excluded.key_id, updated_at = excluded.updated_at`;
    if (repos) await replaceRepos(tx, u.id, name, repos);
  });
  return exists ? noContent() : { status: 201, body: {} };
}

async function replaceRepos(tx: SQL, userId: number, name: string, ids: number[]): Promise<void> {
  await tx`delete from codespace_secret_repos where user_id = ${userId} and name = ${name}`;
  for (const id of ids) await tx`insert into codespace_secret_repos (user_id, name, repo_id) values (${userId}, ${name}, ${id})`;
}

export async function remove(g: Gh): Promise<Reply> {
  const s = await secretRow(g);
  await g.ctx.db.q`delete from codespace_secrets where user_id = ${me(g).id} and name = ${s.name}`;
  return noContent();
}

export async function listRepos(g: Gh): Promise<Reply> {
  const s = await secretRow(g);
  const rows = await g.ctx.db.q<RepoRow>`select r.* from codespace_secret_repos c join repos r on r.id = c.repo_id where c.user_id = ${me(g).id} and c.name = ${s.name} order by r.id`;
  return ok({ total_count: rows.length, repositories: await renderRepos(g, rows) });
}

export async function setRepos(g: Gh): Promise<Reply> {
  const s = await secretRow(g);
  if (g.body.selected_repository_ids === undefined) invalid('Secret', 'missing_field', 'selected_repository_ids');
  const ids = (await selectedIds(g, notFound)) ?? [];
  await g.ctx.db.tx((tx) => replaceRepos(tx, me(g).id, s.name, ids));
  return noContent();
}

export async function addRepo(g: Gh): Promise<Reply> {
  const s = await secretRow(g);
  const repo = await repoById(g, g.params.repository_id);
  await g.ctx.db.q`insert into codespace_secret_repos (user_id, name, repo_id) values (${me(g).id}, ${s.name}, ${repo.id}) on conflict do nothing`;
  return noContent();
}

export async function removeRepo(g: Gh): Promise<Reply> {
  const s = await secretRow(g);
  const repo = await repoById(g, g.params.repository_id);
  await g.ctx.db.q`delete from codespace_secret_repos where user_id = ${me(g).id} and name = ${s.name} and repo_id = ${repo.id}`;
  return noContent();
}
