/**
 * Where template sources live: ASYM_TEMPLATES_DIR, else the repository's templates/ (when
 * running from a checkout), else the copy embedded in the compiled binary, unpacked once
 * per content hash under ~/.asymmetric/templates/.
 */
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AsymmetricError } from '../contract/errors.ts';
import { ensureHome, homePath } from '../registry/home.ts';

export interface EmbeddedTemplates {
  hash: string;
  files: Record<string, string>; // relative path → base64 content
}

let embedded: EmbeddedTemplates | undefined;

export function registerEmbeddedTemplates(e: EmbeddedTemplates): void {
  embedded = e;
}

export function templatesRoot(): string {
  const override = process.env.ASYM_TEMPLATES_DIR;
  if (override) return override;
  const checkout = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'templates');
  if (!embedded && existsSync(checkout)) return checkout;
  if (embedded) return unpackEmbedded(embedded);
  throw new AsymmetricError('TEMPLATE_NOT_FOUND', 'no templates directory found', {
    hint: 'set ASYM_TEMPLATES_DIR to a templates/ folder, or use a release build of asym',
  });
}

function unpackEmbedded(e: EmbeddedTemplates): string {
  const dest = homePath('templates', e.hash);
  if (existsSync(join(dest, '.complete'))) return dest;
  ensureHome();
  const tmp = `${dest}.${process.pid}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  for (const [rel, b64] of Object.entries(e.files)) {
    const file = join(tmp, rel);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, Buffer.from(b64, 'base64'));
  }
  writeFileSync(join(tmp, '.complete'), e.hash);
  try {
    renameSync(tmp, dest);
  } catch {
    // Another process unpacked the same hash first; theirs is identical.
    rmSync(tmp, { recursive: true, force: true });
  }
  return dest;
}
