import type { SQL } from 'bun';
import { clockNow } from '../../../_kit/clock.ts';
import { str } from '../../../_kit/http.ts';
import { GitHubError, checkBodyLength, invalid, notFound, unprocessable } from '../errors.ts';
import { pageOf, listReply, sliceReply } from '../paging.ts';
import * as render from '../render.ts';
import { association, associationSets, fullName, loadRepo, renderIssues, renderRepo, usersByIds } from '../store.ts';
import type { Gh, IssueRow, Repo, Reply, UserRow } from '../types.ts';
import { choice, flag, me, names, noContent, ok } from './common.ts';
import {
  blobs, branchSha, commitJson, commitOf, commitsBetween, diffTrees, history, mergeBase, mergeTrees, writeCommit, type History,
} from './git.ts';
import { guardInteraction } from './guards.ts';
import { addEvent, assignable, type IssueRepo } from './issue-model.ts';

/**
 * Pull requests: an issue (same number sequence, `is_pull_request`) plus a `pulls` row with
 * its head and base branches of the same repository (forks are not modelled). Commits, files
 * and mergeability are computed from the git history of handlers/git.ts; merging writes a
 * commit on the base branch. Reviews and requested reviewers hang off the issue.
 */

interface PullRow {
  issue_id: number;
  repo_id: number;
  head_ref: string;
  head_sha: string;
  base_ref: string;
  base_sha: string;
  draft: boolean;
  maintainer_can_modify: boolean;
  merged_at: Date | null;
  merged_by_id: number | null;
  merge_commit_sha: string | null;
}

type Pull = IssueRow & { pr: PullRow };

const DOC = 'https://docs.github.com/rest/pulls/pulls';

async function pullsRepo(g: Gh, access: 'read' | 'write' = 'read'): Promise<IssueRepo> {
  const repo = await loadRepo(g, access);
  return repo as IssueRepo;
}

export async function pullByNumber(g: Gh, repo: Repo, number = g.params.pull_number): Promise<Pull> {
  const n = Number(number);
  if (!Number.isInteger(n) || n < 1 || n > 2_147_483_647) return notFound();
  const rows = await g.ctx.db.q<IssueRow & { pr: PullRow }>`
    select i.*, row_to_json(p.*) as pr from issues i join pulls p on p.issue_id = i.id where i.repo_id = ${repo.id} and i.number = ${n}`;
  const row = rows[0];
  if (!row) return notFound();
  const pr = row.pr as PullRow & { merged_at: string | Date | null };
  return { ...row, pr: { ...pr, merged_at: pr.merged_at ? new Date(pr.merged_at) : null } };
}

/** Where head and base point now: an open pull request follows its branches. */
async function liveShas(sql: SQL, repo: Repo, p: PullRow, open: boolean): Promise<{ head: string; base: string }> {
  if (!open || p.merged_at) return { head: p.head_sha, base: p.base_sha };
  const [head, base] = await Promise.all([branchSha(sql, repo.id, p.head_ref), branchSha(sql, repo.id, p.base_ref)]);
  return { head: head ?? p.head_sha, base: base ?? p.base_sha };
}

interface Stats {
  commits: number;
  additions: number;
  deletions: number;
  changed_files: number;
  mergeable: boolean | null;
}

const lines = (b64: string | undefined) => (b64 ? Buffer.from(b64, 'base64').toString('utf8').split('\n').filter((l, i, a) => l !== '' || i < a.length - 1) : []);

/** Added and removed lines between two blobs (a multiset difference of their lines). */
function lineDelta(before: string[], after: string[]): { additions: number; deletions: number } {
  const count = new Map<string, number>();
  for (const l of before) count.set(l, (count.get(l) ?? 0) + 1);
  let additions = 0;
  for (const l of after) {
    const n = count.get(l) ?? 0;
    if (n > 0) count.set(l, n - 1);
    else additions++;
  }
  const deletions = [...count.values()].reduce((a, b) => a + b, 0);
  return { additions, deletions };
}

async function fileChanges(sql: SQL, repo: Repo, h: History, base: string, head: string) {
  const mb = mergeBase(h, base, head) ?? base;
  const changes = diffTrees(commitOf(h, mb, repo.id, repo.created_at).tree, commitOf(h, head, repo.id, repo.created_at).tree);
  const contents = await blobs(sql, repo.id, changes.flatMap((c) => [c.before, c.after]).filter((x): x is string => !!x));
  return changes.map((c) => {
    const a = lines(c.before ? contents.get(c.before)?.content : undefined);
    const b = lines(c.after ? contents.get(c.after)?.content : undefined);
    const d = lineDelta(a, b);
    const patch = `@@ -${a.length ? 1 : 0},${a.length} +${b.length ? 1 : 0},${b.length} @@\n${[...a.map((l) => `-${l}`), ...b.map((l) => `+${l}`)].join('\n')}`;
    return { ...c, ...d, patch };
  });
}

async function statsOf(sql: SQL, repo: Repo, p: Pull, shas: { head: string; base: string }): Promise<Stats> {
  const h = await history(sql, repo.id);
  const files = await fileChanges(sql, repo, h, shas.base, shas.head);
  const commits = p.pr.merged_at ? commitsBetween(h, p.pr.base_sha, p.pr.head_sha).length : commitsBetween(h, shas.base, shas.head).length;
  const mergeable = p.pr.merged_at || p.state === 'closed' ? null : mergeTrees(h, repo.id, shas.base, shas.head) !== null;
  return {
    commits,
    additions: files.reduce((n, f) => n + f.additions, 0),
    deletions: files.reduce((n, f) => n + f.deletions, 0),
    changed_files: files.length,
    mergeable,
  };
}

