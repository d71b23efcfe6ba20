import { GitHubError, notFound } from '../errors.ts';
import { listReply, pageOf } from '../paging.ts';
import * as render from '../render.ts';
import { renderRepos, userByLogin, usersByIds } from '../store.ts';
import type { Gh, RepoRow, Reply, UserRow } from '../types.ts';
import { me, noContent, ok } from './common.ts';

/**
 * GitHub Packages in a user's namespace, as the Packages REST docs describe them. Packages
 * are listed by `package_type` (required); a private package is seen by its owner only
 * (others get 404); a deleted package or version is restorable for 30 days, and only while
 * no live package has taken its namespace; the last live version cannot be deleted (delete
 * the package instead); a public package whose versions have more than 5,000 downloads
 * cannot be deleted, nor such a version. Deleting needs `read:packages` and
 * `delete:packages`, restoring `read:packages` and `write:packages` (account-scopes.ts).
 */

export const PACKAGE_TYPES = ['npm', 'maven', 'rubygems', 'docker', 'nuget', 'container'] as const;
export const RESTORE_DAYS = 30;
export const DOWNLOAD_LIMIT = 5000;

export interface PackageRow {
  id: number;
  owner_id: number;
  package_type: string;
  name: string;
  visibility: 'public' | 'private' | 'internal';
  repo_id: number | null;
  docker_conflict: boolean;
  deleted_at: Date | null;
  created_at: Date;
  updated_at: Date;
  version_count: number;
}

