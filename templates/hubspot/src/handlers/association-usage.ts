import { clockNow } from '../../../_kit/clock.ts';
import { notFound, validation } from '../errors.ts';
import { TYPE_IDS } from '../schema.ts';
import type { Call, Result } from '../types.ts';

/**
 * POST /crm/v4/associations/usage/high-usage-report/{userId}: "Requests a report of all
 * objects in the portal which have a high usage of associations", sent to that user. The clone
 * builds the report at once and keeps it (association_usage_reports): every record holding at
 * least 80% of a configured association limit (definitions/configurations) by one type.
 */

/** Share of a limit at which a record counts as high usage. */
export const HIGH_USAGE = 0.8;

export async function highUsageReport(c: Call): Promise<Result> {
  const ref = c.ids[0] ?? '';
  if (!/^\d{1,18}$/.test(ref)) throw validation(`userId must be a HubSpot user id (a number), got ${ref}`);
  const [user] = await c.ctx.db.unsafe('select id, email from principals where id = $1', [Number(ref)]);
  if (!user) throw notFound(`No user ${ref} in this portal`);
  const types = c.catalog.assoc;
  const records: unknown[] = [];
  for (const { typeId, max } of types.limits()) {
    const def = types.get(typeId);
    if (!def) continue;
    const rows = await c.ctx.db.unsafe(
      `select from_id, count(*)::int as n from associations where type_id = $1 group by from_id having count(*) >= $2 order by from_id`,
      [typeId, Math.ceil(max * HIGH_USAGE)],
    );
    for (const r of rows) records.push({ fromObjectTypeId: TYPE_IDS[def.from], fromObjectId: String(r.from_id), toObjectTypeId: TYPE_IDS[def.to], typeId, usage: Number(r.n), limit: max });
  }
  const at = clockNow().toISOString();
  await c.ctx.db.unsafe('insert into association_usage_reports (user_id, enqueued_at, records) values ($1, $2::timestamptz, $3::text::jsonb)', [Number(ref), at, JSON.stringify(records)]);
  return { status: 200, body: { userEmail: String(user.email), userId: Number(ref), enqueueTime: at } };
}
