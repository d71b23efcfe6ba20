import { int, str } from '../../../_kit/http.ts';
import { GitHubError, forbidden, invalid, notFound } from '../errors.ts';
import { listReply, pageOf, sliceReply } from '../paging.ts';
import * as render from '../render.ts';
import { loadRepo, orgRole, renderRepo, renderRepos, seesPrivate, userByLogin, usersByIds, viewerOrgIds } from '../store.ts';
import type { Gh, Repo, RepoRow, Reply, UserRow } from '../types.ts';
import { choice, flag, me, noContent, ok, text } from './common.ts';
import { DEFAULT_LABELS } from '../default-labels.ts';
import { clockNow } from '../../../_kit/clock.ts';
import { commitJson, commitOf, history, initialCommit } from './git.ts';


const SETTINGS = ['allow_squash_merge', 'allow_merge_commit', 'allow_rebase_merge', 'allow_auto_merge', 'delete_branch_on_merge', 'allow_update_branch'] as const;


function repoName(raw: unknown): string {
  if (typeof raw !== 'string' || !raw.trim()) {
    throw new GitHubError(422, 'Repository creation failed.', { errors: [{ resource: 'Repository', code: 'missing_field', field: 'name' }] });
  }
  // GitHub swaps characters it does not allow for '-'.
  return raw.trim().replace(/[^A-Za-z0-9._-]+/g, '-');
}

async function createRepo(g: Gh, owner: UserRow): Promise<Reply> {
  const viewer = me(g);
  const name = repoName(g.body.name);
  const exists = await g.ctx.db.q`select 1 from repos where owner_id = ${owner.id} and lower(name) = lower(${name})`;
  if (exists.length) {
    throw new GitHubError(422, 'Repository creation failed.', { errors: [{ resource: 'Repository', code: 'custom', field: 'name', message: 'name already exists on this account' }] });
  }
  const visibility = str(g.body.visibility);
  const isPrivate = visibility ? visibility !== 'public' : (flag(g, 'private') ?? false);
  // A private repository needs the `repo` scope (public_repo suffices for a public one).
  if (isPrivate && !seesPrivate(g)) notFound();
  const settings: Record<string, boolean> = {};
  for (const s of SETTINGS) {
    const v = flag(g, s);
    if (v !== undefined) settings[s] = v;
  }
  const autoInit = flag(g, 'auto_init') ?? false;
  const licenseKey = str(g.body.license_template);
  const license = licenseKey ? { key: licenseKey, name: licenseKey.toUpperCase(), spdx_id: licenseKey.toUpperCase(), url: `${g.base}/licenses/${licenseKey}`, node_id: render.nodeId('License', 1) } : null;
  const repo = await g.ctx.db.tx(async (tx) => {
    const rows = await tx<RepoRow[]>`insert into repos (owner_id, name, description, homepage, private, has_issues, has_projects, has_wiki, has_discussions, is_template, settings, license, pushed_at)
      values (${owner.id}, ${name}, ${text(g, 'description', 'Repository') ?? null}, ${text(g, 'homepage', 'Repository') ?? null}, ${isPrivate},
        ${flag(g, 'has_issues') ?? true}, ${flag(g, 'has_projects') ?? true}, ${flag(g, 'has_wiki') ?? true}, ${flag(g, 'has_discussions') ?? false},
        ${flag(g, 'is_template') ?? false}, ${JSON.stringify(settings)}::text::jsonb, ${license ? JSON.stringify(license) : null}::text::jsonb, ${autoInit ? clockNow() : null})
      returning *`;
    const r = rows[0]!;
    for (const [n, color, description] of DEFAULT_LABELS) {
      await tx`insert into labels (repo_id, name, color, description, is_default) values (${r.id}, ${n}, ${color}, ${description}, true)`;
    }
    if (autoInit) {
      // A real first commit (README.md), so branches, contents and pull requests stand on it.
      const first = await initialCommit(tx, r, viewer.id);
      await tx`insert into branches (repo_id, name, sha) values (${r.id}, ${r.default_branch}, ${first})`;
    }
    return r;
  });
  return { status: 201, body: await renderRepo(g, { ...repo, owner }) };
}

export async function createForAuthenticatedUser(g: Gh): Promise<Reply> {
  return createRepo(g, me(g));
}

