import { KitError } from '../../../_kit/errors.ts';
import { json } from '../../../_kit/http.ts';
import type { KitContext } from '../../../_kit/types.ts';
import { notFound } from '../errors.ts';
import { listReply, pageOf } from '../paging.ts';
import * as render from '../render.ts';
import { usersByIds, type Collaboration } from '../store.ts';
import type { Gh, Reply, RepoRow, UserRow } from '../types.ts';
import { me, noContent } from './common.ts';

/**
 * Repository invitations, seen by the invitee (GitHub's "REST API endpoints for repository
 * invitations"). An invitation is made by POST /__asym/github/repo-invitations {owner, repo,
 * user, permission?, inviter?} (GitHub's PUT /repos/{o}/{r}/collaborators/{u} is not
 * emulated); the invitee lists theirs (GET /user/repository_invitations), accepts one (PATCH:
 * they become a collaborator with the invited permission, which loadRepo's permissions
 * honour: a private repository becomes visible, push lets them write) or declines it (DELETE:
 * it goes). Another user's invitation, or one that does not exist, is a 404. Invitations
 * expire after 7 days on the clone's clock (`expired`); an expired one can be declined but
 * not accepted (404). Classic tokens need `repo:invite` (or `repo`), scopes.ts.
 */

interface InvitationRow {
  id: number;
  repo_id: number;
  invitee_id: number;
  inviter_id: number | null;
  permission: Collaboration;
  created_at: Date;
  expired: boolean;
}

/** GitHub names an invitation's permission by its legacy names: pull is read, push is write. */
const LEGACY: Record<Collaboration, string> = { pull: 'read', triage: 'triage', push: 'write', maintain: 'maintain', admin: 'admin' };

const PERMISSIONS = Object.keys(LEGACY) as Collaboration[];

function invitationId(g: Gh): number {
  const n = Number(g.params.invitation_id);
  return Number.isInteger(n) && n > 0 && n <= 2_147_483_647 ? n : notFound();
}

export async function list(g: Gh): Promise<Reply> {
  const viewer = me(g);
  const p = pageOf(g);
  const db = g.ctx.db;
  const rows = await db.q<InvitationRow & { total: number }>`
    select i.*, i.created_at <= now() - interval '7 days' as expired, count(*) over ()::int as total
    from repo_invitations i where i.invitee_id = ${viewer.id} order by i.id limit ${p.perPage} offset ${p.offset}`;
  const repoIds = rows.map((r) => r.repo_id);
  const [repos, counts] = await Promise.all([
    repoIds.length ? db.q<RepoRow>`select * from repos where id = any(${repoIds}::int[])` : Promise.resolve([] as RepoRow[]),
    repoIds.length ? db.q<{ repo_id: number; n: number }>`select repo_id, count(*)::int as n from issues where repo_id = any(${repoIds}::int[]) and state = 'open' group by repo_id` : Promise.resolve([]),
  ]);
  const users = await usersByIds(g, [...repos.map((r) => r.owner_id), ...rows.map((r) => r.inviter_id), viewer.id]);
  const repoById = new Map(repos.map((r) => [r.id, r]));
  const open = new Map(counts.map((c) => [c.repo_id, c.n]));
  const items = rows.map((i) => {
    const repo = repoById.get(i.repo_id)!;
    const owner = users.get(repo.owner_id)!;
    const inviter = i.inviter_id !== null ? users.get(i.inviter_id) : undefined;
    return {
      id: i.id,
      node_id: render.nodeId('RepositoryInvitation', i.id),
      repository: render.repository(g.base, { ...repo, owner }, { openIssues: open.get(repo.id) ?? 0, full: false }),
      invitee: render.simpleUser(g.base, viewer),
      inviter: inviter ? render.simpleUser(g.base, inviter) : null,
      permissions: LEGACY[i.permission],
      created_at: render.iso(i.created_at),
      expired: i.expired,
      url: `${g.base}/user/repository_invitations/${i.id}`,
      html_url: `${render.htmlBase(g.base)}/${owner.login}/${repo.name}/invitations`,
    };
  });
  return listReply(g, p, items, rows[0]?.total ?? 0);
}

export async function accept(g: Gh): Promise<Reply> {
  const viewer = me(g);
  const id = invitationId(g);
  const accepted = await g.ctx.db.tx(async (tx) => {
    const [inv] = (await tx`
      delete from repo_invitations where id = ${id} and invitee_id = ${viewer.id} and created_at > now() - interval '7 days' returning *`) as InvitationRow[];
    if (!inv) return false;
    await tx`insert into repo_collaborators (repo_id, user_id, permission) values (${inv.repo_id}, ${viewer.id}, ${inv.permission})
      on conflict (repo_id, user_id) do update set permission = excluded.permission`;
    return true;
  });
  return accepted ? noContent() : notFound();
}

export async function decline(g: Gh): Promise<Reply> {
  const viewer = me(g);
  const id = invitationId(g);
  const gone = await g.ctx.db.q`delete from repo_invitations where id = ${id} and invitee_id = ${viewer.id} returning id`;
  return gone.length ? noContent() : notFound();
}

/** POST /__asym/github/repo-invitations {owner, repo, user, permission?, inviter?}: a pending invitation. */
export async function adminInvite(b: Record<string, unknown>, ctx: KitContext): Promise<Response> {
  const permission = (b.permission ?? 'push') as Collaboration;
  if (!PERMISSIONS.includes(permission)) throw new KitError('invalid_permission', `permission must be one of ${PERMISSIONS.join(', ')}`, { status: 400 });
  const [repo] = await ctx.db.q<RepoRow & { owner_login: string; owner_type: string }>`
    select r.*, u.login as owner_login, u.type as owner_type from repos r join users u on u.id = r.owner_id
    where lower(u.login) = lower(${String(b.owner ?? '')}) and lower(r.name) = lower(${String(b.repo ?? '')})`;
  const userOf = async (ref: unknown) => (await ctx.db.q<UserRow>`select * from users where lower(login) = lower(${String(ref ?? '')}) and type = 'User'`)[0];
  const user = await userOf(b.user);
  if (!repo || !user) throw new KitError('not_found', 'owner/repo must name a repository and user a user', { status: 404 });
  if (user.id === repo.owner_id) throw new KitError('is_owner', `${user.login} owns ${repo.owner_login}/${repo.name}`, { status: 409 });
  // The inviter: named, else the owning user (an organisation's invitation names none).
  const inviter = b.inviter !== undefined ? await userOf(b.inviter) : null;
  if (b.inviter !== undefined && !inviter) throw new KitError('not_found', 'inviter must name a user', { status: 404 });
  const inviterId = inviter?.id ?? (repo.owner_type === 'User' ? repo.owner_id : null);
  const collab = await ctx.db.q`select 1 from repo_collaborators where repo_id = ${repo.id} and user_id = ${user.id}`;
  if (collab.length) throw new KitError('already_collaborator', `${user.login} is a collaborator on ${repo.owner_login}/${repo.name}`, { status: 409 });
  // Inviting again renews the invitation (a new permission, a fresh 7 days).
  const [inv] = await ctx.db.q<{ id: number }>`
    insert into repo_invitations (repo_id, invitee_id, inviter_id, permission) values (${repo.id}, ${user.id}, ${inviterId}, ${permission})
    on conflict (repo_id, invitee_id) do update set permission = excluded.permission, inviter_id = excluded.inviter_id, created_at = now()
    returning id`;
  return json({ ok: true, invitation: { id: inv!.id, repository: `${repo.owner_login}/${repo.name}`, invitee: user.login, permission } });
}
