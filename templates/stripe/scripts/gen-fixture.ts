/**
 * Generates fixtures/saas.sql: a small SaaS business ("Northwind Cloud") in test mode —
 * a catalogue of plans with monthly/yearly prices plus one-time add-ons, 40 customers, and
 * invoices in every status (draft, open, paid, void, uncollectible) with pending invoice
 * items on top. Deterministic: a seeded PRNG, fixed timestamps and insertion order, so the
 * same script always writes the same bytes.
 *
 * How it relates to provision: a clone is one Stripe account, and vendor objects carry no
 * account column, so the pack's objects belong to the provisioned account whatever its id
 * (invoices name it "Asym Test Account", the name provision gives it).
 *
 *   bun templates/stripe/scripts/gen-fixture.ts [out.sql]
 */
import { join } from 'node:path';
import { prng } from '../../_kit/prng.ts';
import { newCustomer } from '../src/handlers/customers.ts';
import { applyTotals, newInvoice } from '../src/handlers/invoices.ts';
import { itemLine, newItem } from '../src/handlers/invoiceitems.ts';
import type { Obj } from '../src/store.ts';

const { rand, pick } = prng(0x5eed5);
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const rid = (prefix: string, n = 24) => `${prefix}_${Array.from({ length: n }, () => ALNUM[Math.floor(rand() * ALNUM.length)]).join('')}`;

const BASE = 1_767_225_600; // 2026-01-01T00:00:00Z
const DAY = 86_400;
const ACCOUNT = { name: 'Asym Test Account', country: 'US' };

const rows: Array<{ kind: string; data: Obj; parent?: string | null }> = [];
const add = (kind: string, data: Obj, parent: string | null = null) => rows.push({ kind, data, parent });

// ---- catalogue
interface Plan {
  key: string;
  name: string;
  description: string;
  monthly: number;
  yearly: number;
}
const PLANS: Plan[] = [
  { key: 'starter', name: 'Starter', description: 'For small teams getting started.', monthly: 1900, yearly: 19000 },
  { key: 'pro', name: 'Pro', description: 'For growing teams that need more.', monthly: 4900, yearly: 49000 },
  { key: 'business', name: 'Business', description: 'Advanced controls and SSO.', monthly: 9900, yearly: 99000 },
  { key: 'enterprise', name: 'Enterprise', description: 'Dedicated support and custom terms.', monthly: 29900, yearly: 299000 },
];
const ADDONS = [
  { key: 'onboarding', name: 'Onboarding package', description: 'Guided setup with a solutions engineer.', amount: 50000 },
  { key: 'extra_seat', name: 'Extra seat', description: 'One additional user seat.', amount: 900 },
  { key: 'priority_support', name: 'Priority support', description: '24/7 support with a 1-hour response time.', amount: 15000 },
];

function product(key: string, name: string, description: string, created: number): Obj {
  return {
    id: `prod_${key === 'extra_seat' ? 'ExtraSeat' : key.charAt(0).toUpperCase() + key.slice(1)}${rid('x', 8).slice(2)}`,
    object: 'product',
    active: true,
    created,
    default_price: null,
    description,
    images: [],
    livemode: false,
    marketing_features: [],
    metadata: { tier: key },
    name,
    package_dimensions: null,
    shippable: null,
    statement_descriptor: null,
    tax_code: null,
    tax_details: null,
    type: 'service',
    unit_label: key === 'extra_seat' ? 'seat' : null,
    updated: created,
    url: null,
  };
}

function price(productId: string, amount: number, created: number, lookup: string, interval: 'month' | 'year' | null, nickname: string): Obj {
  return {
    id: rid('price'),
    object: 'price',
    active: true,
    billing_scheme: 'per_unit',
    created,
    currency: 'usd',
    custom_unit_amount: null,
    livemode: false,
    lookup_key: lookup,
    metadata: {},
    nickname,
    product: productId,
    recurring: interval ? { interval, interval_count: 1, meter: null, trial_period_days: null, usage_type: 'licensed' } : null,
    tax_behavior: 'exclusive',
    tiers_mode: null,
    transform_quantity: null,
    type: interval ? 'recurring' : 'one_time',
    unit_amount: amount,
    unit_amount_decimal: String(amount),
  };
}

const planPrices = new Map<string, { monthly: Obj; yearly: Obj; product: Obj }>();
let t = BASE - 90 * DAY;
for (const p of PLANS) {
  const prod = product(p.key, p.name, p.description, t);
  const monthly = price(prod.id, p.monthly, t + 60, `${p.key}_monthly`, 'month', `${p.name} monthly`);
  const yearly = price(prod.id, p.yearly, t + 120, `${p.key}_yearly`, 'year', `${p.name} yearly`);
  prod.default_price = monthly.id;
  add('product', prod);
  add('price', monthly);
  add('price', yearly);
  planPrices.set(p.key, { monthly, yearly, product: prod });
  t += 3600;
}
// A retired plan: inactive product with an inactive price.
{
  const legacy = product('legacy', 'Legacy Basic', 'The 2024 entry plan, no longer sold.', t);
  legacy.active = false;
  const lp = price(legacy.id, 900, t + 60, 'legacy_monthly', 'month', 'Legacy monthly');
  lp.active = false;
  add('product', legacy);
  add('price', lp);
  t += 3600;
}
const addonPrices = new Map<string, Obj>();
for (const a of ADDONS) {
  const prod = product(a.key, a.name, a.description, t);
  const pr = price(prod.id, a.amount, t + 60, a.key, null, a.name);
  prod.default_price = pr.id;
  add('product', prod);
  add('price', pr);
  addonPrices.set(a.key, pr);
  t += 3600;
}

