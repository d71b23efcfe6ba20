import { forbidden, notFound } from './errors.ts';
import * as render from './render.ts';
import type { CommentRow, Gh, IssueRow, LabelRow, MilestoneRow, Repo, RepoRow, UserRow } from './types.ts';

/**
 * Lookups shared by handlers, and the permission model: a repository is readable when
 * public, or when the viewer owns it or belongs to the organisation owning it; writable
 * by its owner and that organisation's members; administrable by its owner and the
 * organisation's admins. What a viewer may not read is a 404, as on GitHub.
 */

export type Access = 'read' | 'write' | 'admin';

export async function userByLogin(g: Gh, login: string): Promise<UserRow | null> {
  const rows = await g.ctx.db.q<UserRow>`select * from users where lower(login) = lower(${login})`;
  return rows[0] ?? null;
}

export async function usersByIds(g: Gh, ids: Iterable<number | null | undefined>): Promise<Map<number, UserRow>> {
  const list = [...new Set([...ids].filter((x): x is number => typeof x === 'number'))];
  if (!list.length) return new Map();
  const rows = await g.ctx.db.q<UserRow>`select * from users where id = any(${list}::int[])`;
  return new Map(rows.map((u) => [u.id, u]));
}

export async function orgRole(g: Gh, orgId: number, userId: number | undefined): Promise<'admin' | 'member' | null> {
  if (userId === undefined) return null;
  const rows = await g.ctx.db.q<{ role: 'admin' | 'member' }>`select role from org_members where org_id = ${orgId} and user_id = ${userId}`;
  return rows[0]?.role ?? null;
}

/** Ids of the organisations the viewer belongs to (for visibility filters). */
export async function viewerOrgIds(g: Gh): Promise<number[]> {
  if (!g.viewer) return [];
  const rows = await g.ctx.db.q<{ org_id: number }>`select org_id from org_members where user_id = ${g.viewer.id}`;
  return rows.map((r) => r.org_id);
}

export async function permissionsOn(g: Gh, repo: RepoRow & { owner: UserRow; perms?: render.RepoPermissions }): Promise<render.RepoPermissions> {
  // A repository loadRepo read carries the viewer's permissions already.
  if (repo.perms) return repo.perms;
  const v = g.viewer;
  if (!v || repo.owner_id === v.id) return permissionsFrom(g, repo, null);
  const [row] = await g.ctx.db.q<{ role: 'admin' | 'member' | null; collab: Collaboration | null }>`
    select (select role from org_members where org_id = ${repo.owner_id} and user_id = ${v.id}) as role,
      (select permission from repo_collaborators where repo_id = ${repo.id} and user_id = ${v.id}) as collab`;
  return permissionsFrom(g, repo, repo.owner.type === 'Organization' ? (row?.role ?? null) : null, row?.collab ?? null);
}

/** A collaborator's permission on a repository (repo_collaborators, GitHub's role names). */
export type Collaboration = 'pull' | 'triage' | 'push' | 'maintain' | 'admin';
const RANK: Record<Collaboration, number> = { pull: 1, triage: 2, push: 3, maintain: 4, admin: 5 };

/** The viewer's permissions given its role in the organisation owning `repo` and its collaborator permission (null: none). */
export function permissionsFrom(g: Gh, repo: RepoRow & { owner: UserRow }, role: 'admin' | 'member' | null, collab: Collaboration | null = null): render.RepoPermissions {
  const v = g.viewer;
  // Ranks: 1 read, 2 triage, 3 write, 4 maintain, 5 admin. Owners and org admins hold all;
  // org members write (and triage); a collaborator holds its invited permission.
  let level = repo.private ? 0 : 1;
  if (v && repo.owner_id === v.id) level = 5;
  else if (v && repo.owner.type === 'Organization') {
    if (role === 'admin') level = 5;
    else if (role === 'member') level = 3;
  }
  if (v && collab) level = Math.max(level, RANK[collab]);
  return { admin: level >= 5, maintain: level >= 4, push: level >= 3, triage: level >= 2, pull: level >= 1 };
}

