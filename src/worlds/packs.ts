/**
 * Saved fixture packs: `asym seed <id> --ai … --save-as NAME` writes the seeded state as a
 * portable snapshot file in this home (`packs/<template>/<NAME>.asym`), and `--pack NAME`
 * (seed or spin) brings that exact state back without calling the model again. A pack is a
 * whole state, so replaying it replaces what the clone held; the clone keeps its own tokens.
 * To use a pack on another machine, copy the file and `asym spin --from` it. Under a remote
 * (asym serve) the packs are still this home's: --save-as brings the state back here, and
 * --pack sends it from here.
 */
import { existsSync, readdirSync } from 'node:fs';
import { AsymmetricError } from '../contract/errors.ts';
import type { CloneRecord } from '../contract/clone.ts';
import type { LocalDockerProvider } from '../docker/provider.ts';
import { ensurePrivateDir, homePath } from '../registry/home.ts';
import { fixturesOf, getTemplate, type Template } from '../templates/catalog.ts';
import type { ExportResult } from './portable.ts';

const PACK_NAME = /^[a-z0-9][a-z0-9_-]{0,62}$/;

export function packPath(template: string, name: string): string {
  return homePath('packs', template, `${name}.asym`);
}

export function packExists(template: string, name: string): boolean {
  return existsSync(packPath(template, name));
}

/** The packs saved in this home for a template, by name. */
export function listPacks(template: string): string[] {
  const dir = homePath('packs', template);
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.asym') && !f.startsWith('.')).map((f) => f.slice(0, -'.asym'.length)).sort() : [];
}

/** A new pack name: well-formed, not taken by a saved pack or a shipped fixture pack. */
export function checkPackName(t: Template, name: string): void {
  if (!PACK_NAME.test(name)) throw new AsymmetricError('INVALID_INPUT', `bad pack name ${JSON.stringify(name)}`, { hint: 'use lowercase letters, digits, dashes and underscores' });
  if (fixturesOf(t).includes(name)) throw new AsymmetricError('NAME_TAKEN', `${t.manifest.name} ships a fixture pack named ${name}`, { hint: 'pick another --save-as name' });
  if (packExists(t.manifest.name, name)) throw new AsymmetricError('NAME_TAKEN', `a ${t.manifest.name} pack named ${name} is saved already (${packPath(t.manifest.name, name)})`, { hint: 'pick another --save-as name, or delete that file' });
}

/** Save a clone's live state as a pack (the caller holds the clone's lock). */
export async function savePack(provider: LocalDockerProvider, record: CloneRecord, name: string, progress?: (s: string) => void): Promise<ExportResult> {
  // Loaded here: a control plane's client reads packs (packPath, checkPackName) and runs no export.
  const { exportState } = await import('./portable.ts');
  const t = getTemplate(record.template);
  ensurePrivateDir(homePath('packs', t.manifest.name));
  return exportState(provider, record, t, { snapshot: null, file: packPath(t.manifest.name, name), progress });
}
