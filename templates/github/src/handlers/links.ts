import { GitHubError, forbidden, invalid, notFound } from '../errors.ts';
import { listReply, pageOf } from '../paging.ts';
import { issueByNumber, renderIssue, renderIssues, viewerOrgIds } from '../store.ts';
import type { Gh, IssueRow, Reply } from '../types.ts';
import { me, ok } from './common.ts';
import { addEvent, issuesRepo, type IssueRepo } from './issue-model.ts';

/**
 * Sub-issues and issue dependencies. Both refer to the other issue by its id (not its
 * number), as GitHub's API does. A sub-issue has one parent, belongs to the same
 * repository owner as its parent, sits at most 8 levels deep, and a parent holds at most
 * 100 sub-issues; an issue may be blocked by at most 50 issues. Each change records
 * GitHub's events on both issues (sub_issue_added / parent_issue_added, blocked_by_added /
 * blocking_added and their *_removed), which the events and timeline lists show.
 */

const MAX_SUB_ISSUES = 100;
const MAX_DEPTH = 8;
const MAX_BLOCKED_BY = 50;

/** Issues in repositories the viewer can read (the visibility rule of search and lists). */
const VISIBLE = `exists (select 1 from repos r where r.id = i.repo_id and r.has_issues and (not r.private or r.owner_id = $1 or r.owner_id = any($2::int[])))`;

async function visibleParams(g: Gh): Promise<unknown[]> {
  return [g.viewer?.id ?? -1, await viewerOrgIds(g)];
}

function idField(g: Gh, field: string): number {
  const v = g.body[field];
  if (v === undefined || v === null || v === '') return invalid('Issue', 'missing_field', field);
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > 2_147_483_647) {
    throw new GitHubError(422, `Invalid request.\n\nFor '${field}', ${JSON.stringify(v)} is not an integer.`);
  }
  return n;
}

/** An issue by id that the viewer can read, or a 422 naming the field that referred to it. */
async function visibleIssueById(g: Gh, id: number, field: string): Promise<IssueRow & { owner_id: number }> {
  const params = await visibleParams(g);
  const rows = await g.ctx.db.unsafe<IssueRow & { owner_id: number }>(
    `select i.*, (select owner_id from repos where id = i.repo_id) as owner_id from issues i where i.id = $3 and ${VISIBLE}`,
    [...params, id],
  );
  return rows[0] ?? invalid('Issue', 'invalid', field, { value: id, message: `No issue with id ${id} exists or you do not have permission to view it.` });
}

function custom(field: string, message: string): never {
  return invalid('Issue', 'custom', field, { message });
}

async function writableIssue(g: Gh): Promise<{ repo: IssueRepo; issue: IssueRow }> {
  const repo = await issuesRepo(g);
  const issue = await issueByNumber(g, repo);
  if (!repo.perms.triage) return forbidden('Must have write access to the repository.');
  if (repo.archived) forbidden('Repository was archived so is read-only.');
  return { repo, issue };
}

async function pagedIssues(g: Gh, from: string, id: number, order: string): Promise<Reply> {
  const p = pageOf(g);
  const params = [...(await visibleParams(g)), id];
  const where = `${from} and ${VISIBLE}`;
  const count = await g.ctx.db.unsafe<{ n: number }>(`select count(*)::int as n from issues i ${where}`, params);
  const rows = await g.ctx.db.unsafe<IssueRow>(`select i.* from issues i ${where} order by ${order} limit ${p.perPage} offset ${p.offset}`, params);
  return listReply(g, p, await renderIssues(g, rows), count[0]?.n ?? 0);
}

// ---- sub-issues ----

export async function listSubIssues(g: Gh): Promise<Reply> {
  const repo = await issuesRepo(g);
  const issue = await issueByNumber(g, repo);
  return pagedIssues(g, 'join sub_issues s on s.child_id = i.id where s.parent_id = $3', issue.id, 's.position asc, i.id asc');
}

export async function getParent(g: Gh): Promise<Reply> {
  const repo = await issuesRepo(g);
  const issue = await issueByNumber(g, repo);
  const params = [...(await visibleParams(g)), issue.id];
  const rows = await g.ctx.db.unsafe<IssueRow>(`select i.* from issues i join sub_issues s on s.parent_id = i.id where s.child_id = $3 and ${VISIBLE}`, params);
  if (!rows[0]) return notFound();
  return ok((await renderIssues(g, rows))[0]);
}

/** Ancestors of an issue, nearest first (the parent chain). */
async function ancestors(g: Gh, id: number): Promise<number[]> {
  const rows = await g.ctx.db.q<{ id: number }>`
    with recursive up(id, depth) as (
      select parent_id, 1 from sub_issues where child_id = ${id}
      union all select s.parent_id, up.depth + 1 from sub_issues s join up on s.child_id = up.id where up.depth < 64
    ) select id from up order by depth`;
  return rows.map((r) => r.id);
}

