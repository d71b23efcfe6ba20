import { KitError } from '../../../_kit/errors.ts';
import { json } from '../../../_kit/http.ts';
import type { KitContext } from '../../../_kit/types.ts';
import { GitHubError, invalid, notFound } from '../errors.ts';
import { userByLogin } from '../store.ts';
import type { Gh, Reply, UserRow } from '../types.ts';
import { me, ok } from './common.ts';

/**
 * Pending organisation memberships. An invitation (POST /__asym/github/org-invitations {org,
 * user, role?}: the org invitations API is not emulated) makes the user a `pending` member:
 * GET /user/memberships/orgs[/{org}] show it, and PATCH /user/memberships/orgs/{org} with
 * `state: active` accepts it (the user joins with the invited role). PATCH on an active
 * membership answers it unchanged; with neither, 404.
 */

export interface Pending {
  org: UserRow;
  role: string;
}

/** The viewer's pending memberships (all, or of one organisation). */
export async function pendingFor(g: Gh, user: UserRow, orgId?: number): Promise<Pending[]> {
  const rows = await g.ctx.db.q<UserRow & { invited_role: string }>`
    select u.*, i.role as invited_role from org_invitations i join users u on u.id = i.org_id
    where i.user_id = ${user.id} and (${orgId ?? null}::int is null or i.org_id = ${orgId ?? null}::int) order by u.id`;
  return rows.map(({ invited_role, ...org }) => ({ org: org as UserRow, role: invited_role }));
}

export async function accept(g: Gh, render: (org: UserRow, role: string, state: 'active' | 'pending') => Record<string, unknown>): Promise<Reply> {
  const viewer = me(g);
  const state = g.body.state;
  if (state === undefined || state === null) invalid('Membership', 'missing_field', 'state');
  if (state !== 'active') throw new GitHubError(422, `Invalid request.\n\nFor 'state', ${JSON.stringify(state)} is not a member of ["active"].`);
  const org = await userByLogin(g, g.params.org ?? '');
  if (!org || org.type !== 'Organization') return notFound();
  const member = await g.ctx.db.q<{ role: string }>`select role from org_members where org_id = ${org.id} and user_id = ${viewer.id}`;
  if (member[0]) return ok(render(org, member[0].role, 'active'));
  const invited = (await pendingFor(g, viewer, org.id))[0] ?? notFound();
  await g.ctx.db.tx(async (tx) => {
    await tx`insert into org_members (org_id, user_id, role) values (${org.id}, ${viewer.id}, ${invited.role}) on conflict do nothing`;
    await tx`delete from org_invitations where org_id = ${org.id} and user_id = ${viewer.id}`;
  });
  return ok(render(org, invited.role, 'active'));
}

/** POST /__asym/github/org-invitations {org, user, role?}. */
export async function adminInvite(b: Record<string, unknown>, ctx: KitContext): Promise<Response> {
  const find = async (ref: unknown, type: string) => (await ctx.db.q<UserRow>`select * from users where lower(login) = lower(${String(ref ?? '')}) and type = ${type}`)[0];
  const org = await find(b.org, 'Organization');
  const user = await find(b.user, 'User');
  if (!org || !user) throw new KitError('not_found', 'org must name an organisation and user a user', { status: 404 });
  const role = b.role === 'admin' ? 'admin' : 'member';
  const member = await ctx.db.q`select 1 from org_members where org_id = ${org.id} and user_id = ${user.id}`;
  if (member.length) throw new KitError('already_member', `${user.login} is a member of ${org.login}`, { status: 409 });
  await ctx.db.q`insert into org_invitations (org_id, user_id, role) values (${org.id}, ${user.id}, ${role}) on conflict (org_id, user_id) do update set role = excluded.role`;
  return json({ ok: true, invitation: { org: org.login, user: user.login, role } });
}
