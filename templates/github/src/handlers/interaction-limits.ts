import { invalid } from '../errors.ts';
import * as render from '../render.ts';
import type { Gh, Reply } from '../types.ts';
import { me, noContent, ok } from './common.ts';

/**
 * The authenticated user's interaction restriction on their public repositories: a limit
 * and its expiry (one_day by default), on the clone's clock; an expired one reads as none
 * ({}). Stored and answered, not enforced: issue and comment writes do not consult it.
 */

const LIMITS = ['existing_users', 'contributors_only', 'collaborators_only'] as const;
const EXPIRY: Record<string, string> = { one_day: '1 day', three_days: '3 days', one_week: '7 days', one_month: '1 month', six_months: '6 months' };

interface LimitRow {
  limit: string;
  expires_at: Date;
}

const json = (r: LimitRow) => ({ limit: r.limit, origin: 'user', expires_at: render.iso(r.expires_at) });

export async function get(g: Gh): Promise<Reply> {
  const rows = await g.ctx.db.q<LimitRow>`select "limit", expires_at from interaction_limits where user_id = ${me(g).id} and expires_at > now()`;
  return ok(rows[0] ? json(rows[0]) : {});
}

export async function set(g: Gh): Promise<Reply> {
  const u = me(g);
  const limit = g.body.limit;
  if (limit === undefined || limit === null) invalid('InteractionLimit', 'missing_field', 'limit');
  if (!(LIMITS as readonly unknown[]).includes(limit)) invalid('InteractionLimit', 'invalid', 'limit', { value: limit });
  const expiry = g.body.expiry ?? 'one_day';
  const interval = typeof expiry === 'string' ? EXPIRY[expiry] : undefined;
  if (!interval) return invalid('InteractionLimit', 'invalid', 'expiry', { value: expiry });
  const rows = await g.ctx.db.q<LimitRow>`
    insert into interaction_limits (user_id, "limit", expires_at) values (${u.id}, ${limit}, now() + ${interval}::interval)
    on conflict (user_id) do update set "limit" = excluded."limit", expires_at = excluded.expires_at
    returning "limit", expires_at`;
  return ok(json(rows[0]!));
}

export async function remove(g: Gh): Promise<Reply> {
  await g.ctx.db.q`delete from interaction_limits where user_id = ${me(g).id}`;
  return noContent();
}
