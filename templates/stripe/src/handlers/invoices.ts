import type { Params } from '../../../_kit/http.ts';
import type { KitContext } from '../../../_kit/types.ts';
import type { Call, Route } from '../api.ts';
import { missing, notEditable, paramInvalid, paramMissing, stripeError } from '../errors.ts';
import { registerRenderer } from '../expand.ts';
import { newId, nowSeconds } from '../ids.ts';
import {
  LIST_KEYS,
  checkKeys,
  mergeMetadata,
  nullableString,
  optArray,
  optBool,
  optEnum,
  optInt,
  optObject,
  optRange,
  optString,
  pageParams,
} from '../params.ts';
import { runSearch, type Fields } from '../search.ts';
import { all, getRow, insert, listPage, mustGet, remove, save, type Obj } from '../store.ts';
import { attachTo, itemLine, lineOrder } from './invoiceitems.ts';
import { computeInvoice } from './invoice-math.ts';
import { publicDiscount, redeem } from './coupons.ts';
import { taxRatesParam } from './tax-rates.ts';

/**
 * Invoices: create, retrieve, update, delete, list, search, and how an invoice renders (its
 * `lines` are its items). A draft's amounts follow its items, recomputed on every change.
 * The lifecycle is in invoice-lifecycle.ts, line editing and previews in invoice-lines.ts.
 */
const CREATE_KEYS = [
  'account_tax_ids', 'application_fee_amount', 'auto_advance', 'automatic_tax', 'automatically_finalizes_at', 'collection_method',
  'currency', 'custom_fields', 'customer', 'customer_account', 'days_until_due', 'default_payment_method', 'default_source',
  'default_tax_rates', 'description', 'discounts', 'due_date', 'effective_at', 'expand', 'footer', 'from_invoice', 'issuer', 'metadata',
  'number', 'on_behalf_of', 'payment_settings', 'pending_invoice_items_behavior', 'rendering', 'shipping_cost', 'shipping_details',
  'statement_descriptor', 'subscription', 'transfer_data',
];
const UPDATE_KEYS = [
  'account_tax_ids', 'application_fee_amount', 'auto_advance', 'automatic_tax', 'automatically_finalizes_at', 'collection_method',
  'custom_fields', 'days_until_due', 'default_payment_method', 'default_source', 'default_tax_rates', 'description', 'discounts',
  'due_date', 'effective_at', 'expand', 'footer', 'issuer', 'metadata', 'number', 'on_behalf_of', 'payment_settings', 'rendering',
  'shipping_cost', 'shipping_details', 'statement_descriptor', 'transfer_data',
];
/** What a finalized invoice still lets you change (Stripe: non-monetary fields only). */
const FINALIZED_EDITABLE = ['auto_advance', 'custom_fields', 'days_until_due', 'description', 'due_date', 'expand', 'footer', 'metadata', 'rendering', 'statement_descriptor', 'default_payment_method', 'payment_settings'];
const TERMINAL_EDITABLE = ['description', 'expand', 'footer', 'metadata', 'custom_fields', 'rendering'];

const DAY = 86_400;

