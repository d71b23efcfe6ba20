import type { Params } from '../../../_kit/http.ts';
import type { Call, Route } from '../api.ts';
import { missing, paramInvalid, stripeError } from '../errors.ts';
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
  reqString,
} from '../params.ts';
import { runSearch, type Fields } from '../search.ts';
import { all, getRow, insert, listPage, mustGet, remove, save, type Obj } from '../store.ts';
import { buildPrice } from './prices.ts';

const CREATE_KEYS = [
  'active', 'default_price_data', 'description', 'expand', 'id', 'images', 'marketing_features', 'metadata', 'name',
  'package_dimensions', 'shippable', 'statement_descriptor', 'tax_code', 'tax_details', 'type', 'unit_label', 'url',
];
const UPDATE_KEYS = [
  'active', 'default_price', 'description', 'expand', 'images', 'marketing_features', 'metadata', 'name', 'package_dimensions',
  'shippable', 'statement_descriptor', 'tax_code', 'tax_details', 'unit_label', 'url',
];

function apply(p: Obj, params: Params): void {
  const name = optString(params, 'name');
  if (name !== undefined) {
    if (name === '') throw paramInvalid('name', 'You must provide a non-empty name.', 'parameter_invalid_string_empty');
    p.name = name;
  }
  for (const k of ['description', 'statement_descriptor', 'unit_label', 'url', 'tax_code'] as const) {
    const v = nullableString(params, k);
    if (v !== undefined) p[k] = v;
  }
  if (typeof p.statement_descriptor === 'string' && p.statement_descriptor.length > 22) {
    throw paramInvalid('statement_descriptor', 'The statement descriptor must be at most 22 characters long.');
  }
  const active = optBool(params, 'active');
  if (active !== undefined) p.active = active;
  const shippable = optBool(params, 'shippable');
  if (shippable !== undefined) p.shippable = shippable;
  const images = optArray(params, 'images');
  if (images !== undefined) p.images = images.map(String);
  const features = optArray(params, 'marketing_features');
  if (features !== undefined) p.marketing_features = features.map((f) => ({ name: String((f as Params).name ?? '') }));
  if (params.package_dimensions !== undefined) {
    const d = params.package_dimensions as Params | '';
    p.package_dimensions = d
      ? { height: Number(d.height), length: Number(d.length), weight: Number(d.weight), width: Number(d.width) }
      : null;
  }
  const tax = optObject(params, 'tax_details');
  if (tax) p.tax_details = { performance_location: tax.performance_location ? String(tax.performance_location) : null, tax_code: tax.tax_code ? String(tax.tax_code) : null };
  p.metadata = mergeMetadata(p.metadata ?? {}, params.metadata);
}

async function create(c: Call): Promise<Obj> {
  checkKeys(c.params, CREATE_KEYS);
  const name = reqString(c.params, 'name');
  const now = nowSeconds();
  const id = optString(c.params, 'id') || newId('prod');
  if (!/^[A-Za-z0-9_-]+$/.test(id)) throw paramInvalid('id', 'Product ids may only contain letters, digits, dashes and underscores.');
  if (await getRow(c.ctx, id)) {
    throw stripeError(400, `Product already exists.`, { code: 'resource_already_exists', param: 'id' });
  }
  const type = optEnum(c.params, 'type', ['good', 'service'] as const) ?? 'service';
  const p: Obj = {
    id,
    object: 'product',
    active: true,
    created: now,
    default_price: null,
    description: null,
    images: [],
    livemode: false,
    marketing_features: [],
    metadata: {},
    name,
    package_dimensions: null,
    shippable: null,
    statement_descriptor: null,
    tax_code: null,
    tax_details: null,
    type,
    unit_label: null,
    updated: now,
    url: null,
  };
  apply(p, c.params);
  await insert(c.ctx, 'product', p);
  const dpd = optObject(c.params, 'default_price_data');
  if (dpd) {
    const price = buildPrice({ ...dpd, product: id }, 'default_price_data');
    await insert(c.ctx, 'price', price);
    p.default_price = price.id;
    await save(c.ctx, p);
  }
  return p;
}

