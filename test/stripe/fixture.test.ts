import { afterAll, beforeAll, expect, test } from 'bun:test';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Stripe from 'stripe';
import { cloneHarness } from '../support/clones.ts';
import { describeDocker } from '../support/docker.ts';
import { expectShape, raw, stripeFor, type StripeClone } from './helpers.ts';

/** The saas fixture pack through the CLI and the SDK; reset; operations.json against the router. */

const ROOT = join(import.meta.dir, '..', '..', 'templates', 'stripe');
const h = cloneHarness('stripe-fix');
let clone: StripeClone;
let stripe: Stripe;

beforeAll(async () => {
  clone = await h.spin('stripe');
  stripe = stripeFor(clone);
  const seeded = await h.run(['seed', clone.id, '--fixture', 'saas', '--json']);
  if (seeded.code !== 0) throw new Error(`seed failed: ${seeded.stdout} ${seeded.stderr}`);
}, 180_000);
afterAll(() => h.cleanup(), 60_000);

describeDocker('stripe saas fixture', () => {
  test('the generator is deterministic and matches the committed pack', async () => {
    const out = join(tmpdir(), `stripe-saas-${process.pid}.sql`);
    const p = Bun.spawnSync(['bun', join(ROOT, 'scripts', 'gen-fixture.ts'), out], { stdout: 'pipe', stderr: 'pipe' });
    expect(p.exitCode).toBe(0);
    expect(await Bun.file(out).text()).toBe(await Bun.file(join(ROOT, 'fixtures', 'saas.sql')).text());
    await Bun.file(out).delete();
  });

  test('40 customers, the catalogue, and invoices in every status are visible through the SDK', async () => {
    const customers = await stripe.customers.list({ limit: 7 }).autoPagingToArray({ limit: 1000 });
    expect(customers).toHaveLength(40);
    expect(customers.map((c) => c.created)).toEqual([...customers.map((c) => c.created)].sort((a, b) => b - a));
    for (const c of customers.slice(0, 3)) expectShape('Customer', (await raw(clone, 'GET', `/v1/customers/${c.id}`)).body);

    const products = await stripe.products.list({ limit: 100 });
    expect(products.data.map((p) => p.name).sort()).toEqual(['Business', 'Enterprise', 'Extra seat', 'Legacy Basic', 'Onboarding package', 'Priority support', 'Pro', 'Starter']);
    const pro = products.data.find((p) => p.name === 'Pro')!;
    const proPrices = await stripe.prices.list({ product: pro.id, expand: ['data.product'] });
    expect(proPrices.data.map((p) => [p.unit_amount, p.recurring?.interval]).sort()).toEqual([[4900, 'month'], [49000, 'year']]);
    expect((await stripe.prices.list({ active: false })).data.map((p) => p.lookup_key)).toEqual(['legacy_monthly']);
    expect((await stripe.prices.search({ query: "lookup_key:'pro_yearly'" })).data[0]!.unit_amount).toBe(49000);

    const invoices = await stripe.invoices.list({ limit: 100 }).autoPagingToArray({ limit: 1000 });
    expect(invoices).toHaveLength(79);
    const statuses = new Set(invoices.map((i) => i.status));
    expect([...statuses].sort()).toEqual(['draft', 'open', 'paid', 'uncollectible', 'void']);
    for (const inv of invoices) {
      const lines = inv.lines.data.reduce((s, l) => s + l.amount, 0);
      expect(inv.subtotal).toBe(lines);
      expect(inv.total).toBe(inv.subtotal);
      expect(inv.amount_remaining).toBe(inv.amount_due - inv.amount_paid);
      if (inv.status === 'paid') expect(inv.amount_remaining).toBe(0);
      if (inv.status !== 'draft') expect(inv.number).toMatch(/^[A-F0-9]{8}-\d{4}$/);
      else expect(inv.number).toBeNull();
    }
    for (const s of ['draft', 'open', 'paid', 'void', 'uncollectible']) {
      const one = invoices.find((i) => i.status === s)!;
      expectShape('Invoice', (await raw(clone, 'GET', `/v1/invoices/${one.id}`)).body);
    }
    const pending = await stripe.invoiceItems.list({ pending: true, limit: 100 });
    expect(pending.data.length).toBeGreaterThan(0);
    expect(pending.data.every((i) => i.invoice === null && i.description === 'Priority support')).toBe(true);
  });

  test('fixture objects take part in the API: search, finalize a draft, pay an open invoice', async () => {
    const acme = await stripe.customers.search({ query: "name:'Acme'" });
    expect(acme.data).toHaveLength(1);
    const gold = await stripe.customers.search({ query: "metadata['plan']:'enterprise'" });
    expect(gold.data.length).toBe(10);

    const draft = (await stripe.invoices.list({ status: 'draft', limit: 1 })).data[0]!;
    const cus = (await stripe.customers.retrieve(draft.customer as string)) as Stripe.Customer;
    const fin = await stripe.invoices.finalizeInvoice(draft.id);
    expect(fin.number).toBe(`${cus.invoice_prefix}-${String(cus.next_invoice_sequence).padStart(4, '0')}`);
    const open = (await stripe.invoices.list({ status: 'open', limit: 1 })).data[0]!;
    const paid = await stripe.invoices.pay(open.id, { paid_out_of_band: true });
    expect(paid).toMatchObject({ status: 'paid', amount_remaining: 0, amount_paid: open.amount_due });
    const page = await fetch(paid.hosted_invoice_url!);
    expect(await page.text()).toContain(paid.number!);
  });

  test('reset restores the seeded state and the keys keep working', async () => {
    const extra = await stripe.customers.create({ name: 'After seed' });
    const r = await h.run(['reset', clone.id, '--json']);
    expect(r.code).toBe(0);
    expect((await stripe.customers.retrieve(extra.id).catch((e) => e)).statusCode).toBe(404);
    expect((await stripe.customers.list({ limit: 100 })).data).toHaveLength(40);
    expect((await stripe.invoices.list({ status: 'draft', limit: 100 })).data).toHaveLength(9);
  });

  test('operations.json: every implemented operation is routed, every other one answers "not emulated"', async () => {
    const ops = (await Bun.file(join(ROOT, 'operations.json')).json()) as Array<{ method: string; path: string; implemented: boolean }>;
    expect(ops).toHaveLength(98);
    expect(ops.filter((o) => o.implemented).length).toBe(98);
    for (const op of ops) {
      const path = op.path.replace(/\{id\}/g, 'zz_missing');
      const res = await raw(clone, op.method, path, op.method === 'POST' ? '' : undefined);
      expect(res.headers.get('request-id')).toMatch(/^req_/);
      expect(res.body.error ? typeof res.body.error.message : 'ok').toBeString();
      const notEmulated = res.status === 404 && String(res.body.error?.message).includes('not emulated');
      expect([op.method, op.path, notEmulated]).toEqual([op.method, op.path, !op.implemented]);
    }
  });
});
