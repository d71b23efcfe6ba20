import { notFound } from '../errors.ts';
import { listReply, pageOf } from '../paging.ts';
import * as render from '../render.ts';
import { fullName, issueByNumber, renderIssues, usersByIds } from '../store.ts';
import type { EventRow, Gh, IssueRow, Reply, RepoRow } from '../types.ts';
import { ok } from './common.ts';
import { issuesRepo, type IssueRepo } from './issue-model.ts';

/** GitHub's issue reference (sub_issue, parent_issue, blocked_by, blocking of an event), by issue id. */
export async function issueRefs(g: Gh, ids: number[]): Promise<Map<number, Record<string, unknown>>> {
  const out = new Map<number, Record<string, unknown>>();
  if (!ids.length) return out;
  const issues = await g.ctx.db.q<IssueRow>`select * from issues where id = any(${[...new Set(ids)]}::int[])`;
  const repos = await g.ctx.db.q<RepoRow>`select * from repos where id = any(${[...new Set(issues.map((i) => i.repo_id))]}::int[])`;
  const owners = await usersByIds(g, repos.map((r) => r.owner_id));
  const repoJson = new Map(repos.map((r) => [r.id, render.repository(g.base, { ...r, owner: owners.get(r.owner_id)! }, { openIssues: 0 })]));
  for (const i of issues) out.set(i.id, { number: i.number, title: i.title, state: i.state, state_reason: i.state_reason, repository: repoJson.get(i.repo_id), issue_type: null });
  return out;
}

export async function renderEvents(g: Gh, repo: IssueRepo, rows: EventRow[], withIssue: boolean): Promise<Record<string, unknown>[]> {
  const ids: Array<number | null> = [];
  for (const e of rows) {
    ids.push(e.actor_id);
    if (typeof e.payload.assignee_id === 'number') ids.push(e.payload.assignee_id);
    if (typeof e.payload.assigner_id === 'number') ids.push(e.payload.assigner_id);
  }
  const users = await usersByIds(g, ids);
  const refs = await issueRefs(g, rows.flatMap((e) => render.REF_KEYS.map((k) => e.payload[k]).filter((x): x is number => typeof x === 'number')));
  const issues = new Map<number, Record<string, unknown>>();
  if (withIssue && rows.length) {
    const issueRows = await g.ctx.db.q<IssueRow>`select * from issues where id = any(${[...new Set(rows.map((e) => e.issue_id))]}::int[])`;
    const rendered = await renderIssues(g, issueRows, { repo });
    issueRows.forEach((i, n) => issues.set(i.id, rendered[n]!));
  }
  return rows.map((e) => render.event(g.base, fullName(repo), e, users, withIssue ? issues.get(e.issue_id) : undefined, refs));
}

async function paged(g: Gh, repo: IssueRepo, column: 'issue_id' | 'repo_id', id: number, withIssue: boolean): Promise<Reply> {
  const p = pageOf(g);
  const rows = await g.ctx.db.unsafe<EventRow>(`select * from events where ${column} = $1 order by id asc limit ${p.perPage} offset ${p.offset}`, [id]);
  const count = await g.ctx.db.unsafe<{ n: number }>(`select count(*)::int as n from events where ${column} = $1`, [id]);
  return listReply(g, p, await renderEvents(g, repo, rows, withIssue), count[0]?.n ?? 0);
}

export async function listForIssue(g: Gh): Promise<Reply> {
  const repo = await issuesRepo(g);
  const issue = await issueByNumber(g, repo);
  return paged(g, repo, 'issue_id', issue.id, false);
}

export async function listForRepo(g: Gh): Promise<Reply> {
  const repo = await issuesRepo(g);
  return paged(g, repo, 'repo_id', repo.id, true);
}

export async function get(g: Gh): Promise<Reply> {
  const repo = await issuesRepo(g);
  const id = Number(g.params.event_id);
  if (!Number.isInteger(id) || id > 2_147_483_647) return notFound();
  const rows = await g.ctx.db.q<EventRow>`select * from events where id = ${id} and repo_id = ${repo.id}`;
  if (!rows[0]) return notFound();
  return ok((await renderEvents(g, repo, rows, true))[0]);
}
