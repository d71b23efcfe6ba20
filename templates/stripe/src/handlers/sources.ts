import type { Params } from '../../../_kit/http.ts';
import { clockNow } from '../../../_kit/clock.ts';
import type { Call, Route } from '../api.ts';
import { missing, paramInvalid, paramMissing, stripeError } from '../errors.ts';
import { newId } from '../ids.ts';
import { LIST_KEYS, checkKeys, mergeMetadata, nullableString, optArray, optEnum, optInt, optObject, optString, pageParams, toInt } from '../params.ts';
import { all, getRow, insert, listPage, mustGet, remove, save, type Obj } from '../store.ts';

/**
 * A customer's payment sources (the legacy Sources/Cards API): cards (`card_…`) and bank
 * accounts (`ba_…`), stored as kind `source` under the customer. Created from Stripe's
 * test tokens (`tok_visa`, `tok_mastercard`, `btok_us_verified`, …) or an inline
 * `source[object]=card|bank_account` hash. No charge is ever made: `tok_chargeDeclined*`
 * tokens (and card 4000000000000002) decline at attach, as Stripe does.
 * Also: funding instructions (bank transfer details, deterministic per customer).
 */

// ---- test tokens

export interface CardSpec {
  brand: string;
  last4: string;
  funding: string;
  country: string;
  decline?: string;
}

export const CARD_TOKENS: Record<string, CardSpec> = {
  tok_visa: { brand: 'Visa', last4: '4242', funding: 'credit', country: 'US' },
  tok_visa_debit: { brand: 'Visa', last4: '5556', funding: 'debit', country: 'US' },
  tok_mastercard: { brand: 'MasterCard', last4: '4444', funding: 'credit', country: 'US' },
  tok_mastercard_debit: { brand: 'MasterCard', last4: '8210', funding: 'debit', country: 'US' },
  tok_mastercard_prepaid: { brand: 'MasterCard', last4: '5100', funding: 'prepaid', country: 'US' },
  tok_amex: { brand: 'American Express', last4: '8431', funding: 'credit', country: 'US' },
  tok_discover: { brand: 'Discover', last4: '9424', funding: 'credit', country: 'US' },
  tok_diners: { brand: 'Diners Club', last4: '0004', funding: 'credit', country: 'US' },
  tok_jcb: { brand: 'JCB', last4: '0505', funding: 'credit', country: 'JP' },
  tok_unionpay: { brand: 'UnionPay', last4: '0005', funding: 'credit', country: 'CN' },
  tok_chargeCustomerFail: { brand: 'Visa', last4: '0341', funding: 'credit', country: 'US' },
  tok_chargeDeclined: { brand: 'Visa', last4: '0002', funding: 'credit', country: 'US', decline: 'card_declined' },
  tok_chargeDeclinedInsufficientFunds: { brand: 'Visa', last4: '9995', funding: 'credit', country: 'US', decline: 'card_declined' },
  tok_chargeDeclinedExpiredCard: { brand: 'Visa', last4: '0069', funding: 'credit', country: 'US', decline: 'expired_card' },
  tok_chargeDeclinedIncorrectCvc: { brand: 'Visa', last4: '0127', funding: 'credit', country: 'US', decline: 'incorrect_cvc' },
  tok_chargeDeclinedProcessingError: { brand: 'Visa', last4: '0119', funding: 'credit', country: 'US', decline: 'processing_error' },
};

const DECLINE_MESSAGES: Record<string, string> = {
  card_declined: 'Your card was declined.',
  expired_card: 'Your card has expired.',
  incorrect_cvc: "Your card's security code is incorrect.",
  processing_error: 'An error occurred while processing your card. Try again in a little bit.',
};

export function brandOf(number: string): string {
  if (/^4/.test(number)) return 'Visa';
  if (/^(5[1-5]|2[2-7])/.test(number)) return 'MasterCard';
  if (/^3[47]/.test(number)) return 'American Express';
  if (/^(6011|65|64[4-9])/.test(number)) return 'Discover';
  if (/^3(0|6|8)/.test(number)) return 'Diners Club';
  if (/^35/.test(number)) return 'JCB';
  if (/^62/.test(number)) return 'UnionPay';
  return 'Unknown';
}

