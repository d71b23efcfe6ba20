import { guardInteraction } from './guards.ts';
import { str } from '../../../_kit/http.ts';
import { GitHubError, checkBodyLength, forbidden, invalid, notFound } from '../errors.ts';
import { listReply, pageOf } from '../paging.ts';
import { issueByNumber, milestoneRows, renderIssue, renderIssues, renderNewIssue, seesPrivate, userByLogin, viewerOrgIds } from '../store.ts';
import type { Gh, IssueRow, LabelRow, MilestoneRow, Reply, UserRow } from '../types.ts';
import { choice, me, names, noContent, ok } from './common.ts';
import {
  addEvent, insertIssue, issueFilters, issueOrder, issuesRepo, resolveAssignees, resolveLabels, setIssueAssignees, setIssueLabels, type IssueRepo,
} from './issue-model.ts';

/**
 * A page of issues and their count. `check`, when given, is the repository check run beside
 * the page's statements: its answer (a 404, a 410) wins over theirs, and the page is used only
 * once it passed.
 */
async function pagedIssues(g: Gh, where: string[], params: unknown[], opts: { withRepository?: boolean; check?: Promise<IssueRepo> }): Promise<Reply> {
  const p = pageOf(g);
  const clause = where.length ? where.join(' and ') : 'true';
  const [repo, count, rows] = await Promise.allSettled([
    opts.check ?? Promise.resolve(undefined),
    g.ctx.db.unsafe<{ n: number }>(`select count(*)::int as n from issues i where ${clause}`, params),
    g.ctx.db.unsafe<IssueRow>(`select i.* from issues i where ${clause} order by ${issueOrder(g)} limit ${p.perPage} offset ${p.offset}`, params),
  ]);
  if (repo.status === 'rejected') throw repo.reason;
  if (count.status === 'rejected') throw count.reason;
  if (rows.status === 'rejected') throw rows.reason;
  return listReply(g, p, await renderIssues(g, rows.value, { withRepository: opts.withRepository, repo: repo.value }), count.value[0]?.n ?? 0);
}

/**
 * The repository check (loadRepo: existence, visibility, issues enabled) and the page run side
 * by side, one wave of round trips instead of two: the page finds the repository by owner and
 * name itself (the same unique indexes loadRepo reads), and is thrown away unless the check
 * passes, so a hidden repository's issues never leave the server.
 */
export async function listForRepo(g: Gh): Promise<Reply> {
  const params: unknown[] = [g.params.owner ?? '', g.params.repo ?? ''];
  const repoId = '(select r.id from repos r join users u on u.id = r.owner_id where lower(u.login) = lower($1) and lower(r.name) = lower($2))';
  return pagedIssues(g, [`i.repo_id = ${repoId}`, ...issueFilters(g, params, { milestone: true })], params, { check: issuesRepo(g) });
}

/** /issues, /user/issues and /orgs/{org}/issues: the viewer's issues across repositories. */
async function listAcross(g: Gh, scope: 'all' | 'owned' | 'org', orgId?: number): Promise<Reply> {
  const viewer = me(g);
  const orgs = await viewerOrgIds(g);
  const params: unknown[] = [viewer.id, orgs];
  const repoScope =
    scope === 'org'
      ? `r.owner_id = ${Number(orgId)} and (not r.private or r.owner_id = any($2::int[]))`
      : scope === 'owned'
        ? '(r.owner_id = $1 or r.owner_id = any($2::int[]))'
        : '(r.owner_id = $1 or r.owner_id = any($2::int[]) or not r.private)';
  const filter = choice(g.query.filter, ['assigned', 'created', 'mentioned', 'subscribed', 'repos', 'all'] as const, 'assigned');
  const who =
    filter === 'assigned'
      ? 'exists (select 1 from issue_assignees a where a.issue_id = i.id and a.user_id = $1)'
      : filter === 'created'
        ? 'i.user_id = $1'
        : filter === 'mentioned'
          ? `i.body ilike '%@' || (select login from users where id = $1) || '%'`
          : filter === 'subscribed'
            ? '(i.user_id = $1 or exists (select 1 from issue_assignees a where a.issue_id = i.id and a.user_id = $1) or exists (select 1 from comments c where c.issue_id = i.id and c.user_id = $1))'
            : 'i.repo_id in (select r.id from repos r where r.owner_id = $1 or r.owner_id = any($2::int[]))';
  const where = [`i.repo_id in (select r.id from repos r where ${repoScope} and r.has_issues${seesPrivate(g) ? '' : ' and not r.private'})`, who, ...issueFilters(g, params)];
  return pagedIssues(g, where, params, { withRepository: true });
}

