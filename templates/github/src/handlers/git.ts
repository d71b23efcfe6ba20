import type { SQL } from 'bun';
import { clockNow } from '../../../_kit/clock.ts';
import { str } from '../../../_kit/http.ts';
import { GitHubError, invalid } from '../errors.ts';
import * as render from '../render.ts';
import { loadRepo } from '../store.ts';
import type { Gh, Repo, Reply, UserRow } from '../types.ts';
import { me, noContent, ok } from './common.ts';

/**
 * The smallest git history pull requests can stand on: commits are flat trees (path → blob
 * sha) with parents; branches point at commits. A branch whose commit was never recorded
 * (fixture packs, repositories created before this table) reads as a root commit with an
 * empty tree. Blob shas are git's (sha1 of "blob <size>\0<bytes>").
 */

export interface CommitRow {
  repo_id: number;
  sha: string;
  parents: string[];
  tree: Record<string, string>;
  message: string;
  author_id: number | null;
  created_at: Date;
}

export type History = Map<string, CommitRow>;

const sha1 = (s: string | Uint8Array) => new Bun.CryptoHasher('sha1').update(s).digest('hex');

export function blobSha(bytes: Uint8Array): string {
  const head = new TextEncoder().encode(`blob ${bytes.length}\0`);
  const all = new Uint8Array(head.length + bytes.length);
  all.set(head);
  all.set(bytes, head.length);
  return sha1(all);
}

export const treeSha = (tree: Record<string, string>): string =>
  sha1(Object.keys(tree).sort().map((p) => `${p}\0${tree[p]}`).join('\n'));

export async function history(sql: SQL, repoId: number): Promise<History> {
  const rows = await sql<CommitRow[]>`select * from commits where repo_id = ${repoId}`;
  return new Map(rows.map((r) => [r.sha, r]));
}

/** A commit of the history, or the placeholder root a recorded branch may point at. */
export function commitOf(h: History, sha: string, repoId: number, when: Date): CommitRow {
  return h.get(sha) ?? { repo_id: repoId, sha, parents: [], tree: {}, message: 'Initial commit', author_id: null, created_at: when };
}

/** Every commit reachable from `sha` (itself included), nearest first. */
export function ancestry(h: History, sha: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  const queue = [sha];
  while (queue.length) {
    const s = queue.shift()!;
    if (seen.has(s)) continue;
    seen.add(s);
    out.push(s);
    for (const p of h.get(s)?.parents ?? []) queue.push(p);
  }
  return out;
}

/** Commits on `head` and not on `base`, oldest first (what a pull request lists). */
export function commitsBetween(h: History, base: string, head: string): string[] {
  const onBase = new Set(ancestry(h, base));
  return ancestry(h, head).filter((s) => !onBase.has(s)).reverse();
}

export function mergeBase(h: History, a: string, b: string): string | null {
  const onA = new Set(ancestry(h, a));
  return ancestry(h, b).find((s) => onA.has(s)) ?? null;
}

export interface FileChange {
  filename: string;
  status: 'added' | 'removed' | 'modified';
  before: string | null;
  after: string | null;
}

export function diffTrees(from: Record<string, string>, to: Record<string, string>): FileChange[] {
  const out: FileChange[] = [];
  for (const p of new Set([...Object.keys(from), ...Object.keys(to)])) {
    const a = from[p] ?? null;
    const b = to[p] ?? null;
    if (a === b) continue;
    out.push({ filename: p, status: a === null ? 'added' : b === null ? 'removed' : 'modified', before: a, after: b });
  }
  return out.sort((x, y) => x.filename.localeCompare(y.filename));
}

/**
 * The tree a three-way merge of `head` into `base` gives, or null when the same path changed
 * differently on both sides since their merge base (a conflict).
 */
