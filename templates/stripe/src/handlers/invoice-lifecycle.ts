import type { KitContext } from '../../../_kit/types.ts';
import type { Call, Route } from '../api.ts';
import { missing, stripeError } from '../errors.ts';
import { newId, nowSeconds } from '../ids.ts';
import { registerIncludable } from '../expand.ts';
import { withLock } from '../locks.ts';
import { checkKeys, optBool, optString } from '../params.ts';
import { all, getRow, insert, mustGet, save, type Obj } from '../store.ts';
import { addBalanceTransaction } from './customer-extras.ts';
import { applyTotals, itemsOf, renderInvoice } from './invoices.ts';
import { assertReusable, cardError, resolvePaymentMethod } from './payment-methods.ts';

/**
 * The invoice lifecycle: draft → finalize → open → pay → paid, or void / uncollectible.
 * Finalization applies the customer's balance (credit < 0, debt > 0), takes the number
 * `<invoice_prefix>-NNNN` from the customer's `next_invoice_sequence` and freezes the lines;
 * a void gives an applied balance back. Payment always succeeds unless a test-mode
 * declining payment method is named.
 */
const DAY = 86_400;

/** `at`: the time it finalizes at (a test clock's, when advancing it finalizes a draft); else now. */
async function finalizeInvoice(c: Call, inv: Obj, at?: number): Promise<void> {
  // The customer's row changes too (sequence, balance): hold its lock as its own writes do.
  await withLock(String(inv.customer), () => finalizeLocked(c, inv, at));
}

/**
 * Stripe's automatic finalization of an auto-advancing draft, about an hour after it was
 * created, as a test clock's advance runs it (stamped at automatically_finalizes_at, saved).
 */
export async function autoFinalize(c: Call, inv: Obj): Promise<Obj> {
  await finalizeInvoice(c, inv, Number(inv.automatically_finalizes_at));
  await save(c.ctx, inv);
  return inv;
}

async function finalizeLocked(c: Call, inv: Obj, at?: number): Promise<void> {
  const items = await itemsOf(c.ctx, inv.id);
  applyTotals(inv, items);
  const now = at ?? nowSeconds();
  const custRow = await getRow(c.ctx, inv.customer);
  const customer = custRow && !custRow.deleted ? custRow.data : null;
  if (customer) {
    inv.customer_address = customer.address ?? null;
    inv.customer_email = customer.email ?? null;
    inv.customer_name = customer.name ?? null;
    inv.customer_phone = customer.phone ?? null;
    inv.customer_shipping = customer.shipping ?? null;
    inv.customer_tax_exempt = customer.tax_exempt ?? 'none';
  }
  if (!inv.number) {
    if (customer) {
      // Taken atomically: concurrent finalizations of one customer never share a number.
      const rows = await c.ctx.db.unsafe(
        `update stripe_objects set data = jsonb_set(data, '{next_invoice_sequence}', to_jsonb(coalesce((data->>'next_invoice_sequence')::int, 1) + 1))
          where id = $1 returning (data->>'next_invoice_sequence')::int - 1 as seq, data->>'invoice_prefix' as prefix`,
        [customer.id],
      );
      const seq = Number(rows[0]?.seq ?? customer.next_invoice_sequence ?? 1);
      inv.number = `${rows[0]?.prefix ?? customer.invoice_prefix}-${String(seq).padStart(4, '0')}`;
      customer.next_invoice_sequence = seq + 1;
    } else {
      inv.number = `${inv.id.slice(3, 11).toUpperCase()}-0001`;
    }
  }
  // The customer's balance (credit < 0, debt > 0) is applied at finalization.
  const balance = Number(customer?.balance ?? 0);
  const raw = inv.total + balance;
  inv.starting_balance = balance;
  inv.ending_balance = Math.min(0, raw);
  inv.amount_due = Math.max(0, raw);
  inv.amount_paid = 0;
  inv.amount_remaining = inv.amount_due;
  if (customer && inv.ending_balance !== balance) {
    await addBalanceTransaction(c.ctx, customer, inv.ending_balance - balance, inv.currency, { type: 'applied_to_invoice', invoice: inv.id });
  }
  inv.status_transitions.finalized_at = now;
  inv.effective_at ??= now;
  inv.automatically_finalizes_at = null;
  if (inv.collection_method === 'send_invoice' && inv.due_date === null) inv.due_date = now + 30 * DAY;
  if (inv.amount_due === 0) {
    inv.status = 'paid';
    inv.status_transitions.paid_at = now;
    inv.auto_advance = false;
    inv.next_payment_attempt = null;
  } else {
    inv.status = 'open';
    inv.next_payment_attempt = inv.collection_method === 'charge_automatically' && inv.auto_advance ? now + 3600 : null;
  }
}