async function retrieve(c: Call): Promise<Obj> {
  checkKeys(c.params, ['expand']);
  return mustGet(c.ctx, 'product', c.ids[0] as string);
}

async function update(c: Call): Promise<Obj> {
  checkKeys(c.params, UPDATE_KEYS);
  const p = await mustGet(c.ctx, 'product', c.ids[0] as string);
  apply(p, c.params);
  const dp = nullableString(c.params, 'default_price');
  if (dp !== undefined) {
    if (dp !== null) {
      const price = await mustGet(c.ctx, 'price', dp, 'default_price');
      if (price.product !== p.id) throw paramInvalid('default_price', `The price ${dp} does not belong to product ${p.id}.`);
      if (!price.active) throw paramInvalid('default_price', `The price ${dp} is not active; a default price must be active.`);
    }
    p.default_price = dp;
  }
  p.updated = nowSeconds();
  return save(c.ctx, p);
}

async function del(c: Call): Promise<Obj> {
  checkKeys(c.params, []);
  const id = c.ids[0] as string;
  await mustGet(c.ctx, 'product', id);
  const prices = await all(c.ctx, 'price', (w) => w.add(`data->>'product' = ?`, id));
  if (prices.length > 0) {
    throw stripeError(400, 'This product cannot be deleted because it has one or more user-created prices.', { code: 'resource_in_use' });
  }
  await remove(c.ctx, id);
  return { id, object: 'product', deleted: true };
}

async function list(c: Call): Promise<Obj> {
  checkKeys(c.params, [...LIST_KEYS, 'active', 'created', 'ids', 'shippable', 'type', 'url']);
  const page = pageParams(c.params);
  const active = optBool(c.params, 'active');
  const shippable = optBool(c.params, 'shippable');
  const type = optString(c.params, 'type');
  const url = optString(c.params, 'url');
  const ids = optArray(c.params, 'ids');
  const created = optRange(c.params, 'created');
  return listPage(
    c.ctx,
    'product',
    (w) => {
      if (active !== undefined) w.add(`(data->>'active')::boolean = ?`, active);
      if (shippable !== undefined) w.add(`(data->>'shippable')::boolean = ?`, shippable);
      if (type) w.add(`data->>'type' = ?`, type);
      if (url) w.add(`data->>'url' = ?`, url);
      if (ids) w.add('id = any(?::text[])', ids.map(String));
      if (created?.gt !== undefined) w.add('created > ?', created.gt);
      if (created?.gte !== undefined) w.add('created >= ?', created.gte);
      if (created?.lt !== undefined) w.add('created < ?', created.lt);
      if (created?.lte !== undefined) w.add('created <= ?', created.lte);
    },
    page,
    '/v1/products',
  );
}

export const PRODUCT_FIELDS: Fields = {
  active: { kind: 'token', get: (o) => String(o.active) },
  description: { kind: 'string', get: (o) => o.description, substring: true },
  name: { kind: 'string', get: (o) => o.name, substring: true },
  shippable: { kind: 'token', get: (o) => (o.shippable === null ? null : String(o.shippable)) },
  url: { kind: 'string', get: (o) => o.url, substring: true },
};

async function search(c: Call): Promise<Obj> {
  return runSearch(await all(c.ctx, 'product'), c.params, PRODUCT_FIELDS, 'products');
}

export async function productExists(c: Call, id: string, param: string): Promise<Obj> {
  const row = await getRow(c.ctx, id);
  if (!row || row.kind !== 'product' || row.deleted) throw missing('product', id, param);
  return row.data;
}