async function renderPulls(g: Gh, repo: IssueRepo, pulls: Pull[], full: boolean): Promise<Record<string, unknown>[]> {
  if (!pulls.length) return [];
  const issues = await renderIssues(g, pulls, { repo });
  const repoJson = await renderRepo(g, repo, false);
  const ids = pulls.map((p) => p.id);
  const requests = await g.ctx.db.q<{ issue_id: number; user_id: number }>`select issue_id, user_id from pull_review_requests where issue_id = any(${ids}::int[]) order by user_id`;
  const people = await usersByIds(g, [...requests.map((r) => r.user_id), ...pulls.map((p) => p.pr.merged_by_id)]);
  const full_ = fullName(repo);
  const api = `${g.base}/repos/${full_}`;
  const html = `${render.htmlBase(g.base)}/${full_}`;
  const out: Record<string, unknown>[] = [];
  for (const [k, p] of pulls.entries()) {
    const ij = issues[k]!;
    const shas = await g.ctx.db.run((sql) => liveShas(sql, repo, p.pr, p.state === 'open'));
    const ref = (name: string, sha: string) => ({ label: `${repo.owner.login}:${name}`, ref: name, sha, user: render.simpleUser(g.base, repo.owner), repo: repoJson });
    const self = `${api}/pulls/${p.number}`;
    const json: Record<string, unknown> = {
      url: self,
      id: p.id,
      node_id: render.nodeId('PullRequest', p.id),
      html_url: `${html}/pull/${p.number}`,
      diff_url: `${html}/pull/${p.number}.diff`,
      patch_url: `${html}/pull/${p.number}.patch`,
      issue_url: `${api}/issues/${p.number}`,
      commits_url: `${self}/commits`,
      review_comments_url: `${self}/comments`,
      review_comment_url: `${api}/pulls/comments{/number}`,
      comments_url: `${api}/issues/${p.number}/comments`,
      statuses_url: `${api}/statuses/${shas.head}`,
      number: p.number,
      state: p.state,
      locked: p.locked,
      title: p.title,
      user: ij.user,
      body: p.body,
      labels: ij.labels,
      milestone: ij.milestone,
      active_lock_reason: p.active_lock_reason,
      created_at: ij.created_at,
      updated_at: ij.updated_at,
      closed_at: ij.closed_at,
      merged_at: render.iso(p.pr.merged_at),
      merge_commit_sha: p.pr.merge_commit_sha,
      assignee: ij.assignee,
      assignees: ij.assignees,
      requested_reviewers: requests.filter((r) => r.issue_id === p.id).map((r) => render.simpleUser(g.base, people.get(r.user_id)!)),
      requested_teams: [],
      head: ref(p.pr.head_ref, shas.head),
      base: ref(p.pr.base_ref, shas.base),
      _links: {
        self: { href: self },
        html: { href: `${html}/pull/${p.number}` },
        issue: { href: `${api}/issues/${p.number}` },
        comments: { href: `${api}/issues/${p.number}/comments` },
        review_comments: { href: `${self}/comments` },
        review_comment: { href: `${api}/pulls/comments{/number}` },
        commits: { href: `${self}/commits` },
        statuses: { href: `${api}/statuses/${shas.head}` },
      },
      author_association: ij.author_association,
      auto_merge: null,
      draft: p.pr.draft,
    };
    if (full) {
      const s = await g.ctx.db.run((sql) => statsOf(sql, repo, p, shas));
      const merger = p.pr.merged_by_id ? people.get(p.pr.merged_by_id) : undefined;
      const [rc] = await g.ctx.db.q<{ n: number }>`select count(*)::int as n from pull_comments where issue_id = ${p.id}`;
      Object.assign(json, {
        merged: p.pr.merged_at !== null,
        mergeable: s.mergeable,
        rebaseable: s.mergeable,
        mergeable_state: p.pr.merged_at || p.state === 'closed' ? 'unknown' : s.mergeable ? (p.pr.draft ? 'draft' : 'clean') : 'dirty',
        merged_by: merger ? render.simpleUser(g.base, merger) : null,
        comments: p.comments,
        review_comments: rc?.n ?? 0,
        maintainer_can_modify: p.pr.maintainer_can_modify,
        commits: s.commits,
        additions: s.additions,
        deletions: s.deletions,
        changed_files: s.changed_files,
      });
    }
    out.push(json);
  }
  return out;
}

export const renderPull = async (g: Gh, repo: IssueRepo, p: Pull) => (await renderPulls(g, repo, [p], true))[0]!;

/** `head` is `branch` or `owner:branch`; the owner must be the repository's (no forks here). */
function headBranch(repo: Repo, head: string): string | null {
  const i = head.indexOf(':');
  if (i < 0) return head;
  return head.slice(0, i).toLowerCase() === repo.owner.login.toLowerCase() ? head.slice(i + 1) : null;
}

export async function list(g: Gh): Promise<Reply> {
  const repo = await pullsRepo(g);
  const params: unknown[] = [repo.id];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const where = ['i.repo_id = $1'];
  const state = choice(g.query.state, ['open', 'closed', 'all'] as const, 'open');
  if (state !== 'all') where.push(`i.state = ${p(state)}`);
  const head = str(g.query.head);
  if (head) {
    const b = head.includes(':') ? headBranch(repo, head) : null;
    // A head without "user:" matches nothing, as GitHub documents the filter by user:ref.
    where.push(b === null ? 'false' : `pr.head_ref = ${p(b)}`);
  }
  const base = str(g.query.base);
  if (base) where.push(`pr.base_ref = ${p(base)}`);
  const sort = choice(g.query.sort, ['created', 'updated', 'popularity', 'long-running'] as const, 'created');
  const direction = choice(g.query.direction, ['asc', 'desc'] as const, sort === 'created' ? 'desc' : 'desc');
  const col = sort === 'created' ? 'i.created_at' : sort === 'updated' ? 'i.updated_at' : sort === 'popularity' ? 'i.comments' : 'i.created_at';
  // long-running: open longest, i.e. oldest first, unless a direction says otherwise.
  const dir = sort === 'long-running' && g.query.direction === undefined ? 'asc' : direction;
  const page = pageOf(g);
  const clause = where.join(' and ');
  const [count, rows] = await Promise.all([
    g.ctx.db.unsafe<{ n: number }>(`select count(*)::int as n from issues i join pulls pr on pr.issue_id = i.id where ${clause}`, params),
    g.ctx.db.unsafe<IssueRow & { pr: PullRow }>(`select i.*, row_to_json(pr.*) as pr from issues i join pulls pr on pr.issue_id = i.id where ${clause} order by ${col} ${dir}, i.id ${dir} limit ${page.perPage} offset ${page.offset}`, params),
  ]);
  const pulls = rows.map((r) => ({ ...r, pr: { ...r.pr, merged_at: r.pr.merged_at ? new Date(r.pr.merged_at) : null } }));
  return listReply(g, page, await renderPulls(g, repo, pulls, false), count[0]?.n ?? 0);
}

