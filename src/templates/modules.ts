/**
 * What the CLI itself loads from a template folder (the verify modules, the AI-seed entity
 * schemas), as src/templates/generated-index.ts lists them. The compiled binary needs static
 * imports, so scripts/template-index.ts writes that index from the manifests; these folders
 * are read by the CLI only: never an image input, never embedded as data.
 */
import type { AiEntity } from '../seed/entities.ts';
import type { Scenario, TemplateVerifier } from '../verify/types.ts';

export interface TemplateModules {
  /** seed.ai.schemas of the manifest. */
  entities?: AiEntity[];
  /** verify.verifier and verify.scenario, loaded only when a verification runs (the scenario loads the SDK). */
  verify?: {
    verifier: () => Promise<(scenario: Scenario) => TemplateVerifier>;
    scenario: () => Promise<Scenario>;
  };
}

/** A template's top-level folders that only the CLI reads. */
export const CLI_ONLY_DIRS = ['verify', 'seed'] as const;

/** `rel` (relative to the templates root, e.g. "slack/verify/shapes.json") is CLI-only. */
export const isCliOnly = (rel: string): boolean => {
  const [template, dir] = rel.split(/[\\/]/);
  return !!template && !template.startsWith('_') && (CLI_ONLY_DIRS as readonly string[]).includes(dir ?? '');
};