export function newInvoice(customer: Obj, account: { name: string; country: string }, currency: string, created = nowSeconds()): Obj {
  return {
    id: newId('in'),
    object: 'invoice',
    account_country: account.country,
    account_name: account.name,
    account_tax_ids: null,
    amount_due: 0,
    amount_overpaid: 0,
    amount_paid: 0,
    amount_paid_off_stripe: 0,
    amount_remaining: 0,
    amount_shipping: 0,
    application: null,
    attempt_count: 0,
    attempted: false,
    auto_advance: false,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null, provider: null, status: null },
    automatically_finalizes_at: null,
    billing_reason: 'manual',
    collection_method: 'charge_automatically',
    confirmation_secret: null,
    created,
    currency,
    custom_fields: null,
    customer: customer.id,
    customer_account: null,
    customer_address: customer.address ?? null,
    customer_email: customer.email ?? null,
    customer_name: customer.name ?? null,
    customer_phone: customer.phone ?? null,
    customer_shipping: customer.shipping ?? null,
    customer_tax_exempt: customer.tax_exempt ?? 'none',
    customer_tax_ids: [],
    default_payment_method: null,
    default_source: null,
    default_tax_rates: [],
    description: null,
    discounts: [],
    due_date: null,
    effective_at: null,
    ending_balance: null,
    footer: null,
    from_invoice: null,
    hosted_invoice_url: null,
    invoice_pdf: null,
    issuer: { type: 'self' },
    last_finalization_error: null,
    latest_revision: null,
    livemode: false,
    metadata: {},
    next_payment_attempt: null,
    number: null,
    on_behalf_of: null,
    parent: null,
    payment_settings: { default_mandate: null, payment_method_options: null, payment_method_types: null },
    period_end: created,
    period_start: created,
    post_payment_credit_notes_amount: 0,
    pre_payment_credit_notes_amount: 0,
    receipt_number: null,
    rendering: null,
    shipping_cost: null,
    shipping_details: null,
    starting_balance: 0,
    statement_descriptor: null,
    status: 'draft',
    status_transitions: { finalized_at: null, marked_uncollectible_at: null, paid_at: null, voided_at: null },
    subtotal: 0,
    subtotal_excluding_tax: 0,
    test_clock: null,
    total: 0,
    total_discount_amounts: [],
    total_excluding_tax: 0,
    total_pretax_credit_amounts: [],
    total_taxes: [],
    webhooks_delivered_at: null,
  };
}

/** Items of an invoice in line order (oldest first). */
export async function itemsOf(ctx: KitContext, invoiceId: string): Promise<Obj[]> {
  return lineOrder((await all(ctx, 'invoiceitem', (w) => w.add(`data->>'invoice' = ?`, invoiceId))).reverse());
}

/** Amounts of a draft from its items; finalization adds the balance on top. */
export function applyTotals(inv: Obj, items: Obj[]): void {
  const calc = computeInvoice(inv, items);
  inv.subtotal = calc.subtotal;
  inv.subtotal_excluding_tax = calc.subtotal_excluding_tax;
  inv.total = calc.total;
  inv.total_excluding_tax = calc.total_excluding_tax;
  inv.total_discount_amounts = calc.total_discount_amounts;
  inv.total_taxes = calc.total_taxes;
  if (inv.status === 'draft') {
    inv.amount_due = Math.max(0, calc.total);
    inv.amount_remaining = inv.amount_due - inv.amount_paid;
  }
  if (items.length) {
    inv.period_start = Math.min(...items.map((i) => Number(i.period?.start ?? inv.created)));
    inv.period_end = Math.max(...items.map((i) => Number(i.period?.end ?? inv.created)));
  }
}

export async function recalc(ctx: KitContext, invoiceId: string): Promise<void> {
  const row = await getRow(ctx, invoiceId);
  if (!row || row.deleted || row.data.status !== 'draft') return;
  applyTotals(row.data, await itemsOf(ctx, invoiceId));
  await save(ctx, row.data);
}

/** An invoice's lines with their discount and tax amounts (recomputed: items, rates and discounts are stored, amounts derived). */
export function linesOf(inv: Obj, items: Obj[]): Obj[] {
  const calc = computeInvoice(inv, items).lines;
  return items.map((i) => itemLine(i, calc[i.id]));
}

export function withLines(ctx: KitContext, inv: Obj, items: Obj[]): Obj {
  const lines = linesOf(inv, items);
  // Links follow the clone's current public URL (fixtures and restored clones included).
  const finalized = inv.status !== 'draft' && !String(inv.id).startsWith('upcoming_');
  return {
    ...inv,
    hosted_invoice_url: finalized ? `${ctx.env.publicUrl}/invoice/${inv.id}` : null,
    invoice_pdf: finalized ? `${ctx.env.publicUrl}/invoice/${inv.id}/pdf` : null,
    lines: { object: 'list', data: lines.slice(0, 10), has_more: lines.length > 10, url: `/v1/invoices/${inv.id}/lines` },
  };
}

