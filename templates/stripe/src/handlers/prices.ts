import type { Params } from '../../../_kit/http.ts';
import type { Call, Route } from '../api.ts';
import { paramInvalid, paramMissing, stripeError } from '../errors.ts';
import { newId, nowSeconds } from '../ids.ts';
import {
  LIST_KEYS,
  checkKeys,
  mergeMetadata,
  nullableString,
  optArray,
  optBool,
  optEnum,
  optObject,
  optRange,
  optString,
  pageParams,
  toBool,
  toInt,
} from '../params.ts';
import { runSearch, type Fields } from '../search.ts';
import { all, insert, listPage, mustGet, save, type Obj } from '../store.ts';

const CREATE_KEYS = [
  'active', 'billing_scheme', 'currency', 'currency_options', 'custom_unit_amount', 'expand', 'lookup_key', 'metadata', 'nickname',
  'product', 'product_data', 'recurring', 'tax_behavior', 'tiers', 'tiers_mode', 'transfer_lookup_key', 'transform_quantity',
  'unit_amount', 'unit_amount_decimal',
];
const UPDATE_KEYS = ['active', 'currency_options', 'expand', 'lookup_key', 'metadata', 'nickname', 'tax_behavior', 'transfer_lookup_key'];

const sub = (label: string, k: string) => (label ? `${label}[${k}]` : k);

function decimalString(v: unknown, label: string): string {
  const s = String(v);
  if (!/^-?\d+(\.\d{1,12})?$/.test(s)) throw paramInvalid(label, `Invalid decimal: ${s}`, 'parameter_invalid_decimal');
  return s.replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
}

