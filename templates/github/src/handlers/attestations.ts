import { GitHubError, notFound } from '../errors.ts';
import { loadRepo, userByLogin } from '../store.ts';
import type { Gh, Reply, UserRow } from '../types.ts';
import { me, ok } from './common.ts';

/**
 * Artifact attestations of the repositories a user owns. Lists leave out repositories the
 * viewer cannot read (a private one needs `repo` on a classic token); a digest with nothing
 * readable is a 404, as GitHub answers (gh reads it as "no attestations found"). Predicate
 * filters take `provenance`, `sbom`, `release` or a predicate type URI. Deleting is the
 * owner's (403 for another user's, 404 when nothing matches). Lists page by cursor
 * (`before`/`after`, the attestation id in base64).
 */

export const PREDICATES: Record<string, string> = {
  provenance: 'https://slsa.dev/provenance/v1',
  sbom: 'https://spdx.dev/Document/v2.3',
  release: 'https://in-toto.io/attestation/release/v0.1',
};
const MAX_DIGESTS = 1024;

interface AttestationRow {
  id: number;
  repo_id: number;
  subject_digest: string;
  predicate_type: string;
  bundle: Record<string, unknown>;
  initiator: string;
  owner_login: string;
  repo_name: string;
}

async function ownerOf(g: Gh): Promise<UserRow> {
  return (await userByLogin(g, g.params.username ?? '')) ?? notFound();
}

/** The attestations of `owner`'s repositories for these digests the viewer may read, oldest first. */
async function readable(g: Gh, owner: UserRow, digests: string[], predicate?: string): Promise<AttestationRow[]> {
  const type = predicate ? (PREDICATES[predicate] ?? predicate) : null;
  const rows = await g.ctx.db.q<AttestationRow>`
    select a.*, u.login as owner_login, r.name as repo_name from attestations a join repos r on r.id = a.repo_id join users u on u.id = r.owner_id
    where r.owner_id = ${owner.id} and a.subject_digest = any(${digests}::text[]) and (${type}::text is null or a.predicate_type = ${type}::text)
    order by a.id`;
  const visible = new Map<number, boolean>();
  const out: AttestationRow[] = [];
  for (const a of rows) {
    if (!visible.has(a.repo_id)) visible.set(a.repo_id, !!(await loadRepo(g, 'read', a.owner_login, a.repo_name).catch(() => null)));
    if (visible.get(a.repo_id)) out.push(a);
  }
  return out;
}

function json(g: Gh, a: AttestationRow, withInitiator: boolean): Record<string, unknown> {
  return {
    id: a.id,
    bundle: a.bundle,
    repository_id: a.repo_id,
    bundle_url: `${g.base}/repos/${a.owner_login}/${a.repo_name}/attestations/${a.id}/bundle`,
    ...(withInitiator ? { initiator: a.initiator } : {}),
  };
}

function cursor(g: Gh, all: AttestationRow[]): { rows: AttestationRow[]; next: number | null; prev: number | null } {
  const perPage = Math.min(100, Math.max(1, Number.parseInt(String(g.query.per_page ?? '30'), 10) || 30));
  const decode = (v: unknown) => (typeof v === 'string' && v ? Number(Buffer.from(v, 'base64url').toString()) : null);
  const after = decode(g.query.after);
  const before = decode(g.query.before);
  let list = all;
  if (after !== null) list = list.filter((a) => a.id > after);
  if (before !== null) list = list.filter((a) => a.id < before).slice(-perPage);
  const rows = list.slice(0, perPage);
  const last = rows.at(-1);
  const first = rows[0];
  return { rows, next: last && all.some((a) => a.id > last.id) ? last.id : null, prev: first && all.some((a) => a.id < first.id) ? first.id : null };
}

const token = (id: number) => Buffer.from(String(id)).toString('base64url');

/** GET /users/{username}/attestations/{subject_digest} */
export async function list(g: Gh): Promise<Reply> {
  const owner = await ownerOf(g);
  const predicate = typeof g.query.predicate_type === 'string' && g.query.predicate_type ? g.query.predicate_type : undefined;
  const all = await readable(g, owner, [g.params.subject_digest ?? ''], predicate);
  if (!all.length) return notFound();
  const page = cursor(g, all);
  const link = (rel: string, key: string, id: number) => {
    const q = new URLSearchParams(g.url.searchParams);
    q.delete('after');
    q.delete('before');
    q.set(key, token(id));
    return `<${g.base}${g.url.pathname}?${q}>; rel="${rel}"`;
  };
  const parts = [page.next !== null ? link('next', 'after', page.next) : null, page.prev !== null ? link('prev', 'before', page.prev) : null].filter(Boolean);
  return { status: 200, body: { attestations: page.rows.map((a) => json(g, a, true)) }, headers: parts.length ? { link: parts.join(', ') } : {} };
}

