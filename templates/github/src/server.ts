import { createServer } from '../../_kit/server.ts';
import { forgetViewer } from './viewers.ts';
import { KitError } from '../../_kit/errors.ts';
import type { TokenCache } from '../../_kit/auth.ts';
import { errorBody, inputErrorResponse, unavailableResponse } from './errors.ts';
import { json } from '../../_kit/http.ts';
import { githubAdminRoutes } from './admin-routes.ts';
import { createTokenCache } from './auth.ts';
import { handleApi } from './dispatch.ts';
import { provision } from './provision.ts';
import { seedGithubRecords } from './seed-records.ts';

/** Entry point of the GitHub clone: `bun templates/github/src/server.ts`. */

let tokens: TokenCache<{ userId: number }> | null = null;

const started = await createServer(
  {
    template: 'github',
    version: '0.1.0',
    async routes(req, url, ctx) {
      tokens ??= createTokenCache(ctx.db, ctx.env.adminSecret);
      return handleApi(req, url, ctx, tokens);
    },
    errorEnvelope: () => json(errorBody(500, 'Server Error'), 500),
    badInput: (problem) => inputErrorResponse(problem),
    unavailable: () => unavailableResponse(),
    provision,
    seedRecords: seedGithubRecords,
    async clearSeeded(_ctx, tx) {
      // Fixture rows use ids 2000..9999999; provisioned rows stay.
      await tx`delete from repos where id >= 2000`;
      await tx`delete from users where id >= 2000`;
      forgetViewer(_ctx.db);
    },
    adminRoutes: githubAdminRoutes,
    configure(current, patch) {
      const next = { ...current, ...patch };
      if (next.rate_limit !== undefined && (typeof next.rate_limit !== 'number' || !Number.isInteger(next.rate_limit) || next.rate_limit < 1)) {
        throw new KitError('invalid_config', 'rate_limit must be a positive integer (requests per hour per token)', { status: 400 });
      }
      return next;
    },
    onRelease() {
      tokens?.clear();
    },
  },
  { serverFile: import.meta.path },
);

export { started };
