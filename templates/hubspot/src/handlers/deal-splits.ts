import { clockNow } from '../../../_kit/clock.ts';
import { validation } from '../errors.ts';
import { iso, isId, loadMany, type CrmObject, type Exec } from '../lookup.ts';
import { nextId } from '../writes.ts';
import type { Call, Result } from '../types.ts';
import { batchEnvelope, inputs, notFoundError } from './objects.ts';

/**
 * Deal splits (/crm/v3/objects/deals/splits/batch/{read,upsert}): how a deal's credit is
 * split between owners, stored in deal_splits. As HubSpot's deal splits guide has it, an
 * upsert replaces a deal's splits; the deal's owner must be one of the split owners; the
 * percentages must add up to 1.0 (with up to 8 decimal places); and if any deal of the batch
 * fails validation the whole request fails.
 */

const SCALE = 1e8;

interface SplitRow {
  id: string;
  deal_id: string;
  owner_id: string;
  percentage: string;
  created_at: unknown;
  updated_at: unknown;
}

const splitJson = (r: SplitRow) => ({
  id: String(r.id),
  properties: { hs_deal_split_percentage: r.percentage, hubspot_owner_id: String(r.owner_id) },
  createdAt: iso(r.created_at),
  updatedAt: iso(r.updated_at),
  archived: false,
});

async function splitsOf(db: Exec, dealIds: number[]): Promise<Map<number, ReturnType<typeof splitJson>[]>> {
  const rows: SplitRow[] = await db.unsafe('select * from deal_splits where deal_id = any($1::bigint[]) order by deal_id, position', [dealIds]);
  const out = new Map<number, ReturnType<typeof splitJson>[]>();
  for (const r of rows) out.set(Number(r.deal_id), [...(out.get(Number(r.deal_id)) ?? []), splitJson(r)]);
  return out;
}

async function liveDeals(db: Exec, refs: string[]): Promise<Map<string, CrmObject>> {
  const found = await loadMany(db, 'deals', refs.filter(isId).map(Number));
  return new Map(refs.flatMap((r) => {
    const d = isId(r) ? found.get(Number(r)) : undefined;
    return d && !d.archived ? [[r, d] as const] : [];
  }));
}

export async function read(c: Call): Promise<Result> {
  const startedAt = clockNow().toISOString();
  const refs = [...new Set(inputs(c).map((i) => String(i.id ?? '')))];
  const deals = await liveDeals(c.ctx.db, refs);
  const splits = await splitsOf(c.ctx.db, [...deals.values()].map((d) => d.id));
  const results = refs.filter((r) => deals.has(r)).map((r) => ({ id: r, splits: splits.get(deals.get(r)!.id) ?? [] }));
  const missing = refs.filter((r) => !deals.has(r));
  return batchEnvelope(startedAt, results, missing.length ? [notFoundError('deals', missing)] : []);
}

/** One deal's input checked as HubSpot documents; problems name the deal. */
function checkSplits(ref: string, deal: CrmObject | undefined, raw: unknown): Array<{ ownerId: number; percentage: string }> {
  const fail = (why: string) => validation(`Deal ${ref}: ${why}`, [{ message: why, code: 'INVALID_DEAL_SPLIT', context: { dealId: [ref] } }]);
  if (!deal) throw validation(`Deal ${ref} does not exist`, [{ message: `No deal with id ${ref}`, code: 'OBJECT_NOT_FOUND', context: { dealId: [ref] } }]);
  if (!Array.isArray(raw) || !raw.length) throw fail('splits is required: at least one {ownerId, percentage}');
  const out = (raw as Array<Record<string, unknown>>).map((s) => {
    const ownerId = Number(s?.ownerId);
    const p = Number(s?.percentage);
    if (!Number.isInteger(ownerId) || ownerId < 1) throw fail(`ownerId must be an owner id (a positive integer), got ${JSON.stringify(s?.ownerId ?? null)}`);
    if (!Number.isFinite(p) || p <= 0 || p > 1) throw fail(`percentage must be above 0 and at most 1.0, got ${JSON.stringify(s?.percentage ?? null)}`);
    if (Math.abs(p * SCALE - Math.round(p * SCALE)) > 1e-6) throw fail(`percentage ${p} has more than 8 decimal places`);
    return { ownerId, percentage: String(p), scaled: Math.round(p * SCALE) };
  });
  const owners = out.map((s) => s.ownerId);
  const twice = owners.find((o, i) => owners.indexOf(o) !== i);
  if (twice !== undefined) throw fail(`owner ${twice} is named twice`);
  const sum = out.reduce((n, s) => n + s.scaled, 0);
  if (sum !== SCALE) throw fail(`split percentages add up to ${sum / SCALE}; they must add up to 1.0`);
  const owner = deal.properties.hubspot_owner_id;
  if (!owner) throw fail('the deal has no owner (hubspot_owner_id); the deal owner must be one of the split owners');
  if (!owners.includes(Number(owner))) throw fail(`the deal owner ${owner} must be one of the split owners`);
  return out.map(({ ownerId, percentage }) => ({ ownerId, percentage }));
}

export async function upsert(c: Call): Promise<Result> {
  const startedAt = clockNow().toISOString();
  const list = inputs(c).map((i) => ({ ref: String(i.id ?? ''), splits: i.splits }));
  const refs = list.map((i) => i.ref);
  const twice = refs.find((r, i) => refs.indexOf(r) !== i);
  if (twice !== undefined) throw validation(`Deal ${twice} is named twice in the batch`);
  const deals = await liveDeals(c.ctx.db, refs);
  const planned = list.map((i) => ({ deal: deals.get(i.ref)!, splits: checkSplits(i.ref, deals.get(i.ref), i.splits) }));
  const at = clockNow().toISOString();
  await c.ctx.db.tx(async (tx) => {
    const db = tx as unknown as Exec;
    for (const p of planned) {
      await db.unsafe('delete from deal_splits where deal_id = $1', [p.deal.id]);
      for (const [n, s] of p.splits.entries()) {
        await db.unsafe('insert into deal_splits (id, deal_id, owner_id, percentage, position, created_at, updated_at) values ($1, $2, $3, $4, $5, $6::timestamptz, $6::timestamptz)', [await nextId(db), p.deal.id, s.ownerId, s.percentage, n, at]);
      }
    }
  });
  const splits = await splitsOf(c.ctx.db, planned.map((p) => p.deal.id));
  return batchEnvelope(startedAt, planned.map((p) => ({ id: String(p.deal.id), splits: splits.get(p.deal.id) ?? [] })), []);
}
