import { KitError } from '../../_kit/errors.ts';
import { clockSeconds } from '../../_kit/clock.ts';

/**
 * POST /__asym/config for Slack. Recognised sections (each merged over the current one):
 *   rateLimits: { enabled: boolean, multiplier: number, windowSeconds: number, methods: {<method>: limit} }
 *   events:     { requestUrl: string|null, retryDelaysMs: number[], timeoutMs: number, types: string[] }
 * Anything else is refused so a typo never silently does nothing.
 *
 * Setting events.requestUrl sends Slack's url_verification challenge to it (signed like
 * every event) before answering; the answer's config carries events.verified (true when the
 * receiver echoed the challenge) and events.verification {at, status, error}. Unlike Slack's
 * app settings page, an unverified URL is kept and events are delivered to it all the same,
 * so a harness can point the clone at a receiver that does not implement the handshake.
 */
const SECTIONS: Record<string, Record<string, (v: unknown) => boolean>> = {
  rateLimits: {
    enabled: (v) => typeof v === 'boolean',
    multiplier: (v) => typeof v === 'number' && v > 0,
    windowSeconds: (v) => typeof v === 'number' && v >= 1,
    methods: (v) => !!v && typeof v === 'object' && Object.values(v).every((n) => typeof n === 'number' && n >= 1),
  },
  events: {
    requestUrl: (v) => v === null || (typeof v === 'string' && /^https?:\/\//.test(v)),
    retryDelaysMs: (v) => Array.isArray(v) && v.length <= 3 && v.every((n) => typeof n === 'number' && n >= 0),
    timeoutMs: (v) => typeof v === 'number' && v > 0,
    types: (v) => Array.isArray(v) && v.every((t) => typeof t === 'string'),
  },
};

export type Verifier = (url: string, timeoutMs: number) => Promise<{ verified: boolean; status: number | null; error: string | null }>;

export async function configureSlack(current: Record<string, unknown>, patch: Record<string, unknown>, verify?: Verifier): Promise<Record<string, unknown>> {
  const next: Record<string, unknown> = { ...current };
  for (const [section, value] of Object.entries(patch)) {
    const fields = SECTIONS[section];
    if (!fields) throw new KitError('invalid_config', `unknown config section ${section}; known: ${Object.keys(SECTIONS).join(', ')}`, { status: 400 });
    if (!value || typeof value !== 'object' || Array.isArray(value)) throw new KitError('invalid_config', `${section} must be an object`, { status: 400 });
    for (const [k, v] of Object.entries(value)) {
      const check = fields[k];
      if (!check) throw new KitError('invalid_config', `unknown setting ${section}.${k}`, { status: 400 });
      if (!check(v)) throw new KitError('invalid_config', `invalid value for ${section}.${k}`, { status: 400 });
    }
    next[section] = { ...((current[section] as Record<string, unknown>) ?? {}), ...value };
  }
  const events = patch.events as Record<string, unknown> | undefined;
  if (events && 'requestUrl' in events) {
    const section = { ...(next.events as Record<string, unknown>) };
    delete section.verified;
    delete section.verification;
    if (typeof events.requestUrl === 'string' && verify) {
      const timeoutMs = typeof section.timeoutMs === 'number' ? section.timeoutMs : 3000;
      const o = await verify(events.requestUrl, timeoutMs);
      section.verified = o.verified;
      section.verification = { at: clockSeconds(), status: o.status, error: o.error };
    }
    next.events = section;
  }
  return next;
}
