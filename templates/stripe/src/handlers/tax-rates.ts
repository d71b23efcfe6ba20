import type { Params } from '../../../_kit/http.ts';
import type { KitContext } from '../../../_kit/types.ts';
import type { Call, Route } from '../api.ts';
import { missing, paramInvalid, paramMissing, stripeError } from '../errors.ts';
import { newId, nowSeconds } from '../ids.ts';
import { LIST_KEYS, checkKeys, mergeMetadata, nullableString, optBool, optEnum, optRange, optString, pageParams, toBool } from '../params.ts';
import { getMany, insert, listPage, mustGet, save, type Obj } from '../store.ts';

/**
 * Tax rates (`txr_…`): a percentage, inclusive or exclusive, that invoice items (`tax_rates`)
 * and invoices (`default_tax_rates`) apply; invoices compute the tax amounts (invoice-math.ts).
 * As at Stripe, `percentage` and `inclusive` are fixed at creation (update refuses them as
 * unknown parameters) and a rate is never deleted, only archived with `active=false`.
 */
// The tax types of API 2026-10-28 (the SDK's TaxRateCreateParams.TaxType), not only the older fourteen.
const TAX_TYPES = [
  'admissions_tax', 'amusement_tax', 'attendance_tax', 'communications_tax', 'digital_excise_tax', 'entertainment_tax', 'get_fund',
  'gross_receipts_tax', 'gst', 'hospitality_tax', 'hst', 'igst', 'jct', 'lease_tax', 'luxury_tax', 'mass_transit_parking_tax', 'nhil',
  'parking_tax', 'pst', 'qst', 'resort_tax', 'retail_delivery_fee', 'rst', 'sales_tax', 'service_tax', 'tourism_tax', 'utility_users_tax',
  'vat',
] as const;
const CREATE_KEYS = ['active', 'country', 'description', 'display_name', 'expand', 'inclusive', 'jurisdiction', 'metadata', 'percentage', 'state', 'tax_type'];
const UPDATE_KEYS = ['active', 'country', 'description', 'display_name', 'expand', 'jurisdiction', 'metadata', 'state', 'tax_type'];

function applyEditable(t: Obj, p: Params): void {
  const name = optString(p, 'display_name');
  if (name !== undefined) {
    if (name === '') throw paramInvalid('display_name', 'You must provide a non-empty display_name.', 'parameter_invalid_string_empty');
    if (name.length > 50) throw paramInvalid('display_name', 'display_name must be at most 50 characters.');
    t.display_name = name;
  }
  for (const k of ['description', 'jurisdiction', 'state'] as const) {
    const v = nullableString(p, k);
    if (v !== undefined) t[k] = v;
  }
  const country = nullableString(p, 'country');
  if (country !== undefined) {
    if (country !== null && !/^[A-Za-z]{2}$/.test(country)) throw paramInvalid('country', `Invalid country: ${country} (a two-letter ISO country code).`);
    t.country = country?.toUpperCase() ?? null;
  }
  const type = optEnum(p, 'tax_type', TAX_TYPES);
  if (type !== undefined) t.tax_type = type;
  const active = optBool(p, 'active');
  if (active !== undefined) t.active = active;
  t.metadata = mergeMetadata(t.metadata ?? {}, p.metadata);
}

async function create(c: Call): Promise<Obj> {
  checkKeys(c.params, CREATE_KEYS);
  if (optString(c.params, 'display_name') === undefined) throw paramMissing('display_name');
  if (c.params.inclusive === undefined || c.params.inclusive === '') throw paramMissing('inclusive');
  if (c.params.percentage === undefined || c.params.percentage === '') throw paramMissing('percentage');
  const inclusive = toBool(c.params.inclusive, 'inclusive');
  const raw = String(c.params.percentage).trim();
  const percentage = /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isFinite(percentage)) throw paramInvalid('percentage', `Invalid decimal: ${raw}`, 'parameter_invalid');
  if (percentage < 0 || percentage > 100) throw paramInvalid('percentage', 'Invalid percentage: must be between 0 and 100.');
  const t: Obj = {
    id: newId('txr'),
    object: 'tax_rate',
    active: true,
    country: null,
    created: nowSeconds(),
    description: null,
    display_name: '',
    effective_percentage: percentage,
    flat_amount: null,
    inclusive,
    jurisdiction: null,
    jurisdiction_level: null,
    livemode: false,
    metadata: {},
    percentage,
    rate_type: 'percentage',
    state: null,
    tax_type: null,
  };
  applyEditable(t, c.params);
  return insert(c.ctx, 'tax_rate', t);
}

async function retrieve(c: Call): Promise<Obj> {
  checkKeys(c.params, ['expand']);
  return mustGet(c.ctx, 'tax_rate', c.ids[0] as string);
}

async function update(c: Call): Promise<Obj> {
  checkKeys(c.params, UPDATE_KEYS);
  const t = await mustGet(c.ctx, 'tax_rate', c.ids[0] as string);
  applyEditable(t, c.params);
  return save(c.ctx, t);
}

async function list(c: Call): Promise<Obj> {
  checkKeys(c.params, [...LIST_KEYS, 'active', 'created', 'inclusive']);
  const page = pageParams(c.params);
  const active = optBool(c.params, 'active');
  const inclusive = optBool(c.params, 'inclusive');
  const created = optRange(c.params, 'created');
  return listPage(
    c.ctx,
    'tax_rate',
    (w) => {
      if (active !== undefined) w.add(`(data->>'active')::boolean = ?`, active);
      if (inclusive !== undefined) w.add(`(data->>'inclusive')::boolean = ?`, inclusive);
      if (created?.gt !== undefined) w.add('created > ?', created.gt);
      if (created?.gte !== undefined) w.add('created >= ?', created.gte);
      if (created?.lt !== undefined) w.add('created < ?', created.lt);
      if (created?.lte !== undefined) w.add('created <= ?', created.lte);
    },
    page,
    '/v1/tax_rates',
  );
}

/**
 * The tax rates a `tax_rates` / `default_tax_rates` param names, as objects (how invoice items
 * and invoices carry them). Stripe refuses archived rates on new applications, two inclusive
 * rates on one line and more than five rates.
 */
export async function taxRatesParam(ctx: KitContext, v: unknown, label: string): Promise<Obj[]> {
  if (v === '' || v === undefined || v === null) return [];
  const ids = (Array.isArray(v) ? v : typeof v === 'object' ? Object.values(v as object) : [v]).map(String);
  if (ids.length > 5) throw paramInvalid(label, 'You may apply at most 5 tax rates.');
  const rows = await getMany(ctx, ids);
  const out: Obj[] = [];
  for (const [i, id] of ids.entries()) {
    const row = rows.get(id);
    if (!row || row.kind !== 'tax_rate') throw missing('tax_rate', id, `${label}[${i}]`);
    if (!row.data.active) throw paramInvalid(`${label}[${i}]`, `Tax rate ${id} is archived (active=false) and cannot be applied.`);
    out.push(row.data);
  }
  if (out.filter((t) => t.inclusive).length > 1) {
    throw stripeError(400, 'You may only apply one inclusive tax rate to a line.', { param: label });
  }
  return out;
}

export const taxRateRoutes: Route[] = [
  { method: 'POST', path: '/v1/tax_rates', handler: create },
  { method: 'GET', path: '/v1/tax_rates', handler: list },
  { method: 'GET', path: '/v1/tax_rates/{id}', handler: retrieve },
  { method: 'POST', path: '/v1/tax_rates/{id}', handler: update },
];