export async function renderInvoice(ctx: KitContext, inv: Obj): Promise<Obj> {
  if (inv.deleted) return inv;
  return withLines(ctx, inv, await itemsOf(ctx, inv.id));
}
registerRenderer('invoice', renderInvoice);

async function renderMany(ctx: KitContext, invoices: Obj[]): Promise<Obj[]> {
  if (invoices.length === 0) return [];
  const ids = invoices.map((i) => i.id);
  const items = (await all(ctx, 'invoiceitem', (w) => w.add(`data->>'invoice' = any(?::text[])`, ids))).reverse();
  const by = new Map<string, Obj[]>();
  for (const it of items) {
    const list = by.get(it.invoice) ?? [];
    list.push(it);
    by.set(it.invoice, list);
  }
  return invoices.map((inv) => withLines(ctx, inv, lineOrder(by.get(inv.id) ?? [])));
}

function applyEditable(c: Call, inv: Obj): void {
  const p = c.params;
  const auto = optBool(p, 'auto_advance');
  if (auto !== undefined) inv.auto_advance = auto;
  for (const k of ['description', 'footer', 'statement_descriptor'] as const) {
    const v = nullableString(p, k);
    if (v !== undefined) inv[k] = v;
  }
  if (p.custom_fields !== undefined) {
    const arr = optArray(p, 'custom_fields') ?? [];
    if (arr.length > 4) throw paramInvalid('custom_fields', 'You can have at most 4 custom fields.');
    inv.custom_fields = arr.length ? arr.map((f: any) => ({ name: String(f.name ?? ''), value: String(f.value ?? '') })) : null;
  }
  inv.metadata = mergeMetadata(inv.metadata ?? {}, p.metadata);
  if (p.rendering !== undefined) {
    const r = p.rendering as Params | '';
    inv.rendering = r
      ? { amount_tax_display: r.amount_tax_display ? String(r.amount_tax_display) : null, pdf: r.pdf ? { page_size: String((r.pdf as Params).page_size ?? 'auto') } : null, template: r.template ? String(r.template) : null, template_version: null }
      : null;
  }
  const dpm = nullableString(p, 'default_payment_method');
  if (dpm) throw missing('payment_method', dpm, 'default_payment_method');
  if (dpm === null) inv.default_payment_method = null;
  const ds = nullableString(p, 'default_source');
  if (ds) throw missing('source', ds, 'default_source');
  if (p.payment_settings !== undefined && p.payment_settings !== '') {
    const ps = p.payment_settings as Params;
    const types = ps.payment_method_types === undefined ? undefined : ps.payment_method_types === '' ? null : Object.values(ps.payment_method_types as object).map(String);
    if (types !== undefined) inv.payment_settings = { ...inv.payment_settings, payment_method_types: types };
  }
  const days = optInt(p, 'days_until_due');
  const due = optInt(p, 'due_date');
  if (days !== undefined && due !== undefined) throw stripeError(400, 'You may only specify one of these parameters: days_until_due, due_date.', { code: 'parameters_exclusive', param: 'days_until_due' });
  if (days !== undefined || due !== undefined) {
    if (inv.collection_method !== 'send_invoice') throw paramInvalid(days !== undefined ? 'days_until_due' : 'due_date', 'Due dates can only be set on invoices with `collection_method=send_invoice`.');
    inv.due_date = due ?? (inv.status_transitions.finalized_at ?? inv.created) + (days as number) * DAY;
  }
}