export async function create(g: Gh): Promise<Reply> {
  const viewer = me(g);
  const repo = await pullsRepo(g, 'write');
  if (repo.archived) throw new GitHubError(403, 'Repository was archived so is read-only.');
  await guardInteraction(g, repo, 'open a pull request');
  const b = g.body;
  const headRaw = str(b.head);
  const baseRef = str(b.base);
  const issueNumber = b.issue === undefined || b.issue === null ? undefined : Number(b.issue);
  const fail = (e: Record<string, unknown>) => {
    throw new GitHubError(422, 'Validation Failed', { errors: [{ resource: 'PullRequest', ...e } as never], documentationUrl: `${DOC}#create-a-pull-request` });
  };
  if (!headRaw) fail({ code: 'missing_field', field: 'head' });
  if (!baseRef) fail({ code: 'missing_field', field: 'base' });
  let fromIssue: IssueRow | undefined;
  if (issueNumber !== undefined) {
    const rows = Number.isInteger(issueNumber) ? await g.ctx.db.q<IssueRow>`select * from issues where repo_id = ${repo.id} and number = ${issueNumber}` : [];
    if (!rows[0] || rows[0].is_pull_request) fail({ code: 'invalid', field: 'issue' });
    fromIssue = rows[0];
  } else if (typeof b.title !== 'string' || !b.title.trim()) {
    fail({ code: 'missing_field', field: 'title' });
  }
  checkBodyLength('PullRequest', b.body);
  const headRef = headBranch(repo, headRaw!);
  const draft = flag(g, 'draft') ?? false;
  const mcm = flag(g, 'maintainer_can_modify') ?? false;
  const row = await g.ctx.db.tx(async (tx) => {
    const headSha = headRef ? await branchSha(tx, repo.id, headRef) : null;
    if (!headSha) fail({ code: 'invalid', field: 'head' });
    const baseSha = await branchSha(tx, repo.id, baseRef!);
    if (!baseSha) fail({ code: 'invalid', field: 'base' });
    const h = await history(tx, repo.id);
    if (!commitsBetween(h, baseSha!, headSha!).length) fail({ code: 'custom', message: `No commits between ${baseRef} and ${headRaw}` });
    const open = await tx`select 1 from pulls p join issues i on i.id = p.issue_id where p.repo_id = ${repo.id} and p.head_ref = ${headRef} and p.base_ref = ${baseRef} and i.state = 'open'`;
    if (open.length) fail({ code: 'custom', message: `A pull request already exists for ${repo.owner.login}:${headRef}.` });
    let issue: IssueRow | undefined;
    if (fromIssue) {
      [issue] = await tx<IssueRow[]>`update issues set is_pull_request = true, updated_at = now() where id = ${fromIssue.id} returning *`;
    } else {
      [issue] = await tx<IssueRow[]>`
        with num as (update repos set next_number = next_number + 1 where id = ${repo.id} returning next_number - 1 as number)
        insert into issues (repo_id, number, title, body, user_id, is_pull_request)
        select ${repo.id}, num.number, ${String(b.title)}, ${typeof b.body === 'string' ? b.body : null}, ${viewer.id}, true from num returning *`;
    }
    await tx`insert into pulls (issue_id, repo_id, head_ref, head_sha, base_ref, base_sha, draft, maintainer_can_modify)
      values (${issue!.id}, ${repo.id}, ${headRef}, ${headSha}, ${baseRef}, ${baseSha}, ${draft}, ${mcm})`;
    return issue!;
  });
  const pull = await pullByNumber(g, repo, String(row.number));
  return { status: 201, body: await renderPull(g, repo, pull), headers: { location: `${g.base}/repos/${fullName(repo)}/pulls/${row.number}` } };
}

export async function get(g: Gh): Promise<Reply> {
  const repo = await pullsRepo(g);
  return ok(await renderPull(g, repo, await pullByNumber(g, repo)));
}

export async function update(g: Gh): Promise<Reply> {
  const viewer = me(g);
  const repo = await pullsRepo(g);
  const pull = await pullByNumber(g, repo);
  if (!repo.perms.push && pull.user_id !== viewer.id) throw new GitHubError(403, 'Must have push access to update this pull request.');
  const b = g.body;
  const fail = (e: Record<string, unknown>) => {
    throw new GitHubError(422, 'Validation Failed', { errors: [{ resource: 'PullRequest', ...e } as never], documentationUrl: `${DOC}#update-a-pull-request` });
  };
  if (b.title !== undefined && (typeof b.title !== 'string' || !b.title.trim())) fail({ code: 'missing_field', field: 'title' });
  checkBodyLength('PullRequest', b.body);
  const state = b.state === undefined ? undefined : str(b.state);
  if (state !== undefined && state !== 'open' && state !== 'closed') fail({ code: 'invalid', field: 'state' });
  if (state === 'open' && pull.pr.merged_at) fail({ code: 'custom', field: 'state', message: 'state cannot be changed. The pull request has already been merged.' });
  const base = b.base === undefined ? undefined : str(b.base);
  const mcm = flag(g, 'maintainer_can_modify');
  await g.ctx.db.tx(async (tx) => {
    if (base !== undefined && base !== pull.pr.base_ref) {
      if (pull.pr.merged_at) fail({ code: 'custom', field: 'base', message: 'Cannot change the base branch of a merged pull request.' });
      const sha = await branchSha(tx, repo.id, base);
      if (!sha) fail({ code: 'invalid', field: 'base' });
      if (base === pull.pr.head_ref) fail({ code: 'custom', field: 'base', message: `Proposed base branch '${base}' is the same as the head branch.` });
      await tx`update pulls set base_ref = ${base}, base_sha = ${sha} where issue_id = ${pull.id}`;
      await addEvent(tx, repo.id, pull.id, viewer.id, 'base_ref_changed', {});
    }
    if (mcm !== undefined) await tx`update pulls set maintainer_can_modify = ${mcm} where issue_id = ${pull.id}`;
    if (typeof b.title === 'string' && b.title !== pull.title) {
      await tx`update issues set title = ${b.title} where id = ${pull.id}`;
      await addEvent(tx, repo.id, pull.id, viewer.id, 'renamed', { rename: { from: pull.title, to: b.title } });
    }
    if (b.body !== undefined) await tx`update issues set body = ${typeof b.body === 'string' ? b.body : null} where id = ${pull.id}`;
    if (state === 'closed' && pull.state === 'open') {
      await freezeShas(tx, repo, pull);
      await tx`update issues set state = 'closed', closed_at = now(), closed_by_id = ${viewer.id} where id = ${pull.id}`;
      await addEvent(tx, repo.id, pull.id, viewer.id, 'closed', {});
    } else if (state === 'open' && pull.state === 'closed') {
      const head = await branchSha(tx, repo.id, pull.pr.head_ref);
      if (!head) fail({ code: 'custom', field: 'state', message: 'state cannot be changed. The head branch was deleted.' });
      await tx`update issues set state = 'open', closed_at = null, closed_by_id = null where id = ${pull.id}`;
      await addEvent(tx, repo.id, pull.id, viewer.id, 'reopened', {});
    }
    await tx`update issues set updated_at = now() where id = ${pull.id}`;
  });
  return ok(await renderPull(g, repo, await pullByNumber(g, repo)));
}

