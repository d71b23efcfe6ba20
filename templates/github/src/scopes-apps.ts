/**
 * Classic-token scopes of the GitHub App operations (routes-apps.ts), merged into scopes.ts's
 * table: adding and removing installation repositories is for PATs (classic) with `repo`.
 * No imports: scopes.ts reads it while loading.
 */
const INST = '/user/installations/{installation_id}/repositories/{repository_id}';

export const APP_SCOPES: Record<string, string[]> = {
  [`PUT ${INST}`]: ['repo'],
  [`DELETE ${INST}`]: ['repo'],
};
