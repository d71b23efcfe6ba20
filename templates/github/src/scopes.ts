import type { ParsedRequest } from '../../_kit/http.ts';
import type { RateOutcome, StageInput } from '../../_kit/pipeline.ts';
import type { GhCaller } from './auth.ts';
import { GitHubError } from './errors.ts';
import { ACCOUNT_SCOPES } from './account-scopes.ts';
import { APP_SCOPES } from './scopes-apps.ts';
import type { Route } from './routes.ts';
import { userExtraScopes } from './scopes-user-extras.ts';

/**
 * Classic token scopes, as GitHub's "Scopes for OAuth apps" page and each operation's
 * description state them. Every answer to a classic token (`ghp_`) carries X-OAuth-Scopes
 * (what the token has) and X-Accepted-OAuth-Scopes (what the action checks for). A higher
 * scope grants the lower ones (user ⊃ read:user, user:email, user:follow; repo ⊃ public_repo,
 * repo:status, …; admin:X ⊃ write:X ⊃ read:X). Without the scope an operation states, the
 * answer is 404 (GitHub answers a token without access as if the resource were not there),
 * except deleting a repository without `delete_repo`: 403 `Must have admin rights to
 * Repository.`. Private repositories need `repo`; writes to public ones `public_repo` (or
 * `repo`); that part is checked where repositories are loaded (store.ts). Fine-grained
 * tokens (`github_pat_`) carry no scopes and get no scope checks.
 */

/** Every scope a classic token may hold, in GitHub's order (the bit order of signed tokens). */
export const SCOPES = [
  'repo', 'repo:status', 'repo_deployment', 'public_repo', 'repo:invite', 'security_events',
  'admin:repo_hook', 'write:repo_hook', 'read:repo_hook',
  'admin:org', 'write:org', 'read:org',
  'admin:public_key', 'write:public_key', 'read:public_key',
  'admin:org_hook', 'gist', 'notifications',
  'user', 'read:user', 'user:email', 'user:follow',
  'project', 'read:project', 'delete_repo',
  'write:packages', 'read:packages', 'delete:packages',
  'admin:gpg_key', 'write:gpg_key', 'read:gpg_key',
  'codespace', 'workflow',
  'admin:ssh_signing_key', 'write:ssh_signing_key', 'read:ssh_signing_key',
  'codespace:secrets',
] as const;

/** What the provisioned classic tokens hold (a typical full-access token). */
export const DEFAULT_SCOPES = ['admin:gpg_key', 'admin:org', 'admin:public_key', 'admin:ssh_signing_key', 'codespace', 'delete:packages', 'delete_repo', 'gist', 'notifications', 'project', 'repo', 'user', 'workflow', 'write:packages'];

const IMPLIES: Record<string, string[]> = {
  repo: ['repo:status', 'repo_deployment', 'public_repo', 'repo:invite', 'security_events'],
  user: ['read:user', 'user:email', 'user:follow'],
  'admin:org': ['write:org', 'read:org'],
  'write:org': ['read:org'],
  'admin:repo_hook': ['write:repo_hook', 'read:repo_hook'],
  'write:repo_hook': ['read:repo_hook'],
  'admin:public_key': ['write:public_key', 'read:public_key'],
  'write:public_key': ['read:public_key'],
  'admin:gpg_key': ['write:gpg_key', 'read:gpg_key'],
  'write:gpg_key': ['read:gpg_key'],
  'admin:ssh_signing_key': ['write:ssh_signing_key', 'read:ssh_signing_key'],
  'write:ssh_signing_key': ['read:ssh_signing_key'],
  project: ['read:project'],
  'write:packages': ['read:packages'],
};

/** The scopes a token effectively has (its own and every one they imply). */
export function expand(scopes: readonly string[]): Set<string> {
  const out = new Set<string>();
  const add = (s: string) => {
    if (out.has(s)) return;
    out.add(s);
    for (const t of IMPLIES[s] ?? []) add(t);
  };
  for (const s of scopes) add(s);
  return out;
}