function applyDraftOnly(c: Call, inv: Obj): void {
  const p = c.params;
  const method = optEnum(p, 'collection_method', ['charge_automatically', 'send_invoice'] as const);
  if (method) {
    inv.collection_method = method;
    if (method === 'charge_automatically') inv.due_date = null;
  }
  const number = nullableString(p, 'number');
  if (number !== undefined) inv.number = number;
  const eff = optInt(p, 'effective_at');
  if (eff !== undefined) inv.effective_at = eff;
  if (p.shipping_details !== undefined) {
    const s = p.shipping_details as Params | '';
    inv.shipping_details = s ? { address: s.address ?? null, name: String(s.name ?? ''), phone: s.phone ? String(s.phone) : null } : null;
  }
  const autoFin = optInt(p, 'automatically_finalizes_at');
  if (autoFin !== undefined) inv.automatically_finalizes_at = autoFin;
  const accountTaxIds = optArray(p, 'account_tax_ids');
  if (accountTaxIds && accountTaxIds.length > 0) throw stripeError(400, 'account_tax_ids are not emulated by this asym Stripe clone.', { param: 'account_tax_ids' });
  const at = optObject(p, 'automatic_tax');
  if (at && String(at.enabled) === 'true') throw stripeError(400, 'Automatic tax is not emulated by this asym Stripe clone.', { param: 'automatic_tax[enabled]' });
  for (const k of ['shipping_cost', 'transfer_data', 'on_behalf_of', 'application_fee_amount'] as const) {
    if (p[k] !== undefined && p[k] !== '') throw stripeError(400, `${k} is not emulated by this asym Stripe clone.`, { param: k });
  }
}

/**
 * `discounts` (each `{coupon}` or `{discount}`; "" clears; omitted on create inherits the
 * customer's discount, as Stripe documents) and `default_tax_rates` (tax rate ids).
 */
export async function applyDiscountsAndRates(c: Call, inv: Obj, customer: Obj | null, prefix = ''): Promise<void> {
  const p = c.params;
  const label = (k: string) => (prefix ? `${prefix}[${k}]` : k);
  if (p.default_tax_rates !== undefined) inv.default_tax_rates = await taxRatesParam(c.ctx, p.default_tax_rates, label('default_tax_rates'));
  if (p.discounts === undefined) {
    // A repeating discount past its end no longer applies (on the clone's clock).
    const live = customer?.discount && (customer.discount.end === null || customer.discount.end > nowSeconds());
    if (live && !inv._discounts?.length) {
      inv._discounts = [customer.discount];
      inv.discounts = [customer.discount.id];
    }
    return;
  }
  const list = optArray(p, 'discounts') ?? [];
  const out: Obj[] = [];
  for (const [i, raw] of list.entries()) {
    const d = (raw ?? {}) as Params;
    const param = `${label('discounts')}[${i}]`;
    if (d.promotion_code) throw stripeError(400, 'Promotion codes are not emulated by this asym Stripe clone; pass a coupon.', { param: `${param}[promotion_code]` });
    if (d.coupon) out.push(await redeem(c.ctx, String(d.coupon), `${param}[coupon]`, { customer: inv.customer, invoice: String(inv.id).startsWith('upcoming_') ? null : inv.id, currency: inv.currency }));
    else if (d.discount) {
      const found = [...((inv._discounts ?? []) as Obj[]), ...(customer?.discount ? [customer.discount] : [])].find((x) => x.id === d.discount);
      const row = found ? null : await getRow(c.ctx, String(d.discount));
      const disc = found ?? (row?.kind === 'discount' ? row.data : null);
      if (!disc) throw missing('discount', String(d.discount), `${param}[discount]`);
      out.push(disc);
    } else throw paramMissing(`${param}[coupon]`);
  }
  if (out.length > 20) throw paramInvalid(label('discounts'), 'You may apply at most 20 discounts.');
  inv._discounts = out;
  inv.discounts = out.map((d) => d.id);
  void publicDiscount;
}

/** Stripe finalizes an auto-advancing draft about an hour after creation (a test clock's advance runs it). */
function syncAutoFinalize(inv: Obj): void {
  if (inv.status === 'draft') inv.automatically_finalizes_at = inv.auto_advance ? inv.created + 3600 : null;
}

