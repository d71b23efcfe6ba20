/**
 * Stripe's response shapes (shapes.json, cut by scripts/derive-shapes.ts from the stripe SDK's
 * type definitions). Stripe's answers name their own type in `object`; the SDK's types describe these.
 */
import { validate, type Definitions } from '../../../src/verify/json-schema.ts';
import shapes from './shapes.json';

const definitions = (shapes as unknown as { definitions: Definitions }).definitions;

/** Stripe: problems of `value` against the SDK type `name` (e.g. "Invoice"). */
export function stripeShapeErrors(name: string, value: unknown): string[] {
  return validate({ $ref: `#/definitions/${name}` }, value, '$', definitions);
}
export const hasStripeType = (name: string): boolean => name in definitions;

const STRIPE_TYPES: Record<string, string> = {
  customer: 'Customer',
  product: 'Product',
  price: 'Price',
  invoice: 'Invoice',
  invoiceitem: 'InvoiceItem',
  line_item: 'InvoiceLineItem',
  customer_balance_transaction: 'CustomerBalanceTransaction',
  cash_balance: 'CashBalance',
  customer_cash_balance_transaction: 'CustomerCashBalanceTransaction',
  tax_id: 'TaxId',
  payment_method: 'PaymentMethod',
  card: 'Card',
  bank_account: 'BankAccount',
  product_feature: 'ProductFeature',
  funding_instructions: 'FundingInstructions',
  payment_intent: 'PaymentIntent',
  payment_intent_amount_details_line_item: 'PaymentIntentAmountDetailsLineItem',
  coupon: 'Coupon',
  discount: 'Discount',
  tax_rate: 'TaxRate',
  'test_helpers.test_clock': 'TestClock',
};

export function stripeObjectErrors(body: unknown, path = '$'): string[] {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return [`${path}: expected an object`];
  const o = body as Record<string, unknown>;
  if (typeof o.object !== 'string') return [`${path}.object: missing`];
  if (o.object === 'list' || o.object === 'search_result') {
    const errs: string[] = [];
    if (!Array.isArray(o.data)) return [`${path}.data: expected an array`];
    if (typeof o.has_more !== 'boolean') errs.push(`${path}.has_more: expected a boolean`);
    if (typeof o.url !== 'string') errs.push(`${path}.url: expected a string`);
    if (o.object === 'search_result' && !('next_page' in o)) errs.push(`${path}.next_page: required`);
    o.data.forEach((x, i) => errs.push(...stripeObjectErrors(x, `${path}.data[${i}]`)));
    return errs;
  }
  const type = STRIPE_TYPES[o.object];
  if (!type) return [`${path}.object: ${o.object} is not a type this template answers with`];
  // A deleted object with no Deleted<Type> in the SDK (a test clock, a coupon) is Stripe's bare stub.
  if (o.deleted === true && !hasStripeType(`Deleted${type}`)) {
    const extra = Object.keys(o).filter((k) => !['id', 'object', 'deleted'].includes(k));
    return typeof o.id === 'string' && !extra.length ? [] : [`${path}: a deleted ${o.object} is {id, object, deleted}`];
  }
  const name = o.deleted === true && hasStripeType(`Deleted${type}`) ? `Deleted${type}` : type;
  return stripeShapeErrors(name, body).map((e) => e.replace(/^\$/, path));
}