/** A stable 16-character fingerprint: the same card or account gives the same value. */
export function fingerprint(s: string): string {
  const h = new Bun.CryptoHasher('sha256').update(s).digest();
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let out = '';
  for (let i = 0; i < 16; i++) out += alphabet[(h[i] as number) % alphabet.length];
  return out;
}

export function digitsOf(s: string, n: number): string {
  const h = new Bun.CryptoHasher('sha256').update(s).digest();
  let out = '';
  for (let i = 0; out.length < n; i++) out += String((h[i % h.length] as number) % 10);
  return out;
}

export function decline(code: string): never {
  throw stripeError(402, DECLINE_MESSAGES[code] ?? DECLINE_MESSAGES.card_declined!, {
    type: 'card_error',
    code,
    param: code === 'incorrect_cvc' ? 'cvc' : code === 'expired_card' ? 'exp_month' : undefined,
    extra: code === 'card_declined' ? { decline_code: 'generic_decline' } : {},
  });
}

export function card(customerId: string, spec: CardSpec, extra: Obj = {}): Obj {
  const year = clockNow().getUTCFullYear() + 1;
  return {
    id: newId('card'),
    object: 'card',
    address_city: null,
    address_country: null,
    address_line1: null,
    address_line1_check: null,
    address_line2: null,
    address_state: null,
    address_zip: null,
    address_zip_check: null,
    allow_redisplay: 'unspecified',
    brand: spec.brand,
    country: spec.country,
    customer: customerId,
    cvc_check: 'pass',
    dynamic_last4: null,
    exp_month: 12,
    exp_year: year,
    fingerprint: fingerprint(`card:${spec.brand}:${spec.last4}`),
    funding: spec.funding,
    last4: spec.last4,
    metadata: {},
    name: null,
    regulated_status: 'unregulated',
    tokenization_method: null,
    ...extra,
  };
}

function bankAccount(customerId: string, f: { country: string; currency: string; routing: string; last4: string; status: string; holder: string | null; holderType: string | null }): Obj {
  return {
    id: newId('ba'),
    object: 'bank_account',
    account_holder_name: f.holder,
    account_holder_type: f.holderType,
    account_type: null,
    bank_name: f.routing === '110000000' ? 'STRIPE TEST BANK' : 'TEST BANK',
    country: f.country,
    currency: f.currency,
    customer: customerId,
    fingerprint: fingerprint(`ba:${f.routing}:${f.last4}`),
    last4: f.last4,
    metadata: {},
    routing_number: f.routing,
    status: f.status,
  };
}

function fromCardHash(customerId: string, h: Params): Obj {
  const number = String(h.number ?? '').replace(/\s+/g, '');
  if (!number) throw paramMissing('source[number]');
  if (!/^\d{12,19}$/.test(number)) throw stripeError(402, 'Your card number is incorrect.', { type: 'card_error', code: 'incorrect_number', param: 'number' });
  if (h.exp_month === undefined) throw paramMissing('source[exp_month]');
  if (h.exp_year === undefined) throw paramMissing('source[exp_year]');
  const month = toInt(h.exp_month, 'source[exp_month]');
  let year = toInt(h.exp_year, 'source[exp_year]');
  if (year < 100) year += 2000;
  if (month < 1 || month > 12) throw stripeError(402, "Your card's expiration month is invalid.", { type: 'card_error', code: 'invalid_expiry_month', param: 'exp_month' });
  const now = clockNow();
  if (year < now.getUTCFullYear() || (year === now.getUTCFullYear() && month < now.getUTCMonth() + 1)) {
    throw stripeError(402, "Your card's expiration year is invalid.", { type: 'card_error', code: 'invalid_expiry_year', param: 'exp_year' });
  }
  if (number === '4000000000000002') decline('card_declined');
  if (number === '4000000000000069') decline('expired_card');
  if (number === '4000000000000127') decline('incorrect_cvc');
  const spec: CardSpec = { brand: brandOf(number), last4: number.slice(-4), funding: 'credit', country: 'US' };
  const s = (k: string) => (h[k] === undefined || h[k] === '' ? null : String(h[k]));
  const out = card(customerId, spec, {
    exp_month: month,
    exp_year: year,
    fingerprint: fingerprint(`card:${number}`),
    name: s('name'),
    address_city: s('address_city'),
    address_country: s('address_country'),
    address_line1: s('address_line1'),
    address_line2: s('address_line2'),
    address_state: s('address_state'),
    address_zip: s('address_zip'),
    cvc_check: h.cvc === undefined ? null : 'pass',
  });
  if (out.address_line1) out.address_line1_check = 'pass';
  if (out.address_zip) out.address_zip_check = 'pass';
  return out;
}

