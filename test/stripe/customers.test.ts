import { afterAll, beforeAll, expect, test } from 'bun:test';
import type Stripe from 'stripe';
import { RedisClient } from 'bun';
import { describeDocker } from '../support/docker.ts';
import { startTemplateOnHost, type HostClone } from '../support/template-host.ts';
import { expectShape, raw, stripeErr, stripeFor, uniq, type StripeClone } from './helpers.ts';

/** Customers and their satellites, errors, idempotency, pagination and search, through the SDK. */

// The HTTP API only: the server on the host (test/support/template-host.ts), no CLI spin.
let clone: HostClone<StripeClone['tokens']>;
let stripe: Stripe;

beforeAll(async () => {
  clone = await startTemplateOnHost<StripeClone['tokens']>('stripe');
  stripe = stripeFor(clone);
}, 180_000);
afterAll(() => clone?.stop(), 60_000);

describeDocker('stripe customers', () => {
  test('provision minted two sk_test_ keys on one account', () => {
    expect(clone.tokens.botToken).toMatch(/^sk_test_/);
    expect(clone.tokens.userToken).toMatch(/^sk_test_/);
    expect(clone.tokens.botToken).not.toBe(clone.tokens.userToken);
    expect(clone.tokens.appId).toMatch(/^acct_/);
  });

  test('create, retrieve, update (metadata unset with ""), delete', async () => {
    const email = `${uniq('c')}@example.com`;
    const c = await stripe.customers.create({
      email,
      name: 'Acme Corp',
      phone: '+14155550000',
      description: 'first',
      metadata: { plan: 'pro', region: 'eu' },
      address: { line1: '1 Main St', city: 'Paris', country: 'FR' },
      preferred_locales: ['fr', 'en'],
      invoice_settings: { footer: 'Thanks' },
    });
    expect(c.id).toMatch(/^cus_[A-Za-z0-9]{14}$/);
    expect(c.object).toBe('customer');
    expect(c.livemode).toBe(false);
    expect(typeof c.created).toBe('number');
    expect(c.address?.city).toBe('Paris');
    expect(c.address?.postal_code).toBeNull();
    expect(c.preferred_locales).toEqual(['fr', 'en']);
    expect(c.invoice_settings.footer).toBe('Thanks');
    expect(c.invoice_prefix).toMatch(/^[A-F0-9]{8}$/);
    expect(c.next_invoice_sequence).toBe(1);

    const got = await stripe.customers.retrieve(c.id);
    expect(got).toMatchObject({ id: c.id, email, name: 'Acme Corp', metadata: { plan: 'pro', region: 'eu' } });
    const shape = await raw(clone, 'GET', `/v1/customers/${c.id}`);
    expectShape('Customer', shape.body);
    expect(Object.keys(shape.body).slice(0, 2)).toEqual(['id', 'object']);

    const up = await stripe.customers.update(c.id, { name: 'Acme Inc', metadata: { plan: '', tier: 'gold' }, description: '' });
    expect(up.name).toBe('Acme Inc');
    expect(up.metadata).toEqual({ region: 'eu', tier: 'gold' });
    expect(up.description).toBeNull();
    const numeric = await stripe.customers.update(c.id, { metadata: { '2024': 'fy', '7': 'seven' } });
    expect(numeric.metadata).toEqual({ '2024': 'fy', '7': 'seven', region: 'eu', tier: 'gold' });
    const cleared = await stripe.customers.update(c.id, { metadata: '' as unknown as Stripe.MetadataParam });
    expect(cleared.metadata).toEqual({});

    const del = await stripe.customers.del(c.id);
    expect(del).toMatchObject({ id: c.id, object: 'customer', deleted: true });
    expectShape('DeletedCustomer', (await raw(clone, 'GET', `/v1/customers/${c.id}`)).body);
    const gone = (await stripe.customers.retrieve(c.id)) as Stripe.DeletedCustomer;
    expect(gone.deleted).toBe(true);
    const err = await stripeErr(() => stripe.customers.update(c.id, { name: 'x' }));
    expect(err.statusCode).toBe(404);
    expect(err.code).toBe('resource_missing');
    const list = await stripe.customers.list({ email });
    expect(list.data).toEqual([]);
  });

  test('payment_method on create and invoice_settings[default_payment_method], as Stripe documents them', async () => {
    // The documented pattern: attach pm_card_visa at creation and make it the default by the same id.
    const c = await stripe.customers.create({ name: 'PM', payment_method: 'pm_card_visa', invoice_settings: { default_payment_method: 'pm_card_visa' } });
    const pms = await stripe.customers.listPaymentMethods(c.id);
    expect(pms.data.length).toBe(1);
    expect(c.invoice_settings.default_payment_method).toBe(pms.data[0]!.id);
    expect(pms.data[0]!.id).toMatch(/^pm_/);
    const loose = await stripe.paymentMethods.create({ type: 'card', card: { token: 'tok_visa' } });
    const notAttached = await stripeErr(() => stripe.customers.update(c.id, { invoice_settings: { default_payment_method: loose.id } }));
    expect(notAttached).toMatchObject({ statusCode: 400, param: 'invoice_settings[default_payment_method]' });
    expect(notAttached.message).toContain('must be attached to the customer');
    const unknown = await stripeErr(() => stripe.customers.update(c.id, { invoice_settings: { default_payment_method: 'pm_nothere' } }));
    expect([unknown.statusCode, unknown.code, unknown.param]).toEqual([404, 'resource_missing', 'invoice_settings[default_payment_method]']);
    await stripe.paymentMethods.attach(loose.id, { customer: c.id });
    expect((await stripe.customers.update(c.id, { invoice_settings: { default_payment_method: loose.id } })).invoice_settings.default_payment_method).toBe(loose.id);
    expect((await stripe.customers.update(c.id, { invoice_settings: { default_payment_method: '' } })).invoice_settings.default_payment_method).toBeNull();
  });

  test('list: newest first, limit, cursors, email filter, autoPaging to the end', async () => {
    const tag = uniq('page');
    const made: string[] = [];
    for (let i = 0; i < 13; i++) made.push((await stripe.customers.create({ email: `${tag}-${i}@example.com`, metadata: { tag } })).id);
    const page1 = await stripe.customers.list({ limit: 5 });
    expect(page1.object).toBe('list');
    expect(page1.url).toBe('/v1/customers');
    expect(page1.data.map((c) => c.id)).toEqual(made.slice(-5).reverse());
    expect(page1.has_more).toBe(true);
    const page2 = await stripe.customers.list({ limit: 5, starting_after: page1.data[4]!.id });
    expect(page2.data.map((c) => c.id)).toEqual(made.slice(3, 8).reverse());
    const back = await stripe.customers.list({ limit: 5, ending_before: page2.data[0]!.id });
    expect(back.data.map((c) => c.id)).toEqual(page1.data.map((c) => c.id));
    expect(back.has_more).toBe(false);

    const byEmail = await stripe.customers.list({ email: `${tag}-3@example.com` });
    expect(byEmail.data.map((c) => c.id)).toEqual([made[3] as string]);

    const all: string[] = [];
    for await (const c of stripe.customers.list({ limit: 3 })) all.push(c.id);
    for (const id of made) expect(all).toContain(id);
    expect(new Set(all).size).toBe(all.length);
    const arr = await stripe.customers.list({ limit: 4 }).autoPagingToArray({ limit: 1000 });
    expect(arr.map((c) => c.id)).toEqual(all);

    const created = await stripe.customers.list({ created: { gte: page1.data[0]!.created }, limit: 100 });
    expect(created.data.map((c) => c.id)).toContain(made[12] as string);
  });

  test('search: exact, substring, metadata, created, OR, negation, next_page', async () => {
    const tag = uniq('srch').replace(/-/g, '');
    const a = await stripe.customers.create({ email: `alpha.${tag}@example.com`, name: `Alpha ${tag}`, metadata: { tag, kind: 'gold' } });
    const b = await stripe.customers.create({ email: `beta.${tag}@example.com`, name: `Beta ${tag}`, metadata: { tag, kind: 'silver' } });
    const c = await stripe.customers.create({ email: `gamma.${tag}@example.com`, name: `Gamma ${tag}`, metadata: { tag, kind: 'gold' } });
    const exact = await stripe.customers.search({ query: `email:'alpha.${tag}@example.com'` });
    expect(exact.object).toBe('search_result');
    expect(exact.url).toBe('/v1/customers/search');
    expect(exact.data.map((x) => x.id)).toEqual([a.id]);
    const sub = await stripe.customers.search({ query: `name~'${tag}'` });
    expect(sub.data.map((x) => x.id)).toEqual([c.id, b.id, a.id]);
    const meta = await stripe.customers.search({ query: `metadata['tag']:'${tag}' AND metadata['kind']:'gold'` });
    expect(meta.data.map((x) => x.id).sort()).toEqual([a.id, c.id].sort());
    const neg = await stripe.customers.search({ query: `metadata['tag']:'${tag}' AND -metadata['kind']:'gold'` });
    expect(neg.data.map((x) => x.id)).toEqual([b.id]);
    const or = await stripe.customers.search({ query: `email:'alpha.${tag}@example.com' OR email:'beta.${tag}@example.com'` });
    expect(or.data.map((x) => x.id).sort()).toEqual([a.id, b.id].sort());
    const created = await stripe.customers.search({ query: `created>=${a.created} AND name~'${tag}'` });
    expect(created.data).toHaveLength(3);

    const p1 = await stripe.customers.search({ query: `name~'${tag}'`, limit: 2 });
    expect(p1.has_more).toBe(true);
    expect(p1.next_page).toBeString();
    const p2 = await stripe.customers.search({ query: `name~'${tag}'`, limit: 2, page: p1.next_page! });
    expect(p2.has_more).toBe(false);
    expect(p2.next_page).toBeNull();
    expect([...p1.data, ...p2.data].map((x) => x.id)).toEqual([c.id, b.id, a.id]);
    const auto = await stripe.customers.search({ query: `name~'${tag}'`, limit: 1 }).autoPagingToArray({ limit: 10 });
    expect(auto.map((x) => x.id)).toEqual([c.id, b.id, a.id]);

    const bad = await stripe.customers.search({ query: `colour:'red'` }).catch((e) => e);
    expect(bad.statusCode).toBe(400);
    expect(bad.message).toContain('unsupported search field');
    const mixed = await stripe.customers.search({ query: `name:'a' AND email:'b' OR phone:'c'` }).catch((e) => e);
    expect(mixed.statusCode).toBe(400);
  });

  test('errors: 401 invalid key, 404, parameter_missing/unknown/invalid_integer, not emulated, Request-Id', async () => {
    const bad = stripeFor(clone, 'sk_test_thisisnotarealkey9999');
    const e401 = await stripeErr(() => bad.customers.list());
    expect(e401.statusCode).toBe(401);
    expect(e401.type).toBe('StripeAuthenticationError');
    expect(e401.message).toMatch(/^Invalid API Key provided: sk_test_\*+9999$/);
    const none = await fetch(`${clone.endpoints.api}/v1/customers`);
    expect(none.status).toBe(401);
    expect(((await none.json()) as any).error.type).toBe('invalid_request_error');
    expect(none.headers.get('request-id')).toMatch(/^req_/);

    const e404 = await stripeErr(() => stripe.customers.retrieve('cus_doesnotexist'));
    expect(e404.statusCode).toBe(404);
    expect(e404.code).toBe('resource_missing');
    expect(e404.param).toBe('id');
    expect(e404.message).toBe("No such customer: 'cus_doesnotexist'");
    expect(e404.requestId).toMatch(/^req_/);

    const unknown = await stripeErr(() => stripe.customers.create({ colour: 'red' } as never));
    expect(unknown.statusCode).toBe(400);
    expect(unknown.code).toBe('parameter_unknown');
    expect(unknown.param).toBe('colour');

    const badEmail = await stripeErr(() => stripe.customers.create({ email: 'not-an-email' }));
    expect(badEmail).toMatchObject({ statusCode: 400, code: 'email_invalid', param: 'email' });
    const notInt = await raw(clone, 'POST', '/v1/customers', 'balance=abc');
    expect(notInt.status).toBe(400);
    expect(notInt.body.error).toMatchObject({ type: 'invalid_request_error', code: 'parameter_invalid_integer', param: 'balance' });
    const badLimit = await stripeErr(() => stripe.customers.list({ limit: 'ten' as unknown as number }));
    expect(badLimit.code).toBe('parameter_invalid_integer');
    expect((await stripeErr(() => stripe.customers.list({ limit: 101 }))).param).toBe('limit');

    const missing = await stripeErr(() => stripe.customers.createBalanceTransaction('cus_x', { currency: 'usd' } as never));
    expect(missing.statusCode).toBe(404);
    const cus = await stripe.customers.create({});
    const pm = await stripeErr(() => stripe.customers.createBalanceTransaction(cus.id, { currency: 'usd' } as never));
    expect(pm.statusCode).toBe(400);
    expect(pm.code).toBe('parameter_missing');
    expect(pm.param).toBe('amount');

    const ne = await stripeErr(() => stripe.charges.list());
    expect(ne.statusCode).toBe(404);
    expect(ne.type).toBe('StripeInvalidRequestError');
    expect(ne.message).toContain('not emulated');
    const attach = await stripeErr(() => stripe.invoices.attachPayment('in_x', { payment_intent: 'pi_x123' }));
    expect([attach.statusCode, attach.code]).toEqual([404, 'resource_missing']);
    const ok = await raw(clone, 'GET', '/v1/customers?limit=1');
    expect(ok.headers.get('request-id')).toMatch(/^req_[A-Za-z0-9]+$/);
  });

  test('idempotency: replay returns the first response; other params are an idempotency_error', async () => {
    const key = uniq('idem');
    const email = `${key}@example.com`;
    const first = await stripe.customers.create({ email }, { idempotencyKey: key });
    const again = await stripe.customers.create({ email }, { idempotencyKey: key });
    expect(again.id).toBe(first.id);
    expect(again.lastResponse.headers instanceof Headers ? (again.lastResponse.headers as unknown as Headers).get('idempotent-replayed') : again.lastResponse.headers['idempotent-replayed']).toBe('true');
    expect((await stripe.customers.list({ email })).data).toHaveLength(1);
    const conflict = await stripeErr(() => stripe.customers.create({ email: `other-${email}` }, { idempotencyKey: key }));
    expect(conflict.statusCode).toBe(400);
    expect(conflict.type).toBe('StripeIdempotencyError');
    expect(conflict.rawType).toBe('idempotency_error');

    // Kept in the clone's own Redis prefix with Stripe's 24-hour window.
    const redis = new RedisClient(clone.redisUrl);
    const keys = (await redis.send('KEYS', [`${clone.redisPrefix}*idem:*`])) as string[];
    expect(keys.length).toBeGreaterThan(0);
    const ttl = await redis.ttl(keys[0]!);
    redis.close();
    expect(ttl).toBeGreaterThan(86_000);
    expect(ttl).toBeLessThanOrEqual(86_400);

    // An error outcome is replayed too (not a validation error).
    const k2 = uniq('idem404');
    const r1 = await raw(clone, 'POST', '/v1/customers/cus_nope', 'name=x', { 'idempotency-key': k2 });
    const r2 = await raw(clone, 'POST', '/v1/customers/cus_nope', 'name=x', { 'idempotency-key': k2 });
    expect(r1.status).toBe(404);
    expect(r2.status).toBe(404);
    expect(r2.body).toEqual(r1.body);
    expect(r2.headers.get('idempotent-replayed')).toBe('true');
    // Keys are per account and never replay across different keys.
    const k3 = uniq('idem3');
    const x = await raw(clone, 'POST', '/v1/customers', 'name=one', { 'idempotency-key': k3 });
    const y = await raw(clone, 'POST', '/v1/customers', 'name=one', { 'idempotency-key': `${k3}b` });
    expect(x.body.id).not.toBe(y.body.id);
  });

  test('idempotency under concurrency: one request runs, the rest replay it or are idempotency_key_in_use (409); the lock is released', async () => {
    const key = uniq('idemc');
    const body = `email=${key}%40example.com`;
    const answers = await Promise.all(Array.from({ length: 12 }, () => raw(clone, 'POST', '/v1/customers', body, { 'idempotency-key': key })));
    const created = answers.filter((a) => a.status === 200);
    expect(created.length).toBeGreaterThan(0);
    expect(new Set(created.map((a) => a.body.id)).size).toBe(1);
    for (const a of answers.filter((a) => a.status !== 200)) {
      expect(a.status).toBe(409);
      expect(a.body.error.code).toBe('idempotency_key_in_use');
    }
    expect((await stripe.customers.list({ email: `${key}@example.com` })).data).toHaveLength(1);
    // Finished: the lock is gone, so the same key replays rather than answering 409.
    const after = await raw(clone, 'POST', '/v1/customers', body, { 'idempotency-key': key });
    expect(after.status).toBe(200);
    expect(after.headers.get('idempotent-replayed')).toBe('true');
    const redis = new RedisClient(clone.redisUrl);
    try {
      expect((await redis.send('KEYS', [`${clone.redisPrefix}*idem-lock:*`])) as string[]).toEqual([]);
    } finally {
      redis.close();
    }
  });

  test('balance transactions move the balance; tax ids; cash balance; empty payment lists; no discount to delete', async () => {
    const c = await stripe.customers.create({ email: `${uniq('bal')}@example.com` });
    const t1 = await stripe.customers.createBalanceTransaction(c.id, { amount: -1500, currency: 'usd', description: 'goodwill', metadata: { r: '1' } });
    expect(t1).toMatchObject({ object: 'customer_balance_transaction', amount: -1500, ending_balance: -1500, type: 'adjustment', customer: c.id });
    expect(t1.id).toMatch(/^cbtxn_/);
    expectShape('CustomerBalanceTransaction', (await raw(clone, 'GET', `/v1/customers/${c.id}/balance_transactions/${t1.id}`)).body);
    const t2 = await stripe.customers.createBalanceTransaction(c.id, { amount: 500, currency: 'usd' });
    expect(t2.ending_balance).toBe(-1000);
    expect((await stripe.customers.retrieve(c.id)) as Stripe.Customer).toMatchObject({ balance: -1000, currency: 'usd' });
    const eur = await stripeErr(() => stripe.customers.createBalanceTransaction(c.id, { amount: 1, currency: 'eur' }));
    expect(eur.statusCode).toBe(400);
    const listed = await stripe.customers.listBalanceTransactions(c.id);
    expect(listed.data.map((t) => t.id)).toEqual([t2.id, t1.id]);
    expect(listed.url).toBe(`/v1/customers/${c.id}/balance_transactions`);
    expect((await stripe.customers.retrieveBalanceTransaction(c.id, t1.id)).description).toBe('goodwill');
    const upd = await stripe.customers.updateBalanceTransaction(c.id, t1.id, { description: 'credit', metadata: { r: '' } });
    expect(upd).toMatchObject({ description: 'credit', metadata: {} });

    const tx = await stripe.customers.createTaxId(c.id, { type: 'eu_vat', value: 'DE123456789' });
    expect(tx).toMatchObject({ object: 'tax_id', type: 'eu_vat', value: 'DE123456789', country: 'DE', customer: c.id });
    expectShape('TaxId', (await raw(clone, 'GET', `/v1/customers/${c.id}/tax_ids/${tx.id}`)).body);
    expect((await stripe.customers.listTaxIds(c.id)).data.map((t) => t.id)).toEqual([tx.id]);
    expect((await stripe.customers.retrieveTaxId(c.id, tx.id)).value).toBe('DE123456789');
    expect(await stripe.customers.deleteTaxId(c.id, tx.id)).toMatchObject({ id: tx.id, object: 'tax_id', deleted: true });
    expect((await stripeErr(() => stripe.customers.retrieveTaxId(c.id, tx.id))).statusCode).toBe(404);
    expect((await stripeErr(() => stripe.customers.createTaxId(c.id, { type: 'eu_vat' } as never))).code).toBe('parameter_missing');

    const cash = await stripe.customers.retrieveCashBalance(c.id);
    expect(cash).toMatchObject({ object: 'cash_balance', customer: c.id, available: null, settings: { reconciliation_mode: 'automatic', using_merchant_default: true } });
    expectShape('CashBalance', (await raw(clone, 'GET', `/v1/customers/${c.id}/cash_balance`)).body);
    const cash2 = await stripe.customers.updateCashBalance(c.id, { settings: { reconciliation_mode: 'manual' } });
    expect(cash2.settings).toEqual({ reconciliation_mode: 'manual', using_merchant_default: false });
    expect((await stripe.customers.listCashBalanceTransactions(c.id)).data).toEqual([]);
    expect((await stripeErr(() => stripe.customers.retrieveCashBalanceTransaction(c.id, 'ccsbtxn_x'))).statusCode).toBe(404);
    expect((await stripe.customers.listPaymentMethods(c.id)).data).toEqual([]);
    expect((await stripeErr(() => stripe.customers.retrievePaymentMethod(c.id, 'pm_x'))).code).toBe('resource_missing');
    expect((await stripe.customers.listSources(c.id)).data).toEqual([]);
    expect((await stripeErr(() => stripe.customers.retrieveSource(c.id, 'card_x'))).statusCode).toBe(404);
    const discount = await stripeErr(() => stripe.customers.deleteDiscount(c.id));
    expect([discount.statusCode, discount.code]).toEqual([404, 'resource_missing']);
    expect(discount.message).toContain('No active discount');
  });

  test('cash balance: the fund_cash_balance test helper, then list, page and retrieve its transactions', async () => {
    const c = await stripe.customers.create({ name: uniq('cash') });
    const t1 = await stripe.testHelpers.customers.fundCashBalance(c.id, { amount: 5000, currency: 'eur', reference: 'Payment for Invoice 7FE1103-155' });
    expect(t1.id).toMatch(/^ccsbtxn_[A-Za-z0-9]{24}$/);
    expect(typeof t1.created).toBe('number');
    const rawT1 = (await raw(clone, 'GET', `/v1/customers/${c.id}/cash_balance_transactions/${t1.id}`)).body;
    // Stripe's shape (fixtures3's customer_cash_balance_transaction): these keys, in this order, nothing else.
    expect(rawT1).toEqual({
      id: t1.id,
      object: 'customer_cash_balance_transaction',
      created: t1.created,
      currency: 'eur',
      customer: c.id,
      customer_account: null,
      ending_balance: 5000,
      funded: { bank_transfer: { eu_bank_transfer: { bic: null, iban_last4: null, sender_name: null }, reference: 'Payment for Invoice 7FE1103-155', type: 'eu_bank_transfer' } },
      livemode: false,
      net_amount: 5000,
      type: 'funded',
    });
    expect(Object.keys(rawT1)).toEqual(['id', 'object', 'created', 'currency', 'customer', 'customer_account', 'ending_balance', 'funded', 'livemode', 'net_amount', 'type']);
    expect(t1).toMatchObject(rawT1);

    // A second funding in the same currency adds up; other currencies keep their own balance.
    const t2 = await stripe.testHelpers.customers.fundCashBalance(c.id, { amount: 2500, currency: 'EUR' });
    expect(t2).toMatchObject({ currency: 'eur', net_amount: 2500, ending_balance: 7500, funded: { bank_transfer: { reference: null, type: 'eu_bank_transfer' } } });
    const types: Array<[string, string, string | null]> = [['usd', 'us_bank_transfer', 'us_bank_transfer'], ['gbp', 'gb_bank_transfer', 'gb_bank_transfer'], ['jpy', 'jp_bank_transfer', 'jp_bank_transfer'], ['mxn', 'mx_bank_transfer', null]];
    const others: Stripe.CustomerCashBalanceTransaction[] = [];
    for (const [currency, type, detail] of types) {
      const t = await stripe.testHelpers.customers.fundCashBalance(c.id, { amount: 100, currency, reference: `REF-${currency}` });
      expect(t).toMatchObject({ currency, net_amount: 100, ending_balance: 100, type: 'funded', funded: { bank_transfer: { type, reference: `REF-${currency}` } } });
      expect(Object.keys(t.funded!.bank_transfer).filter((k) => k.endsWith('_bank_transfer'))).toEqual(detail ? [detail] : []);
      others.push(t);
    }
    const expanded = await stripe.testHelpers.customers.fundCashBalance(c.id, { amount: 1, currency: 'usd', expand: ['customer'] });
    expect((expanded.customer as Stripe.Customer).id).toBe(c.id);
    expect(expanded.ending_balance).toBe(101);

    const cash = await stripe.customers.retrieveCashBalance(c.id);
    expect(cash.available).toEqual({ eur: 7500, gbp: 100, jpy: 100, mxn: 100, usd: 101 });
    expectShape('CashBalance', (await raw(clone, 'GET', `/v1/customers/${c.id}/cash_balance`)).body);
    expect((await stripe.customers.updateCashBalance(c.id, { settings: { reconciliation_mode: 'manual' } })).available).toEqual(cash.available);

    // Lists page newest first with Stripe's cursors; retrieve finds each one.
    const order = [expanded.id, ...others.map((t) => t.id).reverse(), t2.id, t1.id];
    const page1 = await stripe.customers.listCashBalanceTransactions(c.id, { limit: 3 });
    expect(page1).toMatchObject({ object: 'list', has_more: true, url: `/v1/customers/${c.id}/cash_balance_transactions` });
    expect(page1.data.map((t) => t.id)).toEqual(order.slice(0, 3));
    const page2 = await stripe.customers.listCashBalanceTransactions(c.id, { limit: 3, starting_after: page1.data[2]!.id });
    expect(page2.data.map((t) => t.id)).toEqual(order.slice(3, 6));
    const back = await stripe.customers.listCashBalanceTransactions(c.id, { limit: 3, ending_before: page2.data[0]!.id });
    expect(back.data.map((t) => t.id)).toEqual(order.slice(0, 3));
    expect(back.has_more).toBe(false);
    const every = await stripe.customers.listCashBalanceTransactions(c.id, { limit: 2 }).autoPagingToArray({ limit: 100 });
    expect(every.map((t) => t.id)).toEqual(order);
    expect(await stripe.customers.retrieveCashBalanceTransaction(c.id, t2.id)).toMatchObject({ id: t2.id, net_amount: 2500, ending_balance: 7500 });

    // 404s: an unknown id, another customer's transaction, an unknown customer.
    const unknown = await stripeErr(() => stripe.customers.retrieveCashBalanceTransaction(c.id, 'ccsbtxn_nope'));
    expect([unknown.statusCode, unknown.code, unknown.message]).toEqual([404, 'resource_missing', "No such cash balance transaction: 'ccsbtxn_nope'"]);
    const other = await stripe.customers.create({ name: uniq('cash2') });
    expect((await stripeErr(() => stripe.customers.retrieveCashBalanceTransaction(other.id, t1.id))).code).toBe('resource_missing');
    expect((await stripe.customers.listCashBalanceTransactions(other.id)).data).toEqual([]);
    expect((await stripe.customers.retrieveCashBalance(other.id)).available).toBeNull();
    const noCus = await stripeErr(() => stripe.testHelpers.customers.fundCashBalance('cus_nope', { amount: 100, currency: 'usd' }));
    expect([noCus.statusCode, noCus.code, noCus.message]).toEqual([404, 'resource_missing', "No such customer: 'cus_nope'"]);

    // Bad params are Stripe's 400s and move nothing.
    const noAmount = await stripeErr(() => stripe.testHelpers.customers.fundCashBalance(c.id, { currency: 'usd' } as never));
    expect([noAmount.statusCode, noAmount.code, noAmount.param]).toEqual([400, 'parameter_missing', 'amount']);
    const noCurrency = await stripeErr(() => stripe.testHelpers.customers.fundCashBalance(c.id, { amount: 100 } as never));
    expect([noCurrency.code, noCurrency.param]).toEqual(['parameter_missing', 'currency']);
    const notInt = await raw(clone, 'POST', `/v1/test_helpers/customers/${c.id}/fund_cash_balance`, 'amount=abc&currency=usd');
    expect([notInt.status, notInt.body.error.code, notInt.body.error.param]).toEqual([400, 'parameter_invalid_integer', 'amount']);
    const zero = await stripeErr(() => stripe.testHelpers.customers.fundCashBalance(c.id, { amount: 0, currency: 'usd' }));
    expect([zero.statusCode, zero.code, zero.param]).toEqual([400, 'parameter_invalid_integer', 'amount']);
    expect((await stripeErr(() => stripe.testHelpers.customers.fundCashBalance(c.id, { amount: -5, currency: 'usd' }))).param).toBe('amount');
    const cad = await stripeErr(() => stripe.testHelpers.customers.fundCashBalance(c.id, { amount: 100, currency: 'cad' }));
    expect([cad.statusCode, cad.code, cad.param]).toEqual([400, 'parameter_invalid', 'currency']);
    const extra = await stripeErr(() => stripe.testHelpers.customers.fundCashBalance(c.id, { amount: 100, currency: 'usd', colour: 'red' } as never));
    expect([extra.code, extra.param]).toEqual(['parameter_unknown', 'colour']);
    expect((await stripe.customers.retrieveCashBalance(c.id)).available).toEqual(cash.available);
    expect((await stripe.customers.listCashBalanceTransactions(c.id, { limit: 100 })).data).toHaveLength(order.length);

    // Concurrent fundings all count (the balance moves in SQL).
    await Promise.all(Array.from({ length: 8 }, () => stripe.testHelpers.customers.fundCashBalance(other.id, { amount: 10, currency: 'usd' })));
    expect((await stripe.customers.retrieveCashBalance(other.id)).available).toEqual({ usd: 80 });
  });

  test('the admin key works too and sees the same account', async () => {
    const admin = stripeFor(clone, clone.tokens.userToken);
    const c = await stripe.customers.create({ name: uniq('shared') });
    expect((await admin.customers.retrieve(c.id)).id).toBe(c.id);
  });

  test('sources: create from test tokens and card hashes, default_source, list, update, delete', async () => {
    const c = await stripe.customers.create({ name: uniq('src') });
    const visa = (await stripe.customers.createSource(c.id, { source: 'tok_visa', metadata: { k: 'v' } })) as Stripe.Card;
    expect(visa.id).toMatch(/^card_[A-Za-z0-9]{24}$/);
    expect(visa).toMatchObject({ object: 'card', brand: 'Visa', last4: '4242', funding: 'credit', customer: c.id, exp_month: 12, metadata: { k: 'v' }, cvc_check: 'pass' });
    expect(visa.exp_year).toBeGreaterThan(new Date().getUTCFullYear());
    expect(visa.fingerprint).toMatch(/^[A-Za-z0-9]{16}$/);
    expect((await stripe.customers.retrieve(c.id)) as Stripe.Customer).toMatchObject({ default_source: visa.id });

    const mc = (await stripe.customers.createSource(c.id, { source: 'tok_mastercard' })) as Stripe.Card;
    const amex = (await stripe.customers.createSource(c.id, { source: 'tok_amex' })) as Stripe.Card;
    expect([mc.brand, mc.last4, amex.brand, amex.last4]).toEqual(['MasterCard', '4444', 'American Express', '8431']);
    expect(((await stripe.customers.retrieve(c.id)) as Stripe.Customer).default_source).toBe(visa.id);
    const hash = (await stripe.customers.createSource(c.id, {
      source: { object: 'card', number: '4242424242424242', exp_month: 4, exp_year: 2040, cvc: '123', name: 'Ada' } as never,
    })) as Stripe.Card;
    expect(hash).toMatchObject({ brand: 'Visa', last4: '4242', exp_month: 4, exp_year: 2040, name: 'Ada', customer: c.id });
    expect(hash.fingerprint).not.toBe(mc.fingerprint);

    const list = await stripe.customers.listSources(c.id);
    expect(list).toMatchObject({ object: 'list', has_more: false, url: `/v1/customers/${c.id}/sources` });
    expect(list.data.map((x) => x.id)).toEqual([hash.id, amex.id, mc.id, visa.id]);
    expect((await stripe.customers.listSources(c.id, { object: 'card', limit: 2 })).has_more).toBe(true);
    expect((await stripe.customers.listSources(c.id, { object: 'bank_account' })).data).toEqual([]);
    expect(await stripe.customers.retrieveSource(c.id, mc.id)).toEqual(mc as never);
    const expanded = await stripe.customers.retrieve(c.id, { expand: ['default_source'] });
    expect(((expanded as Stripe.Customer).default_source as Stripe.Card).last4).toBe('4242');

    const up = (await stripe.customers.updateSource(c.id, mc.id, { name: 'Grace', exp_month: '7', exp_year: '2041', address_zip: '94107', metadata: { a: '1' } })) as Stripe.Card;
    expect(up).toMatchObject({ id: mc.id, name: 'Grace', exp_month: 7, exp_year: 2041, address_zip: '94107', metadata: { a: '1' } });
    expect(((await stripe.customers.retrieveSource(c.id, mc.id)) as Stripe.Card).name).toBe('Grace');
    expect((await stripeErr(() => stripe.customers.updateSource(c.id, mc.id, { exp_month: '13' }))).code).toBe('invalid_expiry_month');
    expect((await stripeErr(() => stripe.customers.updateSource(c.id, mc.id, { account_holder_name: 'x' }))).statusCode).toBe(400);

    // The default moves with customers.update, and to the newest remaining source on delete.
    expect(((await stripe.customers.update(c.id, { default_source: amex.id })) as Stripe.Customer).default_source).toBe(amex.id);
    expect((await stripeErr(() => stripe.customers.update(c.id, { default_source: 'card_nope' }))).param).toBe('default_source');
    const del = await stripe.customers.deleteSource(c.id, amex.id);
    expect(del).toEqual({ id: amex.id, object: 'card', deleted: true } as never);
    expect(((await stripe.customers.retrieve(c.id)) as Stripe.Customer).default_source).toBe(hash.id);
    expect((await stripeErr(() => stripe.customers.retrieveSource(c.id, amex.id))).code).toBe('resource_missing');
    expect((await stripeErr(() => stripe.customers.deleteSource(c.id, amex.id))).statusCode).toBe(404);
    expect((await stripe.customers.listSources(c.id)).data).toHaveLength(3);

    // A customer created or updated with a token gets that source as its default.
    const withSrc = (await stripe.customers.create({ name: uniq('tok'), source: 'tok_mastercard' })) as Stripe.Customer;
    expect(String(withSrc.default_source)).toMatch(/^card_/);
    const swapped = (await stripe.customers.update(withSrc.id, { source: 'tok_visa' })) as Stripe.Customer;
    expect(swapped.default_source).not.toBe(withSrc.default_source);
    expect((await stripe.customers.listSources(withSrc.id)).data).toHaveLength(2);
  });

  test('sources: errors (declines, unknown tokens, missing params, other customers)', async () => {
    const c = await stripe.customers.create({ name: uniq('srcerr') });
    const declined = await stripeErr(() => stripe.customers.createSource(c.id, { source: 'tok_chargeDeclined' }));
    expect([declined.statusCode, declined.type, declined.code, declined.decline_code]).toEqual([402, 'StripeCardError', 'card_declined', 'generic_decline']);
    const declinedNum = await stripeErr(() => stripe.customers.createSource(c.id, { source: { object: 'card', number: '4000000000000002', exp_month: 1, exp_year: 2040 } as never }));
    expect(declinedNum.code).toBe('card_declined');
    const unknown = await stripeErr(() => stripe.customers.createSource(c.id, { source: 'tok_nope' }));
    expect([unknown.statusCode, unknown.code, unknown.param, unknown.message]).toEqual([404, 'resource_missing', 'source', "No such token: 'tok_nope'"]);
    expect((await stripeErr(() => stripe.customers.createSource(c.id, {} as never))).code).toBe('parameter_missing');
    expect((await stripeErr(() => stripe.customers.createSource(c.id, { source: { object: 'card', exp_month: 1, exp_year: 2040 } as never }))).param).toBe('source[number]');
    expect((await stripeErr(() => stripe.customers.createSource(c.id, { source: { object: 'card', number: '4242424242424242', exp_month: 1, exp_year: 2001 } as never }))).code).toBe('invalid_expiry_year');
    expect((await stripeErr(() => stripe.customers.createSource('cus_nope', { source: 'tok_visa' }))).statusCode).toBe(404);
    expect(((await stripe.customers.retrieve(c.id)) as Stripe.Customer).default_source).toBeNull();
    // A source belongs to its customer only.
    const other = await stripe.customers.create({ name: uniq('other') });
    const card = await stripe.customers.createSource(other.id, { source: 'tok_visa' });
    expect((await stripeErr(() => stripe.customers.retrieveSource(c.id, card.id))).statusCode).toBe(404);
    expect((await stripeErr(() => stripe.customers.deleteSource(c.id, card.id))).statusCode).toBe(404);
    expect((await stripeErr(() => stripe.customers.verifySource(other.id, card.id, { amounts: [32, 45] }))).statusCode).toBe(400);
  });

  test('bank account sources: btok tokens, inline hashes, verify with microdeposits', async () => {
    const c = await stripe.customers.create({ name: uniq('bank') });
    const verified = (await stripe.customers.createSource(c.id, { source: 'btok_us_verified' })) as Stripe.BankAccount;
    expect(verified.id).toMatch(/^ba_[A-Za-z0-9]{24}$/);
    expect(verified).toMatchObject({ object: 'bank_account', status: 'verified', country: 'US', currency: 'usd', last4: '6789', routing_number: '110000000', customer: c.id });
    expect((await stripeErr(() => stripe.customers.verifySource(c.id, verified.id, { amounts: [32, 45] }))).message).toContain('already been verified');

    const ba = (await stripe.customers.createSource(c.id, {
      source: { object: 'bank_account', country: 'US', currency: 'usd', account_holder_name: 'Jenny Rosen', account_holder_type: 'individual', routing_number: '110000000', account_number: '000123456789' } as never,
    })) as Stripe.BankAccount;
    expect(ba).toMatchObject({ object: 'bank_account', status: 'new', account_holder_name: 'Jenny Rosen', account_holder_type: 'individual', last4: '6789' });
    const wrong = await stripeErr(() => stripe.customers.verifySource(c.id, ba.id, { amounts: [32, 46] }));
    expect([wrong.statusCode, wrong.code, wrong.param]).toEqual([400, 'bank_account_verification_failed', 'amounts']);
    expect(wrong.message).toBe('The amounts provided do not match the amounts that were sent to the bank account.');
    expect((await stripeErr(() => stripe.customers.verifySource(c.id, ba.id, {}))).code).toBe('parameter_missing');
    const ok = (await stripe.customers.verifySource(c.id, ba.id, { amounts: [32, 45] })) as Stripe.BankAccount;
    expect(ok).toMatchObject({ id: ba.id, object: 'bank_account', status: 'verified' });
    expect(Object.keys((await raw(clone, 'GET', `/v1/customers/${c.id}/sources/${ba.id}`)).body).some((k) => k.startsWith('_'))).toBe(false);

    const up = (await stripe.customers.updateSource(c.id, ba.id, { account_holder_name: 'J. Rosen', account_holder_type: 'company' })) as Stripe.BankAccount;
    expect(up).toMatchObject({ account_holder_name: 'J. Rosen', account_holder_type: 'company' });
    expect((await stripeErr(() => stripe.customers.updateSource(c.id, ba.id, { exp_month: '1' }))).statusCode).toBe(400);
    expect((await stripe.customers.listSources(c.id, { object: 'bank_account' })).data.map((x) => x.id)).toEqual([ba.id, verified.id]);
    expect(await stripe.customers.deleteSource(c.id, ba.id)).toEqual({ id: ba.id, object: 'bank_account', deleted: true } as never);
  });

  test('funding instructions: bank transfer details per type, deterministic per customer', async () => {
    const c = await stripe.customers.create({ name: uniq('fund') });
    const eu = await stripe.customers.createFundingInstructions(c.id, { funding_type: 'bank_transfer', currency: 'eur', bank_transfer: { type: 'eu_bank_transfer', eu_bank_transfer: { country: 'DE' } } });
    expect(eu).toMatchObject({ object: 'funding_instructions', currency: 'eur', funding_type: 'bank_transfer', livemode: false, bank_transfer: { country: 'DE', type: 'eu_bank_transfer' } });
    const iban = eu.bank_transfer.financial_addresses[0]!;
    expect(iban.type).toBe('iban');
    expect(iban.supported_networks).toEqual(['sepa']);
    expect(iban.iban?.iban).toMatch(/^DE\d{20}$/);
    expect(iban.iban?.country).toBe('DE');
    const again = await stripe.customers.createFundingInstructions(c.id, { funding_type: 'bank_transfer', currency: 'eur', bank_transfer: { type: 'eu_bank_transfer', eu_bank_transfer: { country: 'DE' } } });
    expect(again).toEqual(eu);
    const c2 = await stripe.customers.create({ name: uniq('fund2') });
    const eu2 = await stripe.customers.createFundingInstructions(c2.id, { funding_type: 'bank_transfer', currency: 'eur', bank_transfer: { type: 'eu_bank_transfer', eu_bank_transfer: { country: 'DE' } } });
    expect(eu2.bank_transfer.financial_addresses[0]?.iban?.iban).not.toBe(iban.iban?.iban);

    const gb = await stripe.customers.createFundingInstructions(c.id, { funding_type: 'bank_transfer', currency: 'gbp', bank_transfer: { type: 'gb_bank_transfer' } });
    expect(gb.bank_transfer.financial_addresses[0]).toMatchObject({ type: 'sort_code', supported_networks: ['bacs', 'fps'] });
    expect(gb.bank_transfer.financial_addresses[0]?.sort_code?.account_number).toMatch(/^\d{8}$/);
    const jp = await stripe.customers.createFundingInstructions(c.id, { funding_type: 'bank_transfer', currency: 'jpy', bank_transfer: { type: 'jp_bank_transfer' } });
    expect(jp.bank_transfer).toMatchObject({ country: 'JP', financial_addresses: [{ type: 'zengin', zengin: { account_type: 'futsu' } }] });
    const mx = await stripe.customers.createFundingInstructions(c.id, { funding_type: 'bank_transfer', currency: 'mxn', bank_transfer: { type: 'mx_bank_transfer' } });
    expect(mx.bank_transfer.financial_addresses[0]?.spei?.clabe).toMatch(/^\d{18}$/);
    const us = await stripe.customers.createFundingInstructions(c.id, { funding_type: 'bank_transfer', currency: 'usd', bank_transfer: { type: 'us_bank_transfer', requested_address_types: ['aba', 'swift'] } });
    expect(us.bank_transfer.financial_addresses.map((a) => a.type)).toEqual(['aba', 'swift']);
    expect(us.bank_transfer.financial_addresses[0]?.supported_networks).toEqual(['ach', 'domestic_wire_us']);

    const badCur = await stripeErr(() => stripe.customers.createFundingInstructions(c.id, { funding_type: 'bank_transfer', currency: 'usd', bank_transfer: { type: 'gb_bank_transfer' } }));
    expect([badCur.statusCode, badCur.param]).toEqual([400, 'currency']);
    const noCountry = await stripeErr(() => stripe.customers.createFundingInstructions(c.id, { funding_type: 'bank_transfer', currency: 'eur', bank_transfer: { type: 'eu_bank_transfer' } }));
    expect([noCountry.code, noCountry.param]).toEqual(['parameter_missing', 'bank_transfer[eu_bank_transfer][country]']);
    expect((await stripeErr(() => stripe.customers.createFundingInstructions(c.id, { funding_type: 'bank_transfer', currency: 'eur', bank_transfer: { type: 'xx_bank_transfer' } as never }))).param).toBe('bank_transfer[type]');
    expect((await stripeErr(() => stripe.customers.createFundingInstructions(c.id, { currency: 'eur' } as never))).code).toBe('parameter_missing');
    expect((await stripeErr(() => stripe.customers.createFundingInstructions('cus_nope', { funding_type: 'bank_transfer', currency: 'gbp', bank_transfer: { type: 'gb_bank_transfer' } }))).statusCode).toBe(404);
  });
});
