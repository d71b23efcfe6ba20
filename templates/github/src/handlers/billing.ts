import { GitHubError, notFound } from '../errors.ts';
import { userByLogin } from '../store.ts';
import type { Gh, Reply, UserRow } from '../types.ts';
import { me, ok } from './common.ts';

/**
 * A user's billing, computed from what the clone holds, on its clock. The clone runs no
 * Actions and no Copilot, so their minutes and premium requests are none; GitHub Packages is
 * what it has: private package versions' storage (public packages are free) and their
 * downloads as data transfer, against GitHub Free's allowances (500 MB storage, 1 GB
 * transfer, 2,000 Actions minutes). The product endpoints (`actions`, `packages`,
 * `shared-storage`) are the previous billing platform's, which GitHub has retired in favour of
 * `usage`; they answer in their documented shapes. Billing is its user's own: 403 for anyone
 * else; the product endpoints need the `user` scope.
 */

const GB = 1_000_000_000;
const FREE_STORAGE_GB = 0.5;
const FREE_TRANSFER_GB = 1;
const FREE_ACTIONS_MINUTES = 2000;
/** $0.25 per GB-month of storage, billed by the GB-hour. */
const STORAGE_PRICE_PER_GB_HOUR = 0.25 / (24 * 30);

async function selfOf(g: Gh): Promise<UserRow> {
  const u = (await userByLogin(g, g.params.username ?? '')) ?? notFound();
  if (me(g).id !== u.id) throw new GitHubError(403, 'You must be the user to view their billing information.');
  return u;
}

interface StoredVersion {
  day: string;
  bytes: number;
  downloads: number;
  repository: string | null;
}

/** Private package versions alive (not deleted) on each day of [from, to), with their sizes. */
async function storageByDay(g: Gh, u: UserRow, from: Date, to: Date): Promise<StoredVersion[]> {
  return g.ctx.db.q<StoredVersion>`
    select to_char(d, 'YYYY-MM-DD') as day, v.size_bytes::float8 as bytes, v.downloads, case when r.id is null then null else o.login || '/' || r.name end as repository
    from packages p join package_versions v on v.package_id = p.id
      left join repos r on r.id = p.repo_id left join users o on o.id = r.owner_id
      cross join generate_series(date_trunc('day', greatest(v.created_at, ${from}::timestamptz)), least(now(), ${to}::timestamptz) - interval '1 second', interval '1 day') as d
    where p.owner_id = ${u.id} and p.visibility <> 'public' and p.deleted_at is null and v.deleted_at is null and v.created_at < ${to}::timestamptz
    order by d, p.id, v.id`;
}

async function clock(g: Gh): Promise<Date> {
  const [r] = await g.ctx.db.q<{ t: Date }>`select now() as t`;
  return new Date(r!.t);
}

/** year / month / day query parameters, checked, and the period they name (defaults: this year, or this month). */
function period(g: Gh, now: Date, monthByDefault: boolean): { from: Date; to: Date; year: number; month?: number; day?: number } {
  const num = (name: string, lo: number, hi: number): number | undefined => {
    const v = g.query[name];
    if (v === undefined || v === '') return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < lo || n > hi) throw new GitHubError(400, `Invalid value for ${name}: ${String(v)} (an integer from ${lo} to ${hi})`);
    return n;
  };
  const year = num('year', 2000, 9999) ?? now.getUTCFullYear();
  const day = num('day', 1, 31);
  const month = num('month', 1, 12) ?? (monthByDefault || day !== undefined ? now.getUTCMonth() + 1 : undefined);
  if (month === undefined) return { from: new Date(Date.UTC(year, 0, 1)), to: new Date(Date.UTC(year + 1, 0, 1)), year };
  if (day === undefined) return { from: new Date(Date.UTC(year, month - 1, 1)), to: new Date(Date.UTC(year, month, 1)), year, month };
  return { from: new Date(Date.UTC(year, month - 1, day)), to: new Date(Date.UTC(year, month - 1, day + 1)), year, month, day };
}

const money = (n: number) => Math.round(n * 10_000) / 10_000;

