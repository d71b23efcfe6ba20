import { notFound } from '../errors.ts';
import { forgetViewer } from '../viewers.ts';
import { sliceReply } from '../paging.ts';
import * as render from '../render.ts';
import { userByLogin } from '../store.ts';
import type { Gh, Reply, UserRow } from '../types.ts';
import { me, ok, text } from './common.ts';

export interface UserCounts {
  publicRepos: number;
  privateRepos: number;
  ownedPrivate: number;
  followers: number;
  following: number;
}

/** Repository and follow counts of a user, as GitHub's user objects carry them. */
export async function repoCounts(g: Gh, userId: number): Promise<UserCounts> {
  const rows = await g.ctx.db.q<{ pub: number; priv: number; followers: number; following: number }>`
    select (select count(*) from repos where owner_id = ${userId} and not private)::int as pub,
      (select count(*) from repos where owner_id = ${userId} and private)::int as priv,
      (select count(*) from follows where followee_id = ${userId})::int as followers,
      (select count(*) from follows where follower_id = ${userId})::int as following`;
  const r = rows[0] ?? { pub: 0, priv: 0, followers: 0, following: 0 };
  return { publicRepos: r.pub, privateRepos: r.priv, ownedPrivate: r.priv, followers: r.followers, following: r.following };
}

export async function getAuthenticated(g: Gh): Promise<Reply> {
  const u = me(g);
  const counts = await repoCounts(g, u.id);
  // A classic token without `user` (or `read:user`) sees the public profile only.
  if (g.scopes && !g.scopes.has('read:user')) return ok(render.publicUser(g.base, u, counts));
  return ok(render.privateUser(g.base, u, counts));
}

export async function updateAuthenticated(g: Gh): Promise<Reply> {
  const u = me(g);
  const patch: Partial<Record<keyof UserRow, unknown>> = {};
  for (const f of ['name', 'email', 'blog', 'twitter_username', 'company', 'location', 'bio'] as const) {
    const v = text(g, f, 'User');
    if (v !== undefined) patch[f] = v;
  }
  if (typeof g.body.hireable === 'boolean') patch.hireable = g.body.hireable;
  const rows = await g.ctx.db.q<UserRow>`update users set
      name = coalesce(${patch.name ?? null}, name), email = coalesce(${patch.email ?? null}, email),
      blog = coalesce(${patch.blog ?? null}, blog), twitter_username = coalesce(${patch.twitter_username ?? null}, twitter_username),
      company = coalesce(${patch.company ?? null}, company), location = coalesce(${patch.location ?? null}, location),
      bio = coalesce(${patch.bio ?? null}, bio), hireable = coalesce(${patch.hireable ?? null}::boolean, hireable), updated_at = now()
    where id = ${u.id} returning *`;
  forgetViewer(g.ctx.db, u.id);
  return ok(render.privateUser(g.base, rows[0]!, await repoCounts(g, u.id)));
}

export async function getByUsername(g: Gh): Promise<Reply> {
  const u = (await userByLogin(g, g.params.username ?? '')) ?? notFound();
  return ok(await publicUserJson(g, u));
}

export async function publicUserJson(g: Gh, u: UserRow): Promise<Record<string, unknown>> {
  const counts = await repoCounts(g, u.id);
  const body = render.publicUser(g.base, u, counts);
  if (u.type === 'Organization') Object.assign(body, { bio: u.description });
  return body;
}

export async function orgJson(g: Gh, o: UserRow): Promise<Record<string, unknown>> {
  const counts = await repoCounts(g, o.id);
  return {
    ...render.organizationSimple(g.base, o),
    // Optional non-nullable strings in GitHub's schema: omitted when unset.
    ...Object.fromEntries(Object.entries({ name: o.name, company: o.company, blog: o.blog, location: o.location, email: o.email }).filter(([, v]) => v)),
    twitter_username: o.twitter_username,
    is_verified: false,
    has_organization_projects: true,
    has_repository_projects: true,
    public_repos: counts.publicRepos,
    public_gists: 0,
    followers: counts.followers,
    following: counts.following,
    html_url: `${render.htmlBase(g.base)}/${o.login}`,
    type: 'Organization',
    created_at: render.iso(o.created_at),
    updated_at: render.iso(o.updated_at),
    archived_at: null,
  };
}

export async function getOrg(g: Gh): Promise<Reply> {
  const o = await userByLogin(g, g.params.org ?? '');
  if (!o || o.type !== 'Organization') return notFound();
  return ok(await orgJson(g, o));
}

async function orgsOf(g: Gh, userId: number): Promise<UserRow[]> {
  return g.ctx.db.q<UserRow>`select u.* from org_members m join users u on u.id = m.org_id where m.user_id = ${userId} order by u.id`;
}

export async function listMyOrgs(g: Gh): Promise<Reply> {
  const u = me(g);
  return sliceReply(g, await orgsOf(g, u.id), (o) => render.organizationSimple(g.base, o));
}

export async function listOrgsForUser(g: Gh): Promise<Reply> {
  const u = (await userByLogin(g, g.params.username ?? '')) ?? notFound();
  return sliceReply(g, await orgsOf(g, u.id), (o) => render.organizationSimple(g.base, o));
}
