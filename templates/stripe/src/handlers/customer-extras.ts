import type { Params } from '../../../_kit/http.ts';
import type { KitContext } from '../../../_kit/types.ts';
import type { Call, Route } from '../api.ts';
import { missing, paramInvalid, paramMissing } from '../errors.ts';
import { newId, nowSeconds } from '../ids.ts';
import { LIST_KEYS, checkKeys, mergeMetadata, nullableString, optInt, optRange, optString, pageParams, reqString } from '../params.ts';
import { getRow, insert, listPage, mustGet, pageArray, remove, save, type Obj } from '../store.ts';

/**
 * A customer's satellites: balance transactions (which move `customer.balance`), tax ids,
 * the cash balance, and the payment-method lists: the customer's PaymentMethods (pm_…) and,
 * as on Stripe, each card attached as a source (card_…), a PaymentMethod of type card. A cash balance is funded only by Stripe's test helper
 * (POST /v1/test_helpers/customers/{id}/fund_cash_balance, an incoming test-mode bank
 * transfer): each funding is a customer_cash_balance_transaction of type `funded` and raises
 * `cash_balance.available[currency]`. (A customer's discount is coupons.ts's.)
 */

async function customerOf(c: Call): Promise<Obj> {
  return mustGet(c.ctx, 'customer', c.ids[0] as string, 'customer');
}

async function childOf(c: Call, kind: string): Promise<Obj> {
  const id = c.ids[1] as string;
  const row = await getRow(c.ctx, id);
  if (!row || row.kind !== kind || row.deleted || row.parent !== c.ids[0]) throw missing(kind, id);
  return row.data;
}

// ---- balance transactions

export async function addBalanceTransaction(ctx: KitContext, customer: Obj, amount: number, currency: string, extra: Obj = {}): Promise<Obj> {
  // Atomic in SQL, so a concurrent update of the customer cannot lose the movement.
  const rows = await ctx.db.unsafe(
    `update stripe_objects set data = data || jsonb_build_object('balance', coalesce((data->>'balance')::bigint, 0) + $2::bigint, 'currency', coalesce(data->>'currency', $3::text))
      where id = $1 returning (data->>'balance')::bigint as balance`,
    [customer.id, amount, currency],
  );
  customer.balance = Number(rows[0]?.balance ?? Number(customer.balance ?? 0) + amount);
  customer.currency ??= currency;
  const txn: Obj = {
    id: newId('cbtxn'),
    object: 'customer_balance_transaction',
    amount,
    checkout_session: null,
    created: nowSeconds(),
    credit_note: null,
    currency,
    customer: customer.id,
    customer_account: null,
    description: null,
    ending_balance: customer.balance,
    invoice: null,
    livemode: false,
    metadata: {},
    type: 'adjustment',
    ...extra,
  };
  return insert(ctx, 'customer_balance_transaction', txn, customer.id);
}

async function createBalanceTxn(c: Call): Promise<Obj> {
  checkKeys(c.params, ['amount', 'currency', 'description', 'expand', 'metadata']);
  const customer = await customerOf(c);
  const amount = optInt(c.params, 'amount');
  if (amount === undefined) throw paramMissing('amount');
  const currency = reqString(c.params, 'currency').toLowerCase();
  if (customer.currency && customer.currency !== currency) {
    throw paramInvalid('currency', `The currency ${currency} does not match the customer's currency ${customer.currency}.`);
  }
  return addBalanceTransaction(c.ctx, customer, amount, currency, {
    description: nullableString(c.params, 'description') ?? null,
    metadata: mergeMetadata({}, c.params.metadata),
  });
}

async function listBalanceTxns(c: Call): Promise<Obj> {
  checkKeys(c.params, [...LIST_KEYS, 'created', 'invoice']);
  const customer = await customerOf(c);
  const invoice = optString(c.params, 'invoice');
  const created = optRange(c.params, 'created');
  return listPage(
    c.ctx,
    'customer_balance_transaction',
    (w) => {
      w.add('parent = ?', customer.id);
      if (invoice) w.add(`data->>'invoice' = ?`, invoice);
      if (created?.gte !== undefined) w.add('created >= ?', created.gte);
      if (created?.lte !== undefined) w.add('created <= ?', created.lte);
      if (created?.gt !== undefined) w.add('created > ?', created.gt);
      if (created?.lt !== undefined) w.add('created < ?', created.lt);
    },
    pageParams(c.params),
    `/v1/customers/${customer.id}/balance_transactions`,
  );
}