/** How the viewer stands towards a loaded repository, read in the same query as the repository. */
export interface ViewerStanding {
  /** Role in the organisation owning the repository (GitHub's MEMBER association), or null. */
  role: 'admin' | 'member' | null;
  /** Listed in repo_contributors (GitHub's CONTRIBUTOR association). */
  contributor: boolean;
}

export async function loadRepo(g: Gh, access: Access = 'read', owner = g.params.owner ?? '', name = g.params.repo ?? ''): Promise<Repo & { perms: render.RepoPermissions; standing: ViewerStanding }> {
  // One round trip: the repository, its owner, and the viewer's org role, collaborator
  // permission and contributor flag (permissions and author_association need nothing more).
  const viewerId = g.viewer?.id ?? null;
  const rows = await g.ctx.db.q<RepoRow & { o: UserRow; viewer_role: 'admin' | 'member' | null; viewer_collab: Collaboration | null; viewer_contributor: boolean; migration_locked: boolean }>`
    select r.*, row_to_json(u.*) as o,
      (select om.role from org_members om where om.org_id = r.owner_id and om.user_id = ${viewerId}::int) as viewer_role,
      (select c.permission from repo_collaborators c where c.repo_id = r.id and c.user_id = ${viewerId}::int) as viewer_collab,
      exists (select 1 from repo_contributors rc where rc.repo_id = r.id and rc.user_id = ${viewerId}::int) as viewer_contributor,
      exists (select 1 from user_migration_repos ml where ml.repo_id = r.id and ml.locked) as migration_locked
    from repos r join users u on u.id = r.owner_id
    where lower(u.login) = lower(${owner}) and lower(r.name) = lower(${name})`;
  const row = rows[0];
  if (!row) return notFound();
  const { o, viewer_role, viewer_collab, viewer_contributor, migration_locked, ...rest } = row;
  const repo = { ...rest, owner: reviveUser(o) } as Repo;
  const perms = permissionsFrom(g, repo, viewer_role, viewer_collab);
  if (!perms.pull) return notFound();
  // A classic token needs `repo` for a private repository and `public_repo` (or `repo`) to write to a public one.
  if (g.scopes && ((repo.private && !g.scopes.has('repo')) || (g.req.method !== 'GET' && g.req.method !== 'HEAD' && !g.url.pathname.endsWith('graphql') && !g.scopes.has('public_repo')))) return notFound();
  if (access === 'write' && !perms.push) return notFound();
  // A user migration started with lock_repositories holds the repository until it is unlocked.
  if (migration_locked && g.req.method !== 'GET' && g.req.method !== 'HEAD') return forbidden('Repository has been locked for migration.');
  if (access === 'admin' && !perms.admin) return forbidden('Must have admin rights to Repository.');
  return { ...repo, perms, standing: { role: viewer_role, contributor: viewer_contributor } };
}

/** row_to_json turns timestamps into strings; handlers expect Dates. */
export function reviveUser(o: unknown): UserRow {
  const u = o as UserRow & { created_at: string | Date; updated_at: string | Date };
  return { ...u, created_at: new Date(u.created_at), updated_at: new Date(u.updated_at) };
}

/** Private repositories are out of reach of a classic token without `repo`. */
export const seesPrivate = (g: Gh): boolean => !g.scopes || g.scopes.has('repo');

export const fullName = (r: Repo): string => `${r.owner.login}/${r.name}`;

export async function openIssueCount(g: Gh, repoId: number): Promise<number> {
  const rows = await g.ctx.db.q<{ n: number }>`select count(*)::int as n from issues where repo_id = ${repoId} and state = 'open'`;
  return rows[0]?.n ?? 0;
}

export async function renderRepo(g: Gh, repo: Repo, full = true): Promise<Record<string, unknown>> {
  const perms = await permissionsOn(g, repo);
  return render.repository(g.base, repo, { openIssues: await openIssueCount(g, repo.id), permissions: g.viewer ? perms : undefined, full });
}

