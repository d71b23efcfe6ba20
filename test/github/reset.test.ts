/** Reset swaps the database under a running GitHub clone: no stale caches, tokens still work. */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { describeDocker } from '../support/docker.ts';
import { octokit, spinGithub, unique, type Clone } from './helpers.ts';

describeDocker('github clone reset', () => {
  let clone: Clone;
  let h: Awaited<ReturnType<typeof spinGithub>>['h'];

  beforeAll(async () => {
    const s = await spinGithub('gh-reset');
    clone = s.clone;
    h = s.h;
  }, 120_000);
  afterAll(async () => {
    await h?.cleanup();
  }, 60_000);

  test('after reset, created data is gone, the fixture-free state is back and tokens still work', async () => {
    const bot = octokit(clone, clone.tokens.botToken);
    const name = unique('reset');
    await bot.rest.repos.createForAuthenticatedUser({ name });
    await bot.rest.issues.create({ owner: 'asym-bot', repo: name, title: 'before reset' });
    await bot.rest.users.updateAuthenticated({ bio: 'changed before reset' });
    const r = await h.run(['reset', clone.id, '--json']);
    expect(r.code).toBe(0);
    const gone = await bot.rest.repos.get({ owner: 'asym-bot', repo: name }).catch((e: { status: number }) => e);
    expect((gone as { status: number }).status).toBe(404);
    const me = await bot.rest.users.getAuthenticated();
    expect(me.data.login).toBe('asym-bot');
    expect(me.data.bio).toBe('The agent under test.');
    const again = await bot.rest.repos.createForAuthenticatedUser({ name });
    expect(again.status).toBe(201);
  }, 60_000);
});