async function retrieveBalanceTxn(c: Call): Promise<Obj> {
  checkKeys(c.params, ['expand']);
  await customerOf(c);
  return childOf(c, 'customer_balance_transaction');
}

async function updateBalanceTxn(c: Call): Promise<Obj> {
  checkKeys(c.params, ['description', 'expand', 'metadata']);
  await customerOf(c);
  const t = await childOf(c, 'customer_balance_transaction');
  const d = nullableString(c.params, 'description');
  if (d !== undefined) t.description = d;
  t.metadata = mergeMetadata(t.metadata ?? {}, c.params.metadata);
  return save(c.ctx, t);
}

// ---- tax ids

export async function createTaxId(ctx: KitContext, customerId: string, p: Params, label = ''): Promise<Obj> {
  const type = p.type === undefined || p.type === '' ? undefined : String(p.type);
  const value = p.value === undefined || p.value === '' ? undefined : String(p.value);
  if (!type) throw paramMissing(label ? `${label}[type]` : 'type');
  if (!value) throw paramMissing(label ? `${label}[value]` : 'value');
  if (!/^[a-z]{2}_[a-z_]+$/.test(type)) throw paramInvalid(label ? `${label}[type]` : 'type', `Invalid value for type: ${type}`);
  const txi: Obj = {
    id: newId('txi'),
    object: 'tax_id',
    country: type === 'eu_vat' ? value.slice(0, 2).toUpperCase() : type.slice(0, 2).toUpperCase(),
    created: nowSeconds(),
    customer: customerId,
    customer_account: null,
    livemode: false,
    owner: { customer: customerId, customer_account: null, type: 'customer' },
    type,
    value,
    verification: { status: 'unverified', verified_address: null, verified_name: null },
  };
  return insert(ctx, 'tax_id', txi, customerId);
}

async function createTax(c: Call): Promise<Obj> {
  checkKeys(c.params, ['expand', 'type', 'value']);
  const customer = await customerOf(c);
  return createTaxId(c.ctx, customer.id, c.params);
}

async function listTax(c: Call): Promise<Obj> {
  checkKeys(c.params, [...LIST_KEYS]);
  const customer = await customerOf(c);
  return listPage(c.ctx, 'tax_id', (w) => w.add('parent = ?', customer.id), pageParams(c.params), `/v1/customers/${customer.id}/tax_ids`);
}

async function retrieveTax(c: Call): Promise<Obj> {
  checkKeys(c.params, ['expand']);
  await customerOf(c);
  return childOf(c, 'tax_id');
}

async function deleteTax(c: Call): Promise<Obj> {
  checkKeys(c.params, []);
  await customerOf(c);
  const t = await childOf(c, 'tax_id');
  await remove(c.ctx, t.id);
  return { id: t.id, object: 'tax_id', deleted: true };
}

// ---- cash balance: Stripe's object exists for every customer; only the test helper funds it

/** The bank-transfer type a funding in each cash-balance currency arrives by. */
const BANK_TRANSFER_BY_CURRENCY: Record<string, string> = {
  eur: 'eu_bank_transfer',
  gbp: 'gb_bank_transfer',
  jpy: 'jp_bank_transfer',
  mxn: 'mx_bank_transfer',
  usd: 'us_bank_transfer',
};

/** The sender details of a test-mode transfer: the helper names no sender, so they are null. */
const SENDER: Record<string, Obj> = {
  eu_bank_transfer: { bic: null, iban_last4: null, sender_name: null },
  gb_bank_transfer: { account_number_last4: null, sender_name: null, sort_code: null },
  jp_bank_transfer: { sender_bank: null, sender_branch: null, sender_name: null },
  us_bank_transfer: { sender_name: null },
};

function cashBalance(customer: Obj): Obj {
  const settings = customer._cash_balance_settings ?? { reconciliation_mode: 'automatic', using_merchant_default: true };
  const funds = customer._cash_available as Record<string, number> | undefined;
  const available = funds && Object.keys(funds).length ? { ...funds } : null;
  return { object: 'cash_balance', available, customer: customer.id, customer_account: null, livemode: false, settings };
}

async function retrieveCash(c: Call): Promise<Obj> {
  checkKeys(c.params, ['expand']);
  return cashBalance(await customerOf(c));
}