async function finalize(c: Call): Promise<Obj> {
  checkKeys(c.params, ['auto_advance', 'expand']);
  const inv = await mustGet(c.ctx, 'invoice', c.ids[0] as string);
  if (inv.status !== 'draft') {
    throw stripeError(400, "This invoice is already finalized, you can't re-finalize a non-draft invoice.", { code: 'invoice_not_editable' });
  }
  const auto = optBool(c.params, 'auto_advance');
  if (auto !== undefined) inv.auto_advance = auto;
  await finalizeInvoice(c, inv);
  await save(c.ctx, inv);
  return renderInvoice(c.ctx, inv);
}

async function pay(c: Call): Promise<Obj> {
  checkKeys(c.params, ['expand', 'forgive', 'mandate', 'off_session', 'paid_out_of_band', 'payment_method', 'source']);
  const inv = await mustGet(c.ctx, 'invoice', c.ids[0] as string);
  const outOfBand = optBool(c.params, 'paid_out_of_band') ?? false;
  optBool(c.params, 'forgive');
  optBool(c.params, 'off_session');
  // `payment_method`: a stored PaymentMethod (the customer's own, or one not yet attached to
  // anyone) or a test id (pm_card_visa pays; pm_card_chargeDeclined*, pm_card_chargeCustomerFail decline).
  const pmId = optString(c.params, 'payment_method');
  let pm = pmId ? await resolvePaymentMethod(c.ctx, pmId, 'payment_method') : null;
  if (!pm && !outOfBand) {
    // Without one, Stripe charges the invoice's default_payment_method, else the customer's.
    const cus = inv.customer ? (await getRow(c.ctx, inv.customer))?.data : null;
    const defId = (inv.default_payment_method ?? cus?.invoice_settings?.default_payment_method ?? null) as string | null;
    const row = defId ? await getRow(c.ctx, defId) : null;
    if (row && row.kind === 'payment_method' && !row.deleted) pm = row.data;
  }
  if (pm) {
    assertReusable(pm, 'payment_method');
    if (pm.customer && pm.customer !== inv.customer) {
      throw stripeError(400, `The PaymentMethod ${pm.id} belongs to another Customer (${pm.customer}), not ${inv.customer}.`, { param: 'payment_method' });
    }
  }
  const declineCode = pm?.type === 'card' ? ((pm._decline ?? pm._fail_charge) as string | undefined) : undefined;
  const src = optString(c.params, 'source');
  if (src) throw missing('source', src, 'source');
  if (inv.status === 'paid') throw stripeError(400, 'Invoice is already paid', { code: 'invoice_not_editable' });
  if (inv.status === 'void') throw stripeError(400, 'This invoice can no longer be paid because it has been voided.', { code: 'invoice_not_editable' });
  if (inv.status === 'draft') await finalizeInvoice(c, inv);
  const now = nowSeconds();
  if (declineCode && !outOfBand && inv.status !== 'paid') {
    inv.attempted = true;
    inv.attempt_count += 1;
    inv.last_finalization_error = null;
    await save(c.ctx, inv);
    throw cardError(declineCode);
  }
  if (inv.status !== 'paid') {
    if (outOfBand) inv.amount_paid_off_stripe = inv.amount_remaining;
    else {
      inv.attempted = true;
      inv.attempt_count += 1;
    }
    inv.amount_paid = inv.amount_due;
    inv.amount_remaining = 0;
    inv.status = 'paid';
    inv.status_transitions.paid_at = now;
    inv.auto_advance = false;
    inv.next_payment_attempt = null;
  }
  await save(c.ctx, inv);
  return renderInvoice(c.ctx, inv);
}

async function voidInvoice(c: Call): Promise<Obj> {
  checkKeys(c.params, ['expand']);
  const inv = await mustGet(c.ctx, 'invoice', c.ids[0] as string);
  if (inv.status !== 'open' && inv.status !== 'uncollectible') {
    throw stripeError(400, `You can only void open or uncollectible invoices. Invoice ${inv.id} is ${inv.status}.`, { code: 'invoice_not_editable' });
  }
  // A balance applied at finalization goes back to the customer.
  const applied = Number(inv.ending_balance ?? inv.starting_balance) - Number(inv.starting_balance);
  if (applied !== 0) {
    await withLock(String(inv.customer), async () => {
      const row = await getRow(c.ctx, String(inv.customer));
      if (row && !row.deleted) await addBalanceTransaction(c.ctx, row.data, -applied, inv.currency, { type: 'unapplied_from_invoice', invoice: inv.id });
    });
  }
  return settle(c, inv, 'void', 'voided_at');
}

