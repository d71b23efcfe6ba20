import Stripe from 'stripe';
import { is, stepFailed, type Scenario } from '../../../src/verify/types.ts';

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
  const P = (k: string) => `POST /v1/${k}`;
  const POST_BT = 'POST /v1/customers/{id}/balance_transactions/{id}';
  const G = (k: string) => `GET /v1/${k}`;
  /** Every id of a list, walked with limit and starting_after until has_more is false. */
  const walk = async <T extends { id: string }>(page: (after?: string) => Promise<Stripe.ApiList<T>>) => {
    const ids: string[] = [];
    for (let i = 0, after: string | undefined; i < 50; i++) {
      const r = await page(after);
      ids.push(...r.data.map((x) => x.id));
      if (!r.has_more) return ids;
      after = r.data.at(-1)?.id;
    }
    throw stepFailed('has_more never ended');
  };

  await ctx.step('products', async () => {
    product = await stripe.products.create({ name: `Widget ${tag}`, metadata: { tag } });
    spare = await stripe.products.create({ name: `Spare ${tag}` });
    const got = await stripe.products.retrieve(product.id);
    await ctx.check([P('products'), G('products/{id}')], 'the product created is the product read', () => is(product!.name === `Widget ${tag}` && got.id === product!.id && got.name === `Widget ${tag}` && got.metadata.tag === tag && got.active === true, JSON.stringify(got).slice(0, 160)));
    await stripe.products.update(product.id, { description: `Verified ${tag}` });
    await ctx.check(P('products/{id}'), 'the update reads back', async () => is((await stripe.products.retrieve(product!.id)).description === `Verified ${tag}`, 'description not updated'));
    const all = await walk((after) => stripe.products.list({ limit: 1, starting_after: after }));
    await ctx.check(G('products'), 'limit 1 walks every product once, newest first, and ends', () => is(all.length === new Set(all).size && all.indexOf(spare!.id) === 0 && all.includes(product!.id), `walked ${all}`));
    const listed = await stripe.products.list({ limit: 100 });
    await ctx.check(G('products'), 'each product listed as created', () => is(listed.data.find((x) => x.id === product!.id)?.name === `Widget ${tag}` && listed.data.find((x) => x.id === spare!.id)?.name === `Spare ${tag}`, 'names differ'));
    const found = await stripe.products.search({ query: `metadata['tag']:'${tag}'` });
    await ctx.check(G('products/search'), 'the metadata query finds the tagged product only', () => is(found.data.length === 1 && found.data[0]!.id === product!.id && found.data[0]!.name === `Widget ${tag}` && found.data[0]!.metadata.tag === tag, `found ${found.data.map((x) => x.id)}`));
    await ctx.errorCase(P('products'), 'name missing', { status: 400, code: 'parameter_missing' }, () => stripe.products.create({} as never));
  });

  await ctx.step('product features', async () => {
    const p = need(product, 'product');
    feature = await stripe.products.createFeature(p.id, { entitlement_feature: `feat_${tag}` });
    const f = await stripe.products.retrieveFeature(p.id, feature.id);
    const fl = await stripe.products.listFeatures(p.id);
    await ctx.check([P('products/{id}/features'), G('products/{id}/features/{id}'), G('products/{id}/features')], 'the feature attached is read and listed, naming its entitlement', () => is(f.id === feature!.id && fl.data.length === 1 && fl.data[0]!.id === feature!.id && [feature!, f, fl.data[0]!].every((x) => x.entitlement_feature.lookup_key === `feat_${tag}`), JSON.stringify(fl.data).slice(0, 120)));
  });

  await ctx.step('prices', async () => {
    const p = need(product, 'product');
    price = await stripe.prices.create({ product: p.id, currency: 'usd', unit_amount: 1500, metadata: { tag } });
    // On a product of its own: a product with prices cannot be deleted, and `spare` is deleted last.
    const other = await stripe.prices.create({ product_data: { name: `Other ${tag}` }, currency: 'eur', unit_amount: 700 });
    await ctx.errorCase(P('prices'), 'currency missing', { status: 400, code: 'parameter_missing' }, () => stripe.prices.create({ product: p.id, unit_amount: 1 } as never));
    const got = await stripe.prices.retrieve(price.id);
    const got2 = await stripe.prices.retrieve(other.id);
    await ctx.check([P('prices'), G('prices/{id}')], 'each price created is the price read', () => is(got.unit_amount === 1500 && got.currency === 'usd' && got.product === p.id && got.type === 'one_time' && other.id !== price!.id && got2.unit_amount === 700 && got2.currency === 'eur', JSON.stringify(got).slice(0, 160)));
    await stripe.prices.update(price.id, { nickname: `single ${tag}` });
    await ctx.check([P('prices/{id}'), G('prices/{id}')], 'the nickname reads back', async () => is((await stripe.prices.retrieve(price!.id)).nickname === `single ${tag}`, 'nickname not updated'));
    const listed = await stripe.prices.list({ product: p.id });
    await ctx.check(G('prices'), 'product= filters to that product\'s price', () => is(listed.data.length === 1 && listed.data[0]!.id === price!.id && !listed.data.some((x) => x.id === other.id), `listed ${listed.data.map((x) => x.id)}`));
    const found = await stripe.prices.search({ query: `product:'${p.id}'` });
    await ctx.check(G('prices/search'), 'the product query finds that product\'s price only', () => is(found.data.length === 1 && found.data[0]!.id === price!.id, `found ${found.data.map((x) => x.id)}`));
  });

  await ctx.step('customers', async () => {
    const key = `idem-${tag}`;
    cus = await stripe.customers.create({ email: `${tag}@example.com`, name: `Verify ${tag}`, metadata: { tag } }, { idempotencyKey: key });
    const replay = await stripe.customers.create({ email: `${tag}@example.com`, name: `Verify ${tag}`, metadata: { tag } }, { idempotencyKey: key });
    await ctx.check(P('customers'), 'the same idempotency key answers the same customer', () => is(replay.id === cus!.id, `${replay.id} vs ${cus!.id}`));
    await ctx.errorCase(P('customers'), 'idempotency key reused with other parameters', { status: 400, code: 'idempotency_error' }, () => stripe.customers.create({ email: `other-${tag}@example.com` }, { idempotencyKey: key }));
    await ctx.errorCase(P('customers'), 'invalid email', { status: 400, code: 'email_invalid' }, () => stripe.customers.create({ email: 'not-an-email' }));
    const twin = await stripe.customers.create({ email: `twin-${tag}@example.com`, name: `Twin ${tag}` });
    const got = await stripe.customers.retrieve(cus.id);
    await ctx.check([P('customers'), G('customers/{id}')], 'the customer created is the customer read', () => is(!got.deleted && got.email === `${tag}@example.com` && got.name === `Verify ${tag}` && got.metadata.tag === tag, JSON.stringify(got).slice(0, 160)));
    await stripe.customers.update(cus.id, { description: `verified ${tag}` });
    await ctx.check(P('customers/{id}'), 'the update reads back', async () => is(((await stripe.customers.retrieve(cus!.id)) as Stripe.Customer).description === `verified ${tag}`, 'not updated'));
    const all = await walk((after) => stripe.customers.list({ limit: 1, starting_after: after }));
    const full = (await stripe.customers.list({ limit: 100 })).data.map((x) => x.id);
    await ctx.check(G('customers'), 'limit 1 walks every customer once, newest first, and ends', () => is(all.join() === full.join() && all[0] === twin.id && all.includes(cus!.id), `walked ${all.length} of ${full.length}`));
    const byId = new Map((await stripe.customers.list({ limit: 100 })).data.map((x) => [x.id, x]));
    await ctx.check(G('customers'), 'each customer listed as created', () => is(byId.get(cus!.id)?.email === `${tag}@example.com` && byId.get(twin.id)?.email === `twin-${tag}@example.com`, 'emails differ'));
    const found = await stripe.customers.search({ query: `email:'${tag}@example.com'` });
    await ctx.check(G('customers/search'), 'the email query finds that customer only', () => is(found.data.length === 1 && found.data[0]!.id === cus!.id && found.data[0]!.email === `${tag}@example.com`, `found ${found.data.map((x) => x.id)}`));
  });

  await ctx.step('customer balance transactions', async () => {
    const c = need(cus, 'customer');
    const t = await stripe.customers.createBalanceTransaction(c.id, { amount: -500, currency: 'usd', description: 'credit' });
    const after = (await stripe.customers.retrieve(c.id)) as Stripe.Customer;
    await ctx.check(P('customers/{id}/balance_transactions'), 'the credit moves the customer\'s balance', () => is(t.amount === -500 && t.ending_balance === -500 && after.balance === -500, `balance ${after.balance}`));
    const r = await stripe.customers.retrieveBalanceTransaction(c.id, t.id);
    await stripe.customers.updateBalanceTransaction(c.id, t.id, { description: `goodwill ${tag}` });
    const l = await stripe.customers.listBalanceTransactions(c.id);
    await ctx.check([G('customers/{id}/balance_transactions/{id}'), POST_BT, G('customers/{id}/balance_transactions')], 'read, updated and listed', () => is(r.id === t.id && l.data.length === 1 && l.data[0]!.description === `goodwill ${tag}`, JSON.stringify(l.data).slice(0, 120)));
  });

  await ctx.step('customer cash balance and funding instructions', async () => {
    const c = need(cus, 'customer');
    await stripe.customers.retrieveCashBalance(c.id);
    await stripe.customers.updateCashBalance(c.id, { settings: { reconciliation_mode: 'manual' } });
    await ctx.check([P('customers/{id}/cash_balance'), G('customers/{id}/cash_balance')], 'the reconciliation mode reads back', async () => is((await stripe.customers.retrieveCashBalance(c.id)).settings.reconciliation_mode === 'manual', 'not manual'));
    await stripe.customers.listCashBalanceTransactions(c.id);
    const fi = await stripe.customers.createFundingInstructions(c.id, { funding_type: 'bank_transfer', currency: 'eur', bank_transfer: { type: 'eu_bank_transfer', eu_bank_transfer: { country: 'DE' } } });
    await ctx.check(P('customers/{id}/funding_instructions'), 'EUR bank transfer instructions with an IBAN in Germany', () => is(fi.currency === 'eur' && fi.bank_transfer.type === 'eu_bank_transfer' && fi.bank_transfer.financial_addresses.some((x) => x.iban?.country === 'DE'), JSON.stringify(fi.bank_transfer).slice(0, 160)));
  });

  await ctx.step('customer cash balance transactions', async () => {
    const c = need(cus, 'customer');
    // Stripe's test helper (an incoming bank transfer) is what funds a cash balance.
    const funded = await stripe.testHelpers.customers.fundCashBalance(c.id, { amount: 5000, currency: 'eur', reference: `REF-${tag}` });
    const listed = await stripe.customers.listCashBalanceTransactions(c.id, { limit: 3 });
    await ctx.check(G('customers/{id}/cash_balance_transactions'), 'the funding is listed', () => is(listed.data.some((t) => t.id === funded.id && t.type === 'funded' && t.net_amount === 5000), `funded transaction ${funded.id} not listed`));
    const one = await stripe.customers.retrieveCashBalanceTransaction(c.id, funded.id);
    const cash = await stripe.customers.retrieveCashBalance(c.id);
    await ctx.check([G('customers/{id}/cash_balance_transactions/{id}'), G('customers/{id}/cash_balance')], 'the funded amount is available', () => is(one.id === funded.id && cash.available?.eur === 5000, `cash balance available ${JSON.stringify(cash.available)} after funding 5000 eur`));
  });

  await ctx.step('customer tax ids', async () => {
    const c = need(cus, 'customer');
    taxId = await stripe.customers.createTaxId(c.id, { type: 'eu_vat', value: 'DE123456789' });
    const r = await stripe.customers.retrieveTaxId(c.id, taxId.id);
    const l = await stripe.customers.listTaxIds(c.id);
    await ctx.check([P('customers/{id}/tax_ids'), G('customers/{id}/tax_ids/{id}'), G('customers/{id}/tax_ids')], 'the tax id is read and listed with its value', () => is(r.value === 'DE123456789' && r.type === 'eu_vat' && l.data.length === 1 && l.data[0]!.id === taxId!.id, JSON.stringify(l.data).slice(0, 120)));
  });

  await ctx.step('customer sources', async () => {
    const c = need(cus, 'customer');
    card = await stripe.customers.createSource(c.id, { source: 'tok_visa' });
    await stripe.customers.retrieveSource(c.id, card.id);
    await stripe.customers.updateSource(c.id, card.id, { name: `Ada ${tag}` });
    const read = (await stripe.customers.retrieveSource(c.id, card.id)) as Stripe.Card;
    await ctx.check([P('customers/{id}/sources'), G('customers/{id}/sources/{id}'), P('customers/{id}/sources/{id}')], 'a visa card, named as updated', () => is(read.brand === 'Visa' && read.last4 === '4242' && read.name === `Ada ${tag}`, JSON.stringify(read).slice(0, 160)));
    bank = await stripe.customers.createSource(c.id, {
      source: { object: 'bank_account', country: 'US', currency: 'usd', account_holder_name: 'Ada Lovelace', account_holder_type: 'individual', routing_number: '110000000', account_number: '000123456789' } as never,
    });
    const verified = await stripe.customers.verifySource(c.id, bank.id, { amounts: [32, 45] });
    const srcs = await stripe.customers.listSources(c.id);
    await ctx.check(P('customers/{id}/sources/{id}/verify'), 'the bank account is verified', () => is((verified as Stripe.BankAccount).status === 'verified', JSON.stringify(verified).slice(0, 120)));
    await ctx.check(G('customers/{id}/sources'), 'both sources listed', () => is(srcs.data.length === 2 && (srcs.data.find((x) => x.id === card!.id) as Stripe.Card | undefined)?.last4 === '4242' && (srcs.data.find((x) => x.id === bank!.id) as Stripe.BankAccount | undefined)?.last4 === '6789', `listed ${srcs.data.map((x) => x.id)}`));
  });

  await ctx.step('customer payment methods', async () => {
    const c = need(cus, 'customer');
    const list = await stripe.customers.listPaymentMethods(c.id);
    const pm = need(list.data[0], 'payment method');
    const one = await stripe.customers.retrievePaymentMethod(c.id, pm.id);
    await ctx.check([G('customers/{id}/payment_methods'), G('customers/{id}/payment_methods/{id}')], 'the card shows as the customer\'s payment method', () => is(list.data.some((x) => x.card?.last4 === '4242') && one.id === pm.id && one.customer === c.id, JSON.stringify(list.data).slice(0, 160)));
  });

  await ctx.step('invoice items', async () => {
    const c = need(cus, 'customer');
    const p = need(price, 'price');
    const item = await stripe.invoiceItems.create({ customer: c.id, pricing: { price: p.id }, quantity: 2 });
    await ctx.errorCase(P('invoiceitems'), 'customer missing', { status: 400, code: 'parameter_missing' }, () => stripe.invoiceItems.create({ amount: 1, currency: 'usd' } as never));
    const r = await stripe.invoiceItems.retrieve(item.id);
    await ctx.check([P('invoiceitems'), G('invoiceitems/{id}')], 'quantity × unit amount', () => is(r.amount === 3000 && r.quantity === 2 && r.customer === c.id, JSON.stringify(r).slice(0, 160)));
    await stripe.invoiceItems.update(item.id, { quantity: 3 });
    await ctx.check([P('invoiceitems/{id}'), G('invoiceitems/{id}')], 'the new quantity re-prices the item', async () => is((await stripe.invoiceItems.retrieve(item.id)).amount === 4500, 'amount not 4500'));
    pendingItem = await stripe.invoiceItems.create({ customer: c.id, amount: 250, currency: 'usd', description: 'Setup fee' });
    const listed = await stripe.invoiceItems.list({ customer: c.id });
    await ctx.check(G('invoiceitems'), 'customer= lists both pending items', () => is(listed.data.length === 2 && listed.data.every((x) => x.customer === c.id), `listed ${listed.data.length}`));
  });

  await ctx.step('invoices: draft, lines, update', async () => {
    const c = need(cus, 'customer');
    const p = need(price, 'price');
    const inv = await stripe.invoices.create({ customer: c.id, pending_invoice_items_behavior: 'include', metadata: { tag } });
    const got = await stripe.invoices.retrieve(inv.id);
    await ctx.check([P('invoices'), G('invoices/{id}')], 'a draft that took the pending items', () => is(got.status === 'draft' && got.customer === c.id && got.total === 4750, `status ${got.status} total ${got.total}`));
    await stripe.invoices.update(inv.id, { description: `Verified ${tag}` });
    await ctx.check([P('invoices/{id}'), G('invoices/{id}')], 'the update reads back', async () => is((await stripe.invoices.retrieve(inv.id)).description === `Verified ${tag}`, 'not updated'));
    const added = await stripe.invoices.addLines(inv.id, { lines: [{ pricing: { price: p.id }, quantity: 1 }, { amount: 99, description: 'misc' }] });
    const lines = await stripe.invoices.listLineItems(inv.id);
    const [l1, l2] = [need(added.lines.data.at(-2), 'line'), need(added.lines.data.at(-1), 'line')];
    await stripe.invoices.updateLines(inv.id, { lines: [{ id: l1.id, quantity: 2 }] });
    await stripe.invoices.updateLineItem(inv.id, l2.id, { description: 'misc (edited)' });
    const mid = await stripe.invoices.listLineItems(inv.id);
    await stripe.invoices.removeLines(inv.id, { lines: [{ id: l2.id, behavior: 'delete' }] });
    const end = await stripe.invoices.retrieve(inv.id);
    const endLines = await stripe.invoices.listLineItems(inv.id);
    await ctx.check(P('invoices/{id}/add_lines'), 'two lines added, the total with them', () => is(added.lines.data.length === lines.data.length && added.total === 4750 + 1500 + 99, `total ${added.total}`));
    await ctx.check(G('invoices/{id}/lines'), 'lists every line, each once', () => is(lines.data.length === 4 && new Set(lines.data.map((x) => x.id)).size === 4, `lines ${lines.data.length}`));
    await ctx.check(P('invoices/{id}/update_lines'), 'the line\'s new quantity re-prices it', () => is(mid.data.find((x) => x.id === l1.id)?.amount === 3000, JSON.stringify(mid.data.map((x) => x.amount))));
    await ctx.check(P('invoices/{id}/lines/{id}'), 'the line\'s new description reads back', () => is(mid.data.find((x) => x.id === l2.id)?.description === 'misc (edited)', 'not edited'));
    await ctx.check([P('invoices/{id}/remove_lines'), G('invoices/{id}/lines'), G('invoices/{id}')], 'the removed line is gone from lines and total', () => is(!endLines.data.some((x) => x.id === l2.id) && end.total === 4750 + 3000, `total ${end.total}`));
    const other = await stripe.invoices.create({ customer: need(cus, 'customer').id });
    const listed = await stripe.invoices.list({ customer: c.id, limit: 100 });
    const walked = await walk((after) => stripe.invoices.list({ customer: c.id, limit: 1, starting_after: after }));
    await ctx.check(G('invoices'), 'newest first; limit 1 walks each once and ends', () => is(listed.data[0]?.id === other.id && walked.join() === listed.data.map((x) => x.id).join(), `walked ${walked.length} of ${listed.data.length}`));
    const found = await stripe.invoices.search({ query: `metadata['tag']:'${tag}'` });
    await ctx.check(G('invoices/search'), 'the metadata query finds the tagged invoice only', () => is(found.data.length === 1 && found.data[0]!.id === inv.id, `found ${found.data.map((x) => x.id)}`));
    await stripe.invoices.del(other.id);
  });

  const openInvoice = async (amount: number) => {
    const c = need(cus, 'customer');
    const inv = await stripe.invoices.create({ customer: c.id });
    await stripe.invoiceItems.create({ customer: c.id, invoice: inv.id, amount, currency: 'usd' });
    return stripe.invoices.finalizeInvoice(inv.id);
  };

  await ctx.step('invoices: finalize, pay, send', async () => {
    const inv = await openInvoice(1000);
    // The customer's -500 credit balance is applied when the invoice is finalized.
    await ctx.check(P('invoices/{id}/finalize'), 'open, numbered, the credit applied', () => is(inv.status === 'open' && !!inv.number && inv.total === 1000 && inv.amount_due === 500 && inv.lines.data.length === 1, `status ${inv.status} total ${inv.total} due ${inv.amount_due}`));
    const paid = await stripe.invoices.pay(inv.id, { paid_out_of_band: true });
    await ctx.check(P('invoices/{id}/pay'), 'paid, nothing left due', async () => is(paid.status === 'paid' && (await stripe.invoices.retrieve(inv.id)).status === 'paid' && paid.amount_remaining === 0 && paid.lines.data[0]?.amount === 1000, `status ${paid.status}`));
    await ctx.errorCase(P('invoices/{id}/finalize'), 'an invoice no longer a draft', { status: 400, code: 'invoice_not_editable' }, () => stripe.invoices.finalizeInvoice(inv.id));
    const sent = await stripe.invoices.sendInvoice(inv.id);
    await ctx.check(P('invoices/{id}/send'), 'the same invoice, still paid', () => is(sent.id === inv.id && sent.status === 'paid' && sent.lines.data[0]?.amount === 1000, `status ${sent.status}`));
  });

  await ctx.step('invoices: void, mark uncollectible, attach payment', async () => {
    const v = await stripe.invoices.voidInvoice((await openInvoice(700)).id);
    await ctx.check(P('invoices/{id}/void'), 'void reads back', async () => is(v.status === 'void' && v.lines.data[0]?.amount === 700 && (await stripe.invoices.retrieve(v.id)).status === 'void', `status ${v.status}`));
    const m = await stripe.invoices.markUncollectible((await openInvoice(800)).id);
    await ctx.check(P('invoices/{id}/mark_uncollectible'), 'uncollectible reads back', async () => is(m.status === 'uncollectible' && m.lines.data[0]?.amount === 800 && (await stripe.invoices.retrieve(m.id)).status === 'uncollectible', `status ${m.status}`));
    // A succeeded PaymentIntent of the invoice's customer and currency pays it.
    const intent = await stripe.paymentIntents.create({ amount: 900, currency: 'usd', customer: need(cus, 'customer').id, allowed_payment_method_types: ['card'], payment_method: 'pm_card_visa', confirm: true });
    const pi = intent.id;
    const a = await stripe.invoices.attachPayment((await openInvoice(900)).id, { payment_intent: pi });
    await ctx.check(P('invoices/{id}/attach_payment'), 'the payment is on the invoice', async () => {
      is(a.lines.data[0]?.amount === 900 && a.status === 'paid' && a.amount_paid === 900, `status ${a.status} paid ${a.amount_paid} lines ${a.lines.data.map((l) => l.amount)}`);
      const r = await stripe.invoices.retrieve(a.id, { expand: ['payments'] });
      is(JSON.stringify(r.payments ?? {}).includes(pi), JSON.stringify(r.payments).slice(0, 160));
    });
  });

  await ctx.step('invoices: create preview', async () => {
    const c = need(cus, 'customer');
    const before = (await stripe.invoices.list({ customer: c.id, limit: 100 })).data.length;
    const pv = await stripe.invoices.createPreview({ customer: c.id, invoice_items: [{ price: need(price, 'price').id, quantity: 2 }] });
    const after = (await stripe.invoices.list({ customer: c.id, limit: 100 })).data.length;
    await ctx.check(P('invoices/create_preview'), 'prices the items and saves nothing', () => is(pv.lines.data.some((l) => l.amount === 3000) && before === after, `lines ${pv.lines.data.map((l) => l.amount)}, ${before} -> ${after}`));
  });

  await ctx.step('payment methods', async () => {
    const c = need(cus, 'customer');
    const pm = await stripe.paymentMethods.create({ type: 'card', card: { token: 'tok_visa' } });
    const got = await stripe.paymentMethods.retrieve(pm.id);
    const visa = (x: Stripe.PaymentMethod) => x.card?.last4 === '4242' && x.card?.brand === 'visa' && (x.card?.networks?.available ?? []).includes('visa');
    await ctx.check(P('payment_methods'), 'the answer is a visa PaymentMethod on the visa network', () => is(pm.type === 'card' && visa(pm), JSON.stringify(pm).slice(0, 160)));
    await ctx.check([P('payment_methods'), G('payment_methods/{id}')], 'a visa PaymentMethod, read back', () => is(got.id === pm.id && visa(got) && got.customer === null, JSON.stringify(got).slice(0, 160)));
    const att = await stripe.paymentMethods.attach(pm.id, { customer: c.id });
    await ctx.errorCase(P('payment_methods/{id}/attach'), 'a declining test card', { status: 402, code: 'card_declined' }, () => stripe.paymentMethods.attach('pm_card_chargeDeclined', { customer: c.id }));
    await stripe.paymentMethods.update(pm.id, { metadata: { tag } });
    const listed = await stripe.paymentMethods.list({ customer: c.id });
    await ctx.check([P('payment_methods/{id}/attach'), P('payment_methods/{id}'), G('payment_methods')], 'attached, updated, listed for the customer', () => is(att.customer === c.id && listed.data.some((x) => x.id === pm.id && x.metadata?.tag === tag), JSON.stringify(listed.data).slice(0, 160)));
    const det = await stripe.paymentMethods.detach(pm.id);
    await ctx.check(P('payment_methods/{id}/detach'), 'the answer is the same visa, with no customer', () => is(det.id === pm.id && det.customer === null && visa(det), JSON.stringify(det).slice(0, 160)));
    await ctx.check([P('payment_methods/{id}/detach'), G('payment_methods')], 'detached, gone from the customer', async () => is(!(await stripe.paymentMethods.list({ customer: c.id })).data.some((x) => x.id === pm.id), 'still attached'));
  });

  await ctx.step('payment intents', async () => {
    const c = need(cus, 'customer');
    const pi = await stripe.paymentIntents.create({ amount: 2000, currency: 'usd', customer: c.id, allowed_payment_method_types: ['card'], metadata: { tag }, amount_details: { line_items: [{ product_name: 'Mug', quantity: 2, unit_cost: 1000 }] } } as never);
    await ctx.errorCase(P('payment_intents'), 'amount missing', { status: 400, code: 'parameter_missing' }, () => stripe.paymentIntents.create({ currency: 'usd' } as never));
    const cardOnly = (x: Stripe.PaymentIntent) => x.payment_method_types.length === 1 && x.payment_method_types[0] === 'card';
    const upd = await stripe.paymentIntents.update(pi.id, { payment_method: 'pm_card_visa' });
    const mid = await stripe.paymentIntents.retrieve(pi.id);
    await ctx.check([P('payment_intents'), P('payment_intents/{id}'), G('payment_intents/{id}')], 'requires_confirmation once it has a payment method; card only, as created', () => is(pi.status === 'requires_payment_method' && upd.status === 'requires_confirmation' && mid.status === 'requires_confirmation' && [pi, upd, mid].every(cardOnly) && mid.amount === 2000, mid.status));
    const done = await stripe.paymentIntents.confirm(pi.id);
    await ctx.check(P('payment_intents/{id}/confirm'), 'succeeded with a charge', () => is(done.status === 'succeeded' && done.amount_received === 2000 && !!done.latest_charge && cardOnly(done), done.status));
    await ctx.errorCase(P('payment_intents/{id}/confirm'), 'a succeeded intent', { status: 400, code: 'payment_intent_unexpected_state' }, () => stripe.paymentIntents.confirm(pi.id));
    const items = await stripe.paymentIntents.listAmountDetailsLineItems(pi.id);
    await ctx.check(G('payment_intents/{id}/amount_details_line_items'), 'the line item given', () => is(items.data.length === 1 && items.data[0]!.product_name === 'Mug', JSON.stringify(items.data).slice(0, 120)));
    const held = await stripe.paymentIntents.create({ amount: 3000, currency: 'usd', customer: c.id, allowed_payment_method_types: ['card'], capture_method: 'manual', payment_method: 'pm_card_visa', confirm: true, payment_method_options: { card: { request_incremental_authorization: 'if_available' } } } as never);
    const grown = await stripe.paymentIntents.incrementAuthorization(held.id, { amount: 3500 });
    await ctx.check(P('payment_intents/{id}/increment_authorization'), 'the authorization grows', () => is(grown.amount_capturable === 3500 && cardOnly(grown), String(grown.amount_capturable)));
    const cap = await stripe.paymentIntents.capture(held.id, { amount_to_capture: 2500 });
    await ctx.check(P('payment_intents/{id}/capture'), 'a partial capture', () => is(held.status === 'requires_capture' && cap.status === 'succeeded' && cap.amount_received === 2500 && cardOnly(cap), cap.status));
    const other = await stripe.paymentIntents.create({ amount: 1000, currency: 'usd', allowed_payment_method_types: ['card'] } as never);
    const canceled = await stripe.paymentIntents.cancel(other.id, { cancellation_reason: 'abandoned' });
    await ctx.check(P('payment_intents/{id}/cancel'), 'canceled with its reason', () => is(canceled.status === 'canceled' && canceled.cancellation_reason === 'abandoned' && cardOnly(canceled) && canceled.amount === 1000, canceled.status));
    const listed = await stripe.paymentIntents.list({ customer: c.id });
    await ctx.check(G('payment_intents'), "the customer's intents, newest first", () => is(listed.data[0]?.id === held.id && listed.data.find((x) => x.id === pi.id)?.amount === 2000 && listed.data.find((x) => x.id === pi.id)?.currency === 'usd', listed.data.map((x) => x.id).join()));
    const found = await stripe.paymentIntents.search({ query: `metadata['tag']:'${tag}'` });
    await ctx.check(G('payment_intents/search'), 'the metadata query finds the tagged intent only', () => is(found.data.length === 1 && found.data[0]!.id === pi.id && found.data[0]!.metadata?.tag === tag && found.data[0]!.amount === 2000, found.data.map((x) => x.id).join()));
    await stripe.testHelpers.customers.fundCashBalance(c.id, { amount: 1500, currency: 'usd' });
    const cb = await stripe.paymentIntents.create({ amount: 1500, currency: 'usd', customer: c.id, allowed_payment_method_types: ['customer_balance'] } as never);
    const applied = await stripe.paymentIntents.applyCustomerBalance(cb.id, { amount: 1500 });
    await ctx.check(P('payment_intents/{id}/apply_customer_balance'), 'the cash balance pays it', () => is(applied.status === 'succeeded' && applied.amount_received === 1500 && applied.payment_method_types.join() === 'customer_balance', applied.status));
    const ach = await stripe.paymentIntents.create({ amount: 1999, currency: 'usd', customer: c.id, allowed_payment_method_types: ['us_bank_account'], confirm: true, payment_method_data: { type: 'us_bank_account', us_bank_account: { routing_number: '110000000', account_number: '000123456789', account_holder_type: 'individual' }, billing_details: { name: 'Ada' } } } as never);
    const verified = await stripe.paymentIntents.verifyMicrodeposits(ach.id, { amounts: [32, 45] });
    await ctx.check(P('payment_intents/{id}/verify_microdeposits'), 'processing after the microdeposits', () => is(ach.status === 'requires_action' && verified.status === 'processing' && verified.payment_method_types.join() === 'us_bank_account', verified.status));
  });

  await ctx.step('coupons, discounts, tax rates', async () => {
    const coupon = await stripe.coupons.create({ percent_off: 10, duration: 'repeating', duration_in_months: 2, metadata: { tag } });
    await ctx.errorCase(P('coupons'), 'duration_in_months missing', { status: 400, code: 'parameter_missing' }, () => stripe.coupons.create({ percent_off: 10, duration: 'repeating' }));
    await stripe.coupons.update(coupon.id, { name: `Ten ${tag}` });
    const got = await stripe.coupons.retrieve(coupon.id);
    const listed = await stripe.coupons.list({ limit: 100 });
    await ctx.check([P('coupons'), P('coupons/{id}'), G('coupons/{id}'), G('coupons')], 'read, renamed and listed', () => is(got.name === `Ten ${tag}` && got.percent_off === 10 && listed.data.some((x) => x.id === coupon.id), JSON.stringify(got).slice(0, 120)));
    const rate = await stripe.taxRates.create({ display_name: `VAT ${tag}`, percentage: 20, inclusive: false });
    await ctx.errorCase(P('tax_rates'), 'inclusive missing', { status: 400, code: 'parameter_missing' }, () => stripe.taxRates.create({ display_name: 'x', percentage: 1 } as never));
    await stripe.taxRates.update(rate.id, { description: tag });
    const r = await stripe.taxRates.retrieve(rate.id);
    const rates = await stripe.taxRates.list({ limit: 100 });
    await ctx.check([P('tax_rates'), P('tax_rates/{id}'), G('tax_rates/{id}'), G('tax_rates')], 'read, described and listed', () => is(r.description === tag && r.percentage === 20 && rates.data.some((x) => x.id === rate.id), JSON.stringify(r).slice(0, 120)));
    const buyer = await stripe.customers.create({ name: `Buyer ${tag}`, coupon: coupon.id } as never);
    const inv = await stripe.invoices.create({ customer: buyer.id, default_tax_rates: [rate.id] });
    await stripe.invoiceItems.create({ customer: buyer.id, invoice: inv.id, amount: 1000, currency: 'usd' });
    const priced = await stripe.invoices.retrieve(inv.id);
    await ctx.check([P('invoices'), G('invoices/{id}')], "the customer's coupon then the tax rate price the invoice", () => is(priced.total_excluding_tax === 900 && priced.total === 1080, `total ${priced.total}`));
    const gone = await stripe.customers.deleteDiscount(buyer.id);
    await ctx.check('DELETE /v1/customers/{id}/discount', 'the discount is gone from the customer', async () => is(gone.deleted === true && ((await stripe.customers.retrieve(buyer.id)) as Stripe.Customer).discount === null, 'still discounted'));
    await stripe.coupons.del(coupon.id);
    await ctx.check('DELETE /v1/coupons/{id}', 'the coupon is gone', async () => is(((await stripe.coupons.retrieve(coupon.id).then(() => null, (x) => x)) as { statusCode?: number } | null)?.statusCode === 404, 'still reads'));
  });

  await ctx.step('test clocks', async () => {
    const T = 'POST /v1/test_helpers/test_clocks';
    const start = 1_767_225_600; // 2026-01-01T00:00:00Z
    const tc = await stripe.testHelpers.testClocks.create({ frozen_time: start, name: `clock ${tag}` });
    const got = await stripe.testHelpers.testClocks.retrieve(tc.id);
    await ctx.check([T, 'GET /v1/test_helpers/test_clocks/{id}'], 'the clock created is the clock read, ready at its frozen time', () => is(got.id === tc.id && got.frozen_time === start && got.name === `clock ${tag}` && got.status === 'ready', JSON.stringify(got).slice(0, 160)));
    const member = await stripe.customers.create({ email: `clocked-${tag}@example.com`, test_clock: tc.id });
    await ctx.check(P('customers'), 'a customer in a test clock is created at its frozen time', () => is(member.test_clock === tc.id && member.created === start, `${member.test_clock} ${member.created}`));
    const adv = await stripe.testHelpers.testClocks.advance(tc.id, { frozen_time: start + 3600 });
    const after = await stripe.testHelpers.testClocks.retrieve(tc.id);
    await ctx.check('POST /v1/test_helpers/test_clocks/{id}/advance', 'advancing answers advancing toward the target, then reads ready there', () => is(adv.status === 'advancing' && adv.status_details.advancing?.target_frozen_time === start + 3600 && after.status === 'ready' && after.frozen_time === start + 3600, `${adv.status} ${after.status} ${after.frozen_time}`));
    await ctx.errorCase('POST /v1/test_helpers/test_clocks/{id}/advance', 'advancing backwards', { status: 400, code: 'parameter_invalid' }, () => stripe.testHelpers.testClocks.advance(tc.id, { frozen_time: start }));
    await ctx.errorCase(T, 'frozen_time missing', { status: 400, code: 'parameter_missing' }, () => stripe.testHelpers.testClocks.create({} as never));
    const other = await stripe.testHelpers.testClocks.create({ frozen_time: start });
    const ids = await walk((after) => stripe.testHelpers.testClocks.list({ limit: 1, starting_after: after }));
    const named = (await stripe.testHelpers.testClocks.list({ limit: 100 })).data.find((x) => x.id === tc.id);
    await ctx.check('GET /v1/test_helpers/test_clocks', 'the clock is listed with its name and its advanced time', () => is(named?.name === `clock ${tag}` && named?.frozen_time === start + 3600 && named?.status === 'ready', JSON.stringify(named).slice(0, 160)));
    await ctx.check('GET /v1/test_helpers/test_clocks', 'limit 1 walks every clock once, newest first, and ends', () => is(ids.length === new Set(ids).size && ids.indexOf(other.id) === 0 && ids.includes(tc.id), `walked ${ids}`));
    await stripe.testHelpers.testClocks.del(other.id);
    await stripe.testHelpers.testClocks.del(tc.id);
    await ctx.check('DELETE /v1/test_helpers/test_clocks/{id}', 'a deleted clock is gone and takes its customers with it', async () => {
      const e = (await stripe.testHelpers.testClocks.retrieve(tc.id).then(() => null, (x) => x)) as { statusCode?: number } | null;
      is(e?.statusCode === 404, 'the clock still reads');
      is(((await stripe.customers.retrieve(member.id)) as { deleted?: boolean }).deleted === true, 'its customer is not deleted');
    });
  });

  await ctx.step('deletes', async () => {
    const c = need(cus, 'customer');
    const draft = await stripe.invoices.create({ customer: c.id });
    await stripe.invoices.del(draft.id);
    const gone = async (op: string, what: string, read: () => Promise<unknown>) =>
      ctx.check(op, `${what} is gone`, async () => {
        const e = (await read().then(() => null, (x) => x)) as { statusCode?: number } | null;
        is(e?.statusCode === 404, `${what} still reads`);
      });
    await gone('DELETE /v1/invoices/{id}', 'the draft', () => stripe.invoices.retrieve(draft.id));
    await stripe.invoiceItems.del(need(pendingItem, 'pending invoice item').id);
    await gone('DELETE /v1/invoiceitems/{id}', 'the item', () => stripe.invoiceItems.retrieve(pendingItem!.id));
    await stripe.customers.deleteTaxId(c.id, need(taxId, 'tax id').id);
    await gone('DELETE /v1/customers/{id}/tax_ids/{id}', 'the tax id', () => stripe.customers.retrieveTaxId(c.id, taxId!.id));
    await stripe.customers.deleteSource(c.id, need(bank, 'bank account').id);
    await gone('DELETE /v1/customers/{id}/sources/{id}', 'the bank account', () => stripe.customers.retrieveSource(c.id, bank!.id));
    await stripe.products.deleteFeature(need(product, 'product').id, need(feature, 'feature').id);
    await gone('DELETE /v1/products/{id}/features/{id}', 'the feature', () => stripe.products.retrieveFeature(product!.id, feature!.id));
    await stripe.products.del(need(spare, 'spare product').id);
    await gone('DELETE /v1/products/{id}', 'the product', () => stripe.products.retrieve(spare!.id));
    await stripe.customers.del(c.id);
    await ctx.check('DELETE /v1/customers/{id}', 'a deleted customer reads as deleted', async () => is(((await stripe.customers.retrieve(c.id)) as { deleted?: boolean }).deleted === true, 'not deleted'));
  });
};