function fromBankHash(customerId: string, h: Params): Obj {
  for (const k of ['country', 'currency', 'account_number']) if (h[k] === undefined || h[k] === '') throw paramMissing(`source[${k}]`);
  const account = String(h.account_number);
  if (!/^\d{4,17}$/.test(account)) throw paramInvalid('source[account_number]', 'You must use a test bank account number in test mode. Try 000123456789 or see more options at https://stripe.com/docs/connect/testing#account-numbers.');
  const country = String(h.country).toUpperCase();
  const routing = h.routing_number === undefined ? '' : String(h.routing_number);
  if (country === 'US' && !/^\d{9}$/.test(routing)) throw paramInvalid('source[routing_number]', `Routing number must have 9 digits`);
  const holderType = h.account_holder_type === undefined ? null : String(h.account_holder_type);
  if (holderType !== null && !['individual', 'company'].includes(holderType)) throw paramInvalid('source[account_holder_type]', 'Invalid account_holder_type: must be one of individual or company');
  return bankAccount(customerId, {
    country,
    currency: String(h.currency).toLowerCase(),
    routing,
    last4: account.slice(-4),
    status: 'new',
    holder: h.account_holder_name === undefined ? null : String(h.account_holder_name),
    holderType,
  });
}

function fromToken(customerId: string, token: string): Obj {
  const spec = CARD_TOKENS[token];
  if (spec) {
    if (spec.decline) decline(spec.decline);
    return card(customerId, spec);
  }
  if (/^btok_/.test(token) || token === 'tok_bank_account' || token === 'tok_us_bank_account') {
    const verified = /^btok_us_verified/.test(token);
    return bankAccount(customerId, { country: 'US', currency: 'usd', routing: '110000000', last4: '6789', status: verified ? 'verified' : 'new', holder: null, holderType: 'individual' });
  }
  throw missing('token', token, 'source');
}

// ---- routes

async function customerOf(c: Call): Promise<Obj> {
  return mustGet(c.ctx, 'customer', c.ids[0] as string, 'customer');
}

async function sourceOf(c: Call): Promise<Obj> {
  const id = c.ids[1] as string;
  const row = await getRow(c.ctx, id);
  if (!row || row.kind !== 'source' || row.deleted || row.parent !== c.ids[0]) throw missing('source', id);
  return row.data;
}

/** Builds a source from `source` (a token id or a hash) and attaches it to the customer. */
export async function attachSource(c: Call, customer: Obj, src: unknown, metadata?: unknown): Promise<Obj> {
  let obj: Obj;
  if (typeof src === 'string') {
    if (!src) throw paramMissing('source');
    obj = fromToken(customer.id, src);
  } else if (src && typeof src === 'object' && !Array.isArray(src)) {
    const h = src as Params;
    const kind = String(h.object ?? '');
    if (kind === 'card') obj = fromCardHash(customer.id, h);
    else if (kind === 'bank_account') obj = fromBankHash(customer.id, h);
    else throw paramInvalid('source[object]', 'Invalid source object: must be a dictionary or a non-empty string. See API docs at https://stripe.com/docs\'');
    if (h.metadata !== undefined) obj.metadata = mergeMetadata({}, h.metadata, 'source[metadata]');
  } else {
    throw paramMissing('source');
  }
  obj.metadata = mergeMetadata(obj.metadata ?? {}, metadata);
  // Cards and bank accounts carry no `created`; the row's own column orders the list.
  await insert(c.ctx, 'source', obj, customer.id);
  if (!customer.default_source) {
    customer.default_source = obj.id;
    await save(c.ctx, customer);
  }
  return obj;
}

async function createSource(c: Call): Promise<Obj> {
  checkKeys(c.params, ['expand', 'metadata', 'source', 'validate']);
  const customer = await customerOf(c);
  if (c.params.source === undefined || c.params.source === '') throw paramMissing('source');
  return attachSource(c, customer, c.params.source, c.params.metadata);
}

const CARD_FIELDS = ['address_city', 'address_country', 'address_line1', 'address_line2', 'address_state', 'address_zip', 'name'] as const;

