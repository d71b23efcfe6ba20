/**
 * Pending organisation memberships through @octokit/rest: an invitation (admin surface) shows
 * as `pending`, PATCH state=active accepts it with the invited role, and the org then lists the user;
 * the user's teams (made through the admin surface) and the scopes that read them.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { describeDocker } from '../support/docker.ts';
import { admin, newUser, octokit, schemaErrors, spinGithub, unique, type Clone, type Recorded, statusOf as status } from './helpers.ts';

describeDocker('github pending org memberships', () => {
  let clone: Clone;
  let cleanup: () => Promise<void>;
  const rec: Recorded[] = [];

  beforeAll(async () => {
    const s = await spinGithub('gh-memberships');
    clone = s.clone;
    cleanup = () => s.h.cleanup();
  }, 120_000);
  afterAll(async () => {
    await cleanup?.();
  }, 60_000);

  test('invited: pending; accepted: active with the invited role, a member of the org', async () => {
    const org = clone.tokens.workspaceId;
    const u = await newUser(clone, unique('invitee').slice(0, 30));
    const kit = octokit(clone, u.token, rec);
    expect(await status(kit.rest.orgs.getMembershipForAuthenticatedUser({ org }))).toBe(404);
    expect(await status(kit.rest.orgs.updateMembershipForAuthenticatedUser({ org, state: 'active' }))).toBe(404);
    await admin(clone, 'org-invitations', { org, user: u.login, role: 'admin' });
    const pending = (await kit.rest.orgs.getMembershipForAuthenticatedUser({ org })).data;
    expect([pending.state, pending.role]).toEqual(['pending', 'admin']);
    expect((await kit.rest.orgs.listMembershipsForAuthenticatedUser({ state: 'pending' })).data.map((m) => m.organization.login)).toEqual([org]);
    expect((await kit.rest.orgs.listMembershipsForAuthenticatedUser({ state: 'active' })).data).toEqual([]);
    expect((await kit.rest.orgs.listForAuthenticatedUser()).data).toEqual([]);
    expect(await status(kit.rest.orgs.updateMembershipForAuthenticatedUser({ org, state: 'pending' as never }))).toBe(422);

    const accepted = await kit.rest.orgs.updateMembershipForAuthenticatedUser({ org, state: 'active' });
    expect(accepted.status).toBe(200);
    expect([accepted.data.state, accepted.data.role]).toEqual(['active', 'admin']);
    expect((await kit.rest.orgs.getMembershipForAuthenticatedUser({ org })).data.state).toBe('active');
    expect((await kit.rest.orgs.listForAuthenticatedUser()).data.map((o) => o.login)).toEqual([org]);
    // Accepting again answers the active membership.
    expect((await kit.rest.orgs.updateMembershipForAuthenticatedUser({ org, state: 'active' })).data.state).toBe('active');
  });

  test('GET /user/teams: the teams the user is in, with their organisation; user, repo or read:org', async () => {
    const org = clone.tokens.workspaceId;
    const u = await newUser(clone, unique('teamer').slice(0, 30), { org });
    const kit = octokit(clone, u.token, rec);
    expect((await kit.rest.teams.listForAuthenticatedUser()).data).toEqual([]);
    const name = unique('Core Team');
    await admin(clone, 'teams', { org, name, members: [u.login, 'asym-bot'] });
    await admin(clone, 'teams', { org, name: unique('others'), members: ['asym-bot'] });
    const teams = (await kit.rest.teams.listForAuthenticatedUser()).data;
    expect(teams.map((t) => [t.name, t.members_count, t.organization.login])).toEqual([[name, 2, org]]);
    expect(teams[0]!.slug).toBe(name.toLowerCase().replace(/[^a-z0-9_]+/g, '-'));
    const bot = octokit(clone, clone.tokens.botToken, rec);
    expect((await bot.rest.teams.listForAuthenticatedUser()).data.length).toBeGreaterThanOrEqual(2);
    const readOrg = octokit(clone, (await admin(clone, 'user-token', { user: u.login, scopes: ['read:org'] })).token);
    expect((await readOrg.rest.teams.listForAuthenticatedUser()).data).toHaveLength(1);
    const gistOnly = octokit(clone, (await admin(clone, 'user-token', { user: u.login, scopes: ['gist'] })).token);
    expect(await status(gistOnly.rest.teams.listForAuthenticatedUser())).toBe(404);
  });

  test('every answer matches GitHub\'s schema', () => {
    const problems = rec.filter((r) => r.status === 200 && (r.key.includes('/memberships/') || r.key === 'GET /user/teams')).flatMap(schemaErrors);
    expect(problems).toEqual([]);
  });
});
