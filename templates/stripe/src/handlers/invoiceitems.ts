import type { Params } from '../../../_kit/http.ts';
import { clockNow } from '../../../_kit/clock.ts';
import type { KitContext } from '../../../_kit/types.ts';
import type { Call, Route } from '../api.ts';
import { notEditable, paramInvalid, paramMissing, stripeError } from '../errors.ts';
import { newId, nowSeconds } from '../ids.ts';
import {
  LIST_KEYS,
  checkKeys,
  mergeMetadata,
  optBool,
  optRange,
  optString,
  pageParams,
  toBool,
  toInt,
} from '../params.ts';
import { getRow, insert, listPage, mustGet, remove, save, type Obj } from '../store.ts';
import { buildPrice, priceAmount } from './prices.ts';
import { taxRatesParam } from './tax-rates.ts';

/**
 * Invoice items: pending charges of a customer that become an invoice's lines. Each item
 * carries the id of the line it renders as (`_line_id`, hidden from responses), so an
 * invoice's lines are exactly its items; editing an item edits its line while the invoice
 * is a draft, and both freeze once it is finalized.
 */
export const ITEM_CREATE_KEYS = [
  'amount', 'currency', 'customer', 'customer_account', 'description', 'discountable', 'discounts', 'expand', 'invoice', 'metadata',
  'period', 'price_data', 'pricing', 'quantity', 'quantity_decimal', 'subscription', 'tax_behavior', 'tax_code', 'tax_rates',
  'unit_amount_decimal',
  // Pre-2025 names still sent by older integrations.
  'price', 'unit_amount',
];
export const ITEM_UPDATE_KEYS = [
  'amount', 'description', 'discountable', 'discounts', 'expand', 'invoicing_rules', 'metadata', 'period', 'price_data', 'pricing',
  'quantity', 'quantity_decimal', 'tax_behavior', 'tax_code', 'tax_rates', 'unit_amount_decimal', 'price', 'unit_amount',
];

const lbl = (prefix: string, k: string) => (prefix ? `${prefix}[${k}]` : k);

function decimal(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Number(n.toFixed(12)));
}

export function newItem(customer: string, created = nowSeconds()): Obj {
  return {
    id: newId('ii'),
    object: 'invoiceitem',
    amount: 0,
    currency: 'usd',
    customer,
    customer_account: null,
    date: created,
    description: null,
    discountable: true,
    discounts: [],
    invoice: null,
    livemode: false,
    metadata: {},
    net_amount: 0,
    parent: null,
    period: { end: created, start: created },
    pricing: null,
    proration: false,
    proration_details: { credited_items: null, discount_amounts: [] },
    quantity: 1,
    quantity_decimal: '1',
    tax_rates: [],
    test_clock: null,
    _line_id: newId('il'),
  };
}

/**
 * Applies pricing params (price / price_data / amount / unit_amount_decimal, quantity) to an
 * item and recomputes its amount. `prefix` names nested params (`lines[0]`, `invoice_items[1]`).
 * `persistPrices=false` (previews) keeps price_data prices out of the database.
 */
