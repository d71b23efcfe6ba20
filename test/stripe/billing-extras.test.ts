import { afterAll, beforeAll, expect, test } from 'bun:test';
import Stripe from 'stripe';
import { cloneHarness } from '../support/clones.ts';
import { describeDocker } from '../support/docker.ts';
import { expectShape, raw, stripeErr, stripeFor, uniq, type StripeClone } from './helpers.ts';

/** Coupons and discounts, tax rates in invoice totals, the search query language's errors, Stripe-Version. */

const h = cloneHarness('stripe-bill');
let clone: StripeClone;
let stripe: Stripe;

beforeAll(async () => {
  clone = await h.spin('stripe');
  stripe = stripeFor(clone);
}, 180_000);
afterAll(() => h.cleanup(), 60_000);

async function draftWith(customer: string, amounts: number[], extra: Stripe.InvoiceCreateParams = {}, itemExtra: Partial<Stripe.InvoiceItemCreateParams> = {}) {
  const inv = await stripe.invoices.create({ customer, ...extra });
  for (const amount of amounts) await stripe.invoiceItems.create({ customer, invoice: inv.id, amount, currency: 'usd', ...itemExtra });
  return stripe.invoices.retrieve(inv.id);
}

describeDocker('stripe coupons, discounts, tax rates, search, versions', () => {
  test('coupons: create, validation, retrieve, update, list, delete', async () => {
    const id = uniq('SUMMER').replace(/-/g, '_');
    const c = await stripe.coupons.create({ id, percent_off: 25, duration: 'repeating', duration_in_months: 3, name: 'Summer', metadata: { k: 'v' } });
    expect(c).toMatchObject({ id, object: 'coupon', percent_off: 25, amount_off: null, currency: null, duration: 'repeating', duration_in_months: 3, times_redeemed: 0, valid: true, name: 'Summer' });
    expect((await stripeErr(() => stripe.coupons.create({ id, percent_off: 5 }))).code).toBe('resource_already_exists');
    expect((await stripeErr(() => stripe.coupons.create({ percent_off: 5, duration: 'repeating' }))).code).toBe('parameter_missing');
    expect((await stripeErr(() => stripe.coupons.create({ percent_off: 150 }))).param).toBe('percent_off');
    expect((await stripeErr(() => stripe.coupons.create({ percent_off: 5, amount_off: 100, currency: 'usd' }))).code).toBe('parameters_exclusive');
    expect((await stripeErr(() => stripe.coupons.create({ amount_off: 100 }))).param).toBe('currency');
    expect((await stripeErr(() => stripe.coupons.create({}))).code).toBe('parameter_missing');
    const off = await stripe.coupons.create({ amount_off: 500, currency: 'usd' });
    expect(off).toMatchObject({ amount_off: 500, currency: 'usd', duration: 'once' });
    expect((await stripe.coupons.update(id, { name: 'Summer sale', metadata: { k: '' } }))).toMatchObject({ name: 'Summer sale', metadata: {} });
    expect((await stripeErr(() => stripe.coupons.update(id, { percent_off: 10 } as never))).code).toBe('parameter_unknown');
    expect((await stripe.coupons.retrieve(id)).name).toBe('Summer sale');
    const listed = await stripe.coupons.list({ limit: 2 });
    expect(listed.data.map((x) => x.id)).toEqual([off.id, id]);
    expect(await stripe.coupons.del(off.id)).toMatchObject({ id: off.id, object: 'coupon', deleted: true });
    expect((await stripeErr(() => stripe.coupons.retrieve(off.id))).code).toBe('resource_missing');
  });

  test("a customer's coupon discounts its invoices; deleting the discount stops it", async () => {
    const coupon = await stripe.coupons.create({ percent_off: 25, duration: 'forever' });
    const cus = await stripe.customers.create({ email: `${uniq('disc')}@example.com`, coupon: coupon.id } as Stripe.CustomerCreateParams);
    expect(cus.discount).toMatchObject({ object: 'discount', customer: cus.id, source: { coupon: coupon.id, type: 'coupon' }, end: null });
    expect((await stripe.coupons.retrieve(coupon.id)).times_redeemed).toBe(1);

    const inv = await draftWith(cus.id, [1000, 3000]);
    expect(inv.discounts).toEqual([cus.discount!.id]);
    expect(inv).toMatchObject({ subtotal: 4000, total: 3000, total_excluding_tax: 3000, amount_due: 3000 });
    expect(inv.total_discount_amounts).toEqual([{ amount: 1000, discount: cus.discount!.id }]);
    expect(inv.lines.data.map((l) => l.discount_amounts?.[0]?.amount).sort()).toEqual([250, 750]);
    expectShape('Invoice', (await raw(clone, 'GET', `/v1/invoices/${inv.id}`)).body);
    const fin = await stripe.invoices.finalizeInvoice(inv.id);
    expect(fin).toMatchObject({ status: 'open', total: 3000, amount_due: 3000 });
    const exp = await stripe.invoices.retrieve(inv.id, { expand: ['discounts', 'discounts.source.coupon'] });
    expect((exp.discounts[0] as Stripe.Discount).source.coupon).toMatchObject({ id: coupon.id, percent_off: 25 });

    const gone = await stripe.customers.deleteDiscount(cus.id);
    expect(gone).toMatchObject({ object: 'discount', deleted: true });
    expect(((await stripe.customers.retrieve(cus.id)) as Stripe.Customer).discount).toBeNull();
    expect((await stripeErr(() => stripe.customers.deleteDiscount(cus.id))).statusCode).toBe(404);
    const plain = await draftWith(cus.id, [1000]);
    expect(plain).toMatchObject({ discounts: [], total: 1000 });
  });

  test('an invoice coupon: amount_off spread over the lines, "" removes it, wrong currency and used-up coupons refused', async () => {
    const cus = await stripe.customers.create({ name: 'Inv coupon' });
    const coupon = await stripe.coupons.create({ amount_off: 500, currency: 'usd', max_redemptions: 1 });
    const inv = await stripe.invoices.create({ customer: cus.id, discounts: [{ coupon: coupon.id }] });
    await stripe.invoiceItems.create({ customer: cus.id, invoice: inv.id, amount: 1000, currency: 'usd' });
    await stripe.invoiceItems.create({ customer: cus.id, invoice: inv.id, amount: 3000, currency: 'usd' });
    const got = await stripe.invoices.retrieve(inv.id);
    expect(got).toMatchObject({ subtotal: 4000, total: 3500 });
    expect(got.lines.data.map((l) => l.discount_amounts?.[0]?.amount).sort((a, b) => a! - b!)).toEqual([125, 375]);
    expect((await stripe.coupons.retrieve(coupon.id))).toMatchObject({ times_redeemed: 1, valid: false });
    const used = await stripeErr(() => stripe.invoices.create({ customer: cus.id, discounts: [{ coupon: coupon.id }] }));
    expect(used).toMatchObject({ statusCode: 400, code: 'coupon_expired' });
    const eur = await stripe.coupons.create({ amount_off: 100, currency: 'eur' });
    expect((await stripeErr(() => stripe.invoices.update(inv.id, { discounts: [{ coupon: eur.id }] }))).statusCode).toBe(400);
    expect((await stripeErr(() => stripe.invoices.create({ customer: cus.id, discounts: [{ coupon: 'nope' }] }))).code).toBe('resource_missing');
    const cleared = await stripe.invoices.update(inv.id, { discounts: '' });
    expect(cleared).toMatchObject({ discounts: [], total: 4000, total_discount_amounts: [] });
  });

  test('tax rates: CRUD, exclusive and inclusive amounts in invoice totals', async () => {
    const st = await stripe.taxRates.create({ display_name: 'Sales tax', percentage: 8.25, inclusive: false, country: 'US', state: 'CA', jurisdiction: 'US - CA', tax_type: 'sales_tax' });
    expect(st).toMatchObject({ object: 'tax_rate', percentage: 8.25, effective_percentage: 8.25, inclusive: false, active: true, country: 'US', state: 'CA', rate_type: 'percentage' });
    expect(st.id).toMatch(/^txr_/);
    const vat = await stripe.taxRates.create({ display_name: 'VAT', percentage: 20, inclusive: true, country: 'DE' });
    expect((await stripeErr(() => stripe.taxRates.create({ display_name: 'x', percentage: 5 } as never))).param).toBe('inclusive');
    expect((await stripeErr(() => stripe.taxRates.create({ display_name: 'x', inclusive: false, percentage: 101 }))).param).toBe('percentage');
    // Every tax type of the API version: tourism_tax, luxury_tax … as well as the older ones; others refused.
    expect((await stripe.taxRates.create({ display_name: 'Tourism', percentage: 3, inclusive: false, tax_type: 'tourism_tax' })).tax_type).toBe('tourism_tax');
    expect((await stripe.taxRates.update(st.id, { tax_type: 'luxury_tax' })).tax_type).toBe('luxury_tax');
    await stripe.taxRates.update(st.id, { tax_type: 'sales_tax' });
    expect((await stripeErr(() => stripe.taxRates.create({ display_name: 'x', inclusive: false, percentage: 1, tax_type: 'bogus_tax' as never }))).param).toBe('tax_type');
    expect((await stripeErr(() => stripe.taxRates.update(st.id, { percentage: 9 } as never))).code).toBe('parameter_unknown');
    expect((await stripe.taxRates.update(st.id, { description: 'California' })).description).toBe('California');
    expect((await stripe.taxRates.retrieve(vat.id)).inclusive).toBe(true);
    expect((await stripe.taxRates.list({ inclusive: true, limit: 100 })).data.map((x) => x.id)).toContain(vat.id);
    expect((await stripe.taxRates.list({ inclusive: true, limit: 100 })).data.map((x) => x.id)).not.toContain(st.id);

    const cus = await stripe.customers.create({ name: 'Taxed' });
    const ex = await draftWith(cus.id, [10000], {}, { tax_rates: [st.id] });
    expect(ex).toMatchObject({ subtotal: 10000, subtotal_excluding_tax: 10000, total_excluding_tax: 10000, total: 10825, amount_due: 10825 });
    expect(ex.total_taxes).toEqual([{ amount: 825, tax_behavior: 'exclusive', tax_rate_details: { tax_rate: st.id }, taxability_reason: 'standard_rated', taxable_amount: 10000, type: 'tax_rate_details' }]);
    expect(ex.lines.data[0]!.taxes?.[0]).toMatchObject({ amount: 825, tax_behavior: 'exclusive' });
    expectShape('Invoice', (await raw(clone, 'GET', `/v1/invoices/${ex.id}`)).body);
    const item = await stripe.invoiceItems.retrieve((ex.lines.data[0]!.parent!.invoice_item_details!.invoice_item) as string);
    expect(item.tax_rates?.[0]).toMatchObject({ id: st.id, percentage: 8.25 });

    const inc = await draftWith(cus.id, [12000], { default_tax_rates: [vat.id] });
    expect(inc.default_tax_rates.map((t) => t.id)).toEqual([vat.id]);
    expect(inc).toMatchObject({ subtotal: 12000, subtotal_excluding_tax: 10000, total_excluding_tax: 10000, total: 12000 });
    expect(inc.total_taxes).toEqual([{ amount: 2000, tax_behavior: 'inclusive', tax_rate_details: { tax_rate: vat.id }, taxability_reason: 'standard_rated', taxable_amount: 10000, type: 'tax_rate_details' }]);
    const finalized = await stripe.invoices.finalizeInvoice(inc.id);
    expect(finalized).toMatchObject({ total: 12000, amount_due: 12000 });

    // A discount comes off before tax.
    const ten = await stripe.coupons.create({ percent_off: 10 });
    const both = await draftWith(cus.id, [1000], { discounts: [{ coupon: ten.id }] }, { tax_rates: [st.id] });
    expect(both).toMatchObject({ subtotal: 1000, total_excluding_tax: 900, total: 974 });

    await stripe.taxRates.update(st.id, { active: false });
    expect((await stripeErr(() => stripe.invoiceItems.create({ customer: cus.id, amount: 1, currency: 'usd', tax_rates: [st.id] }))).param).toBe('tax_rates[0]');
    expect((await stripeErr(() => stripe.invoiceItems.create({ customer: cus.id, amount: 1, currency: 'usd', tax_rates: ['txr_missing'] }))).code).toBe('resource_missing');
  });

  test("search: the documented grammar and its errors", async () => {
    const tag = uniq('q').replace(/-/g, '');
    const a = await stripe.customers.create({ name: `Ada ${tag}`, email: `ada-${tag}@example.com`, metadata: { tag } });
    const b = await stripe.customers.create({ name: `Bob ${tag}`, email: `bob-${tag}@example.com`, metadata: { tag } });
    expect((await stripe.customers.search({ query: `metadata["tag"]:"${tag}" AND name~"Ada"` })).data.map((x) => x.id)).toEqual([a.id]);
    expect((await stripe.customers.search({ query: `metadata['tag']:'${tag}' AND -name:'Ada ${tag}'` })).data.map((x) => x.id)).toEqual([b.id]);
    expect((await stripe.customers.search({ query: `email:"ada-${tag}@example.com" OR email:"bob-${tag}@example.com"` })).data.length).toBe(2);
    expect((await stripe.customers.search({ query: `metadata['tag']:'${tag}' AND phone:null` })).data.length).toBe(2);
    const bad = async (query: string) => stripeErr(() => stripe.customers.search({ query }));
    const unknown = await bad('color:"red"');
    expect(unknown).toMatchObject({ statusCode: 400, param: 'query' });
    expect(unknown.message).toContain("'color'");
    expect((await bad(`name:'a' AND email:'b' OR phone:'c'`)).message).toContain('AND and OR');
    expect((await bad('name~"ab"')).message).toContain('3 characters');
    expect((await bad('name:Ada')).message).toContain('quoted');
    expect((await bad('name:"unterminated')).message).toContain('unterminated');
    expect((await stripeErr(() => stripe.customers.search({} as never))).code).toBe('parameter_missing');
    // The docs' anchors are hyphenated: #query-fields-for-payment-intents.
    const piField = await stripeErr(() => stripe.paymentIntents.search({ query: 'email:"x"' }));
    expect(piField.message).toContain('payment_intents');
    expect(piField.message).toContain('https://stripe.com/docs/search#query-fields-for-payment-intents ');
    // Invoices' documented query fields include last_finalization_error_type.
    expect((await stripe.invoices.search({ query: 'last_finalization_error_type:"card_error"' })).data).toEqual([]);
  });

  test('Stripe-Version: echoed, checked, pinned per request', async () => {
    const plain = await raw(clone, 'GET', '/v1/customers?limit=1');
    expect(plain.headers.get('stripe-version')).toBe('2026-10-28.endive');
    const basil = await raw(clone, 'GET', '/v1/customers?limit=1', undefined, { 'stripe-version': '2025-03-31.basil' });
    expect(basil.status).toBe(200);
    expect(basil.headers.get('stripe-version')).toBe('2025-03-31.basil');
    const old = await raw(clone, 'GET', '/v1/customers?limit=1', undefined, { 'stripe-version': '2019-12-03' });
    expect(old.headers.get('stripe-version')).toBe('2019-12-03');
    // Each release's name holds from its first version to the next release's (dahlia 2026-03-25, endive 2026-09-30).
    for (const v of ['2026-01-28.clover', '2026-05-27.dahlia', '2026-09-30.endive']) {
      const r = await raw(clone, 'GET', '/v1/customers?limit=1', undefined, { 'stripe-version': v });
      expect([r.status, r.headers.get('stripe-version')]).toEqual([200, v]);
    }
    for (const v of ['banana', '2025-02-30', '2099-01-01', '2025-03-31.clover', '2025-06-30', '2026-02-25.dahlia', '2026-05-27.endive', '2026-10-28.dahlia', '2026-04-22.clover']) {
      const r = await raw(clone, 'GET', '/v1/customers?limit=1', undefined, { 'stripe-version': v });
      expect(r.status).toBe(400);
      expect(r.body.error).toMatchObject({ type: 'invalid_request_error' });
      expect(r.body.error.message).toContain(`Invalid Stripe API version: ${v}`);
    }
    const pinned = new Stripe(clone.tokens.botToken, { host: new URL(clone.endpoints.api).hostname, port: Number(new URL(clone.endpoints.api).port), protocol: 'http', apiVersion: '2025-03-31.basil' as never, maxNetworkRetries: 0 });
    const res = await pinned.customers.list({ limit: 1 });
    expect(res.lastResponse.apiVersion).toBe('2025-03-31.basil');
    const search = await raw(clone, 'GET', `/v1/customers/search?query=${encodeURIComponent('name:"x"')}`, undefined, { 'stripe-version': '2019-12-03' });
    expect(search.status).toBe(400);
    expect(search.body.error.message).toContain('2020-08-27');
    // Integrations on older versions send payment_method_types (2026-10-28 names it allowed_payment_method_types).
    const pi = await raw(clone, 'POST', '/v1/payment_intents', 'amount=1000&currency=usd&payment_method_types[]=card', { 'stripe-version': '2024-06-20' });
    expect(pi.status).toBe(200);
    expect(pi.body).toMatchObject({ payment_method_types: ['card'], automatic_payment_methods: null });
  });
});
