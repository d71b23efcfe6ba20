import type { Params } from '../../../_kit/http.ts';
import type { KitContext } from '../../../_kit/types.ts';
import type { Call, Route } from '../api.ts';
import { missing, paramInvalid, paramMissing, stripeError } from '../errors.ts';
import { newId, nowSeconds } from '../ids.ts';
import { LIST_KEYS, checkKeys, mergeMetadata, nullableString, optInt, optRange, optString, pageParams, reqString } from '../params.ts';
import { getRow, insert, listPage, mustGet, remove, save, type Obj } from '../store.ts';

/**
 * A customer's satellites: balance transactions (which move `customer.balance`), tax ids,
 * the cash balance, and the payment-method/source lists. Payment instruments are not
 * emulated, so those lists are honestly empty and their retrieves are Stripe's 404.
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

// ---- cash balance (Stripe's object exists for every customer; nothing funds it here)

function cashBalance(customer: Obj): Obj {
  const settings = customer._cash_balance_settings ?? { reconciliation_mode: 'automatic', using_merchant_default: true };
  return { object: 'cash_balance', available: null, customer: customer.id, customer_account: null, livemode: false, settings };
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

function emptyList(url: string): Obj {
  return { object: 'list', data: [], has_more: false, url };
}

async function listEmpty(c: Call, suffix: string, extra: string[] = []): Promise<Obj> {
  checkKeys(c.params, [...LIST_KEYS, ...extra]);
  pageParams(c.params);
  const customer = await customerOf(c);
  return emptyList(`/v1/customers/${customer.id}/${suffix}`);
}

async function noSuch(c: Call, kind: string): Promise<Obj> {
  checkKeys(c.params, ['expand']);
  await customerOf(c);
  throw missing(kind, c.ids[1] as string);
}

async function deleteDiscount(c: Call): Promise<Obj> {
  checkKeys(c.params, []);
  const customer = await customerOf(c);
  throw stripeError(404, `Customer ${customer.id} does not have a discount.`, { code: 'resource_missing' });
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
  { method: 'GET', path: '/v1/customers/{id}/cash_balance_transactions', handler: (c) => listEmpty(c, 'cash_balance_transactions') },
  { method: 'GET', path: '/v1/customers/{id}/cash_balance_transactions/{id}', handler: (c) => noSuch(c, 'cash_balance_transaction') },
  { method: 'GET', path: '/v1/customers/{id}/payment_methods', handler: (c) => listEmpty(c, 'payment_methods', ['type', 'allow_redisplay']) },
  { method: 'GET', path: '/v1/customers/{id}/payment_methods/{id}', handler: (c) => noSuch(c, 'payment_method') },
  { method: 'DELETE', path: '/v1/customers/{id}/discount', handler: deleteDiscount },
];
