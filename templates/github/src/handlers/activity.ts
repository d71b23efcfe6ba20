import { GitHubError, notFound } from '../errors.ts';
import { listReply, pageOf } from '../paging.ts';
import * as render from '../render.ts';
import { orgRole, renderIssues, renderRepos, seesPrivate, userByLogin, usersByIds } from '../store.ts';
import type { CommentRow, Gh, IssueRow, Reply, Repo, RepoRow, UserRow } from '../types.ts';
import { me } from './common.ts';
import { renderComments } from './comments.ts';
import type { IssueRepo } from './issue-model.ts';

/**
 * Activity events (/users/{username}/events, received_events, the org dashboard) read from
 * what the clone records: issues opened (IssuesEvent `opened`), the issue events closed,
 * reopened, assigned, unassigned, labeled, unlabeled (IssuesEvent), comments
 * (IssueCommentEvent `created`), and stars (WatchEvent `started`). Pull requests' own events
 * are not reported (PullRequestEvent is not modelled). Newest first, at most 300, as GitHub's
 * timeline keeps. An event in a private repository is private: shown only to the user whose
 * events they are (with `repo`). Watched repositories follow GitHub's default setting
 * (automatically watch repositories you create or are given push access to): those the user
 * owns and those of the organisations they belong to.
 */

const MAX_EVENTS = 300;
const ISSUE_ACTIONS = ['closed', 'reopened', 'assigned', 'unassigned', 'labeled', 'unlabeled'];

interface ActivityRow {
  kind: 'issue' | 'event' | 'comment' | 'star';
  id: number;
  repo_id: number;
  actor_id: number;
  created_at: Date;
  action: string;
  issue_id: number | null;
  private: boolean;
  payload: Record<string, unknown> | null;
}

/** Which events: by whom (actors), where (repositories), and whether private ones show. */
interface Filter {
  actors?: number[];
  repos?: number[];
  /** Either the actors or the repositories match (received events), rather than both. */
  either?: boolean;
  excludeActor?: number;
  withPrivate: boolean;
  /** With withPrivate: the repositories whose private events may show (default: all matched). */
  readable?: number[];
}

const SOURCES = `
  select 'issue' as kind, i.id, i.repo_id, i.user_id as actor_id, i.created_at, 'opened' as action, i.id as issue_id, null::jsonb as payload from issues i where not i.is_pull_request
  union all
  select 'event', e.id, e.repo_id, e.actor_id, e.created_at, e.event, e.issue_id, e.payload from events e join issues i on i.id = e.issue_id
    where not i.is_pull_request and e.actor_id is not null and e.event = any($1::text[])
  union all
  select 'comment', c.id, c.repo_id, c.user_id, c.created_at, 'created', c.issue_id, null from comments c
  union all
  select 'star', 0, s.repo_id, s.user_id, s.created_at, 'started', null, null from stars s`;

async function activity(g: Gh, f: Filter): Promise<Reply> {
  const p = pageOf(g);
  const params: unknown[] = [ISSUE_ACTIONS];
  const arg = (v: unknown, cast = '') => `$${params.push(v)}${cast}`;
  const byActor = f.actors ? `a.actor_id = any(${arg(f.actors, '::int[]')})` : null;
  const byRepo = f.repos ? `a.repo_id = any(${arg(f.repos, '::int[]')})` : null;
  const where = [
    ...(f.either ? [`(${byActor} or ${byRepo})`] : [byActor, byRepo]),
    f.excludeActor !== undefined ? `a.actor_id <> ${arg(f.excludeActor, '::int')}` : null,
    // Private events only in repositories the user reads (readable) when that is narrower than all.
    f.withPrivate ? (f.readable ? `(not r.private or r.id = any(${arg(f.readable, '::int[]')}))` : null) : 'not r.private',
  ].filter(Boolean);
  const sql = (select: string, tail: string) => `select ${select} from (${SOURCES}) a join repos r on r.id = a.repo_id ${where.length ? `where ${where.join(' and ')}` : ''} ${tail}`;
  const offset = Math.min(p.offset, MAX_EVENTS);
  const limit = Math.max(0, Math.min(p.perPage, MAX_EVENTS - offset));
  const rows = await g.ctx.db.unsafe<ActivityRow>(sql('a.*, r.private', `order by a.created_at desc, a.id desc limit ${limit} offset ${offset}`), params);
  const total = Math.min(MAX_EVENTS, (await g.ctx.db.unsafe<{ n: number }>(sql('count(*)::int as n', ''), params))[0]?.n ?? 0);
  return listReply(g, p, await renderActivity(g, rows), total);
}