/** A closed pull request keeps the shas its branches had when it closed. */
async function freezeShas(tx: SQL, repo: Repo, pull: Pull): Promise<void> {
  const shas = await liveShas(tx, repo, pull.pr, true);
  await tx`update pulls set head_sha = ${shas.head}, base_sha = ${shas.base} where issue_id = ${pull.id}`;
}

export async function listCommits(g: Gh): Promise<Reply> {
  const repo = await pullsRepo(g);
  const pull = await pullByNumber(g, repo);
  const shas = await g.ctx.db.run((sql) => liveShas(sql, repo, pull.pr, pull.state === 'open'));
  const h = await g.ctx.db.run((sql) => history(sql, repo.id));
  const base = pull.pr.merged_at ? pull.pr.base_sha : shas.base;
  // At most 250 commits, as GitHub documents.
  const list = commitsBetween(h, base, shas.head).slice(0, 250).map((s) => commitOf(h, s, repo.id, repo.created_at));
  const users = await usersByIds(g, list.map((c) => c.author_id));
  return sliceReply(g, list, (c) => commitJson(g, repo, c, users));
}

export async function listFiles(g: Gh): Promise<Reply> {
  const repo = await pullsRepo(g);
  const pull = await pullByNumber(g, repo);
  const shas = await g.ctx.db.run((sql) => liveShas(sql, repo, pull.pr, pull.state === 'open'));
  const base = pull.pr.merged_at ? pull.pr.base_sha : shas.base;
  const files = await g.ctx.db.run(async (sql) => fileChanges(sql, repo, await history(sql, repo.id), base, shas.head));
  const full = fullName(repo);
  const api = `${g.base}/repos/${full}`;
  const html = `${render.htmlBase(g.base)}/${full}`;
  // At most 3000 files, as GitHub documents.
  return sliceReply(g, files.slice(0, 3000), (f) => ({
    sha: f.after ?? f.before,
    filename: f.filename,
    status: f.status,
    additions: f.additions,
    deletions: f.deletions,
    changes: f.additions + f.deletions,
    blob_url: `${html}/blob/${shas.head}/${f.filename}`,
    raw_url: `${html}/raw/${shas.head}/${f.filename}`,
    contents_url: `${api}/contents/${f.filename}?ref=${shas.head}`,
    patch: f.patch,
  }));
}

export async function checkMerged(g: Gh): Promise<Reply> {
  const repo = await pullsRepo(g);
  const pull = await pullByNumber(g, repo);
  if (!pull.pr.merged_at) return notFound();
  return noContent();
}

const METHODS = ['merge', 'squash', 'rebase'] as const;
const SETTING = { merge: 'allow_merge_commit', squash: 'allow_squash_merge', rebase: 'allow_rebase_merge' } as const;
const DISALLOWED = { merge: 'Merge commits are not allowed on this repository.', squash: 'Squash merges are not allowed on this repository.', rebase: 'Rebase merges are not allowed on this repository.' } as const;

/**
 * PUT /pulls/{n}/merge: 405 when it cannot be merged (closed, merged, draft, conflicting),
 * 409 when `sha` is not the head, 405 when the repository disallows the method. A merge
 * commit has the base and head as parents; squash and rebase write one commit on the base.
 */
export async function merge(g: Gh): Promise<Reply> {
  const viewer = me(g);
  const repo = await pullsRepo(g, 'write');
  const pull = await pullByNumber(g, repo);
  const method = g.body.merge_method === undefined ? 'merge' : str(g.body.merge_method);
  if (!METHODS.includes(method as never)) throw new GitHubError(422, 'Validation Failed', { errors: [{ resource: 'PullRequest', code: 'invalid', field: 'merge_method' }], documentationUrl: `${DOC}#merge-a-pull-request` });
  const m = method as (typeof METHODS)[number];
  const notMergeable = (msg = 'Pull Request is not mergeable') => {
    throw new GitHubError(405, msg, { documentationUrl: `${DOC}#merge-a-pull-request` });
  };
  if (repo.settings[SETTING[m]] === false) notMergeable(DISALLOWED[m]);
  if (pull.pr.merged_at || pull.state === 'closed') notMergeable();
  if (pull.pr.draft) notMergeable('Pull Request is still a draft');
  const result = await g.ctx.db.tx(async (tx) => {
    const shas = await liveShas(tx, repo, pull.pr, true);
    const given = str(g.body.sha);
    if (given && given !== shas.head) throw new GitHubError(409, 'Head branch was modified. Review and try the merge again.', { documentationUrl: `${DOC}#merge-a-pull-request` });
    const h = await history(tx, repo.id);
    const tree = mergeTrees(h, repo.id, shas.base, shas.head);
    if (!tree) notMergeable();
    const commits = commitsBetween(h, shas.base, shas.head).map((s) => commitOf(h, s, repo.id, repo.created_at));
    const title = str(g.body.commit_title) ?? (m === 'squash' ? `${pull.title} (#${pull.number})` : `Merge pull request #${pull.number} from ${repo.owner.login}/${pull.pr.head_ref}`);
    const message = str(g.body.commit_message) ?? (m === 'squash' ? commits.map((c) => `* ${c.message}`).join('\n\n') : pull.title);
    const parents = m === 'merge' ? [shas.base, shas.head] : [shas.base];
    const commit = await writeCommit(tx, repo.id, { parents, tree: tree!, message: m === 'rebase' ? (commits.at(-1)?.message ?? title) : `${title}\n\n${message}`, authorId: viewer.id });
    await tx`update branches set sha = ${commit.sha} where repo_id = ${repo.id} and name = ${pull.pr.base_ref}`;
    await tx`update pulls set merged_at = ${clockNow()}, merged_by_id = ${viewer.id}, merge_commit_sha = ${commit.sha}, head_sha = ${shas.head}, base_sha = ${shas.base} where issue_id = ${pull.id}`;
    await tx`update issues set state = 'closed', closed_at = now(), closed_by_id = ${viewer.id}, updated_at = now() where id = ${pull.id}`;
    await addEvent(tx, repo.id, pull.id, viewer.id, 'merged', { commit_id: commit.sha });
    await addEvent(tx, repo.id, pull.id, viewer.id, 'closed', {});
    if (repo.settings.delete_branch_on_merge === true && pull.pr.head_ref !== repo.default_branch) {
      await tx`delete from branches where repo_id = ${repo.id} and name = ${pull.pr.head_ref}`;
      await addEvent(tx, repo.id, pull.id, viewer.id, 'head_ref_deleted', {});
    }
    return commit.sha;
  });
  return ok({ sha: result, merged: true, message: 'Pull Request successfully merged' });
}

