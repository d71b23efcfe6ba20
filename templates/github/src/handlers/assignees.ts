import { notFound } from '../errors.ts';
import { sliceReply } from '../paging.ts';
import * as render from '../render.ts';
import { issueByNumber, renderIssue } from '../store.ts';
import type { Gh, Reply } from '../types.ts';
import { me, names, noContent, ok } from './common.ts';
import { assignable, issuesRepo, resolveAssignees, setIssueAssignees, touchIssue } from './issue-model.ts';

export async function list(g: Gh): Promise<Reply> {
  const repo = await issuesRepo(g);
  return sliceReply(g, await assignable(g, repo), (u) => render.simpleUser(g.base, u));
}

async function isAssignable(g: Gh): Promise<boolean> {
  const repo = await issuesRepo(g);
  if (g.params.issue_number !== undefined) await issueByNumber(g, repo);
  const login = (g.params.assignee ?? '').toLowerCase();
  return (await assignable(g, repo)).some((u) => u.login.toLowerCase() === login);
}

export async function check(g: Gh): Promise<Reply> {
  return (await isAssignable(g)) ? noContent() : notFound();
}

export const checkForIssue = check;

async function change(g: Gh, mode: 'add' | 'remove'): Promise<Reply> {
  const viewer = me(g);
  const repo = await issuesRepo(g);
  const issue = await issueByNumber(g, repo);
  const logins = names(g.body.assignees, 'login') ?? [];
  // Without push access GitHub ignores the request and returns the issue unchanged.
  if (repo.perms.triage) {
    const current = await g.ctx.db.q<{ login: string }>`select u.login from issue_assignees a join users u on u.id = a.user_id where a.issue_id = ${issue.id}`;
    const lower = new Set(logins.map((l) => l.toLowerCase()));
    const next =
      mode === 'add' ? [...current.map((c) => c.login), ...logins] : current.map((c) => c.login).filter((l) => !lower.has(l.toLowerCase()));
    const users = await resolveAssignees(g, repo, next, false);
    await g.ctx.db.tx(async (tx) => {
      await setIssueAssignees(tx, repo.id, issue.id, viewer.id, users);
      await touchIssue(tx, issue.id);
    });
  }
  const fresh = await issueByNumber(g, repo);
  return { status: mode === 'add' ? 201 : 200, body: await renderIssue(g, repo, fresh) };
}

export const add = (g: Gh) => change(g, 'add');
export const remove = (g: Gh) => change(g, 'remove');
export { ok };