/** Many repositories at once (lists): owners and open-issue counts in two queries. */
export async function renderRepos(g: Gh, rows: RepoRow[]): Promise<Record<string, unknown>[]> {
  const owners = await usersByIds(g, rows.map((r) => r.owner_id));
  const ids = rows.map((r) => r.id);
  const counts = new Map<number, number>();
  const orgRoles = new Map<number, 'admin' | 'member'>();
  const collabs = new Map<number, Collaboration>();
  if (ids.length) {
    for (const c of await g.ctx.db.q<{ repo_id: number; n: number }>`select repo_id, count(*)::int as n from issues where repo_id = any(${ids}::int[]) and state = 'open' group by repo_id`) counts.set(c.repo_id, c.n);
  }
  if (g.viewer) {
    // The viewer's org roles and collaborator permissions on these repositories, in one statement.
    for (const m of await g.ctx.db.q<{ kind: 'org' | 'repo'; id: number; role: string }>`
      select 'org' as kind, org_id as id, role from org_members where user_id = ${g.viewer.id}
      union all select 'repo', repo_id, permission from repo_collaborators where user_id = ${g.viewer.id} and repo_id = any(${ids}::int[])`) {
      if (m.kind === 'org') orgRoles.set(m.id, m.role as 'admin' | 'member');
      else collabs.set(m.id, m.role as Collaboration);
    }
  }
  return rows.map((r) => {
    const owner = owners.get(r.owner_id)!;
    // Listed repositories are visible to the viewer: read access at least.
    const p = g.viewer ? permissionsFrom(g, { ...r, owner }, orgRoles.get(r.owner_id) ?? null, collabs.get(r.id) ?? null) : undefined;
    const permissions = p ? { ...p, pull: true } : undefined;
    return render.repository(g.base, { ...r, owner }, { openIssues: counts.get(r.id) ?? 0, permissions });
  });
}

export async function issueByNumber(g: Gh, repo: Repo, number = g.params.issue_number): Promise<IssueRow> {
  const n = Number(number);
  if (!Number.isInteger(n) || n < 1 || n > 2_147_483_647) return notFound();
  const rows = await g.ctx.db.q<IssueRow>`select * from issues where repo_id = ${repo.id} and number = ${n}`;
  return rows[0] ?? notFound();
}

export async function milestoneRows(g: Gh, where: { ids?: number[]; repoId?: number; number?: number }): Promise<MilestoneRow[]> {
  const base = `select m.*, (select count(*)::int from issues i where i.milestone_id = m.id and i.state = 'open') as open_issues,
    (select count(*)::int from issues i where i.milestone_id = m.id and i.state = 'closed') as closed_issues from milestones m`;
  if (where.ids) return where.ids.length ? g.ctx.db.unsafe<MilestoneRow>(`${base} where m.id = any($1::int[])`, [where.ids]) : [];
  return g.ctx.db.unsafe<MilestoneRow>(`${base} where m.repo_id = $1 and m.number = $2`, [where.repoId, where.number]);
}

/** GitHub's author_association of a user towards a repository. */
export function association(repo: { owner_id: number }, userId: number, members: Set<number>, contributors: Set<number>): string {
  if (userId === repo.owner_id) return 'OWNER';
  if (members.has(userId)) return 'MEMBER';
  if (contributors.has(userId)) return 'CONTRIBUTOR';
  return 'NONE';
}

export async function associationSets(g: Gh, repoIds: number[]): Promise<{ members: Map<number, Set<number>>; contributors: Map<number, Set<number>> }> {
  const members = new Map<number, Set<number>>();
  const contributors = new Map<number, Set<number>>();
  if (!repoIds.length) return { members, contributors };
  const m = await g.ctx.db.q<{ repo_id: number; user_id: number }>`select r.id as repo_id, om.user_id from repos r join org_members om on om.org_id = r.owner_id where r.id = any(${repoIds}::int[])`;
  for (const x of m) (members.get(x.repo_id) ?? members.set(x.repo_id, new Set()).get(x.repo_id)!).add(x.user_id);
  const c = await g.ctx.db.q<{ repo_id: number; user_id: number }>`select repo_id, user_id from repo_contributors where repo_id = any(${repoIds}::int[])`;
  for (const x of c) (contributors.get(x.repo_id) ?? contributors.set(x.repo_id, new Set()).get(x.repo_id)!).add(x.user_id);
  return { members, contributors };
}

