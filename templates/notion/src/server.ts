import type { TokenCache } from '../../_kit/auth.ts';
import { createServer } from '../../_kit/server.ts';
import { createTokenCache, type Caller } from './auth.ts';
import { errorResponse, inputError, NOTION_LIMITS, unavailableError } from './errors.ts';
import { provision } from './provision.ts';
import { handleApi, notEmulatedError } from './router.ts';
import { clearNotionSeeded, seedNotionRecords } from './seed-records.ts';

/** Entry point of the Notion clone: `bun templates/notion/src/server.ts`. */
let tokens: TokenCache<Caller> | null = null;

const started = await createServer(
  {
    template: 'notion',
    version: '0.1.0',
    async routes(req, url, ctx) {
      tokens ??= createTokenCache(ctx.db);
      return handleApi(req, url, ctx, tokens);
    },
    notFound: (req, url) => errorResponse(notEmulatedError(req.method, url.pathname)),
    errorEnvelope: (e) => errorResponse(e),
    inputLimits: NOTION_LIMITS,
    badInput: (problem) => errorResponse(inputError(problem)),
    unavailable: () => errorResponse(unavailableError()),
    provision,
    seedRecords: seedNotionRecords,
    clearSeeded: clearNotionSeeded,
    onRelease() {
      tokens?.clear();
    },
  },
  { serverFile: import.meta.path },
);

export { started };
