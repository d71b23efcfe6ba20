/**
 * Stripe's shapes (scripts/derive-shapes.ts): JSON Schemas of the objects this clone returns,
 * cut from the SDK's type definitions (specs/stripe.sdk-types.json, API 2026-10-28.endive).
 * Kept: the in-scope objects and every definition they reference under their own names; types
 * of other resources (Account, ...) become `{}` (anything: they are only reachable through
 * expansions the clone never produces). Descriptions are dropped and the SDK's Decimal class
 * becomes the decimal string the API sends.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { DeriveInput } from '../../../scripts/derive-shapes.ts';
import { defRef, reachDefinitions, refName, walkSchema } from '../../../scripts/shapes/refs.ts';

const specFile = (i: DeriveInput) => join(i.reference, 'specs', 'stripe.sdk-types.json');
export const unavailable = (i: DeriveInput): string | undefined => (existsSync(specFile(i)) ? undefined : `no ${specFile(i)}`);

const ROOTS = [
  'Customer', 'DeletedCustomer', 'Product', 'DeletedProduct', 'Price', 'Invoice', 'DeletedInvoice', 'InvoiceItem', 'DeletedInvoiceItem',
  'InvoiceLineItem', 'CustomerBalanceTransaction', 'TaxId', 'DeletedTaxId', 'CashBalance',
  // Satellites a customer's or product's endpoints answer with (sources, payment methods, ...).
  'CustomerCashBalanceTransaction', 'PaymentMethod', 'Card', 'DeletedCard', 'BankAccount', 'DeletedBankAccount', 'ProductFeature', 'DeletedProductFeature', 'FundingInstructions',
  // Payments and billing extras (issue 18); the reference types have no DeletedCoupon.
  'PaymentIntent', 'PaymentIntentAmountDetailsLineItem', 'Coupon', 'Discount', 'DeletedDiscount', 'TaxRate',
  // Stripe's test clocks (/v1/test_helpers/test_clocks).
  'TestClock',
];
const OWN = /^(Customer|Product|Price|Invoice|InvoiceItem|InvoiceLineItem|Deleted(Customer|Product|Price|Invoice|InvoiceItem|TaxId|Card|BankAccount|ProductFeature|Coupon|Discount)|PaymentIntent|PaymentIntentAmountDetailsLineItem|Coupon|Discount|TaxRate|CustomerBalanceTransaction|CustomerCashBalanceTransaction|PaymentMethod|Card|BankAccount|ProductFeature|FundingInstructions|TestClock|TaxId|CashBalance|Address|Metadata|OtherString|ApiList<InvoiceLineItem>)(\.|$)/;

export async function derive(i: DeriveInput): Promise<unknown> {
  const defs = ((await Bun.file(specFile(i)).json()) as { definitions: Record<string, unknown> }).definitions;
  const definitions = reachDefinitions(
    defs,
    ROOTS,
    (def, reach) =>
      walkSchema(def, {
        keep: (k) => k !== 'description',
        ref: (ref) => {
          const name = refName(ref);
          if (name === 'Decimal') return { type: 'string' };
          if (!OWN.test(name)) return {};
          reach(name);
          return { $ref: defRef(name) };
        },
      }),
    (name) => {
      throw new Error(`no definition ${name} in stripe.sdk-types.json`);
    },
  );
  return { $comment: 'derived by scripts/derive-shapes.ts (templates/stripe/verify/derive.ts) from stripe.sdk-types.json', definitions };
}