// --- requested reviewers ---------------------------------------------------------------

export async function listRequestedReviewers(g: Gh): Promise<Reply> {
  const repo = await pullsRepo(g);
  const pull = await pullByNumber(g, repo);
  const rows = await g.ctx.db.q<UserRow>`select u.* from pull_review_requests r join users u on u.id = r.user_id where r.issue_id = ${pull.id} order by u.id`;
  return ok({ users: rows.map((u) => render.simpleUser(g.base, u)), teams: [] });
}

async function reviewerLogins(g: Gh, repo: Repo, pull: Pull): Promise<UserRow[]> {
  const logins = names(g.body.reviewers, 'login') ?? [];
  const teams = names(g.body.team_reviewers, 'slug') ?? [];
  if (g.body.reviewers !== undefined && !Array.isArray(g.body.reviewers)) invalid('PullRequest', 'invalid', 'reviewers');
  if (teams.length) unprocessable(`Reviews may only be requested from collaborators. One or more of the teams you specified is not a collaborator of the ${fullName(repo)} repository.`);
  const ok_ = await assignable(g, repo);
  const out: UserRow[] = [];
  for (const login of logins) {
    const u = ok_.find((x) => x.login.toLowerCase() === login.toLowerCase());
    if (!u) unprocessable(`Reviews may only be requested from collaborators. One or more of the users or teams you specified is not a collaborator of the ${fullName(repo)} repository.`);
    if (u!.id === pull.user_id) unprocessable('Review cannot be requested from pull request author.');
    if (!out.some((x) => x.id === u!.id)) out.push(u!);
  }
  return out;
}

export async function requestReviewers(g: Gh): Promise<Reply> {
  const viewer = me(g);
  const repo = await pullsRepo(g, 'write');
  const pull = await pullByNumber(g, repo);
  if (g.body.reviewers === undefined && g.body.team_reviewers === undefined) invalid('PullRequest', 'missing_field', 'reviewers');
  const users = await reviewerLogins(g, repo, pull);
  await g.ctx.db.tx(async (tx) => {
    for (const u of users) {
      const added = await tx`insert into pull_review_requests (issue_id, user_id) values (${pull.id}, ${u.id}) on conflict do nothing returning user_id`;
      if (added.length) await addEvent(tx, repo.id, pull.id, viewer.id, 'review_requested', { requested_reviewer_id: u.id });
    }
  });
  return { status: 201, body: (await renderPulls(g, repo, [await pullByNumber(g, repo)], false))[0] };
}

export async function removeRequestedReviewers(g: Gh): Promise<Reply> {
  const viewer = me(g);
  const repo = await pullsRepo(g, 'write');
  const pull = await pullByNumber(g, repo);
  if (!Array.isArray(g.body.reviewers)) invalid('PullRequest', 'missing_field', 'reviewers');
  const logins = names(g.body.reviewers, 'login') ?? [];
  await g.ctx.db.tx(async (tx) => {
    for (const login of logins) {
      const gone = await tx`delete from pull_review_requests where issue_id = ${pull.id} and user_id = (select id from users where lower(login) = lower(${login})) returning user_id`;
      if (gone.length) await addEvent(tx, repo.id, pull.id, viewer.id, 'review_request_removed', { requested_reviewer_id: gone[0]!.user_id });
    }
  });
  return ok((await renderPulls(g, repo, [await pullByNumber(g, repo)], false))[0]);
}

// --- reviews ---------------------------------------------------------------------------

interface ReviewRow {
  id: number;
  issue_id: number;
  user_id: number;
  body: string;
  state: 'PENDING' | 'COMMENTED' | 'APPROVED' | 'CHANGES_REQUESTED' | 'DISMISSED';
  commit_id: string;
  submitted_at: Date | null;
}

const EVENTS = { APPROVE: 'APPROVED', REQUEST_CHANGES: 'CHANGES_REQUESTED', COMMENT: 'COMMENTED' } as const;
type ReviewEvent = keyof typeof EVENTS;

async function renderReviews(g: Gh, repo: Repo, pull: Pull, rows: ReviewRow[]): Promise<Record<string, unknown>[]> {
  const users = await usersByIds(g, rows.map((r) => r.user_id));
  const { members, contributors } = await associationSets(g, [repo.id]);
  const full = fullName(repo);
  const html = `${render.htmlBase(g.base)}/${full}/pull/${pull.number}`;
  const prUrl = `${g.base}/repos/${full}/pulls/${pull.number}`;
  return rows.map((r) => ({
    id: r.id,
    node_id: render.nodeId('PullRequestReview', r.id),
    user: render.simpleUser(g.base, users.get(r.user_id)!),
    body: r.body,
    state: r.state,
    html_url: `${html}#pullrequestreview-${r.id}`,
    pull_request_url: prUrl,
    _links: { html: { href: `${html}#pullrequestreview-${r.id}` }, pull_request: { href: prUrl } },
    ...(r.submitted_at ? { submitted_at: render.iso(r.submitted_at) } : {}),
    commit_id: r.commit_id,
    author_association: association(repo, r.user_id, members.get(repo.id) ?? new Set(), contributors.get(repo.id) ?? new Set()),
  }));
}

const renderReview = async (g: Gh, repo: Repo, pull: Pull, r: ReviewRow) => (await renderReviews(g, repo, pull, [r]))[0]!;

async function reviewById(g: Gh, pull: Pull): Promise<ReviewRow> {
  const id = Number(g.params.review_id);
  const rows = Number.isInteger(id) && id > 0 && id < 2_147_483_648 ? await g.ctx.db.q<ReviewRow>`select * from pull_reviews where id = ${id} and issue_id = ${pull.id}` : [];
  return rows[0] ?? notFound();
}

/** The checks GitHub makes of a review's event: own pull request, a body where needed. */
function checkEvent(g: Gh, pull: Pull, event: ReviewEvent, body: string): void {
  const viewer = g.viewer!;
  if (pull.user_id === viewer.id && event === 'APPROVE') unprocessable('Can not approve your own pull request');
  if (pull.user_id === viewer.id && event === 'REQUEST_CHANGES') unprocessable('Can not request changes on your own pull request');
  if (event !== 'APPROVE' && !body.trim()) unprocessable(`Body is required when using ${event} event`);
}

