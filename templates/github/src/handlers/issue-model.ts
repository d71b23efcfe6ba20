import type { SQL } from 'bun';
import { str } from '../../../_kit/http.ts';
import { GitHubError, invalid } from '../errors.ts';
import { loadRepo, type Access, type ViewerStanding } from '../store.ts';
import type { Gh, IssueRow, LabelRow, Repo, UserRow } from '../types.ts';
import type { RepoPermissions } from '../render.ts';
import { choice, sinceOf } from './common.ts';

/** Issue plumbing shared by issues, labels, assignees, comments and search. */

export type IssueRepo = Repo & { perms: RepoPermissions; standing: ViewerStanding };

/** A repository whose issues are reachable: 410 when issues are disabled, 403 when archived and writing. */
export async function issuesRepo(g: Gh, access: Access = 'read'): Promise<IssueRepo> {
  const repo = await loadRepo(g, access === 'read' ? 'read' : access);
  if (!repo.has_issues) throw new GitHubError(410, 'Issues are disabled for this repo', { documentationUrl: 'https://docs.github.com/v3/issues/' });
  if (access !== 'read' && repo.archived) throw new GitHubError(403, 'Repository was archived so is read-only.');
  return repo;
}

export async function addEvent(sql: SQL, repoId: number, issueId: number, actorId: number | null, event: string, payload: Record<string, unknown> = {}): Promise<void> {
  await sql`insert into events (repo_id, issue_id, actor_id, event, payload) values (${repoId}, ${issueId}, ${actorId}, ${event}, ${JSON.stringify(payload)}::text::jsonb)`;
}

/** Users issues in `repo` can be assigned to: the owner (a user), the owning organisation's members and the collaborators. */
export async function assignable(g: Gh, repo: Repo): Promise<UserRow[]> {
  return g.ctx.db.q<UserRow>`
    select u.* from users u where (u.id = ${repo.owner_id} and u.type = 'User')
      or u.id in (select user_id from org_members where org_id = ${repo.owner_id})
      or u.id in (select user_id from repo_collaborators where repo_id = ${repo.id})
    order by lower(u.login)`;
}

/** Resolves assignee logins; unknown or unassignable ones are a 422 like GitHub's. */
export async function resolveAssignees(g: Gh, repo: Repo, logins: string[], strict = true): Promise<UserRow[]> {
  if (!logins.length) return [];
  const ok = await assignable(g, repo);
  const out: UserRow[] = [];
  for (const login of logins) {
    const u = ok.find((x) => x.login.toLowerCase() === login.toLowerCase());
    if (u) {
      if (!out.some((x) => x.id === u.id)) out.push(u);
    } else if (strict) {
      invalid('Issue', 'invalid', 'assignees', { value: login });
    }
  }
  return out.slice(0, 10);
}

/** Resolves label names, creating the missing ones (GitHub does, with a grey colour). */
export async function resolveLabels(sql: SQL, repoId: number, labelNames: string[]): Promise<LabelRow[]> {
  const out: LabelRow[] = [];
  for (const name of labelNames) {
    const trimmed = name.trim();
    if (!trimmed) continue;
    let rows = await sql<LabelRow[]>`select * from labels where repo_id = ${repoId} and lower(name) = lower(${trimmed})`;
    if (!rows.length) rows = await sql<LabelRow[]>`insert into labels (repo_id, name) values (${repoId}, ${trimmed}) returning *`;
    if (!out.some((l) => l.id === rows[0]!.id)) out.push(rows[0]!);
  }
  return out;
}