export async function reactionCounts(g: Gh, column: 'issue_id' | 'comment_id', ids: number[]): Promise<Map<number, Record<string, number>>> {
  const out = new Map<number, Record<string, number>>();
  if (!ids.length) return out;
  const rows = await g.ctx.db.unsafe<{ sid: number; content: string; n: number }>(
    `select ${column} as sid, content, count(*)::int as n from reactions where ${column} = any($1::int[]) group by 1, 2`,
    [ids],
  );
  for (const r of rows) (out.get(r.sid) ?? out.set(r.sid, {}).get(r.sid)!)[r.content] = r.n;
  return out;
}

interface IssueDecorations {
  labelRows: (LabelRow & { issue_id: number })[];
  assigneeRows: { issue_id: number; user_id: number }[];
  links: IssueLinks;
  reactions: Map<number, Record<string, number>>;
  assoc: { members: Map<number, Set<number>>; contributors: Map<number, Set<number>> };
  /** The issues' authors, closers and assignees. */
  users: Map<number, UserRow>;
}

/**
 * Labels, assignees, reaction counts, sub-issue/dependency/parent links and the repositories'
 * members and contributors of many issues, in one statement: each part is the query it would
 * be alone, aggregated to JSON (all plain columns: ints, text, booleans).
 */
export async function issueDecorations(g: Gh, ids: number[], repoIds: number[], userIds: (number | null)[] = []): Promise<IssueDecorations> {
  const people = [...new Set(userIds.filter((x): x is number => typeof x === 'number'))];
  type J<T> = T[] | null;
  const [row] = await g.ctx.db.q<{
    labels: J<LabelRow & { issue_id: number }>;
    assignees: J<{ issue_id: number; user_id: number }>;
    reactions: J<{ sid: number; content: string; n: number }>;
    subs: J<{ parent_id: number; total: number; completed: number }>;
    deps: J<{ id: number; blocked_by: number; total_blocked_by: number; blocking: number; total_blocking: number }>;
    parents: J<{ child_id: number; number: number; repo_full: string }>;
    members: J<{ repo_id: number; user_id: number }>;
    contributors: J<{ repo_id: number; user_id: number }>;
    users: J<UserRow>;
  }>`select
    (select json_agg(x order by lower(x.name)) from (select il.issue_id, l.* from issue_labels il join labels l on l.id = il.label_id where il.issue_id = any(${ids}::int[])) x) as labels,
    (select json_agg(x order by x.user_id) from (select issue_id, user_id from issue_assignees where issue_id = any(${ids}::int[])) x) as assignees,
    (select json_agg(x) from (select issue_id as sid, content, count(*)::int as n from reactions where issue_id = any(${ids}::int[]) group by 1, 2) x) as reactions,
    (select json_agg(x) from (select s.parent_id, count(*)::int as total, count(*) filter (where c.state = 'closed')::int as completed
      from sub_issues s join issues c on c.id = s.child_id where s.parent_id = any(${ids}::int[]) group by s.parent_id) x) as subs,
    (select json_agg(x) from (select d.id,
      (select count(*)::int from issue_dependencies e join issues b on b.id = e.blocking_id where e.blocked_id = d.id and b.state = 'open') as blocked_by,
      (select count(*)::int from issue_dependencies e where e.blocked_id = d.id) as total_blocked_by,
      (select count(*)::int from issue_dependencies e join issues b on b.id = e.blocked_id where e.blocking_id = d.id and b.state = 'open') as blocking,
      (select count(*)::int from issue_dependencies e where e.blocking_id = d.id) as total_blocking
      from unnest(${ids}::int[]) as d(id)
      where exists (select 1 from issue_dependencies e where e.blocked_id = d.id or e.blocking_id = d.id)) x) as deps,
    (select json_agg(x) from (select s.child_id, p.number, u.login || '/' || r.name as repo_full
      from sub_issues s join issues p on p.id = s.parent_id join repos r on r.id = p.repo_id join users u on u.id = r.owner_id
      where s.child_id = any(${ids}::int[])) x) as parents,
    (select json_agg(x) from (select r.id as repo_id, om.user_id from repos r join org_members om on om.org_id = r.owner_id where r.id = any(${repoIds}::int[])) x) as members,
    (select json_agg(x) from (select repo_id, user_id from repo_contributors where repo_id = any(${repoIds}::int[])) x) as contributors,
    (select json_agg(u) from users u where u.id = any(${people}::int[]) or u.id in (select user_id from issue_assignees where issue_id = any(${ids}::int[]))) as users`;
  const links: IssueLinks = { sub: new Map(), deps: new Map(), parent: new Map() };
  for (const r of row?.subs ?? []) links.sub.set(r.parent_id, { total: r.total, completed: r.completed });
  for (const r of row?.deps ?? []) links.deps.set(r.id, { blocked_by: r.blocked_by, blocking: r.blocking, total_blocked_by: r.total_blocked_by, total_blocking: r.total_blocking });
  for (const r of row?.parents ?? []) links.parent.set(r.child_id, { repo_full: r.repo_full, number: r.number });
  const reactions = new Map<number, Record<string, number>>();
  for (const r of row?.reactions ?? []) (reactions.get(r.sid) ?? reactions.set(r.sid, {}).get(r.sid)!)[r.content] = r.n;
  const members = new Map<number, Set<number>>();
  const contributors = new Map<number, Set<number>>();
  for (const x of row?.members ?? []) (members.get(x.repo_id) ?? members.set(x.repo_id, new Set()).get(x.repo_id)!).add(x.user_id);
  for (const x of row?.contributors ?? []) (contributors.get(x.repo_id) ?? contributors.set(x.repo_id, new Set()).get(x.repo_id)!).add(x.user_id);
  const users = new Map((row?.users ?? []).map((u) => [u.id, reviveUser(u)] as const));
  return { labelRows: row?.labels ?? [], assigneeRows: row?.assignees ?? [], links, reactions, assoc: { members, contributors }, users };
}