async function markUncollectible(c: Call): Promise<Obj> {
  checkKeys(c.params, ['expand']);
  const inv = await mustGet(c.ctx, 'invoice', c.ids[0] as string);
  if (inv.status !== 'open') {
    throw stripeError(400, `You can only mark open invoices as uncollectible. Invoice ${inv.id} is ${inv.status}.`, { code: 'invoice_not_editable' });
  }
  return settle(c, inv, 'uncollectible', 'marked_uncollectible_at');
}

/** An invoice leaves collection (paid, void, uncollectible): stamp it and stop auto-advance. */
async function settle(c: Call, inv: Obj, status: string, stamp: string, at = nowSeconds()): Promise<Obj> {
  inv.status = status;
  inv.status_transitions[stamp] = at;
  inv.auto_advance = false;
  inv.next_payment_attempt = null;
  await save(c.ctx, inv);
  return renderInvoice(c.ctx, inv);
}

async function send(c: Call): Promise<Obj> {
  checkKeys(c.params, ['expand']);
  const inv = await mustGet(c.ctx, 'invoice', c.ids[0] as string);
  if (inv.status === 'draft' || inv.status === 'void') {
    throw stripeError(400, `You can only send finalized invoices that are not void. Invoice ${inv.id} is ${inv.status}.`, { code: 'invoice_not_editable' });
  }
  inv.webhooks_delivered_at ??= nowSeconds();
  await save(c.ctx, inv);
  return renderInvoice(c.ctx, inv);
}

/**
 * attach_payment (docs: "Attach a payment to an Invoice"): a PaymentIntent of the clone's
 * (404 otherwise; same currency, same customer, not canceled) is added to the invoice's
 * payments. A succeeded one is credited at once (its amount_received, up to the amount
 * remaining); any other waits as an `open` invoice payment and is credited when the intent
 * succeeds. PaymentRecords are not emulated: a well-formed `pr_…` stands for a payment of the
 * whole amount remaining made outside Stripe (`amount_paid_off_stripe`). Fully paid, the
 * invoice becomes `paid`. Only open or uncollectible invoices take payments; one payment
 * attaches to one invoice.
 */
async function attachPayment(c: Call): Promise<Obj> {
  checkKeys(c.params, ['expand', 'payment_intent', 'payment_record']);
  const inv = await mustGet(c.ctx, 'invoice', c.ids[0] as string);
  const pi = optString(c.params, 'payment_intent') || undefined;
  const pr = optString(c.params, 'payment_record') || undefined;
  if (pi && pr) throw stripeError(400, 'You may only specify one of these parameters: payment_intent, payment_record.', { code: 'parameters_exclusive', param: 'payment_intent' });
  if (!pi && !pr) throw stripeError(400, 'You must specify one of these parameters: payment_intent, payment_record.', { code: 'parameter_missing', param: 'payment_intent' });
  const [param, id] = pi ? ['payment_intent', pi] : ['payment_record', pr as string];
  let intent: Obj | null = null;
  if (pi) {
    const row = await getRow(c.ctx, pi);
    if (!row || row.kind !== 'payment_intent') throw missing('payment_intent', pi, 'payment_intent');
    intent = row.data;
  } else if (!/^pr_[A-Za-z0-9]{3,}$/.test(id)) throw missing(param, id, param);
  const taken = await all(c.ctx, 'invoice_payment', (w) => w.add(`data->'payment'->>${pi ? "'payment_intent'" : "'payment_record'"} = ?`, id));
  if (taken.length > 0) {
    throw stripeError(400, `The ${param === 'payment_intent' ? 'PaymentIntent' : 'PaymentRecord'} ${id} is already attached to invoice ${taken[0]?.invoice}.`, { code: 'resource_already_exists', param });
  }
  if (inv.status === 'draft') throw stripeError(400, `Invoice ${inv.id} is a draft; finalize it before attaching a payment.`, { code: 'invoice_not_editable' });
  if (inv.status === 'paid') throw stripeError(400, 'Invoice is already paid', { code: 'invoice_not_editable' });
  if (inv.status === 'void') throw stripeError(400, 'This invoice can no longer be paid because it has been voided.', { code: 'invoice_not_editable' });
  if (intent) {
    if (intent.currency !== inv.currency) throw stripeError(400, `The PaymentIntent ${intent.id} is in ${intent.currency}; it cannot pay an invoice in ${inv.currency}.`, { param });
    if (intent.customer && inv.customer && intent.customer !== inv.customer) throw stripeError(400, `The PaymentIntent ${intent.id} belongs to customer ${intent.customer}, not to the invoice's customer ${inv.customer}.`, { param });
    if (intent.status === 'canceled') throw stripeError(400, `The PaymentIntent ${intent.id} is canceled and cannot be attached.`, { code: 'payment_intent_unexpected_state', param });
  }
  const now = nowSeconds();
  const remaining = Number(inv.amount_remaining ?? 0);
  const succeeded = !intent || intent.status === 'succeeded';
  const amount = intent ? (succeeded ? Math.min(Number(intent.amount_received), remaining) : Number(intent.amount)) : remaining;
  const earlier = await all(c.ctx, 'invoice_payment', (w) => w.add('parent = ?', inv.id));
  await insert(
    c.ctx,
    'invoice_payment',
    {
      id: newId('inpay'),
      object: 'invoice_payment',
      amount_paid: succeeded ? amount : null,
      amount_requested: intent ? Number(intent.amount) : amount,
      created: now,
      currency: inv.currency,
      invoice: inv.id,
      is_default: earlier.length === 0,
      livemode: false,
      payment: pi ? { payment_intent: pi, type: 'payment_intent' } : { payment_record: pr, type: 'payment_record' },
      status: succeeded ? 'paid' : 'open',
      status_transitions: { canceled_at: null, paid_at: succeeded ? now : null },
    },
    inv.id,
  );
  if (!succeeded) return renderInvoice(c.ctx, inv);
  return credit(c.ctx, inv, amount, !!pr, now);
}