function eventOf(v: unknown, required: boolean): ReviewEvent | undefined {
  if (v === undefined || v === null || v === '') {
    if (required) unprocessable('Unrecognizable entity: event is required');
    return undefined;
  }
  if (typeof v !== 'string' || !(v in EVENTS)) invalid('PullRequestReview', 'invalid', 'event');
  return v as ReviewEvent;
}

async function submitted(tx: SQL, repo: Repo, pull: Pull, reviewerId: number, state: string): Promise<void> {
  await tx`delete from pull_review_requests where issue_id = ${pull.id} and user_id = ${reviewerId}`;
  await addEvent(tx, repo.id, pull.id, reviewerId, 'reviewed', { state: state.toLowerCase() });
  await tx`update issues set updated_at = now() where id = ${pull.id}`;
}

export async function listReviews(g: Gh): Promise<Reply> {
  const repo = await pullsRepo(g);
  const pull = await pullByNumber(g, repo);
  const viewerId = g.viewer?.id ?? 0;
  // A pending review is seen only by its author.
  const rows = await g.ctx.db.q<ReviewRow>`select * from pull_reviews where issue_id = ${pull.id} and (state <> 'PENDING' or user_id = ${viewerId}) order by id`;
  const p = pageOf(g);
  return listReply(g, p, await renderReviews(g, repo, pull, rows.slice(p.offset, p.offset + p.perPage)), rows.length);
}

export async function createReview(g: Gh): Promise<Reply> {
  const viewer = me(g);
  const repo = await pullsRepo(g);
  const pull = await pullByNumber(g, repo);
  const event = eventOf(g.body.event, false);
  const body = typeof g.body.body === 'string' ? g.body.body : '';
  checkBodyLength('PullRequestReview', body);
  if (event) checkEvent(g, pull, event, body);
  if (pull.state === 'closed' && event === 'APPROVE') unprocessable('Can not approve a closed pull request');
  const shas = await g.ctx.db.run((sql) => liveShas(sql, repo, pull.pr, pull.state === 'open'));
  const commitId = str(g.body.commit_id) ?? shas.head;
  const row = await g.ctx.db.tx(async (tx) => {
    if (commitId !== shas.head) {
      const h = await history(tx, repo.id);
      if (!h.has(commitId)) invalid('PullRequestReview', 'invalid', 'commit_id');
    }
    if (!event) {
      const pending = await tx`select 1 from pull_reviews where issue_id = ${pull.id} and user_id = ${viewer.id} and state = 'PENDING'`;
      if (pending.length) unprocessable('User can only have one pending review per pull request');
    }
    const state = event ? EVENTS[event] : 'PENDING';
    const [r] = await tx<ReviewRow[]>`insert into pull_reviews (issue_id, user_id, body, state, commit_id, submitted_at)
      values (${pull.id}, ${viewer.id}, ${body}, ${state}, ${commitId}, ${event ? clockNow() : null}) returning *`;
    if (event) await submitted(tx, repo, pull, viewer.id, state);
    return r!;
  });
  return ok(await renderReview(g, repo, pull, row));
}

export async function getReview(g: Gh): Promise<Reply> {
  const repo = await pullsRepo(g);
  const pull = await pullByNumber(g, repo);
  const r = await reviewById(g, pull);
  if (r.state === 'PENDING' && r.user_id !== g.viewer?.id) return notFound();
  return ok(await renderReview(g, repo, pull, r));
}

export async function updateReview(g: Gh): Promise<Reply> {
  const viewer = me(g);
  const repo = await pullsRepo(g);
  const pull = await pullByNumber(g, repo);
  const r = await reviewById(g, pull);
  if (r.user_id !== viewer.id) return notFound();
  if (typeof g.body.body !== 'string') invalid('PullRequestReview', 'missing_field', 'body');
  checkBodyLength('PullRequestReview', g.body.body);
  const [row] = await g.ctx.db.q<ReviewRow>`update pull_reviews set body = ${g.body.body} where id = ${r.id} returning *`;
  return ok(await renderReview(g, repo, pull, row!));
}

export async function deletePendingReview(g: Gh): Promise<Reply> {
  const viewer = me(g);
  const repo = await pullsRepo(g);
  const pull = await pullByNumber(g, repo);
  const r = await reviewById(g, pull);
  if (r.user_id !== viewer.id) return notFound();
  if (r.state !== 'PENDING') unprocessable('Can not delete a non-pending pull request review');
  await g.ctx.db.q`delete from pull_reviews where id = ${r.id}`;
  return ok(await renderReview(g, repo, pull, r));
}

export async function submitReview(g: Gh): Promise<Reply> {
  const viewer = me(g);
  const repo = await pullsRepo(g);
  const pull = await pullByNumber(g, repo);
  const r = await reviewById(g, pull);
  if (r.user_id !== viewer.id) return notFound();
  const event = eventOf(g.body.event, true)!;
  if (r.state !== 'PENDING') unprocessable('Can not submit a non-pending pull request review');
  const body = typeof g.body.body === 'string' ? g.body.body : r.body;
  checkEvent(g, pull, event, body);
  const row = await g.ctx.db.tx(async (tx) => {
    const [x] = await tx<ReviewRow[]>`update pull_reviews set state = ${EVENTS[event]}, body = ${body}, submitted_at = ${clockNow()} where id = ${r.id} returning *`;
    await submitted(tx, repo, pull, viewer.id, EVENTS[event]);
    return x!;
  });
  return ok(await renderReview(g, repo, pull, row));
}

export async function dismissReview(g: Gh): Promise<Reply> {
  const viewer = me(g);
  const repo = await pullsRepo(g, 'write');
  const pull = await pullByNumber(g, repo);
  const r = await reviewById(g, pull);
  const message = g.body.message;
  if (typeof message !== 'string' || !message.trim()) invalid('PullRequestReview', 'missing_field', 'message');
  if (g.body.event !== undefined && g.body.event !== 'DISMISS') invalid('PullRequestReview', 'invalid', 'event');
  if (r.state === 'PENDING') unprocessable('Can not dismiss a pending pull request review');
  if (r.state === 'COMMENTED') unprocessable('Can not dismiss a commented pull request review');
  const row = await g.ctx.db.tx(async (tx) => {
    const [x] = await tx<ReviewRow[]>`update pull_reviews set state = 'DISMISSED' where id = ${r.id} returning *`;
    await addEvent(tx, repo.id, pull.id, viewer.id, 'review_dismissed', { dismissed_review: { state: r.state.toLowerCase(), review_id: r.id, dismissal_message: message } });
    return x!;
  });
  return ok(await renderReview(g, repo, pull, row));
}