async function updateCash(c: Call): Promise<Obj> {
  checkKeys(c.params, ['expand', 'settings']);
  const customer = await customerOf(c);
  const s = c.params.settings as Params | undefined;
  if (s && typeof s === 'object') {
    const mode = s.reconciliation_mode === undefined ? undefined : String(s.reconciliation_mode);
    if (mode !== undefined) {
      if (!['automatic', 'manual', 'merchant_default'].includes(mode)) throw paramInvalid('settings[reconciliation_mode]', `Invalid reconciliation_mode: ${mode}`);
      customer._cash_balance_settings = mode === 'merchant_default'
        ? { reconciliation_mode: 'automatic', using_merchant_default: true }
        : { reconciliation_mode: mode, using_merchant_default: false };
      await save(c.ctx, customer);
    }
  }
  return cashBalance(customer);
}

/**
 * Test helper: an incoming bank transfer of `amount` into the customer's cash balance. The
 * balance moves in SQL (like addBalanceTransaction), so concurrent fundings all count.
 */
async function fundCashBalance(c: Call): Promise<Obj> {
  checkKeys(c.params, ['amount', 'currency', 'expand', 'reference']);
  const customer = await customerOf(c);
  const amount = optInt(c.params, 'amount');
  if (amount === undefined) throw paramMissing('amount');
  if (amount < 1) throw paramInvalid('amount', 'This value must be greater than or equal to 1.', 'parameter_invalid_integer');
  const currency = reqString(c.params, 'currency').toLowerCase();
  const type = BANK_TRANSFER_BY_CURRENCY[currency];
  if (!type) {
    throw paramInvalid('currency', `Invalid currency: ${currency}. Cash balances can be funded in ${Object.keys(BANK_TRANSFER_BY_CURRENCY).join(', ')}.`);
  }
  const reference = nullableString(c.params, 'reference') ?? null;
  const rows = await c.ctx.db.unsafe(
    `update stripe_objects
        set data = jsonb_set(data, '{_cash_available}', coalesce(data->'_cash_available', '{}'::jsonb)
          || jsonb_build_object($2::text, coalesce((data->'_cash_available'->>$2::text)::bigint, 0) + $3::bigint))
      where id = $1 returning (data->'_cash_available'->>$2::text)::bigint as balance`,
    [customer.id, currency, amount],
  );
  const txn: Obj = {
    id: newId('ccsbtxn'),
    object: 'customer_cash_balance_transaction',
    created: nowSeconds(),
    currency,
    customer: customer.id,
    customer_account: null,
    ending_balance: Number(rows[0]?.balance ?? amount),
    funded: { bank_transfer: { ...(SENDER[type] ? { [type]: { ...SENDER[type] } } : {}), reference, type } },
    livemode: false,
    net_amount: amount,
    type: 'funded',
  };
  return insert(c.ctx, 'cash_balance_transaction', txn, customer.id);
}

async function listCashTxns(c: Call): Promise<Obj> {
  checkKeys(c.params, [...LIST_KEYS]);
  const customer = await customerOf(c);
  return listPage(c.ctx, 'cash_balance_transaction', (w) => w.add('parent = ?', customer.id), pageParams(c.params), `/v1/customers/${customer.id}/cash_balance_transactions`);
}

async function retrieveCashTxn(c: Call): Promise<Obj> {
  checkKeys(c.params, ['expand']);
  await customerOf(c);
  return childOf(c, 'cash_balance_transaction');
}

// ---- payment methods: the customer's card sources, seen through the PaymentMethods API

const PM_BRANDS: Record<string, string> = {
  Visa: 'visa', MasterCard: 'mastercard', 'American Express': 'amex', Discover: 'discover', 'Diners Club': 'diners', JCB: 'jcb', UnionPay: 'unionpay',
};

export function cardAsPaymentMethod(card: Obj, created: number): Obj {
  const brand = PM_BRANDS[card.brand] ?? 'unknown';
  return {
    id: card.id,
    object: 'payment_method',
    allow_redisplay: card.allow_redisplay ?? 'unspecified',
    billing_details: {
      address: { city: card.address_city, country: card.address_country, line1: card.address_line1, line2: card.address_line2, postal_code: card.address_zip, state: card.address_state },
      email: null,
      name: card.name,
      phone: null,
      tax_id: null,
    },
    card: {
      brand,
      checks: { address_line1_check: card.address_line1_check, address_postal_code_check: card.address_zip_check, cvc_check: card.cvc_check },
      country: card.country,
      display_brand: brand === 'amex' ? 'american_express' : brand === 'diners' ? 'diners_club' : brand,
      exp_month: card.exp_month,
      exp_year: card.exp_year,
      fingerprint: card.fingerprint,
      funding: card.funding,
      generated_from: null,
      last4: card.last4,
      networks: { available: [brand], preferred: null },
      regulated_status: card.regulated_status ?? 'unregulated',
      three_d_secure_usage: { supported: true },
      wallet: null,
    },
    created,
    customer: card.customer,
    customer_account: null,
    livemode: false,
    metadata: card.metadata ?? {},
    type: 'card',
  };
}

