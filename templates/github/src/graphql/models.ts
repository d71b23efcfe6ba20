import { GraphQLError } from 'graphql';
import { GitHubError } from '../errors.ts';
import { issueFilters, issueOrder } from '../handlers/issue-model.ts';
import { htmlBase, iso, nodeId } from '../render.ts';
import { loadRepo, permissionsOn, reactionCounts, reviveUser } from '../store.ts';
import type { CommentRow, Gh, IssueRow, LabelRow, Repo, UserRow } from '../types.ts';

/**
 * GraphQL objects over the REST clone's rows: plain objects whose fields are values or
 * functions (graphql-js's default resolver calls them with the field's arguments), so each
 * nested field costs a query only when asked for. Node ids are the REST `node_id`s
 * (render.nodeId: base64 of "<len>:<Type><database id>"), so an id read over REST works here.
 */
type M = Record<string, unknown>;

export function decodeId(id: string, type: string): number | null {
  const text = Buffer.from(String(id), 'base64').toString('utf8');
  const m = /^(\d\d):([A-Za-z]+)(\d+)$/.exec(text);
  return m && m[2] === type && Number(m[1]) === type.length ? Number(m[3]) : null;
}

export const notResolved = (message: string, path?: readonly (string | number)[]): never => {
  throw new GraphQLError(message, { path, extensions: { type: 'NOT_FOUND' } });
};

const cursorOf = (n: number) => Buffer.from(`cursor:v2:${n}`).toString('base64');
function offsetOf(after: unknown): number {
  if (after === undefined || after === null) return 0;
  const m = /^cursor:v2:(\d+)$/.exec(Buffer.from(String(after), 'base64').toString('utf8'));
  if (!m) throw new GraphQLError(`\`${after}\` does not appear to be a valid cursor.`, { extensions: { type: 'INVALID_CURSOR_ARGUMENTS' } });
  return Number(m[1]);
}

/** GitHub requires first or last on connections and caps them at 100. */
function pageArgs(args: M, field: string): { limit: number; offset: number } {
  const first = args.first as number | undefined;
  const last = args.last as number | undefined;
  const n = first ?? last;
  if (n === undefined || n === null) throw new GraphQLError(`You must provide a \`first\` or \`last\` value to properly paginate the \`${field}\` connection.`, { extensions: { type: 'MISSING_PAGINATION_BOUNDARIES' } });
  if (n < 0 || n > 100) throw new GraphQLError(`Requesting ${n} records on the \`${field}\` connection exceeds the \`${first !== undefined ? 'first' : 'last'}\` limit of 100 records.`, { extensions: { type: 'EXCESSIVE_PAGINATION' } });
  return { limit: n, offset: offsetOf(args.after) };
}

function connection<T>(items: T[], total: number, offset: number, more: boolean): M {
  return {
    nodes: items,
    edges: items.map((node, i) => ({ cursor: cursorOf(offset + i + 1), node })),
    totalCount: total,
    pageInfo: { hasNextPage: more, hasPreviousPage: offset > 0, startCursor: items.length ? cursorOf(offset + 1) : null, endCursor: items.length ? cursorOf(offset + items.length) : null },
  };
}

/** An all-in-memory list paged by first/after (labels, assignees, comments). */
function listConnection<T>(all: T[], args: M, field: string): M {
  const { limit, offset } = pageArgs(args, field);
  if (args.last !== undefined && args.first === undefined) {
    const start = Math.max(0, all.length - limit);
    return connection(all.slice(start), all.length, start, false);
  }
  return connection(all.slice(offset, offset + limit), all.length, offset, offset + limit < all.length);
}

const html = (g: Gh) => htmlBase(g.base);