/** GET /users/{username}/settings/billing/usage: a line per day and package repository of private package storage. */
export async function usage(g: Gh): Promise<Reply> {
  const u = await selfOf(g);
  const p = period(g, await clock(g), false);
  const rows = await storageByDay(g, u, p.from, p.to);
  const lines = new Map<string, { date: string; repository: string | null; bytes: number }>();
  for (const r of rows) {
    if (!r.bytes) continue;
    const key = `${r.day} ${r.repository ?? ''}`;
    const line = lines.get(key) ?? lines.set(key, { date: r.day, repository: r.repository, bytes: 0 }).get(key)!;
    line.bytes += r.bytes;
  }
  const usageItems = [...lines.values()].map((l) => {
    const quantity = Math.ceil((l.bytes / GB) * 24);
    const gross = money(quantity * STORAGE_PRICE_PER_GB_HOUR);
    // GitHub Free includes 500 MB: a day within it is discounted in full.
    const discount = l.bytes / GB <= FREE_STORAGE_GB ? gross : 0;
    return {
      date: l.date,
      product: 'Packages',
      sku: 'Packages storage',
      quantity,
      unitType: 'GigabyteHours',
      pricePerUnit: money(STORAGE_PRICE_PER_GB_HOUR),
      grossAmount: gross,
      discountAmount: discount,
      netAmount: money(gross - discount),
      ...(l.repository ? { repositoryName: l.repository } : {}),
    };
  });
  return ok({ usageItems });
}

/** GET .../premium_request/usage: Copilot's premium requests; the clone runs no Copilot, so none. */
export async function premiumRequestUsage(g: Gh): Promise<Reply> {
  const u = await selfOf(g);
  const p = period(g, await clock(g), true);
  const product = typeof g.query.product === 'string' && g.query.product ? g.query.product : undefined;
  const model = typeof g.query.model === 'string' && g.query.model ? g.query.model : undefined;
  return ok({
    timePeriod: { year: p.year, ...(p.month ? { month: p.month } : {}), ...(p.day ? { day: p.day } : {}) },
    user: u.login,
    ...(product ? { product } : {}),
    ...(model ? { model } : {}),
    usageItems: [],
  });
}

/** GET .../billing/actions (retired product endpoint): no workflows run in the clone. */
export async function actions(g: Gh): Promise<Reply> {
  await selfOf(g);
  return ok({ total_minutes_used: 0, total_paid_minutes_used: 0, included_minutes: FREE_ACTIONS_MINUTES, minutes_used_breakdown: {} });
}

/** The current billing month (the calendar month on the clone's clock) and its private package versions. */
async function thisMonth(g: Gh, u: UserRow): Promise<{ rows: StoredVersion[]; daysLeft: number; days: number }> {
  const now = await clock(g);
  const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
  const days = Math.round((to.getTime() - from.getTime()) / 86_400_000);
  return { rows: await storageByDay(g, u, from, to), daysLeft: Math.ceil((to.getTime() - now.getTime()) / 86_400_000), days };
}

/** GET .../billing/packages (retired): this month's data transfer, the private versions' downloads times their size. */
export async function packages(g: Gh): Promise<Reply> {
  const u = await selfOf(g);
  const [r] = await g.ctx.db.q<{ bytes: number }>`
    select coalesce(sum(v.downloads::float8 * v.size_bytes), 0)::float8 as bytes from packages p join package_versions v on v.package_id = p.id
    where p.owner_id = ${u.id} and p.visibility <> 'public' and p.deleted_at is null and v.deleted_at is null`;
  const used = Math.ceil((r?.bytes ?? 0) / GB);
  return ok({ total_gigabytes_bandwidth_used: used, total_paid_gigabytes_bandwidth_used: Math.max(0, used - FREE_TRANSFER_GB), included_gigabytes_bandwidth: FREE_TRANSFER_GB });
}

/** GET .../billing/shared-storage (retired): this month's storage, estimated as the average so far held for the month. */
export async function sharedStorage(g: Gh): Promise<Reply> {
  const u = await selfOf(g);
  const m = await thisMonth(g, u);
  const gbDays = m.rows.reduce((n, r) => n + r.bytes / GB, 0);
  const today = m.rows.length ? m.rows.filter((r) => r.day === m.rows.at(-1)!.day).reduce((n, r) => n + r.bytes / GB, 0) : 0;
  // What is held now is assumed held for the rest of the month.
  const estimate = (gbDays + today * Math.max(0, m.daysLeft - 1)) / m.days;
  return ok({ days_left_in_billing_cycle: m.daysLeft, estimated_paid_storage_for_month: Math.ceil(Math.max(0, estimate - FREE_STORAGE_GB)), estimated_storage_for_month: Math.ceil(estimate) });
}
