import { randomString } from '../../../_kit/auth.ts';
import type { Params } from '../../../_kit/http.ts';
import type { KitContext } from '../../../_kit/types.ts';
import type { Call, Route } from '../api.ts';
import { missing, paramInvalid, paramMissing, stripeError } from '../errors.ts';
import { newId, nowSeconds } from '../ids.ts';
import { LIST_KEYS, checkKeys, mergeMetadata, nullableString, optArray, optBool, optEnum, optInt, optObject, optRange, optString, pageParams, toInt } from '../params.ts';
import { runSearch, type Fields } from '../search.ts';
import { all, getRow, insert, listPage, mustGet, pageArray, save, type Obj } from '../store.ts';
import { assertReusable, attachToCustomer, buildPaymentMethod, cardError, resolvePaymentMethod } from './payment-methods.ts';

/**
 * PaymentIntents and their state machine, as Stripe documents it:
 *
 *   requires_payment_method --(payment_method)--> requires_confirmation --confirm-->
 *     requires_action (3D Secure, microdeposits, a bank transfer still to arrive)
 *     processing (a bank debit on its way; settles on the clone's clock)
 *     requires_capture (capture_method=manual) --capture--> succeeded
 *     succeeded
 *   a declined confirmation returns to requires_payment_method with last_payment_error;
 *   cancel from any state but succeeded / canceled.
 *
 * Each confirmation that reaches the card network records a charge (`ch_…`, `latest_charge`).
 * Wrong-state calls answer 400 `payment_intent_unexpected_state`, naming the allowed states.
 */
// API 2026-10-28 names the param allowed_payment_method_types; payment_method_types is what older versions send.
const CREATE_KEYS = [
  'allowed_payment_method_types', 'amount', 'amount_details', 'application_fee_amount', 'automatic_payment_methods', 'capture_method', 'confirm', 'confirmation_method',
  'confirmation_token', 'currency', 'customer', 'customer_account', 'description', 'error_on_requires_action', 'excluded_payment_method_types',
  'expand', 'hooks', 'mandate', 'mandate_data', 'metadata', 'off_session', 'on_behalf_of', 'payment_details', 'payment_method',
  'payment_method_configuration', 'payment_method_data', 'payment_method_options', 'payment_method_types', 'radar_options',
  'receipt_email', 'return_url', 'setup_future_usage', 'shipping', 'statement_descriptor', 'statement_descriptor_suffix',
  'transfer_data', 'transfer_group', 'use_stripe_sdk',
];
const UPDATE_KEYS = [
  'allowed_payment_method_types', 'amount', 'amount_details', 'application_fee_amount', 'capture_method', 'currency', 'customer', 'customer_account', 'description',
  'excluded_payment_method_types', 'expand', 'hooks', 'metadata', 'payment_details', 'payment_method', 'payment_method_configuration',
  'payment_method_data', 'payment_method_options', 'payment_method_types', 'receipt_email', 'setup_future_usage', 'shipping',
  'statement_descriptor', 'statement_descriptor_suffix', 'transfer_data', 'transfer_group',
];
const CONFIRM_KEYS = [
  'capture_method', 'confirmation_token', 'error_on_requires_action', 'expand', 'hooks', 'mandate', 'mandate_data', 'off_session',
  'payment_details', 'payment_method', 'payment_method_data', 'payment_method_options', 'payment_method_types', 'radar_options',
  'receipt_email', 'return_url', 'setup_future_usage', 'shipping', 'use_stripe_sdk',
];
/** Still open to change: Stripe's "updatable" states. */
const OPEN = ['requires_payment_method', 'requires_confirmation', 'requires_action'];
const CANCELABLE = ['requires_payment_method', 'requires_capture', 'requires_confirmation', 'requires_action', 'processing'];
const CONFIRMABLE = ['requires_payment_method', 'requires_confirmation'];
const CAPTURE_METHODS = ['automatic', 'automatic_async', 'manual'] as const;
const DAY = 86_400;
/** ACH debits settle after about four business days; the clone settles them on its clock. */
const ACH_SETTLE = 4 * DAY;

// Stripe's minimum charge amounts (docs: currencies → minimum and maximum charge amounts).
const MINIMUM: Record<string, number> = { usd: 50, eur: 50, gbp: 30, cad: 50, aud: 50, chf: 50, jpy: 50, dkk: 250, nok: 300, sek: 300, mxn: 1000, inr: 50, sgd: 50, hkd: 400, nzd: 50, brl: 50 };
const ZERO_DECIMAL = ['bif', 'clp', 'djf', 'gnf', 'jpy', 'kmf', 'krw', 'mga', 'pyg', 'rwf', 'ugx', 'vnd', 'vuv', 'xaf', 'xof', 'xpf'];

function money(amount: number, currency: string): string {
  const major = ZERO_DECIMAL.includes(currency) ? String(amount) : (amount / 100).toFixed(2);
  return `${currency === 'usd' ? '$' : ''}${major}${currency === 'usd' ? '' : ` ${currency}`}`;
}

