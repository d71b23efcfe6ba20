import { guardInteraction } from './guards.ts';
import { GitHubError, checkBodyLength, forbidden, invalid, notFound } from '../errors.ts';
import { listReply, pageOf } from '../paging.ts';
import * as render from '../render.ts';
import { association, associationSets, fullName, issueByNumber, reactionCounts, usersByIds } from '../store.ts';
import type { CommentRow, Gh, Reply } from '../types.ts';
import { choice, me, noContent, ok, sinceOf } from './common.ts';
import { issuesRepo, type IssueRepo } from './issue-model.ts';

const SELECT = 'select c.*, i.number as issue_number from comments c join issues i on i.id = c.issue_id';

export async function renderComments(g: Gh, repo: IssueRepo, rows: CommentRow[]): Promise<Record<string, unknown>[]> {
  const users = await usersByIds(g, rows.flatMap((c) => [c.user_id, c.pinned_by_id]));
  const reactions = await reactionCounts(g, 'comment_id', rows.map((c) => c.id));
  const assoc = await associationSets(g, [repo.id]);
  return rows.map((c) =>
    render.comment(g.base, fullName(repo), c, users.get(c.user_id)!, association(repo, c.user_id, assoc.members.get(repo.id) ?? new Set(), assoc.contributors.get(repo.id) ?? new Set()), reactions.get(c.id), c.pinned_by_id ? users.get(c.pinned_by_id) : null),
  );
}

async function paged(g: Gh, repo: IssueRepo, where: string, params: unknown[], order: string): Promise<Reply> {
  const p = pageOf(g);
  const count = await g.ctx.db.unsafe<{ n: number }>(`select count(*)::int as n from comments c where ${where}`, params);
  const rows = await g.ctx.db.unsafe<CommentRow>(`${SELECT} where ${where} order by ${order} limit ${p.perPage} offset ${p.offset}`, params);
  return listReply(g, p, await renderComments(g, repo, rows), count[0]?.n ?? 0);
}

export async function listForIssue(g: Gh): Promise<Reply> {
  const repo = await issuesRepo(g);
  const issue = await issueByNumber(g, repo);
  const params: unknown[] = [issue.id];
  let where = 'c.issue_id = $1';
  const since = sinceOf(g.query.since);
  if (since) {
    params.push(since);
    where += ' and c.updated_at >= $2';
  }
  return paged(g, repo, where, params, 'c.created_at asc, c.id asc');
}

export async function listForRepo(g: Gh): Promise<Reply> {
  const repo = await issuesRepo(g);
  const params: unknown[] = [repo.id];
  let where = 'c.repo_id = $1';
  const since = sinceOf(g.query.since);
  if (since) {
    params.push(since);
    where += ' and c.updated_at >= $2';
  }
  const sort = choice(g.query.sort, ['created', 'updated'] as const, 'created');
  const direction = choice(g.query.direction, ['asc', 'desc'] as const, 'asc');
  return paged(g, repo, where, params, `c.${sort}_at ${direction}, c.id ${direction}`);
}

function bodyOf(g: Gh): string {
  const body = g.body.body;
  if (body === undefined || body === null || body === '') return invalid('IssueComment', 'missing_field', 'body');
  if (typeof body !== 'string') return invalid('IssueComment', 'invalid', 'body');
  checkBodyLength('IssueComment', body);
  return body;
}

export async function create(g: Gh): Promise<Reply> {
  const viewer = me(g);
  const repo = await issuesRepo(g);
  const issue = await issueByNumber(g, repo);
  const body = bodyOf(g);
  if (repo.archived) forbidden('Repository was archived so is read-only.');
  if (issue.locked && !repo.perms.push) throw new GitHubError(403, 'Unable to create comment because issue is locked.');
  await guardInteraction(g, repo, 'comment', issue.user_id);
  const row = await g.ctx.db.tx(async (tx) => {
    const [c] = await tx<CommentRow[]>`insert into comments (repo_id, issue_id, user_id, body) values (${repo.id}, ${issue.id}, ${viewer.id}, ${body}) returning *, ${issue.number}::int as issue_number`;
    await tx`update issues set comments = comments + 1, updated_at = now() where id = ${issue.id}`;
    return c!;
  });
  return { status: 201, body: (await renderComments(g, repo, [row]))[0] };
}

export async function loadComment(g: Gh, repo: IssueRepo): Promise<CommentRow> {
  const id = Number(g.params.comment_id);
  if (!Number.isInteger(id) || id > 2_147_483_647) return notFound();
  const rows = await g.ctx.db.unsafe<CommentRow>(`${SELECT} where c.id = $1 and c.repo_id = $2`, [id, repo.id]);
  return rows[0] ?? notFound();
}

export async function get(g: Gh): Promise<Reply> {
  const repo = await issuesRepo(g);
  const c = await loadComment(g, repo);
  return ok((await renderComments(g, repo, [c]))[0]);
}

export async function update(g: Gh): Promise<Reply> {
  const viewer = me(g);
  const repo = await issuesRepo(g);
  const c = await loadComment(g, repo);
  if (c.user_id !== viewer.id && !repo.perms.push) return notFound();
  const body = bodyOf(g);
  const [row] = await g.ctx.db.q<CommentRow>`update comments set body = ${body}, updated_at = now() where id = ${c.id} returning *, ${c.issue_number}::int as issue_number`;
  return ok((await renderComments(g, repo, [row!]))[0]);
}

export async function remove(g: Gh): Promise<Reply> {
  const viewer = me(g);
  const repo = await issuesRepo(g);
  const c = await loadComment(g, repo);
  if (c.user_id !== viewer.id && !repo.perms.push) return notFound();
  await g.ctx.db.tx(async (tx) => {
    await tx`delete from comments where id = ${c.id}`;
    await tx`update issues set comments = greatest(0, comments - 1) where id = ${c.issue_id}`;
  });
  return noContent();
}

/**
 * PUT /repos/{o}/{r}/issues/comments/{id}/pin: an issue shows one pinned comment, so
 * pinning another unpins the previous one. Needs triage access, as on GitHub.
 */
export async function pin(g: Gh): Promise<Reply> {
  const viewer = me(g);
  const repo = await issuesRepo(g);
  const c = await loadComment(g, repo);
  if (!repo.perms.triage) return forbidden('Must have triage access to pin a comment.');
  if (repo.archived) forbidden('Repository was archived so is read-only.');
  await g.ctx.db.tx(async (tx) => {
    await tx`update comments set pinned_at = null, pinned_by_id = null where issue_id = ${c.issue_id} and id <> ${c.id} and pinned_at is not null`;
    if (!c.pinned_at) await tx`update comments set pinned_at = now(), pinned_by_id = ${viewer.id} where id = ${c.id}`;
  });
  return ok((await renderComments(g, repo, [await loadComment(g, repo)]))[0]);
}

export async function unpin(g: Gh): Promise<Reply> {
  me(g);
  const repo = await issuesRepo(g);
  const c = await loadComment(g, repo);
  if (!repo.perms.triage) return forbidden('Must have triage access to unpin a comment.');
  await g.ctx.db.q`update comments set pinned_at = null, pinned_by_id = null where id = ${c.id}`;
  return noContent();
}
