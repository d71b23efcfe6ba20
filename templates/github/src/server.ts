import { KitError } from '../../_kit/errors.ts';
import { parseRequest } from '../../_kit/http.ts';
import { vendorApi } from '../../_kit/pipeline.ts';
import { createServer } from '../../_kit/server.ts';
import { githubAdminRoutes } from './admin-routes.ts';
import { githubAuth } from './auth.ts';
import { envelope } from './errors.ts';
import { enterprisePath, invoke } from './invoke.ts';
import { provision } from './provision.ts';
import { githubRateLimit } from './rate-limit.ts';
import { githubAuthorize } from './scopes.ts';
import { GRAPHQL_ROUTES, ROUTES } from './routes.ts';
import { seedGithubRecords } from './seed-records.ts';
import { forgetViewer } from './viewers.ts';
import { serveArchive } from './handlers/migrations.ts';

/**
 * Entry point of the GitHub clone: `bun templates/github/src/server.ts`. One request:
 * credential → rate limit → route → handler → GitHub's headers (x-ratelimit-*, ETag with
 * If-None-Match → 304), run by the kit's pipeline.
 */
const started = await createServer(
  {
    template: 'github',
    version: '0.1.0',
    ...vendorApi({
      template: 'github',
      routes: [...ROUTES, ...GRAPHQL_ROUTES],
      envelope,
      auth: githubAuth,
      // Credentials first: a wrong token is a 401 whatever the path.
      authorize: githubAuthorize,
      rateLimit: githubRateLimit,
      codec: { parse: parseRequest },
      invoke,
      requestId: { header: 'x-github-request-id', make: () => crypto.randomUUID().toUpperCase().slice(0, 23) },
      headers: () => ({ 'x-github-media-type': 'github.v3; format=json', 'x-github-api-version-selected': '2022-11-28', 'access-control-allow-origin': '*' }),
      rewrite: (url, ctx) => enterprisePath(url, ctx.env.publicUrl).url,
      headAsGet: true,
      // Migration archive downloads (the target of GET /user/migrations/{id}/archive's 302).
      serve: serveArchive,
    }),
    provision,
    seedRecords: seedGithubRecords,
    async clearSeeded(_ctx, tx) {
      // Fixture rows use ids 2000..9999999; provisioned rows stay. Packages and projects may
      // belong to a provisioned user (the bot), so they do not go with a fixture user.
      await tx`delete from packages where id >= 2000`;
      await tx`delete from projects_v2 where id >= 2000`;
      await tx`delete from attestations where id >= 2000`;
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
  },
  { serverFile: import.meta.path },
);

export { started };