function checkAmount(amount: number, currency: string, param = 'amount'): void {
  const min = MINIMUM[currency] ?? 1;
  if (amount < min) throw stripeError(400, `Amount must be at least ${money(min, currency)} ${currency}`, { code: 'amount_too_small', param });
  if (amount > 99_999_999) throw stripeError(400, `Amount must be no more than ${money(99_999_999, currency)} ${currency}`, { code: 'amount_too_large', param });
}

function unexpected(pi: Obj, action: string, allowed: string[]): Error {
  return stripeError(
    400,
    `You cannot ${action} this PaymentIntent because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be ${action === 'capture' ? 'captured' : action === 'cancel' ? 'canceled' : `${action}ed`}: ${allowed.join(', ')}.`,
    { code: 'payment_intent_unexpected_state', extra: { payment_intent: publicIntent(pi) } },
  );
}

/** The intent as the API shows it (hidden `_…` fields are dropped by the router too). */
export function publicIntent(pi: Obj): Obj {
  return Object.fromEntries(Object.entries(pi).filter(([k]) => !k.startsWith('_')));
}

function cardOptions(v: Params | undefined, current: Obj | null): Obj {
  const card = { installments: null, mandate_options: null, network: null, request_three_d_secure: 'automatic', ...(current?.card ?? {}) } as Obj;
  const h = v?.card as Params | undefined;
  if (h && typeof h === 'object') {
    for (const k of ['request_three_d_secure', 'request_incremental_authorization', 'capture_method', 'setup_future_usage'] as const) {
      if (h[k] !== undefined) card[k] = h[k] === '' ? null : String(h[k]);
    }
  }
  return { ...(current ?? {}), card };
}

function applyOpenFields(ctx: KitContext, pi: Obj, p: Params): void {
  for (const k of ['description', 'receipt_email', 'statement_descriptor', 'statement_descriptor_suffix', 'transfer_group'] as const) {
    const v = nullableString(p, k);
    if (v !== undefined) pi[k] = v;
  }
  if (typeof pi.statement_descriptor_suffix === 'string' && pi.statement_descriptor_suffix.length > 22) {
    throw paramInvalid('statement_descriptor_suffix', 'The statement descriptor suffix must be at most 22 characters long.');
  }
  if (p.statement_descriptor && pi.payment_method_types.includes('card')) {
    throw paramInvalid('statement_descriptor', 'The `statement_descriptor` parameter is not supported for the `card` payment method type. Use `statement_descriptor_suffix` instead.');
  }
  const sfu = optEnum(p, 'setup_future_usage', ['off_session', 'on_session', ''] as const);
  if (sfu !== undefined) pi.setup_future_usage = sfu || null;
  const cm = optEnum(p, 'capture_method', CAPTURE_METHODS);
  if (cm) pi.capture_method = cm;
  if (p.payment_method_options !== undefined) pi.payment_method_options = cardOptions(optObject(p, 'payment_method_options'), pi.payment_method_options);
  if (p.shipping !== undefined) {
    const s = p.shipping as Params | '';
    if (s && !s.name) throw paramMissing('shipping[name]');
    if (s && !s.address) throw paramMissing('shipping[address]');
    pi.shipping = s ? { address: s.address, carrier: s.carrier ? String(s.carrier) : null, name: String(s.name), phone: s.phone ? String(s.phone) : null, tracking_number: s.tracking_number ? String(s.tracking_number) : null } : null;
  }
  pi.metadata = mergeMetadata(pi.metadata ?? {}, p.metadata);
  void ctx;
}

async function setPaymentMethod(c: Call, pi: Obj, p: Params): Promise<void> {
  const pmId = optString(p, 'payment_method');
  const pmd = optObject(p, 'payment_method_data');
  if (pmId && pmd) throw stripeError(400, 'You may only specify one of these parameters: payment_method, payment_method_data.', { code: 'parameters_exclusive', param: 'payment_method_data' });
  if (pmId === '') pi.payment_method = null;
  let pm: Obj | null = null;
  if (pmId) pm = await resolvePaymentMethod(c.ctx, pmId, 'payment_method');
  else if (pmd) pm = await insert(c.ctx, 'payment_method', await buildPaymentMethod(c.ctx, pmd, 'payment_method_data'));
  if (!pm) return;
  assertReusable(pm, 'payment_method');
  if (!pi.payment_method_types.includes(pm.type)) {
    throw stripeError(400, `The provided PaymentMethod of type \`${pm.type}\` is not allowed for this PaymentIntent. Allowed types: ${pi.payment_method_types.join(', ')}.`, { code: 'payment_intent_incompatible_payment_method', param: 'payment_method' });
  }
  if (pm.customer && pi.customer !== pm.customer) {
    throw stripeError(400, pi.customer ? `The provided PaymentMethod belongs to another Customer (${pm.customer}), not ${pi.customer}.` : `The provided PaymentMethod was previously attached to a Customer (${pm.customer}). To use it, pass \`customer=${pm.customer}\` with it.`, { param: 'payment_method' });
  }
  pi.payment_method = pm.id;
  if (pi.status === 'requires_payment_method') pi.status = 'requires_confirmation';
}