/** A price object from create params (no database access; the caller checks the product). */
export function buildPrice(p: Params, label = ''): Obj {
  const currency = p.currency === undefined || p.currency === '' ? undefined : String(p.currency).toLowerCase();
  if (!currency) throw paramMissing(sub(label, 'currency'));
  if (!/^[a-z]{3}$/.test(currency)) throw paramInvalid(sub(label, 'currency'), `Invalid currency: ${currency}. Stripe currently supports these currencies: usd, eur, gbp, ...`);
  const scheme = p.billing_scheme === undefined ? 'per_unit' : String(p.billing_scheme);
  if (scheme !== 'per_unit' && scheme !== 'tiered') throw paramInvalid(sub(label, 'billing_scheme'), 'Invalid billing_scheme: must be one of per_unit or tiered');
  let unitAmount: number | null = null;
  let unitDecimal: string | null = null;
  let custom: Obj | null = null;
  let tiers: Obj[] | undefined;
  let tiersMode: string | null = null;
  if (p.unit_amount !== undefined && p.unit_amount !== '') {
    unitAmount = toInt(p.unit_amount, sub(label, 'unit_amount'));
    if (unitAmount < 0) throw paramInvalid(sub(label, 'unit_amount'), 'This value must be greater than or equal to 0.');
    unitDecimal = String(unitAmount);
  }
  if (p.unit_amount_decimal !== undefined && p.unit_amount_decimal !== '') {
    if (unitAmount !== null) throw stripeError(400, 'You may only specify one of these parameters: unit_amount, unit_amount_decimal.', { code: 'parameters_exclusive', param: sub(label, 'unit_amount_decimal') });
    unitDecimal = decimalString(p.unit_amount_decimal, sub(label, 'unit_amount_decimal'));
    unitAmount = Number.isInteger(Number(unitDecimal)) ? Number(unitDecimal) : null;
  }
  if (p.custom_unit_amount !== undefined && p.custom_unit_amount !== '') {
    const cu = p.custom_unit_amount as Params;
    if (!cu || typeof cu !== 'object' || !toBool(cu.enabled ?? 'false', sub(label, 'custom_unit_amount[enabled]'))) {
      throw paramMissing(sub(label, 'custom_unit_amount[enabled]'));
    }
    const n = (k: string) => (cu[k] === undefined || cu[k] === '' ? null : toInt(cu[k], sub(label, `custom_unit_amount[${k}]`)));
    custom = { maximum: n('maximum'), minimum: n('minimum'), preset: n('preset') };
  }
  if (scheme === 'tiered') {
    tiersMode = p.tiers_mode === undefined ? '' : String(p.tiers_mode);
    if (tiersMode !== 'graduated' && tiersMode !== 'volume') throw paramMissing(sub(label, 'tiers_mode'));
    const raw = p.tiers === undefined ? [] : Array.isArray(p.tiers) ? p.tiers : Object.values(p.tiers as object);
    if (raw.length === 0) throw paramMissing(sub(label, 'tiers'));
    tiers = raw.map((t: any, i: number) => {
      const l = sub(label, `tiers[${i}]`);
      const upTo = t.up_to === 'inf' ? null : toInt(t.up_to, `${l}[up_to]`);
      const ua = t.unit_amount === undefined || t.unit_amount === '' ? null : toInt(t.unit_amount, `${l}[unit_amount]`);
      const fa = t.flat_amount === undefined || t.flat_amount === '' ? null : toInt(t.flat_amount, `${l}[flat_amount]`);
      return { flat_amount: fa, flat_amount_decimal: fa === null ? null : String(fa), unit_amount: ua, unit_amount_decimal: ua === null ? null : String(ua), up_to: upTo };
    });
    if (tiers[tiers.length - 1]?.up_to !== null) throw paramInvalid(sub(label, 'tiers'), "The last tier's up_to must be 'inf'.");
  } else if (unitAmount === null && unitDecimal === null && custom === null) {
    throw paramMissing(sub(label, 'unit_amount'));
  }
  let recurring: Obj | null = null;
  if (p.recurring !== undefined && p.recurring !== '') {
    const r = p.recurring as Params;
    const interval = r.interval === undefined ? undefined : String(r.interval);
    if (!interval) throw paramMissing(sub(label, 'recurring[interval]'));
    if (!['day', 'week', 'month', 'year'].includes(interval)) throw paramInvalid(sub(label, 'recurring[interval]'), `Invalid recurring[interval]: must be one of day, week, month, or year`);
    const count = r.interval_count === undefined ? 1 : toInt(r.interval_count, sub(label, 'recurring[interval_count]'));
    const maxCount = interval === 'year' ? 3 : interval === 'month' ? 36 : interval === 'week' ? 156 : 1095;
    if (count < 1 || count > maxCount) throw paramInvalid(sub(label, 'recurring[interval_count]'), `Invalid recurring[interval_count]: the maximum billing interval is three years.`);
    const usage = r.usage_type === undefined ? 'licensed' : String(r.usage_type);
    if (usage !== 'licensed' && usage !== 'metered') throw paramInvalid(sub(label, 'recurring[usage_type]'), 'Invalid usage_type: must be licensed or metered');
    recurring = {
      interval,
      interval_count: count,
      meter: r.meter ? String(r.meter) : null,
      trial_period_days: r.trial_period_days === undefined || r.trial_period_days === '' ? null : toInt(r.trial_period_days, sub(label, 'recurring[trial_period_days]')),
      usage_type: usage,
    };
  }
  const taxBehavior = p.tax_behavior === undefined ? 'unspecified' : String(p.tax_behavior);
  if (!['exclusive', 'inclusive', 'unspecified'].includes(taxBehavior)) throw paramInvalid(sub(label, 'tax_behavior'), 'Invalid tax_behavior');
  let transform: Obj | null = null;
  if (p.transform_quantity !== undefined && p.transform_quantity !== '') {
    const t = p.transform_quantity as Params;
    transform = { divide_by: toInt(t.divide_by, sub(label, 'transform_quantity[divide_by]')), round: String(t.round ?? 'up') };
  }
  const price: Obj = {
    id: newId('price'),
    object: 'price',
    active: p.active === undefined ? true : toBool(p.active, sub(label, 'active')),
    billing_scheme: scheme,
    created: nowSeconds(),
    currency,
    custom_unit_amount: custom,
    livemode: false,
    lookup_key: p.lookup_key ? String(p.lookup_key) : null,
    metadata: mergeMetadata({}, p.metadata, sub(label, 'metadata')),
    nickname: p.nickname ? String(p.nickname) : null,
    product: String(p.product),
    recurring,
    tax_behavior: taxBehavior,
    tiers_mode: tiersMode,
    transform_quantity: transform,
    type: recurring ? 'recurring' : 'one_time',
    unit_amount: scheme === 'tiered' || custom ? null : unitAmount,
    unit_amount_decimal: scheme === 'tiered' || custom ? null : unitDecimal,
  };
  if (tiers) price.tiers = tiers;
  return price;
}