/**
 * A customer's PaymentMethods: the PaymentMethods attached to it (`pm_…`) and its card
 * sources seen as PaymentMethods, newest first.
 */
async function listPaymentMethods(c: Call): Promise<Obj> {
  checkKeys(c.params, [...LIST_KEYS, 'type', 'allow_redisplay']);
  const customer = await customerOf(c);
  const type = optString(c.params, 'type');
  const redisplay = optString(c.params, 'allow_redisplay');
  const rows = await c.ctx.db.unsafe(
    `select id, kind, created, data from stripe_objects
      where not deleted and ((kind = 'source' and parent = $1 and data->>'object' = 'card') or (kind = 'payment_method' and data->>'customer' = $1))
      order by created desc, seq desc`,
    [customer.id],
  );
  const all = rows
    .map((r: Record<string, unknown>) => {
      const data = (typeof r.data === 'string' ? JSON.parse(r.data) : r.data) as Obj;
      return r.kind === 'source' ? cardAsPaymentMethod(data, Number(r.created)) : data;
    })
    .filter((pm: Obj) => (!type || pm.type === type) && (!redisplay || (pm.allow_redisplay ?? 'unspecified') === redisplay));
  return pageArray(all, pageParams(c.params), `/v1/customers/${customer.id}/payment_methods`, 'payment_method');
}

async function retrievePaymentMethod(c: Call): Promise<Obj> {
  checkKeys(c.params, ['expand']);
  await customerOf(c);
  const id = c.ids[1] as string;
  const row = await getRow(c.ctx, id);
  if (row && row.kind === 'payment_method' && !row.deleted && row.data.customer === c.ids[0]) return row.data;
  if (!row || row.kind !== 'source' || row.deleted || row.parent !== c.ids[0] || row.data.object !== 'card') throw missing('payment_method', id);
  return cardAsPaymentMethod(row.data, row.created);
}

export const customerExtraRoutes: Route[] = [
  { method: 'GET', path: '/v1/customers/{id}/balance_transactions', handler: listBalanceTxns },
  { method: 'POST', path: '/v1/customers/{id}/balance_transactions', handler: createBalanceTxn },
  { method: 'GET', path: '/v1/customers/{id}/balance_transactions/{id}', handler: retrieveBalanceTxn },
  { method: 'POST', path: '/v1/customers/{id}/balance_transactions/{id}', handler: updateBalanceTxn },
  { method: 'GET', path: '/v1/customers/{id}/tax_ids', handler: listTax },
  { method: 'POST', path: '/v1/customers/{id}/tax_ids', handler: createTax },
  { method: 'GET', path: '/v1/customers/{id}/tax_ids/{id}', handler: retrieveTax },
  { method: 'DELETE', path: '/v1/customers/{id}/tax_ids/{id}', handler: deleteTax },
  { method: 'GET', path: '/v1/customers/{id}/cash_balance', handler: retrieveCash },
  { method: 'POST', path: '/v1/customers/{id}/cash_balance', handler: updateCash },
  { method: 'GET', path: '/v1/customers/{id}/cash_balance_transactions', handler: listCashTxns },
  { method: 'GET', path: '/v1/customers/{id}/cash_balance_transactions/{id}', handler: retrieveCashTxn },
  { method: 'GET', path: '/v1/customers/{id}/payment_methods', handler: listPaymentMethods },
  { method: 'GET', path: '/v1/customers/{id}/payment_methods/{id}', handler: retrievePaymentMethod },
];

/** Stripe's test helpers on customers: routed, but not API operations (not in operations.json). */
export const customerTestHelperRoutes: Route[] = [
  { method: 'POST', path: '/v1/test_helpers/customers/{id}/fund_cash_balance', handler: fundCashBalance },
];
