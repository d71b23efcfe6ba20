import { KitError } from '../../../_kit/errors.ts';
import { json } from '../../../_kit/http.ts';
import type { KitContext } from '../../../_kit/types.ts';
import { APP_EVENTS, APP_PERMISSIONS, NOT_DECODED, signAppUserToken, theApp, type AppRow } from '../apps.ts';
import { GitHubError, forbidden, notFound, requiresAuth } from '../errors.ts';
import { listReply, pageOf } from '../paging.ts';
import { htmlBase, iso, simpleUser } from '../render.ts';
import { orgRole, renderRepos, userByLogin, usersByIds } from '../store.ts';
import type { Gh, Reply, RepoRow, UserRow } from '../types.ts';
import { me, noContent, ok } from './common.ts';

/**
 * Installations of the clone's GitHub App (apps.ts), as the user and the app see them:
 *   GET /user/installations, GET /user/installations/{id}/repositories: a GitHub App user
 *     access token (`ghu_`) only; any other token is GitHub's 403. A user sees the
 *     installations on their own account and on organisations they belong to (a `selected`
 *     one only once it holds a repository), and each one's repositories with the user's
 *     permissions.
 *   PUT / DELETE /user/installations/{id}/repositories/{repository_id}: a classic PAT (the
 *     `repo` scope is checked with the scope table); the user must administer the
 *     repository, which must belong to the installation's account. DELETE needs
 *     `repository_selection: selected` and leaves at least one repository (else 422).
 *   GET /users/{username}/installation: the app's JWT only (anything else: 401 "A JSON web
 *     token could not be decoded"); 404 when the app is not installed on that account.
 * Installations beyond the provisioned one come from POST /__asym/github/installations.
 */
