import type { Params } from '../../../_kit/http.ts';
import type { Call, Route } from '../api.ts';
import { clockForCustomer } from './test-clocks.ts';
import { missing, paramInvalid, stripeError } from '../errors.ts';
import { invoicePrefix, newId, nowSeconds } from '../ids.ts';
import {
  LIST_KEYS,
  checkKeys,
  mergeMetadata,
  nullableString,
  optArray,
  optInt,
  optObject,
  optRange,
  optString,
  pageParams,
} from '../params.ts';
import { runSearch, type Fields } from '../search.ts';
import { all, getRow, insert, listPage, mustGet, save, tombstone, type Obj } from '../store.ts';

// `coupon` / `promotion_code`: dropped from the 2025-09-30 API, still sent by integrations pinned to older versions.
const CREATE_KEYS = [
  'address', 'balance', 'business_name', 'cash_balance', 'coupon', 'promotion_code', 'description', 'email', 'expand', 'individual_name', 'invoice_prefix',
  'invoice_settings', 'metadata', 'name', 'next_invoice_sequence', 'payment_method', 'phone', 'preferred_locales', 'shipping',
  'source', 'tax', 'tax_exempt', 'tax_id_data', 'test_clock', 'validate',
];
const UPDATE_KEYS = [
  'address', 'balance', 'business_name', 'cash_balance', 'coupon', 'promotion_code', 'default_source', 'description', 'email', 'expand', 'individual_name',
  'invoice_prefix', 'invoice_settings', 'metadata', 'name', 'next_invoice_sequence', 'phone', 'preferred_locales', 'shipping',
  'source', 'tax', 'tax_exempt', 'validate',
];

const ADDRESS_KEYS = ['city', 'country', 'line1', 'line2', 'postal_code', 'state'];

function address(v: unknown, label: string): Obj | null {
  if (v === '' || v === null) return null;
  if (!v || typeof v !== 'object') throw paramInvalid(label, 'Invalid hash');
  const a = v as Params;
  for (const k of Object.keys(a)) if (!ADDRESS_KEYS.includes(k)) throw stripeError(400, `Received unknown parameter: ${label}[${k}]`, { code: 'parameter_unknown', param: `${label}[${k}]` });
  const out: Obj = {};
  for (const k of ADDRESS_KEYS) out[k] = a[k] === undefined || a[k] === '' ? null : String(a[k]);
  return out;
}

function shipping(v: unknown): Obj | null {
  if (v === '' || v === null) return null;
  if (!v || typeof v !== 'object') throw paramInvalid('shipping', 'Invalid hash');
  const s = v as Params;
  if (!s.name) throw stripeError(400, 'Missing required param: shipping[name].', { code: 'parameter_missing', param: 'shipping[name]' });
  if (!s.address) throw stripeError(400, 'Missing required param: shipping[address].', { code: 'parameter_missing', param: 'shipping[address]' });
  return { address: address(s.address, 'shipping[address]'), name: String(s.name), phone: s.phone ? String(s.phone) : null };
}

function invoiceSettings(current: Obj, v: unknown): Obj {
  if (v === undefined) return current;
  if (!v || typeof v !== 'object') throw paramInvalid('invoice_settings', 'Invalid hash');
  const s = v as Params;
  const out = { ...current };
  if (s.custom_fields !== undefined) {
    const arr = s.custom_fields === '' ? [] : Object.values(s.custom_fields as object);
    out.custom_fields = arr.length ? arr.map((f: any) => ({ name: String(f.name), value: String(f.value) })) : null;
  }
  if (s.footer !== undefined) out.footer = s.footer === '' ? null : String(s.footer);
  // Checked against the customer's attached PaymentMethods by defaultPaymentMethod().
  if (s.default_payment_method !== undefined) out.default_payment_method = s.default_payment_method ? String(s.default_payment_method) : null;
  if (s.rendering_options !== undefined) {
    const r = s.rendering_options as Params | '';
    out.rendering_options = r ? { amount_tax_display: r.amount_tax_display ? String(r.amount_tax_display) : null, template: r.template ? String(r.template) : null } : null;
  }
  return out;
}

