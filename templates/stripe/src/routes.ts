import type { Route } from './api.ts';
import { customerExtraRoutes, customerTestHelperRoutes } from './resources/customer-extras.ts';
import { customerRoutes } from './resources/customers.ts';
import { invoiceItemRoutes } from './resources/invoiceitems.ts';
import { invoiceLifecycleRoutes } from './resources/invoice-lifecycle.ts';
import { invoiceLineRoutes } from './resources/invoice-lines.ts';
import { invoiceRoutes } from './resources/invoices.ts';
import { priceRoutes } from './resources/prices.ts';
import { productRoutes } from './resources/products.ts';
import { sourceRoutes } from './resources/sources.ts';
import { couponRoutes } from './resources/coupons.ts';
import { paymentIntentRoutes } from './resources/payment-intents.ts';
import { paymentMethodRoutes } from './resources/payment-methods.ts';
import { taxRateRoutes } from './resources/tax-rates.ts';
import { testClockRoutes } from './resources/test-clocks.ts';

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
