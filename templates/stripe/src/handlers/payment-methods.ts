import type { Params } from '../../../_kit/http.ts';
import type { KitContext } from '../../../_kit/types.ts';
import type { Call, Route } from '../api.ts';
import { missing, paramInvalid, paramMissing, stripeError } from '../errors.ts';
import { newId, nowSeconds } from '../ids.ts';
import { LIST_KEYS, checkKeys, mergeMetadata, optEnum, optObject, optString, pageParams, toInt } from '../params.ts';
import { getRow, insert, listPage, mustGet, save, type Obj } from '../store.ts';
import { cardAsPaymentMethod } from './customer-extras.ts';
import { CARD_TOKENS, brandOf, card, decline, fingerprint, type CardSpec } from './sources.ts';

/**
 * PaymentMethods (`pm_…`): cards (from Stripe's test PaymentMethods `pm_card_visa`, …, test
 * tokens `card[token]=tok_visa`, or test card numbers), US bank accounts and customer balance.
 * A test PaymentMethod id used anywhere a PaymentMethod is expected stands for a new
 * PaymentMethod made from it, as at Stripe. Declining test cards decline when attached and
 * when a payment is confirmed; `pm_card_chargeCustomerFail` attaches but fails to charge;
 * `pm_card_authenticationRequired` needs 3D Secure (`requires_action`). A detached
 * PaymentMethod, or one consumed by a payment without a customer, cannot be used again.
 */
export interface TestCard extends CardSpec {
  /** Fails when a payment is confirmed (decline code), though attaching succeeds. */
  failCharge?: string;
  /** 3D Secure authentication required on every payment. */
  threeDS?: boolean;
}

const BRANDS: Record<string, string> = {
  visa: 'tok_visa', visa_debit: 'tok_visa_debit', mastercard: 'tok_mastercard', mastercard_debit: 'tok_mastercard_debit',
  mastercard_prepaid: 'tok_mastercard_prepaid', amex: 'tok_amex', discover: 'tok_discover', diners: 'tok_diners', jcb: 'tok_jcb', unionpay: 'tok_unionpay',
};
const VISA = { brand: 'Visa', funding: 'credit', country: 'US' };
/** Stripe's test PaymentMethods (docs: Testing → declined payments, 3D Secure). */
export const TEST_PAYMENT_METHODS: Record<string, TestCard> = {
  ...Object.fromEntries(Object.entries(BRANDS).map(([k, tok]) => [`pm_card_${k}`, CARD_TOKENS[tok] as CardSpec])),
  pm_card_chargeDeclined: { ...VISA, last4: '0002', decline: 'generic_decline' },
  pm_card_visa_chargeDeclined: { ...VISA, last4: '0002', decline: 'generic_decline' },
  pm_card_visa_chargeDeclinedInsufficientFunds: { ...VISA, last4: '9995', decline: 'insufficient_funds' },
  pm_card_chargeDeclinedInsufficientFunds: { ...VISA, last4: '9995', decline: 'insufficient_funds' },
  pm_card_visa_chargeDeclinedLostCard: { ...VISA, last4: '9987', decline: 'lost_card' },
  pm_card_visa_chargeDeclinedStolenCard: { ...VISA, last4: '9979', decline: 'stolen_card' },
  pm_card_chargeDeclinedFraudulent: { ...VISA, last4: '0019', decline: 'fraudulent' },
  pm_card_chargeDeclinedExpiredCard: { ...VISA, last4: '0069', decline: 'expired_card' },
  pm_card_chargeDeclinedIncorrectCvc: { ...VISA, last4: '0127', decline: 'incorrect_cvc' },
  pm_card_chargeDeclinedProcessingError: { ...VISA, last4: '0119', decline: 'processing_error' },
  pm_card_visa_chargeDeclinedVelocityLimitExceeded: { ...VISA, last4: '6975', decline: 'card_velocity_exceeded' },
  pm_card_chargeCustomerFail: { ...VISA, last4: '0341', failCharge: 'generic_decline' },
  pm_card_authenticationRequired: { ...VISA, last4: '3184', threeDS: true },
  pm_card_threeDSecure2Required: { ...VISA, last4: '3220', threeDS: true },
};
/** Test card numbers with a behaviour (docs: Testing), by number. */
const TEST_NUMBERS: Record<string, Partial<TestCard>> = {
  '4000000000000002': { decline: 'generic_decline' },
  '4000000000009995': { decline: 'insufficient_funds' },
  '4000000000000069': { decline: 'expired_card' },
  '4000000000000127': { decline: 'incorrect_cvc' },
  '4000000000000119': { decline: 'processing_error' },
  '4000000000000341': { failCharge: 'generic_decline' },
  '4000002500003155': { threeDS: true },
  '4000002760003184': { threeDS: true },
};

