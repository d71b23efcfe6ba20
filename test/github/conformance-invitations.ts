/** Repository invitations for conformance.test.ts: list, accept and decline, each recorded for the schema check. */
import type { Octokit } from '@octokit/rest';
import { expect } from 'bun:test';
import { admin, newUser, octokit, unique, type Clone, type Recorded } from './helpers.ts';

export async function invitationsConformance(clone: Clone, bot: Octokit, rec: Recorded[]): Promise<void> {
  const repo = (await bot.rest.repos.createForAuthenticatedUser({ name: unique('conf-inv'), private: true })).data.name;
  const u = await newUser(clone, unique('conf-invitee').slice(0, 30));
  const kit = octokit(clone, u.token, rec);
  const invite = async (permission: string) => (await admin(clone, 'repo-invitations', { owner: 'asym-bot', repo, user: u.login, permission })).invitation.id as number;
  const id = await invite('push');
  expect((await kit.rest.repos.listInvitationsForAuthenticatedUser()).data.map((i) => i.id)).toEqual([id]);
  expect((await kit.rest.repos.declineInvitationForAuthenticatedUser({ invitation_id: id })).status).toBe(204);
  const again = await invite('admin');
  expect((await kit.rest.repos.acceptInvitationForAuthenticatedUser({ invitation_id: again })).status).toBe(204);
  expect((await kit.rest.repos.get({ owner: 'asym-bot', repo })).data.permissions?.admin).toBe(true);
}
