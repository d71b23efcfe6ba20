/**
 * Settings, read in one place: the environment variable when set, else the user's settings
 * file ($ASYM_HOME/settings.json, `asym settings`), else the default. Read at call time, so
 * every command sees the same values from any folder. Base image references default to the
 * official images and can be replaced by stand-ins (`asym images build-base` builds them
 * from Debian packages for machines with no registry).
 */
import { AsymmetricError } from './contract/errors.ts';
import { CLONE_PROJECT } from './docker/names.ts';
import type { PortRange } from './contract/clone.ts';
import { parsePortRangeText, resolveSettings } from './settings/settings.ts';

export interface BaseImages {
  postgres: string;
  redis: string;
  bun: string;
}

export function baseImages(): BaseImages {
  const s = resolveSettings();
  return { postgres: s.postgresImage.value, redis: s.redisImage.value, bun: s.bunImage.value };
}

/** Compose project of the shared Postgres + Redis. One per machine. */
export function infraProject(): string {
  const project = process.env.ASYM_INFRA_PROJECT || 'asym-infra';
  // The infra must never look like a clone's project (`asym-<8 hex>-<id>`).
  if (CLONE_PROJECT.test(project) || !/^[a-z0-9][a-z0-9_-]*$/.test(project)) {
    throw new AsymmetricError('INVALID_INPUT', `ASYM_INFRA_PROJECT=${project} is not a usable infra project name`, {
      hint: 'use lowercase letters, digits, dashes and underscores, and not the asym-<8 hex>- shape of clone projects',
    });
  }
  return project;
}

/** Infra database password. The port is bound to 127.0.0.1 only; each clone gets its own role. */
export function infraPassword(): string {
  return process.env.ASYM_INFRA_PASSWORD || 'asym-infra-local';
}

export const DEFAULT_PORT_RANGE: PortRange = { from: 41000, to: 41999 };

export function defaultPortRange(): PortRange {
  const r = resolveSettings().portRange;
  if (r.source === 'default') return DEFAULT_PORT_RANGE;
  try {
    return parsePortRangeText(r.value);
  } catch (e) {
    throw new AsymmetricError('INVALID_INPUT', `${r.env}=${r.value}: ${(e as Error).message}`, { hint: 'use FROM-TO, e.g. 41000-41999' });
  }
}

/** `never` skips registry pulls (air-gapped machines); `auto` tries, then builds. */
export function pullPolicy(): 'auto' | 'never' {
  return resolveSettings().pull.value === 'never' ? 'never' : 'auto';
}

/** How long create waits for a clone's services to become healthy. */
export function healthTimeoutMs(): number {
  const n = Number(process.env.ASYM_HEALTH_TIMEOUT_MS);
  return Number.isFinite(n) && n > 0 ? n : 60_000;
}
