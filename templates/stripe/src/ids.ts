import { randomString } from '../../_kit/auth.ts';
import { clockSeconds } from '../../_kit/clock.ts';

/** Stripe-shaped ids: a type prefix and a random base62 body (cus_ and prod_ are 14 long, the rest 24). */
export function newId(prefix: string): string {
  const len = prefix === 'cus' || prefix === 'prod' ? 14 : 24;
  return `${prefix}_${randomString(len)}`;
}

/** The clone's clock (Stripe's `created`, due dates), in unix seconds; never the wall clock. */
export function nowSeconds(): number {
  return clockSeconds();
}

/** The 8-character uppercase prefix of a customer's invoice numbers. */
export function invoicePrefix(): string {
  return randomString(8, 'ABCDEF0123456789');
}

export const KIND_BY_PREFIX: Record<string, string> = {
  cus: 'customer',
  prod: 'product',
  price: 'price',
  in: 'invoice',
  ii: 'invoiceitem',
  cbtxn: 'customer_balance_transaction',
  ccsbtxn: 'cash_balance_transaction',
  txi: 'tax_id',
  card: 'source',
  ba: 'source',
  prodft: 'product_feature',
  feat: 'entitlements.feature',
  pm: 'payment_method',
  pi: 'payment_intent',
  ch: 'charge',
  txr: 'tax_rate',
  di: 'discount',
};

export function kindOfId(id: string): string | undefined {
  const i = id.indexOf('_');
  return i > 0 ? KIND_BY_PREFIX[id.slice(0, i)] : undefined;
}
