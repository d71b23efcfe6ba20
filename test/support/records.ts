import type { CloneRecord } from '../../src/contract/clone.ts';

export function sampleRecord(id: string, overrides: Partial<CloneRecord> = {}): CloneRecord {
  const at = '2026-11-25T10:00:00.000Z';
  return {
    id,
    template: 'slack',
    mode: 'api',
    composeProject: `asym-${id}`,
    database: `asym_${id.replace(/-/g, '_')}`,
    redisPrefix: `asym:${id}:`,
    ports: { api: 41000 },
    state: 'running',
    seed: null,
    expose: false,
    image: 'ghcr.io/asymmetric-ai/asymmetric-slack-backend:latest',
    imageDigest: null,
    createdAt: at,
    updatedAt: at,
    syncedAt: null,
    ...overrides,
  };
}
