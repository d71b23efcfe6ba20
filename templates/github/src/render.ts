import type { CommentRow, EventRow, IssueRow, LabelRow, MilestoneRow, ReactionRow, Repo, UserRow } from './types.ts';

/**
 * GitHub's JSON shapes, built from rows. API URLs are `${base}/repos/o/r/...`; html URLs
 * use `${base}/o/r/...` (the clone serves both from one origin, as the issue allows).
 */

/** The html origin of an API base: Enterprise Server's html lives beside /api/v3, not under it. */
export const htmlBase = (base: string): string => base.replace(/\/api\/v3$/, '');

export const iso = (d: Date | null | undefined): string | null => (d ? new Date(d).toISOString().replace(/\.\d{3}Z$/, 'Z') : null);

/** Legacy GitHub node ids: base64("04:User42"). */
export function nodeId(kind: string, id: number): string {
  return Buffer.from(`${String(kind.length).padStart(2, '0')}:${kind}${id}`).toString('base64').replace(/=+$/, '');
}

export function simpleUser(base: string, u: UserRow): Record<string, unknown> {
  const api = `${base}/users/${u.login}`;
  return {
    login: u.login,
    id: u.id,
    node_id: nodeId(u.type === 'Organization' ? 'Organization' : 'User', u.id),
    avatar_url: `${base}/avatars/u/${u.id}?v=4`,
    gravatar_id: '',
    url: api,
    html_url: `${htmlBase(base)}/${u.login}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type: u.type,
    user_view_type: 'public',
    site_admin: u.site_admin,
  };
}

export function publicUser(base: string, u: UserRow, counts: { publicRepos: number; followers?: number; following?: number }): Record<string, unknown> {
  return {
    ...simpleUser(base, u),
    name: u.name,
    company: u.company,
    blog: u.blog,
    location: u.location,
    email: u.email,
    hireable: u.hireable,
    bio: u.bio,
    twitter_username: u.twitter_username,
    public_repos: counts.publicRepos,
    public_gists: 0,
    followers: counts.followers ?? 0,
    following: counts.following ?? 0,
    created_at: iso(u.created_at),
    updated_at: iso(u.updated_at),
  };
}

export function privateUser(base: string, u: UserRow, counts: { publicRepos: number; privateRepos: number; ownedPrivate: number; followers?: number; following?: number }): Record<string, unknown> {
  return {
    ...publicUser(base, u, counts),
    notification_email: u.email,
    private_gists: 0,
    total_private_repos: counts.privateRepos,
    owned_private_repos: counts.ownedPrivate,
    disk_usage: 0,
    collaborators: 0,
    two_factor_authentication: false,
    plan: { name: 'free', space: 976562499, collaborators: 0, private_repos: 10000 },
  };
}

export function organizationSimple(base: string, o: UserRow): Record<string, unknown> {
  const api = `${base}/orgs/${o.login}`;
  return {
    login: o.login,
    id: o.id,
    node_id: nodeId('Organization', o.id),
    url: api,
    repos_url: `${api}/repos`,
    events_url: `${api}/events`,
    hooks_url: `${api}/hooks`,
    issues_url: `${api}/issues`,
    members_url: `${api}/members{/member}`,
    public_members_url: `${api}/public_members{/member}`,
    avatar_url: `${base}/avatars/u/${o.id}?v=4`,
    description: o.description,
  };
}

export interface RepoPermissions {
  admin: boolean;
  maintain: boolean;
  push: boolean;
  triage: boolean;
  pull: boolean;
}

export function repository(base: string, r: Repo, extra: { permissions?: RepoPermissions; openIssues: number; full?: boolean }): Record<string, unknown> {
  const full = `${r.owner.login}/${r.name}`;
  const api = `${base}/repos/${full}`;
  const s = r.settings;
  const flag = (k: string, d: boolean) => (typeof s[k] === 'boolean' ? (s[k] as boolean) : d);
  const out: Record<string, unknown> = {
    id: r.id,
    node_id: nodeId('Repository', r.id),
    name: r.name,
    full_name: full,
    private: r.private,
    owner: simpleUser(base, r.owner),
    html_url: `${htmlBase(base)}/${full}`,
    description: r.description,
    fork: false,
    url: api,
    forks_url: `${api}/forks`,
    keys_url: `${api}/keys{/key_id}`,
    collaborators_url: `${api}/collaborators{/collaborator}`,
    teams_url: `${api}/teams`,
    hooks_url: `${api}/hooks`,
    issue_events_url: `${api}/issues/events{/number}`,
    events_url: `${api}/events`,
    assignees_url: `${api}/assignees{/user}`,
    branches_url: `${api}/branches{/branch}`,
    tags_url: `${api}/tags`,
    blobs_url: `${api}/git/blobs{/sha}`,
    git_tags_url: `${api}/git/tags{/sha}`,
    git_refs_url: `${api}/git/refs{/sha}`,
    trees_url: `${api}/git/trees{/sha}`,
    statuses_url: `${api}/statuses/{sha}`,
    languages_url: `${api}/languages`,
    stargazers_url: `${api}/stargazers`,
    contributors_url: `${api}/contributors`,
    subscribers_url: `${api}/subscribers`,
    subscription_url: `${api}/subscription`,
    commits_url: `${api}/commits{/sha}`,
    git_commits_url: `${api}/git/commits{/sha}`,
    comments_url: `${api}/comments{/number}`,
    issue_comment_url: `${api}/issues/comments{/number}`,
    contents_url: `${api}/contents/{+path}`,
    compare_url: `${api}/compare/{base}...{head}`,
    merges_url: `${api}/merges`,
    archive_url: `${api}/{archive_format}{/ref}`,
    downloads_url: `${api}/downloads`,
    issues_url: `${api}/issues{/number}`,
    pulls_url: `${api}/pulls{/number}`,
    milestones_url: `${api}/milestones{/number}`,
    notifications_url: `${api}/notifications{?since,all,participating}`,
    labels_url: `${api}/labels{/name}`,
    releases_url: `${api}/releases{/id}`,
    deployments_url: `${api}/deployments`,
    created_at: iso(r.created_at),
    updated_at: iso(r.updated_at),
    pushed_at: iso(r.pushed_at ?? r.created_at),
    git_url: `${base.replace(/^https?/, 'git')}/${full}.git`,
    ssh_url: `git@${new URL(base).host}:${full}.git`,
    clone_url: `${base}/${full}.git`,
    svn_url: `${base}/${full}`,
    homepage: r.homepage,
    size: r.size,
    stargazers_count: r.stargazers_count,
    watchers_count: r.stargazers_count,
    language: r.languages && Object.keys(r.languages).length ? Object.entries(r.languages).sort((a, b) => b[1] - a[1])[0]![0] : null,
    has_issues: r.has_issues,
    has_projects: r.has_projects,
    has_downloads: r.has_downloads,
    has_wiki: r.has_wiki,
    has_pages: false,
    has_discussions: r.has_discussions,
    forks_count: r.forks_count,
    mirror_url: null,
    archived: r.archived,
    disabled: false,
    open_issues_count: extra.openIssues,
    license: r.license,
    allow_forking: true,
    is_template: r.is_template,
    web_commit_signoff_required: false,
    topics: r.topics,
    visibility: r.private ? 'private' : 'public',
    forks: r.forks_count,
    open_issues: extra.openIssues,
    watchers: r.stargazers_count,
    default_branch: r.default_branch,
  };
  if (extra.permissions) out.permissions = extra.permissions;
  if (extra.full) {
    Object.assign(out, {
      allow_squash_merge: flag('allow_squash_merge', true),
      allow_merge_commit: flag('allow_merge_commit', true),
      allow_rebase_merge: flag('allow_rebase_merge', true),
      allow_auto_merge: flag('allow_auto_merge', false),
      delete_branch_on_merge: flag('delete_branch_on_merge', false),
      allow_update_branch: flag('allow_update_branch', false),
      use_squash_pr_title_as_default: false,
      squash_merge_commit_title: 'COMMIT_OR_PR_TITLE',
      squash_merge_commit_message: 'COMMIT_MESSAGES',
      merge_commit_title: 'MERGE_MESSAGE',
      merge_commit_message: 'PR_TITLE',
      network_count: r.forks_count,
      subscribers_count: 1,
      ...(r.owner.type === 'Organization' ? { organization: simpleUser(base, r.owner) } : {}),
    });
  }
  return out;
}

export function label(base: string, repoFull: string, l: LabelRow): Record<string, unknown> {
  return {
    id: l.id,
    node_id: nodeId('Label', l.id),
    url: `${base}/repos/${repoFull}/labels/${encodeURIComponent(l.name)}`,
    name: l.name,
    color: l.color,
    default: l.is_default,
    description: l.description,
  };
}

export function milestone(base: string, repoFull: string, m: MilestoneRow, creator: UserRow | null): Record<string, unknown> {
  const api = `${base}/repos/${repoFull}/milestones/${m.number}`;
  return {
    url: api,
    html_url: `${htmlBase(base)}/${repoFull}/milestone/${m.number}`,
    labels_url: `${api}/labels`,
    id: m.id,
    node_id: nodeId('Milestone', m.id),
    number: m.number,
    state: m.state,
    title: m.title,
    description: m.description,
    creator: creator ? simpleUser(base, creator) : null,
    open_issues: Number(m.open_issues),
    closed_issues: Number(m.closed_issues),
    created_at: iso(m.created_at),
    updated_at: iso(m.updated_at),
    closed_at: iso(m.closed_at),
    due_on: iso(m.due_on),
  };
}

export function reactionRollup(url: string, counts: Record<string, number> | undefined): Record<string, unknown> {
  const c = counts ?? {};
  const keys = ['+1', '-1', 'laugh', 'hooray', 'confused', 'heart', 'rocket', 'eyes'];
  const total = keys.reduce((n, k) => n + (c[k] ?? 0), 0);
  return { url, total_count: total, ...Object.fromEntries(keys.map((k) => [k, c[k] ?? 0])) };
}

export interface IssueParts {
  user: UserRow;
  labels: LabelRow[];
  assignees: UserRow[];
  milestone: { row: MilestoneRow; creator: UserRow | null } | null;
  closedBy: UserRow | null;
  association: string;
  reactions: Record<string, number> | undefined;
  repository?: Record<string, unknown>;
  subIssues?: { total: number; completed: number };
  dependencies?: { blocked_by: number; blocking: number; total_blocked_by: number; total_blocking: number };
  parentNumber?: { repoFull: string; number: number } | null;
  pinnedComment?: Record<string, unknown> | null;
}

export function subIssuesSummary(s: { total: number; completed: number } | undefined): Record<string, number> {
  const total = s?.total ?? 0;
  const completed = s?.completed ?? 0;
  return { total, completed, percent_completed: total ? Math.floor((completed * 100) / total) : 0 };
}

export function issue(base: string, repoFull: string, i: IssueRow, p: IssueParts): Record<string, unknown> {
  const api = `${base}/repos/${repoFull}/issues/${i.number}`;
  const out: Record<string, unknown> = {
    url: api,
    repository_url: `${base}/repos/${repoFull}`,
    labels_url: `${api}/labels{/name}`,
    comments_url: `${api}/comments`,
    events_url: `${api}/events`,
    html_url: `${htmlBase(base)}/${repoFull}/${i.is_pull_request ? 'pull' : 'issues'}/${i.number}`,
    id: i.id,
    node_id: nodeId('Issue', i.id),
    number: i.number,
    title: i.title,
    user: simpleUser(base, p.user),
    labels: p.labels.map((l) => label(base, repoFull, l)),
    state: i.state,
    locked: i.locked,
    assignee: p.assignees[0] ? simpleUser(base, p.assignees[0]) : null,
    assignees: p.assignees.map((a) => simpleUser(base, a)),
    milestone: p.milestone ? milestone(base, repoFull, p.milestone.row, p.milestone.creator) : null,
    comments: i.comments,
    created_at: iso(i.created_at),
    updated_at: iso(i.updated_at),
    closed_at: iso(i.closed_at),
    author_association: p.association,
    active_lock_reason: i.active_lock_reason,
    sub_issues_summary: subIssuesSummary(p.subIssues),
    issue_dependencies_summary: p.dependencies ?? { blocked_by: 0, blocking: 0, total_blocked_by: 0, total_blocking: 0 },
    parent_issue_url: p.parentNumber ? `${base}/repos/${p.parentNumber.repoFull}/issues/${p.parentNumber.number}` : null,
    pinned_comment: p.pinnedComment ?? null,
    body: i.body,
    closed_by: p.closedBy ? simpleUser(base, p.closedBy) : null,
    reactions: reactionRollup(`${api}/reactions`, p.reactions),
    timeline_url: `${api}/timeline`,
    performed_via_github_app: null,
    state_reason: i.state_reason,
  };
  if (i.is_pull_request) {
    const pull = `${base}/repos/${repoFull}/pulls/${i.number}`;
    out.pull_request = { url: pull, html_url: `${htmlBase(base)}/${repoFull}/pull/${i.number}`, diff_url: `${htmlBase(base)}/${repoFull}/pull/${i.number}.diff`, patch_url: `${htmlBase(base)}/${repoFull}/pull/${i.number}.patch`, merged_at: null };
    out.draft = false;
  }
  if (p.repository) out.repository = p.repository;
  return out;
}

export function comment(base: string, repoFull: string, c: CommentRow, user: UserRow, association: string, reactions: Record<string, number> | undefined, pinnedBy?: UserRow | null): Record<string, unknown> {
  const api = `${base}/repos/${repoFull}/issues/comments/${c.id}`;
  return {
    url: api,
    html_url: `${htmlBase(base)}/${repoFull}/issues/${c.issue_number}#issuecomment-${c.id}`,
    issue_url: `${base}/repos/${repoFull}/issues/${c.issue_number}`,
    id: c.id,
    node_id: nodeId('IssueComment', c.id),
    user: simpleUser(base, user),
    created_at: iso(c.created_at),
    updated_at: iso(c.updated_at),
    author_association: association,
    body: c.body,
    reactions: reactionRollup(`${api}/reactions`, reactions),
    performed_via_github_app: null,
    pin: c.pinned_at ? { pinned_at: iso(c.pinned_at), pinned_by: pinnedBy ? simpleUser(base, pinnedBy) : null } : null,
  };
}