export const list = (g: Gh) => listAcross(g, 'all');
export const listForAuthenticatedUser = (g: Gh) => listAcross(g, 'owned');
export async function listForOrg(g: Gh): Promise<Reply> {
  const org = await userByLogin(g, g.params.org ?? '');
  if (!org || org.type !== 'Organization') return notFound();
  return listAcross(g, 'org', org.id);
}

async function milestoneOf(g: Gh, repo: IssueRepo, v: unknown): Promise<MilestoneRow | null | undefined> {
  if (v === undefined) return undefined;
  if (v === null || v === '' || v === 'none') return null;
  const n = Number(v);
  const rows = Number.isInteger(n) ? await milestoneRows(g, { repoId: repo.id, number: n }) : [];
  if (!rows[0]) return invalid('Issue', 'invalid', 'milestone', { value: v });
  return rows[0];
}

async function milestoneIdOf(g: Gh, repo: IssueRepo, v: unknown): Promise<number | null | undefined> {
  const m = await milestoneOf(g, repo, v);
  return m ? m.id : m;
}

/**
 * The hot path: the repository (with the viewer's standing) in one round trip, the issue
 * and everything it links in a second (insertIssue), rendered from what those returned.
 * Assignees and a milestone cost one lookup each, only when given.
 */
export async function create(g: Gh): Promise<Reply> {
  const viewer = me(g);
  const repo = await issuesRepo(g);
  if (repo.archived) forbidden('Repository was archived so is read-only.');
  await guardInteraction(g, repo, 'open an issue');
  const title = g.body.title;
  if (title === undefined || title === null || (typeof title === 'string' && !title.trim())) invalid('Issue', 'missing_field', 'title');
  if (typeof title !== 'string' && typeof title !== 'number') return invalid('Issue', 'invalid', 'title');
  const body = typeof g.body.body === 'string' ? g.body.body : null;
  checkBodyLength('Issue', body);
  // Without push access, GitHub silently drops labels, assignees and milestone.
  const canTriage = repo.perms.triage;
  const assigneeLogins = [...(names(g.body.assignees, 'login') ?? []), ...(str(g.body.assignee) ? [str(g.body.assignee)!] : [])];
  const [assignees, milestone] = canTriage
    ? await Promise.all([resolveAssignees(g, repo, assigneeLogins), milestoneOf(g, repo, g.body.milestone)])
    : [[] as UserRow[], undefined];
  const labelNames = canTriage ? (names(g.body.labels) ?? []).map((n) => n.trim()).filter(Boolean) : [];
  const { row, labels } = await insertIssue(g, repo.id, {
    title: String(title),
    body,
    authorId: viewer.id,
    labels: labelNames,
    assigneeIds: assignees.map((a) => a.id),
    milestone: milestone ? { id: milestone.id, title: milestone.title } : null,
  });
  // A milestone's creator may be anyone: render that rarer case the general way.
  if (milestone) return { status: 201, body: await renderIssue(g, repo, row) };
  return { status: 201, body: renderNewIssue(g, repo, row, labels, assignees) };
}

export async function get(g: Gh): Promise<Reply> {
  const repo = await issuesRepo(g);
  const issue = await issueByNumber(g, repo);
  return ok(await renderIssue(g, repo, issue));
}

const STATE_REASONS = ['completed', 'not_planned', 'reopened', 'duplicate'];

