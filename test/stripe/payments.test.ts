import { afterAll, beforeAll, expect, test } from 'bun:test';
import Stripe from 'stripe';
import { cloneHarness } from '../support/clones.ts';
import { describeDocker } from '../support/docker.ts';
import { raw, stripeErr, stripeFor, uniq, type StripeClone } from './helpers.ts';

/** PaymentIntents (the state machine, manual capture, declines) and PaymentMethods (attach/detach, listing). */

const h = cloneHarness('stripe-pay');
let clone: StripeClone;
let stripe: Stripe;

beforeAll(async () => {
  clone = await h.spin('stripe');
  stripe = stripeFor(clone);
}, 180_000);
afterAll(() => h.cleanup(), 60_000);

const cards = { allowed_payment_method_types: ['card' as const] };

describeDocker('stripe payment intents and payment methods', () => {
  test('automatic capture: requires_payment_method → requires_confirmation → succeeded, with a charge', async () => {
    const pi = await stripe.paymentIntents.create({ amount: 2000, currency: 'usd', ...cards, metadata: { order: 'A1' } });
    expect(pi).toMatchObject({ object: 'payment_intent', status: 'requires_payment_method', amount: 2000, amount_received: 0, amount_capturable: 0, capture_method: 'automatic_async', latest_charge: null, payment_method_types: ['card'] });
    expect(pi.id).toMatch(/^pi_/);
    expect(pi.client_secret).toStartWith(`${pi.id}_secret_`);
    const withPm = await stripe.paymentIntents.update(pi.id, { payment_method: 'pm_card_visa' });
    expect(withPm.status).toBe('requires_confirmation');
    expect(withPm.payment_method).toMatch(/^pm_/);
    const done = await stripe.paymentIntents.confirm(pi.id);
    expect(done).toMatchObject({ status: 'succeeded', amount_received: 2000, amount_capturable: 0 });
    expect(done.latest_charge).toMatch(/^ch_/);
    const expanded = await stripe.paymentIntents.retrieve(pi.id, { expand: ['latest_charge', 'payment_method'] });
    expect(expanded.latest_charge as Stripe.Charge).toMatchObject({ object: 'charge', amount: 2000, captured: true, paid: true, status: 'succeeded', payment_intent: pi.id });
    expect((expanded.payment_method as Stripe.PaymentMethod).card).toMatchObject({ brand: 'visa', last4: '4242' });

    const again = await stripeErr(() => stripe.paymentIntents.confirm(pi.id));
    expect(again).toMatchObject({ statusCode: 400, code: 'payment_intent_unexpected_state' });
    const cancel = await stripeErr(() => stripe.paymentIntents.cancel(pi.id));
    expect(cancel.code).toBe('payment_intent_unexpected_state');
    expect(cancel.message).toContain('status of succeeded');
    const amountEdit = await stripeErr(() => stripe.paymentIntents.update(pi.id, { amount: 5000 }));
    expect(amountEdit.code).toBe('payment_intent_unexpected_state');
    expect((await stripe.paymentIntents.update(pi.id, { metadata: { shipped: 'yes' } })).metadata).toEqual({ order: 'A1', shipped: 'yes' });
  });

  test('manual capture: requires_capture, partial capture, capture twice refused', async () => {
    const pi = await stripe.paymentIntents.create({ amount: 5000, currency: 'usd', ...cards, capture_method: 'manual', payment_method: 'pm_card_mastercard', confirm: true });
    expect(pi).toMatchObject({ status: 'requires_capture', amount_capturable: 5000, amount_received: 0 });
    const tooMuch = await stripeErr(() => stripe.paymentIntents.capture(pi.id, { amount_to_capture: 6000 }));
    expect(tooMuch).toMatchObject({ statusCode: 400, param: 'amount_to_capture' });
    const cap = await stripe.paymentIntents.capture(pi.id, { amount_to_capture: 3000 });
    expect(cap).toMatchObject({ status: 'succeeded', amount_received: 3000, amount_capturable: 0 });
    const ch = await raw(clone, 'GET', `/v1/payment_intents/${pi.id}?expand[]=latest_charge`);
    expect(ch.body.latest_charge).toMatchObject({ captured: true, amount_captured: 3000 });
    expect((await stripeErr(() => stripe.paymentIntents.capture(pi.id))).code).toBe('payment_intent_unexpected_state');

    const held = await stripe.paymentIntents.create({ amount: 1500, currency: 'usd', ...cards, capture_method: 'manual', payment_method: 'pm_card_visa', confirm: true });
    const canceled = await stripe.paymentIntents.cancel(held.id, { cancellation_reason: 'requested_by_customer' });
    expect(canceled).toMatchObject({ status: 'canceled', cancellation_reason: 'requested_by_customer', amount_capturable: 0 });
    expect(canceled.canceled_at).toBeNumber();
  });

  test('a declined test card: 402 card_error, the intent back at requires_payment_method, then a good card succeeds', async () => {
    const pi = await stripe.paymentIntents.create({ amount: 1200, currency: 'usd', ...cards });
    const e = await stripeErr(() => stripe.paymentIntents.confirm(pi.id, { payment_method: 'pm_card_chargeDeclined' }));
    expect(e).toMatchObject({ type: 'StripeCardError', statusCode: 402, code: 'card_declined', decline_code: 'generic_decline' });
    expect(e.raw.payment_intent).toMatchObject({ id: pi.id, status: 'requires_payment_method' });
    const after = await stripe.paymentIntents.retrieve(pi.id);
    expect(after).toMatchObject({ status: 'requires_payment_method', payment_method: null });
    expect(after.last_payment_error).toMatchObject({ type: 'card_error', code: 'card_declined', decline_code: 'generic_decline' });
    const funds = await stripeErr(() => stripe.paymentIntents.confirm(pi.id, { payment_method: 'pm_card_visa_chargeDeclinedInsufficientFunds' }));
    expect(funds.decline_code).toBe('insufficient_funds');
    const ok = await stripe.paymentIntents.confirm(pi.id, { payment_method: 'pm_card_visa' });
    expect(ok).toMatchObject({ status: 'succeeded', last_payment_error: null, amount_received: 1200 });
  });

  test('3D Secure test card: requires_action; error_on_requires_action fails it', async () => {
    const pi = await stripe.paymentIntents.create({ amount: 900, currency: 'eur', ...cards, payment_method: 'pm_card_authenticationRequired', confirm: true });
    expect(pi.status).toBe('requires_action');
    expect(pi.next_action?.type).toBe('use_stripe_sdk');
    expect((await stripe.paymentIntents.cancel(pi.id)).status).toBe('canceled');
    const e = await stripeErr(() => stripe.paymentIntents.create({ amount: 900, currency: 'eur', ...cards, payment_method: 'pm_card_authenticationRequired', confirm: true, error_on_requires_action: true }));
    expect(e).toMatchObject({ statusCode: 402, code: 'authentication_required' });
  });

  test('documented validation', async () => {
    expect((await stripeErr(() => stripe.paymentIntents.create({ currency: 'usd' } as never))).code).toBe('parameter_missing');
    expect((await stripeErr(() => stripe.paymentIntents.create({ amount: 100 } as never))).param).toBe('currency');
    expect((await stripeErr(() => stripe.paymentIntents.create({ amount: 10, currency: 'usd' }))).code).toBe('amount_too_small');
    expect((await stripeErr(() => stripe.paymentIntents.create({ amount: 100_000_000, currency: 'usd' }))).code).toBe('amount_too_large');
    const exclusive = await stripeErr(() => stripe.paymentIntents.create({ amount: 100, currency: 'usd', allowed_payment_method_types: ['card'], automatic_payment_methods: { enabled: true } }));
    expect(exclusive.code).toBe('parameters_exclusive');
    // Automatic payment methods may redirect: a server-side confirmation needs return_url or allow_redirects=never.
    const redirect = await stripeErr(() => stripe.paymentIntents.create({ amount: 100, currency: 'usd', payment_method: 'pm_card_visa', confirm: true }));
    expect(redirect.message).toContain('allow_redirects');
    const never = await stripe.paymentIntents.create({ amount: 100, currency: 'usd', payment_method: 'pm_card_visa', confirm: true, automatic_payment_methods: { enabled: true, allow_redirects: 'never' } });
    expect(never.status).toBe('succeeded');
    const nopm = await stripe.paymentIntents.create({ amount: 100, currency: 'usd', ...cards });
    expect((await stripeErr(() => stripe.paymentIntents.confirm(nopm.id))).message).toContain('missing a payment method');
    expect((await stripeErr(() => stripe.paymentIntents.retrieve('pi_doesnotexist'))).code).toBe('resource_missing');
  });

  test('idempotent create replays the same intent', async () => {
    const key = uniq('pi-idem');
    const a = await stripe.paymentIntents.create({ amount: 700, currency: 'usd', ...cards, payment_method: 'pm_card_visa', confirm: true }, { idempotencyKey: key });
    const b = await stripe.paymentIntents.create({ amount: 700, currency: 'usd', ...cards, payment_method: 'pm_card_visa', confirm: true }, { idempotencyKey: key });
    expect(b.id).toBe(a.id);
    expect(b.latest_charge).toBe(a.latest_charge);
  });

  test('payment methods: create, attach, list per customer, update, detach, reuse refused', async () => {
    const cus = await stripe.customers.create({ email: `${uniq('pm')}@example.com` });
    const pm = await stripe.paymentMethods.create({ type: 'card', card: { token: 'tok_amex' }, billing_details: { name: 'Ada' } });
    expect(pm).toMatchObject({ object: 'payment_method', type: 'card', customer: null, billing_details: { name: 'Ada' } });
    expect(pm.card).toMatchObject({ brand: 'amex', last4: '8431' });
    expect((await stripeErr(() => stripe.paymentMethods.update(pm.id, { metadata: { a: '1' } }))).message).toContain('save this PaymentMethod to a customer');
    const attached = await stripe.paymentMethods.attach(pm.id, { customer: cus.id });
    expect(attached.customer).toBe(cus.id);
    const visa = await stripe.paymentMethods.attach('pm_card_visa', { customer: cus.id });
    expect(visa.id).toMatch(/^pm_/);
    expect(visa.id).not.toBe('pm_card_visa');
    const declined = await stripeErr(() => stripe.paymentMethods.attach('pm_card_chargeDeclined', { customer: cus.id }));
    expect(declined).toMatchObject({ statusCode: 402, code: 'card_declined' });
    await stripe.customers.createSource(cus.id, { source: 'tok_mastercard' });

    const listed = await stripe.customers.listPaymentMethods(cus.id);
    expect(listed.data.map((x) => x.card?.brand).sort()).toEqual(['amex', 'mastercard', 'visa']);
    expect((await stripe.paymentMethods.list({ customer: cus.id, type: 'card' })).data.map((x) => x.id).sort()).toEqual([pm.id, visa.id].sort());
    expect((await stripe.customers.retrievePaymentMethod(cus.id, pm.id)).id).toBe(pm.id);
    const up = await stripe.paymentMethods.update(pm.id, { metadata: { a: '1' }, card: { exp_month: 3 } });
    expect(up).toMatchObject({ metadata: { a: '1' } });
    expect(up.card?.exp_month).toBe(3);
    const other = await stripe.customers.create({});
    expect((await stripeErr(() => stripe.paymentMethods.attach(pm.id, { customer: other.id }))).message).toContain('already been attached');

    const pi = await stripe.paymentIntents.create({ amount: 3000, currency: 'usd', ...cards, customer: cus.id, payment_method: visa.id, confirm: true });
    expect(pi.status).toBe('succeeded');

    const detached = await stripe.paymentMethods.detach(pm.id);
    expect(detached.customer).toBeNull();
    expect((await stripe.customers.listPaymentMethods(cus.id)).data.some((x) => x.id === pm.id)).toBe(false);
    expect((await stripeErr(() => stripe.paymentMethods.detach(pm.id))).message).toContain('not attached');
    expect((await stripeErr(() => stripe.paymentMethods.attach(pm.id, { customer: cus.id }))).message).toContain('may not be used again');
    expect((await stripeErr(() => stripe.paymentMethods.attach(visa.id, {} as never))).code).toBe('parameter_missing');
    expect((await stripeErr(() => stripe.paymentMethods.create({ type: 'card' } as never))).code).toBe('parameter_missing');
  });

  test('list, search and the other endpoints', async () => {
    const cus = await stripe.customers.create({ name: 'Searcher' });
    const a = await stripe.paymentIntents.create({ amount: 4321, currency: 'usd', ...cards, customer: cus.id, metadata: { tag: 'srch' } });
    const b = await stripe.paymentIntents.create({ amount: 1234, currency: 'usd', ...cards, customer: cus.id, payment_method: 'pm_card_visa', confirm: true });
    const listed = await stripe.paymentIntents.list({ customer: cus.id });
    expect(listed.data.map((x) => x.id)).toEqual([b.id, a.id]);
    const found = await stripe.paymentIntents.search({ query: `customer:'${cus.id}' AND status:'succeeded'` });
    expect(found.data.map((x) => x.id)).toEqual([b.id]);
    expect((await stripe.paymentIntents.search({ query: `amount>4000 AND metadata['tag']:'srch'` })).data.map((x) => x.id)).toEqual([a.id]);

    const inc = await stripe.paymentIntents.create({ amount: 1000, currency: 'usd', ...cards, capture_method: 'manual', payment_method: 'pm_card_visa', confirm: true, payment_method_options: { card: { request_incremental_authorization: 'if_available' } } });
    const grown = await stripe.paymentIntents.incrementAuthorization(inc.id, { amount: 1500 });
    expect(grown).toMatchObject({ amount: 1500, amount_capturable: 1500, status: 'requires_capture' });
    expect((await stripeErr(() => stripe.paymentIntents.incrementAuthorization(a.id, { amount: 9000 }))).code).toBe('payment_intent_unexpected_state');

    const li = await stripe.paymentIntents.create({ amount: 2500, currency: 'usd', ...cards, amount_details: { line_items: [{ product_name: 'Mug', quantity: 2, unit_cost: 1250 }] } } as never);
    const items = await stripe.paymentIntents.listAmountDetailsLineItems(li.id);
    expect(items.data).toHaveLength(1);
    expect(items.data[0]).toMatchObject({ object: 'payment_intent_amount_details_line_item', product_name: 'Mug', quantity: 2, unit_cost: 1250 });

    // Customer balance: a funded cash balance pays the intent.
    await stripe.testHelpers.customers.fundCashBalance(cus.id, { amount: 5000, currency: 'usd' });
    const cb = await stripe.paymentIntents.create({ amount: 2000, currency: 'usd', customer: cus.id, allowed_payment_method_types: ['customer_balance'] });
    const applied = await stripe.paymentIntents.applyCustomerBalance(cb.id, { amount: 2000 });
    expect(applied).toMatchObject({ status: 'succeeded', amount_received: 2000 });
    expect((await stripe.customers.retrieveCashBalance(cus.id)).available?.usd).toBe(3000);
    // An intent attached to an invoice before it is paid pays that invoice when the balance is applied.
    await stripe.invoiceItems.create({ customer: cus.id, amount: 1200, currency: 'usd' });
    const inv = await stripe.invoices.finalizeInvoice((await stripe.invoices.create({ customer: cus.id, pending_invoice_items_behavior: 'include' })).id);
    const cb2 = await stripe.paymentIntents.create({ amount: 1200, currency: 'usd', customer: cus.id, allowed_payment_method_types: ['customer_balance'] });
    expect((await stripe.invoices.attachPayment(inv.id, { payment_intent: cb2.id })).status).toBe('open');
    await stripe.paymentIntents.applyCustomerBalance(cb2.id, { amount: 1200 });
    expect(await stripe.invoices.retrieve(inv.id)).toMatchObject({ status: 'paid', amount_paid: 1200, amount_remaining: 0 });

    // ACH: microdeposits, then processing.
    const ach = await stripe.paymentIntents.create({
      amount: 1999, currency: 'usd', customer: cus.id, allowed_payment_method_types: ['us_bank_account'], confirm: true,
      payment_method_data: { type: 'us_bank_account', us_bank_account: { routing_number: '110000000', account_number: '000123456789', account_holder_type: 'individual' }, billing_details: { name: 'Ada' } },
    });
    expect(ach).toMatchObject({ status: 'requires_action', next_action: { type: 'verify_with_microdeposits' } });
    expect((await stripeErr(() => stripe.paymentIntents.verifyMicrodeposits(ach.id, { amounts: [1, 2] }))).code).toBe('payment_method_microdeposit_verification_amounts_mismatch');
    expect((await stripe.paymentIntents.verifyMicrodeposits(ach.id, { amounts: [32, 45] })).status).toBe('processing');
  });
});
