/**
 * The authenticated user's own account lists (blocks) and GET /repositories, on the `acme`
 * fixture, through @octokit/rest: GitHub's statuses and errors, the state each write leaves,
 * and `since` paging with its Link header.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import type { Octokit } from '@octokit/rest';
import { describeDocker } from '../support/docker.ts';
import { newUser, octokit, schemaErrors, spinGithub, unique, type Clone, type Recorded } from './helpers.ts';

async function status(p: Promise<unknown>): Promise<{ status: number; data: any }> {
  try {
    return (await p) as { status: number; data: any };
  } catch (e) {
    const err = e as { status?: number; response?: { data: unknown } };
    if (typeof err.status !== 'number') throw e;
    return { status: err.status, data: err.response?.data };
  }
}

describeDocker('github account lists and public repositories', () => {
  let clone: Clone;
  let cleanup: () => Promise<void>;
  const rec: Recorded[] = [];
  let bot: Octokit;
  let stranger: { login: string; token: string; id: number };
  let strangerKit: Octokit;

  beforeAll(async () => {
    const s = await spinGithub('gh-account');
    clone = s.clone;
    cleanup = () => s.h.cleanup();
    bot = octokit(clone, clone.tokens.botToken, rec);
    const seeded = (await s.h.run(['seed', clone.id, '--fixture', 'acme', '--json'])) as { code: number };
    expect(seeded.code).toBe(0);
    stranger = await newUser(clone, unique('stranger').slice(0, 30));
    strangerKit = octokit(clone, stranger.token, rec);
  }, 120_000);
  afterAll(async () => {
    await cleanup?.();
  }, 60_000);

  test('blocking: 204s, check answers 204 or 404, and the blocked user stops following and starring', async () => {
    const mine = { owner: 'asym-bot', repo: unique('blocked-stars') };
    await bot.rest.repos.createForAuthenticatedUser({ name: mine.repo });
    await strangerKit.rest.activity.starRepoForAuthenticatedUser(mine);
    await strangerKit.rest.users.follow({ username: 'asym-bot' });
    await bot.rest.users.follow({ username: stranger.login });
    expect((await bot.rest.repos.get(mine)).data.stargazers_count).toBe(1);

    expect((await status(bot.rest.users.checkBlocked({ username: stranger.login }))).status).toBe(404);
    expect((await bot.rest.users.block({ username: stranger.login })).status).toBe(204);
    expect((await bot.rest.users.block({ username: stranger.login })).status).toBe(204);
    expect((await bot.rest.users.checkBlocked({ username: stranger.login })).status).toBe(204);
    // Case-insensitive, as logins are.
    expect((await bot.rest.users.checkBlocked({ username: stranger.login.toUpperCase() })).status).toBe(204);
    expect((await bot.rest.users.listBlockedByAuthenticatedUser()).data.map((u) => u.login)).toEqual([stranger.login]);
    // Blocking is one-way: the stranger has blocked no one.
    expect((await status(strangerKit.rest.users.checkBlocked({ username: 'asym-bot' }))).status).toBe(404);
    expect((await strangerKit.rest.users.listBlockedByAuthenticatedUser()).data).toEqual([]);

    // GitHub: "The user stops following you"; "The user's stars ... are removed from your repositories".
    expect((await status(bot.rest.users.checkFollowingForUser({ username: stranger.login, target_user: 'asym-bot' }))).status).toBe(404);
    expect((await strangerKit.rest.activity.listReposStarredByAuthenticatedUser()).data).toEqual([]);
    expect((await bot.rest.repos.get(mine)).data.stargazers_count).toBe(0);

    await bot.rest.users.block({ username: 'alice' });
    expect((await bot.rest.users.listBlockedByAuthenticatedUser({ per_page: 1 })).data.map((u) => u.login)).toEqual([stranger.login]);
    const all = await bot.paginate(bot.rest.users.listBlockedByAuthenticatedUser, { per_page: 1 });
    expect(all.map((u) => u.login)).toEqual([stranger.login, 'alice']);

    expect((await bot.rest.users.unblock({ username: stranger.login })).status).toBe(204);
    expect((await bot.rest.users.unblock({ username: stranger.login })).status).toBe(204);
    expect((await status(bot.rest.users.checkBlocked({ username: stranger.login }))).status).toBe(404);
    expect((await bot.rest.users.listBlockedByAuthenticatedUser()).data.map((u) => u.login)).toEqual(['alice']);
  });

  test('blocking: unknown users are 404, yourself 422, no token 401', async () => {
    const nobody = 'no-such-user-xyz';
    expect((await status(bot.rest.users.block({ username: nobody }))).status).toBe(404);
    expect((await status(bot.rest.users.unblock({ username: nobody }))).status).toBe(404);
    const check = await status(bot.rest.users.checkBlocked({ username: nobody }));
    expect(check.status).toBe(404);
    expect(check.data.message).toBe('Not Found');
    const self = await status(bot.rest.users.block({ username: 'asym-bot' }));
    expect(self.status).toBe(422);
    expect(self.data.message).toBe('Validation Failed');
    expect(self.data.errors[0]).toMatchObject({ resource: 'Block', code: 'custom', field: 'username' });
    const anon = octokit(clone, undefined);
    expect((await status(anon.rest.users.listBlockedByAuthenticatedUser())).status).toBe(401);
    expect((await status(anon.rest.users.block({ username: 'alice' }))).status).toBe(401);
  });

  test('GET /repositories: public repositories by id, paged by `since` with Link rel="next"', async () => {
    const hidden = unique('hidden');
    await strangerKit.rest.repos.createForAuthenticatedUser({ name: hidden, private: true });
    // Enough public repositories for a second page (GitHub's page is 100, per_page is not read).
    const have = (await bot.rest.repos.listPublic()).data.length;
    const names = Array.from({ length: Math.max(0, 101 - have) }, (_, i) => `${unique('pub')}-${i}`);
    for (let i = 0; i < names.length; i += 10) {
      await Promise.all(names.slice(i, i + 10).map((name) => strangerKit.rest.repos.createForAuthenticatedUser({ name })));
    }

    const first = await bot.rest.repos.listPublic({ per_page: 5 } as never);
    expect(first.data).toHaveLength(100);
    const ids = first.data.map((r) => r.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(first.data.every((r) => r.private === false)).toBe(true);
    const last = ids[ids.length - 1]!;
    expect(first.headers.link).toBe(`<${clone.endpoints.api}/repositories?since=${last}>; rel="next", <${clone.endpoints.api}/repositories{?since}>; rel="first"`);

    const second = await bot.rest.repos.listPublic({ since: last });
    expect(second.data.length).toBeGreaterThan(0);
    expect(second.data.every((r) => r.id > last)).toBe(true);
    expect(second.headers.link).toBeUndefined();

    const all = await bot.paginate(bot.rest.repos.listPublic);
    const fullNames = all.map((r) => r.full_name);
    expect(new Set(fullNames).size).toBe(fullNames.length);
    expect(fullNames).toEqual(expect.arrayContaining(['acme/web', 'acme/api', ...names.map((n) => `${stranger.login}/${n}`)]));
    expect(fullNames).not.toContain(`${stranger.login}/${hidden}`);
    expect(fullNames).not.toContain('acme/billing');
    expect((await bot.rest.repos.listPublic({ since: 2_000_000_000 })).data).toEqual([]);
  });

  test('every successful response validates against its schema', () => {
    const failures = rec.flatMap((r) => schemaErrors(r).map((e) => `${r.key}: ${e}`));
    expect(failures).toEqual([]);
  });
});