// Product features attach Entitlements features (`feat_…`). The Entitlements API itself is
// out of scope, so a well-formed feature id that the clone has not seen is created on first
// attach (name and lookup_key = the id, active) and reused afterwards; any other value is
// Stripe's 404 "No such feature". Attaching one feature twice to a product is refused.
const FEATURE_ID = /^feat_[A-Za-z0-9_]{1,64}$/;

async function featureFor(c: Call, id: string): Promise<Obj> {
  const row = await getRow(c.ctx, id);
  if (row && row.kind === 'entitlements.feature' && !row.deleted) return row.data;
  if (row || !FEATURE_ID.test(id)) throw missing('entitlements.feature', id, 'entitlement_feature');
  const f: Obj = { id, object: 'entitlements.feature', active: true, livemode: false, lookup_key: id, metadata: {}, name: id };
  await c.ctx.db.unsafe('insert into stripe_objects (id, kind, created, parent, data) values ($1, $2, $3, null, $4::text::jsonb) on conflict (id) do nothing', [
    id,
    'entitlements.feature',
    nowSeconds(),
    JSON.stringify(f),
  ]);
  return f;
}

async function createFeature(c: Call): Promise<Obj> {
  checkKeys(c.params, ['entitlement_feature', 'expand']);
  const p = await mustGet(c.ctx, 'product', c.ids[0] as string, 'product');
  const featureId = reqString(c.params, 'entitlement_feature');
  const feature = await featureFor(c, featureId);
  const dup = await all(c.ctx, 'product_feature', (w) => w.add('parent = ?', p.id).add(`data->'entitlement_feature'->>'id' = ?`, featureId));
  if (dup.length > 0) {
    throw stripeError(400, `The feature ${featureId} is already attached to product ${p.id}.`, { code: 'resource_already_exists', param: 'entitlement_feature' });
  }
  const pf: Obj = { id: newId('prodft'), object: 'product_feature', entitlement_feature: feature, livemode: false };
  await insert(c.ctx, 'product_feature', pf, p.id);
  return pf;
}

async function listFeatures(c: Call): Promise<Obj> {
  checkKeys(c.params, [...LIST_KEYS]);
  const page = pageParams(c.params);
  const p = await mustGet(c.ctx, 'product', c.ids[0] as string, 'product');
  return listPage(c.ctx, 'product_feature', (w) => w.add('parent = ?', p.id), page, `/v1/products/${p.id}/features`);
}

async function featureOf(c: Call): Promise<Obj> {
  await mustGet(c.ctx, 'product', c.ids[0] as string, 'product');
  const id = c.ids[1] as string;
  const row = await getRow(c.ctx, id);
  if (!row || row.kind !== 'product_feature' || row.deleted || row.parent !== c.ids[0]) throw missing('product_feature', id);
  return row.data;
}

async function retrieveFeature(c: Call): Promise<Obj> {
  checkKeys(c.params, ['expand']);
  return featureOf(c);
}

async function deleteFeature(c: Call): Promise<Obj> {
  checkKeys(c.params, []);
  const pf = await featureOf(c);
  await remove(c.ctx, pf.id);
  return { id: pf.id, object: 'product_feature', deleted: true };
}

export const productRoutes: Route[] = [
  { method: 'GET', path: '/v1/products/{id}/features', handler: listFeatures },
  { method: 'POST', path: '/v1/products/{id}/features', handler: createFeature },
  { method: 'GET', path: '/v1/products/{id}/features/{id}', handler: retrieveFeature },
  { method: 'DELETE', path: '/v1/products/{id}/features/{id}', handler: deleteFeature },
  { method: 'GET', path: '/v1/products/search', handler: search, search: true },
  { method: 'POST', path: '/v1/products', handler: create },
  { method: 'GET', path: '/v1/products', handler: list },
  { method: 'GET', path: '/v1/products/{id}', handler: retrieve },
  { method: 'POST', path: '/v1/products/{id}', handler: update },
  { method: 'DELETE', path: '/v1/products/{id}', handler: del },
];