async function newCharge(ctx: KitContext, pi: Obj, pm: Obj, outcome: { status: 'succeeded' | 'pending' | 'failed'; captured: boolean; failure?: string }): Promise<Obj> {
  const ch: Obj = {
    id: newId('ch'),
    object: 'charge',
    amount: pi.amount,
    amount_captured: outcome.captured ? pi.amount : 0,
    amount_refunded: 0,
    balance_transaction: null,
    billing_details: pm.billing_details,
    captured: outcome.captured,
    created: nowSeconds(),
    currency: pi.currency,
    customer: pi.customer,
    description: pi.description,
    disputed: false,
    failure_code: outcome.failure ? 'card_declined' : null,
    failure_message: outcome.failure ? 'Your card was declined.' : null,
    livemode: false,
    metadata: { ...pi.metadata },
    outcome: outcome.failure
      ? { network_status: 'declined_by_network', reason: outcome.failure, risk_level: 'normal', seller_message: 'The bank did not return any further details with this decline.', type: 'issuer_declined' }
      : { network_status: 'approved_by_network', reason: null, risk_level: 'normal', seller_message: 'Payment complete.', type: 'authorized' },
    paid: outcome.status === 'succeeded',
    payment_intent: pi.id,
    payment_method: pm.id,
    payment_method_details: pm.type === 'card' ? { card: { brand: pm.card.brand, last4: pm.card.last4, exp_month: pm.card.exp_month, exp_year: pm.card.exp_year, funding: pm.card.funding }, type: 'card' } : { type: pm.type },
    receipt_email: pi.receipt_email,
    refunded: false,
    status: outcome.status,
  };
  return insert(ctx, 'charge', ch);
}

async function succeed(ctx: KitContext, pi: Obj, pm: Obj): Promise<void> {
  const manual = pi.capture_method === 'manual' && pm.type === 'card';
  const ch = await newCharge(ctx, pi, pm, { status: 'succeeded', captured: !manual });
  pi.latest_charge = ch.id;
  pi.next_action = null;
  pi.last_payment_error = null;
  if (manual) {
    pi.status = 'requires_capture';
    pi.amount_capturable = pi.amount;
  } else {
    pi.status = 'succeeded';
    pi.amount_received = pi.amount;
  }
}

/** Moves cash from the customer's balance onto the intent, atomically; the amount moved. */
async function takeCash(ctx: KitContext, pi: Obj, want: number): Promise<number> {
  const rows = await ctx.db.unsafe(
    `update stripe_objects
        set data = jsonb_set(data, '{_cash_available}', data->'_cash_available' || jsonb_build_object($2::text, (data->'_cash_available'->>$2::text)::bigint - $3::bigint))
      where id = $1 and coalesce((data->'_cash_available'->>$2::text)::bigint, 0) >= $3::bigint
      returning (data->'_cash_available'->>$2::text)::bigint as balance`,
    [pi.customer, pi.currency, want],
  );
  if (!rows[0]) return 0;
  await insert(ctx, 'cash_balance_transaction', {
    id: newId('ccsbtxn'),
    object: 'customer_cash_balance_transaction',
    applied_to_payment: { payment_intent: pi.id },
    created: nowSeconds(),
    currency: pi.currency,
    customer: pi.customer,
    customer_account: null,
    ending_balance: Number(rows[0].balance),
    livemode: false,
    net_amount: -want,
    type: 'applied_to_payment',
  }, pi.customer);
  return want;
}