/**
 * PUT /pulls/{n}/update-branch: merges the base into the head branch (a merge commit on the
 * head). 422 when `expected_head_sha` is not the head, when the base has nothing new, or
 * when the two conflict; 202 with GitHub's message otherwise.
 */
export async function updateBranch(g: Gh): Promise<Reply> {
  const viewer = me(g);
  const repo = await pullsRepo(g, 'write');
  const pull = await pullByNumber(g, repo);
  const doc = `${DOC}#update-a-pull-request-branch`;
  if (pull.state !== 'open') throw new GitHubError(422, 'Pull request is closed.', { documentationUrl: doc });
  await g.ctx.db.tx(async (tx) => {
    const shas = await liveShas(tx, repo, pull.pr, true);
    const expected = str(g.body?.expected_head_sha);
    if (expected && expected !== shas.head) throw new GitHubError(422, 'expected head sha didn’t match current head ref.', { documentationUrl: doc });
    const h = await history(tx, repo.id);
    if (!commitsBetween(h, shas.head, shas.base).length) throw new GitHubError(422, 'There are no new commits on the base branch.', { documentationUrl: doc });
    const tree = mergeTrees(h, repo.id, shas.head, shas.base);
    if (!tree) throw new GitHubError(422, 'merge conflict between base and head', { documentationUrl: doc });
    const c = await writeCommit(tx, repo.id, { parents: [shas.head, shas.base], tree, message: `Merge branch '${pull.pr.base_ref}' into ${pull.pr.head_ref}`, authorId: viewer.id });
    await tx`update branches set sha = ${c.sha} where repo_id = ${repo.id} and name = ${pull.pr.head_ref}`;
  });
  return { status: 202, body: { message: 'Updating pull request branch.', url: `${render.htmlBase(g.base)}/${fullName(repo)}/pull/${pull.number}` } };
}

// --- review comments -------------------------------------------------------------------

interface ReviewCommentRow {
  id: number;
  repo_id: number;
  issue_id: number;
  review_id: number | null;
  user_id: number;
  body: string;
  path: string;
  line: number | null;
  side: 'LEFT' | 'RIGHT';
  start_line: number | null;
  subject_type: 'line' | 'file';
  commit_id: string;
  in_reply_to_id: number | null;
  created_at: Date;
  updated_at: Date;
  number: number;
}

async function renderReviewComments(g: Gh, repo: Repo, rows: ReviewCommentRow[]): Promise<Record<string, unknown>[]> {
  const users = await usersByIds(g, rows.map((r) => r.user_id));
  const { members, contributors } = await associationSets(g, [repo.id]);
  const full = fullName(repo);
  const api = `${g.base}/repos/${full}`;
  const html = `${render.htmlBase(g.base)}/${full}`;
  return rows.map((c) => {
    const self = `${api}/pulls/comments/${c.id}`;
    const page = `${html}/pull/${c.number}#discussion_r${c.id}`;
    const prUrl = `${api}/pulls/${c.number}`;
    return {
      url: self,
      pull_request_review_id: c.review_id,
      id: c.id,
      node_id: render.nodeId('PullRequestReviewComment', c.id),
      diff_hunk: c.line ? `@@ -${c.side === 'LEFT' ? c.line : 0} +${c.side === 'RIGHT' ? c.line : 0} @@` : '',
      path: c.path,
      // A comment on the whole file has no line: the keys are left out (the schema does not allow null).
      ...(c.line !== null ? { position: c.line, original_position: c.line } : {}),
      commit_id: c.commit_id,
      original_commit_id: c.commit_id,
      ...(c.in_reply_to_id ? { in_reply_to_id: c.in_reply_to_id } : {}),
      user: render.simpleUser(g.base, users.get(c.user_id)!),
      body: c.body,
      created_at: render.iso(c.created_at),
      updated_at: render.iso(c.updated_at),
      html_url: page,
      pull_request_url: prUrl,
      author_association: association(repo, c.user_id, members.get(repo.id) ?? new Set(), contributors.get(repo.id) ?? new Set()),
      _links: { self: { href: self }, html: { href: page }, pull_request: { href: prUrl } },
      start_line: c.start_line,
      original_start_line: c.start_line,
      start_side: c.start_line ? c.side : null,
      ...(c.line !== null ? { line: c.line, original_line: c.line } : {}),
      side: c.side,
      subject_type: c.subject_type,
    };
  });
}

const COMMENT_COLS = 'pc.*, i.number';

async function reviewCommentById(g: Gh, repo: Repo, id = g.params.comment_id): Promise<ReviewCommentRow> {
  const n = Number(id);
  const rows = Number.isInteger(n) && n > 0 && n < 2_147_483_648
    ? await g.ctx.db.unsafe<ReviewCommentRow>(`select ${COMMENT_COLS} from pull_comments pc join issues i on i.id = pc.issue_id where pc.repo_id = $1 and pc.id = $2`, [repo.id, n])
    : [];
  return rows[0] ?? notFound();
}

function threadInvalid(field: string, message: string): never {
  throw new GitHubError(422, 'Validation Failed', { errors: [{ resource: 'PullRequestReviewComment', code: 'custom', field, message }], documentationUrl: `${DOC.replace('/pulls', '/comments')}#create-a-review-comment-for-a-pull-request` });
}

