import type { SQL } from 'bun';
import type { Params } from '../../_kit/http.ts';
import type { KitContext, RecordsOutcome } from '../../_kit/types.ts';
import { isKitError } from '../../_kit/errors.ts';
import { newId, nowSeconds } from './ids.ts';
import { newCustomer } from './handlers/customers.ts';
import { applyTotals, newInvoice } from './handlers/invoices.ts';
import { attachTo, newItem } from './handlers/invoiceitems.ts';
import { buildPrice } from './handlers/prices.ts';
import { all, insert, type Obj } from './store.ts';

/**
 * Records from an AI seed (or a harness), validated one by one: a bad record is rejected
 * with a reason and counted, never thrown. Entities are written in dependency order and
 * later ones refer to earlier ones (or to fixture objects) by name, email, lookup key or id.
 *
 *   customers: { name, email, phone?, description?, metadata?, balance? }
 *   products:  { name, description?, active?, metadata? }
 *   prices:    { product: name|id, unit_amount, currency?='usd', interval?: day|week|month|year,
 *                nickname?, lookup_key? }
 *   invoices:  { customer: email|name|id, status?: draft|open|paid|void|uncollectible,
 *                items: [{ description, amount } | { price: lookup_key|id, quantity? }],
 *                description?, collection_method?: charge_automatically|send_invoice,
 *                days_until_due? }
 */
type Rec = Record<string, unknown>;
const s = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
const ENTITIES = ['customers', 'products', 'prices', 'invoices'];
const STATUSES = ['draft', 'open', 'paid', 'void', 'uncollectible'];