/** Levels below an issue (0 when it has no sub-issues). */
async function height(g: Gh, id: number): Promise<number> {
  const rows = await g.ctx.db.q<{ h: number }>`
    with recursive down(id, depth) as (
      select child_id, 1 from sub_issues where parent_id = ${id}
      union all select s.child_id, down.depth + 1 from sub_issues s join down on s.parent_id = down.id where down.depth < 64
    ) select coalesce(max(depth), 0)::int as h from down`;
  return rows[0]?.h ?? 0;
}

export async function addSubIssue(g: Gh): Promise<Reply> {
  const viewer = me(g);
  const { repo, issue } = await writableIssue(g);
  const subId = idField(g, 'sub_issue_id');
  const replace = g.body.replace_parent === true || g.body.replace_parent === 'true';
  const sub = await visibleIssueById(g, subId, 'sub_issue_id');
  if (sub.id === issue.id) custom('sub_issue_id', 'An issue cannot be a sub-issue of itself');
  if (sub.owner_id !== repo.owner_id) custom('sub_issue_id', 'Sub issue must belong to the same repository owner as the parent issue');
  const current = await g.ctx.db.q<{ parent_id: number }>`select parent_id from sub_issues where child_id = ${sub.id}`;
  const oldParent = current[0]?.parent_id;
  if (oldParent === issue.id) custom('sub_issue_id', 'Issue may not contain duplicate sub-issues');
  if (oldParent !== undefined && !replace) custom('sub_issue_id', 'Sub issue may only have one parent');
  const up = await ancestors(g, issue.id);
  if (up.includes(sub.id)) custom('sub_issue_id', 'An issue cannot be a sub-issue of one of its own sub-issues');
  if (up.length + 1 + (await height(g, sub.id)) > MAX_DEPTH) custom('sub_issue_id', `Sub issues may only be nested ${MAX_DEPTH} levels deep`);
  const [{ n }] = (await g.ctx.db.q<{ n: number }>`select count(*)::int as n from sub_issues where parent_id = ${issue.id}`) as [{ n: number }];
  if (n >= MAX_SUB_ISSUES) custom('sub_issue_id', `Parent issue may have at most ${MAX_SUB_ISSUES} sub-issues`);
  await g.ctx.db.tx(async (tx) => {
    if (oldParent !== undefined) {
      await tx`delete from sub_issues where child_id = ${sub.id}`;
      const [old] = await tx<{ repo_id: number }[]>`select repo_id from issues where id = ${oldParent}`;
      await addEvent(tx, old!.repo_id, oldParent, viewer.id, 'sub_issue_removed', { sub_issue: sub.id });
      await addEvent(tx, sub.repo_id, sub.id, viewer.id, 'parent_issue_removed', { parent_issue: oldParent });
    }
    await tx`insert into sub_issues (child_id, parent_id, position)
      values (${sub.id}, ${issue.id}, (select coalesce(max(position), 0) + 1 from sub_issues where parent_id = ${issue.id}))`;
    await addEvent(tx, repo.id, issue.id, viewer.id, 'sub_issue_added', { sub_issue: sub.id });
    await addEvent(tx, sub.repo_id, sub.id, viewer.id, 'parent_issue_added', { parent_issue: issue.id });
    await tx`update issues set updated_at = now() where id = any(${[issue.id, sub.id]}::int[])`;
  });
  return { status: 201, body: await renderIssue(g, repo, await issueByNumber(g, repo)) };
}

export async function removeSubIssue(g: Gh): Promise<Reply> {
  const viewer = me(g);
  const { repo, issue } = await writableIssue(g);
  const subId = idField(g, 'sub_issue_id');
  const rows = await g.ctx.db.q<{ repo_id: number }>`select c.repo_id from sub_issues s join issues c on c.id = s.child_id where s.child_id = ${subId} and s.parent_id = ${issue.id}`;
  if (!rows[0]) return notFound();
  await g.ctx.db.tx(async (tx) => {
    await tx`delete from sub_issues where child_id = ${subId}`;
    await addEvent(tx, repo.id, issue.id, viewer.id, 'sub_issue_removed', { sub_issue: subId });
    await addEvent(tx, rows[0]!.repo_id, subId, viewer.id, 'parent_issue_removed', { parent_issue: issue.id });
    await tx`update issues set updated_at = now() where id = any(${[issue.id, subId]}::int[])`;
  });
  return ok(await renderIssue(g, repo, await issueByNumber(g, repo)));
}