async function updateSource(c: Call): Promise<Obj> {
  checkKeys(c.params, ['account_holder_name', 'account_holder_type', ...CARD_FIELDS, 'exp_month', 'exp_year', 'expand', 'metadata', 'owner']);
  await customerOf(c);
  const s = await sourceOf(c);
  if (c.params.owner !== undefined) throw paramInvalid('owner', 'owner can only be updated on Source objects (src_…), which this clone does not emulate.');
  if (s.object === 'card') {
    for (const k of ['account_holder_name', 'account_holder_type']) {
      if (c.params[k] !== undefined) throw paramInvalid(k, `${k} can only be updated on bank accounts.`);
    }
    for (const k of CARD_FIELDS) {
      const v = nullableString(c.params, k);
      if (v !== undefined) s[k] = v;
    }
    const m = optInt(c.params, 'exp_month');
    if (m !== undefined) {
      if (m < 1 || m > 12) throw stripeError(402, "Your card's expiration month is invalid.", { type: 'card_error', code: 'invalid_expiry_month', param: 'exp_month' });
      s.exp_month = m;
    }
    let y = optInt(c.params, 'exp_year');
    if (y !== undefined) {
      if (y < 100) y += 2000;
      if (y < clockNow().getUTCFullYear()) throw stripeError(402, "Your card's expiration year is invalid.", { type: 'card_error', code: 'invalid_expiry_year', param: 'exp_year' });
      s.exp_year = y;
    }
  } else {
    for (const k of [...CARD_FIELDS, 'exp_month', 'exp_year']) {
      if (c.params[k] !== undefined) throw paramInvalid(k, `${k} can only be updated on cards.`);
    }
    const n = nullableString(c.params, 'account_holder_name');
    if (n !== undefined) s.account_holder_name = n;
    const t = optEnum(c.params, 'account_holder_type', ['individual', 'company'] as const);
    if (t !== undefined) s.account_holder_type = t;
  }
  s.metadata = mergeMetadata(s.metadata ?? {}, c.params.metadata);
  return save(c.ctx, s);
}

async function deleteSource(c: Call): Promise<Obj> {
  checkKeys(c.params, ['expand']);
  const customer = await customerOf(c);
  const s = await sourceOf(c);
  await remove(c.ctx, s.id);
  if (customer.default_source === s.id) {
    // As Stripe does, the most recently added remaining source becomes the default.
    const rest = await all(c.ctx, 'source', (w) => w.add('parent = ?', customer.id));
    customer.default_source = rest[0]?.id ?? null;
    await save(c.ctx, customer);
  }
  return { id: s.id, object: s.object, deleted: true };
}

async function verifySource(c: Call): Promise<Obj> {
  checkKeys(c.params, ['amounts', 'expand', 'verification_method']);
  await customerOf(c);
  const s = await sourceOf(c);
  if (s.object !== 'bank_account') throw stripeError(400, `Only bank accounts can be verified; ${s.id} is a ${s.object}.`, { param: 'id' });
  const amounts = optArray(c.params, 'amounts');
  if (!amounts || amounts.length === 0) throw paramMissing('amounts');
  if (s.status === 'verified') throw stripeError(400, 'This bank account has already been verified.', { code: 'bank_account_unusable' });
  if (s.status === 'verification_failed' || s.status === 'errored') {
    throw stripeError(400, 'This bank account has failed verification and cannot be verified again; add it again to retry.', { code: 'bank_account_verification_failed' });
  }
  if (amounts.length !== 2) throw paramInvalid('amounts', 'You must provide exactly two amounts to verify a bank account.');
  const ints = amounts.map((a, i) => toInt(a, `amounts[${i}]`));
  if (ints[0] !== 32 || ints[1] !== 45) {
    // Stripe allows ten attempts, then fails the account.
    s._verify_attempts = Number(s._verify_attempts ?? 0) + 1;
    if (s._verify_attempts >= 10) s.status = 'verification_failed';
    await save(c.ctx, s);
    throw stripeError(400, 'The amounts provided do not match the amounts that were sent to the bank account.', { code: 'bank_account_verification_failed', param: 'amounts' });
  }
  s.status = 'verified';
  delete s._verify_attempts;
  return save(c.ctx, s);
}