function applyCommon(c: Obj, params: Params): void {
  for (const k of ['description', 'email', 'name', 'phone'] as const) {
    const v = nullableString(params, k);
    if (v !== undefined) c[k] = v;
  }
  for (const k of ['business_name', 'individual_name'] as const) {
    const v = nullableString(params, k);
    if (v !== undefined) {
      if (v === null) delete c[k];
      else c[k] = v;
    }
  }
  if (typeof params.email === 'string' && params.email !== '' && (params.email.length > 512 || !/^[^@\s]+@[^@\s]+$/.test(params.email))) {
    throw paramInvalid('email', `Invalid email address: ${params.email}`, 'email_invalid');
  }
  if (params.address !== undefined) c.address = address(params.address, 'address');
  if (params.shipping !== undefined) c.shipping = shipping(params.shipping);
  const balance = optInt(params, 'balance');
  if (balance !== undefined) c.balance = balance;
  const seq = optInt(params, 'next_invoice_sequence');
  if (seq !== undefined) {
    if (seq < 1) throw paramInvalid('next_invoice_sequence', 'next_invoice_sequence must be at least 1.');
    c.next_invoice_sequence = seq;
  }
  const prefix = optString(params, 'invoice_prefix');
  if (prefix !== undefined) {
    if (!/^[A-Z0-9]{3,12}$/.test(prefix)) throw paramInvalid('invoice_prefix', 'Invoice prefix must be between 3 and 12 uppercase letters or digits.');
    c.invoice_prefix = prefix;
  }
  const locales = optArray(params, 'preferred_locales');
  if (locales !== undefined) c.preferred_locales = locales.map(String);
  const taxExempt = optString(params, 'tax_exempt');
  if (taxExempt !== undefined) {
    if (!['none', 'exempt', 'reverse', ''].includes(taxExempt)) throw paramInvalid('tax_exempt', 'Invalid tax_exempt: must be one of none, exempt, or reverse');
    c.tax_exempt = taxExempt || 'none';
  }
  c.invoice_settings = invoiceSettings(c.invoice_settings, params.invoice_settings);
  c.metadata = mergeMetadata(c.metadata ?? {}, params.metadata);
  // tax[ip_address] / tax[validate_location] are accepted; Stripe Tax is not emulated.
  optObject(params, 'tax');
}

/**
 * invoice_settings[default_payment_method] must name a PaymentMethod attached to the customer
 * (on create: the one `payment_method` attaches, by the id given, `pm_card_visa` included):
 * an unknown id is a 404, one not attached to this customer Stripe's 400.
 */
async function defaultPaymentMethod(c: Call, cus: Obj, attaching: Obj | null): Promise<void> {
  const id = cus.invoice_settings?.default_payment_method as string | null | undefined;
  const given = (c.params.invoice_settings as Params | undefined)?.default_payment_method;
  if (!id || given === undefined) return;
  const param = 'invoice_settings[default_payment_method]';
  if (attaching && (id === c.params.payment_method || id === attaching.id)) {
    cus.invoice_settings = { ...cus.invoice_settings, default_payment_method: attaching.id };
    return;
  }
  const row = await getRow(c.ctx, id);
  if (!row || row.kind !== 'payment_method' || row.deleted) throw missing('payment_method', id, param);
  if (row.data.customer !== cus.id) {
    throw stripeError(400, `The customer does not have a payment method with the ID ${id}. The payment method must be attached to the customer.`, { param });
  }
}

export function newCustomer(created = nowSeconds()): Obj {
  return {
    id: newId('cus'),
    object: 'customer',
    address: null,
    balance: 0,
    created,
    currency: null,
    default_source: null,
    delinquent: false,
    description: null,
    discount: null,
    email: null,
    invoice_prefix: invoicePrefix(),
    invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null },
    livemode: false,
    metadata: {},
    name: null,
    next_invoice_sequence: 1,
    phone: null,
    preferred_locales: [],
    shipping: null,
    tax_exempt: 'none',
    test_clock: null,
  };
}

/** `coupon`: redeems it into the customer's discount (replacing one it had); "" removes it. */
async function applyCoupon(c: Call, cus: Obj): Promise<boolean> {
  if (c.params.promotion_code) throw stripeError(400, 'Promotion codes are not emulated by this asym Stripe clone; pass a coupon.', { param: 'promotion_code' });
  const coupon = nullableString(c.params, 'coupon');
  if (coupon === undefined) return false;
  const { redeem } = await import('./coupons.ts');
  cus.discount = coupon === null ? null : await redeem(c.ctx, coupon, 'coupon', { customer: cus.id });
  return true;
}

/** A customer that is live; a deleted one is "No such customer" for writes. */
export async function liveCustomer(c: Call, id: string, param = 'customer'): Promise<Obj> {
  return mustGet(c.ctx, 'customer', id, param);
}

