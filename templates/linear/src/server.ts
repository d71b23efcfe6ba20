import type { TokenCache } from '../../_kit/auth.ts';
import { json } from '../../_kit/http.ts';
import { createServer } from '../../_kit/server.ts';
import { createTokenCache, type Caller } from './auth.ts';
import { handleGraphql } from './http.ts';
import { provision } from './provision.ts';
import { clearLinearSeeded, seedLinearRecords } from './seed-records.ts';
import { stopWebhookTimers } from './webhooks.ts';
import { linearSchema } from './gql.ts';

/** Entry point of the Linear clone: `bun templates/linear/src/server.ts`. */
let tokens: TokenCache<Caller> | null = null;
linearSchema();

const started = await createServer(
  {
    template: 'linear',
    version: '0.1.0',
    async routes(req, url, ctx) {
      tokens ??= createTokenCache(ctx.db);
      if (url.pathname === '/graphql' || url.pathname === '/graphql/') return handleGraphql(req, ctx, tokens);
      return null;
    },
    notFound: () => json({ errors: [{ message: 'Not found. The Linear API is served at POST /graphql.', extensions: { type: 'graphql error', code: 'NOT_FOUND', statusCode: 404, userError: true, userPresentableMessage: 'Not found' } }] }, 404),
    errorEnvelope: () => json({ errors: [{ message: 'Internal server error', extensions: { type: 'internal error', code: 'INTERNAL_ERROR', statusCode: 500, userError: false, userPresentableMessage: 'An unexpected error happened.' } }] }, 500),
    provision,
    seedRecords: seedLinearRecords,
    clearSeeded: clearLinearSeeded,
    onRelease() {
      tokens?.clear();
    },
    stop: stopWebhookTimers,
  },
  { serverFile: import.meta.path },
);

export { started };
