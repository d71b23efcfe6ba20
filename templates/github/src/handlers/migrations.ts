import type { KitContext } from '../../../_kit/types.ts';
import { GitHubError, invalid, notFound } from '../errors.ts';
import { listReply, pageOf } from '../paging.ts';
import * as render from '../render.ts';
import { renderIssues, renderRepos } from '../store.ts';
import type { Gh, IssueRow, Repo, RepoRow, Reply, UserRow } from '../types.ts';
import { flag, me, noContent, ok } from './common.ts';
import { tarGz } from '../tar.ts';

/**
 * User migrations, as GitHub documents them: `POST /user/migrations` starts an export of the
 * named repositories (`owner/name`, which the user must administer), optionally locking them;
 * the state moves from `pending` to `exporting` to `exported` on the clone's clock (2 and 10
 * seconds after the start). Once exported, `GET .../archive` answers 302 to a download of a
 * tar.gz (schema, users, repositories and, unless `exclude_metadata`, issues and comments as
 * JSON files), which is gone once the archive is deleted or seven days on. Unlocking a
 * repository that is not locked is a 404.
 */

export const PENDING_FOR_SECONDS = 2;
export const EXPORTED_AFTER_SECONDS = 10;
const ARCHIVE_DAYS = 7;

interface MigrationRow {
  id: number;
  guid: string;
  owner_id: number;
  lock_repositories: boolean;
  exclude_metadata: boolean;
  exclude_git_data: boolean;
  exclude_attachments: boolean;
  exclude_releases: boolean;
  exclude_owner_projects: boolean;
  org_metadata_only: boolean;
  exclude: string[];
  archive_deleted_at: Date | null;
  created_at: Date;
  state: 'pending' | 'exporting' | 'exported';
  archive_live: boolean;
}

const SELECT = `select m.*,
  case when now() < m.created_at + interval '${PENDING_FOR_SECONDS} seconds' then 'pending'
       when now() < m.created_at + interval '${EXPORTED_AFTER_SECONDS} seconds' then 'exporting' else 'exported' end as state,
  (m.archive_deleted_at is null and now() < m.created_at + interval '${EXPORTED_AFTER_SECONDS} seconds' + interval '${ARCHIVE_DAYS} days') as archive_live
  from user_migrations m`;

const OPTIONS = ['lock_repositories', 'exclude_metadata', 'exclude_git_data', 'exclude_attachments', 'exclude_releases', 'exclude_owner_projects', 'org_metadata_only'] as const;

async function reposOf(g: Gh, ids: number[]): Promise<RepoRow[]> {
  return g.ctx.db.q<RepoRow>`select r.* from user_migration_repos mr join repos r on r.id = mr.repo_id where mr.migration_id = any(${ids}::int[]) order by r.id`;
}

async function renderMigrations(g: Gh, owner: UserRow, rows: MigrationRow[], excludeRepos = false): Promise<Record<string, unknown>[]> {
  const links = rows.length ? await g.ctx.db.q<{ migration_id: number; repo_id: number }>`select migration_id, repo_id from user_migration_repos where migration_id = any(${rows.map((m) => m.id)}::int[])` : [];
  const repos = new Map((await renderRepos(g, excludeRepos ? [] : await reposOf(g, rows.map((m) => m.id)))).map((r) => [r.id as number, r]));
  return rows.map((m) => ({
    id: m.id,
    node_id: render.nodeId('Migration', m.id),
    owner: render.simpleUser(g.base, owner),
    guid: m.guid,
    state: m.state,
    ...Object.fromEntries(OPTIONS.map((k) => [k, m[k]])),
    exclude: m.exclude,
    repositories: excludeRepos || m.exclude.includes('repositories') ? [] : links.filter((l) => l.migration_id === m.id).map((l) => repos.get(l.repo_id)).filter(Boolean),
    url: `${g.base}/user/migrations/${m.id}`,
    archive_url: `${g.base}/user/migrations/${m.id}/archive`,
    created_at: render.iso(m.created_at),
    updated_at: render.iso(m.created_at),
  }));
}

