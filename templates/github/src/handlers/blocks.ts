import { invalid, notFound } from '../errors.ts';
import { listReply, pageOf } from '../paging.ts';
import * as render from '../render.ts';
import { userByLogin } from '../store.ts';
import type { Gh, Reply, UserRow } from '../types.ts';
import { me, noContent } from './common.ts';

/**
 * Users blocked by the authenticated user's personal account. Blocking does what GitHub's
 * "Blocking a user from your personal account" lists among its effects for the state this
 * clone keeps: the blocked user stops following you, and their stars on your repositories
 * are removed (stargazers_count moves with them). The rest of that list (forks, watching,
 * notifications, collaborators) concerns state the clone does not keep.
 */

async function target(g: Gh): Promise<UserRow> {
  return (await userByLogin(g, g.params.username ?? '')) ?? notFound();
}

export async function list(g: Gh): Promise<Reply> {
  const viewer = me(g);
  const p = pageOf(g);
  const count = await g.ctx.db.q<{ n: number }>`select count(*)::int as n from blocks where blocker_id = ${viewer.id}`;
  const rows = await g.ctx.db.q<UserRow>`
    select u.* from blocks b join users u on u.id = b.blocked_id where b.blocker_id = ${viewer.id}
    order by b.created_at, u.id limit ${p.perPage} offset ${p.offset}`;
  return listReply(g, p, rows.map((u) => render.simpleUser(g.base, u)), count[0]?.n ?? 0);
}

/** 204 when blocked; 404 when not (or when there is no such user), as GitHub documents. */
export async function check(g: Gh): Promise<Reply> {
  const viewer = me(g);
  const u = await target(g);
  const rows = await g.ctx.db.q`select 1 from blocks where blocker_id = ${viewer.id} and blocked_id = ${u.id}`;
  return rows.length ? noContent() : notFound();
}

export async function block(g: Gh): Promise<Reply> {
  const viewer = me(g);
  const u = await target(g);
  // "If the authenticated user cannot block the given user a 422 is returned."
  if (u.id === viewer.id) invalid('Block', 'custom', 'username', { message: 'You cannot block yourself' });
  await g.ctx.db.tx(async (tx) => {
    const added = await tx`insert into blocks (blocker_id, blocked_id) values (${viewer.id}, ${u.id}) on conflict do nothing returning 1`;
    if (!added.length) return;
    await tx`delete from follows where follower_id = ${u.id} and followee_id = ${viewer.id}`;
    const unstarred: Array<{ repo_id: number }> = await tx`
      delete from stars s using repos r where s.repo_id = r.id and r.owner_id = ${viewer.id} and s.user_id = ${u.id} returning s.repo_id`;
    const ids = unstarred.map((s) => s.repo_id);
    if (ids.length) await tx`update repos set stargazers_count = greatest(0, stargazers_count - 1) where id = any(${ids}::int[])`;
  });
  return noContent();
}

export async function unblock(g: Gh): Promise<Reply> {
  const viewer = me(g);
  const u = await target(g);
  await g.ctx.db.q`delete from blocks where blocker_id = ${viewer.id} and blocked_id = ${u.id}`;
  return noContent();
}