async function renderActivity(g: Gh, rows: ActivityRow[]): Promise<Record<string, unknown>[]> {
  if (!rows.length) return [];
  const repoRows = await g.ctx.db.q<RepoRow>`select * from repos where id = any(${[...new Set(rows.map((a) => a.repo_id))]}::int[])`;
  const users = await usersByIds(g, [...rows.map((a) => a.actor_id), ...repoRows.map((r) => r.owner_id), ...rows.flatMap((a) => [a.payload?.assignee_id as number | undefined])]);
  const repos = new Map<number, Repo>(repoRows.map((r) => [r.id, { ...r, owner: users.get(r.owner_id)! }]));
  const issueIds = [...new Set(rows.map((a) => a.issue_id).filter((x): x is number => x !== null))];
  const issueRows = issueIds.length ? await g.ctx.db.q<IssueRow>`select * from issues where id = any(${issueIds}::int[])` : [];
  const rendered = await renderIssues(g, issueRows);
  const issues = new Map(issueRows.map((i, n) => [i.id, rendered[n]!]));
  const commentIds = rows.filter((a) => a.kind === 'comment').map((a) => a.id);
  const commentRows = commentIds.length ? await g.ctx.db.q<CommentRow>`select c.*, i.number as issue_number from comments c join issues i on i.id = c.issue_id where c.id = any(${commentIds}::int[])` : [];
  const comments = new Map<number, Record<string, unknown>>();
  for (const repoId of new Set(commentRows.map((c) => c.repo_id))) {
    const mine = commentRows.filter((c) => c.repo_id === repoId);
    const out = await renderComments(g, repos.get(repoId) as IssueRepo, mine);
    mine.forEach((c, n) => comments.set(c.id, out[n]!));
  }
  return rows.map((a) => {
    const repo = repos.get(a.repo_id)!;
    const actor = users.get(a.actor_id)!;
    const full = `${repo.owner.login}/${repo.name}`;
    let type = 'WatchEvent';
    let payload: Record<string, unknown> = { action: a.action };
    if (a.kind === 'comment') {
      type = 'IssueCommentEvent';
      payload = { action: 'created', issue: issues.get(a.issue_id!), comment: comments.get(a.id) };
    } else if (a.kind !== 'star') {
      type = 'IssuesEvent';
      payload = { action: a.action, issue: issues.get(a.issue_id!) };
      const assignee = typeof a.payload?.assignee_id === 'number' ? users.get(a.payload.assignee_id) : undefined;
      if (assignee) payload.assignee = render.simpleUser(g.base, assignee);
      if (a.payload?.label && typeof a.payload.label === 'object') payload.label = a.payload.label;
    }
    return {
      id: a.kind === 'star' ? `5${String(a.actor_id).padStart(10, '0')}${String(a.repo_id).padStart(10, '0')}` : String(a.id),
      type,
      actor: actorJson(g, actor),
      repo: { id: repo.id, name: full, url: `${g.base}/repos/${full}` },
      ...(repo.owner.type === 'Organization' ? { org: actorJson(g, repo.owner) } : {}),
      payload,
      public: !a.private,
      created_at: render.iso(a.created_at),
    };
  });
}

function actorJson(g: Gh, u: UserRow): Record<string, unknown> {
  const s = render.simpleUser(g.base, u);
  return { id: u.id, login: u.login, display_login: u.login, gravatar_id: '', url: s.url, avatar_url: s.avatar_url };
}

async function subject(g: Gh): Promise<UserRow> {
  return (await userByLogin(g, g.params.username ?? '')) ?? notFound();
}

/** Private events show to the user themselves, with a token that may read private repositories. */
const ownView = (g: Gh, u: UserRow) => g.viewer?.id === u.id && seesPrivate(g);

/** Repositories the user watches (GitHub's default: created, or given push access to). */
async function watchedIds(g: Gh, u: UserRow): Promise<number[]> {
  const rows = await g.ctx.db.q<{ id: number }>`
    select r.id from repos r where r.owner_id = ${u.id}
      or r.owner_id in (select org_id from org_members where user_id = ${u.id})
    order by r.id`;
  return rows.map((r) => r.id);
}

export async function listForUser(g: Gh): Promise<Reply> {
  const u = await subject(g);
  return activity(g, { actors: [u.id], withPrivate: ownView(g, u) });
}

export async function listPublicForUser(g: Gh): Promise<Reply> {
  const u = await subject(g);
  return activity(g, { actors: [u.id], withPrivate: false });
}

export async function listOrgForUser(g: Gh): Promise<Reply> {
  const u = await subject(g);
  if (me(g).id !== u.id) throw new GitHubError(404, 'Not Found');
  const org = await userByLogin(g, g.params.org ?? '');
  if (!org || org.type !== 'Organization' || !(await orgRole(g, org.id, u.id))) return notFound();
  const repos = (await g.ctx.db.q<{ id: number }>`select id from repos where owner_id = ${org.id}`).map((r) => r.id);
  return activity(g, { repos, withPrivate: seesPrivate(g) });
}

async function received(g: Gh, withPrivate: boolean): Promise<Reply> {
  const u = await subject(g);
  const followed = (await g.ctx.db.q<{ followee_id: number }>`select followee_id from follows where follower_id = ${u.id}`).map((r) => r.followee_id);
  // Events by people the user follows or in repositories the user watches, not the user's own.
  const watched = await watchedIds(g, u);
  // The watched repositories are the ones the user reads (no collaborators in the clone).
  return activity(g, { actors: followed, repos: watched, either: true, excludeActor: u.id, withPrivate: withPrivate && ownView(g, u), readable: watched });
}

export const listReceived = (g: Gh) => received(g, true);
export const listReceivedPublic = (g: Gh) => received(g, false);

/** GET /user/subscriptions and /users/{username}/subscriptions: the watched repositories the viewer may see. */
async function watchedReply(g: Gh, u: UserRow): Promise<Reply> {
  const p = pageOf(g);
  const priv = seesPrivate(g) && g.viewer !== null;
  const viewerId = g.viewer?.id ?? 0;
  // Private ones only where the viewer can read them too (owner, or member of the owning org).
  const visible = (await g.ctx.db.q<RepoRow>`
    select r.* from repos r
    where r.id = any(${await watchedIds(g, u)}::int[])
      and (not r.private or (${priv} and (r.owner_id = ${viewerId} or r.owner_id in (select org_id from org_members where user_id = ${viewerId}))))
    order by r.id`);
  return listReply(g, p, await renderRepos(g, visible.slice(p.offset, p.offset + p.perPage)), visible.length);
}

export const listWatchedForMe = (g: Gh) => watchedReply(g, me(g));
export async function listWatchedForUser(g: Gh): Promise<Reply> {
  return watchedReply(g, await subject(g));
}