function digestList(g: Gh): string[] {
  const v = g.body.subject_digests;
  if (v === undefined || v === null) throw new GitHubError(422, 'Invalid request.\n\n"subject_digests" wasn\'t supplied.');
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw new GitHubError(422, `Invalid request.\n\nFor 'properties/subject_digests', ${JSON.stringify(v)} is not an array of strings.`);
  if (v.length < 1 || v.length > MAX_DIGESTS) throw new GitHubError(422, `Invalid request.\n\nFor 'properties/subject_digests', there must be between 1 and ${MAX_DIGESTS} items.`);
  return [...new Set(v as string[])];
}

/** POST /users/{username}/attestations/bulk-list: digest → its attestations (null when none), paged over all of them. */
export async function bulkList(g: Gh): Promise<Reply> {
  const owner = await ownerOf(g);
  const digests = digestList(g);
  const predicate = typeof g.body.predicate_type === 'string' && g.body.predicate_type ? g.body.predicate_type : undefined;
  const page = cursor(g, await readable(g, owner, digests, predicate));
  const byDigest = Object.fromEntries(digests.map((d) => [d, null as Record<string, unknown>[] | null]));
  for (const a of page.rows) (byDigest[a.subject_digest] ??= []).push(json(g, a, false));
  return ok({
    attestations_subject_digests: byDigest,
    page_info: { has_next: page.next !== null, has_previous: page.prev !== null, ...(page.next !== null ? { next: token(page.next) } : {}), ...(page.prev !== null ? { previous: token(page.prev) } : {}) },
  });
}

/** The owner deletes; another user (who may well read them) gets 403. */
async function deleter(g: Gh): Promise<UserRow> {
  const owner = await ownerOf(g);
  if (me(g).id !== owner.id) throw new GitHubError(403, 'You must be the owner of these attestations to delete them.');
  return owner;
}

/** The bulk request answers 200, the single deletes 204 (both documented; the SDK's types expect these). */
async function removeIds(g: Gh, ids: number[], status: 200 | 204): Promise<Reply> {
  if (!ids.length) return notFound();
  await g.ctx.db.q`delete from attestations where id = any(${ids}::int[])`;
  return { status };
}

/** POST .../delete-request: `subject_digests` or `attestation_ids`, not both. */
export async function deleteBulk(g: Gh): Promise<Reply> {
  const owner = await deleter(g);
  const hasDigests = g.body.subject_digests !== undefined;
  const ids = g.body.attestation_ids;
  if (hasDigests === (ids !== undefined)) throw new GitHubError(422, 'Invalid request.\n\nGive either "subject_digests" or "attestation_ids", not both.');
  if (hasDigests) return removeIds(g, (await readable(g, owner, digestList(g))).map((a) => a.id), 200);
  if (!Array.isArray(ids) || !ids.length || ids.length > MAX_DIGESTS || ids.some((x) => !Number.isInteger(x))) {
    throw new GitHubError(422, `Invalid request.\n\nFor 'properties/attestation_ids', ${JSON.stringify(ids)} is not an array of 1 to ${MAX_DIGESTS} integers.`);
  }
  const rows = await g.ctx.db.q<{ id: number }>`select a.id from attestations a join repos r on r.id = a.repo_id where r.owner_id = ${owner.id} and a.id = any(${ids as number[]}::int[])`;
  return removeIds(g, rows.map((r) => r.id), 200);
}

export async function deleteByDigest(g: Gh): Promise<Reply> {
  const owner = await deleter(g);
  return removeIds(g, (await readable(g, owner, [g.params.subject_digest ?? ''])).map((a) => a.id), 204);
}

export async function deleteById(g: Gh): Promise<Reply> {
  const owner = await deleter(g);
  const id = Number(g.params.attestation_id);
  if (!Number.isInteger(id) || id < 1 || id > 2_147_483_647) return notFound();
  const rows = await g.ctx.db.q<{ id: number }>`select a.id from attestations a join repos r on r.id = a.repo_id where r.owner_id = ${owner.id} and a.id = ${id}`;
  return removeIds(g, rows.map((r) => r.id), 204);
}