/** Runs a confirmation: the intent's new state is saved before a decline is thrown. */
async function confirmIntent(c: Call, pi: Obj, p: Params): Promise<Obj> {
  if (!CONFIRMABLE.includes(pi.status)) throw unexpected(pi, 'confirm', CONFIRMABLE);
  applyOpenFields(c.ctx, pi, p);
  await setPaymentMethod(c, pi, p);
  if (!pi.payment_method) {
    throw stripeError(400, `You cannot confirm this PaymentIntent because it's missing a payment method. To confirm the PaymentIntent${pi.customer ? ` with ${pi.customer}` : ''}, specify a payment method${pi.customer ? ' attached to this customer along with the customer ID' : ''}.`, { code: 'payment_intent_unexpected_state', param: 'payment_method' });
  }
  const returnUrl = optString(p, 'return_url');
  const apm = pi.automatic_payment_methods as Obj | null;
  if (apm?.enabled && apm.allow_redirects !== 'never' && !returnUrl) {
    throw stripeError(400, 'This PaymentIntent is configured to accept payment methods enabled in your Dashboard, some of which may require a full page redirect to succeed. If you do not want to accept redirect-based payment methods, set `automatic_payment_methods[enabled]` to `true` and `automatic_payment_methods[allow_redirects]` to `never` when creating Setup Intents and Payment Intents.', { param: 'return_url' });
  }
  const offSession = p.off_session === undefined ? false : p.off_session === 'one_off' || p.off_session === 'recurring' || optBool(p, 'off_session') === true;
  if (offSession && !pi.customer) throw paramInvalid('off_session', 'off_session requires a customer: pass `customer` with the PaymentIntent.');
  const pm = await mustGet(c.ctx, 'payment_method', pi.payment_method, 'payment_method');
  const declineCode = pm._decline ?? pm._fail_charge;

  if (pm.type === 'card' && declineCode) {
    const ch = await newCharge(c.ctx, pi, pm, { status: 'failed', captured: false, failure: declineCode });
    const err = cardError(declineCode) as { message: string; details?: { stripe?: { code?: string; extra?: Record<string, unknown> } } };
    pi.last_payment_error = { charge: ch.id, code: err.details?.stripe?.code ?? 'card_declined', decline_code: declineCode, doc_url: `https://stripe.com/docs/error-codes/${(err.details?.stripe?.code ?? 'card_declined').replace(/_/g, '-')}`, message: err.message, payment_method: publicPm(pm), type: 'card_error' };
    pi.latest_charge = ch.id;
    pi.payment_method = null;
    pi.status = 'requires_payment_method';
    await save(c.ctx, pi);
    throw cardError(declineCode, { charge: ch.id, payment_intent: publicIntent(pi), payment_method: publicPm(pm) });
  }
  if (pm.type === 'card' && pm._three_ds && !pi._authenticated) {
    if (optBool(p, 'error_on_requires_action') || offSession) {
      pi.last_payment_error = { code: 'authentication_required', decline_code: 'authentication_required', doc_url: 'https://stripe.com/docs/error-codes/authentication-required', message: 'Your card was declined. This transaction requires authentication.', payment_method: publicPm(pm), type: 'card_error' };
      pi.payment_method = null;
      pi.status = 'requires_payment_method';
      await save(c.ctx, pi);
      throw stripeError(402, 'Your card was declined. This transaction requires authentication.', { type: 'card_error', code: 'authentication_required', extra: { decline_code: 'authentication_required', payment_intent: publicIntent(pi), payment_method: publicPm(pm) } });
    }
    pi.status = 'requires_action';
    pi.next_action = returnUrl
      ? { redirect_to_url: { return_url: returnUrl, url: `${c.ctx.env.publicUrl}/3ds/${pi.id}` }, type: 'redirect_to_url' }
      : { type: 'use_stripe_sdk', use_stripe_sdk: { source: newId('src'), stripe_js: `${c.ctx.env.publicUrl}/3ds/${pi.id}`, type: 'three_d_secure_redirect' } };
  } else if (pm.type === 'us_bank_account') {
    pi.status = 'requires_action';
    pi.next_action = {
      type: 'verify_with_microdeposits',
      verify_with_microdeposits: { arrival_date: nowSeconds() + 2 * DAY, hosted_verification_url: `${c.ctx.env.publicUrl}/microdeposits/${pi.id}`, microdeposit_type: 'amounts' },
    };
  } else if (pm.type === 'customer_balance') {
    if (!pi.customer) throw paramMissing('customer');
    const row = await getRow(c.ctx, pi.customer);
    const auto = (row?.data._cash_balance_settings?.reconciliation_mode ?? 'automatic') === 'automatic';
    const remaining = pi.amount - pi.amount_received;
    if (auto && (await takeCash(c.ctx, pi, remaining)) === remaining) {
      pi.amount_received = pi.amount;
      await succeed(c.ctx, pi, pm);
    } else {
      pi.status = 'requires_action';
      pi.next_action = { display_bank_transfer_instructions: { amount_remaining: remaining, currency: pi.currency, hosted_instructions_url: `${c.ctx.env.publicUrl}/bank-transfer/${pi.id}`, reference: pi.id.slice(-10).toUpperCase(), type: 'us_bank_transfer' }, type: 'display_bank_transfer_instructions' };
    }
  } else {
    await succeed(c.ctx, pi, pm);
  }
  await afterPayment(c, pi, pm);
  return paid(c.ctx, await save(c.ctx, pi));
}

/** After an intent is saved: one that succeeded pays the invoices it is attached to. */
async function paid(ctx: KitContext, pi: Obj): Promise<Obj> {
  const { creditAttachedPayments } = await import('./invoice-lifecycle.ts');
  await creditAttachedPayments(ctx, pi);
  return pi;
}

/** setup_future_usage saves the PaymentMethod to the customer; one used without a customer is consumed. */
async function afterPayment(c: Call, pi: Obj, pm: Obj): Promise<void> {
  if (pi.status !== 'succeeded' && pi.status !== 'requires_capture') return;
  if (pi.customer && pi.setup_future_usage && !pm.customer) {
    await attachToCustomer(c.ctx, pm, await mustGet(c.ctx, 'customer', pi.customer, 'customer'));
  } else if (!pm.customer) {
    pm._consumed = true;
    await save(c.ctx, pm);
  }
}

function publicPm(pm: Obj): Obj {
  return Object.fromEntries(Object.entries(pm).filter(([k]) => !k.startsWith('_')));
}