// ---- customers
const FIRST = ['Ada', 'Grace', 'Alan', 'Linus', 'Margaret', 'Ken', 'Barbara', 'Dennis', 'Frances', 'Edsger', 'Radia', 'John', 'Hedy', 'Tim', 'Katherine', 'Donald', 'Joan', 'Guido', 'Sophie', 'Bjarne'];
const COMPANIES = ['Acme', 'Globex', 'Initech', 'Umbrella', 'Hooli', 'Vandelay', 'Stark', 'Wayne', 'Tyrell', 'Cyberdyne', 'Soylent', 'Wonka', 'Aperture', 'Black Mesa', 'Pied Piper', 'Dunder Mifflin', 'Gringotts', 'Oscorp', 'Monarch', 'Massive Dynamic'];
const CITIES = [
  { city: 'San Francisco', state: 'CA', postal_code: '94107', country: 'US' },
  { city: 'New York', state: 'NY', postal_code: '10001', country: 'US' },
  { city: 'Austin', state: 'TX', postal_code: '73301', country: 'US' },
  { city: 'Seattle', state: 'WA', postal_code: '98101', country: 'US' },
  { city: 'London', state: null, postal_code: 'EC1A 1BB', country: 'GB' },
  { city: 'Berlin', state: null, postal_code: '10115', country: 'DE' },
];

const customers: Array<{ cus: Obj; plan: string; yearly: boolean }> = [];
for (let i = 0; i < 40; i++) {
  const created = BASE - 60 * DAY + i * 36 * 3600;
  const company = `${COMPANIES[i % COMPANIES.length]}${i >= COMPANIES.length ? ' Labs' : ''}`;
  const first = FIRST[i % FIRST.length] as string;
  const slug = company.toLowerCase().replace(/[^a-z]+/g, '');
  const cus = newCustomer(created);
  cus.id = rid('cus', 14);
  cus.invoice_prefix = Array.from({ length: 8 }, () => pick([...'ABCDEF0123456789'])).join('');
  cus.name = company;
  cus.email = `${first.toLowerCase()}@${slug}.example`;
  cus.phone = `+1415555${String(1000 + i).slice(-4)}`;
  cus.description = `${company} — primary billing contact ${first}`;
  const addr = CITIES[i % CITIES.length] as Obj;
  cus.address = { city: addr.city, country: addr.country, line1: `${100 + i} Market Street`, line2: null, postal_code: addr.postal_code, state: addr.state };
  cus.preferred_locales = addr.country === 'DE' ? ['de'] : ['en'];
  const plan = (PLANS[i % PLANS.length] as Plan).key;
  const yearly = i % 5 === 0;
  cus.metadata = { plan, billing: yearly ? 'yearly' : 'monthly', account_manager: pick(['sam', 'riley', 'jordan']) };
  if (i % 13 === 7) cus.balance = -2500; // a goodwill credit
  cus.currency = 'usd';
  customers.push({ cus, plan, yearly });
}