/** Amount of `quantity` units at `price` (per-unit, or tiered graduated/volume). */
export function priceAmount(price: Obj, quantity: number): number {
  let q = quantity;
  if (price.transform_quantity) {
    const d = Number(price.transform_quantity.divide_by) || 1;
    q = price.transform_quantity.round === 'down' ? Math.floor(q / d) : Math.ceil(q / d);
  }
  if (price.billing_scheme === 'tiered' && Array.isArray(price.tiers)) {
    const tiers = price.tiers as Obj[];
    if (price.tiers_mode === 'volume') {
      const t = tiers.find((x) => x.up_to === null || q <= x.up_to) ?? tiers[tiers.length - 1];
      return Math.round((t?.unit_amount ?? 0) * q + (t?.flat_amount ?? 0));
    }
    let total = 0;
    let prev = 0;
    for (const t of tiers) {
      if (q <= prev) break;
      const upTo = t.up_to === null ? q : Math.min(q, t.up_to);
      total += (t.unit_amount ?? 0) * (upTo - prev) + (t.flat_amount ?? 0);
      prev = upTo;
    }
    return Math.round(total);
  }
  return Math.round(Number(price.unit_amount_decimal ?? price.unit_amount ?? 0) * q);
}

async function takeLookupKey(c: Call, key: string, transfer: boolean, exceptId?: string): Promise<void> {
  const holders = await all(c.ctx, 'price', (w) => w.add(`data->>'lookup_key' = ?`, key));
  const other = holders.find((h) => h.id !== exceptId);
  if (!other) return;
  if (!transfer) {
    throw stripeError(400, `A price (\`${other.id}\`) already uses that lookup key.`, { param: 'lookup_key' });
  }
  other.lookup_key = null;
  await save(c.ctx, other);
}

async function create(c: Call): Promise<Obj> {
  checkKeys(c.params, CREATE_KEYS);
  const productId = optString(c.params, 'product');
  const productData = optObject(c.params, 'product_data');
  if (!productId && !productData) throw paramMissing('product');
  if (productId && productData) throw stripeError(400, 'You may only specify one of these parameters: product, product_data.', { code: 'parameters_exclusive', param: 'product' });
  const price = buildPrice({ ...c.params, product: productId ?? 'pending' });
  if (productId) {
    await mustGet(c.ctx, 'product', productId, 'product');
  } else if (productData) {
    if (!productData.name) throw paramMissing('product_data[name]');
    const now = nowSeconds();
    const prod: Obj = {
      id: productData.id ? String(productData.id) : newId('prod'),
      object: 'product',
      active: productData.active === undefined ? true : toBool(productData.active, 'product_data[active]'),
      created: now,
      default_price: null,
      description: null,
      images: [],
      livemode: false,
      marketing_features: [],
      metadata: mergeMetadata({}, productData.metadata, 'product_data[metadata]'),
      name: String(productData.name),
      package_dimensions: null,
      shippable: null,
      statement_descriptor: productData.statement_descriptor ? String(productData.statement_descriptor) : null,
      tax_code: productData.tax_code ? String(productData.tax_code) : null,
      tax_details: null,
      type: 'service',
      unit_label: productData.unit_label ? String(productData.unit_label) : null,
      updated: now,
      url: null,
    };
    await insert(c.ctx, 'product', prod);
    price.product = prod.id;
  }
  if (price.lookup_key) await takeLookupKey(c, price.lookup_key, optBool(c.params, 'transfer_lookup_key') ?? false);
  return insert(c.ctx, 'price', price);
}

