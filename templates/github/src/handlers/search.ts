import { str } from '../../../_kit/http.ts';
import { GitHubError } from '../errors.ts';
import { listReply, pageOf } from '../paging.ts';
import * as render from '../render.ts';
import { renderIssues, renderRepos, viewerOrgIds } from '../store.ts';
import type { Gh, IssueRow, Reply, RepoRow, UserRow } from '../types.ts';
import { choice } from './common.ts';

/**
 * GET /search/issues. Qualifiers: repo:, org:, user:, is:open/closed/issue/pr/locked/unlocked,
 * state:, type:, label: (repeatable, AND), -label:, assignee:, author:, mentions:,
 * commenter:, milestone:, no:label/assignee/milestone, in:title/body/comments, and free
 * text (every word must match one of the `in:` fields, title and body by default).
 */

interface Term {
  neg: boolean;
  key: string | null;
  value: string;
}

export function parseQuery(q: string): Term[] {
  const out: Term[] = [];
  const re = /(-?)([A-Za-z_-]+):("([^"]*)"|\S+)|"([^"]*)"|(\S+)/g;
  for (const m of q.matchAll(re)) {
    if (m[2]) out.push({ neg: m[1] === '-', key: m[2].toLowerCase(), value: m[4] ?? m[3] ?? '' });
    else out.push({ neg: false, key: null, value: m[5] ?? m[6] ?? '' });
  }
  return out.filter((t) => t.value !== '');
}

const escapeLike = (s: string) => s.replace(/[%_\\]/g, (c) => `\\${c}`);

export async function searchIssues(g: Gh): Promise<Reply> {
  const q = str(g.query.q)?.trim();
  if (!q) throw new GitHubError(422, 'Validation Failed', { errors: [{ resource: 'Search', field: 'q', code: 'missing' }] });
  const orgs = await viewerOrgIds(g);
  const params: unknown[] = [g.viewer?.id ?? -1, orgs];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const conds: string[] = ['(not r.private or r.owner_id = $1 or r.owner_id = any($2::int[]))', 'r.has_issues'];
  const words: string[] = [];
  let fields = ['title', 'body'];
  const repos: string[] = [];
  for (const t of parseQuery(q)) {
    const not = t.neg ? 'not ' : '';
    const user = (v: string) => `(select id from users where lower(login) = lower(${p(v)}))`;
    switch (t.key) {
      case null:
        words.push(t.value);
        break;
      case 'repo': {
        const [owner, name] = t.value.split('/');
        repos.push(t.value);
        conds.push(`${not}(lower(u.login) = lower(${p(owner ?? '')}) and lower(r.name) = lower(${p(name ?? '')}))`);
        break;
      }
      case 'org':
      case 'user':
        conds.push(`${not}(r.owner_id = ${user(t.value)})`);
        break;
      case 'is':
      case 'state':
      case 'type': {
        const v = t.value.toLowerCase();
        if (v === 'open' || v === 'closed') conds.push(`${not}(i.state = ${p(v)})`);
        else if (v === 'issue') conds.push(`${not}(not i.is_pull_request)`);
        else if (v === 'pr' || v === 'pull-request' || v === 'pull_request') conds.push(`${not}(i.is_pull_request)`);
        else if (v === 'locked' || v === 'unlocked') conds.push(`${not}(i.locked = ${v === 'locked'})`);
        break;
      }
      case 'label':
        conds.push(`${not}exists (select 1 from issue_labels il join labels l on l.id = il.label_id where il.issue_id = i.id and lower(l.name) = lower(${p(t.value)}))`);
        break;
      case 'assignee':
        conds.push(`${not}exists (select 1 from issue_assignees a where a.issue_id = i.id and a.user_id = ${user(t.value)})`);
        break;
      case 'author':
        conds.push(`${not}(i.user_id = ${user(t.value)})`);
        break;
      case 'commenter':
        conds.push(`${not}exists (select 1 from comments c where c.issue_id = i.id and c.user_id = ${user(t.value)})`);
        break;
      case 'mentions': {
        const pat = p(`%@${escapeLike(t.value)}%`);
        conds.push(`${not}(i.body ilike ${pat} or exists (select 1 from comments c where c.issue_id = i.id and c.body ilike ${pat}))`);
        break;
      }
      case 'milestone':
        conds.push(`${not}exists (select 1 from milestones m where m.id = i.milestone_id and lower(m.title) = lower(${p(t.value)}))`);
        break;
      case 'no': {
        const v = t.value.toLowerCase();
        if (v === 'label') conds.push('not exists (select 1 from issue_labels il where il.issue_id = i.id)');
        if (v === 'assignee') conds.push('not exists (select 1 from issue_assignees a where a.issue_id = i.id)');
        if (v === 'milestone') conds.push('i.milestone_id is null');
        break;
      }
      case 'in':
        fields = t.value.toLowerCase().split(',').filter((f) => ['title', 'body', 'comments'].includes(f));
        if (!fields.length) fields = ['title', 'body'];
        break;
      default:
        // An unknown qualifier is free text on GitHub.
        words.push(`${t.key}:${t.value}`);
    }
  }
  for (const w of words) {
    const pat = p(`%${escapeLike(w)}%`);
    const ors = fields.map((f) => (f === 'comments' ? `exists (select 1 from comments c where c.issue_id = i.id and c.body ilike ${pat})` : `i.${f} ilike ${pat}`));
    conds.push(`(${ors.join(' or ')})`);
  }
  if (repos.length) {
    // GitHub refuses a repo: qualifier naming something the viewer cannot see.
    for (const full of repos) {
      const [owner, name] = full.split('/');
      const ok = await g.ctx.db.q`select 1 from repos r join users u on u.id = r.owner_id where lower(u.login) = lower(${owner ?? ''}) and lower(r.name) = lower(${name ?? ''})
        and (not r.private or r.owner_id = ${g.viewer?.id ?? -1} or r.owner_id = any(${orgs}::int[]))`;
      if (!ok.length) {
        throw new GitHubError(422, 'Validation Failed', {
          errors: [{ resource: 'Search', field: 'q', code: 'invalid', message: 'The listed users and repositories cannot be searched either because the resources do not exist or you do not have permission to view them.' }],
        });
      }
    }
  }
  const sort = choice(g.query.sort, ['comments', 'reactions', 'created', 'updated', 'interactions', 'best-match'] as const, 'best-match');
  const order = choice(g.query.order, ['asc', 'desc'] as const, 'desc');
  const col = sort === 'comments' || sort === 'interactions' ? 'i.comments' : sort === 'updated' ? 'i.updated_at' : sort === 'reactions' ? '(select count(*) from reactions x where x.issue_id = i.id)' : 'i.created_at';
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
  const conds: string[] = ['(not r.private or r.owner_id = $1 or r.owner_id = any($2::int[]))'];
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
