/**
 * Scopes of the operations in routes-user-extras.ts, as their descriptions state them
 * (scopes.ts checks them): `codespace` for the user's codespaces, `codespace` or
 * `codespace:secrets` for their secrets; `repo` for a hovercard; `user`, `repo` or `read:org` for the user's teams; `repo` or `repo:invite` for the user's repository invitations. No imports: scopes.ts reads it while loading.
 */
export function userExtraScopes(method: string, path: string): string[] | undefined {
  if (path.startsWith('/user/codespaces/secrets')) return ['codespace', 'codespace:secrets'];
  if (path === '/user/codespaces' || path.startsWith('/user/codespaces/')) return ['codespace'];
  if (method === 'GET' && path === '/users/{username}/hovercard') return ['repo'];
  if (method === 'GET' && path === '/user/teams') return ['user', 'repo', 'read:org'];
  if (path.startsWith('/user/repository_invitations')) return ['repo', 'repo:invite'];
  return undefined;
}