export async function createInOrg(g: Gh): Promise<Reply> {
  const viewer = me(g);
  const org = await userByLogin(g, g.params.org ?? '');
  if (!org || org.type !== 'Organization') return notFound();
  if (!(await orgRole(g, org.id, viewer.id))) return forbidden('You need admin access to the organization before adding a repository to it.');
  return createRepo(g, org);
}

export async function get(g: Gh): Promise<Reply> {
  const repo = await loadRepo(g);
  return ok(await renderRepo(g, repo));
}

export async function update(g: Gh): Promise<Reply> {
  const repo = await loadRepo(g, 'admin');
  const b = g.body;
  let name = repo.name;
  if (b.name !== undefined) {
    name = repoName(b.name);
    if (name.toLowerCase() !== repo.name.toLowerCase()) {
      const taken = await g.ctx.db.q`select 1 from repos where owner_id = ${repo.owner_id} and lower(name) = lower(${name})`;
      if (taken.length) invalid('Repository', 'custom', 'name', { message: 'name already exists on this account' });
    }
  }
  const visibility = str(b.visibility);
  const isPrivate = visibility ? visibility !== 'public' : (flag(g, 'private') ?? repo.private);
  let defaultBranch = repo.default_branch;
  const wanted = str(b.default_branch);
  if (wanted && wanted !== repo.default_branch) {
    const exists = await g.ctx.db.q`select 1 from branches where repo_id = ${repo.id} and name = ${wanted}`;
    if (!exists.length) invalid('Repository', 'invalid', 'default_branch', { message: `The branch ${wanted} was not found. Please push that ref first or create it via the Git Data API.` });
    defaultBranch = wanted;
  }
  const settings: Record<string, unknown> = { ...repo.settings };
  for (const s of SETTINGS) {
    const v = flag(g, s);
    if (v !== undefined) settings[s] = v;
  }
  const pick = <T>(v: T | undefined, d: T): T => (v === undefined ? d : v);
  const rows = await g.ctx.db.q<RepoRow>`update repos set name = ${name},
      description = ${b.description === null ? null : pick(text(g, 'description', 'Repository'), repo.description)},
      homepage = ${b.homepage === null ? null : pick(text(g, 'homepage', 'Repository'), repo.homepage)},
      private = ${isPrivate}, has_issues = ${pick(flag(g, 'has_issues'), repo.has_issues)},
      has_projects = ${pick(flag(g, 'has_projects'), repo.has_projects)}, has_wiki = ${pick(flag(g, 'has_wiki'), repo.has_wiki)},
      has_discussions = ${pick(flag(g, 'has_discussions'), repo.has_discussions)}, is_template = ${pick(flag(g, 'is_template'), repo.is_template)},
      archived = ${pick(flag(g, 'archived'), repo.archived)}, default_branch = ${defaultBranch},
      settings = ${JSON.stringify(settings)}::text::jsonb, updated_at = now()
    where id = ${repo.id} returning *`;
  return ok(await renderRepo(g, { ...rows[0]!, owner: repo.owner }));
}

export async function remove(g: Gh): Promise<Reply> {
  const repo = await loadRepo(g, 'admin');
  await g.ctx.db.q`delete from repos where id = ${repo.id}`;
  return noContent();
}

type Sort = 'created' | 'updated' | 'pushed' | 'full_name';
const ORDER: Record<Sort, string> = { created: 'r.created_at', updated: 'r.updated_at', pushed: 'coalesce(r.pushed_at, r.created_at)', full_name: 'lower(r.name)' };

/** Shared by the three repository lists: a where clause, sort and direction, paged. */
async function listRepos(g: Gh, where: string, params: unknown[], defaultSort: Sort): Promise<Reply> {
  const sort = choice(g.query.sort, ['created', 'updated', 'pushed', 'full_name'] as const, defaultSort);
  const direction = choice(g.query.direction, ['asc', 'desc'] as const, sort === 'full_name' ? 'asc' : 'desc');
  const p = pageOf(g);
  const count = await g.ctx.db.unsafe<{ n: number }>(`select count(*)::int as n from repos r join users u on u.id = r.owner_id where ${where}`, params);
  const rows = await g.ctx.db.unsafe<RepoRow>(
    `select r.* from repos r join users u on u.id = r.owner_id where ${where}
     order by ${sort === 'full_name' ? 'lower(u.login) ' + direction + ', ' : ''}${ORDER[sort]} ${direction}, r.id ${direction}
     limit ${p.perPage} offset ${p.offset}`,
    params,
  );
  return listReply(g, p, await renderRepos(g, rows), count[0]?.n ?? 0);
}

