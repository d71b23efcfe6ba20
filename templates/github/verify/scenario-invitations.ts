import { is, stepFailed, type ScenarioContext } from '../../../src/verify/types.ts';
import { octokitAt, statusOf } from './octokit.ts';


/**
 * Repository invitations seen by the invitee (called at the end of scenario.ts): invitations
 * made through the admin surface are listed, one accepted (the private repository opens to
 * the new collaborator, who may then write), one declined (it goes), another user's is a 404.
 */
export async function invitationsScenario(ctx: ScenarioContext): Promise<void> {
  const kit = (auth?: string) => octokitAt(ctx.apiUrl, auth);
  const bot = kit(ctx.clone.tokens.botToken);
  const L = 'GET /user/repository_invitations';
  const A = 'PATCH /user/repository_invitations/{invitation_id}';
  const D = 'DELETE /user/repository_invitations/{invitation_id}';

  await ctx.step('repository invitations', async () => {
    const owner = 'asym-bot';
    const secret = `verify-inv-private-${ctx.unique}`;
    const open = `verify-inv-public-${ctx.unique}`;
    await bot.rest.repos.createForAuthenticatedUser({ name: secret, private: true });
    await bot.rest.repos.createForAuthenticatedUser({ name: open });
    const person = async (login: string) => {
      await ctx.admin('github/users', { login });
      return kit((await ctx.admin('github/user-token', { user: login })).json.token as string);
    };
    const inviteeLogin = `verify-invitee-${ctx.unique}`;
    const invitee = await person(inviteeLogin);
    const other = await person(`verify-other-${ctx.unique}`);
    const invite = async (repo: string, user: string, permission: string) => {
      const r = await ctx.admin('github/repo-invitations', { owner, repo, user, permission });
      if (r.status !== 200) throw stepFailed(`inviting failed: ${JSON.stringify(r.json).slice(0, 200)}`);
      return r.json.invitation.id as number;
    };
    const toSecret = await invite(secret, inviteeLogin, 'push');
    const toOpen = await invite(open, inviteeLogin, 'pull');
    const othersInvitation = await invite(open, `verify-other-${ctx.unique}`, 'triage');

    const listed = (await invitee.rest.repos.listInvitationsForAuthenticatedUser()).data;
    const mine = listed.find((i) => i.id === toSecret);
    await ctx.check(L, "the invitee's two invitations, with GitHub's permission names, not expired", () =>
      is(listed.length === 2 && mine?.permissions === 'write' && mine.repository.full_name === `${owner}/${secret}` && mine.inviter?.login === owner && mine.invitee?.login === inviteeLogin && mine.expired === false && listed.find((i) => i.id === toOpen)?.permissions === 'read', JSON.stringify(listed.map((i) => [i.id, i.permissions, i.expired]))));
    const none = kit((await ctx.admin('github/user-token', { user: inviteeLogin, scopes: [] })).json.token as string);
    await ctx.errorCase(L, 'a classic token without repo or repo:invite', { status: 404, code: 'Not Found' }, () => none.rest.repos.listInvitationsForAuthenticatedUser());

    const hidden = await statusOf(invitee.rest.repos.get({ owner, repo: secret }));
    await invitee.rest.repos.acceptInvitationForAuthenticatedUser({ invitation_id: toSecret });
    const seen = await invitee.rest.repos.get({ owner, repo: secret }).then((r) => r.data, () => null);
    await ctx.check(A, 'accepting opens the private repository to the new collaborator, with push access', () => is(hidden === 404 && seen?.permissions?.push === true && seen.permissions.admin === false, `${hidden} then ${JSON.stringify(seen?.permissions)}`));
    const issue = await statusOf(invitee.rest.issues.create({ owner, repo: secret, title: 'from a collaborator' }));
    await ctx.check(A, 'the collaborator opens an issue in it', () => is(issue === 201, String(issue)));
    await ctx.errorCase(A, "another user's invitation", { status: 404, code: 'Not Found' }, () => invitee.rest.repos.acceptInvitationForAuthenticatedUser({ invitation_id: othersInvitation }));
    await ctx.errorCase(A, 'an invitation already accepted', { status: 404, code: 'Not Found' }, () => invitee.rest.repos.acceptInvitationForAuthenticatedUser({ invitation_id: toSecret }));

    await invitee.rest.repos.declineInvitationForAuthenticatedUser({ invitation_id: toOpen });
    const left = (await invitee.rest.repos.listInvitationsForAuthenticatedUser()).data;
    await ctx.check(D, 'declining removes the invitation', () => is(left.length === 0, JSON.stringify(left.map((i) => i.id))));
    await ctx.errorCase(D, "another user's invitation", { status: 404, code: 'Not Found' }, () => invitee.rest.repos.declineInvitationForAuthenticatedUser({ invitation_id: othersInvitation }));
    const stillThere = (await other.rest.repos.listInvitationsForAuthenticatedUser()).data;
    await ctx.check(D, "another user's invitation survives the attempt", () => is(stillThere.some((i) => i.id === othersInvitation), 'gone'));

    await bot.rest.repos.delete({ owner, repo: secret });
    await bot.rest.repos.delete({ owner, repo: open });
  });
}