export function userModel(g: Gh, u: UserRow): M {
  const type = u.type === 'Organization' ? 'Organization' : u.type === 'Bot' ? 'Bot' : 'User';
  return {
    __typename: type,
    id: nodeId(type, u.id),
    databaseId: u.id,
    login: u.login,
    name: u.name,
    email: u.email ?? '',
    bio: u.bio,
    company: u.company,
    location: u.location,
    description: u.description,
    avatarUrl: `${html(g)}/avatars/u/${u.id}?v=4`,
    url: `${html(g)}/${u.login}`,
    resourcePath: `/${u.login}`,
    createdAt: iso(u.created_at),
    isSiteAdmin: u.site_admin,
  };
}

async function userById(g: Gh, id: number | null): Promise<M | null> {
  if (id === null) return null;
  const [u] = await g.ctx.db.q<UserRow>`select * from users where id = ${id}`;
  return u ? userModel(g, u) : null;
}

function labelModel(g: Gh, repo: Repo, l: LabelRow): M {
  return {
    __typename: 'Label', id: nodeId('Label', l.id), name: l.name, color: l.color, description: l.description, isDefault: l.is_default,
    url: `${html(g)}/${repo.owner.login}/${repo.name}/labels/${encodeURIComponent(l.name)}`,
  };
}

const REACTIONS: Record<string, string> = { '+1': 'THUMBS_UP', '-1': 'THUMBS_DOWN', laugh: 'LAUGH', hooray: 'HOORAY', confused: 'CONFUSED', heart: 'HEART', rocket: 'ROCKET', eyes: 'EYES' };

function reactionGroups(counts: Record<string, number> | undefined): M[] {
  return Object.entries(REACTIONS).map(([rest, content]) => ({ content, users: { totalCount: counts?.[rest] ?? 0 }, viewerHasReacted: false }));
}

const PERMISSION = (p: { admin: boolean; maintain: boolean; push: boolean; triage: boolean; pull: boolean }) =>
  p.admin ? 'ADMIN' : p.maintain ? 'MAINTAIN' : p.push ? 'WRITE' : p.triage ? 'TRIAGE' : p.pull ? 'READ' : null;

export async function repoByName(g: Gh, owner: string, name: string, path: readonly (string | number)[]): Promise<M | null> {
  try {
    return repoModel(g, await loadRepo(g, 'read', owner, name));
  } catch (e) {
    if (e instanceof GitHubError && e.status === 404) return notResolved(`Could not resolve to a Repository with the name '${owner}/${name}'.`, path);
    throw e;
  }
}

export async function repoById(g: Gh, id: number): Promise<Repo & { perms: Awaited<ReturnType<typeof permissionsOn>> } | null> {
  const rows = await g.ctx.db.q<{ login: string; name: string }>`select u.login, r.name from repos r join users u on u.id = r.owner_id where r.id = ${id}`;
  if (!rows[0]) return null;
  try {
    return await loadRepo(g, 'read', rows[0].login, rows[0].name);
  } catch (e) {
    if (e instanceof GitHubError && e.status === 404) return null;
    throw e;
  }
}

