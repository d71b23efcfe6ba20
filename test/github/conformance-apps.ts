/**
 * The GitHub App operations for conformance.test.ts: each called once through @octokit/rest on
 * recording clients with the token type it accepts (ghu_, classic PAT, the app's JWT), so the
 * suite validates its answer against GitHub's schema.
 */
import { expect } from 'bun:test';
import { appJwt } from '../../templates/github/verify/scenario-apps.ts';
import { admin, octokit, type Clone, type Recorded } from './helpers.ts';

export async function appsConformance(clone: Clone, rec: Recorded[]): Promise<void> {
  const adminKit = octokit(clone, clone.tokens.userToken, rec);
  const asAdmin = octokit(clone, (await admin(clone, 'app-user-token', { user: 'asym-admin' })).token, rec);
  const [x, y] = [(await adminKit.rest.repos.createForAuthenticatedUser({ name: 'conf-app-x' })).data, (await adminKit.rest.repos.createForAuthenticatedUser({ name: 'conf-app-y' })).data];
  const installation_id = (await admin(clone, 'installations', { account: 'asym-admin', repositories: [x.name] })).installation.id as number;
  expect((await asAdmin.rest.apps.listInstallationsForAuthenticatedUser()).data.total_count).toBe(2);
  expect((await adminKit.rest.apps.addRepoToInstallationForAuthenticatedUser({ installation_id, repository_id: y.id })).status).toBe(204);
  expect((await asAdmin.rest.apps.listInstallationReposForAuthenticatedUser({ installation_id })).data.total_count).toBe(2);
  expect((await adminKit.rest.apps.removeRepoFromInstallationForAuthenticatedUser({ installation_id, repository_id: y.id })).status).toBe(204);
  const app = await admin(clone, 'app', {});
  const now = Math.floor(Date.now() / 1000);
  const asApp = octokit(clone, appJwt(app.private_key, { iat: now - 60, exp: now + 540, iss: app.app_id }), rec);
  expect((await asApp.rest.apps.getUserInstallation({ username: 'asym-admin' })).data.id).toBe(installation_id);
  const { plan } = await admin(clone, 'marketplace-plans', { name: 'Conf', price_model: 'PER_UNIT', unit_name: 'seat', monthly_price_in_cents: 100 });
  await admin(clone, 'marketplace-purchases', { account: 'asym-admin', plan: plan.id, unit_count: 3, next_billing_date: '2030-02-01T00:00:00Z' });
  expect((await asAdmin.rest.apps.listSubscriptionsForAuthenticatedUser()).data.map((s) => s.unit_count)).toEqual([3]);
  expect((await asAdmin.rest.apps.listSubscriptionsForAuthenticatedUserStubbed()).data).toHaveLength(1);
}
