import { str, type ParsedRequest } from '../../_kit/http.ts';
import type { RateOutcome, StageInput } from '../../_kit/pipeline.ts';
import { countWindow, over } from '../../_kit/rate-window.ts';
import type { KitContext } from '../../_kit/types.ts';
import operations from '../operations.json' with { type: 'json' };
import type { TokenLookup } from './auth.ts';
import { SlackError } from './errors.ts';
import type { Route } from './routes.ts';

/**
 * Slack's per-method rate tiers, counted in Redis under the clone's prefix with a fixed
 * window. Off by default; POST /__asym/config {"rateLimits":{"enabled":true,...}} turns it
 * on. Limits are per minute as Slack documents them, scaled by `multiplier` (floored, at
 * least 1), with per-method overrides. Counted by the kit's rate-window.ts (which lets a
 * call through when Redis is down).
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

/** Returns seconds to wait when the call is over its limit, else null. */
export async function checkRateLimit(ctx: KitContext, method: string, tier: string | undefined, bucket: string): Promise<number | null> {
  const cfg = rateLimitConfig(await ctx.config());
  if (!cfg.enabled) return null;
  const w = await countWindow(ctx, `${method}:${bucket}`, limitFor(method, tier, cfg), cfg.windowSeconds);
  return over(w) ? w.retryAfter : null;
}

const TIERS = new Map<string, string>((operations as { method: string; tier?: string }[]).map((o) => [o.method, o.tier ?? 'Tier3']));

/** Slack's per-method tiers (rate-limit.ts); chat.postMessage is counted per channel. */
export async function slackRateLimit({ ctx, route, body }: StageInput<TokenLookup, Route, ParsedRequest>): Promise<RateOutcome> {
  const method = route?.name ?? '';
  const bucket = method === 'chat.postMessage' ? (str(body?.params.channel) ?? 'none') : 'team';
  const wait = await checkRateLimit(ctx, method, TIERS.get(method), bucket);
  return wait === null ? {} : { headers: { 'retry-after': String(wait) }, refuse: new SlackError('ratelimited', {}, 429) };
}