function lineItems(v: unknown): Obj[] {
  const items = optArray({ v } as Params, 'v', 'amount_details[line_items]') ?? [];
  return items.map((raw, i) => {
    const l = raw as Params;
    const label = `amount_details[line_items][${i}]`;
    if (!l?.product_name) throw paramMissing(`${label}[product_name]`);
    if (l.quantity === undefined) throw paramMissing(`${label}[quantity]`);
    if (l.unit_cost === undefined) throw paramMissing(`${label}[unit_cost]`);
    return {
      id: newId('uli'),
      object: 'payment_intent_amount_details_line_item',
      discount_amount: l.discount_amount === undefined ? null : toInt(l.discount_amount, `${label}[discount_amount]`),
      payment_method_options: null,
      product_code: l.product_code ? String(l.product_code) : null,
      product_name: String(l.product_name),
      quantity: toInt(l.quantity, `${label}[quantity]`),
      tax: l.tax ? { total_tax_amount: toInt((l.tax as Params).total_tax_amount, `${label}[tax][total_tax_amount]`) } : null,
      unit_cost: toInt(l.unit_cost, `${label}[unit_cost]`),
      unit_of_measure: l.unit_of_measure ? String(l.unit_of_measure) : null,
    };
  });
}

async function create(c: Call): Promise<Obj> {
  checkKeys(c.params, CREATE_KEYS);
  const p = c.params;
  if (p.amount === undefined || p.amount === '') throw paramMissing('amount');
  const amount = toInt(p.amount, 'amount');
  const currency = optString(p, 'currency')?.toLowerCase();
  if (!currency) throw paramMissing('currency');
  if (!/^[a-z]{3}$/.test(currency)) throw paramInvalid('currency', `Invalid currency: ${currency}. Stripe currencies are three-letter ISO codes, in lowercase.`);
  checkAmount(amount, currency);
  const types = (optArray(p, 'allowed_payment_method_types') ?? optArray(p, 'payment_method_types'))?.map(String);
  const typesParam = p.allowed_payment_method_types !== undefined ? 'allowed_payment_method_types' : 'payment_method_types';
  const apmIn = optObject(p, 'automatic_payment_methods');
  if (types?.length && apmIn && String(apmIn.enabled) === 'true') {
    throw stripeError(400, `You may only specify one of these parameters: automatic_payment_methods, ${typesParam}.`, { code: 'parameters_exclusive', param: 'automatic_payment_methods' });
  }
  const confirm = optBool(p, 'confirm') ?? false;
  for (const k of ['return_url', 'off_session', 'error_on_requires_action', 'mandate_data'] as const) {
    if (!confirm && p[k] !== undefined && p[k] !== '') throw paramInvalid(k, `You can only pass \`${k}\` when \`confirm\` is true.`);
  }
  const customerId = optString(p, 'customer');
  if (customerId) await mustGet(c.ctx, 'customer', customerId, 'customer');
  const id = newId('pi');
  const apm = types?.length ? null : { allow_redirects: apmIn?.allow_redirects === 'never' ? 'never' : 'always', enabled: true };
  const now = nowSeconds();
  const items = p.amount_details && typeof p.amount_details === 'object' ? lineItems((p.amount_details as Params).line_items) : [];
  const pi: Obj = {
    id,
    object: 'payment_intent',
    allowed_payment_method_types: types?.length ? types : null,
    amount,
    amount_capturable: 0,
    amount_details: { tip: {} },
    amount_received: 0,
    application: null,
    application_fee_amount: null,
    automatic_payment_methods: apm,
    canceled_at: null,
    cancellation_reason: null,
    capture_method: 'automatic_async',
    client_secret: `${id}_secret_${randomString(25)}`,
    confirmation_method: optEnum(p, 'confirmation_method', ['automatic', 'manual'] as const) ?? 'automatic',
    created: now,
    currency,
    customer: customerId || null,
    customer_account: null,
    description: null,
    excluded_payment_method_types: null,
    last_payment_error: null,
    latest_charge: null,
    livemode: false,
    managed_payments: null,
    metadata: {},
    next_action: null,
    on_behalf_of: null,
    payment_method: null,
    payment_method_configuration_details: apm ? { id: 'pmc_asym_default', parent: null } : null,
    payment_method_options: cardOptions(undefined, null),
    payment_method_types: types?.length ? types : ['card'],
    payment_record: null,
    processing: null,
    receipt_email: null,
    review: null,
    setup_future_usage: null,
    shipping: null,
    source: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: 'requires_payment_method',
    transfer_data: null,
    transfer_group: null,
    _line_items: items,
  };
  for (const k of ['application_fee_amount', 'transfer_data', 'on_behalf_of'] as const) {
    if (p[k] !== undefined && p[k] !== '') throw stripeError(400, `${k} (Connect) is not emulated by this asym Stripe clone.`, { param: k });
  }
  applyOpenFields(c.ctx, pi, p);
  if (!confirm) await setPaymentMethod(c, pi, p);
  await insert(c.ctx, 'payment_intent', pi);
  if (confirm) return confirmIntent(c, pi, p);
  return pi;
}

