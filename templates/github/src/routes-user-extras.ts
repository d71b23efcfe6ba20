import * as activity from './handlers/activity.ts';
import * as codespaces from './handlers/codespaces.ts';
import * as secrets from './handlers/codespaces-secrets.ts';
import * as social from './handlers/social.ts';
import * as gists from './handlers/gists.ts';
import * as hovercard from './handlers/hovercard.ts';
import * as invitations from './handlers/invitations.ts';
import * as issueFields from './handlers/issue-fields.ts';
import * as suggestions from './handlers/suggestions.ts';
import * as teams from './handlers/teams.ts';
import type { Route } from './routes.ts';
import type { Handler } from './types.ts';

/**
 * The authenticated user's codespaces and codespaces secrets, the other user-level
 * operations added with them, issue field values and suggestions, spread into ROUTES (routes.ts) before its `/user/{account_id}`
 * catch-all. Within the table the first match wins: `/user/codespaces/secrets` comes before
 * `/user/codespaces/{codespace_name}`.
 */
const R = (method: string, path: string, operationId: string, handler: Handler): Route => ({ method, path, operationId, handler });
const CS = '/user/codespaces';
const SECRET = `${CS}/secrets/{secret_name}`;

export const USER_EXTRA_ROUTES: Route[] = [
  R('GET', `${CS}/secrets`, 'codespaces/list-secrets-for-authenticated-user', secrets.list),
  R('GET', `${CS}/secrets/public-key`, 'codespaces/get-public-key-for-authenticated-user', secrets.getPublicKey),
  R('GET', SECRET, 'codespaces/get-secret-for-authenticated-user', secrets.get),
  R('PUT', SECRET, 'codespaces/create-or-update-secret-for-authenticated-user', secrets.put),
  R('DELETE', SECRET, 'codespaces/delete-secret-for-authenticated-user', secrets.remove),
  R('GET', `${SECRET}/repositories`, 'codespaces/list-repositories-for-secret-for-authenticated-user', secrets.listRepos),
  R('PUT', `${SECRET}/repositories`, 'codespaces/set-repositories-for-secret-for-authenticated-user', secrets.setRepos),
  R('PUT', `${SECRET}/repositories/{repository_id}`, 'codespaces/add-repository-for-secret-for-authenticated-user', secrets.addRepo),
  R('DELETE', `${SECRET}/repositories/{repository_id}`, 'codespaces/remove-repository-for-secret-for-authenticated-user', secrets.removeRepo),

  R('GET', CS, 'codespaces/list-for-authenticated-user', codespaces.list),
  R('POST', CS, 'codespaces/create-for-authenticated-user', codespaces.create),
  R('GET', `${CS}/{codespace_name}`, 'codespaces/get-for-authenticated-user', codespaces.get),
  R('PATCH', `${CS}/{codespace_name}`, 'codespaces/update-for-authenticated-user', codespaces.update),
  R('DELETE', `${CS}/{codespace_name}`, 'codespaces/delete-for-authenticated-user', codespaces.remove),
  R('POST', `${CS}/{codespace_name}/exports`, 'codespaces/export-for-authenticated-user', codespaces.exportCodespace),
  R('GET', `${CS}/{codespace_name}/exports/{export_id}`, 'codespaces/get-export-details-for-authenticated-user', codespaces.getExport),
  R('GET', `${CS}/{codespace_name}/machines`, 'codespaces/codespace-machines-for-authenticated-user', codespaces.listMachines),
  R('POST', `${CS}/{codespace_name}/publish`, 'codespaces/publish-for-authenticated-user', codespaces.publish),
  R('POST', `${CS}/{codespace_name}/start`, 'codespaces/start-for-authenticated-user', codespaces.start),
  R('POST', `${CS}/{codespace_name}/stop`, 'codespaces/stop-for-authenticated-user', codespaces.stop),

  R('GET', '/users/{username}/events', 'activity/list-events-for-authenticated-user', activity.listForUser),
  R('GET', '/users/{username}/events/public', 'activity/list-public-events-for-user', activity.listPublicForUser),
  R('GET', '/users/{username}/events/orgs/{org}', 'activity/list-org-events-for-authenticated-user', activity.listOrgForUser),
  R('GET', '/users/{username}/received_events', 'activity/list-received-events-for-user', activity.listReceived),
  R('GET', '/users/{username}/received_events/public', 'activity/list-received-public-events-for-user', activity.listReceivedPublic),
  R('GET', '/user/subscriptions', 'activity/list-watched-repos-for-authenticated-user', activity.listWatchedForMe),
  R('GET', '/users/{username}/subscriptions', 'activity/list-repos-watched-by-user', activity.listWatchedForUser),
  R('GET', '/users/{username}/hovercard', 'users/get-context-for-user', hovercard.get),

  R('GET', '/repos/{owner}/{repo}/issues/{issue_number}/issue-field-values', 'issues/list-issue-field-values-for-issue', issueFields.list),
  R('POST', '/repos/{owner}/{repo}/issues/{issue_number}/issue-field-values', 'issues/add-issue-field-values', issueFields.add),
  R('PUT', '/repos/{owner}/{repo}/issues/{issue_number}/issue-field-values', 'issues/set-issue-field-values', issueFields.set),
  R('DELETE', '/repos/{owner}/{repo}/issues/{issue_number}/issue-field-values/{issue_field_id}', 'issues/delete-issue-field-value', issueFields.remove),
  R('GET', '/repos/{owner}/{repo}/issues/{issue_number}/suggestions', 'issues/list-suggestions', suggestions.list),
  R('POST', '/repos/{owner}/{repo}/issues/{issue_number}/suggestions/{suggestion_id}/approve', 'issues/approve-suggestion', suggestions.approve),
  R('POST', '/repos/{owner}/{repo}/issues/{issue_number}/suggestions/{suggestion_id}/dismiss', 'issues/dismiss-suggestion', suggestions.dismiss),
  R('PATCH', '/user/memberships/orgs/{org}', 'orgs/update-membership-for-authenticated-user', social.acceptMembership),
  R('GET', '/user/teams', 'teams/list-for-authenticated-user', teams.listMine),
  R('GET', '/users/{username}/gists', 'gists/list-for-user', gists.listForUser),
  R('GET', '/user/repository_invitations', 'repos/list-invitations-for-authenticated-user', invitations.list),
  R('PATCH', '/user/repository_invitations/{invitation_id}', 'repos/accept-invitation-for-authenticated-user', invitations.accept),
  R('DELETE', '/user/repository_invitations/{invitation_id}', 'repos/decline-invitation-for-authenticated-user', invitations.decline),
];