export function repoModel(g: Gh, r: Repo & { perms: Awaited<ReturnType<typeof permissionsOn>> }): M {
  const full = `${r.owner.login}/${r.name}`;
  const s = r.settings ?? {};
  const flag = (k: string, d: boolean) => (typeof s[k] === 'boolean' ? (s[k] as boolean) : d);
  return {
    __typename: 'Repository',
    id: nodeId('Repository', r.id),
    databaseId: r.id,
    name: r.name,
    nameWithOwner: full,
    owner: userModel(g, r.owner),
    description: r.description,
    url: `${html(g)}/${full}`,
    resourcePath: `/${full}`,
    homepageUrl: r.homepage,
    sshUrl: `git@${new URL(html(g)).host}:${full}.git`,
    hasIssuesEnabled: r.has_issues,
    hasWikiEnabled: r.has_wiki,
    hasProjectsEnabled: r.has_projects,
    hasDiscussionsEnabled: r.has_discussions,
    isPrivate: r.private,
    isArchived: r.archived,
    isFork: false,
    isTemplate: r.is_template,
    isEmpty: r.pushed_at === null,
    isMirror: false,
    isInOrganization: r.owner.type === 'Organization',
    visibility: r.private ? 'PRIVATE' : 'PUBLIC',
    viewerPermission: PERMISSION(r.perms),
    viewerCanAdminister: r.perms.admin,
    defaultBranchRef: { id: nodeId('Ref', r.id), name: r.default_branch, prefix: 'refs/heads/' },
    parent: null,
    stargazerCount: r.stargazers_count,
    forkCount: r.forks_count,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
    pushedAt: iso(r.pushed_at),
    mergeCommitAllowed: flag('allow_merge_commit', true),
    rebaseMergeAllowed: flag('allow_rebase_merge', true),
    squashMergeAllowed: flag('allow_squash_merge', true),
    deleteBranchOnMerge: flag('delete_branch_on_merge', false),
    issue: async ({ number }: { number: number }, _c: unknown, info: { path: unknown }) => {
      const [row] = await g.ctx.db.q<IssueRow>`select * from issues where repo_id = ${r.id} and number = ${number} and not is_pull_request`;
      return row ? issueModel(g, r, row) : notResolved(`Could not resolve to an Issue with the number of ${number}.`, pathOf(info));
    },
    issueOrPullRequest: async ({ number }: { number: number }, _c: unknown, info: { path: unknown }) => {
      const [row] = await g.ctx.db.q<IssueRow>`select * from issues where repo_id = ${r.id} and number = ${number}`;
      if (!row) return notResolved(`Could not resolve to an issue or pull request with the number of ${number}.`, pathOf(info));
      return { ...issueModel(g, r, row), __typename: row.is_pull_request ? 'PullRequest' : 'Issue' };
    },
    issues: (args: M) => issueConnection(g, r, args),
    labels: async (args: M) => {
      const rows = await g.ctx.db.q<LabelRow>`select * from labels where repo_id = ${r.id} order by lower(name)`;
      const q = typeof args.query === 'string' ? args.query.toLowerCase() : '';
      return listConnection(rows.filter((l) => l.name.toLowerCase().includes(q)).map((l) => labelModel(g, r, l)), args, 'labels');
    },
    assignableUsers: async (args: M) => {
      const rows = await g.ctx.db.q<UserRow>`
        select u.* from users u where (u.id = ${r.owner_id} and u.type = 'User') or u.id in (select user_id from org_members where org_id = ${r.owner_id}) order by lower(u.login)`;
      return listConnection(rows.map((u) => userModel(g, u)), args, 'assignableUsers');
    },
    milestones: () => connection([], 0, 0, false),
  };
}

function pathOf(info: unknown): (string | number)[] {
  const out: (string | number)[] = [];
  for (let p = (info as { path?: { key: string | number; prev?: unknown } }).path; p; p = p.prev as typeof p) out.unshift(p.key);
  return out;
}

/** Repository.issues: the REST list's filters (issue-model.issueFilters) fed from GraphQL arguments. */
async function issueConnection(g: Gh, r: Repo, args: M): Promise<M> {
  const { limit, offset } = pageArgs(args, 'issues');
  const f = (args.filterBy ?? {}) as M;
  const states = ((args.states ?? f.states) as string[] | undefined) ?? [];
  const state = states.length === 1 ? states[0]!.toLowerCase() : 'all';
  const labels = [...((args.labels as string[] | undefined) ?? []), ...((f.labels as string[] | undefined) ?? [])];
  const order = (args.orderBy ?? { field: 'CREATED_AT', direction: 'ASC' }) as { field: string; direction: string };
  const query: M = {
    state, labels: labels.join(','), assignee: f.assignee ?? undefined, creator: f.createdBy ?? undefined, mentioned: f.mentioned ?? undefined,
    since: f.since ?? undefined, sort: order.field === 'UPDATED_AT' ? 'updated' : order.field === 'COMMENTS' ? 'comments' : 'created', direction: order.direction.toLowerCase(),
  };
  const q: Gh = { ...g, query };
  const params: unknown[] = [r.id];
  const where = ['i.repo_id = $1', 'not i.is_pull_request', ...issueFilters(q, params)].join(' and ');
  const [count] = await g.ctx.db.unsafe<{ n: number }>(`select count(*)::int as n from issues i where ${where}`, params);
  const rows = await g.ctx.db.unsafe<IssueRow>(`select i.* from issues i where ${where} order by ${issueOrder(q)} limit ${limit} offset ${offset}`, params);
  const total = count?.n ?? 0;
  return connection(rows.map((row) => issueModel(g, r, row)), total, offset, offset + rows.length < total);
}

