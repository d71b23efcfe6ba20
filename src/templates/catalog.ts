/**
 * The template catalog: every directory under the templates root holding a valid
 * clone.manifest.json whose services can actually be run (an image, or a Dockerfile that
 * exists). A template that is only planned never appears, so it can never be spun.
 */
import * as v from 'valibot';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AsymmetricError } from '../contract/errors.ts';
import { TemplateManifestSchema, type TemplateManifest } from '../contract/manifest.ts';
import { templatesRoot } from './root.ts';

export interface Template {
  manifest: TemplateManifest;
  dir: string;
  root: string;
}

function loadManifest(root: string, name: string): Template {
  const dir = join(root, name);
  const file = join(dir, 'clone.manifest.json');
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new AsymmetricError('TEMPLATE_INVALID', `${file} is not readable JSON`, { cause: e });
  }
  const parsed = v.safeParse(TemplateManifestSchema, raw);
  if (!parsed.success) {
    const issue = parsed.issues[0];
    throw new AsymmetricError('TEMPLATE_INVALID', `${file}: ${issue ? `${v.getDotPath(issue) ?? ''} ` : ''}${issue?.message}`);
  }
  const manifest = parsed.output;
  for (const [svc, s] of Object.entries(manifest.services)) {
    if (s.build && !existsSync(join(root, s.build.dockerfile)) && !s.image) {
      throw new AsymmetricError('TEMPLATE_INVALID', `template ${name}: service ${svc} has no image and its Dockerfile is missing`);
    }
  }
  return { manifest, dir, root };
}

export function listTemplates(): Template[] {
  const root = templatesRoot();
  const out: Template[] = [];
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith('_') || entry.name.startsWith('.')) continue;
    if (!existsSync(join(root, entry.name, 'clone.manifest.json'))) continue;
    try {
      out.push(loadManifest(root, entry.name));
    } catch {
      // An invalid template is not spinnable; `asym templates --all` could list why.
    }
  }
  return out.sort((a, b) => a.manifest.name.localeCompare(b.manifest.name));
}

export function getTemplate(name: string): Template {
  const found = listTemplates().find((t) => t.manifest.name === name);
  if (!found) {
    const known = listTemplates().map((t) => t.manifest.name);
    throw new AsymmetricError('TEMPLATE_NOT_FOUND', `no template named ${name}`, {
      hint: known.length ? `available: ${known.join(', ')} (asym templates)` : 'no templates are installed',
    });
  }
  return found;
}

export function resolveMode(t: Template, mode?: string): TemplateManifest['modes'][number] {
  const modes = t.manifest.modes;
  if (!mode) return modes[0]!;
  const found = modes.find((m) => m.name === mode);
  if (!found) {
    throw new AsymmetricError('MODE_NOT_FOUND', `template ${t.manifest.name} has no mode ${mode}`, {
      hint: `modes: ${modes.map((m) => m.name).join(', ')}`,
    });
  }
  return found;
}

/** Fixture packs shipped with a template (file names without .sql). */
export function fixturesOf(t: Template): string[] {
  const dir = join(t.dir, t.manifest.seed.fixtures);
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => f.endsWith('.sql')).map((f) => f.slice(0, -4)).sort();
}