export function mergeTrees(h: History, repoId: number, base: string, head: string): Record<string, string> | null {
  const when = new Date(0);
  const mb = mergeBase(h, base, head);
  const ancestor = mb ? commitOf(h, mb, repoId, when).tree : {};
  const ours = commitOf(h, base, repoId, when).tree;
  const theirs = commitOf(h, head, repoId, when).tree;
  const out = { ...ours };
  for (const c of diffTrees(ancestor, theirs)) {
    const mine = ours[c.filename] ?? null;
    if (mine !== c.before && mine !== c.after) return null;
    if (c.after === null) delete out[c.filename];
    else out[c.filename] = c.after;
  }
  return out;
}

export async function writeCommit(sql: SQL, repoId: number, c: { parents: string[]; tree: Record<string, string>; message: string; authorId: number }): Promise<CommitRow> {
  const now = clockNow();
  const sha = sha1(`tree ${treeSha(c.tree)}\n${c.parents.map((p) => `parent ${p}\n`).join('')}author ${c.authorId} ${now.getTime()}\n\n${c.message}\n${crypto.randomUUID()}`);
  const rows = await sql<CommitRow[]>`insert into commits (repo_id, sha, parents, tree, message, author_id, created_at)
    values (${repoId}, ${sha}, ${c.parents}::text[], ${JSON.stringify(c.tree)}::text::jsonb, ${c.message}, ${c.authorId}, ${now}) returning *`;
  await sql`update repos set pushed_at = ${now} where id = ${repoId}`;
  await sql`insert into repo_contributors (repo_id, user_id, contributions) values (${repoId}, ${c.authorId}, 1)
    on conflict (repo_id, user_id) do update set contributions = repo_contributors.contributions + 1`;
  return rows[0]!;
}

export async function storeBlob(sql: SQL, repoId: number, bytes: Uint8Array): Promise<string> {
  const sha = blobSha(bytes);
  await sql`insert into blobs (repo_id, sha, content, size) values (${repoId}, ${sha}, ${Buffer.from(bytes).toString('base64')}, ${bytes.length}) on conflict do nothing`;
  return sha;
}

export async function blobs(sql: SQL, repoId: number, shas: string[]): Promise<Map<string, { content: string; size: number }>> {
  if (!shas.length) return new Map();
  const rows = await sql<{ sha: string; content: string; size: number }[]>`select sha, content, size from blobs where repo_id = ${repoId} and sha = any(${shas}::text[])`;
  return new Map(rows.map((r) => [r.sha, { content: r.content, size: r.size }]));
}

export async function branchSha(sql: SQL, repoId: number, name: string): Promise<string | null> {
  const rows = await sql<{ sha: string }[]>`select sha from branches where repo_id = ${repoId} and name = ${name}`;
  return rows[0]?.sha ?? null;
}

/** The first commit of a repository created with auto_init: a README naming it. */
export async function initialCommit(sql: SQL, repo: { id: number; name: string; description: string | null }, authorId: number): Promise<string> {
  const readme = new TextEncoder().encode(`# ${repo.name}\n${repo.description ? `${repo.description}\n` : ''}`);
  const blob = await storeBlob(sql, repo.id, readme);
  return (await writeCommit(sql, repo.id, { parents: [], tree: { 'README.md': blob }, message: 'Initial commit', authorId })).sha;
}

// --- rendering -------------------------------------------------------------------------

export function gitPerson(u: UserRow | undefined, when: Date): Record<string, unknown> {
  return { name: u?.name ?? u?.login ?? 'unknown', email: u ? `${u.id}+${u.login}@users.noreply.github.com` : 'unknown@users.noreply.github.com', date: render.iso(when) };
}

const UNSIGNED = { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null };