/**
 * Renders issues in bulk: users, labels, assignees, milestones, reactions and (for the
 * cross-repository lists) the repository each belongs to.
 */
export async function renderIssues(g: Gh, issues: IssueRow[], opts: { withRepository?: boolean; repo?: Repo; extra?: (i: IssueRow) => Record<string, unknown> } = {}): Promise<Record<string, unknown>[]> {
  if (!issues.length) return [];
  const db = g.ctx.db;
  const ids = issues.map((i) => i.id);
  const repoIds = [...new Set(issues.map((i) => i.repo_id))];
  const repos = new Map<number, Repo>();
  if (opts.repo) repos.set(opts.repo.id, opts.repo);
  const missing = repoIds.filter((id) => !repos.has(id));
  const msIds = [...new Set(issues.map((i) => i.milestone_id).filter((x): x is number => x !== null))];
  // One statement for every decoration of plain columns (labels, assignees, reaction counts,
  // links, membership), beside the lookups whose rows carry timestamps: two waves of round
  // trips, three or four statements, instead of about eleven.
  const [repoRows, deco, milestoneList, pinned] = await Promise.all([
    missing.length ? db.q<RepoRow>`select * from repos where id = any(${missing}::int[])` : Promise.resolve([] as RepoRow[]),
    issueDecorations(g, ids, repoIds, [...issues.map((i) => i.user_id), ...issues.map((i) => i.closed_by_id)]),
    milestoneRows(g, { ids: msIds }),
    db.q<CommentRow>`select c.*, i.number as issue_number from comments c join issues i on i.id = c.issue_id where c.issue_id = any(${ids}::int[]) and c.pinned_at is not null`,
  ]);
  const { labelRows, assigneeRows, links, reactions, assoc } = deco;
  const milestones = new Map(milestoneList.map((m) => [m.id, m]));
  // The issues' authors, closers and assignees came with the decorations; only pinned
  // comments' people and milestone creators may still be missing (and repository owners of
  // a cross-repository list).
  const users = deco.users;
  const more = [...pinned.flatMap((c) => [c.user_id, c.pinned_by_id]), ...[...milestones.values()].map((m) => m.creator_id)].filter((id): id is number => typeof id === 'number' && !users.has(id));
  const [owners, pinnedReactions, extra] = await Promise.all([
    repoRows.length ? usersByIds(g, repoRows.map((r) => r.owner_id)) : new Map<number, UserRow>(),
    pinned.length ? reactionCounts(g, 'comment_id', pinned.map((c) => c.id)) : new Map<number, Record<string, number>>(),
    more.length ? usersByIds(g, more) : new Map<number, UserRow>(),
  ]);
  for (const [id, u] of extra) users.set(id, u);
  for (const r of repoRows) repos.set(r.id, { ...r, owner: owners.get(r.owner_id)! });
  // Pull requests are issues too: their pull_request key says when they were merged.
  const prIds = issues.filter((i) => i.is_pull_request).map((i) => i.id);
  const prRows = prIds.length ? await db.q<{ issue_id: number; merged_at: Date | null; draft: boolean }>`select issue_id, merged_at, draft from pulls where issue_id = any(${prIds}::int[])` : [];
  const repoJson = new Map<number, Record<string, unknown>>();
  if (opts.withRepository) {
    const rendered = await renderRepos(g, [...repos.values()]);
    for (const r of rendered) repoJson.set(r.id as number, r);
  }
  return issues.map((i) => {
    const repo = repos.get(i.repo_id)!;
    const ms = i.milestone_id !== null ? milestones.get(i.milestone_id) : undefined;
    const members = assoc.members.get(repo.id) ?? new Set<number>();
    const contributors = assoc.contributors.get(repo.id) ?? new Set<number>();
    const pin = pinned.find((c) => c.issue_id === i.id);
    const parent = links.parent.get(i.id);
    const json = render.issue(g.base, fullName(repo), i, {
      subIssues: links.sub.get(i.id),
      dependencies: links.deps.get(i.id),
      parentNumber: parent ? { repoFull: parent.repo_full, number: parent.number } : null,
      pinnedComment: pin ? render.comment(g.base, fullName(repo), pin, users.get(pin.user_id)!, association(repo, pin.user_id, members, contributors), pinnedReactions.get(pin.id), pin.pinned_by_id ? users.get(pin.pinned_by_id) : null) : null,
      user: users.get(i.user_id)!,
      labels: labelRows.filter((l) => l.issue_id === i.id),
      assignees: assigneeRows.filter((a) => a.issue_id === i.id).map((a) => users.get(a.user_id)!).filter(Boolean),
      milestone: ms ? { row: ms, creator: ms.creator_id !== null ? (users.get(ms.creator_id) ?? null) : null } : null,
      closedBy: i.closed_by_id !== null ? (users.get(i.closed_by_id) ?? null) : null,
      association: association(repo, i.user_id, members, contributors),
      reactions: reactions.get(i.id),
      repository: repoJson.get(repo.id),
    });
    const pr = i.is_pull_request ? prRows.find((x) => x.issue_id === i.id) : undefined;
    if (pr) {
      (json.pull_request as Record<string, unknown>).merged_at = render.iso(pr.merged_at);
      json.draft = pr.draft;
    }
    return opts.extra ? { ...json, ...opts.extra(i) } : json;
  });
}