export async function update(g: Gh): Promise<Reply> {
  const viewer = me(g);
  const repo = await issuesRepo(g);
  const issue = await issueByNumber(g, repo);
  const b = g.body;
  const isAuthor = issue.user_id === viewer.id;
  if (!repo.perms.triage && !isAuthor) return forbidden('Must have push access to update this issue.');
  if (repo.archived) forbidden('Repository was archived so is read-only.');
  const canTriage = repo.perms.triage;

  if (b.title !== undefined && (b.title === null || String(b.title).trim() === '')) invalid('Issue', 'missing_field', 'title');
  checkBodyLength('Issue', b.body);
  const state = b.state === undefined ? undefined : str(b.state);
  if (state !== undefined && state !== 'open' && state !== 'closed') invalid('Issue', 'invalid', 'state', { value: b.state });
  const reason = b.state_reason === undefined || b.state_reason === null ? undefined : str(b.state_reason);
  if (reason !== undefined && !STATE_REASONS.includes(reason)) invalid('Issue', 'invalid', 'state_reason', { value: b.state_reason });

  let assignees: UserRow[] | undefined;
  if (canTriage && (b.assignees !== undefined || b.assignee !== undefined)) {
    const logins = b.assignees !== undefined ? (names(b.assignees, 'login') ?? []) : b.assignee ? [str(b.assignee)!] : [];
    assignees = await resolveAssignees(g, repo, logins);
  }
  const milestoneId = canTriage ? await milestoneIdOf(g, repo, b.milestone) : undefined;
  const labelNames = canTriage && b.labels !== undefined ? (names(b.labels) ?? []) : undefined;

  const updated = await g.ctx.db.tx(async (tx) => {
    let row = issue;
    if (b.title !== undefined && String(b.title) !== issue.title) {
      [row] = await tx<IssueRow[]>`update issues set title = ${String(b.title)} where id = ${issue.id} returning *` as unknown as [IssueRow];
      await addEvent(tx, repo.id, issue.id, viewer.id, 'renamed', { rename: { from: issue.title, to: String(b.title) } });
    }
    if (b.body !== undefined) await tx`update issues set body = ${b.body === null ? null : String(b.body)} where id = ${issue.id}`;
    if (state === 'closed' && issue.state === 'open') {
      const why = reason && reason !== 'reopened' ? reason : 'completed';
      await tx`update issues set state = 'closed', state_reason = ${why}, closed_at = now(), closed_by_id = ${viewer.id} where id = ${issue.id}`;
      await addEvent(tx, repo.id, issue.id, viewer.id, 'closed', { state_reason: why });
    } else if (state === 'open' && issue.state === 'closed') {
      await tx`update issues set state = 'open', state_reason = 'reopened', closed_at = null, closed_by_id = null where id = ${issue.id}`;
      await addEvent(tx, repo.id, issue.id, viewer.id, 'reopened', { state_reason: 'reopened' });
    } else if (reason !== undefined && issue.state === 'closed' && reason !== 'reopened') {
      await tx`update issues set state_reason = ${reason} where id = ${issue.id}`;
    }
    if (labelNames !== undefined) await setIssueLabels(tx, repo.id, issue.id, viewer.id, await resolveLabels(tx, repo.id, labelNames));
    if (assignees !== undefined) await setIssueAssignees(tx, repo.id, issue.id, viewer.id, assignees);
    if (milestoneId !== undefined && milestoneId !== issue.milestone_id) {
      const ids = [issue.milestone_id, milestoneId].filter((x): x is number => x !== null);
      const titles = new Map((await tx<{ id: number; title: string }[]>`select id, title from milestones where id = any(${ids}::int[])`).map((m) => [m.id, m.title]));
      if (issue.milestone_id !== null) await addEvent(tx, repo.id, issue.id, viewer.id, 'demilestoned', { milestone: { title: titles.get(issue.milestone_id) ?? '' } });
      if (milestoneId !== null) await addEvent(tx, repo.id, issue.id, viewer.id, 'milestoned', { milestone: { title: titles.get(milestoneId) ?? '' } });
      await tx`update issues set milestone_id = ${milestoneId} where id = ${issue.id}`;
    }
    [row] = await tx<IssueRow[]>`update issues set updated_at = now() where id = ${issue.id} returning *` as unknown as [IssueRow];
    return row;
  });
  return ok(await renderIssue(g, repo, updated));
}

const LOCK_REASONS = ['off-topic', 'too heated', 'resolved', 'spam'];

export async function lock(g: Gh): Promise<Reply> {
  const viewer = me(g);
  const repo = await issuesRepo(g, 'write');
  const issue = await issueByNumber(g, repo);
  const reason = g.body.lock_reason === undefined || g.body.lock_reason === null ? null : str(g.body.lock_reason);
  if (reason !== null && !LOCK_REASONS.includes(reason ?? '')) invalid('Issue', 'invalid', 'lock_reason', { value: g.body.lock_reason });
  await g.ctx.db.tx(async (tx) => {
    await tx`update issues set locked = true, active_lock_reason = ${reason} where id = ${issue.id}`;
    await addEvent(tx, repo.id, issue.id, viewer.id, 'locked', { lock_reason: reason });
  });
  return noContent();
}

export async function unlock(g: Gh): Promise<Reply> {
  const viewer = me(g);
  const repo = await issuesRepo(g, 'write');
  const issue = await issueByNumber(g, repo);
  if (!issue.locked) throw new GitHubError(404, 'Not Found');
  await g.ctx.db.tx(async (tx) => {
    await tx`update issues set locked = false, active_lock_reason = null where id = ${issue.id}`;
    await addEvent(tx, repo.id, issue.id, viewer.id, 'unlocked');
  });
  return noContent();
}

export type { LabelRow };