/** A commit as /pulls/{n}/commits and /commits list it. */
export function commitJson(g: Gh, repo: Repo, c: CommitRow, users: Map<number, UserRow>): Record<string, unknown> {
  const full = `${repo.owner.login}/${repo.name}`;
  const api = `${g.base}/repos/${full}`;
  const author = c.author_id ? users.get(c.author_id) : undefined;
  const tsha = treeSha(c.tree);
  return {
    url: `${api}/commits/${c.sha}`,
    sha: c.sha,
    node_id: render.nodeId('Commit', parseInt(c.sha.slice(0, 7), 16)),
    html_url: `${render.htmlBase(g.base)}/${full}/commit/${c.sha}`,
    comments_url: `${api}/commits/${c.sha}/comments`,
    commit: {
      url: `${api}/git/commits/${c.sha}`,
      author: gitPerson(author, c.created_at),
      committer: gitPerson(author, c.created_at),
      message: c.message,
      comment_count: 0,
      tree: { sha: tsha, url: `${api}/git/trees/${tsha}` },
      verification: UNSIGNED,
    },
    author: author ? render.simpleUser(g.base, author) : null,
    committer: author ? render.simpleUser(g.base, author) : null,
    parents: c.parents.map((p) => ({ sha: p, url: `${api}/commits/${p}`, html_url: `${render.htmlBase(g.base)}/${full}/commit/${p}` })),
  };
}

function contentJson(g: Gh, repo: Repo, path: string, sha: string, size: number, ref: string): Record<string, unknown> {
  const full = `${repo.owner.login}/${repo.name}`;
  const api = `${g.base}/repos/${full}`;
  const html = `${render.htmlBase(g.base)}/${full}/blob/${ref}/${path}`;
  const self = `${api}/contents/${path}?ref=${encodeURIComponent(ref)}`;
  return {
    name: path.split('/').pop(),
    path,
    sha,
    size,
    url: self,
    html_url: html,
    git_url: `${api}/git/blobs/${sha}`,
    download_url: `${render.htmlBase(g.base)}/${full}/raw/${ref}/${path}`,
    type: 'file',
    _links: { self, git: `${api}/git/blobs/${sha}`, html },
  };
}

// --- contents --------------------------------------------------------------------------

function filePath(g: Gh): string {
  const p = (g.params.path ?? '').replace(/^\/+|\/+$/g, '');
  if (!p || p.split('/').some((s) => s === '' || s === '.' || s === '..' || s === '.git')) invalid('Content', 'invalid', 'path');
  return p;
}

/** GET /repos/{o}/{r}/contents/{path}: one file at `ref` (default branch), base64 content. */
export async function getContent(g: Gh): Promise<Reply> {
  const repo = await loadRepo(g);
  const path = filePath(g);
  const ref = str(g.query.ref) ?? repo.default_branch;
  const h = await g.ctx.db.run((sql) => history(sql, repo.id));
  const sha = (await g.ctx.db.run((sql) => branchSha(sql, repo.id, ref))) ?? (h.has(ref) ? ref : null);
  if (!sha) throw new GitHubError(404, `No commit found for the ref ${ref}`, { documentationUrl: 'https://docs.github.com/rest/repos/contents#get-repository-content' });
  const blob = commitOf(h, sha, repo.id, repo.created_at).tree[path];
  if (!blob) throw new GitHubError(404, 'Not Found', { documentationUrl: 'https://docs.github.com/rest/repos/contents#get-repository-content' });
  const b = (await g.ctx.db.run((sql) => blobs(sql, repo.id, [blob]))).get(blob)!;
  return ok({ ...contentJson(g, repo, path, blob, b.size, ref), content: b.content.replace(/(.{60})/g, '$1\n'), encoding: 'base64' });
}

/**
 * PUT /repos/{o}/{r}/contents/{path}: a commit on `branch` (default branch) writing one
 * file. Replacing needs the current blob `sha` (422 without it, 409 when it is not the
 * current one); an empty repository gets its default branch from the first file.
 */
