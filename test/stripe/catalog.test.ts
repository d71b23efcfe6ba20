import { afterAll, beforeAll, expect, test } from 'bun:test';
import Stripe from 'stripe';
import { describeDocker } from '../support/docker.ts';
import { startTemplateOnHost, type HostClone } from '../support/template-host.ts';
import { expectShape, raw, stripeErr, stripeFor, uniq, type StripeClone } from './helpers.ts';

/** Products and prices: CRUD, filters, expand, search, and the rules Stripe enforces. */

// The HTTP API only: the server on the host (test/support/template-host.ts), no CLI spin.
let clone: HostClone<StripeClone['tokens']>;
let stripe: Stripe;

beforeAll(async () => {
  clone = await startTemplateOnHost<StripeClone['tokens']>('stripe');
  stripe = stripeFor(clone);
}, 180_000);
afterAll(() => clone?.stop(), 60_000);

describeDocker('stripe products and prices', () => {
  test('product CRUD with default_price_data, custom id, deletion rules', async () => {
    const p = await stripe.products.create({
      name: 'Pro plan',
      description: 'For teams',
      metadata: { tier: 'pro' },
      images: ['https://example.com/a.png'],
      marketing_features: [{ name: 'SSO' }],
      unit_label: 'seat',
      default_price_data: { currency: 'usd', unit_amount: 4900, recurring: { interval: 'month' } },
    });
    expect(p.id).toMatch(/^prod_/);
    expect(p).toMatchObject({ object: 'product', active: true, name: 'Pro plan', type: 'service', unit_label: 'seat', marketing_features: [{ name: 'SSO' }] });
    expect(p.default_price).toMatch(/^price_/);
    expectShape('Product', (await raw(clone, 'GET', `/v1/products/${p.id}`)).body);

    const withPrice = await stripe.products.retrieve(p.id, { expand: ['default_price'] });
    const dp = withPrice.default_price as Stripe.Price;
    expect(dp).toMatchObject({ object: 'price', unit_amount: 4900, currency: 'usd', type: 'recurring', product: p.id });
    expect(dp.recurring).toMatchObject({ interval: 'month', interval_count: 1, usage_type: 'licensed' });

    const up = await stripe.products.update(p.id, { name: 'Pro', active: false, metadata: { tier: '' }, description: '' });
    expect(up).toMatchObject({ name: 'Pro', active: false, metadata: {}, description: null });
    expect(up.updated).toBeGreaterThanOrEqual(p.updated);

    const blocked = await stripeErr(() => stripe.products.del(p.id));
    expect(blocked.statusCode).toBe(400);
    expect(blocked.message).toContain('prices');

    const customId = uniq('prod_custom').replace(/-/g, '_');
    const bare = await stripe.products.create({ id: customId, name: 'Bare', type: 'good', shippable: true });
    expect(bare).toMatchObject({ id: customId, type: 'good', shippable: true });
    expect((await stripeErr(() => stripe.products.create({ id: customId, name: 'dup' }))).code).toBe('resource_already_exists');
    expect(await stripe.products.del(customId)).toMatchObject({ id: customId, object: 'product', deleted: true });
    expect((await stripeErr(() => stripe.products.retrieve(customId))).code).toBe('resource_missing');
    expect((await stripeErr(() => stripe.products.create({} as never))).code).toBe('parameter_missing');
    const features = await stripe.products.listFeatures(p.id);
    expect(features).toMatchObject({ object: 'list', data: [], has_more: false, url: `/v1/products/${p.id}/features` });
    expect((await stripeErr(() => stripe.products.retrieveFeature(p.id, 'prodft_x'))).code).toBe('resource_missing');
    expect((await stripeErr(() => stripe.products.deleteFeature(p.id, 'prodft_x'))).statusCode).toBe(404);
  });

  test('product features: attach an entitlements feature, list, retrieve, delete, errors', async () => {
    const p = await stripe.products.create({ name: uniq('featured') });
    const featId = `feat_${uniq('sso').replace(/-/g, '')}`;
    const pf = await stripe.products.createFeature(p.id, { entitlement_feature: featId });
    expect(pf.id).toMatch(/^prodft_[A-Za-z0-9]{24}$/);
    expect(pf).toMatchObject({
      object: 'product_feature',
      livemode: false,
      entitlement_feature: { id: featId, object: 'entitlements.feature', active: true, livemode: false, lookup_key: featId, metadata: {}, name: featId },
    });
    const rawPf = await raw(clone, 'GET', `/v1/products/${p.id}/features/${pf.id}`);
    expect(Object.keys(rawPf.body)).toEqual(['id', 'object', 'entitlement_feature', 'livemode']);
    expect(await stripe.products.retrieveFeature(p.id, pf.id)).toEqual(pf);

    // The same feature attaches to another product, but only once per product.
    const other = await stripe.products.create({ name: uniq('other') });
    const pf2 = await stripe.products.createFeature(other.id, { entitlement_feature: featId });
    expect(pf2.entitlement_feature.id).toBe(featId);
    const dup = await stripeErr(() => stripe.products.createFeature(p.id, { entitlement_feature: featId }));
    expect([dup.statusCode, dup.code, dup.param]).toEqual([400, 'resource_already_exists', 'entitlement_feature']);

    const pf3 = await stripe.products.createFeature(p.id, { entitlement_feature: `${featId}_b` });
    const list = await stripe.products.listFeatures(p.id);
    expect(list).toMatchObject({ object: 'list', has_more: false, url: `/v1/products/${p.id}/features` });
    expect(list.data.map((x) => x.id)).toEqual([pf3.id, pf.id]);
    expect((await stripe.products.listFeatures(p.id, { limit: 1 })).has_more).toBe(true);

    const missingFeat = await stripeErr(() => stripe.products.createFeature(p.id, { entitlement_feature: 'not-a-feature' }));
    expect([missingFeat.statusCode, missingFeat.code, missingFeat.param]).toEqual([404, 'resource_missing', 'entitlement_feature']);
    expect(missingFeat.message).toBe("No such feature: 'not-a-feature'");
    expect((await stripeErr(() => stripe.products.createFeature(p.id, {} as never))).code).toBe('parameter_missing');
    expect((await stripeErr(() => stripe.products.createFeature('prod_nope', { entitlement_feature: featId }))).statusCode).toBe(404);
    // A feature id of one product is not found under another.
    expect((await stripeErr(() => stripe.products.retrieveFeature(other.id, pf.id))).code).toBe('resource_missing');

    expect(await stripe.products.deleteFeature(p.id, pf.id)).toEqual({ id: pf.id, object: 'product_feature', deleted: true } as never);
    expect((await stripeErr(() => stripe.products.retrieveFeature(p.id, pf.id))).statusCode).toBe(404);
    expect((await stripe.products.listFeatures(p.id)).data.map((x) => x.id)).toEqual([pf3.id]);
  });

  test('product list filters, pagination to the end, search', async () => {
    const tag = uniq('cat').replace(/-/g, '');
    const made: Stripe.Product[] = [];
    for (let i = 0; i < 7; i++) made.push(await stripe.products.create({ name: `${tag} item ${i}`, active: i % 2 === 0, metadata: { tag, n: String(i) } }));
    const inactive = await stripe.products.list({ active: false, limit: 100 });
    for (const p of made.filter((x) => !x.active)) expect(inactive.data.map((x) => x.id)).toContain(p.id);
    expect(inactive.data.every((x) => !x.active)).toBe(true);
    const byIds = await stripe.products.list({ ids: [made[0]!.id, made[3]!.id] });
    expect(byIds.data.map((x) => x.id)).toEqual([made[3]!.id, made[0]!.id]);
    const walked: string[] = [];
    for await (const p of stripe.products.list({ limit: 2 })) walked.push(p.id);
    expect(walked.slice(0, 7)).toEqual(made.map((p) => p.id).reverse());

    const s = await stripe.products.search({ query: `name~'${tag}' AND active:'true'` });
    expect(s.data.map((x) => x.id)).toEqual(made.filter((x) => x.active).map((x) => x.id).reverse());
    const m = await stripe.products.search({ query: `metadata['n']:'4' AND metadata['tag']:'${tag}'` });
    expect(m.data.map((x) => x.id)).toEqual([made[4]!.id]);
  });

  test('price create/retrieve/update/list/search with product expansion', async () => {
    const prod = await stripe.products.create({ name: uniq('Widget') });
    const one = await stripe.prices.create({ product: prod.id, currency: 'usd', unit_amount: 1500, nickname: 'single', lookup_key: uniq('widget_single'), metadata: { a: '1' } });
    expect(one).toMatchObject({ object: 'price', type: 'one_time', billing_scheme: 'per_unit', unit_amount: 1500, recurring: null, tax_behavior: 'unspecified', active: true });
    expect(String(one.unit_amount_decimal)).toBe('1500');
    expectShape('Price', (await raw(clone, 'GET', `/v1/prices/${one.id}`)).body);
    const yearly = await stripe.prices.create({ product: prod.id, currency: 'usd', unit_amount: 15000, recurring: { interval: 'year' } });
    const eur = await stripe.prices.create({ product: prod.id, currency: 'EUR', unit_amount_decimal: Stripe.Decimal.from('1299.5') });
    expect(eur.currency).toBe('eur');
    expect(eur.unit_amount).toBeNull();
    expect(String(eur.unit_amount_decimal)).toBe('1299.5');

    const expanded = await stripe.prices.retrieve(one.id, { expand: ['product'] });
    expect((expanded.product as Stripe.Product).name).toBe(prod.name);
    const listExpanded = await stripe.prices.list({ product: prod.id, expand: ['data.product'] });
    expect(listExpanded.data.map((p) => (p.product as Stripe.Product).id)).toEqual([prod.id, prod.id, prod.id]);

    expect((await stripe.prices.list({ product: prod.id, type: 'recurring' })).data.map((p) => p.id)).toEqual([yearly.id]);
    expect((await stripe.prices.list({ product: prod.id, currency: 'eur' })).data.map((p) => p.id)).toEqual([eur.id]);
    expect((await stripe.prices.list({ lookup_keys: [one.lookup_key!] })).data.map((p) => p.id)).toEqual([one.id]);
    expect((await stripe.prices.list({ product: prod.id, recurring: { interval: 'year' } })).data.map((p) => p.id)).toEqual([yearly.id]);

    const upd = await stripe.prices.update(one.id, { active: false, nickname: '', metadata: { a: '', b: '2' }, tax_behavior: 'exclusive' });
    expect(upd).toMatchObject({ active: false, nickname: null, metadata: { b: '2' }, tax_behavior: 'exclusive' });
    expect((await stripe.prices.list({ product: prod.id, active: true })).data.map((p) => p.id)).toEqual([eur.id, yearly.id]);
    expect((await stripeErr(() => stripe.prices.update(one.id, { tax_behavior: 'inclusive' }))).statusCode).toBe(400);

    const s = await stripe.prices.search({ query: `product:'${prod.id}' AND type:'one_time'` });
    expect(s.data.map((p) => p.id).sort()).toEqual([one.id, eur.id].sort());
    expect((await stripe.prices.search({ query: `product:'${prod.id}' AND currency:'eur'` })).data.map((p) => p.id)).toEqual([eur.id]);
  });

  test('price rules: product_data, lookup_key transfer, tiers, required params', async () => {
    const viaData = await stripe.prices.create({ currency: 'usd', unit_amount: 700, product_data: { name: 'Inline product' } });
    const inline = await stripe.products.retrieve(viaData.product as string);
    expect(inline.name).toBe('Inline product');
    const key = uniq('lk');
    const a = await stripe.prices.create({ product: inline.id, currency: 'usd', unit_amount: 100, lookup_key: key });
    const dup = await stripeErr(() => stripe.prices.create({ product: inline.id, currency: 'usd', unit_amount: 200, lookup_key: key }));
    expect(dup.statusCode).toBe(400);
    const b = await stripe.prices.create({ product: inline.id, currency: 'usd', unit_amount: 200, lookup_key: key, transfer_lookup_key: true });
    expect((await stripe.prices.retrieve(a.id)).lookup_key).toBeNull();
    expect((await stripe.prices.retrieve(b.id)).lookup_key).toBe(key);

    const tiered = await stripe.prices.create({
      product: inline.id,
      currency: 'usd',
      billing_scheme: 'tiered',
      tiers_mode: 'graduated',
      tiers: [
        { up_to: 10, unit_amount: 100 },
        { up_to: 'inf', unit_amount: 50, flat_amount: 200 },
      ],
    });
    expect(tiered).toMatchObject({ billing_scheme: 'tiered', tiers_mode: 'graduated', unit_amount: null });
    const cus = await stripe.customers.create({});
    const item = await stripe.invoiceItems.create({ customer: cus.id, pricing: { price: tiered.id }, quantity: 15 });
    expect(item.amount).toBe(10 * 100 + 5 * 50 + 200);

    expect((await stripeErr(() => stripe.prices.create({ product: inline.id } as never))).param).toBe('currency');
    expect((await stripeErr(() => stripe.prices.create({ product: inline.id, currency: 'usd' }))).param).toBe('unit_amount');
    expect((await stripeErr(() => stripe.prices.create({ currency: 'usd', unit_amount: 1 }))).code).toBe('parameter_missing');
    const noProd = await stripeErr(() => stripe.prices.create({ product: 'prod_missing', currency: 'usd', unit_amount: 1 }));
    expect(noProd).toMatchObject({ statusCode: 404, code: 'resource_missing', param: 'product' });
    expect((await stripeErr(() => stripe.prices.create({ product: inline.id, currency: 'usd', unit_amount: 1, recurring: { interval: 'fortnight' as never } }))).statusCode).toBe(400);
    expect((await stripeErr(() => stripe.prices.retrieve('price_missing'))).message).toBe("No such price: 'price_missing'");
    const badExpand = await stripeErr(() => stripe.prices.retrieve(a.id, { expand: ['nonsense'] }));
    expect(badExpand.statusCode).toBe(400);
  });

  test('records seed (the AI seed path): written in dependency order, bad records rejected and counted', async () => {
    const tag = uniq('seed').replace(/-/g, '');
    const records = {
      customers: [{ name: `Seeded ${tag}`, email: `${tag}@example.com`, metadata: { src: 'ai' } }, { name: '' }, { name: 'Bad mail', email: 'nope' }],
      products: [{ name: `Seeded plan ${tag}`, description: 'from records' }],
      prices: [
        { product: `Seeded plan ${tag}`, unit_amount: 2500, interval: 'month', lookup_key: `${tag}_m` },
        { product: 'no such product', unit_amount: 1 },
      ],
      invoices: [
        { customer: `${tag}@example.com`, status: 'paid', items: [{ description: 'Consulting', amount: 12000 }, { price: `${tag}_m`, quantity: 2 }] },
        { customer: `Seeded ${tag}`, status: 'open', items: [{ description: 'Hours', amount: 3000, quantity: 3 }] },
        { customer: 'nobody', items: [{ amount: 1 }] },
      ],
      widgets: [{}],
    };
    const res = await fetch(`${clone.endpoints.api}/__asym/seed`, { method: 'POST', headers: { 'x-asym-admin': clone.adminSecret, 'content-type': 'application/json' }, body: JSON.stringify({ records }) });
    const body = (await res.json()) as any;
    expect(res.status).toBe(200);
    expect(body.written).toBe(5);
    expect(body.rejected).toBe(4);
    expect(body.rejections.map((r: any) => `${r.entity}:${r.index}`)).toEqual(['customers:1', 'customers:2', 'prices:1', 'invoices:2']);
    expect(body.warnings.join(' ')).toContain('widgets');

    const cus = (await stripe.customers.list({ email: `${tag}@example.com` })).data[0]!;
    expect(cus.metadata).toEqual({ src: 'ai' });
    const invs = await stripe.invoices.list({ customer: cus.id });
    expect(invs.data.map((i) => [i.status, i.total, i.amount_remaining])).toEqual([
      ['open', 3000, 3000],
      ['paid', 17000, 0],
    ]);
    expect(invs.data.map((i) => i.number)).toEqual([`${cus.invoice_prefix}-0002`, `${cus.invoice_prefix}-0001`]);
    expect(((await stripe.customers.retrieve(cus.id)) as Stripe.Customer).next_invoice_sequence).toBe(3);
    for (const i of invs.data) expectShape('Invoice', (await raw(clone, 'GET', `/v1/invoices/${i.id}`)).body);
    const prod = (await stripe.products.search({ query: `name:'Seeded plan ${tag}'` })).data[0]!;
    expect(prod.default_price).toBeString();
  });
});
