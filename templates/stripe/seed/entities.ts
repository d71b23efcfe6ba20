import * as v from 'valibot';
import type { AiEntity } from '../../../src/seed/entities.ts';

/**
 * AI-seed entities of the stripe template; the clone's hook
 * (templates/stripe/src/seed-records.ts) resolves references (customer by email, price by
 * lookup key, product by name) and rejects what does not resolve.
 */
const text = (max: number) => v.pipe(v.string(), v.minLength(1), v.maxLength(max));
const metadata = v.optional(v.record(v.pipe(v.string(), v.maxLength(40)), v.pipe(v.string(), v.maxLength(500))));
const lookupKey = v.pipe(v.string(), v.regex(/^[a-z0-9][a-z0-9_-]{0,199}$/, 'lowercase letters, digits, dashes, underscores'));

export const entities: AiEntity[] = [
  {
    name: 'customers',
    dependsOn: [],
    brief: 'a customer (a business or a person) of a SaaS company; `email` is unique',
    scale: 1,
    ref: (r) => (typeof r.email === 'string' ? r.email : undefined),
    schema: v.strictObject({
      name: text(256),
      email: v.pipe(v.string(), v.email()),
      phone: v.optional(v.pipe(v.string(), v.maxLength(20))),
      description: v.optional(v.pipe(v.string(), v.maxLength(350))),
      metadata,
    }),
  },
  {
    name: 'products',
    dependsOn: [],
    brief: 'a product of the SaaS catalogue (a plan or an add-on); `name` is unique',
    scale: 0.4,
    schema: v.strictObject({
      name: text(250),
      description: v.optional(v.pipe(v.string(), v.maxLength(500))),
      active: v.optional(v.boolean()),
      metadata,
    }),
  },
  {
    name: 'prices',
    dependsOn: ['products'],
    brief: 'a price of a product given (by its name); amounts in the smallest currency unit (cents); `lookup_key` is unique, like "pro_monthly"; `interval` for subscriptions, omitted for one-off prices',
    scale: 0.6,
    ref: (r) => (typeof r.lookup_key === 'string' ? r.lookup_key : undefined),
    schema: v.strictObject({
      product: text(250),
      unit_amount: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(99_999_999)),
      currency: v.optional(v.pipe(v.string(), v.regex(/^[a-z]{3}$/, 'a three-letter lowercase currency code'))),
      interval: v.optional(v.picklist(['day', 'week', 'month', 'year'])),
      nickname: v.optional(v.pipe(v.string(), v.maxLength(250))),
      lookup_key: lookupKey,
    }),
  },
  {
    name: 'invoices',
    dependsOn: ['customers', 'prices'],
    brief: 'an invoice of a customer given (by email), with items that either name a price given (by lookup key) with a quantity, or carry a description and an amount in cents; a realistic mix of statuses',
    scale: 1.5,
    schema: v.strictObject({
      customer: v.pipe(v.string(), v.minLength(1)),
      status: v.optional(v.picklist(['draft', 'open', 'paid', 'void', 'uncollectible'])),
      items: v.pipe(
        v.array(v.union([
          v.strictObject({ price: lookupKey, quantity: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(10_000))) }),
          v.strictObject({ description: text(500), amount: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(99_999_999)) }),
        ])),
        v.minLength(1, 'an invoice needs at least one item'),
        v.maxLength(20),
      ),
      description: v.optional(v.pipe(v.string(), v.maxLength(500))),
      collection_method: v.optional(v.picklist(['charge_automatically', 'send_invoice'])),
      days_until_due: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(365))),
    }),
  },
];
