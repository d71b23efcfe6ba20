import { refuseIfBlocked } from './guards.ts';
import { int, str } from '../../../_kit/http.ts';
import { invalid, notFound } from '../errors.ts';
import { listReply, pageOf } from '../paging.ts';
import * as render from '../render.ts';
import { loadRepo, renderRepos, seesPrivate, userByLogin, viewerOrgIds } from '../store.ts';
import type { Gh, RepoRow, Reply, UserRow } from '../types.ts';
import { choice, me, noContent, ok } from './common.ts';
import { publicUserJson } from './users.ts';
import { accept, pendingFor } from './org-invitations.ts';

/**
 * Accounts (GET /users, GET /user/{account_id}), stars, follows and the authenticated
 * user's organisation memberships. Stars keep repos.stargazers_count in step (the fixture
 * sets counts without star rows, so the column is the count and each star moves it);
 * follower counts are counted from the follows table.
 */

// ---- accounts ----

export async function list(g: Gh): Promise<Reply> {
  const since = Math.max(0, int(g.query.since, 0));
  const perPage = Math.min(100, Math.max(1, int(g.query.per_page, 30)));
  const rows = await g.ctx.db.q<UserRow>`select * from users where id > ${since} order by id limit ${perPage + 1}`;
  const page = rows.slice(0, perPage);
  const headers: Record<string, string> = {};
  if (rows.length > perPage) {
    const last = page[page.length - 1]!.id;
    headers.link = `<${g.base}/users?per_page=${perPage}&since=${last}>; rel="next", <${g.base}/users{?since}>; rel="first"`;
  }
  return { status: 200, body: page.map((u) => render.simpleUser(g.base, u)), headers };
}

export async function getById(g: Gh): Promise<Reply> {
  const raw = g.params.account_id ?? '';
  if (!/^\d+$/.test(raw) || Number(raw) > 2_147_483_647) return notFound();
  const rows = await g.ctx.db.q<UserRow>`select * from users where id = ${Number(raw)}`;
  return ok(await publicUserJson(g, rows[0] ?? notFound()));
}

// ---- stars ----

async function starredReply(g: Gh, userId: number): Promise<Reply> {
  const sort = choice(g.query.sort, ['created', 'updated'] as const, 'created');
  const direction = choice(g.query.direction, ['asc', 'desc'] as const, 'desc');
  const col = sort === 'created' ? 's.created_at' : 'r.updated_at';
  const params: unknown[] = [userId, g.viewer?.id ?? -1, await viewerOrgIds(g)];
  const where = seesPrivate(g) ? 's.user_id = $1 and (not r.private or r.owner_id = $2 or r.owner_id = any($3::int[]))' : 's.user_id = $1 and not r.private and $2::int is not null and $3::int[] is not null';
  const p = pageOf(g);
  const count = await g.ctx.db.unsafe<{ n: number }>(`select count(*)::int as n from stars s join repos r on r.id = s.repo_id where ${where}`, params);
  const rows = await g.ctx.db.unsafe<RepoRow>(
    `select r.* from stars s join repos r on r.id = s.repo_id where ${where} order by ${col} ${direction}, r.id ${direction} limit ${p.perPage} offset ${p.offset}`,
    params,
  );
  return listReply(g, p, await renderRepos(g, rows), count[0]?.n ?? 0);
}

export async function listStarred(g: Gh): Promise<Reply> {
  return starredReply(g, me(g).id);
}

export async function listStarredByUser(g: Gh): Promise<Reply> {
  const u = (await userByLogin(g, g.params.username ?? '')) ?? notFound();
  return starredReply(g, u.id);
}

export async function star(g: Gh): Promise<Reply> {
  const viewer = me(g);
  const repo = await loadRepo(g);
  // A user the owner blocked cannot star the owner's repositories.
  await refuseIfBlocked(g, repo.owner_id);
  await g.ctx.db.tx(async (tx) => {
    const added = await tx`insert into stars (user_id, repo_id) values (${viewer.id}, ${repo.id}) on conflict do nothing returning 1`;
    if (added.length) await tx`update repos set stargazers_count = stargazers_count + 1 where id = ${repo.id}`;
  });
  return noContent();
}

export async function unstar(g: Gh): Promise<Reply> {
  const viewer = me(g);
  const repo = await loadRepo(g);
  await g.ctx.db.tx(async (tx) => {
    const removed = await tx`delete from stars where user_id = ${viewer.id} and repo_id = ${repo.id} returning 1`;
    if (removed.length) await tx`update repos set stargazers_count = greatest(0, stargazers_count - 1) where id = ${repo.id}`;
  });
  return noContent();
}

export async function checkStarred(g: Gh): Promise<Reply> {
  const viewer = me(g);
  const repo = await loadRepo(g);
  const rows = await g.ctx.db.q`select 1 from stars where user_id = ${viewer.id} and repo_id = ${repo.id}`;
  return rows.length ? noContent() : notFound();
}

// ---- follows ----