const CARD_ERROR_CODE: Record<string, string> = { expired_card: 'expired_card', incorrect_cvc: 'incorrect_cvc', processing_error: 'processing_error' };
const DECLINE_MESSAGE: Record<string, string> = {
  insufficient_funds: 'Your card has insufficient funds.',
  lost_card: 'Your card has been declined.',
  stolen_card: 'Your card has been declined.',
  fraudulent: 'Your card has been declined.',
  card_velocity_exceeded: 'Your card has exceeded its velocity limit.',
};

/** Stripe's card_error for a decline code: code card_declined (or the specific code) with decline_code. */
export function cardError(declineCode: string, extra: Record<string, unknown> = {}): Error {
  const code = CARD_ERROR_CODE[declineCode];
  if (code) {
    try {
      decline(code);
    } catch (e) {
      const err = e as { details?: { stripe?: { extra?: Record<string, unknown> } } };
      if (err.details?.stripe) err.details.stripe.extra = { ...(err.details.stripe.extra ?? {}), ...extra };
      return e as Error;
    }
  }
  return stripeError(402, DECLINE_MESSAGE[declineCode] ?? 'Your card was declined.', { type: 'card_error', code: 'card_declined', extra: { decline_code: declineCode, ...extra } });
}

function billingDetails(current: Obj, v: unknown, label = 'billing_details'): Obj {
  if (v === undefined) return current;
  if (v === '') return { address: null, email: null, name: null, phone: null, tax_id: null };
  if (!v || typeof v !== 'object') throw paramInvalid(label, 'Invalid hash');
  const b = v as Params;
  const out = { ...current };
  for (const k of ['email', 'name', 'phone', 'tax_id'] as const) if (b[k] !== undefined) out[k] = b[k] === '' ? null : String(b[k]);
  if (b.address !== undefined) {
    const a = (b.address || {}) as Params;
    out.address = { city: null, country: null, line1: null, line2: null, postal_code: null, state: null, ...Object.fromEntries(Object.entries(a).map(([k, x]) => [k, x === '' ? null : String(x)])) };
  }
  return out;
}

function base(ctx: KitContext, type: string): Obj {
  return {
    id: newId('pm'),
    object: 'payment_method',
    allow_redisplay: 'unspecified',
    billing_details: { address: { city: null, country: null, line1: null, line2: null, postal_code: null, state: null }, email: null, name: null, phone: null, tax_id: null },
    created: nowSeconds(),
    customer: null,
    customer_account: null,
    livemode: false,
    metadata: {},
    type,
  };
}

function cardPaymentMethod(ctx: KitContext, spec: TestCard, extra: Obj = {}): Obj {
  const asCard = card('', spec, extra);
  const pm: Obj = { ...base(ctx, 'card'), card: cardAsPaymentMethod(asCard, 0).card };
  if (spec.decline) pm._decline = spec.decline;
  if (spec.failCharge) pm._fail_charge = spec.failCharge;
  if (spec.threeDS) {
    pm._three_ds = true;
    pm.card.three_d_secure_usage = { supported: true };
  }
  return pm;
}

