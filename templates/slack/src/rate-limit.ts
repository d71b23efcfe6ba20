import { str, type ParsedRequest } from '../../_kit/http.ts';
import type { RateOutcome, StageInput } from '../../_kit/pipeline.ts';
import type { KitContext } from '../../_kit/types.ts';
import operations from '../operations.json' with { type: 'json' };
import type { TokenLookup } from './auth.ts';
import { SlackError } from './errors.ts';
import type { Route } from './routes.ts';

/**
 * Slack's per-method rate tiers, counted in Redis under the clone's prefix with a fixed
 * window. Off by default; POST /__asym/config {"rateLimits":{"enabled":true,...}} turns it
 * on. Limits are per minute as Slack documents them, scaled by `multiplier` (floored, at
 * least 1), with per-method overrides. If Redis is down the call is let through: a
 * missing counter must not fail an agent's run.
 */

const PER_MINUTE: Record<string, number> = {
  Tier1: 1,
  Tier2: 20,
  Tier3: 50,
  Tier4: 100,
  // "1 per second per channel, short bursts allowed"
  SpecialTier_chat_postMessage: 60,
  // Documented as "hundreds per minute"
  SpecialTier_auth_test: 600,
  SpecialTier_chat_getPermalink: 600,
};

export interface RateLimitConfig {
  enabled: boolean;
  multiplier: number;
  windowSeconds: number;
  methods: Record<string, number>;
}

export function rateLimitConfig(config: Record<string, unknown>): RateLimitConfig {
  const rl = (config.rateLimits ?? {}) as Partial<RateLimitConfig>;
  return {
    enabled: rl.enabled === true,
    multiplier: typeof rl.multiplier === 'number' && rl.multiplier > 0 ? rl.multiplier : 1,
    windowSeconds: typeof rl.windowSeconds === 'number' && rl.windowSeconds > 0 ? rl.windowSeconds : 60,
    methods: rl.methods && typeof rl.methods === 'object' ? rl.methods : {},
  };
}

export function limitFor(method: string, tier: string | undefined, cfg: RateLimitConfig): number {
  const override = cfg.methods[method];
  if (typeof override === 'number') return Math.max(1, Math.floor(override));
  const base = PER_MINUTE[tier ?? 'Tier3'] ?? PER_MINUTE.Tier3 ?? 50;
  return Math.max(1, Math.floor(base * (cfg.windowSeconds / 60) * cfg.multiplier));
}

let warned = false;

/** Returns seconds to wait when the call is over its limit, else null. */
export async function checkRateLimit(ctx: KitContext, method: string, tier: string | undefined, bucket: string): Promise<number | null> {
  const cfg = rateLimitConfig(await ctx.config());
  if (!cfg.enabled) return null;
  const nowSec = Date.now() / 1000;
  const window = Math.floor(nowSec / cfg.windowSeconds);
  try {
    const n = await ctx.redis.incrWindow(`rl:${method}:${bucket}:${window}`, cfg.windowSeconds + 1);
    if (n <= limitFor(method, tier, cfg)) return null;
    return Math.max(1, Math.ceil((window + 1) * cfg.windowSeconds - nowSec));
  } catch (e) {
    if (!warned) ctx.log(`rate limits skipped, redis unavailable: ${(e as Error).message}`);
    warned = true;
    return null;
  }
}

const TIERS = new Map<string, string>((operations as { method: string; tier?: string }[]).map((o) => [o.method, o.tier ?? 'Tier3']));

/** Slack's per-method tiers (rate-limit.ts); chat.postMessage is counted per channel. */
export async function slackRateLimit({ ctx, route, body }: StageInput<TokenLookup, Route, ParsedRequest>): Promise<RateOutcome> {
  const method = route?.name ?? '';
  const bucket = method === 'chat.postMessage' ? (str(body?.params.channel) ?? 'none') : 'team';
  const wait = await checkRateLimit(ctx, method, TIERS.get(method), bucket);
  return wait === null ? {} : { headers: { 'retry-after': String(wait) }, refuse: new SlackError('ratelimited', {}, 429) };
}