/** Replaces an issue's labels, writing labeled/unlabeled events for the difference. */
export async function setIssueLabels(sql: SQL, repoId: number, issueId: number, actorId: number, labels: LabelRow[]): Promise<void> {
  const current = await sql<LabelRow[]>`select l.* from issue_labels il join labels l on l.id = il.label_id where il.issue_id = ${issueId}`;
  for (const l of current) {
    if (labels.some((x) => x.id === l.id)) continue;
    await sql`delete from issue_labels where issue_id = ${issueId} and label_id = ${l.id}`;
    await addEvent(sql, repoId, issueId, actorId, 'unlabeled', { label: { name: l.name, color: l.color } });
  }
  for (const l of labels) {
    if (current.some((x) => x.id === l.id)) continue;
    await sql`insert into issue_labels (issue_id, label_id) values (${issueId}, ${l.id}) on conflict do nothing`;
    await addEvent(sql, repoId, issueId, actorId, 'labeled', { label: { name: l.name, color: l.color } });
  }
}

export async function setIssueAssignees(sql: SQL, repoId: number, issueId: number, actorId: number, users: UserRow[]): Promise<void> {
  const current = await sql<{ user_id: number }[]>`select user_id from issue_assignees where issue_id = ${issueId}`;
  for (const c of current) {
    if (users.some((u) => u.id === c.user_id)) continue;
    await sql`delete from issue_assignees where issue_id = ${issueId} and user_id = ${c.user_id}`;
    await addEvent(sql, repoId, issueId, actorId, 'unassigned', { assignee_id: c.user_id, assigner_id: actorId });
  }
  for (const u of users) {
    if (current.some((c) => c.user_id === u.id)) continue;
    await sql`insert into issue_assignees (issue_id, user_id) values (${issueId}, ${u.id}) on conflict do nothing`;
    await addEvent(sql, repoId, issueId, actorId, 'assigned', { assignee_id: u.id, assigner_id: actorId });
  }
}

export async function touchIssue(sql: SQL, issueId: number): Promise<void> {
  await sql`update issues set updated_at = now() where id = ${issueId}`;
}

/**
 * The filters of GET /repos/{o}/{r}/issues, /issues, /user/issues and /orgs/{org}/issues
 * as SQL conditions on `i` (issues), with positional parameters appended to `params`.
 */
export function issueFilters(g: Gh, params: unknown[], opts: { milestone?: boolean } = {}): string[] {
  const q = g.query;
  const conds: string[] = [];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const state = choice(q.state, ['open', 'closed', 'all'] as const, 'open');
  if (state !== 'all') conds.push(`i.state = ${p(state)}`);
  const labels = str(q.labels);
  if (labels) {
    for (const name of labels.split(',').map((s) => s.trim()).filter(Boolean)) {
      conds.push(`exists (select 1 from issue_labels il join labels l on l.id = il.label_id where il.issue_id = i.id and lower(l.name) = lower(${p(name)}))`);
    }
  }
  const assignee = str(q.assignee);
  if (assignee === '*') conds.push('exists (select 1 from issue_assignees a where a.issue_id = i.id)');
  else if (assignee === 'none') conds.push('not exists (select 1 from issue_assignees a where a.issue_id = i.id)');
  else if (assignee) conds.push(`exists (select 1 from issue_assignees a join users u on u.id = a.user_id where a.issue_id = i.id and lower(u.login) = lower(${p(assignee)}))`);
  const creator = str(q.creator);
  if (creator) conds.push(`i.user_id = (select id from users where lower(login) = lower(${p(creator)}))`);
  const mentioned = str(q.mentioned);
  if (mentioned) {
    const pat = p(`%@${mentioned.replace(/[%_\\]/g, '')}%`);
    conds.push(`(i.body ilike ${pat} or exists (select 1 from comments c where c.issue_id = i.id and c.body ilike ${pat}))`);
  }
  if (opts.milestone) {
    const ms = str(q.milestone);
    if (ms === '*') conds.push('i.milestone_id is not null');
    else if (ms === 'none') conds.push('i.milestone_id is null');
    else if (ms && /^\d+$/.test(ms)) conds.push(`i.milestone_id = (select id from milestones m where m.repo_id = i.repo_id and m.number = ${p(Number(ms))})`);
  }
  const since = sinceOf(q.since);
  if (since) conds.push(`i.updated_at >= ${p(since)}`);
  const type = str(q.type);
  if (type === 'pr' || type === 'pull_request') conds.push('i.is_pull_request');
  return conds;
}