async function migrationOf(g: Gh): Promise<MigrationRow> {
  const id = Number(g.params.migration_id);
  if (!Number.isInteger(id) || id < 1 || id > 2_147_483_647) return notFound();
  const [m] = await g.ctx.db.unsafe<MigrationRow>(`${SELECT} where m.id = $1 and m.owner_id = $2`, [id, me(g).id]);
  return m ?? notFound();
}

export async function list(g: Gh): Promise<Reply> {
  const u = me(g);
  const page = pageOf(g);
  const rows = await g.ctx.db.unsafe<MigrationRow>(`${SELECT} where m.owner_id = $1 order by m.id desc limit $2 offset $3`, [u.id, page.perPage, page.offset]);
  const [n] = await g.ctx.db.q<{ n: number }>`select count(*)::int as n from user_migrations where owner_id = ${u.id}`;
  return listReply(g, page, await renderMigrations(g, u, rows), n?.n ?? 0);
}

export async function start(g: Gh): Promise<Reply> {
  const u = me(g);
  const names = g.body.repositories;
  if (names === undefined || names === null) invalid('Migration', 'missing_field', 'repositories');
  if (!Array.isArray(names) || names.some((x) => typeof x !== 'string')) throw new GitHubError(422, `Invalid request.\n\nFor 'properties/repositories', ${JSON.stringify(names)} is not an array.`);
  const options = Object.fromEntries(OPTIONS.map((k) => [k, flag(g, k) ?? false])) as Record<(typeof OPTIONS)[number], boolean>;
  const exclude = g.body.exclude ?? [];
  if (!Array.isArray(exclude) || exclude.some((x) => x !== 'repositories')) invalid('Migration', 'invalid', 'exclude', { value: exclude });
  const list = [...new Set((names as string[]).map((s) => s.trim()))];
  if (!list.length && !options.org_metadata_only) invalid('Migration', 'missing_field', 'repositories', { message: 'name at least one repository' });
  const repos: Repo[] = [];
  for (const full of list) {
    const [owner, name] = full.includes('/') ? full.split('/', 2) : [u.login, full];
    const [row] = await g.ctx.db.q<RepoRow & { login: string }>`select r.*, u.login from repos r join users u on u.id = r.owner_id where lower(u.login) = lower(${owner!}) and lower(r.name) = lower(${name!})`;
    // The user's own repositories, or those of an organisation they administer.
    const admin = row && (row.owner_id === u.id || (await g.ctx.db.q`select 1 from org_members where org_id = ${row.owner_id} and user_id = ${u.id} and role = 'admin'`).length > 0);
    const reachable = admin && (!row.private || !g.scopes || g.scopes.has('repo'));
    if (!row || !reachable) invalid('Migration', 'invalid', 'repositories', { value: full, message: `${full} is not a repository you can migrate` });
    repos.push(row as unknown as Repo);
  }
  const id = await g.ctx.db.tx(async (tx) => {
    const [m] = (await tx`insert into user_migrations (guid, owner_id, lock_repositories, exclude_metadata, exclude_git_data, exclude_attachments, exclude_releases, exclude_owner_projects, org_metadata_only, exclude)
      values (${crypto.randomUUID()}, ${u.id}, ${options.lock_repositories}, ${options.exclude_metadata}, ${options.exclude_git_data}, ${options.exclude_attachments}, ${options.exclude_releases},
        ${options.exclude_owner_projects}, ${options.org_metadata_only}, ${exclude as string[]}::text[]) returning id`) as { id: number }[];
    for (const r of options.org_metadata_only ? [] : repos) await tx`insert into user_migration_repos (migration_id, repo_id, locked) values (${m!.id}, ${r.id}, ${options.lock_repositories})`;
    return m!.id;
  });
  const [m] = await g.ctx.db.unsafe<MigrationRow>(`${SELECT} where m.id = $1`, [id]);
  return { status: 201, body: (await renderMigrations(g, u, [m!]))[0] };
}

export async function get(g: Gh): Promise<Reply> {
  const m = await migrationOf(g);
  const exclude = g.query.exclude;
  const excluded = (Array.isArray(exclude) ? exclude : [exclude]).some((x) => String(x ?? '').split(',').includes('repositories'));
  return ok((await renderMigrations(g, me(g), [m], excluded))[0]);
}

