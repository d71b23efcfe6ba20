/**
 * Settings read from the environment, in one place. Base image references default to
 * the official images and can be replaced by stand-ins (scripts/base-images.sh builds
 * them from Debian packages for machines with no registry).
 */
import { AsymmetricError } from './contract/errors.ts';
import type { PortRange } from './contract/clone.ts';

export interface BaseImages {
  postgres: string;
  redis: string;
  bun: string;
}

export function baseImages(): BaseImages {
  return {
    postgres: process.env.ASYM_POSTGRES_IMAGE || 'postgres:15',
    redis: process.env.ASYM_REDIS_IMAGE || 'redis:7',
    bun: process.env.ASYM_BUN_IMAGE || 'oven/bun:1',
  };
}

/** Compose project of the shared Postgres + Redis. One per machine. */
export function infraProject(): string {
  const project = process.env.ASYM_INFRA_PROJECT || 'asym-infra';
  // Clone projects are `asym-<8 hex>-<id>` (src/docker/names.ts): the infra must never look like one.
  if (/^asym-[0-9a-f]{8}-/.test(project) || !/^[a-z0-9][a-z0-9_-]*$/.test(project)) {
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
  const raw = process.env.ASYM_PORT_RANGE;
  if (!raw) return DEFAULT_PORT_RANGE;
  const m = /^(\d+)-(\d+)$/.exec(raw.trim());
  if (!m) throw new AsymmetricError('INVALID_INPUT', `ASYM_PORT_RANGE=${raw} is not a range`, { hint: 'use FROM-TO, e.g. 41000-41999' });
  return { from: Number(m[1]), to: Number(m[2]) };
}

/** `never` skips registry pulls (air-gapped machines); `auto` tries, then builds. */
export function pullPolicy(): 'auto' | 'never' {
  return process.env.ASYM_PULL === 'never' ? 'never' : 'auto';
}

/** How long create waits for a clone's services to become healthy. */
export function healthTimeoutMs(): number {
  const n = Number(process.env.ASYM_HEALTH_TIMEOUT_MS);
  return Number.isFinite(n) && n > 0 ? n : 60_000;
}
