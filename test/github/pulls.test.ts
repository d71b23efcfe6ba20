/**
 * Pull requests through @octokit/rest on a spun clone: the git history they stand on
 * (contents, refs), conflicts and mergeability, the three merge methods, review rules, and
 * the pull request as an issue. Every success is checked against GitHub's documented shape.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import type { Octokit } from '@octokit/rest';
import { describeDocker } from '../support/docker.ts';
import { newUser, octokit, schemaErrors, spinGithub, unique, type Clone, type Recorded, answerOf as status } from './helpers.ts';

const b64 = (t: string) => Buffer.from(t).toString('base64');

describeDocker('github pull requests and reviews', () => {
  let clone: Clone;
  let cleanup: () => Promise<void>;
  const rec: Recorded[] = [];
  let bot: Octokit;
  let adminKit: Octokit;
  let strangerKit: Octokit;
  const repo = { owner: 'acme', repo: '' };

  beforeAll(async () => {
    const s = await spinGithub('gh-pulls');
    clone = s.clone;
    cleanup = () => s.h.cleanup();
    bot = octokit(clone, clone.tokens.botToken, rec);
    adminKit = octokit(clone, clone.tokens.userToken, rec);
    const stranger = await newUser(clone, unique('stranger').slice(0, 30));
    strangerKit = octokit(clone, stranger.token, rec);
    repo.owner = clone.tokens.workspaceId;
    repo.repo = unique('prs');
    await bot.rest.repos.createInOrg({ org: repo.owner, name: repo.repo, auto_init: true, description: 'pulls' });
  });
  afterAll(async () => {
    await cleanup?.();
  });

  /** A branch off main with `files` written on it, one commit each. */
  async function branch(name: string, files: Record<string, string>, kit = bot): Promise<void> {
    const main = (await kit.rest.git.getRef({ ...repo, ref: 'heads/main' })).data.object.sha;
    await kit.rest.git.createRef({ ...repo, ref: `refs/heads/${name}`, sha: main });
    for (const [path, text] of Object.entries(files)) {
      const cur = await status(kit.rest.repos.getContent({ ...repo, path, ref: name }));
      await kit.rest.repos.createOrUpdateFileContents({ ...repo, path, branch: name, message: `write ${path}`, content: b64(text), ...(cur.status === 200 ? { sha: cur.data.sha } : {}) });
    }
  }

  test('auto_init writes a real README commit; contents answers 404, 409 and 422 as documented', async () => {
    const readme = (await bot.rest.repos.getContent({ ...repo, path: 'README.md' })).data as { content: string; sha: string };
    expect(Buffer.from(readme.content, 'base64').toString()).toBe(`# ${repo.repo}\npulls\n`);
    // git's blob sha of those bytes.
    const bytes = Buffer.from(`# ${repo.repo}\npulls\n`);
    expect(readme.sha).toBe(new Bun.CryptoHasher('sha1').update(Buffer.concat([Buffer.from(`blob ${bytes.length}\0`), bytes])).digest('hex'));
    expect((await status(bot.rest.repos.createOrUpdateFileContents({ ...repo, path: 'README.md', message: 'x', content: b64('x'), sha: '0'.repeat(40) }))).status).toBe(409);
    expect((await status(bot.rest.repos.createOrUpdateFileContents({ ...repo, path: 'README.md', message: 'x', content: b64('x') }))).status).toBe(422);
    expect((await status(bot.rest.repos.createOrUpdateFileContents({ ...repo, path: 'a.txt', message: 'x', content: b64('x'), branch: 'nope' }))).status).toBe(404);
    expect((await status(bot.rest.repos.createOrUpdateFileContents({ ...repo, path: 'a.txt', content: b64('x') } as never))).status).toBe(422);
    // No push access: the repository is not there for a stranger (private org repos are invisible).
    expect((await status(strangerKit.rest.repos.createOrUpdateFileContents({ ...repo, path: 'a.txt', message: 'x', content: b64('x') }))).status).toBe(404);
    const ref = await status(bot.rest.git.createRef({ ...repo, ref: 'refs/heads/x', sha: 'f'.repeat(40) }));
    expect(ref.status).toBe(422);
    expect(ref.data.message).toBe('Object does not exist');
    expect((await status(bot.rest.git.createRef({ ...repo, ref: 'heads/x', sha: readme.sha }))).status).toBe(422);
  });

  test('a pull request is an issue: shared numbers, pull_request key, in issue lists', async () => {
    const issue = (await bot.rest.issues.create({ ...repo, title: 'plain issue' })).data;
    await branch('shared', { 'one.txt': '1\n' });
    const pr = (await bot.rest.pulls.create({ ...repo, head: 'shared', base: 'main', title: 'shared numbers' })).data;
    expect(pr.number).toBe(issue.number + 1);
    const asIssue = (await bot.rest.issues.get({ ...repo, issue_number: pr.number })).data;
    expect(asIssue.pull_request?.url).toBe(pr.url);
    expect(asIssue.pull_request?.merged_at).toBeNull();
    const listed = (await bot.rest.issues.listForRepo({ ...repo, state: 'all' })).data;
    expect(listed.map((i) => i.number)).toContain(pr.number);
    // GET /pulls/{n} of a plain issue's number is a 404.
    expect((await status(bot.rest.pulls.get({ ...repo, pull_number: issue.number }))).status).toBe(404);
    // head filter takes user:ref; base filters too.
    expect((await bot.rest.pulls.list({ ...repo, head: `${repo.owner}:shared` })).data.map((p) => p.number)).toEqual([pr.number]);
    expect((await bot.rest.pulls.list({ ...repo, head: `${repo.owner}:other` })).data).toEqual([]);
    // Closing through the issues API closes the pull request.
    await bot.rest.issues.update({ ...repo, issue_number: pr.number, state: 'closed' });
    expect((await bot.rest.pulls.get({ ...repo, pull_number: pr.number })).data.state).toBe('closed');
    expect((await bot.rest.pulls.list({ ...repo })).data.some((p) => p.number === pr.number)).toBe(false);
    const merge = await status(bot.rest.pulls.merge({ ...repo, pull_number: pr.number }));
    expect(merge.status).toBe(405);
  });

  test('conflicts make a pull request unmergeable (405); merge commits have two parents', async () => {
    await branch('left', { 'conflict.txt': 'left\n' });
    await branch('right', { 'conflict.txt': 'right\n' });
    const left = (await bot.rest.pulls.create({ ...repo, head: 'left', base: 'main', title: 'left' })).data;
    const right = (await bot.rest.pulls.create({ ...repo, head: 'right', base: 'main', title: 'right' })).data;
    expect((await bot.rest.pulls.get({ ...repo, pull_number: right.number })).data.mergeable).toBe(true);
    const merged = (await bot.rest.pulls.merge({ ...repo, pull_number: left.number, merge_method: 'merge' })).data;
    const commit = (await bot.rest.repos.getBranch({ ...repo, branch: 'main' })).data.commit;
    expect(commit.sha).toBe(merged.sha);
    expect(commit.parents).toHaveLength(2);
    expect(commit.commit.message).toStartWith(`Merge pull request #${left.number} from ${repo.owner}/left`);
    const after = (await bot.rest.pulls.get({ ...repo, pull_number: right.number })).data;
    expect(after.mergeable).toBe(false);
    expect(after.mergeable_state).toBe('dirty');
    const refused = await status(bot.rest.pulls.merge({ ...repo, pull_number: right.number }));
    expect(refused.status).toBe(405);
    expect(refused.data.message).toBe('Pull Request is not mergeable');
    // Merged again: 405 too; check-if-merged is 204; the events say merged and closed.
    expect((await status(bot.rest.pulls.merge({ ...repo, pull_number: left.number }))).status).toBe(405);
    expect((await bot.rest.pulls.checkIfMerged({ ...repo, pull_number: left.number })).status).toBe(204);
    const events = (await bot.rest.issues.listEvents({ ...repo, issue_number: left.number })).data.map((e) => e.event);
    expect(events).toEqual(expect.arrayContaining(['merged', 'closed']));
    expect((await bot.rest.issues.get({ ...repo, issue_number: left.number })).data.pull_request?.merged_at).toBeTruthy();
    // A merged pull request cannot be reopened.
    expect((await status(bot.rest.pulls.update({ ...repo, pull_number: left.number, state: 'open' }))).status).toBe(422);
    // Its commits stay listed after the merge.
    expect((await bot.rest.pulls.listCommits({ ...repo, pull_number: left.number })).data.map((c) => c.commit.message)).toEqual(['write conflict.txt']);
  });

  test('merge methods the repository disallows are 405; delete_branch_on_merge removes the head; drafts cannot merge', async () => {
    await adminKit.rest.repos.update({ ...repo, allow_rebase_merge: false, delete_branch_on_merge: true });
    await branch('tidy', { 'tidy.txt': 'a\n' });
    const pr = (await bot.rest.pulls.create({ ...repo, head: 'tidy', base: 'main', title: 'tidy', draft: true })).data;
    expect(pr.draft).toBe(true);
    expect((await status(bot.rest.pulls.merge({ ...repo, pull_number: pr.number }))).status).toBe(405);
    const rebase = await status(bot.rest.pulls.merge({ ...repo, pull_number: pr.number, merge_method: 'rebase' }));
    expect(rebase.status).toBe(405);
    expect(rebase.data.message).toBe('Rebase merges are not allowed on this repository.');
    expect((await status(bot.rest.pulls.merge({ ...repo, pull_number: pr.number, merge_method: 'octopus' as never }))).status).toBe(422);
    await branch('tidy2', { 'tidy2.txt': 'b\n' });
    const ready = (await bot.rest.pulls.create({ ...repo, head: 'tidy2', base: 'main', title: 'tidy2' })).data;
    await bot.rest.pulls.merge({ ...repo, pull_number: ready.number, merge_method: 'squash' });
    expect((await status(bot.rest.repos.getBranch({ ...repo, branch: 'tidy2' }))).status).toBe(404);
    const events = (await bot.rest.issues.listEvents({ ...repo, issue_number: ready.number })).data.map((e) => e.event);
    expect(events).toContain('head_ref_deleted');
    await adminKit.rest.repos.update({ ...repo, allow_rebase_merge: true, delete_branch_on_merge: false });
  });

  test('reviews: own pull request, body rules, one pending review, pending is private, dismissals', async () => {
    await branch('review-me', { 'r.txt': 'r\n' });
    const pr = { ...repo, pull_number: (await bot.rest.pulls.create({ ...repo, head: 'review-me', base: 'main', title: 'review me' })).data.number };
    const own = await status(bot.rest.pulls.createReview({ ...pr, event: 'REQUEST_CHANGES', body: 'no' }));
    expect(own.status).toBe(422);
    expect(own.data.errors).toEqual(['Can not request changes on your own pull request']);
    expect((await status(adminKit.rest.pulls.createReview({ ...pr, event: 'COMMENT' }))).status).toBe(422);
    const pending = (await adminKit.rest.pulls.createReview({ ...pr, body: 'later' })).data;
    expect(pending.submitted_at).toBeUndefined();
    expect((await status(adminKit.rest.pulls.createReview({ ...pr }))).status).toBe(422);
    // The author does not see the admin's pending review.
    expect((await bot.rest.pulls.listReviews(pr)).data).toEqual([]);
    expect((await status(bot.rest.pulls.getReview({ ...pr, review_id: pending.id }))).status).toBe(404);
    expect((await status(bot.rest.pulls.dismissReview({ ...pr, review_id: pending.id, message: 'x' }))).status).toBe(422);
    const approved = (await adminKit.rest.pulls.submitReview({ ...pr, review_id: pending.id, event: 'APPROVE' })).data;
    expect(approved.state).toBe('APPROVED');
    expect((await status(adminKit.rest.pulls.submitReview({ ...pr, review_id: pending.id, event: 'APPROVE' }))).status).toBe(422);
    const comment = (await adminKit.rest.pulls.createReview({ ...pr, event: 'COMMENT', body: 'nit' })).data;
    const cantDismiss = await status(bot.rest.pulls.dismissReview({ ...pr, review_id: comment.id, message: 'x' }));
    expect(cantDismiss.status).toBe(422);
    expect((await bot.rest.pulls.listReviews(pr)).data.map((r) => r.state)).toEqual(['APPROVED', 'COMMENTED']);
    // Requested reviewers must be collaborators.
    const outsider = await status(bot.rest.pulls.requestReviewers({ ...pr, reviewers: ['octocat-not-here'] }));
    expect(outsider.status).toBe(422);
    // Squash merge writes one commit with main as its only parent.
    const squash = (await bot.rest.pulls.merge({ ...pr, merge_method: 'squash', commit_title: 'Squashed' })).data;
    expect(squash.message).toBe('Pull Request successfully merged');
    const head = (await bot.rest.repos.getBranch({ ...repo, branch: 'main' })).data.commit;
    expect(head.sha).toBe(squash.sha);
    expect(head.parents).toHaveLength(1);
    expect(head.commit.message).toStartWith('Squashed');
    const files = (await bot.rest.pulls.listFiles(pr)).data;
    expect(files.map((f) => [f.filename, f.status])).toEqual([['r.txt', 'added']]);
  });

  test('update-branch merges main into the head (422 when stale, conflicting or up to date); deleteFile checks the sha', async () => {
    await branch('behind', { 'behind.txt': 'b\n', 'shared.txt': 'head\n' });
    const pr = { ...repo, pull_number: (await bot.rest.pulls.create({ ...repo, head: 'behind', base: 'main', title: 'behind' })).data.number };
    expect((await status(bot.rest.pulls.updateBranch(pr))).data.message).toBe('There are no new commits on the base branch.');
    const ahead = (await bot.rest.repos.createOrUpdateFileContents({ ...repo, path: 'ahead.txt', message: 'ahead', content: b64('a\n') })).data;
    expect((await status(bot.rest.pulls.updateBranch({ ...pr, expected_head_sha: ahead.commit.sha! }))).status).toBe(422);
    expect((await bot.rest.pulls.updateBranch(pr)).status).toBe(202);
    expect((await bot.rest.repos.getContent({ ...repo, path: 'ahead.txt', ref: 'behind' })).status).toBe(200);
    await bot.rest.repos.createOrUpdateFileContents({ ...repo, path: 'shared.txt', message: 'clash', content: b64('base\n') });
    expect((await status(bot.rest.pulls.updateBranch(pr))).data.message).toBe('merge conflict between base and head');
    expect((await status(bot.rest.repos.deleteFile({ ...repo, path: 'ahead.txt', message: 'x', sha: '0'.repeat(40) }))).status).toBe(409);
    expect((await status(bot.rest.repos.deleteFile({ ...repo, path: 'ahead.txt', message: 'x' } as never))).status).toBe(422);
    expect((await bot.rest.repos.deleteFile({ ...repo, path: 'ahead.txt', message: 'x', sha: ahead.content!.sha! })).data.content).toBeNull();
    expect((await status(bot.rest.repos.getContent({ ...repo, path: 'ahead.txt' }))).status).toBe(404);
  });

  test('review comments: a line of a changed file on either side; outside the diff is 422; reviewers see them', async () => {
    await branch('commented', { 'c.txt': 'one\ntwo\nthree\n' });
    const pr = { ...repo, pull_number: (await bot.rest.pulls.create({ ...repo, head: 'commented', base: 'main', title: 'commented' })).data.number };
    const head = (await bot.rest.pulls.get(pr)).data.head.sha;
    const range = (await adminKit.rest.pulls.createReviewComment({ ...pr, body: 'these', commit_id: head, path: 'c.txt', start_line: 1, line: 3 })).data;
    expect([range.start_line, range.line, range.side]).toEqual([1, 3, 'RIGHT']);
    const past = await status(adminKit.rest.pulls.createReviewComment({ ...pr, body: 'x', commit_id: head, path: 'c.txt', line: 4 }));
    expect(past.status).toBe(422);
    expect(past.data.errors[0].field).toBe('pull_request_review_thread.line');
    // The base has no c.txt: nothing on the left to comment on.
    expect((await status(adminKit.rest.pulls.createReviewComment({ ...pr, body: 'x', commit_id: head, path: 'c.txt', line: 1, side: 'LEFT' }))).status).toBe(422);
    const file = (await adminKit.rest.pulls.createReviewComment({ ...pr, body: 'whole file', commit_id: head, path: 'c.txt', subject_type: 'file' })).data;
    expect(file.subject_type).toBe('file');
    expect(file.line).toBeUndefined();
    expect((await status(adminKit.rest.pulls.createReviewComment({ ...pr, body: 'x', commit_id: 'f'.repeat(40), path: 'c.txt', line: 1 }))).status).toBe(422);
    expect((await bot.rest.pulls.get(pr)).data.review_comments).toBe(2);
    // Someone else's comment cannot be edited without push access (the repository is public: 403).
    expect((await status(strangerKit.rest.pulls.updateReviewComment({ ...repo, comment_id: range.id, body: 'mine now' }))).status).toBe(403);
    expect((await bot.rest.pulls.listReviews(pr)).data.map((r) => r.state)).toEqual(['COMMENTED', 'COMMENTED']);
  });

  test('every success had GitHub\'s documented shape', () => {
    const bad = rec.filter((r) => r.status < 300).flatMap((r) => schemaErrors(r).map((e) => `${r.key}: ${e}`));
    expect(bad.slice(0, 10)).toEqual([]);
    const keys = new Set(rec.map((r) => r.key));
    for (const k of ['POST /repos/{owner}/{repo}/pulls', 'PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge', 'PUT /repos/{owner}/{repo}/contents/{path}']) expect(keys.has(k)).toBe(true);
  });
});

