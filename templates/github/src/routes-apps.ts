import * as installations from './handlers/installations.ts';
import * as marketplace from './handlers/marketplace.ts';
import type { Route } from './routes.ts';
import type { Handler } from './types.ts';

/**
 * The GitHub App operations (the clone's own app, apps.ts): installations as the user and
 * the app see them, and Marketplace subscriptions. Spread into ROUTES (routes.ts) before its
 * `/user/{account_id}` catch-all.
 */
const R = (method: string, path: string, operationId: string, handler: Handler): Route => ({ method, path, operationId, handler });
const INST = '/user/installations/{installation_id}/repositories';

export const APP_ROUTES: Route[] = [
  R('GET', '/user/installations', 'apps/list-installations-for-authenticated-user', installations.listForUser),
  R('GET', INST, 'apps/list-installation-repos-for-authenticated-user', installations.listRepos),
  R('PUT', `${INST}/{repository_id}`, 'apps/add-repo-to-installation-for-authenticated-user', installations.addRepo),
  R('DELETE', `${INST}/{repository_id}`, 'apps/remove-repo-from-installation-for-authenticated-user', installations.removeRepo),
  R('GET', '/users/{username}/installation', 'apps/get-user-installation', installations.getForUser),
  R('GET', '/user/marketplace_purchases', 'apps/list-subscriptions-for-authenticated-user', marketplace.listMine),
  R('GET', '/user/marketplace_purchases/stubbed', 'apps/list-subscriptions-for-authenticated-user-stubbed', marketplace.listStubbed),
];