interface InstallationRow {
  id: number;
  app_id: number;
  account_id: number;
  repository_selection: 'all' | 'selected';
  permissions: Record<string, string>;
  events: string[];
  suspended_by_id: number | null;
  suspended_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

function render(base: string, i: InstallationRow, app: AppRow, users: Map<number, UserRow>): Record<string, unknown> {
  const account = users.get(i.account_id)!;
  const suspender = i.suspended_by_id ? users.get(i.suspended_by_id) : undefined;
  const html = htmlBase(base);
  return {
    id: i.id,
    client_id: app.client_id,
    account: simpleUser(base, account),
    repository_selection: i.repository_selection,
    access_tokens_url: `${base}/app/installations/${i.id}/access_tokens`,
    repositories_url: `${base}/installation/repositories`,
    html_url: account.type === 'Organization' ? `${html}/organizations/${account.login}/settings/installations/${i.id}` : `${html}/settings/installations/${i.id}`,
    app_id: app.id,
    app_slug: app.slug,
    target_id: account.id,
    target_type: account.type,
    permissions: i.permissions,
    events: i.events,
    created_at: iso(i.created_at),
    updated_at: iso(i.updated_at),
    single_file_name: null,
    has_multiple_single_files: false,
    single_file_paths: [],
    suspended_by: suspender ? simpleUser(base, suspender) : null,
    suspended_at: iso(i.suspended_at),
  };
}

async function renderAll(g: Gh, rows: InstallationRow[], app: AppRow): Promise<Record<string, unknown>[]> {
  const users = await usersByIds(g, rows.flatMap((i) => [i.account_id, i.suspended_by_id]));
  return rows.map((i) => render(g.base, i, app, users));
}

async function appOf(g: Gh): Promise<AppRow> {
  return (await theApp(g.ctx.db)) ?? notFound();
}

/** The user access token gate of the two GET /user/installations operations. */
function appUser(g: Gh, what: string): UserRow {
  const viewer = me(g);
  if (g.token?.kind !== 'app-user') throw new GitHubError(403, `You must authenticate with an access token authorized to a GitHub App in order to list ${what}`);
  return viewer;
}

/** Installations the user reaches: on their account, or on an organisation they belong to. */
async function visibleInstallations(g: Gh, user: UserRow, app: AppRow, id?: number): Promise<InstallationRow[]> {
  return g.ctx.db.q<InstallationRow>`
    select i.* from app_installations i
    where i.app_id = ${app.id} and (${id ?? null}::int is null or i.id = ${id ?? null}::int)
      and (i.account_id = ${user.id}
        or (exists (select 1 from org_members m where m.org_id = i.account_id and m.user_id = ${user.id})
          and (i.repository_selection = 'all' or exists (select 1 from app_installation_repos r where r.installation_id = i.id))))
    order by i.id`;
}

export async function listForUser(g: Gh): Promise<Reply> {
  const user = appUser(g, 'installations');
  const app = await appOf(g);
  const all = await visibleInstallations(g, user, app);
  const p = pageOf(g);
  const page = all.slice(p.offset, p.offset + p.perPage);
  return listReply(g, p, { total_count: all.length, installations: await renderAll(g, page, app) }, all.length);
}

function installationId(g: Gh): number {
  const n = Number(g.params.installation_id);
  return Number.isInteger(n) && n > 0 ? n : notFound();
}

export async function listRepos(g: Gh): Promise<Reply> {
  const user = appUser(g, 'repositories');
  const app = await appOf(g);
  const inst = (await visibleInstallations(g, user, app, installationId(g)))[0] ?? notFound();
  const rows = inst.repository_selection === 'all'
    ? await g.ctx.db.q<RepoRow>`select * from repos where owner_id = ${inst.account_id} order by id`
    : await g.ctx.db.q<RepoRow>`select r.* from repos r join app_installation_repos ir on ir.repo_id = r.id where ir.installation_id = ${inst.id} order by r.id`;
  const p = pageOf(g);
  const repositories = await renderRepos(g, rows.slice(p.offset, p.offset + p.perPage));
  return listReply(g, p, { total_count: rows.length, repository_selection: inst.repository_selection, repositories }, rows.length);
}

/** PUT/DELETE: a classic PAT, the installation, and a repository of its account the user administers. */
async function target(g: Gh): Promise<{ inst: InstallationRow; repo: RepoRow }> {
  const kind = g.token?.kind;
  if (kind === 'app-user' || kind === 'app') forbidden('Resource not accessible by integration');
  if (kind === 'fine-grained') forbidden('Resource not accessible by personal access token');
  const viewer = me(g);
  const app = await appOf(g);
  const [inst] = await g.ctx.db.q<InstallationRow>`select * from app_installations where id = ${installationId(g)} and app_id = ${app.id}`;
  if (!inst) return notFound();
  const repoId = Number(g.params.repository_id);
  const [repo] = Number.isInteger(repoId) && repoId > 0 ? await g.ctx.db.q<RepoRow>`select * from repos where id = ${repoId}` : [];
  if (!repo) return notFound();
  const role = repo.owner_id === viewer.id ? 'owner' : await orgRole(g, repo.owner_id, viewer.id);
  // Out of the user's reach, or not of the installation's account: GitHub answers as if absent.
  if (!role && repo.private) return notFound();
  if (repo.owner_id !== inst.account_id) return notFound();
  if (role !== 'owner' && role !== 'admin') forbidden('Must have admin rights to Repository.');
  return { inst, repo };
}

export async function addRepo(g: Gh): Promise<Reply> {
  const { inst, repo } = await target(g);
  if (inst.repository_selection === 'selected') {
    const added = await g.ctx.db.q`insert into app_installation_repos (installation_id, repo_id) values (${inst.id}, ${repo.id}) on conflict do nothing returning repo_id`;
    if (added.length) await g.ctx.db.q`update app_installations set updated_at = ${g.ctx.now()} where id = ${inst.id}`;
  }
  return noContent();
}

export async function removeRepo(g: Gh): Promise<Reply> {
  const { inst, repo } = await target(g);
  if (inst.repository_selection === 'all') throw new GitHubError(422, 'This installation has access to all repositories; it must have the repository selection "selected" to remove one.');
  const held = await g.ctx.db.q<{ repo_id: number }>`select repo_id from app_installation_repos where installation_id = ${inst.id}`;
  if (!held.some((r) => r.repo_id === repo.id)) return notFound();
  if (held.length === 1) throw new GitHubError(422, 'The installation must keep access to at least one repository.');
  await g.ctx.db.q`delete from app_installation_repos where installation_id = ${inst.id} and repo_id = ${repo.id}`;
  await g.ctx.db.q`update app_installations set updated_at = ${g.ctx.now()} where id = ${inst.id}`;
  return noContent();
}

export async function getForUser(g: Gh): Promise<Reply> {
  if (g.token?.kind !== 'app' || !g.token.appId) {
    if (g.token?.kind === 'none') requiresAuth();
    throw new GitHubError(401, NOT_DECODED);
  }
  const account = (await userByLogin(g, g.params.username ?? '')) ?? notFound();
  const app = await appOf(g);
  const [inst] = await g.ctx.db.q<InstallationRow>`select * from app_installations where app_id = ${app.id} and account_id = ${account.id}`;
  if (!inst) return notFound();
  return ok((await renderAll(g, [inst], app))[0]);
}

/** POST /__asym/github/app: the app and its private key (PEM), to sign JWTs with. */
export async function adminApp(ctx: KitContext): Promise<Response> {
  const app = await theApp(ctx.db);
  if (!app) throw new KitError('not_found', 'the clone has no app (not provisioned)', { status: 404 });
  return json({ ok: true, app_id: app.id, slug: app.slug, name: app.name, client_id: app.client_id, private_key: app.private_key });
}

/** POST /__asym/github/app-user-token {user}: a signed `ghu_` token (writes nothing). */
export function adminUserToken(ctx: KitContext, user: UserRow): Response {
  if (user.type === 'Organization') throw new KitError('invalid_user', 'organisations cannot hold tokens', { status: 400 });
  return json({ ok: true, token: signAppUserToken(ctx.env.adminSecret, user.id), user: { id: user.id, login: user.login } });
}

const J = (v: unknown) => JSON.stringify(v);

const bad = (message: string): never => {
  throw new KitError('invalid_installation', message, { status: 400 });
};

/**
 * POST /__asym/github/installations {account, repository_selection?, repositories?,
 * permissions?, events?, suspended?}: installs the app on an account, or changes its
 * installation there. `repositories` (full names or ids, of the account) with `selected`;
 * `suspended: true` (or a login: who suspended it) suspends, `false` lifts it.
 */
export async function adminInstall(b: Record<string, unknown>, ctx: KitContext, findUser: (ref: unknown) => Promise<UserRow>): Promise<Response> {
  const app = await theApp(ctx.db);
  if (!app) throw new KitError('not_found', 'the clone has no app (not provisioned)', { status: 404 });
  const account = await findUser(b.account);
  const [existing] = await ctx.db.q<InstallationRow>`select * from app_installations where app_id = ${app.id} and account_id = ${account.id}`;
  const selection = b.repository_selection ?? (b.repositories !== undefined ? 'selected' : (existing?.repository_selection ?? 'all'));
  if (selection !== 'all' && selection !== 'selected') bad('repository_selection must be all or selected');
  if (b.repositories !== undefined && !Array.isArray(b.repositories)) bad('repositories must be an array of repository names or ids');
  if (selection === 'all' && Array.isArray(b.repositories) && b.repositories.length) bad('repositories go with repository_selection selected');
  const refs = ((b.repositories as unknown[] | undefined) ?? []).map(String);
  const repos = refs.length ? await ctx.db.q<{ id: number; name: string }>`select id, name from repos where owner_id = ${account.id}` : [];
  const repoIds = refs.map((r) => {
    const short = r.includes('/') ? r.split('/')[1]! : r;
    const hit = repos.find((x) => String(x.id) === r || x.name.toLowerCase() === short.toLowerCase());
    return hit ? hit.id : bad(`${account.login} has no repository ${r}`);
  });
  const isMap = (v: unknown) => v && typeof v === 'object' && !Array.isArray(v) && Object.values(v).every((x) => x === 'read' || x === 'write' || x === 'admin');
  if (b.permissions !== undefined && !isMap(b.permissions)) bad('permissions must map permission names to read, write or admin');
  if (b.events !== undefined && !(Array.isArray(b.events) && b.events.every((e) => typeof e === 'string'))) bad('events must be an array of event names');
  if (b.suspended !== undefined && typeof b.suspended !== 'boolean' && typeof b.suspended !== 'string') bad('suspended must be a boolean or the login of who suspended it');
  const by = typeof b.suspended === 'string' ? await findUser(b.suspended) : null;
  const at = ctx.now();
  // Fields the caller leaves out keep their values on an existing installation.
  const permissions = b.permissions ?? existing?.permissions ?? APP_PERMISSIONS;
  const events = b.events ?? existing?.events ?? APP_EVENTS;
  const suspendedAt = b.suspended === undefined ? (existing?.suspended_at ?? null) : b.suspended ? at : null;
  const suspendedBy = b.suspended === undefined ? (existing?.suspended_by_id ?? null) : (by?.id ?? null);
  const inst = await ctx.db.tx(async (tx) => {
    const [row] = await tx<{ id: number }[]>`
      insert into app_installations (app_id, account_id, repository_selection, permissions, events, suspended_by_id, suspended_at, created_at, updated_at)
      values (${app.id}, ${account.id}, ${selection}, ${J(permissions)}::text::jsonb, ${J(events)}::text::jsonb, ${suspendedBy}, ${suspendedAt}, ${at}, ${at})
      on conflict (app_id, account_id) do update set repository_selection = excluded.repository_selection, permissions = excluded.permissions, events = excluded.events,
        suspended_by_id = excluded.suspended_by_id, suspended_at = excluded.suspended_at, updated_at = excluded.updated_at
      returning id`;
    if (selection === 'all' || b.repositories !== undefined) await tx`delete from app_installation_repos where installation_id = ${row!.id}`;
    if (repoIds.length) await tx`insert into app_installation_repos (installation_id, repo_id) select ${row!.id}, unnest(${repoIds}::int[]) on conflict do nothing`;
    return row!;
  });
  return json({ ok: true, installation: { id: inst.id, account: account.login, repository_selection: selection, repositories: repoIds } });
}