async function create(c: Call): Promise<Obj> {
  checkKeys(c.params, CREATE_KEYS);
  if (c.params.subscription) throw missing('subscription', String(c.params.subscription), 'subscription');
  if (c.params.from_invoice) throw stripeError(400, 'Invoice revisions (from_invoice) are not emulated by this asym Stripe clone.', { param: 'from_invoice' });
  const customerId = optString(c.params, 'customer');
  if (!customerId) throw paramMissing('customer');
  const customer = await mustGet(c.ctx, 'customer', customerId, 'customer');
  const behavior = optEnum(c.params, 'pending_invoice_items_behavior', ['exclude', 'include'] as const) ?? 'exclude';
  const pending = behavior === 'include' ? (await all(c.ctx, 'invoiceitem', (w) => w.add(`data->>'customer' = ?`, customer.id).raw(`data->>'invoice' is null`))).reverse() : [];
  const currency = optString(c.params, 'currency')?.toLowerCase() ?? customer.currency ?? pending[0]?.currency ?? c.account.defaultCurrency;
  // A customer in a test clock has its invoices made at the clock's frozen time, in that clock.
  const clockRow = customer.test_clock ? await getRow(c.ctx, String(customer.test_clock)) : null;
  const clockTime = clockRow && !clockRow.deleted ? Number(clockRow.data.frozen_time) : undefined;
  const inv = newInvoice(customer, { name: c.account.accountName, country: c.account.country }, currency, clockTime);
  if (clockTime !== undefined) inv.test_clock = customer.test_clock;
  applyDraftOnly(c, inv);
  await applyDiscountsAndRates(c, inv, customer);
  if (inv.collection_method === 'send_invoice' && c.params.days_until_due === undefined && c.params.due_date === undefined) {
    throw paramMissing('days_until_due');
  }
  applyEditable(c, inv);
  syncAutoFinalize(inv);
  const included = pending.filter((i) => i.currency === currency);
  applyTotals(inv, included);
  await insert(c.ctx, 'invoice', inv);
  for (const item of included) {
    attachTo(c.ctx, item, inv.id);
    await save(c.ctx, item);
  }
  return withLines(c.ctx, inv, included);
}

async function retrieve(c: Call): Promise<Obj> {
  checkKeys(c.params, ['expand']);
  const id = c.ids[0] as string;
  return renderInvoice(c.ctx, await mustGet(c.ctx, 'invoice', id));
}

async function update(c: Call): Promise<Obj> {
  checkKeys(c.params, UPDATE_KEYS);
  const inv = await mustGet(c.ctx, 'invoice', c.ids[0] as string);
  if (inv.status !== 'draft') {
    const allowed = inv.status === 'open' || inv.status === 'uncollectible' ? FINALIZED_EDITABLE : TERMINAL_EDITABLE;
    const blocked = Object.keys(c.params).find((k) => !allowed.includes(k));
    if (blocked) {
      throw notEditable(`You can't update \`${blocked}\` on invoice ${inv.id} because it is ${inv.status === 'open' ? 'finalized' : inv.status}. Finalized invoices can only change non-monetary fields (description, footer, metadata, custom_fields, ...).`, blocked);
    }
  } else {
    applyDraftOnly(c, inv);
    await applyDiscountsAndRates(c, inv, null);
  }
  applyEditable(c, inv);
  if (inv.status === 'draft') {
    if (inv.collection_method === 'send_invoice' && inv.due_date === null) throw paramMissing('days_until_due');
    syncAutoFinalize(inv);
  }
  if (inv.status !== 'open') inv.next_payment_attempt = null;
  if (inv.status === 'draft') applyTotals(inv, await itemsOf(c.ctx, inv.id));
  await save(c.ctx, inv);
  return renderInvoice(c.ctx, inv);
}