/** Credits a payment to an invoice; fully paid, it becomes `paid`. */
async function credit(ctx: KitContext, inv: Obj, amount: number, offStripe: boolean, now: number): Promise<Obj> {
  if (offStripe) inv.amount_paid_off_stripe = Number(inv.amount_paid_off_stripe ?? 0) + amount;
  inv.amount_paid = Number(inv.amount_paid ?? 0) + amount;
  inv.amount_remaining = Math.max(0, Number(inv.amount_remaining ?? 0) - amount);
  if (inv.amount_remaining === 0) {
    inv.status = 'paid';
    inv.status_transitions.paid_at = now;
    inv.auto_advance = false;
    inv.next_payment_attempt = null;
  }
  await save(ctx, inv);
  return renderInvoice(ctx, inv);
}

/** A PaymentIntent that has just succeeded pays the invoices it was attached to while open. */
export async function creditAttachedPayments(ctx: KitContext, pi: Obj): Promise<void> {
  if (pi.status !== 'succeeded') return;
  const pays = await all(ctx, 'invoice_payment', (w) => w.add(`data->'payment'->>'payment_intent' = ?`, pi.id));
  for (const pay of pays) {
    if (pay.status !== 'open') continue;
    const inv = (await getRow(ctx, pay.invoice))?.data;
    if (!inv || (inv.status !== 'open' && inv.status !== 'uncollectible')) continue;
    const now = nowSeconds();
    const amount = Math.min(Number(pi.amount_received), Number(inv.amount_remaining ?? 0));
    await save(ctx, { ...pay, amount_paid: amount, status: 'paid', status_transitions: { ...pay.status_transitions, paid_at: now } });
    await credit(ctx, inv, amount, false, now);
  }
}

// `payments` is includable on an invoice: absent until `expand[]=payments`, then the list of
// its invoice payments (the first ten, newest first, as Stripe's embedded lists are cut).
registerIncludable('invoice', 'payments', async (ctx, inv) => {
  const pays = await all(ctx, 'invoice_payment', (w) => w.add('parent = ?', inv.id));
  return { object: 'list', data: pays.slice(0, 10), has_more: pays.length > 10, url: `/v1/invoice_payments?invoice=${inv.id}` };
});

export const invoiceLifecycleRoutes: Route[] = [
  { method: 'POST', path: '/v1/invoices/{id}/attach_payment', handler: attachPayment },
  { method: 'POST', path: '/v1/invoices/{id}/finalize', handler: finalize },
  { method: 'POST', path: '/v1/invoices/{id}/pay', handler: pay },
  { method: 'POST', path: '/v1/invoices/{id}/void', handler: voidInvoice },
  { method: 'POST', path: '/v1/invoices/{id}/mark_uncollectible', handler: markUncollectible },
  { method: 'POST', path: '/v1/invoices/{id}/send', handler: send },
];
