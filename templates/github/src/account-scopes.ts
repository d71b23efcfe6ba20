/**
 * The classic-token scopes of the account-level operations (packages, projects, migrations,
 * attestations, billing), as each operation's description states them; merged into
 * scopes.ts's table. Where a description asks for two scopes at once (`read:packages` and
 * `delete:packages`), the table names the stronger and the handler checks the other
 * (requireScopes).
 */
const PKG = ['/user/packages', '/users/{username}/packages'];
const ONE = '/{package_type}/{package_name}';
const VERSION = `${ONE}/versions/{package_version_id}`;

const PROJECT = '/users/{username}/projectsV2/{project_number}';

export const ACCOUNT_SCOPES: Record<string, string[]> = {
  'GET /users/{username}/settings/billing/actions': ['user'],
  'GET /users/{username}/settings/billing/packages': ['user'],
  'GET /users/{username}/settings/billing/shared-storage': ['user'],
  'GET /users/{username}/projectsV2': ['read:project'],
  [`GET ${PROJECT}`]: ['read:project'],
  [`GET ${PROJECT}/fields`]: ['read:project'],
  [`GET ${PROJECT}/fields/{field_id}`]: ['read:project'],
  [`GET ${PROJECT}/items`]: ['read:project'],
  [`GET ${PROJECT}/items/{item_id}`]: ['read:project'],
  [`POST ${PROJECT}/items`]: ['project'],
  [`PATCH ${PROJECT}/items/{item_id}`]: ['project'],
  [`DELETE ${PROJECT}/items/{item_id}`]: ['project'],
  'GET /user/docker/conflicts': ['read:packages'],
  'GET /users/{username}/docker/conflicts': ['read:packages'],
  ...Object.fromEntries(
    PKG.flatMap((p) => [
      [`GET ${p}`, ['read:packages']],
      [`GET ${p}${ONE}`, ['read:packages']],
      [`DELETE ${p}${ONE}`, ['delete:packages']],
      [`POST ${p}${ONE}/restore`, ['write:packages']],
      [`GET ${p}${ONE}/versions`, ['read:packages']],
      [`GET ${p}${VERSION}`, ['read:packages']],
      [`DELETE ${p}${VERSION}`, ['delete:packages']],
      [`POST ${p}${VERSION}/restore`, ['write:packages']],
    ]),
  ),
};