export async function putContent(g: Gh): Promise<Reply> {
  const { viewer, repo, path, message, branch } = await contentWrite(g);
  const content = g.body.content;
  if (typeof content !== 'string') invalid('Content', 'missing_field', 'content');
  if (!/^[A-Za-z0-9+/=\s]*$/.test(content)) throw new GitHubError(422, 'content is not valid Base64');
  const bytes = new Uint8Array(Buffer.from(content, 'base64'));
  const given = str(g.body.sha);
  const result = await g.ctx.db.tx(async (tx) => {
    const head = await branchSha(tx, repo.id, branch);
    const anyBranch = await tx`select 1 from branches where repo_id = ${repo.id} limit 1`;
    if (!head && (anyBranch.length || branch !== repo.default_branch)) throw new GitHubError(404, `Branch ${branch} not found`, { documentationUrl: 'https://docs.github.com/rest/repos/contents#create-or-update-file-contents' });
    const h = await history(tx, repo.id);
    const tree = head ? { ...commitOf(h, head, repo.id, repo.created_at).tree } : {};
    const current = tree[path];
    if (current && !given) throw new GitHubError(422, 'Invalid request.\n\n"sha" wasn\'t supplied.', { documentationUrl: 'https://docs.github.com/rest/repos/contents#create-or-update-file-contents' });
    if (given && given !== current) throw new GitHubError(409, `${path} does not match ${given}`, { documentationUrl: 'https://docs.github.com/rest/repos/contents#create-or-update-file-contents' });
    const blob = await storeBlob(tx, repo.id, bytes);
    tree[path] = blob;
    const commit = await writeCommit(tx, repo.id, { parents: head ? [head] : [], tree, message, authorId: viewer.id });
    if (head) await tx`update branches set sha = ${commit.sha} where repo_id = ${repo.id} and name = ${branch}`;
    else await tx`insert into branches (repo_id, name, sha) values (${repo.id}, ${branch}, ${commit.sha})`;
    return { commit, blob, created: !current };
  });
  return {
    status: result.created ? 201 : 200,
    body: { content: contentJson(g, repo, path, result.blob, bytes.length, branch), commit: fileCommitJson(g, repo, result.commit, viewer) },
  };
}

/** What a contents write (PUT or DELETE of a file) checks first: push access, not archived, a path and a message. */
async function contentWrite(g: Gh) {
  const viewer = me(g);
  const repo = await loadRepo(g, 'write');
  if (repo.archived) throw new GitHubError(403, 'Repository was archived so is read-only.');
  const path = filePath(g);
  const message = g.body.message;
  if (typeof message !== 'string' || !message.trim()) invalid('Content', 'missing_field', 'message');
  return { viewer, repo, path, message: message as string, branch: str(g.body.branch) ?? repo.default_branch };
}

/** The `commit` of a contents write's answer: the commit as the git commits API shows it, with the top-level ids. */
function fileCommitJson(g: Gh, repo: Repo, commit: CommitRow, viewer: UserRow): Record<string, unknown> {
  const c = commitJson(g, repo, commit, new Map([[viewer.id, viewer]]));
  const inner = c.commit as Record<string, unknown>;
  return { sha: c.sha, node_id: c.node_id, url: inner.url, html_url: c.html_url, author: inner.author, committer: inner.committer, message: inner.message, tree: inner.tree, parents: c.parents, verification: inner.verification };
}

// --- refs ------------------------------------------------------------------------------

function refJson(g: Gh, repo: Repo, name: string, sha: string): Record<string, unknown> {
  const api = `${g.base}/repos/${repo.owner.login}/${repo.name}`;
  return { ref: `refs/heads/${name}`, node_id: render.nodeId('Ref', repo.id), url: `${api}/git/refs/heads/${name}`, object: { type: 'commit', sha, url: `${api}/git/commits/${sha}` } };
}

/** `heads/<branch>` (the only refs the clone keeps); tags and others are not found. */
function branchOfRef(ref: string): string | null {
  const m = /^(?:refs\/)?heads\/(.+)$/.exec(ref);
  return m ? m[1]! : null;
}