async function retrieve(c: Call): Promise<Obj> {
  checkKeys(c.params, ['expand']);
  return mustGet(c.ctx, 'price', c.ids[0] as string);
}

async function update(c: Call): Promise<Obj> {
  checkKeys(c.params, UPDATE_KEYS);
  const price = await mustGet(c.ctx, 'price', c.ids[0] as string);
  const active = optBool(c.params, 'active');
  if (active !== undefined) price.active = active;
  const nick = nullableString(c.params, 'nickname');
  if (nick !== undefined) price.nickname = nick;
  const lookup = nullableString(c.params, 'lookup_key');
  if (lookup !== undefined) {
    if (lookup) await takeLookupKey(c, lookup, optBool(c.params, 'transfer_lookup_key') ?? false, price.id);
    price.lookup_key = lookup;
  }
  const tb = optEnum(c.params, 'tax_behavior', ['exclusive', 'inclusive', 'unspecified'] as const);
  if (tb !== undefined) {
    if (price.tax_behavior !== 'unspecified' && tb !== price.tax_behavior) {
      throw paramInvalid('tax_behavior', 'tax_behavior cannot be changed once it is set to exclusive or inclusive.');
    }
    price.tax_behavior = tb;
  }
  price.metadata = mergeMetadata(price.metadata ?? {}, c.params.metadata);
  return save(c.ctx, price);
}

async function list(c: Call): Promise<Obj> {
  checkKeys(c.params, [...LIST_KEYS, 'active', 'created', 'currency', 'lookup_keys', 'product', 'recurring', 'type']);
  const page = pageParams(c.params);
  const active = optBool(c.params, 'active');
  const currency = optString(c.params, 'currency');
  const product = optString(c.params, 'product');
  const type = optEnum(c.params, 'type', ['one_time', 'recurring'] as const);
  const lookupKeys = optArray(c.params, 'lookup_keys');
  const recurring = optObject(c.params, 'recurring');
  const created = optRange(c.params, 'created');
  return listPage(
    c.ctx,
    'price',
    (w) => {
      if (active !== undefined) w.add(`(data->>'active')::boolean = ?`, active);
      if (currency) w.add(`data->>'currency' = ?`, currency.toLowerCase());
      if (product) w.add(`data->>'product' = ?`, product);
      if (type) w.add(`data->>'type' = ?`, type);
      if (lookupKeys) w.add(`data->>'lookup_key' = any(?::text[])`, lookupKeys.map(String));
      if (recurring?.interval) w.add(`data->'recurring'->>'interval' = ?`, String(recurring.interval));
      if (recurring?.usage_type) w.add(`data->'recurring'->>'usage_type' = ?`, String(recurring.usage_type));
      if (created?.gt !== undefined) w.add('created > ?', created.gt);
      if (created?.gte !== undefined) w.add('created >= ?', created.gte);
      if (created?.lt !== undefined) w.add('created < ?', created.lt);
      if (created?.lte !== undefined) w.add('created <= ?', created.lte);
    },
    page,
    '/v1/prices',
  );
}

export const PRICE_FIELDS: Fields = {
  active: { kind: 'token', get: (o) => String(o.active) },
  currency: { kind: 'string', get: (o) => o.currency },
  lookup_key: { kind: 'string', get: (o) => o.lookup_key, substring: true },
  product: { kind: 'string', get: (o) => o.product },
  type: { kind: 'string', get: (o) => o.type },
};

async function search(c: Call): Promise<Obj> {
  return runSearch(await all(c.ctx, 'price'), c.params, PRICE_FIELDS, 'prices');
}

export const priceRoutes: Route[] = [
  { method: 'GET', path: '/v1/prices/search', handler: search, search: true },
  { method: 'POST', path: '/v1/prices', handler: create },
  { method: 'GET', path: '/v1/prices', handler: list },
  { method: 'GET', path: '/v1/prices/{id}', handler: retrieve },
  { method: 'POST', path: '/v1/prices/{id}', handler: update },
];