describeDocker('github issue search: pull request qualifiers, dates, operators and limits', () => {
  let clone: Clone;
  let cleanup: () => Promise<void>;
  let bot: Octokit;
  let adminKit: Octokit;
  const repo = { owner: 'acme', repo: '' };
  let merged = 0;
  let reviewed = 0;
  let plain = 0;
  let bug = 0;

  beforeAll(async () => {
    const s = await spinGithub('gh-prsearch');
    clone = s.clone;
    cleanup = () => s.h.cleanup();
    bot = octokit(clone, clone.tokens.botToken);
    adminKit = octokit(clone, clone.tokens.userToken);
    repo.owner = clone.tokens.workspaceId;
    repo.repo = unique('srch');
    await bot.rest.repos.createInOrg({ org: repo.owner, name: repo.repo, auto_init: true });
    const main = (await bot.rest.git.getRef({ ...repo, ref: 'heads/main' })).data.object.sha;
    for (const b of ['one', 'two']) {
      await bot.rest.git.createRef({ ...repo, ref: `refs/heads/${b}`, sha: main });
      await bot.rest.repos.createOrUpdateFileContents({ ...repo, path: `${b}.txt`, branch: b, message: b, content: b64(b) });
    }
    merged = (await bot.rest.pulls.create({ ...repo, head: 'one', base: 'main', title: 'Merged change' })).data.number;
    await bot.rest.pulls.merge({ ...repo, pull_number: merged });
    reviewed = (await bot.rest.pulls.create({ ...repo, head: 'two', base: 'main', title: 'Reviewed change', draft: true })).data.number;
    await adminKit.rest.pulls.createReview({ ...repo, pull_number: reviewed, event: 'APPROVE' });
    plain = (await bot.rest.issues.create({ ...repo, title: 'Plain issue', labels: ['wip'] })).data.number;
    bug = (await bot.rest.issues.create({ ...repo, title: 'Bug issue', labels: ['bug'] })).data.number;
  });
  afterAll(async () => {
    await cleanup?.();
  });

  const numbers = async (q: string) => (await bot.rest.search.issuesAndPullRequests({ q: `repo:${repo.owner}/${repo.repo} ${q}`, sort: 'created', order: 'asc' })).data.items.map((i) => i.number);

  test('is:pr / is:issue, is:merged / is:unmerged, is:draft, head: and base:', async () => {
    expect(await numbers('is:pr')).toEqual([merged, reviewed]);
    expect(await numbers('is:issue')).toEqual([plain, bug]);
    expect(await numbers('is:merged')).toEqual([merged]);
    expect(await numbers('is:pr is:unmerged')).toEqual([reviewed]);
    expect(await numbers('is:draft')).toEqual([reviewed]);
    expect(await numbers('draft:false')).toEqual([merged]);
    expect(await numbers('head:two')).toEqual([reviewed]);
    expect(await numbers('base:main is:closed')).toEqual([merged]);
  });

  test('review:, reviewed-by:, @me, label OR lists and the AND / OR / NOT operators', async () => {
    expect(await numbers('review:approved')).toEqual([reviewed]);
    expect(await numbers('review:none')).toEqual([merged]);
    expect(await numbers('reviewed-by:asym-admin')).toEqual([reviewed]);
    expect(await numbers('author:@me is:issue')).toEqual([plain, bug]);
    expect(await numbers('label:bug,wip')).toEqual([plain, bug]);
    expect(await numbers('label:bug label:wip')).toEqual([]);
    expect(await numbers('Plain OR Bug')).toEqual([plain, bug]);
    expect(await numbers('is:issue NOT Plain')).toEqual([bug]);
    expect(await numbers('change AND Merged')).toEqual([merged]);
  });

  test('created:, merged: and comments: ranges', async () => {
    // The clone's clock, not the machine's: the day the issues were created on.
    const today = (await bot.rest.issues.get({ ...repo, issue_number: plain })).data.created_at.slice(0, 10);
    expect(await numbers(`created:${today} is:issue`)).toEqual([plain, bug]);
    expect(await numbers('created:<2000-01-01')).toEqual([]);
    expect(await numbers(`merged:>=${today}`)).toEqual([merged]);
    expect(await numbers('created:2000-01-01..* is:pr')).toEqual([merged, reviewed]);
    expect(await numbers('comments:0 is:issue')).toEqual([plain, bug]);
    expect(await numbers('comments:>0')).toEqual([]);
  });

  test('GitHub\'s limits: 256 characters, five operators (422 Validation Failed)', async () => {
    const long = await status(bot.rest.search.issuesAndPullRequests({ q: `repo:${repo.owner}/${repo.repo} ${'x'.repeat(260)}` }));
    expect(long.status).toBe(422);
    expect(long.data.message).toBe('Validation Failed');
    expect(long.data.errors[0].message).toBe('The search is longer than 256 characters.');
    const ops = await status(bot.rest.search.issuesAndPullRequests({ q: 'a OR b OR c OR d OR e OR f OR g' }));
    expect(ops.status).toBe(422);
    expect(ops.data.errors[0].message).toBe('More than five AND / OR / NOT operators were used.');
    expect((await status(bot.rest.search.repos({ q: 'x'.repeat(300) }))).status).toBe(422);
    // Five operators are allowed.
    expect((await status(bot.rest.search.issuesAndPullRequests({ q: 'a OR b OR c OR d OR e OR f' }))).status).toBe(200);
  });
});