/** A processing bank debit settles once the clone's clock passes its settlement time. */
async function settle(ctx: KitContext, pi: Obj): Promise<Obj> {
  if (pi.status !== 'processing' || !pi._settles_at || nowSeconds() < pi._settles_at) return pi;
  const pm = await mustGet(ctx, 'payment_method', pi._processing_pm, 'payment_method');
  const ch = pi.latest_charge ? (await getRow(ctx, pi.latest_charge))?.data : null;
  if (pm._fail_charge) {
    pi.status = 'requires_payment_method';
    pi.last_payment_error = { code: 'payment_method_provider_decline', decline_code: pm._fail_charge, message: 'The customer\'s bank account has insufficient funds.', payment_method: publicPm(pm), type: 'invalid_request_error' };
    if (ch) await save(ctx, { ...ch, status: 'failed', failure_code: pm._fail_charge });
  } else {
    pi.status = 'succeeded';
    pi.amount_received = pi.amount;
    if (ch) await save(ctx, { ...ch, status: 'succeeded', paid: true, captured: true, amount_captured: pi.amount });
  }
  pi.processing = null;
  delete pi._settles_at;
  return paid(ctx, await save(ctx, pi));
}

async function intentOf(c: Call): Promise<Obj> {
  return settle(c.ctx, await mustGet(c.ctx, 'payment_intent', c.ids[0] as string, 'intent'));
}

async function retrieve(c: Call): Promise<Obj> {
  checkKeys(c.params, ['client_secret', 'expand']);
  const pi = await intentOf(c);
  const secret = optString(c.params, 'client_secret');
  if (secret !== undefined && secret !== pi.client_secret) throw paramInvalid('client_secret', 'The client_secret provided does not match the client_secret associated with the PaymentIntent.');
  return pi;
}

async function update(c: Call): Promise<Obj> {
  checkKeys(c.params, UPDATE_KEYS);
  const pi = await intentOf(c);
  const p = c.params;
  if (!OPEN.includes(pi.status)) {
    const blocked = Object.keys(p).find((k) => !['metadata', 'description', 'receipt_email', 'expand', 'shipping'].includes(k));
    if (blocked) {
      throw stripeError(400, `This PaymentIntent's ${blocked} could not be updated because it has a status of ${pi.status}. You may only update the ${blocked} of a PaymentIntent with one of the following statuses: ${OPEN.join(', ')}.`, { code: 'payment_intent_unexpected_state', param: blocked });
    }
  }
  const currency = optString(p, 'currency')?.toLowerCase();
  if (currency) pi.currency = currency;
  const amount = optInt(p, 'amount');
  if (amount !== undefined) pi.amount = amount;
  if (amount !== undefined || currency) checkAmount(pi.amount, pi.currency);
  const cus = nullableString(p, 'customer');
  if (cus !== undefined) {
    if (cus) await mustGet(c.ctx, 'customer', cus, 'customer');
    if (pi.customer && cus !== pi.customer) throw paramInvalid('customer', 'You cannot change the customer of a PaymentIntent once set.');
    pi.customer = cus;
  }
  const types = optArray(p, 'allowed_payment_method_types') ?? optArray(p, 'payment_method_types');
  if (types?.length) {
    pi.payment_method_types = types.map(String);
    pi.allowed_payment_method_types = pi.payment_method_types;
    pi.automatic_payment_methods = null;
    pi.payment_method_configuration_details = null;
  }
  applyOpenFields(c.ctx, pi, p);
  if (p.amount_details && typeof p.amount_details === 'object' && (p.amount_details as Params).line_items !== undefined) pi._line_items = lineItems((p.amount_details as Params).line_items);
  await setPaymentMethod(c, pi, p);
  return save(c.ctx, pi);
}

async function confirm(c: Call): Promise<Obj> {
  checkKeys(c.params, [...CONFIRM_KEYS, 'client_secret']);
  return confirmIntent(c, await intentOf(c), c.params);
}

async function capture(c: Call): Promise<Obj> {
  checkKeys(c.params, ['amount_details', 'amount_to_capture', 'application_fee_amount', 'expand', 'final_capture', 'hooks', 'metadata', 'payment_details', 'statement_descriptor', 'statement_descriptor_suffix', 'transfer_data']);
  const pi = await intentOf(c);
  if (pi.status !== 'requires_capture') {
    throw stripeError(400, `This PaymentIntent could not be captured because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be captured: requires_capture.`, { code: 'payment_intent_unexpected_state', extra: { payment_intent: publicIntent(pi) } });
  }
  const amount = optInt(c.params, 'amount_to_capture') ?? pi.amount_capturable;
  if (amount > pi.amount_capturable) {
    throw stripeError(400, `The amount to capture (${amount}) must be less than or equal to the PaymentIntent's amount_capturable (${pi.amount_capturable}).`, { code: 'amount_too_large', param: 'amount_to_capture' });
  }
  if (amount < 0) throw paramInvalid('amount_to_capture', 'amount_to_capture must be a non-negative integer.');
  pi.metadata = mergeMetadata(pi.metadata ?? {}, c.params.metadata);
  const suffix = nullableString(c.params, 'statement_descriptor_suffix');
  if (suffix !== undefined) pi.statement_descriptor_suffix = suffix;
  pi.amount_received = amount;
  pi.amount_capturable = 0;
  pi.status = 'succeeded';
  if (pi.latest_charge) {
    const row = await getRow(c.ctx, pi.latest_charge);
    if (row) await save(c.ctx, { ...row.data, amount_captured: amount, amount_refunded: pi.amount - amount, captured: true });
  }
  return paid(c.ctx, await save(c.ctx, pi));
}

