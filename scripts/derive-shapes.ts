/**
 * Derives every template's response shapes (the manifest's `verify.shapes`, e.g.
 * templates/slack/verify/shapes.json) from the vendors' own descriptions: each template's
 * templates/<t>/verify/derive.ts says how (Slack's samples and OpenAPI description, GitHub's
 * OpenAPI description, the stripe, Notion and HubSpot SDKs' types), on the shared $ref
 * handling of scripts/shapes/refs.ts, and every file is written in one pretty-printed format
 * (scripts/shapes/format.ts). test/templates/shapes.test.ts re-derives them in memory and
 * fails when one is stale.
 *
 *   bun scripts/derive-shapes.ts [template ...] [--check]
 *
 * Inputs: ../shared/reference/specs (ASYM_REFERENCE_DIR overrides ../shared/reference), the
 * SDKs in node_modules, and for GitHub its OpenAPI description (385 MB, never a dependency):
 *   mkdir -p /tmp/ghspec && (cd /tmp/ghspec && npm install @octokit/openapi@23.0.2)
 *   GITHUB_OPENAPI=/tmp/ghspec/node_modules/@octokit/openapi/generated/api.github.com.json
 * and, for the operations GitHub has retired but the SDK still calls, an older one:
 *   mkdir -p /tmp/ghspec-legacy && (cd /tmp/ghspec-legacy && npm install @octokit/openapi@17.0.0)
 *   GITHUB_OPENAPI_LEGACY=/tmp/ghspec-legacy/node_modules/@octokit/openapi/generated/api.github.com.json
 * --check writes nothing and exits 1 when a file differs from what it would write.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatJson } from './shapes/format.ts';

export const ROOT = join(import.meta.dir, '..');

export interface DeriveInput {
  /** ../shared/reference: operations/ and specs/. */
  reference: string;
  /** templates/<t>. */
  templateDir: string;
  /** The repository (node_modules holds the SDKs). */
  root: string;
}

export interface ShapeSource {
  template: string;
  /** The derived file (the manifest's verify.shapes), absolute. */
  file: string;
  derive: () => Promise<unknown>;
  /** When the inputs are not on this machine: why (the derivation cannot run). */
  unavailable?: string;
}

export const referenceDir = (): string => process.env.ASYM_REFERENCE_DIR ?? join(ROOT, '..', 'shared', 'reference');

/** Every template whose manifest names a shapes file and which has verify/derive.ts. */
export async function shapeSources(templatesDir = join(ROOT, 'templates')): Promise<ShapeSource[]> {
  const out: ShapeSource[] = [];
  for (const e of readdirSync(templatesDir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const dir = join(templatesDir, e.name);
    const manifestFile = join(dir, 'clone.manifest.json');
    if (!e.isDirectory() || e.name.startsWith('_') || !existsSync(manifestFile)) continue;
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { name: string; verify?: { shapes?: string } };
    const deriver = join(dir, 'verify', 'derive.ts');
    if (!manifest.verify?.shapes || !existsSync(deriver)) continue;
    const mod = (await import(deriver)) as { derive: (i: DeriveInput) => Promise<unknown>; unavailable?: (i: DeriveInput) => string | undefined };
    const input: DeriveInput = { reference: referenceDir(), templateDir: dir, root: ROOT };
    out.push({ template: manifest.name, file: join(dir, manifest.verify.shapes), derive: () => mod.derive(input), unavailable: mod.unavailable?.(input) });
  }
  return out;
}

/** The text `source` derives (what its file must hold). */
export const derivedText = async (source: ShapeSource): Promise<string> => formatJson(await source.derive());

if (import.meta.main) {
  const args = process.argv.slice(2);
  const check = args.includes('--check');
  const wanted = args.filter((a) => !a.startsWith('--'));
  let stale = 0;
  for (const s of await shapeSources()) {
    if (wanted.length && !wanted.includes(s.template)) continue;
    if (s.unavailable) {
      process.stderr.write(`${s.template}: skipped, ${s.unavailable}\n`);
      if (wanted.includes(s.template)) stale++;
      continue;
    }
    const started = performance.now();
    const text = await derivedText(s);
    const old = existsSync(s.file) ? readFileSync(s.file, 'utf8') : '';
    const ms = Math.round(performance.now() - started);
    if (old === text) process.stdout.write(`${s.file}: current (${ms} ms)\n`);
    else if (check) {
      stale++;
      process.stdout.write(`${s.file}: stale\n`);
    } else {
      writeFileSync(s.file, text);
      process.stdout.write(`${s.file}: written, ${(text.length / 1024).toFixed(0)} KiB (${ms} ms)\n`);
    }
  }
  process.exitCode = stale ? 1 : 0;
}
