/** ~/.asymmetric/fidelity/<template>.json: the last score `asym verify` measured. */
import * as v from 'valibot';
import { existsSync, readFileSync } from 'node:fs';
import { FidelityScoreSchema, type FidelityScore } from '../contract/fidelity.ts';
import { ensurePrivateDir, homePath } from '../registry/home.ts';
import { writeAtomic } from '../registry/registry.ts';

export function fidelityPath(template: string): string {
  return homePath('fidelity', `${template}.json`);
}

/** The cached score of a template, or null when it was never verified (or the cache is unreadable). */
export function cachedFidelity(template: string): FidelityScore | null {
  const file = fidelityPath(template);
  if (!existsSync(file)) return null;
  try {
    const parsed = v.safeParse(FidelityScoreSchema, JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.output : null;
  } catch {
    return null;
  }
}

export function saveFidelity(template: string, score: FidelityScore): void {
  ensurePrivateDir(homePath('fidelity'));
  writeAtomic(fidelityPath(template), `${JSON.stringify(v.parse(FidelityScoreSchema, score), null, 2)}\n`);
}
