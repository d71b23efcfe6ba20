import { str } from '../../../_kit/http.ts';
import { GitHubError } from '../errors.ts';
import { listReply, pageOf } from '../paging.ts';
import { renderIssues, viewerOrgIds } from '../store.ts';
import type { Gh, IssueRow, Reply } from '../types.ts';
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
