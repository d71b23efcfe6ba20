import type { RateOutcome, StageInput } from '../../_kit/pipeline.ts';
import { countWindow, giveBack, over, remaining, type WindowCount } from '../../_kit/rate-window.ts';
import type { GhCaller } from './auth.ts';
import { GitHubError } from './errors.ts';

/**
 * GitHub's hourly core limit, counted in Redis under the clone's prefix: 5,000 an hour per
 * user (POST /__asym/config {"rate_limit": n} changes it), 60 per address without a token.
 * Every answer is counted and reports x-ratelimit-*, except a conditional 304 (free on
 * GitHub); a wrong token is counted against the address. Counted by the kit's
 * rate-window.ts: if Redis is down the call is answered and the headers report nothing used.
 */
const LIMIT_AUTHED = 5000;
const LIMIT_ANON = 60;
const HOUR = 3600;

function rateHeaders(w: WindowCount): Record<string, string> {
  return {
    'x-ratelimit-limit': String(w.limit),
    'x-ratelimit-remaining': String(remaining(w)),
    'x-ratelimit-reset': String(w.resetAt),
    'x-ratelimit-used': String(w.used),
    'x-ratelimit-resource': 'core',
  };
}

export async function githubRateLimit({ ctx, caller, req }: StageInput<GhCaller, unknown, unknown>): Promise<RateOutcome> {
  const address = req.headers.get('x-forwarded-for') ?? 'local';
  if (caller.bad) return { headers: rateHeaders(await countWindow(ctx, `anon:${address}`, LIMIT_ANON, HOUR)), refuse: new GitHubError(401, caller.badMessage ?? 'Bad credentials') };
  const { viewer } = caller;
  const headers: Record<string, string> = {};
  let limit = LIMIT_ANON;
  // An app's JWT is counted as the app (GitHub limits apps apart from addresses).
  const app = caller.kind === 'app' && caller.appId ? `app:${caller.appId}` : null;
  if (viewer || app) {
    const cfg = await ctx.config();
    limit = typeof cfg.rate_limit === 'number' && cfg.rate_limit > 0 ? cfg.rate_limit : LIMIT_AUTHED;
  }
  // Counted up front, in the one Redis round trip a request costs: a request over the limit
  // and a conditional hit (304, free on GitHub) give their count back.
  const w = await countWindow(ctx, viewer ? `user:${viewer.id}` : (app ?? `anon:${address}`), limit, HOUR);
  if (over(w)) {
    Object.assign(headers, rateHeaders(await giveBack(ctx, w)));
    const msg = viewer ? `API rate limit exceeded for user ID ${viewer.id}.` : 'API rate limit exceeded.';
    return { headers, refuse: new GitHubError(403, msg, { documentationUrl: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api' }) };
  }
  Object.assign(headers, rateHeaders(w));
  return {
    headers,
    settle: async (status) => rateHeaders(status === 304 ? await giveBack(ctx, w) : w),
  };
}