const validBranchName = (n: string) =>
  !/(^[./-])|([./]$)|\.\.|[\s~^:?*[\\]|@\{|\/\/|\.lock$|\/\./.test(n) && n !== '@' && n.length <= 255;

/** POST /repos/{o}/{r}/git/refs: a branch at an existing commit. */
export async function createRef(g: Gh): Promise<Reply> {
  me(g);
  const repo = await loadRepo(g, 'write');
  const ref = str(g.body.ref);
  const sha = str(g.body.sha);
  if (!ref) invalid('Reference', 'missing_field', 'ref');
  if (!sha) invalid('Reference', 'missing_field', 'sha');
  if (!ref.startsWith('refs/') || ref.split('/').length < 3) throw new GitHubError(422, 'Reference name must start with \'refs/\' and have at least two slashes.');
  const name = branchOfRef(ref);
  if (!name || !validBranchName(name)) throw new GitHubError(422, `${ref} is not a valid ref name.`);
  await g.ctx.db.tx(async (sql) => {
    const branches = await sql<{ name: string; sha: string }[]>`select name, sha from branches where repo_id = ${repo.id}`;
    if (!branches.length) throw new GitHubError(409, 'Git Repository is empty.');
    if (branches.some((b) => b.name === name)) throw new GitHubError(422, 'Reference already exists');
    const h = await history(sql, repo.id);
    if (!h.has(sha) && !branches.some((b) => b.sha === sha)) throw new GitHubError(422, 'Object does not exist');
    await sql`insert into branches (repo_id, name, sha) values (${repo.id}, ${name}, ${sha})`;
  });
  return { status: 201, body: refJson(g, repo, name, sha) };
}

/** GET /repos/{o}/{r}/git/ref/{ref}: `heads/<branch>`. */
export async function getRef(g: Gh): Promise<Reply> {
  const repo = await loadRepo(g);
  const name = branchOfRef(g.params.ref ?? '');
  const sha = name ? await g.ctx.db.run((sql) => branchSha(sql, repo.id, name)) : null;
  if (!name || !sha) throw new GitHubError(404, 'Not Found', { documentationUrl: 'https://docs.github.com/rest/git/refs#get-a-reference' });
  return ok(refJson(g, repo, name, sha));
}

/** DELETE /repos/{o}/{r}/git/refs/{ref}: removes a branch (not the default one). */
export async function deleteRef(g: Gh): Promise<Reply> {
  me(g);
  const repo = await loadRepo(g, 'write');
  const name = branchOfRef(g.params.ref ?? '');
  const sha = name ? await g.ctx.db.run((sql) => branchSha(sql, repo.id, name)) : null;
  if (!name || !sha) throw new GitHubError(422, 'Reference does not exist');
  if (name === repo.default_branch) throw new GitHubError(422, 'Cannot delete the default branch');
  await g.ctx.db.q`delete from branches where repo_id = ${repo.id} and name = ${name}`;
  return noContent();
}


/**
 * DELETE /repos/{o}/{r}/contents/{path}: a commit on `branch` removing one file; `sha` must
 * be the file's current blob (422 without it, 409 when stale), the file must be there (404).
 */
export async function deleteContent(g: Gh): Promise<Reply> {
  const { viewer, repo, path, message, branch } = await contentWrite(g);
  const given = str(g.body.sha);
  if (!given) invalid('Content', 'missing_field', 'sha');
  const doc = 'https://docs.github.com/rest/repos/contents#delete-a-file';
  const commit = await g.ctx.db.tx(async (tx) => {
    const head = await branchSha(tx, repo.id, branch);
    if (!head) throw new GitHubError(404, `Branch ${branch} not found`, { documentationUrl: doc });
    const h = await history(tx, repo.id);
    const tree = { ...commitOf(h, head, repo.id, repo.created_at).tree };
    if (!tree[path]) throw new GitHubError(404, 'Not Found', { documentationUrl: doc });
    if (tree[path] !== given) throw new GitHubError(409, `${path} does not match ${given}`, { documentationUrl: doc });
    delete tree[path];
    const c = await writeCommit(tx, repo.id, { parents: [head], tree, message, authorId: viewer.id });
    await tx`update branches set sha = ${c.sha} where repo_id = ${repo.id} and name = ${branch}`;
    return c;
  });
  return ok({ content: null, commit: fileCommitJson(g, repo, commit, viewer) });
}