export async function reprioritizeSubIssue(g: Gh): Promise<Reply> {
  me(g);
  const { repo, issue } = await writableIssue(g);
  const subId = idField(g, 'sub_issue_id');
  const hasAfter = g.body.after_id !== undefined && g.body.after_id !== null;
  const hasBefore = g.body.before_id !== undefined && g.body.before_id !== null;
  if (hasAfter === hasBefore) throw new GitHubError(422, 'Validation Failed', { errors: [{ resource: 'Issue', code: 'invalid', message: 'Specify exactly one of after_id or before_id' }] });
  const anchorField = hasAfter ? 'after_id' : 'before_id';
  const anchor = idField(g, anchorField);
  const children = (await g.ctx.db.q<{ child_id: number }>`select child_id from sub_issues where parent_id = ${issue.id} order by position, child_id`).map((r) => r.child_id);
  if (!children.includes(subId)) custom('sub_issue_id', `Issue ${subId} is not a sub-issue of this issue`);
  if (!children.includes(anchor)) custom(anchorField, `Issue ${anchor} is not a sub-issue of this issue`);
  if (anchor === subId) custom(anchorField, 'A sub-issue cannot be positioned relative to itself');
  const order = children.filter((id) => id !== subId);
  const at = order.indexOf(anchor) + (hasAfter ? 1 : 0);
  order.splice(at, 0, subId);
  await g.ctx.db.tx(async (tx) => {
    for (const [n, id] of order.entries()) await tx`update sub_issues set position = ${n + 1} where child_id = ${id}`;
  });
  return ok(await renderIssue(g, repo, issue));
}

// ---- dependencies ----

export async function listBlockedBy(g: Gh): Promise<Reply> {
  const repo = await issuesRepo(g);
  const issue = await issueByNumber(g, repo);
  return pagedIssues(g, 'join issue_dependencies d on d.blocking_id = i.id where d.blocked_id = $3', issue.id, 'd.created_at asc, i.id asc');
}

export async function listBlocking(g: Gh): Promise<Reply> {
  const repo = await issuesRepo(g);
  const issue = await issueByNumber(g, repo);
  return pagedIssues(g, 'join issue_dependencies d on d.blocked_id = i.id where d.blocking_id = $3', issue.id, 'd.created_at asc, i.id asc');
}

export async function addBlockedBy(g: Gh): Promise<Reply> {
  const viewer = me(g);
  const { repo, issue } = await writableIssue(g);
  const blockerId = idField(g, 'issue_id');
  const blocker = await visibleIssueById(g, blockerId, 'issue_id');
  if (blocker.id === issue.id) custom('issue_id', 'An issue cannot be blocked by itself');
  const existing = await g.ctx.db.q`select 1 from issue_dependencies where blocked_id = ${issue.id} and blocking_id = ${blocker.id}`;
  if (existing.length) custom('issue_id', 'This issue is already blocked by that issue');
  const [{ n }] = (await g.ctx.db.q<{ n: number }>`select count(*)::int as n from issue_dependencies where blocked_id = ${issue.id}`) as [{ n: number }];
  if (n >= MAX_BLOCKED_BY) custom('issue_id', `An issue may be blocked by at most ${MAX_BLOCKED_BY} issues`);
  await g.ctx.db.tx(async (tx) => {
    await tx`insert into issue_dependencies (blocked_id, blocking_id) values (${issue.id}, ${blocker.id})`;
    await addEvent(tx, repo.id, issue.id, viewer.id, 'blocked_by_added', { blocked_by: blocker.id });
    await addEvent(tx, blocker.repo_id, blocker.id, viewer.id, 'blocking_added', { blocking: issue.id });
  });
  return { status: 201, body: (await renderIssues(g, [blocker]))[0] };
}

export async function removeBlockedBy(g: Gh): Promise<Reply> {
  const viewer = me(g);
  const { repo, issue } = await writableIssue(g);
  const raw = g.params.issue_id ?? '';
  if (!/^\d+$/.test(raw) || Number(raw) > 2_147_483_647) throw new GitHubError(400, 'Invalid issue_id');
  const blockerId = Number(raw);
  const rows = await g.ctx.db.q<IssueRow>`select i.* from issue_dependencies d join issues i on i.id = d.blocking_id where d.blocked_id = ${issue.id} and d.blocking_id = ${blockerId}`;
  const blocker = rows[0] ?? notFound();
  await g.ctx.db.tx(async (tx) => {
    await tx`delete from issue_dependencies where blocked_id = ${issue.id} and blocking_id = ${blockerId}`;
    await addEvent(tx, repo.id, issue.id, viewer.id, 'blocked_by_removed', { blocked_by: blockerId });
    await addEvent(tx, blocker.repo_id, blockerId, viewer.id, 'blocking_removed', { blocking: issue.id });
  });
  return ok((await renderIssues(g, [blocker]))[0]);
}