/** GET .../archive: 302 to the download while the archive exists (exported, not deleted, not expired). */
export async function getArchive(g: Gh): Promise<Reply> {
  const m = await migrationOf(g);
  if (m.state !== 'exported' || !m.archive_live) return notFound();
  return { status: 302, headers: { location: `${render.htmlBase(g.base)}/_archives/migrations/${m.guid}.tar.gz` } };
}

export async function deleteArchive(g: Gh): Promise<Reply> {
  const m = await migrationOf(g);
  if (m.state !== 'exported' || !m.archive_live) return notFound();
  await g.ctx.db.q`update user_migrations set archive_deleted_at = now() where id = ${m.id}`;
  return noContent();
}

export async function unlockRepo(g: Gh): Promise<Reply> {
  const m = await migrationOf(g);
  const rows = await g.ctx.db.q`update user_migration_repos mr set locked = false from repos r
    where mr.migration_id = ${m.id} and r.id = mr.repo_id and lower(r.name) = lower(${g.params.repo_name ?? ''}) and mr.locked returning mr.repo_id`;
  if (!rows.length) return notFound();
  return noContent();
}

export async function listRepos(g: Gh): Promise<Reply> {
  const m = await migrationOf(g);
  const all = await reposOf(g, [m.id]);
  const page = pageOf(g);
  return listReply(g, page, await renderRepos(g, all.slice(page.offset, page.offset + page.perPage)), all.length);
}

/**
 * The archive download (the 302's target; GitHub's is a signed storage URL, here the guid is
 * the secret): served before the API pipeline, no credential needed.
 */
export async function serveArchive(req: Request, url: URL, ctx: KitContext): Promise<Response | null> {
  const m = /\/_archives\/migrations\/([0-9a-f-]{36})\.tar\.gz$/.exec(url.pathname);
  if (!m || (req.method !== 'GET' && req.method !== 'HEAD')) return null;
  const [row] = await ctx.db.unsafe<MigrationRow>(`${SELECT} where m.guid = $1::uuid`, [m[1]]);
  if (!row || row.state !== 'exported' || !row.archive_live) return new Response('Not Found', { status: 404 });
  const body = await archiveOf(ctx, url, row);
  return new Response(req.method === 'HEAD' ? null : body, { headers: { 'content-type': 'application/gzip', 'content-disposition': `attachment; filename=${row.guid}.tar.gz` } });
}

async function archiveOf(ctx: KitContext, url: URL, m: MigrationRow): Promise<Uint8Array> {
  // Rendered as the owner sees them, on the clone's public base.
  const [owner] = await ctx.db.q<UserRow>`select * from users where id = ${m.owner_id}`;
  const base = ctx.env.publicUrl;
  // The download carries no credential: the renderers get a request context as the owner's own.
  const g: Gh = { ctx, base, viewer: owner!, scopes: null, url, req: new Request(url.href), params: {}, query: {}, body: {} };
  const repoRows = await reposOf(g, [m.id]);
  const files: Array<[string, unknown]> = [
    ['schema.json', { version: '1.0.1' }],
    ['users_000001.json', [render.simpleUser(base, owner!)]],
    ['repositories_000001.json', await renderRepos(g, repoRows)],
  ];
  if (!m.exclude_metadata && repoRows.length) {
    const issues = await ctx.db.q<IssueRow>`select * from issues where repo_id = any(${repoRows.map((r) => r.id)}::int[]) order by repo_id, number`;
    const comments = await ctx.db.q<{ id: number; body: string; user_id: number; issue_id: number; created_at: Date }>`select id, body, user_id, issue_id, created_at from comments where repo_id = any(${repoRows.map((r) => r.id)}::int[]) order by id`;
    files.push(['issues_000001.json', await renderIssues(g, issues)]);
    files.push(['issue_comments_000001.json', comments.map((c) => ({ id: c.id, issue_id: c.issue_id, user_id: c.user_id, body: c.body, created_at: render.iso(c.created_at) }))]);
  }
  return tarGz(files.map(([name, v]) => ({ name, data: new TextEncoder().encode(JSON.stringify(v, null, 2)) })), m.created_at);
}
