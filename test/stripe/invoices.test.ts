import { afterAll, beforeAll, expect, test } from 'bun:test';
import Stripe from 'stripe';
import { describeDocker } from '../support/docker.ts';
import { startTemplateOnHost, type HostClone } from '../support/template-host.ts';
import { expectShape, raw, stripeErr, stripeFor, uniq, type StripeClone } from './helpers.ts';

/** Invoices and invoice items: the lifecycle with amounts, lines, state errors, search, preview. */

// The HTTP API only: the server on the host (test/support/template-host.ts), no CLI spin.
let clone: HostClone<StripeClone['tokens']>;
let stripe: Stripe;
let product: Stripe.Product;
let widget: Stripe.Price; // one-time, 1500
let monthly: Stripe.Price; // recurring

beforeAll(async () => {
  clone = await startTemplateOnHost<StripeClone['tokens']>('stripe');
  stripe = stripeFor(clone);
  product = await stripe.products.create({ name: 'Widget' });
  widget = await stripe.prices.create({ product: product.id, currency: 'usd', unit_amount: 1500 });
  monthly = await stripe.prices.create({ product: product.id, currency: 'usd', unit_amount: 900, recurring: { interval: 'month' } });
}, 180_000);
afterAll(() => clone?.stop(), 60_000);

const newCustomer = (extra: Stripe.CustomerCreateParams = {}) => stripe.customers.create({ email: `${uniq('inv')}@example.com`, name: 'Invoice Co', ...extra });

