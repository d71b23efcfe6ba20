import { randomString } from '../../../_kit/auth.ts';
import type { Params } from '../../../_kit/http.ts';
import type { KitContext } from '../../../_kit/types.ts';
import type { Call, Route } from '../api.ts';
import { missing, paramInvalid, paramMissing, stripeError } from '../errors.ts';
import { newId, nowSeconds } from '../ids.ts';
import { LIST_KEYS, checkKeys, mergeMetadata, nullableString, optArray, optEnum, optInt, optObject, optRange, optString, pageParams, toInt } from '../params.ts';
import { getRow, insert, listPage, mustGet, remove, save, type Obj } from '../store.ts';

/**
 * Coupons and the discounts they become. A coupon is `percent_off` (0 < p ≤ 100) or
 * `amount_off` + `currency`, with `duration` once / repeating (+ `duration_in_months`) /
 * forever, `max_redemptions` and `redeem_by` making it invalid once passed. Redeeming one
 * (a customer's `coupon`, an invoice's `discounts[][coupon]`) creates a `discount` (`di_…`,
 * kind `discount`) and counts `times_redeemed`. Deleting a coupon stops new redemptions;
 * discounts already made keep working, as Stripe documents.
 */
const CREATE_KEYS = ['amount_off', 'applies_to', 'currency', 'currency_options', 'duration', 'duration_in_months', 'expand', 'id', 'max_redemptions', 'metadata', 'name', 'percent_off', 'redeem_by'];
const UPDATE_KEYS = ['currency_options', 'expand', 'metadata', 'name'];
const MONTH = 30 * 86_400;

function currencyOptions(v: unknown, label: string): Obj | undefined {
  const o = v === undefined ? undefined : (v as Params);
  if (o === undefined || (o as unknown) === '') return undefined;
  if (typeof o !== 'object') throw paramInvalid(label, 'Invalid hash');
  const out: Obj = {};
  for (const [cur, opt] of Object.entries(o)) {
    out[cur.toLowerCase()] = { amount_off: toInt((opt as Params)?.amount_off, `${label}[${cur}][amount_off]`) };
  }
  return out;
}

async function create(c: Call): Promise<Obj> {
  checkKeys(c.params, CREATE_KEYS);
  const p = c.params;
  const amountOff = optInt(p, 'amount_off');
  const rawPct = p.percent_off;
  const hasPct = rawPct !== undefined && rawPct !== '';
  if (amountOff !== undefined && hasPct) {
    throw stripeError(400, 'You may only specify one of these parameters: amount_off, percent_off.', { code: 'parameters_exclusive', param: 'percent_off' });
  }
  if (amountOff === undefined && !hasPct) throw stripeError(400, 'Missing required param: percent_off or amount_off.', { code: 'parameter_missing', param: 'percent_off' });
  let percentOff: number | null = null;
  if (hasPct) {
    percentOff = /^\d+(\.\d+)?$/.test(String(rawPct).trim()) ? Number(rawPct) : Number.NaN;
    if (!(percentOff > 0 && percentOff <= 100)) throw paramInvalid('percent_off', 'Invalid percent_off: must be greater than 0 and at most 100.');
  }
  const currency = optString(p, 'currency')?.toLowerCase();
  if (amountOff !== undefined) {
    if (amountOff <= 0) throw paramInvalid('amount_off', 'Invalid amount_off: must be a positive integer.');
    if (!currency) throw paramMissing('currency');
  }
  const duration = optEnum(p, 'duration', ['forever', 'once', 'repeating'] as const) ?? 'once';
  const months = optInt(p, 'duration_in_months');
  if (duration === 'repeating' && months === undefined) throw paramMissing('duration_in_months');
  if (duration !== 'repeating' && months !== undefined) {
    throw paramInvalid('duration_in_months', 'duration_in_months can only be set when duration is repeating.');
  }
  if (months !== undefined && months < 1) throw paramInvalid('duration_in_months', 'duration_in_months must be a positive integer.');
  const max = optInt(p, 'max_redemptions');
  if (max !== undefined && max < 1) throw paramInvalid('max_redemptions', 'max_redemptions must be a positive integer.');
  const now = nowSeconds();
  const redeemBy = optInt(p, 'redeem_by');
  if (redeemBy !== undefined && redeemBy <= now) throw paramInvalid('redeem_by', 'redeem_by must be in the future.');
  const name = nullableString(p, 'name');
  if (name && name.length > 40) throw paramInvalid('name', 'Coupon names can be at most 40 characters.');
  const id = optString(p, 'id') || randomString(8);
  if (await getRow(c.ctx, id)) throw stripeError(400, 'Coupon already exists.', { code: 'resource_already_exists', param: 'id' });
  const coupon: Obj = {
    id,
    object: 'coupon',
    amount_off: amountOff ?? null,
    created: now,
    currency: amountOff !== undefined ? (currency as string) : null,
    duration,
    duration_in_months: months ?? null,
    livemode: false,
    max_redemptions: max ?? null,
    metadata: mergeMetadata({}, p.metadata),
    name: name ?? null,
    percent_off: percentOff,
    redeem_by: redeemBy ?? null,
    times_redeemed: 0,
    valid: true,
  };
  const appliesTo = optObject(p, 'applies_to');
  if (appliesTo) coupon.applies_to = { products: (optArray(appliesTo, 'products', 'applies_to[products]') ?? []).map(String) };
  const opts = currencyOptions(p.currency_options, 'currency_options');
  if (opts) coupon.currency_options = opts;
  return insert(c.ctx, 'coupon', coupon);
}

