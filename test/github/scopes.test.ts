/**
 * Classic token scopes through @octokit/rest: X-OAuth-Scopes and X-Accepted-OAuth-Scopes on
 * every answer, GitHub's 404 for a missing scope (403 for delete_repo), private repositories
 * behind `repo`, public writes behind `public_repo`, the private profile behind `user`, and
 * the implied scopes (user grants user:email; admin:public_key grants read:public_key).
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { Octokit } from '@octokit/rest';
import { describeDocker } from '../support/docker.ts';
import { admin, octokit, spinGithub, unique, type Clone, answerOf as status } from './helpers.ts';

describeDocker('github classic token scopes', () => {
  let clone: Clone;
  let cleanup: () => Promise<void>;
  let bot: Octokit;
  const pub = { owner: 'asym-bot', repo: unique('scoped-pub') };
  const priv = { owner: 'asym-bot', repo: unique('scoped-priv') };
  const kit = async (scopes: string[]) => octokit(clone, (await admin(clone, 'user-token', { user: 'asym-bot', scopes })).token);

  beforeAll(async () => {
    const s = await spinGithub('gh-scopes');
    clone = s.clone;
    cleanup = () => s.h.cleanup();
    bot = octokit(clone, clone.tokens.botToken);
    await bot.rest.repos.createForAuthenticatedUser({ name: pub.repo });
    await bot.rest.repos.createForAuthenticatedUser({ name: priv.repo, private: true });
  });
  afterAll(async () => {
    await cleanup?.();
  });

  test('the provisioned classic token names its scopes; a scoped token names exactly its own', async () => {
    const full = await bot.rest.repos.get(pub);
    expect(full.headers['x-oauth-scopes']).toContain('repo');
    expect(full.headers['x-accepted-oauth-scopes']).toBe('repo');
    const none = await kit([]);
    const r = await none.rest.users.getByUsername({ username: 'asym-bot' });
    expect(r.headers['x-oauth-scopes']).toBe('');
    expect(r.headers['x-accepted-oauth-scopes']).toBe('');
    const some = await kit(['user:email', 'read:org']);
    // In GitHub's order of scopes.
    expect((await some.rest.users.getByUsername({ username: 'asym-bot' })).headers['x-oauth-scopes']).toBe('read:org, user:email');
    await expect(admin(clone, 'user-token', { user: 'asym-bot', scopes: ['root'] })).rejects.toThrow('400');
  });

  test('no scope: public data reads, private repositories are not there, writes are 404', async () => {
    const none = await kit([]);
    expect((await none.rest.repos.get(pub)).status).toBe(200);
    expect((await status(none.rest.repos.get(priv))).status).toBe(404);
    expect((await status(none.rest.issues.create({ ...pub, title: 'x' }))).status).toBe(404);
    expect((await status(none.rest.activity.starRepoForAuthenticatedUser(pub))).status).toBe(404);
    const mine = (await none.rest.repos.listForAuthenticatedUser({ per_page: 100 })).data.map((x) => x.name);
    expect(mine).toContain(pub.repo);
    expect(mine).not.toContain(priv.repo);
    // The public profile only: no private counts.
    const me = (await none.rest.users.getAuthenticated()).data as Record<string, unknown>;
    expect(me.login).toBe('asym-bot');
    expect(me.total_private_repos).toBeUndefined();
    const emails = await status(none.rest.users.listEmailsForAuthenticatedUser());
    expect(emails.status).toBe(404);
    expect(emails.headers['x-accepted-oauth-scopes']).toBe('user:email');
  });

  test('public_repo writes public repositories only; repo reaches private ones', async () => {
    const publicOnly = await kit(['public_repo']);
    expect((await publicOnly.rest.issues.create({ ...pub, title: 'public write' })).status).toBe(201);
    expect((await status(publicOnly.rest.issues.create({ ...priv, title: 'x' }))).status).toBe(404);
    expect((await status(publicOnly.rest.repos.createForAuthenticatedUser({ name: unique('p'), private: true }))).status).toBe(404);
    expect((await publicOnly.rest.repos.createForAuthenticatedUser({ name: unique('p') })).status).toBe(201);
    const full = await kit(['repo']);
    expect((await full.rest.issues.create({ ...priv, title: 'private write' })).status).toBe(201);
    const found = (await full.rest.search.issuesAndPullRequests({ q: `repo:${priv.owner}/${priv.repo} private write` })).data.total_count;
    expect(found).toBe(1);
    // Without repo, search does not see the private repository (422: it cannot be searched).
    expect((await status(publicOnly.rest.search.issuesAndPullRequests({ q: `repo:${priv.owner}/${priv.repo} x` }))).status).toBe(422);
  });

  test('delete_repo: 403 without it; implied scopes: user grants user:email, admin:public_key grants read:public_key', async () => {
    const repoOnly = await kit(['repo']);
    const refused = await status(repoOnly.rest.repos.delete(pub));
    expect(refused.status).toBe(403);
    expect(refused.data.message).toBe('Must have admin rights to Repository.');
    expect((await bot.rest.repos.get(pub)).status).toBe(200);
    const user = await kit(['user']);
    expect((await user.rest.users.listEmailsForAuthenticatedUser()).status).toBe(200);
    expect((await user.rest.users.follow({ username: 'asym-admin' })).status).toBe(204);
    expect((await status((await kit(['read:user'])).rest.users.follow({ username: 'asym-admin' }))).status).toBe(404);
    const keys = await kit(['admin:public_key']);
    expect((await keys.rest.users.listPublicSshKeysForAuthenticatedUser()).status).toBe(200);
    expect((await status((await kit(['read:public_key'])).rest.users.createPublicSshKeyForAuthenticatedUser({ key: 'ssh-ed25519 AAAA', title: 'x' }))).status).toBe(404);
    const deleter = await kit(['delete_repo', 'public_repo']);
    expect((await deleter.rest.repos.delete(pub)).status).toBe(204);
  });

  test('fine-grained tokens (github_pat_) carry no scope headers and no scope checks', async () => {
    const t = (await admin(clone, 'user-token', { user: 'asym-bot' })).token as string;
    expect(t.startsWith('github_pat_')).toBe(true);
    const fine = new Octokit({ auth: t, baseUrl: clone.endpoints.api, request: { retries: 0 } });
    const r = await fine.rest.repos.get(priv);
    expect(r.status).toBe(200);
    expect(r.headers['x-oauth-scopes']).toBeUndefined();
  });
});