export function issueOrder(g: Gh): string {
  const sort = choice(g.query.sort, ['created', 'updated', 'comments'] as const, 'created');
  const direction = choice(g.query.direction, ['asc', 'desc'] as const, 'desc');
  const col = sort === 'created' ? 'i.created_at' : sort === 'updated' ? 'i.updated_at' : 'i.comments';
  return `${col} ${direction}, i.id ${direction}`;
}

export interface NewIssue {
  title: string;
  body: string | null;
  authorId: number;
  /** Label names as given (trimmed, blanks dropped); missing ones are created grey, as GitHub does. */
  labels: string[];
  /** Assignees already checked by resolveAssignees. */
  assigneeIds: number[];
  milestone: { id: number; title: string } | null;
}

/**
 * Creates an issue in one statement (so one round trip, atomic without BEGIN/COMMIT): the
 * repository's next number, the row, missing labels, label and assignee links, and the
 * labeled / assigned / milestoned events in the order the old step-by-step code wrote them.
 * Returns the row and its labels ordered as renderIssues orders them.
 */
export async function insertIssue(g: Gh, repoId: number, x: NewIssue): Promise<{ row: IssueRow; labels: LabelRow[] }> {
  const rows = await g.ctx.db.q<IssueRow & { labels_json: LabelRow[] }>`
    with num as (
      update repos set next_number = next_number + 1 where id = ${repoId} returning next_number - 1 as number
    ), ins as (
      insert into issues (repo_id, number, title, body, user_id, milestone_id)
      select ${repoId}, num.number, ${x.title}, ${x.body}, ${x.authorId}, ${x.milestone?.id ?? null}::int from num returning *
    ), want as (
      select distinct on (lower(w.name)) w.name, w.ord from unnest(${x.labels}::text[]) with ordinality as w(name, ord) order by lower(w.name), w.ord
    ), found as (
      select l.*, w.ord from labels l join want w on lower(l.name) = lower(w.name) where l.repo_id = ${repoId}
    ), made as (
      insert into labels (repo_id, name)
      select ${repoId}, w.name from want w where not exists (select 1 from found f where lower(f.name) = lower(w.name)) order by w.ord
      returning *
    ), lab as (
      select id, repo_id, name, color, description, is_default, ord from found
      union all
      select m.id, m.repo_id, m.name, m.color, m.description, m.is_default, w.ord from made m join want w on lower(w.name) = lower(m.name)
    ), il as (
      insert into issue_labels (issue_id, label_id) select ins.id, lab.id from ins, lab
    ), asg as (
      insert into issue_assignees (issue_id, user_id) select ins.id, a.uid from ins, unnest(${x.assigneeIds}::int[]) as a(uid)
    ), ev as (
      insert into events (repo_id, issue_id, actor_id, event, payload)
      select ${repoId}, ins.id, ${x.authorId}, e.event, e.payload from ins, (
        select 1 as k, lab.ord, 'labeled' as event, jsonb_build_object('label', jsonb_build_object('name', lab.name, 'color', lab.color)) as payload from lab
        union all
        select 2, a.ord, 'assigned', jsonb_build_object('assignee_id', a.uid, 'assigner_id', ${x.authorId}::int) from unnest(${x.assigneeIds}::int[]) with ordinality as a(uid, ord)
        union all
        select 3, 0, 'milestoned', jsonb_build_object('milestone', jsonb_build_object('title', ${x.milestone?.title ?? null}::text)) where ${x.milestone?.id ?? null}::int is not null
      ) e order by e.k, e.ord
    )
    select ins.*, coalesce((select json_agg(json_build_object('id', id, 'repo_id', repo_id, 'name', name, 'color', color, 'description', description, 'is_default', is_default) order by lower(name)) from lab), '[]'::json) as labels_json
    from ins`;
  const { labels_json, ...row } = rows[0]!;
  return { row: row as IssueRow, labels: labels_json };
}
