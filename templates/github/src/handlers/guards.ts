import { GitHubError } from '../errors.ts';
import type { Gh, Repo } from '../types.ts';
import type { IssueRepo } from './issue-model.ts';

/**
 * What blocks and interaction limits forbid, as GitHub's docs describe them. A user blocked by
 * a personal account cannot follow it, star its repositories, open issues or pull requests or
 * comment or react in them, nor comment on issues it opened elsewhere. An interaction limit
 * (/user/interaction-limits) restricts who may open issues and pull requests, comment and react
 * in the account's public repositories: `existing_users` keeps out accounts younger than 24
 * hours that have not contributed, `contributors_only` everyone who has not contributed,
 * `collaborators_only` everyone without push access; the owner and collaborators are exempt.
 * GitHub's API docs name no status for these refusals: the clone answers 403 with the
 * message GitHub shows.
 */

export type Interaction = 'open an issue' | 'open a pull request' | 'comment' | 'react';

const BLOCKED = "You can't perform that action at this time.";

export async function isBlockedBy(g: Gh, blockerId: number, userId: number): Promise<boolean> {
  if (blockerId === userId) return false;
  const rows = await g.ctx.db.q`select 1 from blocks where blocker_id = ${blockerId} and blocked_id = ${userId}`;
  return rows.length > 0;
}

export async function refuseIfBlocked(g: Gh, blockerId: number): Promise<void> {
  if (g.viewer && (await isBlockedBy(g, blockerId, g.viewer.id))) throw new GitHubError(403, BLOCKED);
}

const WHO = { existing_users: 'users that have been on GitHub for more than 24 hours', contributors_only: 'users that have contributed to this repository', collaborators_only: 'users that are collaborators on this repository' } as const;

/** Blocks by the repository's owner (and, for comments, by the issue's author), then the owner's interaction limit. */
export async function guardInteraction(g: Gh, repo: IssueRepo | (Repo & { perms: { push: boolean }; standing?: { contributor: boolean } }), action: Interaction, issueAuthorId?: number): Promise<void> {
  const viewer = g.viewer;
  if (!viewer || viewer.id === repo.owner_id) return;
  // Blocks and limits here are a personal account's: an organisation's repository is subject
  // only to the issue author's block on comments (and the hot path costs no statement).
  if (repo.owner.type === 'Organization' && (action !== 'comment' || issueAuthorId === undefined || issueAuthorId === viewer.id)) return;
  const rows = await g.ctx.db.q<{ blocked: boolean; by_author: boolean; limit: keyof typeof WHO | null; contributor: boolean; young: boolean }>`
    select
      exists (select 1 from blocks where blocker_id = ${repo.owner_id} and blocked_id = ${viewer.id}) as blocked,
      exists (select 1 from blocks where blocker_id = ${issueAuthorId ?? -1}::int and blocked_id = ${viewer.id}) as by_author,
      (select "limit" from interaction_limits where user_id = ${repo.owner_id} and expires_at > now()) as "limit",
      exists (select 1 from repo_contributors where repo_id = ${repo.id} and user_id = ${viewer.id}) as contributor,
      (select created_at > now() - interval '24 hours' from users where id = ${viewer.id}) as young`;
  const r = rows[0]!;
  if (r.blocked || (action === 'comment' && r.by_author)) throw new GitHubError(403, BLOCKED);
  // Interaction limits cover public repositories; collaborators (push access) are exempt.
  if (!r.limit || repo.private || repo.perms.push) return;
  const allowed = r.limit === 'collaborators_only' ? false : r.limit === 'contributors_only' ? r.contributor : r.contributor || !r.young;
  if (!allowed) throw new GitHubError(403, `An owner of this repository has limited the ability to ${action} to ${WHO[r.limit]}.`);
}