async function listSources(c: Call): Promise<Obj> {
  checkKeys(c.params, [...LIST_KEYS, 'object']);
  const page = pageParams(c.params);
  const customer = await customerOf(c);
  const object = optString(c.params, 'object');
  if (object !== undefined && !['card', 'bank_account', 'source'].includes(object)) throw paramInvalid('object', 'Invalid object: must be one of card, bank_account, or source');
  return listPage(
    c.ctx,
    'source',
    (w) => {
      w.add('parent = ?', customer.id);
      if (object) w.add(`data->>'object' = ?`, object);
    },
    page,
    `/v1/customers/${customer.id}/sources`,
  );
}

async function retrieveSource(c: Call): Promise<Obj> {
  checkKeys(c.params, ['expand']);
  await customerOf(c);
  return sourceOf(c);
}

// ---- funding instructions (bank transfers into the customer balance)

const TRANSFER: Record<string, { currency: string; country?: string; types: string[] }> = {
  eu_bank_transfer: { currency: 'eur', types: ['iban'] },
  gb_bank_transfer: { currency: 'gbp', country: 'GB', types: ['sort_code'] },
  jp_bank_transfer: { currency: 'jpy', country: 'JP', types: ['zengin'] },
  mx_bank_transfer: { currency: 'mxn', country: 'MX', types: ['spei'] },
  us_bank_transfer: { currency: 'usd', country: 'US', types: ['aba', 'swift'] },
};
const EU_COUNTRIES = ['BE', 'DE', 'ES', 'FR', 'IE', 'NL'];

function addr(country: string, line1: string, city: string, postal: string, state: string | null = null): Obj {
  return { city, country, line1, line2: null, postal_code: postal, state };
}

function financialAddress(type: string, seed: string, country: string): Obj {
  const holder = 'Stripe Payments Company';
  switch (type) {
    case 'iban': {
      const body = digitsOf(`iban:${seed}`, 20);
      return {
        iban: {
          account_holder_address: addr(country, '1 Test Street', 'Dublin', 'D02 H210'),
          account_holder_name: 'Stripe Technology Europe Limited',
          bank_address: addr(country, '10 Test Bank Road', 'Dublin', 'D02 H210'),
          bic: `SXPY${country}XX`,
          country,
          iban: `${country}${body.slice(0, 2)}${body.slice(2)}`,
        },
        supported_networks: ['sepa'],
        type,
      };
    }
    case 'sort_code':
      return {
        sort_code: {
          account_holder_address: addr('GB', '1 Test Street', 'London', 'EC1A 1BB'),
          account_holder_name: holder,
          account_number: digitsOf(`gb:${seed}`, 8),
          bank_address: addr('GB', '10 Test Bank Road', 'London', 'EC1A 1BB'),
          sort_code: '108800',
        },
        supported_networks: ['bacs', 'fps'],
        type,
      };
    case 'zengin':
      return {
        supported_networks: ['zengin'],
        type,
        zengin: {
          account_holder_address: addr('JP', '1-1 Test', 'Tokyo', '100-0001'),
          account_holder_name: 'ストライプジャパン（カ',
          account_number: digitsOf(`jp:${seed}`, 7),
          account_type: 'futsu',
          bank_address: addr('JP', '1-1 Test Bank', 'Tokyo', '100-0001'),
          bank_code: '0009',
          bank_name: 'Test Bank',
          branch_code: '963',
          branch_name: 'Test Branch',
        },
      };
    case 'spei':
      return {
        spei: {
          account_holder_address: addr('MX', '1 Calle Prueba', 'Ciudad de México', '06600'),
          account_holder_name: holder,
          bank_address: addr('MX', '10 Calle Banco', 'Ciudad de México', '06600'),
          bank_code: '002',
          bank_name: 'BANAMEX',
          clabe: `002180${digitsOf(`mx:${seed}`, 12)}`,
        },
        supported_networks: ['spei'],
        type,
      };
    case 'aba':
      return {
        aba: {
          account_holder_address: addr('US', '354 Oyster Point Blvd', 'South San Francisco', '94080', 'CA'),
          account_holder_name: holder,
          account_number: digitsOf(`aba:${seed}`, 12),
          account_type: 'checking',
          bank_address: addr('US', '1 Test Bank Plaza', 'New York', '10001', 'NY'),
          bank_name: 'Test Bank',
          routing_number: '101019644',
        },
        supported_networks: ['ach', 'domestic_wire_us'],
        type,
      };
    default:
      return {
        supported_networks: ['swift'],
        swift: {
          account_holder_address: addr('US', '354 Oyster Point Blvd', 'South San Francisco', '94080', 'CA'),
          account_holder_name: holder,
          account_number: digitsOf(`swift:${seed}`, 12),
          account_type: 'checking',
          bank_address: addr('US', '1 Test Bank Plaza', 'New York', '10001', 'NY'),
          bank_name: 'Test Bank',
          swift_code: 'TSTBUS33XXX',
        },
        type,
      };
  }
}