export async function applyItemParams(ctx: KitContext, item: Obj, p: Params, prefix: string, creating: boolean, persistPrices = true): Promise<void> {
  const priceId = (p.pricing && typeof p.pricing === 'object' ? (p.pricing as Params).price : undefined) ?? p.price;
  const hasPrice = priceId !== undefined && priceId !== '';
  const hasPriceData = p.price_data !== undefined && p.price_data !== '';
  const hasAmount = p.amount !== undefined && p.amount !== '';
  const unitRaw = p.unit_amount_decimal ?? p.unit_amount;
  const hasUnit = unitRaw !== undefined && unitRaw !== '';
  const given = [hasPrice && 'pricing[price]', hasPriceData && 'price_data', hasAmount && 'amount', hasUnit && 'unit_amount_decimal'].filter(Boolean) as string[];
  if (given.length > 1) {
    throw stripeError(400, `You may only specify one of these parameters: ${given.join(', ')}.`, { code: 'parameters_exclusive', param: lbl(prefix, given[1] as string) });
  }
  if (p.quantity !== undefined && p.quantity !== '') {
    const q = toInt(p.quantity, lbl(prefix, 'quantity'));
    if (q < 0) throw paramInvalid(lbl(prefix, 'quantity'), 'Quantity must be a non-negative integer.');
    item.quantity = q;
    item.quantity_decimal = String(q);
  }
  if (p.description !== undefined) item.description = p.description === '' ? null : String(p.description);
  if (p.discountable !== undefined) item.discountable = toBool(p.discountable, lbl(prefix, 'discountable'));
  if (p.metadata !== undefined) item.metadata = mergeMetadata(item.metadata ?? {}, p.metadata, lbl(prefix, 'metadata'));
  if (p.period !== undefined && p.period !== '') {
    const per = p.period as Params;
    const start = toInt(per.start, lbl(prefix, 'period[start]'));
    const end = toInt(per.end, lbl(prefix, 'period[end]'));
    if (end < start) throw paramInvalid(lbl(prefix, 'period[end]'), 'The period end must be on or after the period start.');
    item.period = { end, start };
  }
  if (p.discounts !== undefined && p.discounts !== '' && Object.keys(p.discounts as object).length > 0) {
    throw stripeError(400, 'Discounts on single invoice items are not emulated by this asym Stripe clone; apply the coupon to the invoice (`discounts`) or the customer (`coupon`).', { param: lbl(prefix, 'discounts') });
  }
  if (p.tax_rates !== undefined) item.tax_rates = await taxRatesParam(ctx, p.tax_rates, lbl(prefix, 'tax_rates'));

  const q = Number(item.quantity);
  if (hasPrice || hasPriceData) {
    let price: Obj;
    if (hasPrice) {
      price = await mustGet(ctx, 'price', String(priceId), p.pricing ? lbl(prefix, 'pricing[price]') : lbl(prefix, 'price'));
      if (!price.active) throw paramInvalid(lbl(prefix, 'pricing[price]'), `The price specified (${price.id}) is inactive. This field only accepts active prices.`);
      if (price.recurring) {
        throw paramInvalid(lbl(prefix, 'pricing[price]'), `The price specified (${price.id}) is a recurring price; invoice items only accept one-time prices. Use subscriptions for recurring prices (not emulated by this clone).`);
      }
    } else {
      const pd = p.price_data as Params;
      if (!pd.product) throw paramMissing(lbl(prefix, 'price_data[product]'));
      await mustGet(ctx, 'product', String(pd.product), lbl(prefix, 'price_data[product]'));
      price = buildPrice({ ...pd, active: 'false' }, lbl(prefix, 'price_data'));
      if (persistPrices) await insert(ctx, 'price', price);
    }
    if (item.currency && !creating && item.currency !== price.currency) {
      throw paramInvalid(lbl(prefix, 'pricing[price]'), `The price's currency (${price.currency}) must match the invoice item's currency (${item.currency}).`);
    }
    item.currency = price.currency;
    item.pricing = { price_details: { price: price.id, product: price.product }, type: 'price_details', unit_amount_decimal: price.unit_amount_decimal };
    item._unit = null;
    item._price_amount = priceAmount(price, q);
    item.amount = item._price_amount;
    if (creating && item.description === null) {
      const prod = await getRow(ctx, String(price.product));
      item.description = (prod?.data?.name as string | undefined) ?? null;
    }
  } else if (hasAmount) {
    const amount = toInt(p.amount, lbl(prefix, 'amount'));
    item.amount = amount;
    item._unit = q > 0 ? amount / q : amount;
    item.pricing = { type: 'price_details', unit_amount_decimal: decimal(item._unit) };
    if (amount < 0 && p.discountable === undefined) item.discountable = false;
  } else if (hasUnit) {
    const unit = Number(String(unitRaw));
    if (!Number.isFinite(unit)) throw paramInvalid(lbl(prefix, 'unit_amount_decimal'), `Invalid decimal: ${String(unitRaw)}`, 'parameter_invalid_decimal');
    item._unit = unit;
    item.amount = Math.round(unit * q);
    item.pricing = { type: 'price_details', unit_amount_decimal: decimal(unit) };
  } else if (creating) {
    throw paramMissing(lbl(prefix, 'amount'));
  } else if (item.pricing?.price_details?.price) {
    // Quantity change on a price-based item: reprice.
    const price = await mustGet(ctx, 'price', String(item.pricing.price_details.price), lbl(prefix, 'pricing[price]'));
    item.amount = priceAmount(price, q);
  } else if (typeof item._unit === 'number') {
    item.amount = Math.round(item._unit * q);
  }
  item.net_amount = item.amount;
}