/** A new comment on `path` (a file the pull request changes) at `line` of the side's version of it. */
async function insertReviewComment(g: Gh, repo: IssueRepo, pull: Pull, reply?: ReviewCommentRow): Promise<ReviewCommentRow> {
  const viewer = me(g);
  const b = g.body;
  if (typeof b.body !== 'string' || !b.body.trim()) invalid('PullRequestReviewComment', 'missing_field', 'body');
  checkBodyLength('PullRequestReviewComment', b.body);
  await guardInteraction(g, repo, 'comment', pull.user_id);
  return g.ctx.db.tx(async (tx) => {
    let fields: Pick<ReviewCommentRow, 'path' | 'line' | 'side' | 'start_line' | 'subject_type' | 'commit_id'>;
    if (reply) {
      fields = { path: reply.path, line: reply.line, side: reply.side, start_line: reply.start_line, subject_type: reply.subject_type, commit_id: reply.commit_id };
    } else {
      const commitId = str(b.commit_id);
      const path = str(b.path);
      if (!commitId) invalid('PullRequestReviewComment', 'missing_field', 'commit_id');
      if (!path) invalid('PullRequestReviewComment', 'missing_field', 'path');
      const h = await history(tx, repo.id);
      if (!h.has(commitId!)) invalid('PullRequestReviewComment', 'invalid', 'commit_id');
      const shas = await liveShas(tx, repo, pull.pr, pull.state === 'open');
      const files = await fileChanges(tx, repo, h, pull.pr.merged_at ? pull.pr.base_sha : shas.base, shas.head);
      const file = files.find((f) => f.filename === path);
      if (!file) threadInvalid('pull_request_review_thread.path', 'could not be resolved');
      const subject = b.subject_type === 'file' ? 'file' : 'line';
      const side = b.side === 'LEFT' ? 'LEFT' : 'RIGHT';
      if (b.side !== undefined && b.side !== 'LEFT' && b.side !== 'RIGHT') invalid('PullRequestReviewComment', 'invalid', 'side');
      let line: number | null = null;
      let start: number | null = null;
      if (subject === 'line') {
        line = Number(b.line ?? b.position);
        const blob = side === 'RIGHT' ? file!.after : file!.before;
        const text = blob ? (await blobs(tx, repo.id, [blob])).get(blob)?.content : undefined;
        const count = lines(text).length;
        if (!Number.isInteger(line) || line < 1 || line > count) threadInvalid('pull_request_review_thread.line', 'must be part of the diff');
        if (b.start_line !== undefined && b.start_line !== null) {
          start = Number(b.start_line);
          if (!Number.isInteger(start) || start < 1 || start >= line) threadInvalid('pull_request_review_thread.start_line', 'must precede the end line');
        }
      }
      fields = { path: path!, line, side, start_line: start, subject_type: subject, commit_id: commitId! };
    }
    // A comment outside a review makes a commented review of its own, as on GitHub.
    const [review] = await tx<{ id: number }[]>`insert into pull_reviews (issue_id, user_id, body, state, commit_id, submitted_at)
      values (${pull.id}, ${viewer.id}, '', 'COMMENTED', ${fields.commit_id}, ${clockNow()}) returning id`;
    const [row] = await tx<ReviewCommentRow[]>`insert into pull_comments (repo_id, issue_id, review_id, user_id, body, path, line, side, start_line, subject_type, commit_id, in_reply_to_id)
      values (${repo.id}, ${pull.id}, ${review!.id}, ${viewer.id}, ${b.body as string}, ${fields.path}, ${fields.line}, ${fields.side}, ${fields.start_line}, ${fields.subject_type}, ${fields.commit_id}, ${reply?.id ?? null})
      returning *, ${pull.number}::int as number`;
    await tx`update issues set updated_at = now() where id = ${pull.id}`;
    return row!;
  });
}

export async function createReviewComment(g: Gh): Promise<Reply> {
  const repo = await pullsRepo(g);
  const pull = await pullByNumber(g, repo);
  const replyTo = g.body.in_reply_to === undefined ? undefined : await reviewCommentById(g, repo, String(g.body.in_reply_to));
  const row = await insertReviewComment(g, repo, pull, replyTo);
  return { status: 201, body: (await renderReviewComments(g, repo, [row]))[0] };
}

export async function createReplyForReviewComment(g: Gh): Promise<Reply> {
  const repo = await pullsRepo(g);
  const pull = await pullByNumber(g, repo);
  const parent = await reviewCommentById(g, repo);
  if (parent.issue_id !== pull.id) return notFound();
  const row = await insertReviewComment(g, repo, pull, parent);
  return { status: 201, body: (await renderReviewComments(g, repo, [row]))[0] };
}

async function listComments(g: Gh, repo: Repo, where: string, params: unknown[]): Promise<Reply> {
  const sort = choice(g.query.sort, ['created', 'updated'] as const, 'created');
  const direction = choice(g.query.direction, ['asc', 'desc'] as const, 'asc');
  const since = str(g.query.since);
  if (since) {
    params.push(new Date(since));
    where += ` and pc.updated_at >= $${params.length}`;
  }
  const page = pageOf(g);
  const [count, rows] = await Promise.all([
    g.ctx.db.unsafe<{ n: number }>(`select count(*)::int as n from pull_comments pc where ${where}`, params),
    g.ctx.db.unsafe<ReviewCommentRow>(`select ${COMMENT_COLS} from pull_comments pc join issues i on i.id = pc.issue_id where ${where} order by pc.${sort}_at ${direction}, pc.id ${direction} limit ${page.perPage} offset ${page.offset}`, params),
  ]);
  return listReply(g, page, await renderReviewComments(g, repo, rows), count[0]?.n ?? 0);
}

export async function listReviewComments(g: Gh): Promise<Reply> {
  const repo = await pullsRepo(g);
  const pull = await pullByNumber(g, repo);
  return listComments(g, repo, 'pc.issue_id = $1', [pull.id]);
}

export async function listReviewCommentsForRepo(g: Gh): Promise<Reply> {
  const repo = await pullsRepo(g);
  return listComments(g, repo, 'pc.repo_id = $1', [repo.id]);
}

export async function listCommentsForReview(g: Gh): Promise<Reply> {
  const repo = await pullsRepo(g);
  const pull = await pullByNumber(g, repo);
  const review = await reviewById(g, pull);
  return listComments(g, repo, 'pc.review_id = $1', [review.id]);
}

export async function getReviewComment(g: Gh): Promise<Reply> {
  const repo = await pullsRepo(g);
  return ok((await renderReviewComments(g, repo, [await reviewCommentById(g, repo)]))[0]);
}

export async function updateReviewComment(g: Gh): Promise<Reply> {
  const viewer = me(g);
  const repo = await pullsRepo(g);
  const c = await reviewCommentById(g, repo);
  if (c.user_id !== viewer.id && !repo.perms.push) throw new GitHubError(403, 'Must have push access to update this comment.');
  if (typeof g.body.body !== 'string' || !g.body.body.trim()) invalid('PullRequestReviewComment', 'missing_field', 'body');
  checkBodyLength('PullRequestReviewComment', g.body.body);
  const [row] = await g.ctx.db.q<ReviewCommentRow>`update pull_comments set body = ${g.body.body}, updated_at = now() where id = ${c.id} returning *, ${c.number}::int as number`;
  return ok((await renderReviewComments(g, repo, [row!]))[0]);
}

export async function deleteReviewComment(g: Gh): Promise<Reply> {
  const viewer = me(g);
  const repo = await pullsRepo(g);
  const c = await reviewCommentById(g, repo);
  if (c.user_id !== viewer.id && !repo.perms.push) throw new GitHubError(403, 'Must have push access to delete this comment.');
  await g.ctx.db.q`delete from pull_comments where id = ${c.id}`;
  return noContent();
}