async function fundingInstructions(c: Call): Promise<Obj> {
  checkKeys(c.params, ['bank_transfer', 'currency', 'expand', 'funding_type']);
  const customer = await customerOf(c);
  const bt = optObject(c.params, 'bank_transfer');
  if (!bt) throw paramMissing('bank_transfer');
  const currencyRaw = optString(c.params, 'currency');
  if (!currencyRaw) throw paramMissing('currency');
  const fundingType = optString(c.params, 'funding_type');
  if (!fundingType) throw paramMissing('funding_type');
  if (fundingType !== 'bank_transfer') throw paramInvalid('funding_type', 'Invalid funding_type: must be bank_transfer');
  checkKeys(bt, ['eu_bank_transfer', 'requested_address_types', 'type']);
  const type = optString(bt, 'type', 'bank_transfer[type]');
  if (!type) throw paramMissing('bank_transfer[type]');
  const spec = TRANSFER[type];
  if (!spec) throw paramInvalid('bank_transfer[type]', `Invalid bank_transfer[type]: must be one of ${Object.keys(TRANSFER).join(', ')}`);
  const currency = currencyRaw.toLowerCase();
  if (currency !== spec.currency) {
    throw paramInvalid('currency', `The currency ${currency} is not supported for ${type}; use ${spec.currency}.`);
  }
  let country = spec.country;
  if (type === 'eu_bank_transfer') {
    const eu = optObject(bt, 'eu_bank_transfer', 'bank_transfer[eu_bank_transfer]');
    const cc = eu ? optString(eu, 'country', 'bank_transfer[eu_bank_transfer][country]') : undefined;
    if (!cc) throw paramMissing('bank_transfer[eu_bank_transfer][country]');
    if (!EU_COUNTRIES.includes(cc.toUpperCase())) {
      throw paramInvalid('bank_transfer[eu_bank_transfer][country]', `Invalid country: must be one of ${EU_COUNTRIES.join(', ')}`);
    }
    country = cc.toUpperCase();
  } else if (bt.eu_bank_transfer !== undefined) {
    throw paramInvalid('bank_transfer[eu_bank_transfer]', 'bank_transfer[eu_bank_transfer] is only valid when bank_transfer[type] is eu_bank_transfer.');
  }
  const requested = optArray(bt, 'requested_address_types', 'bank_transfer[requested_address_types]')?.map(String);
  const allowed = type === 'us_bank_transfer' ? ['aba', 'swift'] : spec.types;
  for (const r of requested ?? []) {
    if (!allowed.includes(r)) throw paramInvalid('bank_transfer[requested_address_types]', `Invalid requested_address_types for ${type}: ${r} (allowed: ${allowed.join(', ')})`);
  }
  const types = requested?.length ? allowed.filter((t) => requested.includes(t)) : type === 'us_bank_transfer' ? ['aba'] : spec.types;
  return {
    object: 'funding_instructions',
    bank_transfer: {
      country: country as string,
      financial_addresses: types.map((t) => financialAddress(t, `${customer.id}:${country}`, country as string)),
      type,
    },
    currency,
    funding_type: 'bank_transfer',
    livemode: false,
  };
}

export const sourceRoutes: Route[] = [
  { method: 'GET', path: '/v1/customers/{id}/sources', handler: listSources },
  { method: 'POST', path: '/v1/customers/{id}/sources', handler: createSource },
  { method: 'GET', path: '/v1/customers/{id}/sources/{id}', handler: retrieveSource },
  { method: 'POST', path: '/v1/customers/{id}/sources/{id}', handler: updateSource },
  { method: 'DELETE', path: '/v1/customers/{id}/sources/{id}', handler: deleteSource },
  { method: 'POST', path: '/v1/customers/{id}/sources/{id}/verify', handler: verifySource },
  { method: 'POST', path: '/v1/customers/{id}/funding_instructions', handler: fundingInstructions },
];
