import type { SQL } from 'bun';
import type { KitContext } from '../../_kit/types.ts';
import type { Caller } from './auth.ts';

/**
 * What the integration may see. Notion: an internal integration reaches only the pages and
 * databases shared with it ("Add connections") and everything under them; anything else
 * answers 404 object_not_found, as if it did not exist, and is absent from search. A person's
 * token (the clone's userToken, like a personal access token) uses that person's own page
 * permissions: the admin, a workspace owner, sees the whole workspace.
 *
 * The `shares` table holds what is shared (migrations/002_sharing.sql); `tree_edges` links
 * every page, database, data source and block to its parent. An object is visible when it or
 * an ancestor is shared, so what the integration creates under a visible parent is visible,
 * and unsharing a page takes its whole subtree away again.
 */

/** A person sees the whole workspace; the integration (a bot) only what is shared with it. */
export const seesAll = (caller: Caller): boolean => caller.type !== 'bot';

/**
 * One query: walks up from `id` through its ancestors and looks for a shared one. Each step
 * looks the parent up by primary key in the four tables (the same edges as the tree_edges
 * view, written out so the plan is index lookups whatever the tables' size or statistics),
 * so the cost grows with the depth of the object, not with the size of the workspace.
 */
export async function isShared(ctx: KitContext, id: string): Promise<boolean> {
  const rows = await ctx.db.q<{ ok: boolean }>`
    with recursive up(id) as (
      select ${id}::text
      union
      select e.parent_id from up cross join lateral (
        select tree_parent as parent_id from pages where pages.id = up.id
        union all select database_id from data_sources where data_sources.id = up.id
        union all select tree_parent from databases where databases.id = up.id
        union all select parent_id from blocks where blocks.id = up.id and type not in ('child_page', 'child_database')
      ) e where e.parent_id is not null
    )
    select exists (select 1 from up join shares s on s.id = up.id) as ok`;
  return rows[0]?.ok === true;
}

/**
 * Every id the integration can see, for search: one query walking the tree down from the
 * shares (a prepared statement, so its plan is made once per connection).
 */
export async function visibleIds(ctx: KitContext): Promise<Set<string>> {
  const rows = await ctx.db.q<{ id: string }>`
    with recursive down(id) as (
      select id from shares
      union
      select e.id from tree_edges e join down on e.parent_id = down.id
    )
    select id from down`;
  return new Set(rows.map((r) => r.id));
}

/** Shares a page or database with the integration (idempotent); stamped with the clone's clock. */
export async function share(tx: SQL, id: string, object: 'page' | 'database', at: Date): Promise<void> {
  await tx`insert into shares (id, object, shared_time) values (${id}, ${object}, ${at}) on conflict (id) do nothing`;
}
