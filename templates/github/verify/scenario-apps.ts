import { createSign } from 'node:crypto';
import { is, stepFailed, type ScenarioContext } from '../../../src/verify/types.ts';
import { octokitAt } from './octokit.ts';


/** An RS256 JWT over `claims`, signed with the app's private key (as an app signs its own). */
export function appJwt(privateKey: string, claims: Record<string, unknown>): string {
  const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const body = `${part({ alg: 'RS256', typ: 'JWT' })}.${part(claims)}`;
  return `${body}.${createSign('RSA-SHA256').update(body).sign(privateKey).toString('base64url')}`;
}

/**
 * The GitHub App operations, called at the end of scenario.ts: the provisioned app's
 * installations through user access tokens (ghu_), installation repositories through classic
 * PATs, the user installation through the app's JWT, and Marketplace subscriptions seeded
 * through the admin surface.
 */
export async function appsScenario(ctx: ScenarioContext): Promise<void> {
  const kit = (auth?: string) => octokitAt(ctx.apiUrl, auth);
  const bot = kit(ctx.clone.tokens.botToken);
  const adminKit = kit(ctx.clone.tokens.userToken);
  const anon = kit();
  const org = ctx.clone.tokens.workspaceId;
  const admin = async (path: string, body: unknown) => {
    const r = await ctx.admin(`github/${path}`, body);
    if (r.status !== 200) throw stepFailed(`admin ${path}: ${r.status} ${JSON.stringify(r.json).slice(0, 200)}`);
    return r.json;
  };
  const ghu = async (user: string) => kit((await admin('app-user-token', { user })).token as string);
  const app = await admin('app', {});
  const U = '/user/installations';
  const REPOS = `${U}/{installation_id}/repositories`;
  const ONE = `${REPOS}/{repository_id}`;
  const botApp = await ghu('asym-bot');
  const adminApp = await ghu('asym-admin');
  const x = (await adminKit.rest.repos.createForAuthenticatedUser({ name: `apps-x-${ctx.unique}` })).data;
  const y = (await adminKit.rest.repos.createForAuthenticatedUser({ name: `apps-y-${ctx.unique}` })).data;
  const installed = await admin('installations', { account: 'asym-admin', repositories: [x.name] });
  const installation_id = installed.installation.id as number;

  await ctx.step('app installations (user access tokens)', async () => {
    const listed = (await botApp.rest.apps.listInstallationsForAuthenticatedUser()).data;
    await ctx.check(`GET ${U}`, "the org's installation, not the admin's own", () => is(listed.total_count === 1 && (listed.installations[0]?.account as { login?: string } | null)?.login === org && listed.installations[0]?.repository_selection === 'all' && listed.installations[0]?.app_id === app.app_id, JSON.stringify(listed).slice(0, 200)));
    const theirs = (await adminApp.rest.apps.listInstallationsForAuthenticatedUser()).data;
    await ctx.check(`GET ${U}`, "an org admin sees the org's and their own", () => is(theirs.total_count === 2 && theirs.installations.some((i) => i.id === installation_id && i.repository_selection === 'selected'), JSON.stringify(theirs.installations.map((i) => [i.id, i.repository_selection]))));
    await ctx.errorCase(`GET ${U}`, 'a classic personal access token', { status: 403, code: 'You must authenticate with an access token authorized to a GitHub App in order to list installations' }, () => bot.rest.apps.listInstallationsForAuthenticatedUser());
    const repos = (await adminApp.rest.apps.listInstallationReposForAuthenticatedUser({ installation_id })).data;
    await ctx.check(`GET ${REPOS}`, 'the selected repository, with the user\'s permissions', () => is(repos.total_count === 1 && repos.repository_selection === 'selected' && repos.repositories[0]?.id === x.id && repos.repositories[0]?.permissions?.admin === true, JSON.stringify(repos).slice(0, 200)));
    await ctx.errorCase(`GET ${REPOS}`, "another user's installation", { status: 404, code: 'Not Found' }, () => botApp.rest.apps.listInstallationReposForAuthenticatedUser({ installation_id }));
    await ctx.errorCase(`GET ${REPOS}`, 'a classic personal access token', { status: 403, code: 'You must authenticate with an access token authorized to a GitHub App in order to list repositories' }, () => adminKit.rest.apps.listInstallationReposForAuthenticatedUser({ installation_id }));
  });

  await ctx.step('installation repositories (classic tokens)', async () => {
    const ids = async () => (await adminApp.rest.apps.listInstallationReposForAuthenticatedUser({ installation_id })).data.repositories.map((r) => r.id).sort().join();
    await adminKit.rest.apps.addRepoToInstallationForAuthenticatedUser({ installation_id, repository_id: y.id });
    await ctx.check(`PUT ${ONE}`, 'the installation holds both repositories', async () => is((await ids()) === [x.id, y.id].sort().join(), await ids()));
    await ctx.errorCase(`PUT ${ONE}`, 'a user access token', { status: 403, code: 'Resource not accessible by integration' }, () => adminApp.rest.apps.addRepoToInstallationForAuthenticatedUser({ installation_id, repository_id: y.id }));
    await ctx.errorCase(`PUT ${ONE}`, 'a user without admin rights to the repository', { status: 403, code: 'Must have admin rights to Repository.' }, () => bot.rest.apps.addRepoToInstallationForAuthenticatedUser({ installation_id, repository_id: y.id }));
    const noRepo = kit((await admin('user-token', { user: 'asym-admin', scopes: ['user'] })).token as string);
    await ctx.errorCase(`PUT ${ONE}`, 'a classic token without repo', { status: 404, code: 'Not Found' }, () => noRepo.rest.apps.addRepoToInstallationForAuthenticatedUser({ installation_id, repository_id: y.id }));
    await adminKit.rest.apps.removeRepoFromInstallationForAuthenticatedUser({ installation_id, repository_id: y.id });
    await ctx.check(`DELETE ${ONE}`, 'the repository left the installation', async () => is((await ids()) === String(x.id), await ids()));
    await ctx.errorCase(`DELETE ${ONE}`, 'the last repository', { status: 422, code: 'The installation must keep access to at least one repository.' }, () => adminKit.rest.apps.removeRepoFromInstallationForAuthenticatedUser({ installation_id, repository_id: x.id }));
    const orgInstallation = (await adminApp.rest.apps.listInstallationsForAuthenticatedUser()).data.installations.find((i) => i.repository_selection === 'all')!;
    const orgRepo = (await adminKit.rest.repos.createInOrg({ org, name: `apps-org-${ctx.unique}` })).data;
    await ctx.errorCase(`DELETE ${ONE}`, 'an installation on all repositories', { status: 422, code: 'This installation has access to all repositories; it must have the repository selection "selected" to remove one.' }, () => adminKit.rest.apps.removeRepoFromInstallationForAuthenticatedUser({ installation_id: orgInstallation.id, repository_id: orgRepo.id }));
    await adminKit.rest.repos.delete({ owner: org, repo: orgRepo.name });
  });

  await ctx.step('the app (JWT)', async () => {
    const now = Math.floor(Date.now() / 1000);
    const asApp = kit(appJwt(app.private_key, { iat: now - 60, exp: now + 540, iss: app.app_id }));
    const got = (await asApp.rest.apps.getUserInstallation({ username: 'asym-admin' })).data;
    await ctx.check('GET /users/{username}/installation', "the user's installation", () => is(got.id === installation_id && got.repository_selection === 'selected' && got.target_type === 'User' && got.app_slug === app.slug, JSON.stringify(got).slice(0, 200)));
    await ctx.errorCase('GET /users/{username}/installation', 'a user the app is not installed on', { status: 404, code: 'Not Found' }, () => asApp.rest.apps.getUserInstallation({ username: 'asym-bot' }));
    await ctx.errorCase('GET /users/{username}/installation', 'a personal access token', { status: 401, code: 'A JSON web token could not be decoded' }, () => bot.rest.apps.getUserInstallation({ username: 'asym-admin' }));
    const expired = kit(appJwt(app.private_key, { iat: now - 700, exp: now - 100, iss: app.app_id }));
    await ctx.errorCase('GET /users/{username}/installation', 'an expired JWT', { status: 401, code: "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires." }, () => expired.rest.apps.getUserInstallation({ username: 'asym-admin' }));
    const long = kit(appJwt(app.private_key, { iat: now - 60, exp: now + 3600, iss: app.app_id }));
    await ctx.errorCase('GET /users/{username}/installation', 'a JWT living more than 10 minutes', { status: 401, code: "'Expiration time' claim ('exp') is too far in the future." }, () => long.rest.apps.getUserInstallation({ username: 'asym-admin' }));
  });

  await ctx.step('marketplace subscriptions', async () => {
    const plan = (await admin('marketplace-plans', { name: `Team ${ctx.unique}`, price_model: 'PER_UNIT', unit_name: 'seat', monthly_price_in_cents: 400, yearly_price_in_cents: 4000, has_free_trial: true, bullets: ['Unlimited repositories'] })).plan;
    await admin('marketplace-purchases', { account: 'asym-bot', plan: plan.id, billing_cycle: 'yearly', unit_count: 5, on_free_trial: true, free_trial_ends_on: '2030-01-01T00:00:00Z' });
    const subs = (await botApp.rest.apps.listSubscriptionsForAuthenticatedUser()).data;
    await ctx.check('GET /user/marketplace_purchases', "the user's subscription to the app's plan", () => is(subs.length === 1 && subs[0]!.plan.id === plan.id && subs[0]!.account.login === 'asym-bot' && subs[0]!.billing_cycle === 'yearly' && subs[0]!.unit_count === 5 && subs[0]!.free_trial_ends_on === '2030-01-01T00:00:00Z', JSON.stringify(subs).slice(0, 200)));
    const none = (await adminApp.rest.apps.listSubscriptionsForAuthenticatedUser()).data;
    await ctx.check('GET /user/marketplace_purchases', 'a user without a subscription has none', () => is(none.length === 0, JSON.stringify(none).slice(0, 120)));
    await ctx.errorCase('GET /user/marketplace_purchases', 'a personal access token (no app behind it)', { status: 404, code: 'Not Found' }, () => bot.rest.apps.listSubscriptionsForAuthenticatedUser());
    await ctx.errorCase('GET /user/marketplace_purchases', 'no token', { status: 401, code: 'Requires authentication' }, () => anon.rest.apps.listSubscriptionsForAuthenticatedUser());
    const stub = (await bot.rest.apps.listSubscriptionsForAuthenticatedUserStubbed()).data;
    await ctx.check('GET /user/marketplace_purchases/stubbed', "GitHub's stubbed subscription", () => is(stub.length === 1 && stub[0]!.plan.name === 'Pro' && stub[0]!.account.login === 'github' && stub[0]!.plan.monthly_price_in_cents === 1099, JSON.stringify(stub).slice(0, 200)));
    await ctx.errorCase('GET /user/marketplace_purchases/stubbed', 'no token', { status: 401, code: 'Requires authentication' }, () => anon.rest.apps.listSubscriptionsForAuthenticatedUserStubbed());
  });
  await adminKit.rest.repos.delete({ owner: 'asym-admin', repo: x.name });
  await adminKit.rest.repos.delete({ owner: 'asym-admin', repo: y.name });
}