async function cancel(c: Call): Promise<Obj> {
  checkKeys(c.params, ['cancellation_reason', 'expand']);
  const pi = await intentOf(c);
  if (!CANCELABLE.includes(pi.status)) throw unexpected(pi, 'cancel', CANCELABLE);
  const reason = optEnum(c.params, 'cancellation_reason', ['abandoned', 'duplicate', 'fraudulent', 'requested_by_customer'] as const);
  pi.status = 'canceled';
  pi.canceled_at = nowSeconds();
  pi.cancellation_reason = reason ?? null;
  pi.amount_capturable = 0;
  pi.next_action = null;
  return save(c.ctx, pi);
}

async function incrementAuthorization(c: Call): Promise<Obj> {
  checkKeys(c.params, ['amount', 'amount_details', 'application_fee_amount', 'description', 'expand', 'hooks', 'metadata', 'payment_details', 'statement_descriptor', 'transfer_data']);
  const pi = await intentOf(c);
  if (pi.status !== 'requires_capture') throw unexpected(pi, 'increment the authorization of', ['requires_capture']);
  if (pi.payment_method_options?.card?.request_incremental_authorization !== 'if_available') {
    throw stripeError(400, 'This PaymentIntent is not eligible for incremental authorization: create it with `payment_method_options[card][request_incremental_authorization]=if_available`.', { code: 'payment_intent_unexpected_state' });
  }
  if (c.params.amount === undefined || c.params.amount === '') throw paramMissing('amount');
  const amount = toInt(c.params.amount, 'amount');
  if (amount <= pi.amount) throw paramInvalid('amount', `The amount (${amount}) must be greater than the PaymentIntent's current amount (${pi.amount}).`);
  checkAmount(amount, pi.currency);
  pi.amount = amount;
  pi.amount_capturable = amount;
  const desc = nullableString(c.params, 'description');
  if (desc !== undefined) pi.description = desc;
  pi.metadata = mergeMetadata(pi.metadata ?? {}, c.params.metadata);
  return save(c.ctx, pi);
}

async function verifyMicrodeposits(c: Call): Promise<Obj> {
  checkKeys(c.params, ['amounts', 'client_secret', 'descriptor_code', 'expand']);
  const pi = await intentOf(c);
  if (pi.status !== 'requires_action' || pi.next_action?.type !== 'verify_with_microdeposits') {
    throw unexpected(pi, 'verify microdeposits on', ['requires_action (verify_with_microdeposits)']);
  }
  const amounts = optArray(c.params, 'amounts');
  const code = optString(c.params, 'descriptor_code');
  if (!amounts && !code) throw paramMissing('amounts');
  if (amounts && code) throw stripeError(400, 'You may only specify one of these parameters: amounts, descriptor_code.', { code: 'parameters_exclusive', param: 'descriptor_code' });
  if (amounts) {
    const a = amounts.map((x, i) => toInt(x, `amounts[${i}]`));
    if (a.length !== 2 || a[0] !== 32 || a[1] !== 45) {
      throw stripeError(400, 'The amounts provided do not match the amounts that were sent to the bank account.', { code: 'payment_method_microdeposit_verification_amounts_mismatch', param: 'amounts' });
    }
  } else if (code !== 'SM11AA') {
    throw stripeError(400, 'The descriptor code provided does not match the one sent to the bank account.', { code: 'payment_method_microdeposit_verification_descriptor_code_mismatch', param: 'descriptor_code' });
  }
  const pm = await mustGet(c.ctx, 'payment_method', pi.payment_method, 'payment_method');
  const ch = await newCharge(c.ctx, pi, pm, { status: 'pending', captured: false });
  pi.latest_charge = ch.id;
  pi.next_action = null;
  pi.status = 'processing';
  pi.processing = null;
  pi._processing_pm = pm.id;
  pi._settles_at = nowSeconds() + ACH_SETTLE;
  await afterPayment(c, { ...pi, status: 'succeeded' }, pm);
  return save(c.ctx, pi);
}

