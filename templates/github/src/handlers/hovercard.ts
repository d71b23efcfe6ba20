import { str } from '../../../_kit/http.ts';
import { invalid, notFound } from '../errors.ts';
import { userByLogin } from '../store.ts';
import type { Gh, Reply } from '../types.ts';
import { ok } from './common.ts';
import { repoById } from './codespaces.ts';

/**
 * GET /users/{username}/hovercard: what relates the user to a subject. With `subject_type`
 * and `subject_id`: a repository the user owns or contributed to, an issue or pull request
 * they opened (by its id), an organisation they belong to. Without (or when nothing relates
 * them): the organisations they belong to and where they live. `subject_type` and
 * `subject_id` go together (422 otherwise); a subject the viewer cannot see is a 404.
 */

type Context = { message: string; octicon: string };
const TYPES = ['organization', 'repository', 'issue', 'pull_request'] as const;

export async function get(g: Gh): Promise<Reply> {
  const u = (await userByLogin(g, g.params.username ?? '')) ?? notFound();
  const type = str(g.query.subject_type);
  const id = str(g.query.subject_id);
  if (type !== undefined && !(TYPES as readonly string[]).includes(type)) invalid('Hovercard', 'invalid', 'subject_type', { value: type });
  if ((type === undefined) !== (id === undefined)) invalid('Hovercard', 'missing_field', type === undefined ? 'subject_type' : 'subject_id');
  const contexts: Context[] = type && id ? await about(g, u.id, type, id) : [];
  if (!contexts.length) {
    const orgs = await g.ctx.db.q<{ login: string }>`select o.login from org_members m join users o on o.id = m.org_id where m.user_id = ${u.id} order by o.login`;
    if (orgs.length) contexts.push({ message: `Member of ${orgs.map((o) => `@${o.login}`).join(', ')}`, octicon: 'organization' });
    if (u.location) contexts.push({ message: `Lives in ${u.location}`, octicon: 'location' });
  }
  return ok({ contexts });
}

async function about(g: Gh, userId: number, type: string, id: string): Promise<Context[]> {
  if (type === 'repository') {
    const repo = await repoById(g, id);
    if (repo.owner_id === userId) return [{ message: 'Owns this repository', octicon: 'repo' }];
    const contributed = await g.ctx.db.q`select 1 from repo_contributors where repo_id = ${repo.id} and user_id = ${userId}`;
    return contributed.length ? [{ message: 'Contributed to this repository', octicon: 'repo-push' }] : [];
  }
  if (type === 'organization') {
    if (!/^\d{1,9}$/.test(id)) return notFound();
    const org = (await g.ctx.db.q<{ login: string; member: boolean }>`
      select o.login, exists (select 1 from org_members where org_id = o.id and user_id = ${userId}) as member from users o where o.id = ${Number(id)} and o.type = 'Organization'`)[0] ?? notFound();
    return org.member ? [{ message: `Member of @${org.login}`, octicon: 'organization' }] : [];
  }
  if (!/^\d{1,9}$/.test(id)) return notFound();
  const issue = (await g.ctx.db.q<{ repo_id: number; user_id: number; is_pull_request: boolean }>`select repo_id, user_id, is_pull_request from issues where id = ${Number(id)}`)[0] ?? notFound();
  await repoById(g, issue.repo_id);
  if (issue.is_pull_request !== (type === 'pull_request')) return notFound();
  if (issue.user_id !== userId) return [];
  return [type === 'issue' ? { message: 'Opened this issue', octicon: 'issue-opened' } : { message: 'Opened this pull request', octicon: 'git-pull-request' }];
}
