import { json } from '../../_kit/http.ts';
import { vendorApi } from '../../_kit/pipeline.ts';
import { createServer } from '../../_kit/server.ts';
import { slackAdminRoutes } from './admin-routes.ts';
import { slackAuth } from './auth.ts';
import { configureSlack } from './config.ts';
import { envelope } from './errors.ts';
import { stopEventTimers, verifyAppRequestUrl } from './events.ts';
import { invoke, slackAuthorize, slackCodec } from './invoke.ts';
import { flushDue } from './handlers/chat.ts';
import { serveFiles } from './files.ts';
import { serveAvatar } from './photos.ts';
import { provision } from './provision.ts';
import { slackRateLimit } from './rate-limit.ts';
import { ROUTES } from './routes.ts';
import { attachScheduler, schedulerOf } from './scheduler.ts';
import { clearSlackSeeded, seedSlackRecords } from './seed-records.ts';

/** Entry point of the Slack clone: `bun templates/slack/src/server.ts`. */
const started = await createServer(
  {
    template: 'slack',
    version: '0.1.0',
    ...vendorApi({
      template: 'slack',
      mounted: (path) => path === '/api' || path.startsWith('/api/'),
      routes: ROUTES,
      envelope,
      // The token may be a form param, so the method is found and the body parsed first.
      credentials: 'body',
      auth: slackAuth,
      codec: slackCodec,
      authorize: slackAuthorize,
      rateLimit: slackRateLimit,
      invoke,
      serve: async (req, url, ctx, tokens) => (await serveAvatar(req, url, ctx)) ?? serveFiles(req, url, ctx, tokens),
    }),
    notFound: (req, url) => json({ ok: false, error: 'not_found', warning: `${req.method} ${url.pathname} is not a Slack Web API path; use /api/<method>` }, 404),
    provision,
    seedRecords: seedSlackRecords,
    clearSeeded: clearSlackSeeded,
    configure: (current, patch, ctx) => configureSlack(current, patch, (url, timeoutMs) => verifyAppRequestUrl(ctx, url, timeoutMs)),
    adminRoutes: slackAdminRoutes,
    start(ctx) {
      // Scheduled messages post on time even when nobody reads the channel: one timer for
      // the next due message (no polling). A swapped database is re-read when it reopens.
      const s = attachScheduler(ctx, (c) => flushDue(c));
      ctx.db.onRelease(() => s.invalidate());
      ctx.db.onOpen(() => void s.arm());
      void s.arm();
    },
    stop(ctx) {
      schedulerOf(ctx.db)?.stop();
      stopEventTimers();
    },
  },
  { serverFile: import.meta.path },
);

export { started };