export async function listForUser(g: Gh): Promise<Reply> {
  const u = (await userByLogin(g, g.params.username ?? '')) ?? notFound();
  const type = choice(g.query.type, ['all', 'owner', 'member'] as const, 'owner');
  // Public repositories only, as GitHub's "list repositories for a user".
  const where = type === 'member' ? 'false' : 'r.owner_id = $1 and not r.private';
  return listRepos(g, where, [u.id], 'full_name');
}

/** The page GET /repositories answers: GitHub pages it by `since` alone, so per_page is not read. */
export const PUBLIC_PAGE = 100;

/**
 * GET /repositories: every public repository in the order created (ids come from one
 * sequence, so id order), `since` a repository id; when there is more, a Link rel="next"
 * with the page's last id as `since`, and rel="first", as GitHub sends them (and GET /users).
 */
export async function listPublic(g: Gh): Promise<Reply> {
  const since = Math.max(0, int(g.query.since, 0));
  const rows = await g.ctx.db.q<RepoRow>`select * from repos where not private and id > ${since} order by id limit ${PUBLIC_PAGE + 1}`;
  const page = rows.slice(0, PUBLIC_PAGE);
  const headers: Record<string, string> = {};
  if (rows.length > PUBLIC_PAGE) headers.link = `<${g.base}/repositories?since=${page[page.length - 1]!.id}>; rel="next", <${g.base}/repositories{?since}>; rel="first"`;
  return { status: 200, body: await renderRepos(g, page), headers };
}

export async function listForOrg(g: Gh): Promise<Reply> {
  const org = await userByLogin(g, g.params.org ?? '');
  if (!org || org.type !== 'Organization') return notFound();
  const member = g.viewer ? await orgRole(g, org.id, g.viewer.id) : null;
  const type = choice(g.query.type, ['all', 'public', 'private', 'forks', 'sources', 'member'] as const, 'all');
  const see = member && seesPrivate(g);
  const vis = type === 'public' ? 'not r.private' : type === 'private' ? (see ? 'r.private' : 'false') : type === 'forks' ? 'false' : see ? 'true' : 'not r.private';
  return listRepos(g, `r.owner_id = $1 and ${vis}`, [org.id], 'created');
}

export async function listForAuthenticatedUser(g: Gh): Promise<Reply> {
  const viewer = me(g);
  const visibility = choice(g.query.visibility, ['all', 'public', 'private'] as const, 'all');
  const type = str(g.query.type);
  let affiliation = (str(g.query.affiliation) ?? 'owner,collaborator,organization_member').split(',').map((s) => s.trim());
  if (type === 'owner') affiliation = ['owner'];
  if (type === 'member') affiliation = ['organization_member', 'collaborator'];
  const orgs = await viewerOrgIds(g);
  // Placeholders numbered as they are used: Postgres refuses a parameter no clause names.
  const params: unknown[] = [];
  const arg = (v: unknown) => `$${params.push(v)}`;
  const who: string[] = [];
  if (affiliation.includes('owner')) who.push(`r.owner_id = ${arg(viewer.id)}`);
  if (affiliation.includes('organization_member')) who.push(`r.owner_id = any(${arg(orgs)}::int[])`);
  if (affiliation.includes('collaborator')) who.push(`r.id in (select repo_id from repo_collaborators where user_id = ${arg(viewer.id)})`);
  let where = who.length ? `(${who.join(' or ')})` : 'false';
  if (visibility === 'public' || type === 'public') where += ' and not r.private';
  if (visibility === 'private' || type === 'private') where += ' and r.private';
  if (!seesPrivate(g)) where += ' and not r.private';
  const since = str(g.query.since);
  const before = str(g.query.before);
  if (since) where += ` and r.updated_at > ${arg(new Date(since))}`;
  if (before) where += ` and r.updated_at < ${arg(new Date(before))}`;
  return listRepos(g, where, params, 'full_name');
}

export async function getTopics(g: Gh): Promise<Reply> {
  const repo = await loadRepo(g);
  return ok({ names: repo.topics });
}