interface VersionRow {
  id: number;
  package_id: number;
  name: string;
  tags: string[];
  license: string | null;
  downloads: number;
  deleted_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

/** A classic token must hold every one of these (the table in scopes.ts checks one of them). */
export function requireScopes(g: Gh, ...all: string[]): void {
  if (g.scopes && !all.every((s) => g.scopes!.has(s))) notFound();
}

function packageType(v: unknown): string {
  if (v === undefined || v === null || v === '') throw new GitHubError(400, 'Invalid request.\n\n"package_type" wasn\'t supplied.');
  if (typeof v !== 'string' || !(PACKAGE_TYPES as readonly string[]).includes(v)) {
    throw new GitHubError(400, `Invalid request.\n\nFor 'package_type', ${JSON.stringify(v)} is not one of ${PACKAGE_TYPES.join(', ')}.`);
  }
  return v;
}

/** The namespace owner: the viewer under /user, the named user under /users/{username}. */
async function ownerOf(g: Gh): Promise<UserRow> {
  if (g.params.username === undefined) return me(g);
  return (await userByLogin(g, g.params.username)) ?? notFound();
}

const isOwner = (g: Gh, owner: UserRow) => g.viewer?.id === owner.id;

const SELECT = `select p.*, (select count(*)::int from package_versions v where v.package_id = p.id and v.deleted_at is null) as version_count from packages p`;

async function packageRows(g: Gh, where: string, args: unknown[]): Promise<PackageRow[]> {
  return g.ctx.db.unsafe<PackageRow>(`${SELECT} where ${where}`, args);
}

/** The live package at {package_type}/{package_name}, if the viewer may see it. */
async function livePackage(g: Gh, owner: UserRow): Promise<PackageRow> {
  const type = packageType(g.params.package_type);
  const [p] = await packageRows(g, 'p.owner_id = $1 and p.package_type = $2 and lower(p.name) = lower($3) and p.deleted_at is null', [owner.id, type, g.params.package_name ?? '']);
  if (!p || (p.visibility !== 'public' && !isOwner(g, owner))) return notFound();
  return p;
}

/** Writes are the owner's (GitHub's package admin); others see 404 for a private package, 403 for a public one. */
function mustAdminister(g: Gh, owner: UserRow, p: PackageRow | null): void {
  if (isOwner(g, owner)) return;
  if (!p || p.visibility !== 'public') notFound();
  throw new GitHubError(403, 'You must have admin permissions to the package to perform this action.');
}

async function renderPackages(g: Gh, rows: PackageRow[]): Promise<Record<string, unknown>[]> {
  const owners = await usersByIds(g, rows.map((r) => r.owner_id));
  const repoIds = [...new Set(rows.map((r) => r.repo_id).filter((x): x is number => x !== null))];
  const repoRows = repoIds.length ? await g.ctx.db.q<RepoRow>`select * from repos where id = any(${repoIds}::int[])` : [];
  const repos = new Map((await renderRepos(g, repoRows)).map((r) => [r.id as number, r]));
  return rows.map((p) => packageJson(g, p, owners.get(p.owner_id)!, p.repo_id !== null ? repos.get(p.repo_id) : undefined));
}

function packageJson(g: Gh, p: PackageRow, owner: UserRow, repository?: Record<string, unknown>): Record<string, unknown> {
  const path = `${owner.type === 'Organization' ? 'orgs' : 'users'}/${owner.login}/packages/${p.package_type}/${encodeURIComponent(p.name)}`;
  return {
    id: p.id,
    name: p.name,
    package_type: p.package_type,
    owner: render.simpleUser(g.base, owner),
    version_count: p.version_count,
    visibility: p.visibility,
    url: `${g.base}/${path}`,
    created_at: render.iso(p.created_at),
    updated_at: render.iso(p.updated_at),
    ...(repository ? { repository } : {}),
    html_url: `${render.htmlBase(g.base)}/${owner.type === 'Organization' ? 'orgs' : 'users'}/${owner.login}/packages/${p.package_type}/package/${encodeURIComponent(p.name)}`,
  };
}

function versionJson(g: Gh, p: PackageRow, owner: UserRow, v: VersionRow): Record<string, unknown> {
  const pkg = packageJson(g, p, owner);
  return {
    id: v.id,
    name: v.name,
    url: `${pkg.url}/versions/${v.id}`,
    package_html_url: pkg.html_url,
    html_url: `${pkg.html_url}/${v.id}`,
    ...(v.license ? { license: v.license } : {}),
    created_at: render.iso(v.created_at),
    updated_at: render.iso(v.updated_at),
    ...(v.deleted_at ? { deleted_at: render.iso(v.deleted_at) } : {}),
    metadata: { package_type: p.package_type, ...(p.package_type === 'container' ? { container: { tags: v.tags } } : p.package_type === 'docker' ? { docker: { tag: v.tags, tags: v.tags } } : {}) },
  };
}

/** GET /user/packages, /users/{username}/packages: one type, optionally one visibility. */
export async function list(g: Gh): Promise<Reply> {
  const owner = await ownerOf(g);
  const type = packageType(g.query.package_type);
  const vis = g.query.visibility;
  if (vis !== undefined && vis !== 'public' && vis !== 'private' && vis !== 'internal') {
    throw new GitHubError(400, `Invalid request.\n\nFor 'visibility', ${JSON.stringify(vis)} is not one of public, private, internal.`);
  }
  const mine = isOwner(g, owner);
  const rows = (await packageRows(g, 'p.owner_id = $1 and p.package_type = $2 and p.deleted_at is null order by p.id', [owner.id, type]))
    .filter((p) => (mine || p.visibility === 'public') && (vis === undefined || p.visibility === vis));
  const page = pageOf(g);
  return listReply(g, page, await renderPackages(g, rows.slice(page.offset, page.offset + page.perPage)), rows.length);
}

export async function get(g: Gh): Promise<Reply> {
  const owner = await ownerOf(g);
  const p = await livePackage(g, owner);
  return ok((await renderPackages(g, [p]))[0]);
}

export async function remove(g: Gh): Promise<Reply> {
  requireScopes(g, 'read:packages', 'delete:packages');
  const owner = await ownerOf(g);
  const type = packageType(g.params.package_type);
  const [p] = await packageRows(g, 'p.owner_id = $1 and p.package_type = $2 and lower(p.name) = lower($3) and p.deleted_at is null', [owner.id, type, g.params.package_name ?? '']);
  mustAdminister(g, owner, p ?? null);
  if (!p) return notFound();
  if (p.visibility === 'public') {
    const [busy] = await g.ctx.db.q`select 1 from package_versions where package_id = ${p.id} and downloads > ${DOWNLOAD_LIMIT} limit 1`;
    if (busy) throw new GitHubError(403, `Publicly visible packages with more than ${DOWNLOAD_LIMIT} downloads cannot be deleted. Contact GitHub support for further assistance.`);
  }
  await g.ctx.db.q`update packages set deleted_at = now(), updated_at = now() where id = ${p.id}`;
  return noContent();
}

/** POST .../restore: the most recently deleted package of that namespace, deleted within 30 days, whose namespace is free. */
export async function restore(g: Gh): Promise<Reply> {
  requireScopes(g, 'read:packages', 'write:packages');
  const owner = await ownerOf(g);
  mustAdminister(g, owner, null);
  const type = packageType(g.params.package_type);
  const name = g.params.package_name ?? '';
  return g.ctx.db.tx(async (tx) => {
    const [p] = (await tx`select * from packages where owner_id = ${owner.id} and package_type = ${type} and lower(name) = lower(${name})
      and deleted_at > now() - ${`${RESTORE_DAYS} days`}::interval order by deleted_at desc limit 1 for update`) as PackageRow[];
    if (!p) return notFound();
    const [taken] = await tx`select 1 from packages where owner_id = ${owner.id} and package_type = ${type} and lower(name) = lower(${name}) and deleted_at is null`;
    if (taken) throw new GitHubError(403, 'The package namespace is in use by another package. Delete that package to restore this one.');
    await tx`update packages set deleted_at = null, updated_at = now() where id = ${p.id}`;
    return noContent();
  });
}

/** GET .../versions: active (default) or deleted versions, newest first. */
export async function listVersions(g: Gh): Promise<Reply> {
  const owner = await ownerOf(g);
  const p = await livePackage(g, owner);
  const state = g.query.state === 'deleted' ? 'deleted' : 'active';
  // Deleted versions are the package admin's to see.
  const rows = state === 'deleted' && !isOwner(g, owner) ? [] : await g.ctx.db.unsafe<VersionRow>(
    `select * from package_versions where package_id = $1 and deleted_at is ${state === 'active' ? '' : 'not '}null order by created_at desc, id desc`,
    [p.id],
  );
  const page = pageOf(g);
  return listReply(g, page, rows.slice(page.offset, page.offset + page.perPage).map((v) => versionJson(g, p, owner, v)), rows.length);
}

async function versionOf(g: Gh, p: PackageRow): Promise<VersionRow | null> {
  const id = Number(g.params.package_version_id);
  if (!Number.isInteger(id) || id < 1 || id > 2_147_483_647) return null;
  const [v] = await g.ctx.db.q<VersionRow>`select * from package_versions where id = ${id} and package_id = ${p.id}`;
  return v ?? null;
}

export async function getVersion(g: Gh): Promise<Reply> {
  const owner = await ownerOf(g);
  const p = await livePackage(g, owner);
  const v = (await versionOf(g, p)) ?? notFound();
  if (v.deleted_at && !isOwner(g, owner)) return notFound();
  return ok(versionJson(g, p, owner, v));
}

export async function removeVersion(g: Gh): Promise<Reply> {
  requireScopes(g, 'read:packages', 'delete:packages');
  const owner = await ownerOf(g);
  const p = await livePackage(g, owner);
  mustAdminister(g, owner, p);
  const v = await versionOf(g, p);
  if (!v || v.deleted_at) return notFound();
  if (p.visibility === 'public' && v.downloads > DOWNLOAD_LIMIT) {
    throw new GitHubError(403, `Publicly visible package versions with more than ${DOWNLOAD_LIMIT} downloads cannot be deleted. Contact GitHub support for further assistance.`);
  }
  if (p.version_count <= 1) throw new GitHubError(400, 'You cannot delete the last tagged version of a package. You must delete the package instead.');
  await g.ctx.db.q`update package_versions set deleted_at = now(), updated_at = now() where id = ${v.id}`;
  await g.ctx.db.q`update packages set updated_at = now() where id = ${p.id}`;
  return noContent();
}

export async function restoreVersion(g: Gh): Promise<Reply> {
  requireScopes(g, 'read:packages', 'write:packages');
  const owner = await ownerOf(g);
  const p = await livePackage(g, owner);
  mustAdminister(g, owner, p);
  const v = await versionOf(g, p);
  if (!v || !v.deleted_at) return notFound();
  const [recent] = await g.ctx.db.q`select 1 from package_versions where id = ${v.id} and deleted_at > now() - ${`${RESTORE_DAYS} days`}::interval`;
  if (!recent) return notFound();
  const [taken] = await g.ctx.db.q`select 1 from package_versions where package_id = ${p.id} and name = ${v.name} and deleted_at is null and id <> ${v.id}`;
  if (taken) throw new GitHubError(403, `Version ${v.name} is in use by another version of this package.`);
  await g.ctx.db.q`update package_versions set deleted_at = null, updated_at = now() where id = ${v.id}`;
  return noContent();
}

/** GET /user/docker/conflicts, /users/{username}/docker/conflicts: packages that failed the Docker migration. */
export async function listDockerConflicts(g: Gh): Promise<Reply> {
  const owner = await ownerOf(g);
  const mine = isOwner(g, owner);
  const rows = (await packageRows(g, 'p.owner_id = $1 and p.docker_conflict and p.deleted_at is null order by p.id', [owner.id])).filter((p) => mine || p.visibility === 'public');
  return ok(await renderPackages(g, rows));
}