/**
 * An issue just created, rendered without reading anything back: it has no comments,
 * reactions, links or pins yet, its author is the viewer, and loadRepo already read the
 * viewer's standing (author_association). Must equal renderIssue of the same row; the
 * round-trips test compares the two.
 */
export function renderNewIssue(g: Gh, repo: Repo & { standing: ViewerStanding }, issue: IssueRow, labels: LabelRow[], assignees: UserRow[]): Record<string, unknown> {
  const viewer = g.viewer!;
  const members = new Set(repo.standing.role ? [viewer.id] : []);
  const contributors = new Set(repo.standing.contributor ? [viewer.id] : []);
  return render.issue(g.base, fullName(repo), issue, {
    user: viewer,
    labels,
    assignees: [...assignees].sort((a, b) => a.id - b.id),
    milestone: null,
    closedBy: null,
    association: association(repo, viewer.id, members, contributors),
    reactions: undefined,
    parentNumber: null,
    pinnedComment: null,
  });
}

export async function renderIssue(g: Gh, repo: Repo, issue: IssueRow): Promise<Record<string, unknown>> {
  return (await renderIssues(g, [issue], { repo }))[0]!;
}

export interface IssueLinks {
  sub: Map<number, { total: number; completed: number }>;
  deps: Map<number, { blocked_by: number; blocking: number; total_blocked_by: number; total_blocking: number }>;
  parent: Map<number, { repo_full: string; number: number }>;
}