/** Joins made by this server in the current clock millisecond: a per-server counter in ctx.state. */
class Joins {
  n = 0;
  clear(): void {
    this.n = 0;
  }
}

/** Marks an item as joining an invoice now: lines list in the order items joined. */
export function attachTo(ctx: KitContext, item: Obj, invoiceId: string): void {
  const joins = ctx.state('stripe:joins', () => new Joins());
  item.invoice = invoiceId;
  item._attached = clockNow().getTime() * 1000 + (joins.n++ % 1000);
}

/** Line order: by when each item joined the invoice, then by creation. */
export function lineOrder(items: Obj[]): Obj[] {
  return items.map((it, i) => ({ it, i })).sort((a, b) => Number(a.it._attached ?? 0) - Number(b.it._attached ?? 0) || a.i - b.i).map((x) => x.it);
}

export function itemLine(item: Obj, calc?: { discount_amounts: unknown[]; taxes: unknown[] }): Obj {
  return {
    id: item._line_id,
    object: 'line_item',
    amount: item.amount,
    currency: item.currency,
    description: item.description,
    discount_amounts: calc?.discount_amounts ?? [],
    discountable: item.discountable,
    discounts: [],
    invoice: item.invoice,
    livemode: false,
    metadata: item.metadata ?? {},
    parent: {
      invoice_item_details: { invoice_item: item.id, proration: false, proration_details: { credited_items: null }, subscription: null },
      subscription_item_details: null,
      type: 'invoice_item_details',
    },
    period: item.period,
    pretax_credit_amounts: [],
    pricing: item.pricing,
    quantity: item.quantity,
    quantity_decimal: item.quantity_decimal,
    subscription: null,
    subtotal: item.amount,
    taxes: calc?.taxes ?? [],
  };
}

/** The draft invoice an item may join, checked as Stripe checks it. */
export async function draftInvoiceFor(ctx: KitContext, invoiceId: string, customer: string, param = 'invoice'): Promise<Obj> {
  const inv = await mustGet(ctx, 'invoice', invoiceId, param);
  if (inv.customer !== customer) {
    throw paramInvalid(param, `The invoice ${invoiceId} belongs to customer ${inv.customer}, not ${customer}.`);
  }
  if (inv.status !== 'draft') {
    throw notEditable(`You can only add invoice items to draft invoices. Invoice ${invoiceId} has status '${inv.status}'.`, param);
  }
  return inv;
}

/** Recomputes a draft invoice's totals after its items changed (invoices.ts imports this file, so it is loaded on use). */
export async function itemsChanged(ctx: KitContext, invoiceId: string | null): Promise<void> {
  if (!invoiceId) return;
  const { recalc } = await import('./invoices.ts');
  await recalc(ctx, invoiceId);
}

async function assertItemEditable(ctx: KitContext, item: Obj, verb: string): Promise<void> {
  if (!item.invoice) return;
  const inv = await getRow(ctx, item.invoice);
  if (inv && !inv.deleted && inv.data.status !== 'draft') {
    throw notEditable(`Invoice item ${item.id} cannot be ${verb} because it is attached to invoice ${item.invoice}, which is no longer a draft (status '${inv.data.status}').`);
  }
}