async function del(c: Call): Promise<Obj> {
  checkKeys(c.params, []);
  const inv = await mustGet(c.ctx, 'invoice', c.ids[0] as string);
  if (inv.status !== 'draft') {
    throw stripeError(400, `You can only delete draft invoices. Invoice ${inv.id} is ${inv.status}; void it instead.`, { code: 'invoice_not_editable' });
  }
  for (const item of await itemsOf(c.ctx, inv.id)) await remove(c.ctx, item.id);
  await remove(c.ctx, inv.id);
  return { id: inv.id, object: 'invoice', deleted: true };
}

async function list(c: Call): Promise<Obj> {
  checkKeys(c.params, [...LIST_KEYS, 'collection_method', 'created', 'customer', 'customer_account', 'due_date', 'status', 'subscription']);
  const page = pageParams(c.params);
  const customer = optString(c.params, 'customer');
  const status = optEnum(c.params, 'status', ['draft', 'open', 'paid', 'uncollectible', 'void'] as const);
  const method = optEnum(c.params, 'collection_method', ['charge_automatically', 'send_invoice'] as const);
  const subscription = optString(c.params, 'subscription');
  const created = optRange(c.params, 'created');
  const due = optRange(c.params, 'due_date');
  const out = await listPage(
    c.ctx,
    'invoice',
    (w) => {
      if (customer) w.add(`data->>'customer' = ?`, customer);
      if (status) w.add(`data->>'status' = ?`, status);
      if (method) w.add(`data->>'collection_method' = ?`, method);
      if (subscription) w.raw('false');
      if (created?.gt !== undefined) w.add('created > ?', created.gt);
      if (created?.gte !== undefined) w.add('created >= ?', created.gte);
      if (created?.lt !== undefined) w.add('created < ?', created.lt);
      if (created?.lte !== undefined) w.add('created <= ?', created.lte);
      if (due?.gt !== undefined) w.add(`(data->>'due_date')::bigint > ?`, due.gt);
      if (due?.gte !== undefined) w.add(`(data->>'due_date')::bigint >= ?`, due.gte);
      if (due?.lt !== undefined) w.add(`(data->>'due_date')::bigint < ?`, due.lt);
      if (due?.lte !== undefined) w.add(`(data->>'due_date')::bigint <= ?`, due.lte);
    },
    page,
    '/v1/invoices',
  );
  out.data = await renderMany(c.ctx, out.data);
  return out;
}

export const INVOICE_FIELDS: Fields = {
  created: { kind: 'number', get: (o) => o.created },
  currency: { kind: 'string', get: (o) => o.currency },
  customer: { kind: 'string', get: (o) => o.customer },
  last_finalization_error_code: { kind: 'string', get: (o) => o.last_finalization_error?.code ?? null },
  last_finalization_error_type: { kind: 'string', get: (o) => o.last_finalization_error?.type ?? null },
  number: { kind: 'string', get: (o) => o.number, substring: true },
  receipt_number: { kind: 'string', get: (o) => o.receipt_number, substring: true },
  status: { kind: 'string', get: (o) => o.status },
  subscription: { kind: 'string', get: () => null },
  total: { kind: 'number', get: (o) => o.total },
};

async function search(c: Call): Promise<Obj> {
  const out = runSearch(await all(c.ctx, 'invoice'), c.params, INVOICE_FIELDS, 'invoices');
  out.data = await renderMany(c.ctx, out.data);
  return out;
}

export const invoiceRoutes: Route[] = [
  { method: 'GET', path: '/v1/invoices/search', handler: search, search: true },
  { method: 'POST', path: '/v1/invoices', handler: create },
  { method: 'GET', path: '/v1/invoices', handler: list },
  { method: 'GET', path: '/v1/invoices/{id}', handler: retrieve },
  { method: 'POST', path: '/v1/invoices/{id}', handler: update },
  { method: 'DELETE', path: '/v1/invoices/{id}', handler: del },
];
