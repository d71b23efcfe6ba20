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
import { mentionsUpload, resolveUploads, serveFile } from './handlers/file-uploads.ts';

const json = jsonObjectCodec({
  invalid: () => notionError(400, 'invalid_json', 'Error parsing JSON body.'),
  notObject: () => notionError(400, 'validation_error', 'body failed validation: body should be an object.'),
});

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
      codec: {
        // JSON everywhere but "Send a file upload", which takes multipart/form-data (its form under `__form`).
        async parse(req, url) {
          if ((req.headers.get('content-type') ?? '').toLowerCase().startsWith('multipart/form-data')) {
            try {
              return { __form: await req.formData() };
            } catch {
              throw notionError(400, 'validation_error', 'body failed validation: the multipart/form-data body could not be parsed.');
            }
          }
          return json.parse(req, url);
        },
      },
      invoke: async (k) => {
        const store = new Store(k.ctx, k.caller);
        const body = mentionsUpload(k.body) ? ((await resolveUploads(store, k.body)) as Record<string, any>) : k.body;
        return { status: 200, body: await k.route.handler({ ctx: k.ctx, store, caller: k.caller, body, query: k.url.searchParams, ids: k.ids }) };
      },
      serve: (req, url, ctx) => (req.method === 'GET' && url.pathname.startsWith('/_files/') ? serveFile(ctx, url) : null),
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
