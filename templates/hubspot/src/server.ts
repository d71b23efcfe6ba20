import { jsonObjectCodec, vendorApi, Windows } from '../../_kit/pipeline.ts';
import { createServer } from '../../_kit/server.ts';
import operations from '../operations.json';
import { hubspotAuth } from './auth.ts';
import { correlationId, envelope, hsError } from './errors.ts';
import { invoke } from './invoke.ts';
import { provision } from './provision.ts';
import { OPEN_ROUTES, ROUTES } from './routes.ts';
import { clearHubspotSeeded, seedHubspotRecords } from './seed-records.ts';

/** Entry point of the HubSpot clone: `bun templates/hubspot/src/server.ts`. */

// X-HubSpot-RateLimit-* headers (reported, not enforced): 190 per 10 s, 500,000 per day.
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
      rateLimit({ ctx, caller }) {
        const w = ctx.state('hubspot:rate', () => new Windows<number>(INTERVAL_MS)).count(caller.principalId);
        return {
          headers: {
            'x-hubspot-ratelimit-daily': String(DAILY),
            'x-hubspot-ratelimit-daily-remaining': String(Math.max(0, DAILY - w.daily)),
            'x-hubspot-ratelimit-interval-milliseconds': String(INTERVAL_MS),
            'x-hubspot-ratelimit-max': String(MAX),
            'x-hubspot-ratelimit-remaining': String(Math.max(0, MAX - w.n)),
            'x-hubspot-ratelimit-secondly': String(MAX / 10),
            'x-hubspot-ratelimit-secondly-remaining': String(Math.max(0, MAX / 10 - w.n)),
          },
        };
      },
    }),
    provision,
    seedRecords: seedHubspotRecords,
    clearSeeded: clearHubspotSeeded,
  },
  { serverFile: import.meta.path },
);

export { started };
