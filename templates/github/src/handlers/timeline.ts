import { listReply, pageOf } from '../paging.ts';
import { issueByNumber } from '../store.ts';
import type { CommentRow, EventRow, Gh, Reply } from '../types.ts';
import { renderComments } from './comments.ts';
import { renderEvents } from './events.ts';
import { issuesRepo } from './issue-model.ts';

/**
 * GET /repos/{o}/{r}/issues/{n}/timeline: the issue's recorded events (labeled, assigned,
 * closed, reopened, renamed, milestoned, locked, sub-issue and dependency changes, ...)
 * and its comments as `commented` items, oldest first, paged like GitHub.
 */
export async function list(g: Gh): Promise<Reply> {
  const repo = await issuesRepo(g);
  const issue = await issueByNumber(g, repo);
  const events = await g.ctx.db.q<EventRow>`select * from events where issue_id = ${issue.id}`;
  const comments = await g.ctx.db.q<CommentRow>`select c.*, ${issue.number}::int as issue_number from comments c where c.issue_id = ${issue.id}`;
  type Item = { at: number; id: number; kind: 'event' | 'comment'; row: EventRow | CommentRow };
  const all: Item[] = [
    ...events.map((e): Item => ({ at: new Date(e.created_at).getTime(), id: e.id, kind: 'event', row: e })),
    ...comments.map((c): Item => ({ at: new Date(c.created_at).getTime(), id: c.id, kind: 'comment', row: c })),
  ].sort((a, b) => a.at - b.at || a.id - b.id);
  const p = pageOf(g);
  const page = all.slice(p.offset, p.offset + p.perPage);
  const eventJson = await renderEvents(g, repo, page.filter((x) => x.kind === 'event').map((x) => x.row as EventRow), false);
  const commentJson = await renderComments(g, repo, page.filter((x) => x.kind === 'comment').map((x) => x.row as CommentRow));
  let e = 0;
  let c = 0;
  const items = page.map((x) => {
    if (x.kind === 'event') return eventJson[e++]!;
    const json = commentJson[c++]!;
    return { ...json, event: 'commented', actor: json.user };
  });
  return listReply(g, p, items, all.length);
}
