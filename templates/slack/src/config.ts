import { KitError } from '../../_kit/errors.ts';

/**
 * POST /__asym/config for Slack. Recognised sections (each merged over the current one):
 *   rateLimits: { enabled: boolean, multiplier: number, windowSeconds: number, methods: {<method>: limit} }
 *   events:     { requestUrl: string|null, retryDelaysMs: number[], timeoutMs: number, types: string[] }
 * Anything else is refused so a typo never silently does nothing.
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

export function configureSlack(current: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
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
  return next;
}