function fromCardParams(ctx: KitContext, h: Params, label: string): Obj {
  if (h.token !== undefined) {
    const tok = String(h.token);
    const spec = CARD_TOKENS[tok];
    if (!spec) throw missing('token', tok, `${label}[token]`);
    return cardPaymentMethod(ctx, spec);
  }
  const number = String(h.number ?? '').replace(/\s+/g, '');
  if (!number) throw paramMissing(`${label}[number]`);
  if (!/^\d{12,19}$/.test(number)) throw stripeError(402, 'Your card number is incorrect.', { type: 'card_error', code: 'incorrect_number', param: `${label}[number]` });
  if (h.exp_month === undefined) throw paramMissing(`${label}[exp_month]`);
  if (h.exp_year === undefined) throw paramMissing(`${label}[exp_year]`);
  const month = toInt(h.exp_month, `${label}[exp_month]`);
  let year = toInt(h.exp_year, `${label}[exp_year]`);
  if (year < 100) year += 2000;
  if (month < 1 || month > 12) throw stripeError(402, "Your card's expiration month is invalid.", { type: 'card_error', code: 'invalid_expiry_month', param: `${label}[exp_month]` });
  const now = ctx.now();
  if (year < now.getUTCFullYear() || (year === now.getUTCFullYear() && month < now.getUTCMonth() + 1)) {
    throw stripeError(402, "Your card's expiration year is invalid.", { type: 'card_error', code: 'invalid_expiry_year', param: `${label}[exp_year]` });
  }
  const behaviour = TEST_NUMBERS[number] ?? {};
  const spec: TestCard = { brand: brandOf(number), last4: number.slice(-4), funding: 'credit', country: 'US', ...behaviour };
  return cardPaymentMethod(ctx, spec, { exp_month: month, exp_year: year, fingerprint: fingerprint(`card:${number}`), cvc_check: h.cvc === undefined ? null : 'pass' });
}

function fromBankParams(ctx: KitContext, h: Params, label: string): Obj {
  const account = String(h.account_number ?? '');
  const routing = String(h.routing_number ?? '');
  if (!account) throw paramMissing(`${label}[account_number]`);
  if (!routing) throw paramMissing(`${label}[routing_number]`);
  if (!/^\d{9}$/.test(routing)) throw paramInvalid(`${label}[routing_number]`, 'Routing number must have 9 digits');
  if (!/^\d{4,17}$/.test(account)) throw paramInvalid(`${label}[account_number]`, 'You must use a test bank account number in test mode. Try 000123456789.');
  const holderType = optEnum(h, 'account_holder_type', ['individual', 'company'] as const, `${label}[account_holder_type]`) ?? 'individual';
  const accountType = optEnum(h, 'account_type', ['checking', 'savings'] as const, `${label}[account_type]`) ?? 'checking';
  return {
    ...base(ctx, 'us_bank_account'),
    us_bank_account: {
      account_holder_type: holderType,
      account_type: accountType,
      bank_name: routing === '110000000' ? 'STRIPE TEST BANK' : 'TEST BANK',
      financial_connections_account: null,
      fingerprint: fingerprint(`ba:${routing}:${account}`),
      last4: account.slice(-4),
      networks: { preferred: 'ach', supported: ['ach'] },
      routing_number: routing,
      status_details: null,
    },
    ...(account === '000222222227' ? { _fail_charge: 'insufficient_funds' } : {}),
  };
}

const TYPES = ['card', 'customer_balance', 'us_bank_account'] as const;

