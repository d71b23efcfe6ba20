import { jsonObjectCodec, vendorApi } from '../../_kit/pipeline.ts';
import { createServer } from '../../_kit/server.ts';
import operations from '../operations.json';
import { ROUTES, type Route } from './routes.ts';
import { notionAdminRoutes } from './admin-routes.ts';
import { notionAuth, type Caller } from './auth.ts';
import { envelope, NOTION_LIMITS, notionError } from './errors.ts';
import { provision } from './provision.ts';
import { clearNotionSeeded, seedNotionRecords } from './seed-records.ts';
import { Store } from './store.ts';

/** Entry point of the Notion clone: `bun templates/notion/src/server.ts`. */
const started = await createServer(
  {
    template: 'notion',
    version: '0.1.0',
    ...vendorApi<Caller, Route, Record<string, any>>({
      template: 'notion',
      routes: ROUTES,
      operations: operations as Array<{ method: string; path: string; implemented: boolean }>,
      envelope,
      auth: notionAuth,
      codec: jsonObjectCodec({
        invalid: () => notionError(400, 'invalid_json', 'Error parsing JSON body.'),
        notObject: () => notionError(400, 'validation_error', 'body failed validation: body should be an object.'),
      }),
      invoke: async (k) => ({
        status: 200,
        body: await k.route.handler({ ctx: k.ctx, store: new Store(k.ctx, k.caller), caller: k.caller, body: k.body, query: k.url.searchParams, ids: k.ids }),
      }),
      requestId: { header: 'x-request-id', make: () => crypto.randomUUID() },
      inputLimits: NOTION_LIMITS,
    }),
    provision,
    seedRecords: seedNotionRecords,
    clearSeeded: clearNotionSeeded,
    adminRoutes: notionAdminRoutes,
  },
  { serverFile: import.meta.path },
);

export { started };
