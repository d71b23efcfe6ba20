/**
 * Repository invitations through @octokit/rest: invitations made through the admin surface
 * are listed to their invitee only; accepting one makes a collaborator whose permission the
 * repository checks honour (a private repository opens, push writes, pull only reads);
 * declining removes it; another user's invitation is a 404; classic tokens need repo or
 * repo:invite; after 7 days on the clone's clock an invitation is `expired` and cannot be accepted.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { describeDocker } from '../support/docker.ts';
import { admin, newUser, octokit, schemaErrors, spinGithub, statusOf, unique, type Clone, type Recorded } from './helpers.ts';

describeDocker('github repository invitations', () => {
  let clone: Clone;
  let cleanup: () => Promise<void>;
  const rec: Recorded[] = [];
  const owner = 'asym-bot';

  beforeAll(async () => {
    const s = await spinGithub('gh-invitations');
    clone = s.clone;
    cleanup = () => s.h.cleanup();
  }, 120_000);
  afterAll(async () => {
    await cleanup?.();
  }, 60_000);

  const invite = async (repo: string, user: string, permission?: string): Promise<number> => (await admin(clone, 'repo-invitations', { owner, repo, user, ...(permission ? { permission } : {}) })).invitation.id;
  const repoOf = async (isPrivate: boolean) => {
    const bot = octokit(clone, clone.tokens.botToken);
    return (await bot.rest.repos.createForAuthenticatedUser({ name: unique('inv-repo'), private: isPrivate })).data.name;
  };

  test('accepting push: the private repository opens, the collaborator writes issues and labels and is assignable', async () => {
    const repo = await repoOf(true);
    const u = await newUser(clone, unique('collab').slice(0, 30));
    const kit = octokit(clone, u.token, rec);
    expect(await statusOf(kit.rest.repos.get({ owner, repo }))).toBe(404);
    const id = await invite(repo, u.login);

    const listed = (await kit.rest.repos.listInvitationsForAuthenticatedUser()).data;
    expect(listed.map((i) => [i.id, i.permissions, i.expired, i.repository.full_name, i.inviter?.login, i.invitee?.login])).toEqual([[id, 'write', false, `${owner}/${repo}`, owner, u.login]]);
    expect(listed[0]!.repository.private).toBe(true);
    // An invitation is not access yet.
    expect(await statusOf(kit.rest.repos.get({ owner, repo }))).toBe(404);

    expect((await kit.rest.repos.acceptInvitationForAuthenticatedUser({ invitation_id: id })).status).toBe(204);
    expect((await kit.rest.repos.listInvitationsForAuthenticatedUser()).data).toEqual([]);
    const seen = (await kit.rest.repos.get({ owner, repo })).data;
    expect(seen.permissions).toEqual({ admin: false, maintain: false, push: true, triage: true, pull: true });
    expect((await kit.rest.issues.create({ owner, repo, title: 'from a collaborator' })).status).toBe(201);
    expect((await kit.rest.issues.createLabel({ owner, repo, name: unique('lbl') })).status).toBe(201);
    // Not admin: deleting the repository stays refused.
    expect(await statusOf(kit.rest.repos.delete({ owner, repo }))).toBe(403);
    const mine = (await kit.rest.repos.listForAuthenticatedUser({ affiliation: 'collaborator' })).data;
    expect(mine.map((r) => [r.name, r.permissions?.push])).toEqual([[repo, true]]);
    const bot = octokit(clone, clone.tokens.botToken);
    expect(await statusOf(bot.rest.issues.checkUserCanBeAssigned({ owner, repo, assignee: u.login }))).toBe(204);
    // Accepted invitations are gone: a second PATCH is a 404.
    expect(await statusOf(kit.rest.repos.acceptInvitationForAuthenticatedUser({ invitation_id: id }))).toBe(404);
  });

  test('accepting pull: reads the private repository, cannot write to it', async () => {
    const repo = await repoOf(true);
    const u = await newUser(clone, unique('reader').slice(0, 30));
    const kit = octokit(clone, u.token, rec);
    await kit.rest.repos.acceptInvitationForAuthenticatedUser({ invitation_id: await invite(repo, u.login, 'pull') });
    expect((await kit.rest.repos.get({ owner, repo })).data.permissions).toEqual({ admin: false, maintain: false, push: false, triage: false, pull: true });
    expect(await statusOf(kit.rest.issues.createLabel({ owner, repo, name: 'nope' }))).toBe(404);
  });

  test("declining removes it; another user's invitation is a 404 to accept and to decline", async () => {
    const repo = await repoOf(false);
    const a = await newUser(clone, unique('decliner').slice(0, 30));
    const b = await newUser(clone, unique('bystander').slice(0, 30));
    const ka = octokit(clone, a.token, rec);
    const kb = octokit(clone, b.token, rec);
    const forA = await invite(repo, a.login, 'triage');
    const forB = await invite(repo, b.login, 'maintain');
    expect((await kb.rest.repos.listInvitationsForAuthenticatedUser()).data.map((i) => [i.id, i.permissions])).toEqual([[forB, 'maintain']]);
    expect(await statusOf(ka.rest.repos.acceptInvitationForAuthenticatedUser({ invitation_id: forB }))).toBe(404);
    expect(await statusOf(ka.rest.repos.declineInvitationForAuthenticatedUser({ invitation_id: forB }))).toBe(404);
    expect((await kb.rest.repos.listInvitationsForAuthenticatedUser()).data.map((i) => i.id)).toEqual([forB]);
    expect((await ka.rest.repos.declineInvitationForAuthenticatedUser({ invitation_id: forA })).status).toBe(204);
    expect((await ka.rest.repos.listInvitationsForAuthenticatedUser()).data).toEqual([]);
    expect(await statusOf(ka.rest.repos.declineInvitationForAuthenticatedUser({ invitation_id: forA }))).toBe(404);
    // The public repository reads as before: declining grants nothing.
    expect((await ka.rest.repos.get({ owner, repo })).data.permissions?.triage).toBe(false);
    expect(await statusOf(ka.rest.repos.acceptInvitationForAuthenticatedUser({ invitation_id: 'x' as never }))).toBe(404);
    expect(await statusOf(octokit(clone, undefined).rest.repos.listInvitationsForAuthenticatedUser())).toBe(401);
  });

  test('classic tokens: repo or repo:invite, else 404', async () => {
    const u = await newUser(clone, unique('scoped').slice(0, 30));
    const scoped = async (scopes: string[]) => octokit(clone, (await admin(clone, 'user-token', { user: u.login, scopes })).token);
    expect(await statusOf((await scoped([])).rest.repos.listInvitationsForAuthenticatedUser())).toBe(404);
    expect(await statusOf((await scoped(['public_repo'])).rest.repos.listInvitationsForAuthenticatedUser())).toBe(404);
    const invite_ = await (await scoped(['repo:invite'])).rest.repos.listInvitationsForAuthenticatedUser();
    expect(invite_.status).toBe(200);
    expect(invite_.headers['x-accepted-oauth-scopes']).toBe('repo, repo:invite');
    expect((await (await scoped(['repo'])).rest.repos.listInvitationsForAuthenticatedUser()).status).toBe(200);
  });

  test('after 7 days on the clone clock an invitation is expired: listed so, not acceptable, still declinable', async () => {
    const repo = await repoOf(true);
    const u = await newUser(clone, unique('late').slice(0, 30));
    const kit = octokit(clone, u.token, rec);
    const first = await invite(repo, u.login);
    const second = await invite(await repoOf(false), u.login);
    const res = await fetch(`${clone.endpoints.api}/__asym/clock`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-asym-admin': clone.adminSecret }, body: JSON.stringify({ action: 'advance', by: '8d' }) });
    expect(res.status).toBe(200);
    expect((await kit.rest.repos.listInvitationsForAuthenticatedUser()).data.map((i) => [i.id, i.expired])).toEqual([[first, true], [second, true]]);
    expect(await statusOf(kit.rest.repos.acceptInvitationForAuthenticatedUser({ invitation_id: first }))).toBe(404);
    expect(await statusOf(kit.rest.repos.get({ owner, repo }))).toBe(404);
    expect((await kit.rest.repos.declineInvitationForAuthenticatedUser({ invitation_id: first })).status).toBe(204);
    // Inviting again renews it.
    expect(await invite(repo, u.login)).not.toBe(first);
    expect((await kit.rest.repos.listInvitationsForAuthenticatedUser()).data.map((i) => i.expired)).toEqual([true, false]);
  });

  test("every recorded answer matches GitHub's schema", () => {
    const keys = new Set(rec.map((r) => r.key));
    for (const k of ['GET /user/repository_invitations', 'PATCH /user/repository_invitations/{invitation_id}', 'DELETE /user/repository_invitations/{invitation_id}']) expect(keys.has(k)).toBe(true);
    expect(rec.flatMap(schemaErrors)).toEqual([]);
  });
});
