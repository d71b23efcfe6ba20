import type { TokenCache } from '../../_kit/auth.ts';
import { createServer } from '../../_kit/server.ts';
import { createTokenCache, type Caller } from './auth.ts';
import { errorResponse, inputError, unavailableError } from './errors.ts';
import { provision } from './provision.ts';
import { clearRateWindows, handleApi, notEmulated } from './router.ts';
import { clearHubspotSeeded, seedHubspotRecords } from './seed-records.ts';

/** Entry point of the HubSpot clone: `bun templates/hubspot/src/server.ts`. */

let tokens: TokenCache<Caller> | null = null;

const started = await createServer(
  {
    template: 'hubspot',
    version: '0.1.0',
    async routes(req, url, ctx) {
      tokens ??= createTokenCache(ctx.db);
      return handleApi(req, url, ctx, tokens);
    },
    notFound: (req, url) => notEmulated(req.method, url.pathname),
    // HubSpot's envelope for an unexpected failure; the SDK raises ApiException.
    errorEnvelope: (e) => errorResponse(e),
    badInput: (problem) => errorResponse(inputError(problem)),
    unavailable: () => errorResponse(unavailableError(), { 'retry-after': '1' }),
    provision,
    seedRecords: seedHubspotRecords,
    clearSeeded: clearHubspotSeeded,
    onRelease() {
      tokens?.clear();
      clearRateWindows();
    },
  },
  { serverFile: import.meta.path },
);

export { started };