export async function seedStripeRecords(ctx: KitContext, records: Record<string, unknown[]>): Promise<RecordsOutcome> {
  const out: RecordsOutcome = { written: 0, rejected: 0, rejections: [], warnings: [] };
  const accounts = await ctx.db.unsafe('select name, country, default_currency from accounts limit 1');
  const account = { name: String(accounts[0]?.name ?? 'Asym Test Account'), country: String(accounts[0]?.country ?? 'US') };
  const reject = (entity: string, index: number, reason: string) => {
    out.rejected++;
    out.rejections.push({ entity, index, reason });
  };
  for (const e of Object.keys(records)) if (!ENTITIES.includes(e)) out.warnings.push(`unknown entity ${e}; skipped`);
  const now = nowSeconds();
  const metadata = (m: unknown): Record<string, string> =>
    m && typeof m === 'object' && !Array.isArray(m) ? Object.fromEntries(Object.entries(m as Rec).slice(0, 50).map(([k, v]) => [k.slice(0, 40), String(v).slice(0, 500)])) : {};

  const customers = await all(ctx, 'customer');
  for (const [i, raw] of (records.customers ?? []).entries()) {
    const r = (raw ?? {}) as Rec;
    const name = s(r.name);
    const email = s(r.email);
    if (!name) {
      reject('customers', i, 'name is required');
      continue;
    }
    if (email && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) {
      reject('customers', i, 'email is not an email address');
      continue;
    }
    if (email && customers.some((c) => c.email === email)) {
      reject('customers', i, `a customer with email ${email} exists already`);
      continue;
    }
    const c = newCustomer(now - (records.customers!.length - i) * 60);
    Object.assign(c, { name, email: email ?? null, phone: s(r.phone) ?? null, description: s(r.description) ?? null, metadata: metadata(r.metadata) });
    if (r.balance !== undefined) {
      if (!Number.isInteger(r.balance)) {
        reject('customers', i, 'balance must be an integer amount in cents');
        continue;
      }
      c.balance = r.balance;
      c.currency = 'usd';
    }
    await insert(ctx, 'customer', c);
    customers.unshift(c);
    out.written++;
  }

  const products = await all(ctx, 'product');
  for (const [i, raw] of (records.products ?? []).entries()) {
    const r = (raw ?? {}) as Rec;
    const name = s(r.name);
    if (!name) {
      reject('products', i, 'name is required');
      continue;
    }
    const t = now - (records.products!.length - i) * 60;
    const p: Obj = {
      id: newId('prod'),
      object: 'product',
      active: r.active === undefined ? true : r.active === true,
      created: t,
      default_price: null,
      description: s(r.description) ?? null,
      images: [],
      livemode: false,
      marketing_features: [],
      metadata: metadata(r.metadata),
      name,
      package_dimensions: null,
      shippable: null,
      statement_descriptor: null,
      tax_code: null,
      tax_details: null,
      type: 'service',
      unit_label: null,
      updated: t,
      url: null,
    };
    await insert(ctx, 'product', p);
    products.unshift(p);
    out.written++;
  }

  const prices = await all(ctx, 'price');
  for (const [i, raw] of (records.prices ?? []).entries()) {
    const r = (raw ?? {}) as Rec;
    const ref = s(r.product);
    const product = products.find((p) => p.id === ref || p.name === ref);
    if (!product) {
      reject('prices', i, `no product named ${ref ?? '(missing)'}`);
      continue;
    }
    const lookup = s(r.lookup_key);
    if (lookup && prices.some((p) => p.lookup_key === lookup)) {
      reject('prices', i, `lookup_key ${lookup} is taken`);
      continue;
    }
    const params: Params = { product: product.id, currency: s(r.currency) ?? 'usd', unit_amount: r.unit_amount as never, nickname: s(r.nickname), lookup_key: lookup };
    if (r.interval !== undefined) params.recurring = { interval: String(r.interval) };
    let price: Obj;
    try {
      price = buildPrice(params);
    } catch (e) {
      reject('prices', i, isKitError(e) ? e.message : String(e));
      continue;
    }
    await insert(ctx, 'price', price);
    prices.unshift(price);
    if (!product.default_price) {
      product.default_price = price.id;
      await ctx.db.unsafe(`update stripe_objects set data = jsonb_set(data, '{default_price}', to_jsonb($2::text)) where id = $1`, [product.id, price.id]);
    }
    out.written++;
  }

  for (const [i, raw] of (records.invoices ?? []).entries()) {
    const r = (raw ?? {}) as Rec;
    const ref = s(r.customer);
    const customer = customers.find((c) => c.id === ref || c.email === ref || c.name === ref);
    if (!customer) {
      reject('invoices', i, `no customer ${ref ?? '(missing)'}`);
      continue;
    }
    const status = s(r.status) ?? 'draft';
    if (!STATUSES.includes(status)) {
      reject('invoices', i, `status must be one of ${STATUSES.join(', ')}`);
      continue;
    }
    const rawItems = Array.isArray(r.items) ? (r.items as Rec[]) : [];
    if (rawItems.length === 0) {
      reject('invoices', i, 'items must list at least one line');
      continue;
    }
    const created = now - (records.invoices!.length - i) * 3600;
    const inv = newInvoice(customer, account, 'usd', created);
    inv.description = s(r.description) ?? null;
    if (r.collection_method === 'send_invoice') {
      inv.collection_method = 'send_invoice';
      inv.due_date = created + (Number.isInteger(r.days_until_due) ? (r.days_until_due as number) : 30) * 86_400;
    }
    const items: Obj[] = [];
    let bad: string | null = null;
    for (const [j, it] of rawItems.entries()) {
      const item = newItem(customer.id, created);
      attachTo(ctx, item, inv.id);
      item.description = s(it?.description) ?? null;
      const q = it?.quantity === undefined ? 1 : Number(it.quantity);
      if (!Number.isInteger(q) || q < 1) {
        bad = `items[${j}].quantity must be a positive integer`;
        break;
      }
      item.quantity = q;
      item.quantity_decimal = String(q);
      const pref = s(it?.price);
      if (pref) {
        const price = prices.find((p) => p.id === pref || p.lookup_key === pref);
        if (!price || price.unit_amount === null) {
          bad = `items[${j}].price: no per-unit price ${pref}`;
          break;
        }
        item.amount = price.unit_amount * q;
        item.pricing = { price_details: { price: price.id, product: price.product }, type: 'price_details', unit_amount_decimal: price.unit_amount_decimal };
        item.description ??= products.find((p) => p.id === price.product)?.name ?? null;
      } else if (Number.isInteger(it?.amount)) {
        item.amount = it.amount as number;
        item._unit = item.amount / q;
        item.pricing = { type: 'price_details', unit_amount_decimal: String(item.amount / q) };
      } else {
        bad = `items[${j}] needs an integer amount (cents) or a price`;
        break;
      }
      item.net_amount = item.amount;
      items.push(item);
    }
    if (bad) {
      reject('invoices', i, bad);
      continue;
    }
    applyTotals(inv, items);
    if (status !== 'draft') {
      const seq = Number(customer.next_invoice_sequence ?? 1);
      customer.next_invoice_sequence = seq + 1;
      await ctx.db.unsafe(`update stripe_objects set data = jsonb_set(data, '{next_invoice_sequence}', to_jsonb($2::int)) where id = $1`, [customer.id, seq + 1]);
      const fin = created + 60;
      Object.assign(inv, { number: `${customer.invoice_prefix}-${String(seq).padStart(4, '0')}`, status, effective_at: fin, starting_balance: 0, ending_balance: 0 });
      inv.amount_due = Math.max(0, inv.total);
      inv.amount_remaining = inv.amount_due;
      inv.status_transitions.finalized_at = fin;
      if (status === 'paid') {
        Object.assign(inv, { amount_paid: inv.amount_due, amount_remaining: 0, attempted: true, attempt_count: 1 });
        inv.status_transitions.paid_at = fin + 60;
      }
      if (status === 'void') inv.status_transitions.voided_at = fin + 60;
      if (status === 'uncollectible') inv.status_transitions.marked_uncollectible_at = fin + 60;
    }
    await insert(ctx, 'invoice', inv);
    for (const item of items) await insert(ctx, 'invoiceitem', item);
    out.written++;
  }
  return out;
}

/** Before a forced re-seed: every vendor object goes (accounts and keys stay). */
export async function clearStripeSeeded(_ctx: KitContext, tx: SQL): Promise<void> {
  await tx`delete from stripe_objects`;
}
