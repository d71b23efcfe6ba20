import { createServer } from '../../_kit/server.ts';
import { json } from '../../_kit/http.ts';
import { slackAdminRoutes } from './admin-routes.ts';
import { inputErrorResponse, unavailableResponse } from './errors.ts';
import { createTokenCache } from './auth.ts';
import { configureSlack } from './config.ts';
import { handleApi } from './dispatch.ts';
import { stopEventTimers, verifyAppRequestUrl } from './events.ts';
import { flushDue } from './methods/chat.ts';
import { serveFiles } from './files.ts';
import { serveAvatar } from './photos.ts';
import { provision } from './provision.ts';
import { clearSlackSeeded, seedSlackRecords } from './seed-records.ts';
import { clearStoreCaches } from './store.ts';
import { attachScheduler, type Scheduler } from './scheduler.ts';
import type { TokenCache } from '../../_kit/auth.ts';
import type { KitContext } from '../../_kit/types.ts';
import type { TokenLookup } from './auth.ts';

/** Entry point of the Slack clone: `bun templates/slack/src/server.ts`. */

let tokens: TokenCache<TokenLookup> | null = null;
let kit: KitContext | null = null;
let scheduler: Scheduler | null = null;

const started = await createServer(
  {
    template: 'slack',
    version: '0.1.0',
    async routes(req, url, ctx) {
      kit ??= ctx;
      tokens ??= createTokenCache(ctx.db, ctx.env.adminSecret);
      return (await serveAvatar(req, url, ctx)) ?? (await serveFiles(req, url, ctx, tokens)) ?? handleApi(req, url, ctx, tokens);
    },
    notFound: (req, url) => json({ ok: false, error: 'not_found', warning: `${req.method} ${url.pathname} is not a Slack Web API path; use /api/<method>` }, 404),
    // Slack's own envelope for an unexpected failure; the SDK surfaces it as a platform error.
    errorEnvelope: () => json({ ok: false, error: 'internal_error' }, 500),
    badInput: (problem) => inputErrorResponse(problem),
    unavailable: () => unavailableResponse(),
    provision,
    seedRecords: seedSlackRecords,
    clearSeeded: clearSlackSeeded,
    configure: (current, patch) =>
      configureSlack(current, patch, async (url, timeoutMs) => (kit ? verifyAppRequestUrl(kit, url, timeoutMs) : { verified: false, status: null, error: 'no_app' })),
    adminRoutes: slackAdminRoutes,
    onRelease() {
      clearStoreCaches();
      tokens?.clear();
    },
    start(ctx) {
      kit = ctx;
      ctx.db.onRelease(clearStoreCaches);
      tokens ??= createTokenCache(ctx.db, ctx.env.adminSecret);
      // Scheduled messages post on time even when nobody reads the channel: one timer for
      // the next due message (no polling). A swapped database is re-read when it reopens.
      const s = attachScheduler(ctx, (c) => flushDue(c));
      scheduler = s;
      ctx.db.onRelease(() => s.invalidate());
      ctx.db.onOpen(() => void s.arm());
      void s.arm();
    },
    stop() {
      scheduler?.stop();
      stopEventTimers();
    },
  },
  { serverFile: import.meta.path },
);

export { started };
