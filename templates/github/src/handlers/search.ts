import { str } from '../../../_kit/http.ts';
import { GitHubError } from '../errors.ts';
import { listReply, pageOf } from '../paging.ts';
import * as render from '../render.ts';
import { renderIssues, renderRepos, seesPrivate, viewerOrgIds } from '../store.ts';
import type { Gh, IssueRow, Reply, RepoRow, UserRow } from '../types.ts';
import { choice } from './common.ts';

/**
 * GET /search/issues, with the qualifiers GitHub documents for issues and pull requests:
 * repo:, org:, user:, is:open/closed/issue/pr/locked/unlocked/merged/unmerged/draft/public/
 * private, state:, type:, draft:, archived:, label: (repeatable, AND; `a,b` is OR), -label:,
 * assignee:, author:, mentions:, commenter:, involves:, milestone:, no:label/assignee/milestone,
 * head:, base:, review:none/approved/changes_requested, reviewed-by:, review-requested:,
 * created:/updated:/closed:/merged: (dates and ranges), comments:/reactions:/interactions:
 * (ranges), in:title/body/comments, `@me` for the viewer, the AND / OR / NOT operators and
 * free text (every word must match one of the `in:` fields, title and body by default).
 * GitHub's limits: 256 characters, five operators (422 Validation Failed).
 */

interface Term {
  neg: boolean;
  key: string | null;
  value: string;
  quoted?: boolean;
}