async function applyCustomerBalance(c: Call): Promise<Obj> {
  checkKeys(c.params, ['amount', 'currency', 'expand']);
  const pi = await intentOf(c);
  if (!pi.payment_method_types.includes('customer_balance')) {
    throw stripeError(400, 'This PaymentIntent does not accept `customer_balance` payments: add it to `payment_method_types`.', { code: 'payment_intent_incompatible_payment_method' });
  }
  if (!OPEN.includes(pi.status)) throw unexpected(pi, 'apply a customer balance to', OPEN);
  if (!pi.customer) throw paramMissing('customer');
  const remaining = pi.amount - pi.amount_received;
  const amount = optInt(c.params, 'amount') ?? remaining;
  if (amount < 1 || amount > remaining) throw paramInvalid('amount', `The amount must be between 1 and the amount remaining on the PaymentIntent (${remaining}).`);
  const cur = optString(c.params, 'currency')?.toLowerCase();
  if (cur && cur !== pi.currency) throw paramInvalid('currency', `The currency must be the PaymentIntent's currency (${pi.currency}).`);
  if ((await takeCash(c.ctx, pi, amount)) !== amount) {
    throw stripeError(400, `The customer's cash balance in ${pi.currency} is less than ${amount}.`, { code: 'balance_insufficient', param: 'amount' });
  }
  pi.amount_received += amount;
  if (!pi.payment_method) {
    const pm = await insert(c.ctx, 'payment_method', { ...(await buildPaymentMethod(c.ctx, { type: 'customer_balance' })), customer: pi.customer });
    pi.payment_method = pm.id;
  }
  if (pi.amount_received >= pi.amount) {
    const pm = await mustGet(c.ctx, 'payment_method', pi.payment_method, 'payment_method');
    await succeed(c.ctx, pi, pm);
    pi.amount_received = pi.amount;
  } else {
    pi.status = 'requires_action';
    pi.next_action = { display_bank_transfer_instructions: { amount_remaining: pi.amount - pi.amount_received, currency: pi.currency, type: 'us_bank_transfer' }, type: 'display_bank_transfer_instructions' };
  }
  return paid(c.ctx, await save(c.ctx, pi));
}

async function listLineItems(c: Call): Promise<Obj> {
  checkKeys(c.params, [...LIST_KEYS]);
  const pi = await mustGet(c.ctx, 'payment_intent', c.ids[0] as string, 'intent');
  return pageArray(pi._line_items ?? [], pageParams(c.params), `/v1/payment_intents/${pi.id}/amount_details_line_items`, 'payment_intent_amount_details_line_item');
}

async function list(c: Call): Promise<Obj> {
  checkKeys(c.params, [...LIST_KEYS, 'created', 'customer', 'customer_account']);
  const page = pageParams(c.params);
  const customer = optString(c.params, 'customer');
  const created = optRange(c.params, 'created');
  const out = await listPage(
    c.ctx,
    'payment_intent',
    (w) => {
      if (customer) w.add(`data->>'customer' = ?`, customer);
      if (created?.gt !== undefined) w.add('created > ?', created.gt);
      if (created?.gte !== undefined) w.add('created >= ?', created.gte);
      if (created?.lt !== undefined) w.add('created < ?', created.lt);
      if (created?.lte !== undefined) w.add('created <= ?', created.lte);
    },
    page,
    '/v1/payment_intents',
  );
  out.data = await Promise.all(out.data.map((pi) => settle(c.ctx, pi)));
  return out;
}

/** Stripe's query fields for PaymentIntents (docs: Search → query fields). */
export const PAYMENT_INTENT_FIELDS: Fields = {
  amount: { kind: 'number', get: (o) => o.amount },
  created: { kind: 'number', get: (o) => o.created },
  currency: { kind: 'token', get: (o) => o.currency },
  customer: { kind: 'string', get: (o) => o.customer },
  status: { kind: 'token', get: (o) => o.status },
};

async function search(c: Call): Promise<Obj> {
  return runSearch(await all(c.ctx, 'payment_intent'), c.params, PAYMENT_INTENT_FIELDS, 'payment_intents');
}

export async function chargeRetrieve(ctx: KitContext, id: string): Promise<Obj> {
  const row = await getRow(ctx, id);
  if (!row || row.kind !== 'charge') throw missing('charge', id);
  return row.data;
}

export const paymentIntentRoutes: Route[] = [
  { method: 'GET', path: '/v1/payment_intents/search', handler: search, search: true },
  { method: 'POST', path: '/v1/payment_intents', handler: create },
  { method: 'GET', path: '/v1/payment_intents', handler: list },
  { method: 'GET', path: '/v1/payment_intents/{id}', handler: retrieve },
  { method: 'POST', path: '/v1/payment_intents/{id}', handler: update },
  { method: 'GET', path: '/v1/payment_intents/{id}/amount_details_line_items', handler: listLineItems },
  { method: 'POST', path: '/v1/payment_intents/{id}/apply_customer_balance', handler: applyCustomerBalance },
  { method: 'POST', path: '/v1/payment_intents/{id}/cancel', handler: cancel },
  { method: 'POST', path: '/v1/payment_intents/{id}/capture', handler: capture },
  { method: 'POST', path: '/v1/payment_intents/{id}/confirm', handler: confirm },
  { method: 'POST', path: '/v1/payment_intents/{id}/increment_authorization', handler: incrementAuthorization },
  { method: 'POST', path: '/v1/payment_intents/{id}/verify_microdeposits', handler: verifyMicrodeposits },
];