export function issueModel(g: Gh, r: Repo & { perms?: { triage: boolean } }, i: IssueRow): M {
  const full = `${r.owner.login}/${r.name}`;
  const reactions = async () => reactionGroups((await reactionCounts(g, 'issue_id', [i.id])).get(i.id));
  return {
    __typename: 'Issue',
    id: nodeId('Issue', i.id),
    databaseId: i.id,
    number: i.number,
    title: i.title,
    body: i.body ?? '',
    bodyText: i.body ?? '',
    url: `${html(g)}/${full}/issues/${i.number}`,
    resourcePath: `/${full}/issues/${i.number}`,
    state: i.state.toUpperCase(),
    stateReason: i.state_reason ? i.state_reason.toUpperCase() : null,
    closed: i.state === 'closed',
    closedAt: iso(i.closed_at),
    locked: i.locked,
    createdAt: iso(i.created_at),
    updatedAt: iso(i.updated_at),
    author: () => userById(g, i.user_id),
    authorAssociation: i.user_id === r.owner_id ? 'OWNER' : 'NONE',
    repository: () => repoModel(g, r as Repo & { perms: Awaited<ReturnType<typeof permissionsOn>> }),
    milestone: async () => {
      if (i.milestone_id === null) return null;
      const [m] = await g.ctx.db.q<{ id: number; number: number; title: string; description: string | null; state: string; due_on: Date | null }>`select * from milestones where id = ${i.milestone_id}`;
      return m ? { id: nodeId('Milestone', m.id), number: m.number, title: m.title, description: m.description, state: m.state.toUpperCase(), dueOn: iso(m.due_on), url: `${html(g)}/${full}/milestone/${m.number}` } : null;
    },
    assignees: async (args: M) => {
      const rows = await g.ctx.db.q<UserRow>`select u.* from issue_assignees a join users u on u.id = a.user_id where a.issue_id = ${i.id} order by a.user_id`;
      return listConnection(rows.map((u) => userModel(g, u)), args, 'assignees');
    },
    labels: async (args: M) => {
      const rows = await g.ctx.db.q<LabelRow>`select l.* from issue_labels il join labels l on l.id = il.label_id where il.issue_id = ${i.id} order by lower(l.name)`;
      return listConnection(rows.map((l) => labelModel(g, r, l)), args, 'labels');
    },
    comments: async (args: M) => {
      const rows = await g.ctx.db.q<CommentRow>`select * from comments where issue_id = ${i.id} order by created_at, id`;
      const counts = await reactionCounts(g, 'comment_id', rows.map((c) => c.id));
      return listConnection(rows.map((c) => ({
        __typename: 'IssueComment', id: nodeId('IssueComment', c.id), databaseId: c.id, body: c.body,
        url: `${html(g)}/${full}/issues/${i.number}#issuecomment-${c.id}`, author: () => userById(g, c.user_id),
        authorAssociation: c.user_id === r.owner_id ? 'OWNER' : 'NONE', createdAt: iso(c.created_at), updatedAt: iso(c.updated_at),
        includesCreatedEdit: false, isMinimized: false, minimizedReason: null, reactionGroups: reactionGroups(counts.get(c.id)), viewerDidAuthor: c.user_id === g.viewer?.id,
      })), args, 'comments');
    },
    reactionGroups: reactions,
    projectCards: () => connection([], 0, 0, false),
    projectItems: () => connection([], 0, 0, false),
    viewerCanUpdate: Boolean(r.perms?.triage) || i.user_id === g.viewer?.id,
  };
}

export { reviveUser };
