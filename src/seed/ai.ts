import { AsymmetricError } from '../contract/errors.ts';
import type { CloneRecord } from '../contract/clone.ts';
import type { SeedResult, SeedSpec } from '../contract/seed.ts';
import type { AdminClient } from '../docker/admin-client.ts';

/** AI seeding (Anthropic Messages API) — not built yet; fixtures work today. */
export async function runAiSeed(_admin: AdminClient, _record: CloneRecord, _spec: SeedSpec, _progress: (s: string) => void): Promise<SeedResult> {
  throw new AsymmetricError('NOT_SUPPORTED', 'AI seeding is not available in this version of asym', {
    hint: 'use a fixture pack instead: asym seed <id> --fixture <name> (asym templates lists them)',
  });
}