/** Per operation: the scopes it accepts (any one will do), as its description states them. */
const REQUIRED: Record<string, string[]> = {
  'PATCH /user': ['user'],
  'GET /user/emails': ['user:email'],
  'GET /user/public_emails': ['user:email'],
  'POST /user/emails': ['user'],
  'DELETE /user/emails': ['user'],
  'PATCH /user/email/visibility': ['user'],
  'PUT /user/following/{username}': ['user:follow'],
  'DELETE /user/following/{username}': ['user:follow'],
  'GET /user/keys': ['read:public_key'],
  'GET /user/keys/{key_id}': ['read:public_key'],
  'POST /user/keys': ['write:public_key'],
  'DELETE /user/keys/{key_id}': ['admin:public_key'],
  'GET /user/gpg_keys': ['read:gpg_key'],
  'GET /user/gpg_keys/{gpg_key_id}': ['read:gpg_key'],
  'POST /user/gpg_keys': ['write:gpg_key'],
  'DELETE /user/gpg_keys/{gpg_key_id}': ['admin:gpg_key'],
  'GET /user/ssh_signing_keys': ['read:ssh_signing_key'],
  'GET /user/ssh_signing_keys/{ssh_signing_key_id}': ['read:ssh_signing_key'],
  'POST /user/ssh_signing_keys': ['write:ssh_signing_key'],
  'DELETE /user/ssh_signing_keys/{ssh_signing_key_id}': ['admin:ssh_signing_key'],
  'POST /user/social_accounts': ['user'],
  'DELETE /user/social_accounts': ['user'],
  'PUT /user/starred/{owner}/{repo}': ['public_repo', 'repo'],
  'DELETE /user/starred/{owner}/{repo}': ['public_repo', 'repo'],
  'POST /user/repos': ['public_repo', 'repo'],
  'POST /orgs/{org}/repos': ['public_repo', 'repo'],
  'DELETE /repos/{owner}/{repo}': ['delete_repo'],
  ...ACCOUNT_SCOPES,
  ...APP_SCOPES,
};

/** What X-Accepted-OAuth-Scopes names for an operation. */
export function acceptedScopes(route: Route | null): string[] {
  if (!route) return [];
  const key = `${route.method} ${route.path}`;
  const need = REQUIRED[key] ?? userExtraScopes(route.method, route.path);
  if (need) return need;
  if (route.path.startsWith('/repos/') || route.path === '/user/repos' || route.path.endsWith('/repos') || route.path.startsWith('/user/starred')) return ['repo'];
  if (key === 'GET /user') return ['user', 'read:user'];
  return [];
}

/** The pipeline's authorize stage: the two headers, and the operation's own scope check. */
export function githubAuthorize({ caller, route }: StageInput<GhCaller, Route, ParsedRequest>): RateOutcome {
  if (!caller.viewer || caller.scopes === null) return {};
  const accepted = acceptedScopes(route);
  const headers = { 'x-oauth-scopes': caller.scopes.join(', '), 'x-accepted-oauth-scopes': accepted.join(', ') };
  const need = route ? (REQUIRED[`${route.method} ${route.path}`] ?? userExtraScopes(route.method, route.path)) : undefined;
  const have = expand(caller.scopes);
  if (need && !need.some((s) => have.has(s))) {
    if (route!.method === 'DELETE' && route!.path === '/repos/{owner}/{repo}') return { headers, refuse: new GitHubError(403, 'Must have admin rights to Repository.', { documentationUrl: 'https://docs.github.com/rest/repos/repos#delete-a-repository' }) };
    return { headers, refuse: new GitHubError(404, 'Not Found') };
  }
  return { headers };
}

/** A scope set as a bit mask (signed tokens carry it), and back. */
export function scopeMask(scopes: readonly string[]): number {
  let m = 0;
  for (const s of scopes) {
    const i = (SCOPES as readonly string[]).indexOf(s);
    if (i >= 0) m += 2 ** i;
  }
  return m;
}

export function scopesOf(mask: number): string[] {
  return SCOPES.filter((_, i) => Math.floor(mask / 2 ** i) % 2 === 1);
}
