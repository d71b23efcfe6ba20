/**
 * Per template: which operations exist (operations.json), how an exchange maps to one, and
 * what its successful answer must look like, from templates/<t>/verify/verifier.ts (the
 * manifest's `verify`, listed in src/templates/generated-index.ts). The scenarios
 * (verify/scenario.ts) drive the vendor's official SDK; they are loaded only when a
 * verification runs.
 */
import { TEMPLATE_MODULES } from '../templates/generated-index.ts';
import type { TemplateVerifier } from './types.ts';

export const verifiableTemplates = (): string[] => Object.keys(TEMPLATE_MODULES).filter((t) => TEMPLATE_MODULES[t]!.verify);

export async function loadVerifier(template: string): Promise<TemplateVerifier | null> {
  const verify = Object.hasOwn(TEMPLATE_MODULES, template) ? TEMPLATE_MODULES[template]!.verify : undefined;
  if (!verify) return null;
  const [verifier, scenario] = await Promise.all([verify.verifier(), verify.scenario()]);
  return verifier(scenario);
}