/** A PaymentMethod from `type` + its hash (payment_methods.create and payment_method_data). */
export async function buildPaymentMethod(ctx: KitContext, p: Params, label = ''): Promise<Obj> {
  const l = (k: string) => (label ? `${label}[${k}]` : k);
  const typeRaw = optString(p, 'type', l('type'));
  if (!typeRaw) throw paramMissing(l('type'));
  if (!TYPES.includes(typeRaw as (typeof TYPES)[number])) {
    throw paramInvalid(l('type'), `The PaymentMethod type ${typeRaw} is not emulated by this asym Stripe clone (it emulates ${TYPES.join(', ')}).`);
  }
  let pm: Obj;
  if (typeRaw === 'card') {
    const h = optObject(p, 'card', l('card'));
    if (!h) throw paramMissing(l('card'));
    pm = fromCardParams(ctx, h, l('card'));
  } else if (typeRaw === 'us_bank_account') {
    const h = optObject(p, 'us_bank_account', l('us_bank_account'));
    if (!h) throw paramMissing(l('us_bank_account'));
    pm = fromBankParams(ctx, h, l('us_bank_account'));
    if (!(p.billing_details as Params | undefined)?.name) throw paramMissing(l('billing_details[name]'));
  } else {
    pm = { ...base(ctx, 'customer_balance'), customer_balance: {} };
  }
  pm.billing_details = billingDetails(pm.billing_details, p.billing_details, l('billing_details'));
  pm.metadata = mergeMetadata({}, p.metadata, l('metadata'));
  const redisplay = optEnum(p, 'allow_redisplay', ['always', 'limited', 'unspecified'] as const, l('allow_redisplay'));
  if (redisplay) pm.allow_redisplay = redisplay;
  return pm;
}

/**
 * The PaymentMethod an id names: a stored one, or a new one made from a test PaymentMethod
 * id (`pm_card_visa`, …). `param` names the param in the 404.
 */
export async function resolvePaymentMethod(ctx: KitContext, id: string, param: string): Promise<Obj> {
  const test = TEST_PAYMENT_METHODS[id];
  if (test) return insert(ctx, 'payment_method', cardPaymentMethod(ctx, test));
  return mustGet(ctx, 'payment_method', id, param);
}

const USED_AGAIN = 'This PaymentMethod was previously used without being attached to a Customer or was detached from a Customer, and may not be used again.';

/** Refuses a PaymentMethod that was detached or consumed, as Stripe does. */
export function assertReusable(pm: Obj, param: string): void {
  if (pm._consumed) throw stripeError(400, USED_AGAIN, { param });
}

export async function attachToCustomer(ctx: KitContext, pm: Obj, customer: Obj, param = 'customer'): Promise<Obj> {
  assertReusable(pm, 'payment_method');
  if (pm.customer && pm.customer !== customer.id) {
    throw stripeError(400, 'The payment method you provided has already been attached to a customer.', { param });
  }
  if (pm._decline) throw cardError(pm._decline);
  pm.customer = customer.id;
  return save(ctx, pm);
}

async function create(c: Call): Promise<Obj> {
  checkKeys(c.params, ['allow_redisplay', 'billing_details', 'card', 'customer', 'customer_balance', 'expand', 'metadata', 'payment_method', 'type', 'us_bank_account']);
  if (c.params.customer || c.params.payment_method) {
    throw stripeError(400, 'Cloning PaymentMethods onto connected accounts (customer, payment_method) is not emulated by this asym Stripe clone.', { param: c.params.customer ? 'customer' : 'payment_method' });
  }
  return insert(c.ctx, 'payment_method', await buildPaymentMethod(c.ctx, c.params));
}

async function retrieve(c: Call): Promise<Obj> {
  checkKeys(c.params, ['expand']);
  return resolvePaymentMethod(c.ctx, c.ids[0] as string, 'payment_method');
}

