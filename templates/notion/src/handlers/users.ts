import { notFound } from '../errors.ts';
import { pageSize, paginate } from '../util.ts';
import { listOf, pathId, type Call } from './common.ts';

/** Users: list, retrieve, and the caller (`users/me`). */

export async function list(c: Call) {
  const all = [...(await c.store.users()).values()];
  const page = paginate(all, (u) => u.id, c.query.get('start_cursor') ?? undefined, pageSize(c.query.get('page_size') ?? undefined, 'query.page_size'), 'query.start_cursor');
  return listOf('user', { ...page, results: await Promise.all(page.results.map((u) => c.store.renderUser(u))) });
}

export async function me(c: Call) {
  return c.store.renderUser((await c.store.users()).get(c.caller.userId)!);
}

export async function get(c: Call) {
  const id = pathId(c, 0, 'user_id');
  const u = (await c.store.users()).get(id);
  if (!u) throw notFound('user', id);
  return c.store.renderUser(u);
}