export async function replaceTopics(g: Gh): Promise<Reply> {
  const repo = await loadRepo(g, 'admin');
  const raw = g.body.names;
  if (!Array.isArray(raw)) return invalid('Repository', 'missing_field', 'names');
  const topics = [...new Set(raw.map((t) => String(t).toLowerCase().trim()))];
  for (const t of topics) {
    if (!/^[a-z0-9][a-z0-9-]{0,49}$/.test(t)) {
      throw new GitHubError(422, 'Invalid topics', { errors: [{ resource: 'Repository', code: 'invalid', field: 'topics', value: t, message: `"${t}" is not a valid topic. Topics must start with a lowercase letter or number, consist of 50 characters or less, and can include hyphens.` }] });
    }
  }
  if (topics.length > 20) invalid('Repository', 'invalid', 'topics', { message: 'A repository cannot have more than 20 topics.' });
  await g.ctx.db.q`update repos set topics = ${topics}::text[], updated_at = now() where id = ${repo.id}`;
  return ok({ names: topics });
}

export async function listLanguages(g: Gh): Promise<Reply> {
  const repo = await loadRepo(g);
  const entries = Object.entries(repo.languages).sort((a, b) => b[1] - a[1]);
  return ok(Object.fromEntries(entries));
}

export async function listContributors(g: Gh): Promise<Reply> {
  const repo = await loadRepo(g);
  const rows = await g.ctx.db.q<{ user_id: number; contributions: number }>`
    select user_id, contributions from repo_contributors where repo_id = ${repo.id} order by contributions desc, user_id`;
  const hasCommits = await g.ctx.db.q`select 1 from branches where repo_id = ${repo.id} limit 1`;
  if (!hasCommits.length && !rows.length) return noContent();
  const users = await usersByIds(g, rows.map((r) => r.user_id));
  return sliceReply(g, rows, (r) => ({ ...render.simpleUser(g.base, users.get(r.user_id)!), contributions: r.contributions }));
}

interface BranchRow {
  name: string;
  sha: string;
  protected: boolean;
}

export async function listBranches(g: Gh): Promise<Reply> {
  const repo = await loadRepo(g);
  const prot = str(g.query.protected);
  const rows = await g.ctx.db.q<BranchRow>`select name, sha, protected from branches where repo_id = ${repo.id} order by name`;
  const list = prot === undefined ? rows : rows.filter((b) => b.protected === (prot === 'true'));
  const api = `${g.base}/repos/${repo.owner.login}/${repo.name}`;
  return sliceReply(g, list, (b) => ({ name: b.name, commit: { sha: b.sha, url: `${api}/commits/${b.sha}` }, protected: b.protected }));
}

export async function getBranch(g: Gh): Promise<Reply> {
  const repo = await loadRepo(g);
  const name = g.params.branch ?? '';
  const rows = await g.ctx.db.q<BranchRow>`select name, sha, protected from branches where repo_id = ${repo.id} and name = ${name}`;
  const b = rows[0];
  if (!b) throw new GitHubError(404, 'Branch not found', { documentationUrl: 'https://docs.github.com/rest/branches/branches#get-a-branch' });
  return ok(await branchJson(g, repo, b));
}

async function branchJson(g: Gh, repo: Repo, b: BranchRow): Promise<Record<string, unknown>> {
  const full = `${repo.owner.login}/${repo.name}`;
  const api = `${g.base}/repos/${full}`;
  // The branch's commit from the history (a branch of a fixture pack reads as a root commit).
  const h = await g.ctx.db.run((sql) => history(sql, repo.id));
  const c = commitOf(h, b.sha, repo.id, repo.pushed_at ?? repo.created_at);
  const users = await usersByIds(g, [c.author_id ?? repo.owner_id]);
  if (!c.author_id) c.author_id = repo.owner_id;
  return {
    name: b.name,
    commit: commitJson(g, repo, c, users),
    _links: { self: `${api}/branches/${encodeURIComponent(b.name)}`, html: `${g.base}/${full}/tree/${b.name}` },
    protected: b.protected,
    protection: { enabled: b.protected, required_status_checks: { enforcement_level: 'off', contexts: [], checks: [] } },
    protection_url: `${api}/branches/${encodeURIComponent(b.name)}/protection`,
  };
}