export function parseQuery(q: string): Term[] {
  const out: Term[] = [];
  const re = /(-?)([A-Za-z_-]+):("([^"]*)"|\S+)|"([^"]*)"|(\S+)/g;
  for (const m of q.matchAll(re)) {
    if (m[2]) out.push({ neg: m[1] === '-', key: m[2].toLowerCase(), value: m[4] ?? m[3] ?? '' });
    else out.push({ neg: false, key: null, value: m[5] ?? m[6] ?? '', quoted: m[5] !== undefined });
  }
  return out.filter((t) => t.value !== '');
}

const escapeLike = (s: string) => s.replace(/[%_\\]/g, (c) => `\\${c}`);

function searchInvalid(message: string): never {
  throw new GitHubError(422, 'Validation Failed', { errors: [{ message, resource: 'Search', field: 'q', code: 'invalid' }], documentationUrl: 'https://docs.github.com/v3/search/' });
}

/** GitHub's documented query limits, for every search endpoint. */
function checkLimits(q: string, terms: Term[]): void {
  if (q.length > 256) searchInvalid('The search is longer than 256 characters.');
  if (terms.filter((t) => t.key === null && !t.quoted && (t.value === 'AND' || t.value === 'OR' || t.value === 'NOT')).length > 5) searchInvalid('More than five AND / OR / NOT operators were used.');
}

/** A date qualifier (`2024-01-31`, `>=2024-01-31`, `2024-01-01..2024-02-01`, ISO times) as SQL on `col`; null when it does not read as one. */
function dateRange(col: string, v: string, p: (v: unknown) => string): string | null {
  const day = /^\d{4}-\d{2}-\d{2}$/;
  const when = (s: string) => {
    const d = new Date(day.test(s) ? `${s}T00:00:00Z` : s);
    return Number.isNaN(d.getTime()) ? null : d;
  };
  const dayEnd = (s: string, d: Date) => (day.test(s) ? new Date(d.getTime() + 86_400_000) : d);
  let m = /^(>=|<=|>|<)(.+)$/.exec(v);
  if (m) {
    const d = when(m[2]!);
    if (!d) return null;
    // A bare day: > means after that day, <= up to its end.
    if (m[1] === '>') return `${col} >= ${p(dayEnd(m[2]!, d))}`;
    if (m[1] === '<=') return `${col} < ${p(dayEnd(m[2]!, d))}`;
    return `${col} ${m[1]} ${p(d)}`;
  }
  m = /^(.+?)\.\.(.+)$/.exec(v);
  if (m) {
    const a = m[1] === '*' ? undefined : when(m[1]!);
    const b = m[2] === '*' ? undefined : when(m[2]!);
    if (a === null || b === null) return null;
    const parts = [a ? `${col} >= ${p(a)}` : null, b ? `${col} < ${p(dayEnd(m[2]!, b))}` : null].filter(Boolean);
    return parts.length ? parts.join(' and ') : `${col} is not null`;
  }
  const d = when(v);
  if (!d) return null;
  return day.test(v) ? `(${col} >= ${p(d)} and ${col} < ${p(dayEnd(v, d))})` : `${col} = ${p(d)}`;
}

export async function searchIssues(g: Gh): Promise<Reply> {
  const q = str(g.query.q)?.trim();
  if (!q) throw new GitHubError(422, 'Validation Failed', { errors: [{ resource: 'Search', field: 'q', code: 'missing' }] });
  const terms = parseQuery(q);
  checkLimits(q, terms);
  const orgs = await viewerOrgIds(g);
  const params: unknown[] = [g.viewer?.id ?? -1, orgs];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const conds: string[] = [seesPrivate(g) ? '(not r.private or r.owner_id = $1 or r.owner_id = any($2::int[]))' : 'not r.private', 'r.has_issues'];
  // Conditions in query order; OR joins a condition with the one before it.
  const pieces: Array<{ make: () => string; or: boolean }> = [];
  let fields = ['title', 'body'];
  const repos: string[] = [];
  const user = (v: string) => (v === '@me' ? `${g.viewer?.id ?? -1}` : `(select id from users where lower(login) = lower(${p(v)}))`);
  const pr = (cond: string) => `exists (select 1 from pulls pr where pr.issue_id = i.id and ${cond})`;
  const word = (w: string) => () => {
    const pat = p(`%${escapeLike(w)}%`);
    return `(${fields.map((f) => (f === 'comments' ? `exists (select 1 from comments c where c.issue_id = i.id and c.body ilike ${pat})` : `coalesce(i.${f}, '') ilike ${pat}`)).join(' or ')})`;
  };
  const range_ = (col: string, v: string) => range(col, v, p);
  let not = false;
  let or = false;
  for (const t of terms) {
    if (t.key === null && !t.quoted && (t.value === 'AND' || t.value === 'OR' || t.value === 'NOT')) {
      if (t.value === 'NOT') not = true;
      if (t.value === 'OR') or = true;
      continue;
    }
    let make: (() => string) | null = null;
    const fixed = (c: string | null) => (c === null ? null : () => c);
    switch (t.key) {
      case null:
        make = word(t.value);
        break;
      case 'repo': {
        const [owner, name] = t.value.split('/');
        repos.push(t.value);
        make = fixed(`(lower(u.login) = lower(${p(owner ?? '')}) and lower(r.name) = lower(${p(name ?? '')}))`);
        break;
      }
      case 'org':
      case 'user':
        make = fixed(`(r.owner_id = ${user(t.value)})`);
        break;
      case 'is':
      case 'state':
      case 'type': {
        const v = t.value.toLowerCase();
        if (v === 'open' || v === 'closed') make = fixed(`(i.state = ${p(v)})`);
        else if (v === 'issue') make = fixed('(not i.is_pull_request)');
        else if (v === 'pr' || v === 'pull-request' || v === 'pull_request') make = fixed('(i.is_pull_request)');
        else if (v === 'locked' || v === 'unlocked') make = fixed(`(i.locked = ${v === 'locked'})`);
        else if (v === 'merged') make = fixed(pr('pr.merged_at is not null'));
        else if (v === 'unmerged') make = fixed(pr('pr.merged_at is null'));
        else if (v === 'draft') make = fixed(pr('pr.draft'));
        else if (v === 'public' || v === 'private') make = fixed(`(r.private = ${v === 'private'})`);
        break;
      }
      case 'draft':
        make = t.value === 'true' || t.value === 'false' ? fixed(pr(`pr.draft = ${t.value}`)) : word(`${t.key}:${t.value}`);
        break;
      case 'archived':
        make = t.value === 'true' || t.value === 'false' ? fixed(`(r.archived = ${t.value})`) : word(`${t.key}:${t.value}`);
        break;
      case 'label': {
        // label:a,b matches either (OR); repeated label: qualifiers must all match.
        const wanted = t.value.split(',').map((x) => x.trim()).filter(Boolean);
        make = fixed(`exists (select 1 from issue_labels il join labels l on l.id = il.label_id where il.issue_id = i.id and lower(l.name) = any(${p(wanted.map((x) => x.toLowerCase()))}::text[]))`);
        break;
      }
      case 'assignee':
        make = fixed(`exists (select 1 from issue_assignees a where a.issue_id = i.id and a.user_id = ${user(t.value)})`);
        break;
      case 'author':
        make = fixed(`(i.user_id = ${user(t.value)})`);
        break;
      case 'commenter':
        make = fixed(`exists (select 1 from comments c where c.issue_id = i.id and c.user_id = ${user(t.value)})`);
        break;
      case 'mentions':
      case 'involves': {
        const login = t.value === '@me' ? (g.viewer?.login ?? '') : t.value;
        const pat = p(`%@${escapeLike(login)}%`);
        const mention = `(i.body ilike ${pat} or exists (select 1 from comments c where c.issue_id = i.id and c.body ilike ${pat}))`;
        if (t.key === 'mentions') make = fixed(mention);
        else {
          const id = user(login);
          make = fixed(`(${mention} or i.user_id = ${id} or exists (select 1 from issue_assignees a where a.issue_id = i.id and a.user_id = ${id}) or exists (select 1 from comments c where c.issue_id = i.id and c.user_id = ${id}))`);
        }
        break;
      }
      case 'milestone':
        make = fixed(`exists (select 1 from milestones m where m.id = i.milestone_id and lower(m.title) = lower(${p(t.value)}))`);
        break;
      case 'no': {
        const v = t.value.toLowerCase();
        if (v === 'label') make = fixed('not exists (select 1 from issue_labels il where il.issue_id = i.id)');
        if (v === 'assignee') make = fixed('not exists (select 1 from issue_assignees a where a.issue_id = i.id)');
        if (v === 'milestone') make = fixed('i.milestone_id is null');
        break;
      }
      case 'head':
      case 'base':
        make = fixed(pr(`pr.${t.key}_ref = ${p(t.value)}`));
        break;
      case 'review': {
        const v = t.value.toLowerCase();
        const submitted = "rv.state in ('APPROVED', 'CHANGES_REQUESTED', 'COMMENTED')";
        // The latest approving or change-requesting review of each reviewer decides.
        const decided = (state: string) =>
          `exists (select 1 from pull_reviews rv where rv.issue_id = i.id and rv.state = '${state}' and not exists (select 1 from pull_reviews later where later.issue_id = i.id and later.user_id = rv.user_id and later.id > rv.id and later.state in ('APPROVED', 'CHANGES_REQUESTED')))`;
        if (v === 'none') make = fixed(`(i.is_pull_request and not exists (select 1 from pull_reviews rv where rv.issue_id = i.id and ${submitted}))`);
        else if (v === 'approved') make = fixed(`(${decided('APPROVED')} and not ${decided('CHANGES_REQUESTED')})`);
        else if (v === 'changes_requested') make = fixed(decided('CHANGES_REQUESTED'));
        // review:required needs branch protection, which the clone does not model: nothing matches.
        else if (v === 'required') make = fixed('false');
        break;
      }
      case 'reviewed-by':
        make = fixed(`exists (select 1 from pull_reviews rv where rv.issue_id = i.id and rv.state <> 'PENDING' and rv.user_id = ${user(t.value)})`);
        break;
      case 'review-requested':
        make = fixed(`exists (select 1 from pull_review_requests rr where rr.issue_id = i.id and rr.user_id = ${user(t.value)})`);
        break;
      case 'created':
      case 'updated':
      case 'closed': {
        const c = dateRange(`i.${t.key}_at`, t.value, p);
        make = c ? fixed(c) : word(`${t.key}:${t.value}`);
        break;
      }
      case 'merged': {
        const c = dateRange('pr.merged_at', t.value, p);
        make = c ? fixed(pr(c)) : word(`${t.key}:${t.value}`);
        break;
      }
      case 'comments':
      case 'interactions': {
        const col = t.key === 'comments' ? 'i.comments' : '(i.comments + (select count(*) from reactions x where x.issue_id = i.id))';
        const c = range_(col, t.value);
        make = c ? fixed(c) : word(`${t.key}:${t.value}`);
        break;
      }
      case 'reactions': {
        const c = range_('(select count(*) from reactions x where x.issue_id = i.id)', t.value);
        make = c ? fixed(c) : word(`${t.key}:${t.value}`);
        break;
      }
      case 'in':
        fields = t.value.toLowerCase().split(',').filter((f) => ['title', 'body', 'comments'].includes(f));
        if (!fields.length) fields = ['title', 'body'];
        break;
      default:
        // An unknown qualifier is free text on GitHub.
        make = word(`${t.key}:${t.value}`);
    }
    if (!make) continue;
    const neg = t.neg !== not;
    const m = make;
    pieces.push({ make: neg ? () => `not ${m()}` : m, or });
    not = false;
    or = false;
  }
  const grouped: string[] = [];
  for (const piece of pieces) {
    const c = piece.make();
    if (piece.or && grouped.length) grouped.push(`(${grouped.pop()} or ${c})`);
    else grouped.push(c);
  }
  conds.push(...grouped);
  if (repos.length) {
    // GitHub refuses a repo: qualifier naming something the viewer cannot see.
    for (const full of repos) {
      const [owner, name] = full.split('/');
      const ok = await g.ctx.db.q`select 1 from repos r join users u on u.id = r.owner_id where lower(u.login) = lower(${owner ?? ''}) and lower(r.name) = lower(${name ?? ''})
        and (not r.private or (${seesPrivate(g)} and (r.owner_id = ${g.viewer?.id ?? -1} or r.owner_id = any(${orgs}::int[]))))`;
      if (!ok.length) searchInvalid('The listed users and repositories cannot be searched either because the resources do not exist or you do not have permission to view them.');
    }
  }
  const sort = choice(g.query.sort, ['comments', 'reactions', 'created', 'updated', 'interactions', 'best-match'] as const, 'best-match');
  const order = choice(g.query.order, ['asc', 'desc'] as const, 'desc');
  const reactionCount = '(select count(*) from reactions x where x.issue_id = i.id)';
  const col = sort === 'comments' ? 'i.comments' : sort === 'interactions' ? `(i.comments + ${reactionCount})` : sort === 'updated' ? 'i.updated_at' : sort === 'reactions' ? reactionCount : 'i.created_at';
  const pg = pageOf(g);
  const from = `from issues i join repos r on r.id = i.repo_id join users u on u.id = r.owner_id where ${conds.join(' and ')}`;
  const count = await g.ctx.db.unsafe<{ n: number }>(`select count(*)::int as n ${from}`, params);
  const total = count[0]?.n ?? 0;
  if (pg.offset >= 1000) throw new GitHubError(422, 'Cannot access beyond the first 1000 results, or the endpoint does not exist. Please check the documentation for more information.');
  const rows = await g.ctx.db.unsafe<IssueRow>(`select i.* ${from} order by ${col} ${order}, i.id ${order} limit ${pg.perPage} offset ${pg.offset}`, params);
  const items = (await renderIssues(g, rows, { extra: () => ({ score: 1 }) })).map((i) => {
    // The search item schema types body as a non-nullable string: leave it out when empty.
    if (i.body === null) delete i.body;
    return i;
  });
  // `items` must be the first key after the counts: octokit.paginate takes the first remaining key as the list.
  const reply = listReply(g, pg, { total_count: total, incomplete_results: false, items, search_type: 'lexical' }, Math.min(total, 1000));
  return reply;
}

function requireQ(g: Gh): string {
  const q = str(g.query.q)?.trim();
  if (!q) throw new GitHubError(422, 'Validation Failed', { errors: [{ resource: 'Search', field: 'q', code: 'missing' }] });
  checkLimits(q, parseQuery(q));
  return q;
}

/** `>10`, `>=10`, `<10`, `<=10`, `10..20`, `10..*`, `*..10` or `10` as a SQL condition on `col`. */
function range(col: string, v: string, p: (v: unknown) => string): string | null {
  let m = /^(>=|<=|>|<)(\d+)$/.exec(v);
  if (m) return `${col} ${m[1]} ${p(Number(m[2]))}`;
  m = /^(\d+|\*)\.\.(\d+|\*)$/.exec(v);
  if (m) {
    const parts = [m[1] !== '*' ? `${col} >= ${p(Number(m[1]))}` : null, m[2] !== '*' ? `${col} <= ${p(Number(m[2]))}` : null].filter(Boolean);
    return parts.length ? parts.join(' and ') : 'true';
  }
  if (/^\d+$/.test(v)) return `${col} = ${p(Number(v))}`;
  return null;
}

async function searchPage<T>(g: Gh, from: string, params: unknown[], order: string, select: string, renderRows: (rows: T[]) => Promise<Record<string, unknown>[]>): Promise<Reply> {
  const pg = pageOf(g);
  if (pg.offset >= 1000) throw new GitHubError(422, 'Cannot access beyond the first 1000 results, or the endpoint does not exist. Please check the documentation for more information.');
  const count = await g.ctx.db.unsafe<{ n: number }>(`select count(*)::int as n ${from}`, params);
  const total = count[0]?.n ?? 0;
  const rows = await g.ctx.db.unsafe<T>(`select ${select} ${from} order by ${order} limit ${pg.perPage} offset ${pg.offset}`, params);
  const items = (await renderRows(rows)).map((x) => ({ ...x, score: 1 }));
  return listReply(g, pg, { total_count: total, incomplete_results: false, items }, Math.min(total, 1000));
}

const PRIMARY_LANGUAGE = `(select key from jsonb_each(r.languages) order by (value::text)::numeric desc limit 1)`;

/**
 * GET /search/repositories. Qualifiers: in:name/description/topics (free text matches
 * name, description and topics by default), user:, org:, repo:, is:public/private,
 * is:archived/archived:, language: (the primary language), topic:, stars:, forks:,
 * size:, fork: (no forks here); sort stars/forks/help-wanted-issues/updated, order.
 * Private repositories appear only to their owner and the owning organisation's members.
 */
export async function searchRepos(g: Gh): Promise<Reply> {
  const q = requireQ(g);
  const orgs = await viewerOrgIds(g);
  const params: unknown[] = [g.viewer?.id ?? -1, orgs];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const conds: string[] = [seesPrivate(g) ? '(not r.private or r.owner_id = $1 or r.owner_id = any($2::int[]))' : 'not r.private'];
  const words: string[] = [];
  let fields = ['name', 'description', 'topics'];
  for (const t of parseQuery(q)) {
    const not = t.neg ? 'not ' : '';
    const v = t.value.toLowerCase();
    switch (t.key) {
      case null:
        words.push(t.value);
        break;
      case 'in':
        fields = v.split(',').filter((f) => ['name', 'description', 'topics', 'readme'].includes(f));
        if (!fields.length) fields = ['name', 'description', 'topics'];
        break;
      case 'user':
      case 'org':
        conds.push(`${not}(lower(u.login) = lower(${p(t.value)}))`);
        break;
      case 'repo': {
        const [owner, name] = t.value.split('/');
        conds.push(`${not}(lower(u.login) = lower(${p(owner ?? '')}) and lower(r.name) = lower(${p(name ?? '')}))`);
        break;
      }
      case 'is':
        if (v === 'public' || v === 'private') conds.push(`${not}(r.private = ${v === 'private'})`);
        else if (v === 'archived') conds.push(`${not}r.archived`);
        else if (v === 'template') conds.push(`${not}r.is_template`);
        break;
      case 'archived':
        conds.push(`${not}(r.archived = ${v === 'true'})`);
        break;
      case 'language':
        conds.push(`${not}(lower(coalesce(${PRIMARY_LANGUAGE}, '')) = lower(${p(t.value)}))`);
        break;
      case 'topic':
        conds.push(`${not}(${p(v)} = any(r.topics))`);
        break;
      case 'stars':
      case 'forks':
      case 'size': {
        const col = t.key === 'stars' ? 'r.stargazers_count' : t.key === 'forks' ? 'r.forks_count' : 'r.size';
        const c = range(col, t.value, p);
        if (c) conds.push(`${not}(${c})`);
        break;
      }
      case 'fork':
        if (v === 'only') conds.push('false');
        break;
      default:
        words.push(`${t.key}:${t.value}`);
    }
  }
  for (const w of words) {
    const pat = p(`%${escapeLike(w)}%`);
    const ors = fields.map((f) =>
      f === 'topics' ? `exists (select 1 from unnest(r.topics) t where t ilike ${pat})` : f === 'readme' ? 'false' : `coalesce(r.${f}, '') ilike ${pat}`,
    );
    conds.push(`(${ors.join(' or ')})`);
  }
  const sort = choice(g.query.sort, ['stars', 'forks', 'help-wanted-issues', 'updated', 'best-match'] as const, 'best-match');
  const order = choice(g.query.order, ['asc', 'desc'] as const, 'desc');
  const col =
    sort === 'forks' ? 'r.forks_count'
    : sort === 'updated' ? 'r.updated_at'
    : sort === 'help-wanted-issues' ? `(select count(*) from issues i join issue_labels il on il.issue_id = i.id join labels l on l.id = il.label_id where i.repo_id = r.id and i.state = 'open' and lower(l.name) = 'help wanted')`
    : 'r.stargazers_count';
  const from = `from repos r join users u on u.id = r.owner_id where ${conds.join(' and ')}`;
  return searchPage<RepoRow>(g, from, params, `${col} ${order}, r.id ${order}`, 'r.*', (rows) => renderRepos(g, rows));
}

/**
 * GET /search/users. Qualifiers: in:login/name/email (free text matches all three by
 * default), type:user/org, user:/org: (an exact login), location:, followers:, repos:
 * (public repositories); sort followers/repositories/joined, order.
 */
export async function searchUsers(g: Gh): Promise<Reply> {
  const q = requireQ(g);
  const params: unknown[] = [];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const conds: string[] = [`u.type <> 'Bot'`];
  const words: string[] = [];
  let fields = ['login', 'name', 'email'];
  const followers = '(select count(*) from follows f where f.followee_id = u.id)';
  const repos = '(select count(*) from repos x where x.owner_id = u.id and not x.private)';
  for (const t of parseQuery(q)) {
    const not = t.neg ? 'not ' : '';
    const v = t.value.toLowerCase();
    switch (t.key) {
      case null:
        words.push(t.value);
        break;
      case 'in':
        fields = v.split(',').filter((f) => ['login', 'name', 'email', 'fullname'].includes(f)).map((f) => (f === 'fullname' ? 'name' : f));
        if (!fields.length) fields = ['login', 'name', 'email'];
        break;
      case 'type':
        if (v === 'user' || v === 'org' || v === 'organization') conds.push(`${not}(u.type = ${p(v === 'user' ? 'User' : 'Organization')})`);
        break;
      case 'user':
      case 'org':
        conds.push(`${not}(lower(u.login) = lower(${p(t.value)}))`);
        break;
      case 'location':
        conds.push(`${not}(coalesce(u.location, '') ilike ${p(`%${escapeLike(t.value)}%`)})`);
        break;
      case 'followers':
      case 'repos': {
        const c = range(t.key === 'followers' ? followers : repos, t.value, p);
        if (c) conds.push(`${not}(${c})`);
        break;
      }
      default:
        words.push(`${t.key}:${t.value}`);
    }
  }
  for (const w of words) {
    const pat = p(`%${escapeLike(w)}%`);
    conds.push(`(${fields.map((f) => `coalesce(u.${f}, '') ilike ${pat}`).join(' or ')})`);
  }
  const sort = choice(g.query.sort, ['followers', 'repositories', 'joined', 'best-match'] as const, 'best-match');
  const order = choice(g.query.order, ['asc', 'desc'] as const, 'desc');
  const col = sort === 'followers' ? followers : sort === 'repositories' ? repos : sort === 'joined' ? 'u.created_at' : followers;
  const from = `from users u where ${conds.join(' and ')}`;
  return searchPage<UserRow>(g, from, params, `${col} ${order}, u.id ${sort === 'best-match' ? 'asc' : order}`, 'u.*', async (rows) => rows.map((u) => render.simpleUser(g.base, u)));
}
