import { vendorApi } from '../../_kit/pipeline.ts';
import { createServer } from '../../_kit/server.ts';
import { stripeAuth } from './auth.ts';
import { envelope, requestId } from './errors.ts';
import { hostedInvoice } from './hosted.ts';
import { invoke } from './invoke.ts';
import { stripeCodec } from './params.ts';
import { provision } from './provision.ts';
import { ROUTES, TEST_HELPER_ROUTES } from './routes.ts';
import { clearStripeSeeded, seedStripeRecords } from './seed-records.ts';
import { echoedVersion } from './versioning.ts';

/** Entry point of the Stripe clone: `bun templates/stripe/src/server.ts`. */
const started = await createServer(
  {
    template: 'stripe',
    version: '0.1.0',
    ...vendorApi({
      template: 'stripe',
      routes: [...ROUTES, ...TEST_HELPER_ROUTES],
      envelope,
      auth: stripeAuth,
      codec: stripeCodec,
      invoke,
      requestId: { header: 'request-id', make: requestId },
      headers: (req) => ({
        'stripe-version': echoedVersion(req.headers.get('stripe-version')),
        ...(req.method.toUpperCase() === 'POST' && req.headers.get('idempotency-key') ? { 'idempotency-key': req.headers.get('idempotency-key') as string } : {}),
      }),
      // The hosted invoice page (an invoice's hosted_invoice_url) needs no key.
      serve: (_req, url, ctx) => (url.pathname.startsWith('/invoice/') ? hostedInvoice(ctx, url.pathname) : null),
    }),
    provision,
    seedRecords: seedStripeRecords,
    clearSeeded: clearStripeSeeded,
  },
  { serverFile: import.meta.path },
);

export { started };