// ---- invoices: each customer gets a history; statuses cycle so every status appears.
const STATUS_CYCLE = ['paid', 'paid', 'open', 'paid', 'void', 'paid', 'uncollectible', 'draft'] as const;
let invoiceCount = 0;
let itemCount = 0;
const invoices: Obj[] = [];
const items: Obj[] = [];
for (const [ci, { cus, plan, yearly }] of customers.entries()) {
  const history = 1 + (ci % 3);
  const pp = planPrices.get(plan) as { monthly: Obj; yearly: Obj; product: Obj };
  for (let h = 0; h < history; h++) {
    const status = STATUS_CYCLE[(ci + h * 3) % STATUS_CYCLE.length] as (typeof STATUS_CYCLE)[number];
    const created = cus.created + (h + 1) * 30 * DAY - ((ci * 7919) % 3600);
    const inv = newInvoice(cus, ACCOUNT, 'usd', created);
    inv.id = rid('in');
    inv.collection_method = ci % 4 === 1 ? 'send_invoice' : 'charge_automatically';
    if (inv.collection_method === 'send_invoice') inv.due_date = created + 30 * DAY;
    inv.description = `${(pp.product.name as string)} subscription — period ${h + 1}`;
    inv.metadata = { source: 'fixture', period: String(h + 1) };
    const lines: Obj[] = [];
    const mk = (amount: number, description: string, quantity: number, priceObj: Obj | null) => {
      const it = newItem(cus.id, created);
      it.id = rid('ii');
      it._line_id = rid('il');
      it.invoice = inv.id;
      it.currency = 'usd';
      it.description = description;
      it.quantity = quantity;
      it.quantity_decimal = String(quantity);
      it.amount = amount;
      it.net_amount = amount;
      it.period = { end: created + (yearly ? 365 : 30) * DAY, start: created };
      if (priceObj) {
        it.pricing = { price_details: { price: priceObj.id, product: priceObj.product }, type: 'price_details', unit_amount_decimal: priceObj.unit_amount_decimal };
      } else {
        it._unit = amount / quantity;
        it.pricing = { type: 'price_details', unit_amount_decimal: String(amount / quantity) };
      }
      lines.push(it);
    };
    const planPrice = yearly ? pp.yearly : pp.monthly;
    mk(planPrice.unit_amount as number, `${pp.product.name} plan (${yearly ? 'yearly' : 'monthly'})`, 1, null);
    if (h === 0 && ci % 3 === 0) mk(50000, 'Onboarding package', 1, addonPrices.get('onboarding') as Obj);
    if (ci % 4 === 2) {
      const seats = 1 + (ci % 5);
      mk(900 * seats, 'Extra seat', seats, addonPrices.get('extra_seat') as Obj);
    }
    applyTotals(inv, lines);
    if (status !== 'draft') {
      const seq = Number(cus.next_invoice_sequence);
      inv.number = `${cus.invoice_prefix}-${String(seq).padStart(4, '0')}`;
      cus.next_invoice_sequence = seq + 1;
      const fin = created + 3600;
      inv.status_transitions.finalized_at = fin;
      inv.effective_at = fin;
      inv.starting_balance = 0;
      inv.ending_balance = 0;
      inv.amount_due = inv.total;
      inv.amount_remaining = inv.total;
      inv.status = status === 'paid' ? 'paid' : status === 'void' ? 'void' : status === 'uncollectible' ? 'uncollectible' : 'open';
      if (status === 'paid') {
        inv.amount_paid = inv.total;
        inv.amount_remaining = 0;
        inv.attempted = true;
        inv.attempt_count = 1;
        inv.status_transitions.paid_at = fin + 600;
      } else if (status === 'void') {
        inv.status_transitions.voided_at = fin + 5 * DAY;
      } else if (status === 'uncollectible') {
        inv.attempted = true;
        inv.attempt_count = 4;
        inv.status_transitions.marked_uncollectible_at = fin + 21 * DAY;
      } else {
        inv.auto_advance = inv.collection_method === 'charge_automatically';
        inv.next_payment_attempt = inv.auto_advance ? fin + 3 * DAY : null;
      }
    }
    invoices.push(inv);
    items.push(...lines);
    invoiceCount++;
    itemCount += lines.length;
  }
}
// Pending invoice items (not yet on an invoice) for a few customers.
for (const [ci, { cus }] of customers.entries()) {
  if (ci % 6 !== 3) continue;
  const created = BASE + 10 * DAY + ci * 3600;
  const it = newItem(cus.id, created);
  it.id = rid('ii');
  it._line_id = rid('il');
  const pr = addonPrices.get('priority_support') as Obj;
  it.currency = 'usd';
  it.description = 'Priority support';
  it.amount = pr.unit_amount as number;
  it.net_amount = it.amount;
  it.pricing = { price_details: { price: pr.id, product: pr.product }, type: 'price_details', unit_amount_decimal: pr.unit_amount_decimal };
  items.push(it);
  itemCount++;
}

for (const { cus } of customers) add('customer', cus);
for (const inv of invoices) add('invoice', inv);
for (const it of items) add('invoiceitem', it);
void itemLine;

// ---- SQL
const esc = (s: string) => s.replace(/'/g, "''");
const out: string[] = [];
out.push(`-- asym-fixture: saas records=${rows.length}`);
out.push('-- Northwind Cloud: 4 plans (monthly + yearly prices), 1 retired plan, 3 add-ons,');
out.push(`-- ${customers.length} customers, ${invoiceCount} invoices (draft/open/paid/void/uncollectible), ${itemCount} invoice items.`);
out.push('-- Generated by templates/stripe/scripts/gen-fixture.ts; do not edit by hand.');
for (const r of rows) {
  const created = Number(r.data.created ?? r.data.date);
  out.push(
    `insert into stripe_objects (id, kind, created, parent, data) values ('${esc(r.data.id)}', '${r.kind}', ${created}, ${r.parent ? `'${esc(r.parent)}'` : 'null'}, '${esc(JSON.stringify(r.data))}'::jsonb);`,
  );
}
const file = process.argv[2] ?? join(import.meta.dir, '..', 'fixtures', 'saas.sql');
await Bun.write(file, `${out.join('\n')}\n`);
process.stdout.write(`${file}: ${rows.length} records (${customers.length} customers, ${invoiceCount} invoices, ${itemCount} items)\n`);
