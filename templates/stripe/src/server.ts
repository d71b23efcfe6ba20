import type { TokenCache } from '../../_kit/auth.ts';
import { createServer } from '../../_kit/server.ts';
import type { AccountInfo } from './api.ts';
import { createKeyCache } from './auth.ts';
import { errorResponse, inputError, unavailableError } from './errors.ts';
import { hostedInvoice } from './hosted.ts';
import { provision } from './provision.ts';
import { handleApi, notEmulated } from './router.ts';
import { clearStripeSeeded, seedStripeRecords } from './seed-records.ts';

/** Entry point of the Stripe clone: `bun templates/stripe/src/server.ts`. */

let keys: TokenCache<AccountInfo> | null = null;

const started = await createServer(
  {
    template: 'stripe',
    version: '0.1.0',
    async routes(req, url, ctx) {
      keys ??= createKeyCache(ctx.db);
      if (url.pathname.startsWith('/invoice/')) return hostedInvoice(ctx, url.pathname);
      return handleApi(req, url, ctx, keys);
    },
    notFound: (req, url) => notEmulated(req.method, url.pathname),
    // Stripe's envelope for an unexpected failure; the SDK raises StripeAPIError.
    errorEnvelope: (e) => errorResponse(e),
    badInput: (problem) => errorResponse(inputError(problem)),
    unavailable: () => errorResponse(unavailableError(), { 'retry-after': '1' }),
    provision,
    seedRecords: seedStripeRecords,
    clearSeeded: clearStripeSeeded,
    onRelease() {
      keys?.clear();
    },
  },
  { serverFile: import.meta.path },
);

export { started };
