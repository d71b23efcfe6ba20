import { jsonObjectCodec, vendorApi } from '../../_kit/pipeline.ts';
import { countWindow, remaining } from '../../_kit/rate-window.ts';
import { createServer } from '../../_kit/server.ts';
import operations from '../operations.json';
import { hubspotAdminRoutes } from './admin-routes.ts';
import { hubspotAuth } from './auth.ts';
import { correlationId, envelope, hsError } from './errors.ts';
import { invoke } from './invoke.ts';
import { provision } from './provision.ts';
import { OPEN_ROUTES, ROUTES } from './routes.ts';
import { clearHubspotSeeded, seedHubspotRecords } from './seed-records.ts';

/** Entry point of the HubSpot clone: `bun templates/hubspot/src/server.ts`. */

// X-HubSpot-RateLimit-* headers (reported, not enforced): 190 per 10 s, 500,000 per (UTC) day,
// counted by the kit's rate-window.ts.
const INTERVAL_MS = 10_000;
const MAX = 190;
const DAILY = 500_000;

const started = await createServer(
  {
    template: 'hubspot',
    version: '0.1.0',
    ...vendorApi({
      template: 'hubspot',
      routes: [...ROUTES, ...OPEN_ROUTES],
      operations: operations as Array<{ method: string; path: string; implemented: boolean }>,
      envelope,
      auth: hubspotAuth,
      codec: jsonObjectCodec({
        invalid: () => hsError(400, 'VALIDATION_ERROR', 'Invalid input JSON on line 1: the request body is not valid JSON'),
        notObject: () => hsError(400, 'VALIDATION_ERROR', 'Invalid input JSON: the body must be a JSON object'),
        // Batch association inputs may be a bare array.
        arrayKey: '_array',
      }),
      invoke,
      requestId: { header: 'x-hubspot-correlation-id', make: correlationId },
      headers: () => ({ date: new Date().toUTCString() }),
      async rateLimit({ ctx, caller }) {
        const [burst, daily] = await Promise.all([
          countWindow(ctx, `burst:${caller.principalId}`, MAX, INTERVAL_MS / 1000),
          countWindow(ctx, `daily:${caller.principalId}`, DAILY, 86_400),
        ]);
        return {
          headers: {
            'x-hubspot-ratelimit-daily': String(DAILY),
            'x-hubspot-ratelimit-daily-remaining': String(remaining(daily)),
            'x-hubspot-ratelimit-interval-milliseconds': String(INTERVAL_MS),
            'x-hubspot-ratelimit-max': String(MAX),
            'x-hubspot-ratelimit-remaining': String(remaining(burst)),
            'x-hubspot-ratelimit-secondly': String(MAX / 10),
            'x-hubspot-ratelimit-secondly-remaining': String(Math.max(0, MAX / 10 - burst.used)),
          },
        };
      },
    }),
    provision,
    seedRecords: seedHubspotRecords,
    clearSeeded: clearHubspotSeeded,
    adminRoutes: hubspotAdminRoutes,
  },
  { serverFile: import.meta.path },
);

export { started };
