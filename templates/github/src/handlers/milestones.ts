import { str } from '../../../_kit/http.ts';
import { invalid, notFound } from '../errors.ts';
import { listReply, pageOf } from '../paging.ts';
import * as render from '../render.ts';
import { fullName, loadRepo, milestoneRows, usersByIds } from '../store.ts';
import type { Gh, MilestoneRow, Repo, Reply } from '../types.ts';
import { choice, me, noContent, ok } from './common.ts';
import { clockNow } from '../../../_kit/clock.ts';

async function renderAll(g: Gh, repo: Repo, rows: MilestoneRow[]): Promise<Record<string, unknown>[]> {
  const users = await usersByIds(g, rows.map((m) => m.creator_id));
  return rows.map((m) => render.milestone(g.base, fullName(repo), m, m.creator_id !== null ? (users.get(m.creator_id) ?? null) : null));
}

async function loadMilestone(g: Gh, repo: Repo): Promise<MilestoneRow> {
  const n = Number(g.params.milestone_number);
  if (!Number.isInteger(n) || n > 2_147_483_647) return notFound();
  return (await milestoneRows(g, { repoId: repo.id, number: n }))[0] ?? notFound();
}

function dueOn(v: unknown): Date | null | undefined {
  if (v === undefined) return undefined;
  if (v === null || v === '') return null;
  const d = new Date(String(v));
  if (Number.isNaN(d.getTime())) return invalid('Milestone', 'invalid', 'due_on');
  return d;
}

export async function list(g: Gh): Promise<Reply> {
  const repo = await loadRepo(g);
  const state = choice(g.query.state, ['open', 'closed', 'all'] as const, 'open');
  const sort = choice(g.query.sort, ['due_on', 'completeness'] as const, 'due_on');
  const direction = choice(g.query.direction, ['asc', 'desc'] as const, 'asc');
  const p = pageOf(g);
  const all = await g.ctx.db.unsafe<MilestoneRow>(
    `select m.*, (select count(*)::int from issues i where i.milestone_id = m.id and i.state = 'open') as open_issues,
       (select count(*)::int from issues i where i.milestone_id = m.id and i.state = 'closed') as closed_issues
     from milestones m where m.repo_id = $1 ${state === 'all' ? '' : 'and m.state = $2'}`,
    state === 'all' ? [repo.id] : [repo.id, state],
  );
  const key = (m: MilestoneRow) =>
    sort === 'due_on' ? (m.due_on ? new Date(m.due_on).getTime() : Number.MAX_SAFE_INTEGER) : m.closed_issues / Math.max(1, m.open_issues + m.closed_issues);
  all.sort((a, b) => (key(a) - key(b) || a.number - b.number) * (direction === 'asc' ? 1 : -1));
  return listReply(g, p, await renderAll(g, repo, all.slice(p.offset, p.offset + p.perPage)), all.length);
}

export async function create(g: Gh): Promise<Reply> {
  const viewer = me(g);
  const repo = await loadRepo(g, 'write');
  const title = str(g.body.title)?.trim();
  if (!title) return invalid('Milestone', 'missing_field', 'title');
  const taken = await g.ctx.db.q`select 1 from milestones where repo_id = ${repo.id} and title = ${title}`;
  if (taken.length) invalid('Milestone', 'already_exists', 'title');
  const state = choice(g.body.state, ['open', 'closed'] as const, 'open');
  const rows = await g.ctx.db.q<{ number: number }>`insert into milestones (repo_id, number, title, description, state, due_on, creator_id, closed_at)
    values (${repo.id}, (select coalesce(max(number), 0) + 1 from milestones where repo_id = ${repo.id}), ${title}, ${str(g.body.description) ?? null},
      ${state}, ${dueOn(g.body.due_on) ?? null}, ${viewer.id}, ${state === 'closed' ? clockNow() : null}) returning number`;
  const [m] = await milestoneRows(g, { repoId: repo.id, number: rows[0]!.number });
  return { status: 201, body: (await renderAll(g, repo, [m!]))[0] };
}

export async function get(g: Gh): Promise<Reply> {
  const repo = await loadRepo(g);
  return ok((await renderAll(g, repo, [await loadMilestone(g, repo)]))[0]);
}

export async function update(g: Gh): Promise<Reply> {
  const repo = await loadRepo(g, 'write');
  const m = await loadMilestone(g, repo);
  const title = g.body.title === undefined ? m.title : str(g.body.title)?.trim();
  if (!title) return invalid('Milestone', 'missing_field', 'title');
  const state = choice(g.body.state, ['open', 'closed'] as const, m.state);
  const due = dueOn(g.body.due_on);
  const description = g.body.description === undefined ? m.description : (str(g.body.description) ?? null);
  const closedAt = state === 'closed' ? (m.closed_at ?? clockNow()) : null;
  await g.ctx.db.q`update milestones set title = ${title}, state = ${state}, description = ${description},
    due_on = ${due === undefined ? m.due_on : due}, closed_at = ${closedAt}, updated_at = now() where id = ${m.id}`;
  return ok((await renderAll(g, repo, [await loadMilestone(g, repo)]))[0]);
}

export async function remove(g: Gh): Promise<Reply> {
  const repo = await loadRepo(g, 'write');
  const m = await loadMilestone(g, repo);
  await g.ctx.db.q`delete from milestones where id = ${m.id}`;
  return noContent();
}
