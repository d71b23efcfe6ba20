/** AI seeding of a real Stripe clone, read back through the official stripe SDK. */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import Stripe from 'stripe';
import { cloneHarness } from '../support/clones.ts';
import { describeDocker } from '../support/docker.ts';
import { startFakeAnthropic } from '../support/fake-anthropic.ts';

const records = {
  customers: [
    { name: 'Globex Corp', email: 'billing@globex.test', description: 'enterprise' },
    { name: 'Initech', email: 'ap@initech.test' },
    { name: 'No Email Ltd', email: 'not-an-email' },
  ],
  products: [{ name: 'Rocket Pro', description: 'the pro plan' }, { name: '' }],
  prices: [
    { product: 'Rocket Pro', unit_amount: 4900, currency: 'usd', interval: 'month', lookup_key: 'rocket_pro_monthly' },
    { product: 'No Such Product', unit_amount: 100, lookup_key: 'ghost_price' },
  ],
  invoices: [
    { customer: 'billing@globex.test', status: 'paid', items: [{ price: 'rocket_pro_monthly', quantity: 2 }, { description: 'Onboarding', amount: 15000 }] },
    { customer: 'ap@initech.test', status: 'open', items: [{ price: 'rocket_pro_monthly' }] },
    { customer: 'billing@globex.test', items: [] },
  ],
};

const h = cloneHarness('aistripe');
const fake = startFakeAnthropic({ key: 'test-key', models: ['claude-haiku-4-5'], records });
afterAll(async () => {
  fake.stop();
  await h.cleanup();
}, 180_000);

describeDocker('AI seeding a Stripe clone', () => {
  let clone: any;
  beforeAll(async () => {
    clone = await h.spin('stripe');
  }, 300_000);

  test('valid records are written with computed invoices; invalid and dangling ones are rejected', async () => {
    const r = await h.run(['seed', clone.id, '--ai', '--json'], { ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: fake.url });
    expect(r.code).toBe(0);
    // written: 2 customers, 1 product, 1 price, 2 invoices; rejected: 1 customer, 1 product, 1 invoice (schema), 1 price (clone: unknown product)
    expect(r.json.bySource.ai).toEqual({ written: 6, rejected: 4 });
    expect(r.json.rejections.find((x: any) => x.entity === 'prices').reason).toMatch(/product/i);
    expect(fake.requests.map((q) => q.tool)).toEqual(['write_customers', 'write_products', 'write_prices', 'write_invoices']);
    const invoicePrompt = fake.requests.find((q) => q.tool === 'write_invoices')!.body.messages[0].content;
    expect(invoicePrompt).toContain('billing@globex.test');
    expect(invoicePrompt).toContain('rocket_pro_monthly');

    const url = new URL(clone.endpoints.api);
    const stripe = new Stripe(clone.tokens.botToken, { host: url.hostname, port: Number(url.port), protocol: 'http', maxNetworkRetries: 0, telemetry: false });
    const customers = await stripe.customers.list({ email: 'billing@globex.test' });
    expect(customers.data).toHaveLength(1);
    const invoices = await stripe.invoices.list({ customer: customers.data[0]!.id });
    expect(invoices.data).toHaveLength(1);
    const inv = invoices.data[0]!;
    expect(inv.status).toBe('paid');
    expect(inv.total).toBe(2 * 4900 + 15000);
    expect(inv.amount_paid).toBe(inv.total);
    const prices = await stripe.prices.list({ lookup_keys: ['rocket_pro_monthly'] });
    expect(prices.data[0]?.recurring?.interval).toBe('month');
  }, 60_000);
});
