import * as packages from './handlers/packages.ts';
import type { Route } from './routes.ts';
import type { Handler } from './types.ts';

/**
 * Account-level operations (packages, projects, migrations, attestations, billing), in
 * the shape of ROUTES (routes.ts spreads them in before its catch-all `/user/{account_id}`).
 */
const R = (method: string, path: string, operationId: string, handler: Handler): Route => ({ method, path, operationId, handler });
const PKG = '/{package_type}/{package_name}';
const VER = `${PKG}/versions/{package_version_id}`;

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
];
