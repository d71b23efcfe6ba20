import type { RateOutcome, StageInput } from '../../_kit/pipeline.ts';
import type { KitContext } from '../../_kit/types.ts';
import type { GhCaller } from './auth.ts';
import { GitHubError } from './errors.ts';

/**
 * GitHub's hourly core limit, counted in Redis under the clone's prefix: 5,000 an hour per
 * user (POST /__asym/config {"rate_limit": n} changes it), 60 per address without a token.
 * Every answer is counted and reports x-ratelimit-*, except a conditional 304 (free on
 * GitHub); a wrong token is counted against the address. If Redis is down the call is
 * answered anyway and the headers report nothing used.
 */
const LIMIT_AUTHED = 5000;
const LIMIT_ANON = 60;
const HOUR = 3600;

interface Window {
  key: string;
  limit: number;
  reset: number;
}

/** Counts this request in its window (one Redis round trip) and returns the count including it. */
async function countRequest(ctx: KitContext, w: Window): Promise<number> {
  try {
    return await ctx.redis.incrWindow(w.key, HOUR + 60);
  } catch {
    return 0;
  }
}

/** A request that turned out free (a 304) or refused gives its count back. */
async function uncount(ctx: KitContext, w: Window): Promise<void> {
  await ctx.redis.decr(w.key).catch(() => undefined);
}

function rateHeaders(w: Window, used: number): Record<string, string> {
  return {
    'x-ratelimit-limit': String(w.limit),
    'x-ratelimit-remaining': String(Math.max(0, w.limit - used)),
    'x-ratelimit-reset': String(w.reset),
    'x-ratelimit-used': String(used),
    'x-ratelimit-resource': 'core',
  };
}

export async function githubRateLimit({ ctx, caller, req }: StageInput<GhCaller, unknown, unknown>): Promise<RateOutcome> {
  const hourStart = Math.floor(Date.now() / 1000 / HOUR) * HOUR;
  const anon: Window = { key: `rl:anon:${req.headers.get('x-forwarded-for') ?? 'local'}:${hourStart}`, limit: LIMIT_ANON, reset: hourStart + HOUR };
  if (caller.bad) return { headers: rateHeaders(anon, await countRequest(ctx, anon)), refuse: new GitHubError(401, 'Bad credentials') };
  const { viewer } = caller;
  let w = anon;
  const headers: Record<string, string> = {};
  if (viewer) {
    const cfg = await ctx.config();
    const limit = typeof cfg.rate_limit === 'number' && cfg.rate_limit > 0 ? cfg.rate_limit : LIMIT_AUTHED;
    w = { key: `rl:user:${viewer.id}:${hourStart}`, limit, reset: hourStart + HOUR };
    headers['x-oauth-scopes'] = 'admin:org, delete_repo, repo, user';
    headers['x-accepted-oauth-scopes'] = 'repo';
  }
  // Counted up front, in the one Redis round trip a request costs: a request over the limit
  // and a conditional hit (304, free on GitHub) give their count back.
  const used = await countRequest(ctx, w);
  if (used > w.limit) {
    await uncount(ctx, w);
    Object.assign(headers, rateHeaders(w, used - 1));
    const msg = viewer ? `API rate limit exceeded for user ID ${viewer.id}.` : 'API rate limit exceeded.';
    return { headers, refuse: new GitHubError(403, msg, { documentationUrl: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api' }) };
  }
  Object.assign(headers, rateHeaders(w, used));
  return {
    headers,
    settle: async (status) => {
      if (status !== 304) return rateHeaders(w, used);
      await uncount(ctx, w);
      return rateHeaders(w, Math.max(0, used - 1));
    },
  };
}
