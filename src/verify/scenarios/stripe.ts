import Stripe from 'stripe';
import { stepFailed, type Scenario } from '../types.ts';

/**
 * Drives every implemented Stripe operation through the official SDK on a fresh clone:
 * catalog, customers and their satellites, invoice items, the invoice lifecycle; deletes last.
 * Steps tolerate a missing value from an earlier failed step (they fail on their own).
 */
export const scenario: Scenario = async (ctx) => {
  const u = new URL(ctx.apiUrl);
  const stripe = new Stripe(ctx.clone.tokens?.botToken ?? '', { host: u.hostname, port: Number(u.port), protocol: 'http', maxNetworkRetries: 0, telemetry: false });
  const tag = `v${ctx.unique}`;
  const need = <T>(v: T | undefined, what: string): T => {
    if (v === undefined) throw stepFailed(`${what} missing (an earlier step failed)`);
    return v;
  };
  let product: Stripe.Product | undefined;
  let spare: Stripe.Product | undefined;
  let price: Stripe.Price | undefined;
  let feature: Stripe.ProductFeature | undefined;
  let cus: Stripe.Customer | undefined;
  let taxId: Stripe.TaxId | undefined;
  let card: Stripe.CustomerSource | undefined;
  let bank: Stripe.CustomerSource | undefined;
  let pendingItem: Stripe.InvoiceItem | undefined;

  await ctx.step('products', async () => {
    product = await stripe.products.create({ name: `Widget ${tag}`, metadata: { tag } });
    spare = await stripe.products.create({ name: `Spare ${tag}` });
    await stripe.products.retrieve(product.id);
    await stripe.products.update(product.id, { description: 'Verified widget' });
    await stripe.products.list({ limit: 3 });
    await stripe.products.search({ query: `metadata['tag']:'${tag}'` });
  });

  await ctx.step('product features', async () => {
    const p = need(product, 'product');
    feature = await stripe.products.createFeature(p.id, { entitlement_feature: `feat_${tag}` });
    await stripe.products.retrieveFeature(p.id, feature.id);
    await stripe.products.listFeatures(p.id);
  });

  await ctx.step('prices', async () => {
    const p = need(product, 'product');
    price = await stripe.prices.create({ product: p.id, currency: 'usd', unit_amount: 1500, metadata: { tag } });
    await stripe.prices.retrieve(price.id);
    await stripe.prices.update(price.id, { nickname: 'single' });
    await stripe.prices.list({ product: p.id });
    await stripe.prices.search({ query: `product:'${p.id}'` });
  });

  await ctx.step('customers', async () => {
    cus = await stripe.customers.create({ email: `${tag}@example.com`, name: `Verify ${tag}`, metadata: { tag } });
    await stripe.customers.retrieve(cus.id);
    await stripe.customers.update(cus.id, { description: 'verified' });
    await stripe.customers.list({ limit: 3 });
    await stripe.customers.search({ query: `email:'${tag}@example.com'` });
  });

  await ctx.step('customer balance transactions', async () => {
    const c = need(cus, 'customer');
    const t = await stripe.customers.createBalanceTransaction(c.id, { amount: -500, currency: 'usd', description: 'credit' });
    await stripe.customers.retrieveBalanceTransaction(c.id, t.id);
    await stripe.customers.updateBalanceTransaction(c.id, t.id, { description: 'goodwill credit' });
    await stripe.customers.listBalanceTransactions(c.id);
  });

  await ctx.step('customer cash balance and funding instructions', async () => {
    const c = need(cus, 'customer');
    await stripe.customers.retrieveCashBalance(c.id);
    await stripe.customers.updateCashBalance(c.id, { settings: { reconciliation_mode: 'manual' } });
    await stripe.customers.listCashBalanceTransactions(c.id);
    await stripe.customers.createFundingInstructions(c.id, { funding_type: 'bank_transfer', currency: 'eur', bank_transfer: { type: 'eu_bank_transfer', eu_bank_transfer: { country: 'DE' } } });
  });

  await ctx.step('customer cash balance transactions', async () => {
    const c = need(cus, 'customer');
    // Stripe's test helper (an incoming bank transfer) is what funds a cash balance.
    const funded = await stripe.testHelpers.customers.fundCashBalance(c.id, { amount: 5000, currency: 'eur', reference: `REF-${tag}` });
    const listed = await stripe.customers.listCashBalanceTransactions(c.id, { limit: 3 });
    if (!listed.data.some((t) => t.id === funded.id)) throw stepFailed(`funded transaction ${funded.id} not listed`);
    await stripe.customers.retrieveCashBalanceTransaction(c.id, funded.id);
    const cash = await stripe.customers.retrieveCashBalance(c.id);
    if (cash.available?.eur !== 5000) throw stepFailed(`cash balance available ${JSON.stringify(cash.available)} after funding 5000 eur`);
  });

  await ctx.step('customer tax ids', async () => {
    const c = need(cus, 'customer');
    taxId = await stripe.customers.createTaxId(c.id, { type: 'eu_vat', value: 'DE123456789' });
    await stripe.customers.retrieveTaxId(c.id, taxId.id);
    await stripe.customers.listTaxIds(c.id);
  });

  await ctx.step('customer sources', async () => {
    const c = need(cus, 'customer');
    card = await stripe.customers.createSource(c.id, { source: 'tok_visa' });
    await stripe.customers.retrieveSource(c.id, card.id);
    await stripe.customers.updateSource(c.id, card.id, { name: 'Ada Lovelace' });
    await stripe.customers.listSources(c.id);
    bank = await stripe.customers.createSource(c.id, {
      source: { object: 'bank_account', country: 'US', currency: 'usd', account_holder_name: 'Ada Lovelace', account_holder_type: 'individual', routing_number: '110000000', account_number: '000123456789' } as never,
    });
    await stripe.customers.verifySource(c.id, bank.id, { amounts: [32, 45] });
  });

  await ctx.step('customer payment methods', async () => {
    const c = need(cus, 'customer');
    const list = await stripe.customers.listPaymentMethods(c.id);
    const pm = need(list.data[0], 'payment method');
    await stripe.customers.retrievePaymentMethod(c.id, pm.id);
  });

  await ctx.step('invoice items', async () => {
    const c = need(cus, 'customer');
    const p = need(price, 'price');
    const item = await stripe.invoiceItems.create({ customer: c.id, pricing: { price: p.id }, quantity: 2 });
    await stripe.invoiceItems.retrieve(item.id);
    await stripe.invoiceItems.update(item.id, { quantity: 3 });
    await stripe.invoiceItems.list({ customer: c.id });
    pendingItem = await stripe.invoiceItems.create({ customer: c.id, amount: 250, currency: 'usd', description: 'Setup fee' });
  });

  await ctx.step('invoices: draft, lines, update', async () => {
    const c = need(cus, 'customer');
    const p = need(price, 'price');
    const inv = await stripe.invoices.create({ customer: c.id, pending_invoice_items_behavior: 'include', metadata: { tag } });
    await stripe.invoices.retrieve(inv.id);
    await stripe.invoices.update(inv.id, { description: 'Verified invoice' });
    const added = await stripe.invoices.addLines(inv.id, { lines: [{ pricing: { price: p.id }, quantity: 1 }, { amount: 99, description: 'misc' }] });
    const lines = await stripe.invoices.listLineItems(inv.id);
    const [l1, l2] = [need(added.lines.data.at(-2), 'line'), need(added.lines.data.at(-1), 'line')];
    await stripe.invoices.updateLines(inv.id, { lines: [{ id: l1.id, quantity: 2 }] });
    await stripe.invoices.updateLineItem(inv.id, l2.id, { description: 'misc (edited)' });
    await stripe.invoices.removeLines(inv.id, { lines: [{ id: l2.id, behavior: 'delete' }] });
    if (!lines.data.length) throw stepFailed('no lines listed');
    await stripe.invoices.list({ customer: c.id, limit: 3 });
    await stripe.invoices.search({ query: `customer:'${c.id}'` });
  });

  const openInvoice = async (amount: number) => {
    const c = need(cus, 'customer');
    const inv = await stripe.invoices.create({ customer: c.id });
    await stripe.invoiceItems.create({ customer: c.id, invoice: inv.id, amount, currency: 'usd' });
    return stripe.invoices.finalizeInvoice(inv.id);
  };

  await ctx.step('invoices: finalize, pay, send', async () => {
    const inv = await openInvoice(1000);
    await stripe.invoices.pay(inv.id, { paid_out_of_band: true });
    await stripe.invoices.sendInvoice(inv.id);
  });

  await ctx.step('invoices: void, mark uncollectible, attach payment', async () => {
    await stripe.invoices.voidInvoice((await openInvoice(700)).id);
    await stripe.invoices.markUncollectible((await openInvoice(800)).id);
    await stripe.invoices.attachPayment((await openInvoice(900)).id, { payment_intent: `pi_${tag.replace(/[^A-Za-z0-9]/g, '')}` });
  });

  await ctx.step('invoices: create preview', async () => {
    const c = need(cus, 'customer');
    await stripe.invoices.createPreview({ customer: c.id, invoice_items: [{ price: need(price, 'price').id, quantity: 2 }] });
  });

  await ctx.step('deletes', async () => {
    const c = need(cus, 'customer');
    const draft = await stripe.invoices.create({ customer: c.id });
    await stripe.invoices.del(draft.id);
    await stripe.invoiceItems.del(need(pendingItem, 'pending invoice item').id);
    await stripe.customers.deleteTaxId(c.id, need(taxId, 'tax id').id);
    await stripe.customers.deleteSource(c.id, need(bank, 'bank account').id);
    await stripe.products.deleteFeature(need(product, 'product').id, need(feature, 'feature').id);
    await stripe.products.del(need(spare, 'spare product').id);
    await stripe.customers.del(c.id);
  });
};