async function update(c: Call): Promise<Obj> {
  checkKeys(c.params, ['allow_redisplay', 'billing_details', 'card', 'expand', 'metadata', 'us_bank_account']);
  const pm = await mustGet(c.ctx, 'payment_method', c.ids[0] as string, 'payment_method');
  if (!pm.customer) throw stripeError(400, 'You must save this PaymentMethod to a customer before you can update it.');
  pm.billing_details = billingDetails(pm.billing_details, c.params.billing_details);
  pm.metadata = mergeMetadata(pm.metadata ?? {}, c.params.metadata);
  const redisplay = optEnum(c.params, 'allow_redisplay', ['always', 'limited', 'unspecified'] as const);
  if (redisplay) pm.allow_redisplay = redisplay;
  const h = optObject(c.params, 'card');
  if (h) {
    if (pm.type !== 'card') throw paramInvalid('card', `This PaymentMethod is of type ${pm.type}, not card.`);
    for (const k of Object.keys(h)) if (!['exp_month', 'exp_year', 'networks'].includes(k)) throw stripeError(400, `Received unknown parameter: card[${k}]`, { code: 'parameter_unknown', param: `card[${k}]` });
    if (h.exp_month !== undefined) {
      const m = toInt(h.exp_month, 'card[exp_month]');
      if (m < 1 || m > 12) throw stripeError(402, "Your card's expiration month is invalid.", { type: 'card_error', code: 'invalid_expiry_month', param: 'card[exp_month]' });
      pm.card.exp_month = m;
    }
    if (h.exp_year !== undefined) pm.card.exp_year = toInt(h.exp_year, 'card[exp_year]');
  }
  return save(c.ctx, pm);
}

async function list(c: Call): Promise<Obj> {
  checkKeys(c.params, [...LIST_KEYS, 'allow_redisplay', 'customer', 'customer_account', 'type']);
  const page = pageParams(c.params);
  const customer = optString(c.params, 'customer');
  if (customer) await mustGet(c.ctx, 'customer', customer, 'customer');
  const type = optString(c.params, 'type');
  const redisplay = optString(c.params, 'allow_redisplay');
  return listPage(
    c.ctx,
    'payment_method',
    (w) => {
      if (customer) w.add(`data->>'customer' = ?`, customer);
      if (type) w.add(`data->>'type' = ?`, type);
      if (redisplay) w.add(`data->>'allow_redisplay' = ?`, redisplay);
    },
    page,
    '/v1/payment_methods',
  );
}

async function attach(c: Call): Promise<Obj> {
  checkKeys(c.params, ['customer', 'customer_account', 'expand']);
  const customerId = optString(c.params, 'customer');
  if (!customerId) throw paramMissing('customer');
  const pm = await resolvePaymentMethod(c.ctx, c.ids[0] as string, 'payment_method');
  const customer = await mustGet(c.ctx, 'customer', customerId, 'customer');
  return attachToCustomer(c.ctx, pm, customer);
}

async function detach(c: Call): Promise<Obj> {
  checkKeys(c.params, ['expand']);
  const pm = await mustGet(c.ctx, 'payment_method', c.ids[0] as string, 'payment_method');
  if (!pm.customer) throw stripeError(400, 'The payment method you provided is not attached to a customer so detachment is impossible.', { param: 'payment_method' });
  const row = await getRow(c.ctx, pm.customer);
  if (row && !row.deleted && row.data.invoice_settings?.default_payment_method === pm.id) {
    row.data.invoice_settings = { ...row.data.invoice_settings, default_payment_method: null };
    await save(c.ctx, row.data);
  }
  pm.customer = null;
  pm._consumed = true;
  return save(c.ctx, pm);
}

export const paymentMethodRoutes: Route[] = [
  { method: 'POST', path: '/v1/payment_methods', handler: create },
  { method: 'GET', path: '/v1/payment_methods', handler: list },
  { method: 'GET', path: '/v1/payment_methods/{id}', handler: retrieve },
  { method: 'POST', path: '/v1/payment_methods/{id}', handler: update },
  { method: 'POST', path: '/v1/payment_methods/{id}/attach', handler: attach },
  { method: 'POST', path: '/v1/payment_methods/{id}/detach', handler: detach },
];