describeDocker('stripe invoices', () => {
  test('draft → finalize → open → pay → paid, with amounts, numbering and frozen lines', async () => {
    const cus = await newCustomer();
    const i1 = await stripe.invoiceItems.create({ customer: cus.id, pricing: { price: widget.id }, quantity: 2 });
    expect(i1).toMatchObject({ object: 'invoiceitem', amount: 3000, quantity: 2, invoice: null, currency: 'usd', description: 'Widget' });
    expect(i1.pricing?.price_details).toEqual({ price: widget.id, product: product.id });
    expectShape('InvoiceItem', (await raw(clone, 'GET', `/v1/invoiceitems/${i1.id}`)).body);
    const i2 = await stripe.invoiceItems.create({ customer: cus.id, amount: 250, currency: 'usd', description: 'Setup fee' });

    const draft = await stripe.invoices.create({ customer: cus.id, pending_invoice_items_behavior: 'include', description: 'March', metadata: { po: '42' } });
    expect(draft.id).toMatch(/^in_/);
    expect(draft).toMatchObject({ object: 'invoice', status: 'draft', number: null, subtotal: 3250, total: 3250, amount_due: 3250, amount_paid: 0, amount_remaining: 3250, currency: 'usd', customer: cus.id, customer_email: cus.email, auto_advance: false, collection_method: 'charge_automatically', billing_reason: 'manual' });
    expect(draft.lines.data.map((l) => [l.amount, l.parent?.invoice_item_details?.invoice_item])).toEqual([[3000, i1.id], [250, i2.id]]);
    expect(draft.lines.data[0]!.id).toMatch(/^il_/);
    const rawDraft = await raw(clone, 'GET', `/v1/invoices/${draft.id}`);
    expectShape('Invoice', rawDraft.body);
    expect((await stripe.invoiceItems.retrieve(i1.id)).invoice).toBe(draft.id);

    // Drafts are editable: a credit item, a quantity change, an invoice update.
    const credit = await stripe.invoiceItems.create({ customer: cus.id, invoice: draft.id, amount: -500, currency: 'usd', description: 'Loyalty credit' });
    expect(credit.discountable).toBe(false);
    await stripe.invoiceItems.update(i1.id, { quantity: 3 });
    let cur = await stripe.invoices.retrieve(draft.id);
    expect([cur.subtotal, cur.total, cur.amount_due]).toEqual([4500 + 250 - 500, 4250, 4250]);
    cur = await stripe.invoices.update(draft.id, { footer: 'Thank you', collection_method: 'send_invoice', days_until_due: 14 });
    expect(cur.due_date).toBe(cur.created + 14 * 86400);
    cur = await stripe.invoices.update(draft.id, { collection_method: 'charge_automatically' });
    expect(cur.due_date).toBeNull();

    const open = await stripe.invoices.finalizeInvoice(draft.id);
    expect(open).toMatchObject({ status: 'open', number: `${cus.invoice_prefix}-0001`, amount_due: 4250, amount_paid: 0, amount_remaining: 4250, starting_balance: 0, ending_balance: 0 });
    expect(open.status_transitions.finalized_at).toBeNumber();
    expect(open.hosted_invoice_url).toBe(`${clone.endpoints.api}/invoice/${draft.id}`);
    expect((await fetch(open.hosted_invoice_url!)).status).toBe(200);
    expect(((await stripe.customers.retrieve(cus.id)) as Stripe.Customer).next_invoice_sequence).toBe(2);
    expectShape('Invoice', (await raw(clone, 'GET', `/v1/invoices/${draft.id}`)).body);

    // A finalized invoice refuses monetary edits, new items, item edits and deletion.
    const e1 = await stripeErr(() => stripe.invoices.update(draft.id, { collection_method: 'send_invoice' }));
    expect(e1).toMatchObject({ statusCode: 400, code: 'invoice_not_editable' });
    expect((await stripeErr(() => stripe.invoiceItems.update(i1.id, { quantity: 9 }))).code).toBe('invoice_not_editable');
    expect((await stripeErr(() => stripe.invoiceItems.del(i2.id))).code).toBe('invoice_not_editable');
    expect((await stripeErr(() => stripe.invoiceItems.create({ customer: cus.id, invoice: draft.id, amount: 1, currency: 'usd' }))).code).toBe('invoice_not_editable');
    expect((await stripeErr(() => stripe.invoices.del(draft.id))).statusCode).toBe(400);
    expect((await stripeErr(() => stripe.invoices.finalizeInvoice(draft.id))).message).toContain('already finalized');
    expect((await stripeErr(() => stripe.invoices.addLines(draft.id, { lines: [{ amount: 1 }] }))).code).toBe('invoice_not_editable');
    expect((await stripe.invoices.update(draft.id, { description: 'March (final)', metadata: { po: '43' } })).description).toBe('March (final)');

    const paid = await stripe.invoices.pay(draft.id);
    expect(paid).toMatchObject({ status: 'paid', amount_paid: 4250, amount_remaining: 0, attempted: true, attempt_count: 1, auto_advance: false });
    expect(paid.status_transitions.paid_at).toBeNumber();
    expect((await stripeErr(() => stripe.invoices.pay(draft.id))).statusCode).toBe(400);
    expect((await stripeErr(() => stripe.invoices.voidInvoice(draft.id))).statusCode).toBe(400);
    expect((await stripeErr(() => stripe.invoices.markUncollectible(draft.id))).statusCode).toBe(400);
    expect((await stripe.invoices.sendInvoice(draft.id)).status).toBe('paid');

    // The next invoice of this customer is -0002.
    await stripe.invoiceItems.create({ customer: cus.id, amount: 100, currency: 'usd' });
    const second = await stripe.invoices.create({ customer: cus.id, pending_invoice_items_behavior: 'include' });
    expect((await stripe.invoices.finalizeInvoice(second.id)).number).toBe(`${cus.invoice_prefix}-0002`);
  });

  test('void, uncollectible, pay out of band from draft, zero total, send_invoice', async () => {
    const cus = await newCustomer();
    const mk = async (amount: number, extra: Partial<Stripe.InvoiceCreateParams> = {}) => {
      const inv = await stripe.invoices.create({ customer: cus.id, ...extra });
      if (amount) await stripe.invoiceItems.create({ customer: cus.id, invoice: inv.id, amount, currency: 'usd' });
      return inv;
    };
    const a = await mk(1000);
    await stripe.invoices.finalizeInvoice(a.id);
    const voided = await stripe.invoices.voidInvoice(a.id);
    expect(voided).toMatchObject({ status: 'void', amount_due: 1000, amount_paid: 0 });
    expect(voided.status_transitions.voided_at).toBeNumber();
    expect((await stripeErr(() => stripe.invoices.pay(a.id))).statusCode).toBe(400);
    expect((await stripeErr(() => stripe.invoices.voidInvoice(a.id))).statusCode).toBe(400);

    const b = await mk(2000);
    await stripe.invoices.finalizeInvoice(b.id, { auto_advance: true });
    const unc = await stripe.invoices.markUncollectible(b.id);
    expect(unc).toMatchObject({ status: 'uncollectible', amount_remaining: 2000, auto_advance: false });
    expect(unc.status_transitions.marked_uncollectible_at).toBeNumber();
    const late = await stripe.invoices.pay(b.id, { paid_out_of_band: true });
    expect(late).toMatchObject({ status: 'paid', amount_paid: 2000, amount_remaining: 0, amount_paid_off_stripe: 2000, attempted: false });

    const d = await mk(800);
    await stripe.invoices.finalizeInvoice(d.id);
    const declined = await stripeErr(() => stripe.invoices.pay(d.id, { payment_method: 'pm_card_chargeDeclined' }));
    expect(declined).toMatchObject({ statusCode: 402, type: 'StripeCardError', code: 'card_declined', decline_code: 'generic_decline' });
    expect(await stripe.invoices.retrieve(d.id)).toMatchObject({ status: 'open', attempted: true, attempt_count: 1, amount_remaining: 800 });
    expect(await stripe.invoices.pay(d.id, { payment_method: 'pm_card_visa' })).toMatchObject({ status: 'paid', attempt_count: 2, amount_paid: 800 });
    expect((await stripeErr(() => stripe.invoices.pay(a.id, { payment_method: 'pm_unknown' }))).code).toBe('resource_missing');

    // A stored PaymentMethod pays too (the customer's own); its card's behaviour decides, and another customer's is refused.
    const e = await mk(600);
    await stripe.invoices.finalizeInvoice(e.id);
    const owner = (await stripe.invoices.retrieve(e.id)).customer as string;
    const saved = await stripe.paymentMethods.attach('pm_card_visa', { customer: owner });
    const failing = await stripe.paymentMethods.attach('pm_card_chargeCustomerFail', { customer: owner });
    const other = await stripe.paymentMethods.attach('pm_card_visa', { customer: (await newCustomer()).id });
    expect((await stripeErr(() => stripe.invoices.pay(e.id, { payment_method: other.id }))).param).toBe('payment_method');
    const fails = await stripeErr(() => stripe.invoices.pay(e.id, { payment_method: failing.id }));
    expect(fails).toMatchObject({ statusCode: 402, code: 'card_declined', decline_code: 'generic_decline' });
    expect(await stripe.invoices.pay(e.id, { payment_method: saved.id })).toMatchObject({ status: 'paid', amount_paid: 600, attempt_count: 2 });
    // Without a payment_method, the customer's default one is charged: a failing default declines.
    await stripe.customers.update(owner, { invoice_settings: { default_payment_method: failing.id } });
    const f = await mk(650);
    await stripe.invoices.finalizeInvoice(f.id);
    expect(((await stripe.invoices.retrieve(f.id)).customer as string)).toBe(owner);
    expect(await stripeErr(() => stripe.invoices.pay(f.id))).toMatchObject({ statusCode: 402, decline_code: 'generic_decline' });
    await stripe.customers.update(owner, { invoice_settings: { default_payment_method: saved.id } });
    expect((await stripe.invoices.pay(f.id)).status).toBe('paid');

    const c = await mk(3000);
    const direct = await stripe.invoices.pay(c.id, { paid_out_of_band: true });
    expect(direct.status).toBe('paid');
    expect(direct.number).toMatch(new RegExp(`^${cus.invoice_prefix}-\\d{4}$`));
    expect(direct.amount_paid).toBe(3000);

    const zero = await mk(0);
    const z = await stripe.invoices.finalizeInvoice(zero.id);
    expect(z).toMatchObject({ status: 'paid', total: 0, amount_due: 0 });

    expect((await stripeErr(() => stripe.invoices.create({ customer: cus.id, collection_method: 'send_invoice' }))).param).toBe('days_until_due');
    const s = await mk(500, { collection_method: 'send_invoice', days_until_due: 30 });
    expect((await stripeErr(() => stripe.invoices.sendInvoice(s.id))).statusCode).toBe(400);
    await stripe.invoices.finalizeInvoice(s.id);
    const sent = await stripe.invoices.sendInvoice(s.id);
    expect(sent).toMatchObject({ status: 'open', collection_method: 'send_invoice' });
    expect(sent.due_date).toBe(s.created + 30 * 86400);

    const auto = await stripe.invoices.create({ customer: cus.id, auto_advance: true });
    expect(auto.automatically_finalizes_at).toBe(auto.created + 3600);

    const gone = await mk(700);
    const itemId = gone.lines.data[0]?.id;
    expect(itemId).toBeUndefined();
    const items = await stripe.invoiceItems.list({ invoice: gone.id });
    expect(items.data).toHaveLength(1);
    expect(await stripe.invoices.del(gone.id)).toMatchObject({ id: gone.id, object: 'invoice', deleted: true });
    expect((await stripeErr(() => stripe.invoices.retrieve(gone.id))).code).toBe('resource_missing');
    expect((await stripeErr(() => stripe.invoiceItems.retrieve(items.data[0]!.id))).statusCode).toBe(404);
  });

  test('concurrent finalizations of one customer get distinct consecutive numbers', async () => {
    const cus = await newCustomer();
    const drafts = await Promise.all(
      Array.from({ length: 6 }, async (_, i) => {
        const inv = await stripe.invoices.create({ customer: cus.id });
        await stripe.invoiceItems.create({ customer: cus.id, invoice: inv.id, amount: 100 + i, currency: 'usd' });
        return inv;
      }),
    );
    const finals = await Promise.all(drafts.map((d) => stripe.invoices.finalizeInvoice(d.id)));
    expect(finals.map((f) => f.number).sort()).toEqual([1, 2, 3, 4, 5, 6].map((n) => `${cus.invoice_prefix}-000${n}`));
    expect(((await stripe.customers.retrieve(cus.id)) as Stripe.Customer).next_invoice_sequence).toBe(7);
  });

  test('a customer credit balance is applied at finalization', async () => {
    const cus = await newCustomer({ balance: -1000 });
    await stripe.invoiceItems.create({ customer: cus.id, amount: 3000, currency: 'usd' });
    const inv = await stripe.invoices.create({ customer: cus.id, pending_invoice_items_behavior: 'include' });
    const fin = await stripe.invoices.finalizeInvoice(inv.id);
    expect(fin).toMatchObject({ total: 3000, starting_balance: -1000, ending_balance: 0, amount_due: 2000, amount_remaining: 2000 });
    expect(((await stripe.customers.retrieve(cus.id)) as Stripe.Customer).balance).toBe(0);
    const txns = await stripe.customers.listBalanceTransactions(cus.id);
    expect(txns.data[0]).toMatchObject({ type: 'applied_to_invoice', amount: 1000, invoice: inv.id, ending_balance: 0 });
    const voided = await stripe.invoices.voidInvoice(inv.id);
    expect(voided.status).toBe('void');
    expect(((await stripe.customers.retrieve(cus.id)) as Stripe.Customer).balance).toBe(-1000);
    expect((await stripe.customers.listBalanceTransactions(cus.id)).data[0]).toMatchObject({ type: 'unapplied_from_invoice', amount: -1000, invoice: inv.id });
  });

  test('lines: add, update, update one, remove (delete / unassign), list with paging', async () => {
    const cus = await newCustomer();
    const pending = await stripe.invoiceItems.create({ customer: cus.id, amount: 400, currency: 'usd', description: 'pending' });
    const inv = await stripe.invoices.create({ customer: cus.id });
    expect(inv.lines.data).toEqual([]);
    const added = await stripe.invoices.addLines(inv.id, {
      lines: [{ pricing: { price: widget.id }, quantity: 2 }, { invoice_item: pending.id }, { amount: 99, description: 'misc' }],
      invoice_metadata: { batch: '1' },
    });
    expect(added.lines.data.map((l) => l.amount)).toEqual([3000, 400, 99]);
    expect(added.total).toBe(3499);
    expect(added.metadata).toEqual({ batch: '1' });
    const [l1, l2, l3] = added.lines.data as [Stripe.InvoiceLineItem, Stripe.InvoiceLineItem, Stripe.InvoiceLineItem];
    expectShape('InvoiceLineItem', (await raw(clone, 'GET', `/v1/invoices/${inv.id}/lines`)).body.data[0]);

    const upd = await stripe.invoices.updateLines(inv.id, { lines: [{ id: l1.id, quantity: 1 }, { id: l3.id, amount: 101 }] });
    expect(upd.lines.data.map((l) => l.amount)).toEqual([1500, 400, 101]);
    const one = await stripe.invoices.updateLineItem(inv.id, l3.id, { description: 'misc (edited)', amount: 100 });
    expect(one).toMatchObject({ id: l3.id, object: 'line_item', amount: 100, description: 'misc (edited)', invoice: inv.id });
    expect((await stripe.invoices.retrieve(inv.id)).total).toBe(2000);

    const removed = await stripe.invoices.removeLines(inv.id, { lines: [{ id: l2.id, behavior: 'unassign' }, { id: l3.id, behavior: 'delete' }] });
    expect(removed.lines.data.map((l) => l.id)).toEqual([l1.id]);
    expect(removed.total).toBe(1500);
    expect((await stripe.invoiceItems.retrieve(pending.id)).invoice).toBeNull();
    expect((await stripe.invoiceItems.list({ customer: cus.id, pending: true })).data.map((i) => i.id)).toEqual([pending.id]);
    expect((await stripeErr(() => stripe.invoices.removeLines(inv.id, { lines: [{ id: 'il_nope', behavior: 'delete' }] }))).statusCode).toBe(404);

    for (let i = 0; i < 11; i++) await stripe.invoiceItems.create({ customer: cus.id, invoice: inv.id, amount: 10 + i, currency: 'usd' });
    const full = await stripe.invoices.retrieve(inv.id);
    expect(full.lines.data).toHaveLength(10);
    expect(full.lines.has_more).toBe(true);
    expect(full.lines.url).toBe(`/v1/invoices/${inv.id}/lines`);
    const all = await stripe.invoices.listLineItems(inv.id, { limit: 5 }).autoPagingToArray({ limit: 100 });
    expect(all).toHaveLength(12);
    expect(all.reduce((s, l) => s + l.amount, 0)).toBe(full.total);
    const p2 = await stripe.invoices.listLineItems(inv.id, { limit: 5, starting_after: all[4]!.id });
    expect(p2.data.map((l) => l.id)).toEqual(all.slice(5, 10).map((l) => l.id));
  });

  test('invoice items: CRUD, filters, expand, and refusals', async () => {
    const cus = await newCustomer();
    const it = await stripe.invoiceItems.create({ customer: cus.id, currency: 'usd', unit_amount_decimal: Stripe.Decimal.from('250'), quantity: 4, description: 'hours', metadata: { k: 'v' }, period: { start: 1767225600, end: 1769904000 } });
    expect(it).toMatchObject({ amount: 1000, quantity: 4, description: 'hours', metadata: { k: 'v' }, period: { start: 1767225600, end: 1769904000 } });
    const up = await stripe.invoiceItems.update(it.id, { quantity: 2, metadata: { k: '' } });
    expect(up).toMatchObject({ amount: 500, quantity: 2, metadata: {} });
    const repriced = await stripe.invoiceItems.update(it.id, { pricing: { price: widget.id } });
    expect(repriced.amount).toBe(3000);

    const inv = await stripe.invoices.create({ customer: cus.id, pending_invoice_items_behavior: 'include' });
    const withInv = await stripe.invoiceItems.retrieve(it.id, { expand: ['invoice', 'customer'] });
    expect((withInv.invoice as Stripe.Invoice).id).toBe(inv.id);
    expect((withInv.customer as Stripe.Customer).id).toBe(cus.id);
    const exp = await stripe.invoices.retrieve(inv.id, { expand: ['customer', 'lines.data.pricing.price_details.price'] });
    expect((exp.customer as Stripe.Customer).email).toBe(cus.email);
    expect((exp.lines.data[0]!.pricing!.price_details!.price as Stripe.Price).unit_amount).toBe(1500);

    const pend = await stripe.invoiceItems.create({ customer: cus.id, amount: 5, currency: 'usd' });
    expect((await stripe.invoiceItems.list({ customer: cus.id })).data.map((i) => i.id)).toEqual([pend.id, it.id]);
    expect((await stripe.invoiceItems.list({ invoice: inv.id })).data.map((i) => i.id)).toEqual([it.id]);
    expect((await stripe.invoiceItems.list({ customer: cus.id, pending: true })).data.map((i) => i.id)).toEqual([pend.id]);
    expect(await stripe.invoiceItems.del(pend.id)).toMatchObject({ id: pend.id, object: 'invoiceitem', deleted: true });
    expectShape('DeletedInvoiceItem', { id: pend.id, object: 'invoiceitem', deleted: true });

    expect((await stripeErr(() => stripe.invoiceItems.create({ amount: 1, currency: 'usd' } as never))).param).toBe('customer');
    expect((await stripeErr(() => stripe.invoiceItems.create({ customer: cus.id, currency: 'usd' }))).code).toBe('parameter_missing');
    expect((await stripeErr(() => stripe.invoiceItems.create({ customer: 'cus_nope', amount: 1, currency: 'usd' }))).message).toBe("No such customer: 'cus_nope'");
    expect((await stripeErr(() => stripe.invoiceItems.create({ customer: cus.id, pricing: { price: monthly.id } }))).statusCode).toBe(400);
    expect((await stripeErr(() => stripe.invoiceItems.create({ customer: cus.id, pricing: { price: widget.id }, amount: 5 }))).code).toBe('parameters_exclusive');
    const eurInv = await stripe.invoices.create({ customer: cus.id, currency: 'eur' });
    expect((await stripeErr(() => stripe.invoiceItems.create({ customer: cus.id, invoice: eurInv.id, amount: 5, currency: 'usd' }))).param).toBe('currency');
    const other = await newCustomer();
    expect((await stripeErr(() => stripe.invoiceItems.create({ customer: other.id, invoice: inv.id, amount: 5, currency: 'usd' }))).param).toBe('invoice');
  });

  test('list filters, autoPaging to the end, search', async () => {
    const cus = await newCustomer();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const inv = await stripe.invoices.create({ customer: cus.id });
      await stripe.invoiceItems.create({ customer: cus.id, invoice: inv.id, amount: 1000 * (i + 1), currency: 'usd' });
      if (i % 2 === 0) await stripe.invoices.finalizeInvoice(inv.id);
      ids.push(inv.id);
    }
    const listed = await stripe.invoices.list({ customer: cus.id, limit: 2, expand: ['data.customer'] });
    expect(listed.data.map((i) => i.id)).toEqual([ids[4], ids[3]] as string[]);
    expect((listed.data[0]!.customer as Stripe.Customer).id).toBe(cus.id);
    expect(listed.data[0]!.lines.data[0]!.amount).toBe(5000);
    const walked = await stripe.invoices.list({ customer: cus.id, limit: 2 }).autoPagingToArray({ limit: 100 });
    expect(walked.map((i) => i.id)).toEqual([...ids].reverse());
    expect((await stripe.invoices.list({ customer: cus.id, status: 'open' })).data.map((i) => i.id)).toEqual([ids[4], ids[2], ids[0]] as string[]);
    expect((await stripe.invoices.list({ customer: cus.id, status: 'draft' })).data).toHaveLength(2);

    const s1 = await stripe.invoices.search({ query: `customer:'${cus.id}' AND status:'open'` });
    expect(s1.data.map((i) => i.id)).toEqual([ids[4], ids[2], ids[0]] as string[]);
    const s2 = await stripe.invoices.search({ query: `customer:'${cus.id}' AND total>=3000` });
    expect(s2.data.map((i) => i.total)).toEqual([5000, 4000, 3000]);
    const first = await stripe.invoices.retrieve(ids[0] as string);
    const s3 = await stripe.invoices.search({ query: `number:'${first.number}'` });
    expect(s3.data.map((i) => i.id)).toEqual([ids[0]] as string[]);
  });

  test('create_preview computes without storing', async () => {
    const cus = await newCustomer();
    await stripe.invoiceItems.create({ customer: cus.id, amount: 700, currency: 'usd' });
    const before = (await stripe.invoices.list({ customer: cus.id })).data.length;
    const preview = await stripe.invoices.createPreview({ customer: cus.id, invoice_items: [{ price: widget.id, quantity: 2 }, { amount: 300, currency: 'usd', description: 'extra' }] });
    expect(preview.id).toMatch(/^upcoming_in_/);
    expect(preview).toMatchObject({ object: 'invoice', status: 'draft', subtotal: 4000, total: 4000, amount_due: 4000 });
    expect(preview.lines.data.map((l) => l.amount)).toEqual([700, 3000, 300]);
    expect((await stripe.invoices.list({ customer: cus.id })).data.length).toBe(before);
    expect((await stripe.invoiceItems.list({ customer: cus.id })).data).toHaveLength(1);
    expect((await stripeErr(() => stripe.invoices.createPreview({}))).code).toBe('parameter_missing');
  });

  test('invoice errors: missing customer, unknown invoice, unknown param', async () => {
    expect((await stripeErr(() => stripe.invoices.create({}))).param).toBe('customer');
    expect((await stripeErr(() => stripe.invoices.create({ customer: 'cus_missing' }))).statusCode).toBe(404);
    expect((await stripeErr(() => stripe.invoices.retrieve('in_missing'))).message).toBe("No such invoice: 'in_missing'");
    expect((await stripeErr(() => stripe.invoices.finalizeInvoice('in_missing'))).statusCode).toBe(404);
    expect((await stripeErr(() => stripe.invoices.list({ bogus: 1 } as never))).code).toBe('parameter_unknown');
    expect((await stripeErr(() => stripe.invoices.list({ status: 'weird' as never }))).statusCode).toBe(400);
  });

  test('attach_payment: a PaymentIntent or PaymentRecord pays an open invoice; errors', async () => {
    const cus = await newCustomer();
    await stripe.invoiceItems.create({ customer: cus.id, amount: 1500, currency: 'usd' });
    const draft = await stripe.invoices.create({ customer: cus.id, pending_invoice_items_behavior: 'include' });
    const intent = (amount: number, confirm = true) =>
      stripe.paymentIntents.create({ amount, currency: 'usd', customer: cus.id, allowed_payment_method_types: ['card'], payment_method: 'pm_card_visa', confirm });
    const pi = (await intent(1500)).id;
    const early = await stripeErr(() => stripe.invoices.attachPayment(draft.id, { payment_intent: pi }));
    expect([early.statusCode, early.code]).toEqual([400, 'invoice_not_editable']);
    const open = await stripe.invoices.finalizeInvoice(draft.id);
    expect(open.status).toBe('open');
    expect((await stripeErr(() => stripe.invoices.attachPayment(open.id, {}))).code).toBe('parameter_missing');
    expect((await stripeErr(() => stripe.invoices.attachPayment(open.id, { payment_intent: pi, payment_record: 'pr_abc' }))).code).toBe('parameters_exclusive');
    const bad = await stripeErr(() => stripe.invoices.attachPayment(open.id, { payment_intent: 'ch_123' }));
    expect([bad.statusCode, bad.code, bad.param]).toEqual([404, 'resource_missing', 'payment_intent']);
    // A well-formed id of no PaymentIntent is a 404 too: the intent must exist.
    const ghost = await stripeErr(() => stripe.invoices.attachPayment(open.id, { payment_intent: 'pi_doesnotexist123' }));
    expect([ghost.statusCode, ghost.code, ghost.param]).toEqual([404, 'resource_missing', 'payment_intent']);
    const eur = await stripe.paymentIntents.create({ amount: 1500, currency: 'eur', allowed_payment_method_types: ['card'] });
    expect((await stripeErr(() => stripe.invoices.attachPayment(open.id, { payment_intent: eur.id }))).param).toBe('payment_intent');

    const paid = await stripe.invoices.attachPayment(open.id, { payment_intent: pi });
    expect(paid).toMatchObject({ id: open.id, status: 'paid', amount_paid: 1500, amount_remaining: 0, amount_paid_off_stripe: 0 });
    expect(paid.status_transitions.paid_at).toBeNumber();
    expect((await stripe.invoices.retrieve(open.id)).status).toBe('paid');
    // `payments` is includable: absent by default, the invoice's payments under expand[]=payments.
    expect('payments' in (await stripe.invoices.retrieve(open.id))).toBe(false);
    const withPayments = await stripe.invoices.retrieve(open.id, { expand: ['payments'] });
    expect(withPayments.payments).toMatchObject({ object: 'list', has_more: false, data: [{ object: 'invoice_payment', invoice: open.id, amount_paid: 1500, is_default: true, status: 'paid', payment: { type: 'payment_intent', payment_intent: pi } }] });
    const another = (await intent(1500)).id;
    const again = await stripeErr(() => stripe.invoices.attachPayment(open.id, { payment_intent: another }));
    expect(again.message).toBe('Invoice is already paid');

    // One payment attaches to one invoice; a PaymentRecord counts as paid outside Stripe.
    await stripe.invoiceItems.create({ customer: cus.id, amount: 700, currency: 'usd' });
    const second = await stripe.invoices.finalizeInvoice((await stripe.invoices.create({ customer: cus.id, pending_invoice_items_behavior: 'include' })).id);
    const reused = await stripeErr(() => stripe.invoices.attachPayment(second.id, { payment_intent: pi }));
    expect([reused.statusCode, reused.code]).toEqual([400, 'resource_already_exists']);
    const viaRecord = await stripe.invoices.attachPayment(second.id, { payment_record: `pr_${uniq('r').replace(/[^A-Za-z0-9]/g, '')}` });
    expect(viaRecord).toMatchObject({ status: 'paid', amount_paid: 700, amount_paid_off_stripe: 700, amount_remaining: 0 });

    await stripe.invoiceItems.create({ customer: cus.id, amount: 300, currency: 'usd' });
    const third = await stripe.invoices.finalizeInvoice((await stripe.invoices.create({ customer: cus.id, pending_invoice_items_behavior: 'include' })).id);
    // An intent not yet succeeded waits as an open payment; it pays the invoice when it succeeds.
    const waiting = await intent(300, false);
    expect(waiting.status).toBe('requires_confirmation');
    const pending = await stripe.invoices.attachPayment(third.id, { payment_intent: waiting.id });
    expect(pending).toMatchObject({ status: 'open', amount_paid: 0, amount_remaining: 300 });
    expect((await stripe.invoices.retrieve(third.id, { expand: ['payments'] })).payments?.data[0]).toMatchObject({ status: 'open', amount_paid: null, amount_requested: 300 });
    await stripe.paymentIntents.confirm(waiting.id);
    expect(await stripe.invoices.retrieve(third.id)).toMatchObject({ status: 'paid', amount_paid: 300, amount_remaining: 0 });

    await stripe.invoiceItems.create({ customer: cus.id, amount: 400, currency: 'usd' });
    const fourth = await stripe.invoices.finalizeInvoice((await stripe.invoices.create({ customer: cus.id, pending_invoice_items_behavior: 'include' })).id);
    await stripe.invoices.voidInvoice(fourth.id);
    const late = (await intent(400)).id;
    expect((await stripeErr(() => stripe.invoices.attachPayment(fourth.id, { payment_intent: late }))).message).toContain('voided');
  });
});
