/** `asym verify`: score a template's fidelity against a live clone and cache the score. */
import { AsymmetricError } from '../contract/errors.ts';
import { providerFor } from '../providers/index.ts';
import { getTemplate } from '../templates/catalog.ts';
import { saveFidelity } from './cache.ts';
import { runVerification } from './runner.ts';
import type { VerifyReport } from './types.ts';
import { loadVerifier, verifiableTemplates } from './verifiers.ts';

export type { VerifyReport } from './types.ts';

export interface VerifyOptions {
  /** Verify against this existing clone (its data is written to) instead of a throwaway one. */
  clone?: string;
  onProgress?: (message: string) => void;
}

export async function verifyTemplate(template: string, opts: VerifyOptions = {}): Promise<VerifyReport> {
  getTemplate(template); // TEMPLATE_NOT_FOUND with the catalog in its hint
  const verifier = await loadVerifier(template);
  if (!verifier) {
    throw new AsymmetricError('NOT_SUPPORTED', `template ${template} has no verification checks yet`, {
      hint: `verifiable templates: ${verifiableTemplates().join(', ')}`,
    });
  }
  const provider = providerFor({ onProgress: opts.onProgress });
  let id = opts.clone;
  const throwaway = !id;
  if (id) {
    // The record from the provider: a remote clone's is the control plane's, its endpoint the one the server advertises.
    const record = await provider.get(id);
    if (record.template !== template) {
      throw new AsymmetricError('INVALID_INPUT', `clone ${id} is a ${record.template} clone, not ${template}`, { hint: `asym verify ${record.template} --clone ${id}` });
    }
    if (record.state !== 'running') throw new AsymmetricError('CLONE_NOT_RUNNING', `clone ${id} is ${record.state}`, { hint: `asym start ${id}` });
  } else {
    opts.onProgress?.(`spinning a throwaway ${template} clone`);
    id = (await provider.create({ template, name: `verify-${template}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}` })).id;
  }
  try {
    const record = await provider.get(id);
    const report = await runVerification(verifier, provider.instance(record), provider.admin(record), { onProgress: opts.onProgress });
    saveFidelity(template, report.fidelity);
    return report;
  } finally {
    if (throwaway) {
      opts.onProgress?.('destroying the throwaway clone');
      await provider.destroy(id);
    }
  }
}
