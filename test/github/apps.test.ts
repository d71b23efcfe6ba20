/**
 * The clone's GitHub App through @octokit/rest: installations seen through GitHub App user
 * access tokens (ghu_), installation repositories changed through classic PATs, the user
 * installation read through the app's RS256 JWT (claims checked as GitHub does), and
 * Marketplace subscriptions seeded through the admin surface; each token type refused
 * where GitHub refuses it.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { appJwt } from '../../templates/github/verify/scenario-apps.ts';
import { describeDocker } from '../support/docker.ts';
import { admin, answerOf, newUser, octokit, schemaErrors, spinGithub, unique, type Clone, type Recorded, statusOf as status } from './helpers.ts';

describeDocker('github apps', () => {
  let clone: Clone;
  let cleanup: () => Promise<void>;
  const rec: Recorded[] = [];
  const ghu = async (user: string) => octokit(clone, (await admin(clone, 'app-user-token', { user })).token, rec);

  beforeAll(async () => {
    const s = await spinGithub('gh-apps');
    clone = s.clone;
    cleanup = () => s.h.cleanup();
  }, 120_000);
  afterAll(async () => {
    await cleanup?.();
  }, 60_000);

  test('user access tokens list the installations and repositories the user reaches; PATs get 403', async () => {
    const org = clone.tokens.workspaceId;
    const owner = await newUser(clone, unique('apps-owner').slice(0, 30));
    const classic = octokit(clone, (await admin(clone, 'user-token', { user: owner.login, scopes: ['repo'] })).token, rec);
    const a = (await classic.rest.repos.createForAuthenticatedUser({ name: 'a', private: true })).data;
    const b = (await classic.rest.repos.createForAuthenticatedUser({ name: 'b' })).data;
    const asOwner = await ghu(owner.login);
    // Not installed on the owner yet, not a member of the org: nothing.
    expect((await asOwner.rest.apps.listInstallationsForAuthenticatedUser()).data).toEqual({ total_count: 0, installations: [] });
    const made = await admin(clone, 'installations', { account: owner.login, repositories: ['a'], permissions: { contents: 'write' }, events: ['push'] });
    const mine = (await asOwner.rest.apps.listInstallationsForAuthenticatedUser()).data;
    expect(mine.total_count).toBe(1);
    expect(mine.installations[0]).toMatchObject({ id: made.installation.id, repository_selection: 'selected', permissions: { contents: 'write' }, events: ['push'], target_type: 'User', app_id: Number(clone.tokens.appId), suspended_at: null });
    const repos = (await asOwner.rest.apps.listInstallationReposForAuthenticatedUser({ installation_id: made.installation.id })).data;
    expect([repos.total_count, repos.repository_selection, repos.repositories.map((r) => r.name)]).toEqual([1, 'selected', ['a']]);
    expect(repos.repositories[0]!.permissions?.admin).toBe(true);

    // The bot (an org member) sees the org's installation, on all repositories, not the owner's.
    const bot = await ghu('asym-bot');
    const seen = (await bot.rest.apps.listInstallationsForAuthenticatedUser()).data.installations;
    expect(seen.map((i) => [(i.account as { login: string }).login, i.repository_selection])).toEqual([[org, 'all']]);
    expect(await status(bot.rest.apps.listInstallationReposForAuthenticatedUser({ installation_id: made.installation.id }))).toBe(404);
    const orgRepos = (await bot.rest.apps.listInstallationReposForAuthenticatedUser({ installation_id: seen[0]!.id })).data;
    expect(orgRepos.repository_selection).toBe('all');

    // Other token types: GitHub's 403 (PATs), 401 (none).
    const pat = await answerOf(octokit(clone, clone.tokens.botToken).rest.apps.listInstallationsForAuthenticatedUser());
    expect([pat.status, pat.data.message]).toEqual([403, 'You must authenticate with an access token authorized to a GitHub App in order to list installations']);
    expect(await status(octokit(clone, owner.token).rest.apps.listInstallationReposForAuthenticatedUser({ installation_id: made.installation.id }))).toBe(403);
    expect(await status(octokit(clone, undefined).rest.apps.listInstallationsForAuthenticatedUser())).toBe(401);

    // Suspending shows on the installation.
    await admin(clone, 'installations', { account: owner.login, suspended: 'asym-admin' });
    const suspended = (await asOwner.rest.apps.listInstallationsForAuthenticatedUser()).data.installations[0]!;
    expect([suspended.suspended_by?.login, typeof suspended.suspended_at, suspended.repository_selection]).toEqual(['asym-admin', 'string', 'selected']);
    expect(a.private && !b.private).toBe(true);
  });

  test('classic PATs with repo add and remove installation repositories; other tokens and non-admins are refused', async () => {
    const owner = await newUser(clone, unique('apps-rw').slice(0, 30));
    const classic = octokit(clone, (await admin(clone, 'user-token', { user: owner.login, scopes: ['repo'] })).token, rec);
    const a = (await classic.rest.repos.createForAuthenticatedUser({ name: 'a' })).data;
    const b = (await classic.rest.repos.createForAuthenticatedUser({ name: 'b' })).data;
    const { installation } = await admin(clone, 'installations', { account: owner.login, repositories: [a.id] });
    const installation_id = installation.id as number;
    const asOwner = await ghu(owner.login);
    const names = async () => (await asOwner.rest.apps.listInstallationReposForAuthenticatedUser({ installation_id })).data.repositories.map((r) => r.name).sort();

    expect(await status(classic.rest.apps.addRepoToInstallationForAuthenticatedUser({ installation_id, repository_id: b.id }))).toBe(204);
    expect(await names()).toEqual(['a', 'b']);
    // Idempotent.
    expect(await status(classic.rest.apps.addRepoToInstallationForAuthenticatedUser({ installation_id, repository_id: b.id }))).toBe(204);
    const noScope = octokit(clone, (await admin(clone, 'user-token', { user: owner.login, scopes: ['user'] })).token);
    expect(await status(noScope.rest.apps.addRepoToInstallationForAuthenticatedUser({ installation_id, repository_id: b.id }))).toBe(404);
    const integration = await answerOf(asOwner.rest.apps.removeRepoFromInstallationForAuthenticatedUser({ installation_id, repository_id: b.id }));
    expect([integration.status, integration.data.message]).toEqual([403, 'Resource not accessible by integration']);
    const fine = await answerOf(octokit(clone, owner.token).rest.apps.removeRepoFromInstallationForAuthenticatedUser({ installation_id, repository_id: b.id }));
    expect([fine.status, fine.data.message]).toEqual([403, 'Resource not accessible by personal access token']);
    const now = Math.floor(Date.now() / 1000);
    const { private_key, app_id } = await admin(clone, 'app', {});
    const asApp = await answerOf(octokit(clone, appJwt(private_key, { iat: now - 60, exp: now + 540, iss: app_id })).rest.apps.addRepoToInstallationForAuthenticatedUser({ installation_id, repository_id: b.id }));
    expect([asApp.status, asApp.data.message]).toEqual([403, 'Resource not accessible by integration']);
    const stranger = octokit(clone, clone.tokens.botToken);
    const notAdmin = await answerOf(stranger.rest.apps.removeRepoFromInstallationForAuthenticatedUser({ installation_id, repository_id: b.id }));
    expect([notAdmin.status, notAdmin.data.message]).toEqual([403, 'Must have admin rights to Repository.']);
    expect(await status(classic.rest.apps.addRepoToInstallationForAuthenticatedUser({ installation_id: 999_999_999, repository_id: b.id }))).toBe(404);
    expect(await status(classic.rest.apps.addRepoToInstallationForAuthenticatedUser({ installation_id, repository_id: 999_999_999 }))).toBe(404);

    expect(await status(classic.rest.apps.removeRepoFromInstallationForAuthenticatedUser({ installation_id, repository_id: b.id }))).toBe(204);
    expect(await names()).toEqual(['a']);
    expect(await status(classic.rest.apps.removeRepoFromInstallationForAuthenticatedUser({ installation_id, repository_id: b.id }))).toBe(404);
    expect(await status(classic.rest.apps.removeRepoFromInstallationForAuthenticatedUser({ installation_id, repository_id: a.id }))).toBe(422);
    // All repositories: nothing to remove from (422), adding is a no-op.
    await admin(clone, 'installations', { account: owner.login, repository_selection: 'all' });
    expect(await status(classic.rest.apps.removeRepoFromInstallationForAuthenticatedUser({ installation_id, repository_id: a.id }))).toBe(422);
    expect(await names()).toEqual(['a', 'b']);
  });

  test("the app's JWT reads a user's installation; expired, long-lived, forged and PAT credentials are 401", async () => {
    const app = await admin(clone, 'app', {});
    expect(app.app_id).toBe(Number(clone.tokens.appId));
    const now = Math.floor(Date.now() / 1000);
    const jwt = (claims: Record<string, unknown>, key = app.private_key) => octokit(clone, appJwt(key, { iat: now - 60, exp: now + 540, iss: app.app_id, ...claims }), rec);
    const org = clone.tokens.workspaceId;
    const got = await jwt({}).rest.apps.getUserInstallation({ username: org });
    expect([got.status, got.data.target_type, got.data.repository_selection, got.data.app_slug]).toEqual([200, 'Organization', 'all', app.slug]);
    // iss may be the client id too.
    expect(await status(jwt({ iss: app.client_id }).rest.apps.getUserInstallation({ username: org }))).toBe(200);
    expect(await status(jwt({}).rest.apps.getUserInstallation({ username: 'asym-bot' }))).toBe(404);
    expect(await status(jwt({}).rest.apps.getUserInstallation({ username: 'no-such-user-here' }))).toBe(404);
    const message = async (claims: Record<string, unknown>, key?: string) => {
      const r = await answerOf(jwt(claims, key).rest.apps.getUserInstallation({ username: org }));
      return [r.status, r.data.message];
    };
    expect(await message({ exp: now - 1, iat: now - 300 })).toEqual([401, "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires."]);
    expect(await message({ exp: now + 1200 })).toEqual([401, "'Expiration time' claim ('exp') is too far in the future."]);
    expect(await message({ iat: now + 600, exp: now + 900 })).toEqual([401, "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued."]);
    expect(await message({ iss: 12345 })).toEqual([401, 'A JSON web token could not be decoded']);
    const { generateKeyPairSync } = await import('node:crypto');
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    expect(await message({}, other)).toEqual([401, 'A JSON web token could not be decoded']);
    const pat = await answerOf(octokit(clone, clone.tokens.botToken).rest.apps.getUserInstallation({ username: org }));
    expect([pat.status, pat.data.message]).toEqual([401, 'A JSON web token could not be decoded']);
    // A JWT is no user: user endpoints answer as to nobody.
    expect(await status(jwt({}).rest.users.getAuthenticated())).toBe(401);
  });

  test('marketplace subscriptions: seeded plans and purchases to user access tokens; stubbed data to any token', async () => {
    const buyer = await newUser(clone, unique('apps-buyer').slice(0, 30));
    const asBuyer = await ghu(buyer.login);
    expect((await asBuyer.rest.apps.listSubscriptionsForAuthenticatedUser()).data).toEqual([]);
    const { plan } = await admin(clone, 'marketplace-plans', { name: 'Pro', price_model: 'FLAT_RATE', monthly_price_in_cents: 900, yearly_price_in_cents: 9000, has_free_trial: true, bullets: ['Fast'] });
    await admin(clone, 'marketplace-purchases', { account: buyer.login, plan: 'Pro', billing_cycle: 'yearly', on_free_trial: true, free_trial_ends_on: '2031-05-01T00:00:00Z' });
    const subs = (await asBuyer.rest.apps.listSubscriptionsForAuthenticatedUser()).data;
    expect(subs).toHaveLength(1);
    expect(subs[0]).toMatchObject({ billing_cycle: 'yearly', on_free_trial: true, free_trial_ends_on: '2031-05-01T00:00:00Z', unit_count: null, account: { login: buyer.login, type: 'User' }, plan: { id: plan.id, name: 'Pro', price_model: 'FLAT_RATE', monthly_price_in_cents: 900, bullets: ['Fast'] } });
    // A change of plan replaces the subscription.
    await admin(clone, 'marketplace-plans', { name: 'Free' });
    await admin(clone, 'marketplace-purchases', { account: buyer.login, plan: 'Free' });
    expect((await asBuyer.rest.apps.listSubscriptionsForAuthenticatedUser()).data.map((s) => [s.plan.name, s.billing_cycle, s.on_free_trial])).toEqual([['Free', 'monthly', false]]);
    expect(await status(octokit(clone, buyer.token).rest.apps.listSubscriptionsForAuthenticatedUser())).toBe(404);
    expect(await status(octokit(clone, undefined).rest.apps.listSubscriptionsForAuthenticatedUser())).toBe(401);
    const stub = (await octokit(clone, clone.tokens.botToken, rec).rest.apps.listSubscriptionsForAuthenticatedUserStubbed()).data;
    expect(stub.map((s) => [s.account.login, s.plan.name, s.plan.id])).toEqual([['github', 'Pro', 1313]]);
    expect(await status(octokit(clone, undefined).rest.apps.listSubscriptionsForAuthenticatedUserStubbed())).toBe(401);
    // Bad seeds are named.
    const bad = await fetch(`${clone.endpoints.api}/__asym/github/marketplace-purchases`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-asym-admin': clone.adminSecret }, body: JSON.stringify({ account: buyer.login, plan: 'Nope' }) });
    expect(bad.status).toBe(400);
  });

  test('every recorded answer matches GitHub\'s schema', () => {
    expect(rec.length).toBeGreaterThan(10);
    expect(rec.flatMap(schemaErrors)).toEqual([]);
  });
});