async function usersReply(g: Gh, sql: 'followers' | 'following', userId: number): Promise<Reply> {
  const p = pageOf(g);
  const [join, key] = sql === 'followers' ? ['f.follower_id', 'f.followee_id'] : ['f.followee_id', 'f.follower_id'];
  const count = await g.ctx.db.unsafe<{ n: number }>(`select count(*)::int as n from follows f where ${key} = $1`, [userId]);
  const rows = await g.ctx.db.unsafe<UserRow>(
    `select u.* from follows f join users u on u.id = ${join} where ${key} = $1 order by f.created_at desc, u.id desc limit ${p.perPage} offset ${p.offset}`,
    [userId],
  );
  return listReply(g, p, rows.map((u) => render.simpleUser(g.base, u)), count[0]?.n ?? 0);
}

export const listMyFollowers = (g: Gh) => usersReply(g, 'followers', me(g).id);
export const listMyFollowing = (g: Gh) => usersReply(g, 'following', me(g).id);

export async function listFollowersForUser(g: Gh): Promise<Reply> {
  const u = (await userByLogin(g, g.params.username ?? '')) ?? notFound();
  return usersReply(g, 'followers', u.id);
}

export async function listFollowingForUser(g: Gh): Promise<Reply> {
  const u = (await userByLogin(g, g.params.username ?? '')) ?? notFound();
  return usersReply(g, 'following', u.id);
}

export async function follow(g: Gh): Promise<Reply> {
  const viewer = me(g);
  const target = (await userByLogin(g, g.params.username ?? '')) ?? notFound();
  if (target.id === viewer.id) invalid('Follow', 'custom', 'username', { message: 'You cannot follow yourself' });
  // A user you blocked cannot follow you.
  await refuseIfBlocked(g, target.id);
  await g.ctx.db.q`insert into follows (follower_id, followee_id) values (${viewer.id}, ${target.id}) on conflict do nothing`;
  return noContent();
}

export async function unfollow(g: Gh): Promise<Reply> {
  const viewer = me(g);
  const target = (await userByLogin(g, g.params.username ?? '')) ?? notFound();
  await g.ctx.db.q`delete from follows where follower_id = ${viewer.id} and followee_id = ${target.id}`;
  return noContent();
}

async function follows(g: Gh, followerId: number, login: string): Promise<Reply> {
  const target = (await userByLogin(g, login)) ?? notFound();
  const rows = await g.ctx.db.q`select 1 from follows where follower_id = ${followerId} and followee_id = ${target.id}`;
  return rows.length ? noContent() : notFound();
}

export async function checkFollowing(g: Gh): Promise<Reply> {
  return follows(g, me(g).id, g.params.username ?? '');
}

export async function checkFollowingForUser(g: Gh): Promise<Reply> {
  const u = (await userByLogin(g, g.params.username ?? '')) ?? notFound();
  return follows(g, u.id, g.params.target_user ?? '');
}

// ---- organisation memberships of the authenticated user ----

function membership(g: Gh, org: UserRow, user: UserRow, role: string, state: 'active' | 'pending' = 'active'): Record<string, unknown> {
  return {
    url: `${g.base}/orgs/${org.login}/memberships/${user.login}`,
    state,
    role,
    direct_membership: true,
    organization_url: `${g.base}/orgs/${org.login}`,
    organization: render.organizationSimple(g.base, org),
    user: render.simpleUser(g.base, user),
    permissions: { can_create_repository: true },
  };
}

export async function listMemberships(g: Gh): Promise<Reply> {
  const viewer = me(g);
  const state = str(g.query.state);
  if (state !== undefined && state !== 'active' && state !== 'pending') invalid('Membership', 'invalid', 'state', { value: state });
  const active = state === 'pending' ? [] : await g.ctx.db.q<UserRow & { role: string }>`
    select u.*, m.role from org_members m join users u on u.id = m.org_id where m.user_id = ${viewer.id} order by u.id`;
  const rows = [...active.map((o) => membership(g, o, viewer, o.role)), ...(state === 'active' ? [] : (await pendingFor(g, viewer)).map((i) => membership(g, i.org, viewer, i.role, 'pending')))];
  const p = pageOf(g);
  return listReply(g, p, rows.slice(p.offset, p.offset + p.perPage), rows.length);
}

export async function getMembership(g: Gh): Promise<Reply> {
  const viewer = me(g);
  const org = await userByLogin(g, g.params.org ?? '');
  if (!org || org.type !== 'Organization') return notFound();
  const rows = await g.ctx.db.q<{ role: string }>`select role from org_members where org_id = ${org.id} and user_id = ${viewer.id}`;
  if (rows[0]) return ok(membership(g, org, viewer, rows[0].role));
  const invited = (await pendingFor(g, viewer, org.id))[0] ?? notFound();
  return ok(membership(g, org, viewer, invited.role, 'pending'));
}

export const acceptMembership = (g: Gh) => accept(g, (org, role, state) => membership(g, org, me(g), role, state));
