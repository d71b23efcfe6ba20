import * as attestations from './handlers/attestations.ts';
import * as billing from './handlers/billing.ts';
import * as migrations from './handlers/migrations.ts';
import * as packages from './handlers/packages.ts';
import * as projects from './handlers/projects-v2.ts';
import type { Route } from './routes.ts';
import type { Handler } from './types.ts';

/**
 * Account-level operations (packages, projects, migrations, attestations, billing), in
 * the shape of ROUTES (routes.ts spreads them in before its catch-all `/user/{account_id}`).
 */
const R = (method: string, path: string, operationId: string, handler: Handler): Route => ({ method, path, operationId, handler });
const PKG = '/{package_type}/{package_name}';
const VER = `${PKG}/versions/{package_version_id}`;
const PROJECT = '/users/{username}/projectsV2/{project_number}';

/** The eight package operations, once for /user (the viewer's) and once for /users/{username}. */
function packageRoutes(base: '/user' | '/users/{username}', who: string): Route[] {
  const p = `${base}/packages`;
  return [
    R('GET', p, `packages/list-packages-for-${who}`, packages.list),
    R('GET', `${p}${PKG}`, `packages/get-package-for-${who}`, packages.get),
    R('DELETE', `${p}${PKG}`, `packages/delete-package-for-${who}`, packages.remove),
    R('POST', `${p}${PKG}/restore`, `packages/restore-package-for-${who}`, packages.restore),
    R('GET', `${p}${PKG}/versions`, `packages/get-all-package-versions-for-package-owned-by-${who}`, packages.listVersions),
    R('GET', `${p}${VER}`, `packages/get-package-version-for-${who}`, packages.getVersion),
    R('DELETE', `${p}${VER}`, `packages/delete-package-version-for-${who}`, packages.removeVersion),
    R('POST', `${p}${VER}/restore`, `packages/restore-package-version-for-${who}`, packages.restoreVersion),
  ];
}

export const ACCOUNT_ROUTES: Route[] = [
  ...packageRoutes('/user', 'authenticated-user'),
  ...packageRoutes('/users/{username}', 'user'),
  R('GET', '/user/docker/conflicts', 'packages/list-docker-migration-conflicting-packages-for-authenticated-user', packages.listDockerConflicts),
  R('GET', '/users/{username}/docker/conflicts', 'packages/list-docker-migration-conflicting-packages-for-user', packages.listDockerConflicts),

  R('GET', '/users/{username}/projectsV2', 'projects/list-for-user', projects.list),
  R('GET', PROJECT, 'projects/get-for-user', projects.get),
  R('GET', `${PROJECT}/fields`, 'projects/list-fields-for-user', projects.listFields),
  R('GET', `${PROJECT}/fields/{field_id}`, 'projects/get-field-for-user', projects.getField),
  R('GET', `${PROJECT}/items`, 'projects/list-items-for-user', projects.listItems),
  R('POST', `${PROJECT}/items`, 'projects/add-item-for-user', projects.addItem),
  R('GET', `${PROJECT}/items/{item_id}`, 'projects/get-user-item', projects.getItem),
  R('PATCH', `${PROJECT}/items/{item_id}`, 'projects/update-item-for-user', projects.updateItem),
  R('DELETE', `${PROJECT}/items/{item_id}`, 'projects/delete-item-for-user', projects.deleteItem),

  R('GET', '/user/migrations', 'migrations/list-for-authenticated-user', migrations.list),
  R('POST', '/user/migrations', 'migrations/start-for-authenticated-user', migrations.start),
  R('GET', '/user/migrations/{migration_id}', 'migrations/get-status-for-authenticated-user', migrations.get),
  R('GET', '/user/migrations/{migration_id}/archive', 'migrations/get-archive-for-authenticated-user', migrations.getArchive),
  R('DELETE', '/user/migrations/{migration_id}/archive', 'migrations/delete-archive-for-authenticated-user', migrations.deleteArchive),
  R('DELETE', '/user/migrations/{migration_id}/repos/{repo_name}/lock', 'migrations/unlock-repo-for-authenticated-user', migrations.unlockRepo),
  R('GET', '/user/migrations/{migration_id}/repositories', 'migrations/list-repos-for-authenticated-user', migrations.listRepos),

  R('POST', '/users/{username}/attestations/bulk-list', 'users/list-attestations-bulk', attestations.bulkList),
  R('POST', '/users/{username}/attestations/delete-request', 'users/delete-attestations-bulk', attestations.deleteBulk),
  R('DELETE', '/users/{username}/attestations/digest/{subject_digest}', 'users/delete-attestations-by-subject-digest', attestations.deleteByDigest),
  R('GET', '/users/{username}/attestations/{subject_digest}', 'users/list-attestations', attestations.list),
  R('DELETE', '/users/{username}/attestations/{attestation_id}', 'users/delete-attestations-by-id', attestations.deleteById),

  R('GET', '/users/{username}/settings/billing/usage', 'billing/get-github-billing-usage-report-user', billing.usage),
  R('GET', '/users/{username}/settings/billing/premium_request/usage', 'billing/get-github-billing-premium-request-usage-report-user', billing.premiumRequestUsage),
  // The previous billing platform's product endpoints (retired by GitHub, still in the SDK).
  R('GET', '/users/{username}/settings/billing/actions', 'billing/get-github-actions-billing-user', billing.actions),
  R('GET', '/users/{username}/settings/billing/packages', 'billing/get-github-packages-billing-user', billing.packages),
  R('GET', '/users/{username}/settings/billing/shared-storage', 'billing/get-shared-storage-billing-user', billing.sharedStorage),
];