/** A coupon as it reads now: `valid` follows redeem_by (on the clone's clock) and max_redemptions. */
function current(ctx: KitContext, coupon: Obj): Obj {
  const expired = coupon.redeem_by !== null && coupon.redeem_by <= nowSeconds();
  const used = coupon.max_redemptions !== null && coupon.times_redeemed >= coupon.max_redemptions;
  return { ...coupon, valid: !expired && !used };
}

async function retrieve(c: Call): Promise<Obj> {
  checkKeys(c.params, ['expand']);
  return current(c.ctx, await mustGet(c.ctx, 'coupon', c.ids[0] as string));
}

async function update(c: Call): Promise<Obj> {
  checkKeys(c.params, UPDATE_KEYS);
  const coupon = await mustGet(c.ctx, 'coupon', c.ids[0] as string);
  const name = nullableString(c.params, 'name');
  if (name !== undefined) {
    if (name && name.length > 40) throw paramInvalid('name', 'Coupon names can be at most 40 characters.');
    coupon.name = name;
  }
  coupon.metadata = mergeMetadata(coupon.metadata ?? {}, c.params.metadata);
  const opts = currencyOptions(c.params.currency_options, 'currency_options');
  if (opts) coupon.currency_options = { ...(coupon.currency_options ?? {}), ...opts };
  return current(c.ctx, await save(c.ctx, coupon));
}

async function del(c: Call): Promise<Obj> {
  checkKeys(c.params, []);
  const coupon = await mustGet(c.ctx, 'coupon', c.ids[0] as string);
  await remove(c.ctx, coupon.id);
  return { id: coupon.id, object: 'coupon', deleted: true };
}

async function list(c: Call): Promise<Obj> {
  checkKeys(c.params, [...LIST_KEYS, 'created']);
  const page = pageParams(c.params);
  const created = optRange(c.params, 'created');
  const out = await listPage(
    c.ctx,
    'coupon',
    (w) => {
      if (created?.gt !== undefined) w.add('created > ?', created.gt);
      if (created?.gte !== undefined) w.add('created >= ?', created.gte);
      if (created?.lt !== undefined) w.add('created < ?', created.lt);
      if (created?.lte !== undefined) w.add('created <= ?', created.lte);
    },
    page,
    '/v1/coupons',
  );
  out.data = out.data.map((x) => current(c.ctx, x));
  return out;
}

// ---- discounts

/**
 * Redeems `couponId` into a discount for a customer or an invoice: Stripe's errors for a
 * coupon that does not exist, has expired or is used up, and for an amount_off coupon in
 * another currency than the invoice's.
 */
export async function redeem(ctx: KitContext, couponId: string, param: string, to: { customer: string | null; invoice?: string | null; currency?: string | null }): Promise<Obj> {
  const row = await getRow(ctx, couponId);
  if (!row || row.kind !== 'coupon') throw missing('coupon', couponId, param);
  const coupon = current(ctx, row.data);
  if (!coupon.valid) throw stripeError(400, `Coupon expired: ${couponId}`, { code: 'coupon_expired', param });
  if (to.currency && coupon.amount_off !== null && coupon.currency !== to.currency && !coupon.currency_options?.[to.currency]) {
    throw paramInvalid(param, `The coupon ${couponId} is for ${coupon.currency}; it cannot discount an amount in ${to.currency}.`);
  }
  const start = nowSeconds();
  const d: Obj = {
    id: newId('di'),
    object: 'discount',
    checkout_session: null,
    customer: to.customer,
    customer_account: null,
    end: coupon.duration === 'repeating' ? start + Number(coupon.duration_in_months) * MONTH : null,
    invoice: to.invoice ?? null,
    invoice_item: null,
    promotion_code: null,
    source: { coupon: coupon.id, type: 'coupon' },
    start,
    subscription: null,
    subscription_item: null,
    _coupon: coupon,
  };
  row.data.times_redeemed = Number(row.data.times_redeemed) + 1;
  await save(ctx, row.data);
  await insert(ctx, 'discount', d, to.invoice ?? to.customer);
  return d;
}

/** A discount as an invoice or customer embeds it (the hidden coupon snapshot kept for totals). */
export function publicDiscount(d: Obj): Obj {
  const { _coupon: _, ...rest } = d;
  return rest;
}

async function deleteCustomerDiscount(c: Call): Promise<Obj> {
  checkKeys(c.params, []);
  const cus = await mustGet(c.ctx, 'customer', c.ids[0] as string);
  if (!cus.discount) throw stripeError(404, `No active discount for customer: '${cus.id}'`, { code: 'resource_missing', param: 'customer' });
  const d = cus.discount as Obj;
  cus.discount = null;
  await save(c.ctx, cus);
  await remove(c.ctx, d.id);
  // A deleted discount has no `end` (Stripe's DeletedDiscount).
  const { end: _end, ...rest } = publicDiscount(d);
  return { ...rest, deleted: true };
}

export const couponRoutes: Route[] = [
  { method: 'POST', path: '/v1/coupons', handler: create },
  { method: 'GET', path: '/v1/coupons', handler: list },
  { method: 'GET', path: '/v1/coupons/{id}', handler: retrieve },
  { method: 'POST', path: '/v1/coupons/{id}', handler: update },
  { method: 'DELETE', path: '/v1/coupons/{id}', handler: del },
  { method: 'DELETE', path: '/v1/customers/{id}/discount', handler: deleteCustomerDiscount },
];
