import { guardInteraction } from './guards.ts';
import { str } from '../../../_kit/http.ts';
import { invalid, notFound } from '../errors.ts';
import { listReply, pageOf } from '../paging.ts';
import * as render from '../render.ts';
import { issueByNumber, usersByIds } from '../store.ts';
import type { Gh, ReactionRow, Reply } from '../types.ts';
import { loadComment } from './comments.ts';
import { me, noContent } from './common.ts';
import { issuesRepo } from './issue-model.ts';

const CONTENTS = ['+1', '-1', 'laugh', 'confused', 'heart', 'hooray', 'rocket', 'eyes'];

type Subject = { column: 'issue_id' | 'comment_id'; id: number; repoId: number };

async function subject(g: Gh, kind: 'issue' | 'comment', access: 'read' | 'write' = 'read'): Promise<Subject> {
  const repo = await issuesRepo(g);
  if (access === 'write') {
    me(g);
    await guardInteraction(g, repo, 'react');
  }
  if (kind === 'issue') return { column: 'issue_id', id: (await issueByNumber(g, repo)).id, repoId: repo.id };
  return { column: 'comment_id', id: (await loadComment(g, repo)).id, repoId: repo.id };
}

async function renderAll(g: Gh, rows: ReactionRow[]): Promise<Record<string, unknown>[]> {
  const users = await usersByIds(g, rows.map((r) => r.user_id));
  return rows.map((r) => render.reaction(g.base, r, users.get(r.user_id)!));
}

async function list(g: Gh, kind: 'issue' | 'comment'): Promise<Reply> {
  const s = await subject(g, kind);
  const content = str(g.query.content);
  const p = pageOf(g);
  const filter = content ? ' and content = $2' : '';
  const params = content ? [s.id, content] : [s.id];
  const rows = await g.ctx.db.unsafe<ReactionRow>(`select * from reactions where ${s.column} = $1${filter} order by id limit ${p.perPage} offset ${p.offset}`, params);
  const count = await g.ctx.db.unsafe<{ n: number }>(`select count(*)::int as n from reactions where ${s.column} = $1${filter}`, params);
  return listReply(g, p, await renderAll(g, rows), count[0]?.n ?? 0);
}

async function create(g: Gh, kind: 'issue' | 'comment'): Promise<Reply> {
  const viewer = me(g);
  const s = await subject(g, kind, 'write');
  const content = str(g.body.content);
  if (!content) return invalid('Reaction', 'missing_field', 'content');
  if (!CONTENTS.includes(content)) return invalid('Reaction', 'invalid', 'content', { value: content });
  const existing = await g.ctx.db.unsafe<ReactionRow>(`select * from reactions where ${s.column} = $1 and user_id = $2 and content = $3`, [s.id, viewer.id, content]);
  // GitHub answers 200 with the existing reaction when it is already there, 201 when new.
  if (existing[0]) return { status: 200, body: (await renderAll(g, existing))[0] };
  const rows = await g.ctx.db.unsafe<ReactionRow>(`insert into reactions (repo_id, ${s.column}, user_id, content) values ($1, $2, $3, $4) returning *`, [s.repoId, s.id, viewer.id, content]);
  return { status: 201, body: (await renderAll(g, rows))[0] };
}

async function remove(g: Gh, kind: 'issue' | 'comment'): Promise<Reply> {
  const viewer = me(g);
  const s = await subject(g, kind, 'write');
  const id = Number(g.params.reaction_id);
  if (!Number.isInteger(id) || id > 2_147_483_647) return notFound();
  const rows = await g.ctx.db.unsafe<{ id: number }>(`delete from reactions where id = $1 and ${s.column} = $2 and user_id = $3 returning id`, [id, s.id, viewer.id]);
  if (!rows.length) return notFound();
  return noContent();
}

export const listForIssue = (g: Gh) => list(g, 'issue');
export const createForIssue = (g: Gh) => create(g, 'issue');
export const deleteForIssue = (g: Gh) => remove(g, 'issue');
export const listForComment = (g: Gh) => list(g, 'comment');
export const createForComment = (g: Gh) => create(g, 'comment');
export const deleteForComment = (g: Gh) => remove(g, 'comment');
