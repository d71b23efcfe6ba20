import type { Route } from './api.ts';
import { customerExtraRoutes, customerTestHelperRoutes } from './handlers/customer-extras.ts';
import { customerRoutes } from './handlers/customers.ts';
import { invoiceItemRoutes } from './handlers/invoiceitems.ts';
import { invoiceLifecycleRoutes } from './handlers/invoice-lifecycle.ts';
import { invoiceLineRoutes } from './handlers/invoice-lines.ts';
import { invoiceRoutes } from './handlers/invoices.ts';
import { priceRoutes } from './handlers/prices.ts';
import { productRoutes } from './handlers/products.ts';
import { sourceRoutes } from './handlers/sources.ts';
import { couponRoutes } from './handlers/coupons.ts';
import { paymentIntentRoutes } from './handlers/payment-intents.ts';
import { paymentMethodRoutes } from './handlers/payment-methods.ts';
import { taxRateRoutes } from './handlers/tax-rates.ts';
import { testClockRoutes } from './handlers/test-clocks.ts';

/** Every implemented operation; scripts/derive-operations.ts marks operations.json from this. */
export const ROUTES: Route[] = [
  ...customerRoutes, ...customerExtraRoutes, ...sourceRoutes, ...productRoutes, ...priceRoutes, ...invoiceLineRoutes, ...invoiceRoutes, ...invoiceLifecycleRoutes, ...invoiceItemRoutes,
  // Payments and billing extras (issue 18): payment intents, payment methods, coupons + customer discount, tax rates.
  ...paymentIntentRoutes, ...paymentMethodRoutes, ...couponRoutes, ...taxRateRoutes,
  // Stripe's test clocks (/v1/test_helpers/test_clocks): in scope, so operations like any other.
  ...testClockRoutes,
];

/** Stripe's test helpers (/v1/test_helpers/…): served, but not API operations, so not in ROUTES. */
export const TEST_HELPER_ROUTES: Route[] = [...customerTestHelperRoutes];