async function create(c: Call): Promise<Obj> {
  checkKeys(c.params, CREATE_KEYS);
  // A customer in a test clock lives at the clock's frozen time.
  const clock = c.params.test_clock ? await clockForCustomer(c, String(c.params.test_clock)) : null;
  const cus = newCustomer();
  if (clock) Object.assign(cus, { test_clock: clock.id, created: clock.frozen_time });
  applyCommon(cus, c.params);
  // `payment_method`: attached to the new customer (a test id such as pm_card_visa stands for a new one).
  const pmId = optString(c.params, 'payment_method');
  const { attachToCustomer, resolvePaymentMethod } = await import('./payment-methods.ts');
  const pm = pmId ? await resolvePaymentMethod(c.ctx, pmId, 'payment_method') : null;
  await defaultPaymentMethod(c, cus, pm);
  await insert(c.ctx, 'customer', cus);
  if (pm) await attachToCustomer(c.ctx, pm, cus, 'payment_method');
  if (await applyCoupon(c, cus)) await save(c.ctx, cus);
  if (c.params.source) {
    const { attachSource } = await import('./sources.ts');
    await attachSource(c, cus, c.params.source);
  }
  const taxIds = optArray(c.params, 'tax_id_data');
  if (taxIds?.length) {
    const { createTaxId } = await import('./customer-extras.ts');
    for (const [i, t] of taxIds.entries()) await createTaxId(c.ctx, cus.id, t as Params, `tax_id_data[${i}]`);
  }
  return cus;
}

async function retrieve(c: Call): Promise<Obj> {
  checkKeys(c.params, ['expand']);
  const id = c.ids[0] as string;
  const row = await getRow(c.ctx, id);
  if (!row || row.kind !== 'customer') throw missing('customer', id);
  return row.data;
}

async function update(c: Call): Promise<Obj> {
  checkKeys(c.params, UPDATE_KEYS);
  const cus = await mustGet(c.ctx, 'customer', c.ids[0] as string);
  applyCommon(cus, c.params);
  await defaultPaymentMethod(c, cus, null);
  await applyCoupon(c, cus);
  const def = c.params.default_source;
  if (def !== undefined && def !== '') {
    const row = await getRow(c.ctx, String(def));
    if (!row || row.kind !== 'source' || row.deleted || row.parent !== cus.id) throw missing('source', String(def), 'default_source');
    cus.default_source = row.id;
  }
  if (c.params.source) {
    // As Stripe does, a source given on update replaces the default source.
    const { attachSource } = await import('./sources.ts');
    const s = await attachSource(c, cus, c.params.source);
    cus.default_source = s.id;
  }
  return save(c.ctx, cus);
}

async function del(c: Call): Promise<Obj> {
  checkKeys(c.params, []);
  const id = c.ids[0] as string;
  await mustGet(c.ctx, 'customer', id);
  return tombstone(c.ctx, id, 'customer');
}

async function list(c: Call): Promise<Obj> {
  checkKeys(c.params, [...LIST_KEYS, 'created', 'email', 'test_clock']);
  const page = pageParams(c.params);
  const email = optString(c.params, 'email');
  const created = optRange(c.params, 'created');
  return listPage(
    c.ctx,
    'customer',
    (w) => {
      if (email !== undefined) w.add(`data->>'email' = ?`, email);
      if (created?.gt !== undefined) w.add('created > ?', created.gt);
      if (created?.gte !== undefined) w.add('created >= ?', created.gte);
      if (created?.lt !== undefined) w.add('created < ?', created.lt);
      if (created?.lte !== undefined) w.add('created <= ?', created.lte);
      if (c.params.test_clock) w.add(`data->>'test_clock' = ?`, String(c.params.test_clock));
    },
    page,
    '/v1/customers',
  );
}

export const CUSTOMER_FIELDS: Fields = {
  created: { kind: 'number', get: (o) => o.created },
  email: { kind: 'string', get: (o) => o.email, substring: true },
  name: { kind: 'string', get: (o) => o.name, substring: true },
  phone: { kind: 'string', get: (o) => o.phone, substring: true },
};

async function search(c: Call): Promise<Obj> {
  return runSearch(await all(c.ctx, 'customer'), c.params, CUSTOMER_FIELDS, 'customers');
}

export const customerRoutes: Route[] = [
  { method: 'GET', path: '/v1/customers/search', handler: search, search: true },
  { method: 'POST', path: '/v1/customers', handler: create },
  { method: 'GET', path: '/v1/customers', handler: list },
  { method: 'GET', path: '/v1/customers/{id}', handler: retrieve },
  { method: 'POST', path: '/v1/customers/{id}', handler: update },
  { method: 'DELETE', path: '/v1/customers/{id}', handler: del },
];