async function create(c: Call): Promise<Obj> {
  checkKeys(c.params, ITEM_CREATE_KEYS);
  const customerId = optString(c.params, 'customer');
  if (!customerId) throw paramMissing('customer');
  const customer = await mustGet(c.ctx, 'customer', customerId, 'customer');
  if (c.params.subscription) throw stripeError(404, `No such subscription: '${String(c.params.subscription)}'`, { code: 'resource_missing', param: 'subscription' });
  const item = newItem(customer.id);
  const invoiceId = optString(c.params, 'invoice');
  const invoice = invoiceId ? await draftInvoiceFor(c.ctx, invoiceId, customer.id) : null;
  await applyItemParams(c.ctx, item, c.params, '', true);
  if (!item.pricing?.price_details) {
    const currency = optString(c.params, 'currency')?.toLowerCase() ?? customer.currency ?? invoice?.currency;
    if (!currency) throw paramMissing('currency');
    item.currency = currency;
  } else if (c.params.currency && String(c.params.currency).toLowerCase() !== item.currency) {
    throw paramInvalid('currency', `The currency ${String(c.params.currency)} does not match the price's currency ${item.currency}.`);
  }
  if (invoice) {
    if (invoice.currency !== item.currency) {
      throw paramInvalid('currency', `The currency of the invoice item (${item.currency}) must match the currency of the invoice (${invoice.currency}).`);
    }
    attachTo(c.ctx, item, invoice.id);
  }
  await insert(c.ctx, 'invoiceitem', item);
  await itemsChanged(c.ctx, item.invoice);
  return item;
}

async function retrieve(c: Call): Promise<Obj> {
  checkKeys(c.params, ['expand']);
  return mustGet(c.ctx, 'invoiceitem', c.ids[0] as string);
}

async function update(c: Call): Promise<Obj> {
  checkKeys(c.params, ITEM_UPDATE_KEYS);
  const item = await mustGet(c.ctx, 'invoiceitem', c.ids[0] as string);
  await assertItemEditable(c.ctx, item, 'updated');
  await applyItemParams(c.ctx, item, c.params, '', false);
  await save(c.ctx, item);
  await itemsChanged(c.ctx, item.invoice);
  return item;
}

async function del(c: Call): Promise<Obj> {
  checkKeys(c.params, []);
  const item = await mustGet(c.ctx, 'invoiceitem', c.ids[0] as string);
  await assertItemEditable(c.ctx, item, 'deleted');
  await remove(c.ctx, item.id);
  await itemsChanged(c.ctx, item.invoice);
  return { id: item.id, object: 'invoiceitem', deleted: true };
}

async function list(c: Call): Promise<Obj> {
  checkKeys(c.params, [...LIST_KEYS, 'created', 'customer', 'customer_account', 'invoice', 'pending']);
  const page = pageParams(c.params);
  const customer = optString(c.params, 'customer');
  const invoice = optString(c.params, 'invoice');
  const pending = optBool(c.params, 'pending');
  const created = optRange(c.params, 'created');
  return listPage(
    c.ctx,
    'invoiceitem',
    (w) => {
      if (customer) w.add(`data->>'customer' = ?`, customer);
      if (invoice) w.add(`data->>'invoice' = ?`, invoice);
      if (pending === true) w.raw(`data->>'invoice' is null`);
      if (pending === false) w.raw(`data->>'invoice' is not null`);
      if (created?.gt !== undefined) w.add('created > ?', created.gt);
      if (created?.gte !== undefined) w.add('created >= ?', created.gte);
      if (created?.lt !== undefined) w.add('created < ?', created.lt);
      if (created?.lte !== undefined) w.add('created <= ?', created.lte);
    },
    page,
    '/v1/invoiceitems',
  );
}

export const invoiceItemRoutes: Route[] = [
  { method: 'POST', path: '/v1/invoiceitems', handler: create },
  { method: 'GET', path: '/v1/invoiceitems', handler: list },
  { method: 'GET', path: '/v1/invoiceitems/{id}', handler: retrieve },
  { method: 'POST', path: '/v1/invoiceitems/{id}', handler: update },
  { method: 'DELETE', path: '/v1/invoiceitems/{id}', handler: del },
];