export function reaction(base: string, r: ReactionRow, user: UserRow): Record<string, unknown> {
  return { id: r.id, node_id: nodeId('Reaction', r.id), user: simpleUser(base, user), content: r.content, created_at: iso(r.created_at) };
}

/** Payload keys of sub-issue and dependency events: each holds the id of the issue referred to. */
export const REF_KEYS = ['sub_issue', 'parent_issue', 'blocked_by', 'blocking'] as const;

export function event(base: string, repoFull: string, e: EventRow, users: Map<number, UserRow>, issueJson?: Record<string, unknown>, refs?: Map<number, Record<string, unknown>>): Record<string, unknown> {
  const actor = e.actor_id !== null ? users.get(e.actor_id) : undefined;
  const p = e.payload;
  const out: Record<string, unknown> = {
    id: e.id,
    node_id: nodeId('Event', e.id),
    url: `${base}/repos/${repoFull}/issues/events/${e.id}`,
    actor: actor ? simpleUser(base, actor) : null,
    event: e.event,
    commit_id: null,
    commit_url: null,
    created_at: iso(e.created_at),
    performed_via_github_app: null,
  };
  if (p.label) out.label = p.label;
  if (typeof p.assignee_id === 'number') {
    const a = users.get(p.assignee_id);
    const by = typeof p.assigner_id === 'number' ? users.get(p.assigner_id) : undefined;
    if (a) out.assignee = simpleUser(base, a);
    if (by) out.assigner = simpleUser(base, by);
  }
  if (p.milestone) out.milestone = p.milestone;
  if (p.rename) out.rename = p.rename;
  if (p.lock_reason !== undefined) out.lock_reason = p.lock_reason;
  if (p.state_reason !== undefined) out.state_reason = p.state_reason;
  for (const k of REF_KEYS) if (typeof p[k] === 'number') out[k] = refs?.get(p[k] as number) ?? null;
  if (issueJson) out.issue = issueJson;
  return out;
}
