import { hsError, notFound } from '../errors.ts';
import { PORTAL_ID } from '../provision.ts';
import { DEAL_STAGES, PIPELINE_CREATED } from '../schema.ts';
import type { Call, Result } from '../types.ts';
import { typeParam } from './common.ts';

/**
 * The portal's deal pipeline ("Sales Pipeline", id `default`), read-only; property
 * definitions and groups are in properties.ts.
 */

// ---- pipelines

function stageJson(s: (typeof DEAL_STAGES)[number], i: number) {
  return {
    id: s.id,
    label: s.label,
    displayOrder: i,
    metadata: { isClosed: String(s.isClosed), probability: s.probability },
    createdAt: PIPELINE_CREATED,
    updatedAt: PIPELINE_CREATED,
    archived: false,
    writePermissions: 'CRM_PERMISSIONS_ENFORCEMENT',
  };
}

const pipelineJson = () => ({
  id: 'default',
  label: 'Sales Pipeline',
  displayOrder: 0,
  stages: DEAL_STAGES.map(stageJson),
  createdAt: PIPELINE_CREATED,
  updatedAt: PIPELINE_CREATED,
  archived: false,
});

const audit = (identifier: string) => ({ results: [{ portalId: PORTAL_ID, identifier, action: 'CREATE', timestamp: PIPELINE_CREATED, message: 'Created by HubSpot with the portal' }] });

function dealPipeline(c: Call): void {
  const t = typeParam(c.ids[0]);
  // @hubspot/api-client's stage-audit call has no pipeline argument and sends the
  // placeholder itself (/pipelines/deals/{pipelineId}/stages/…/audit): read it as the default.
  if (c.ids[1] === '{pipelineId}' && c.path.endsWith('/audit')) c.ids[1] = 'default';
  if (t !== 'deals') throw hsError(400, 'VALIDATION_ERROR', `Pipelines are not supported for ${t}; this clone has the deal pipeline only`);
  if (c.ids[1] !== undefined && c.ids[1] !== 'default') throw notFound(`Unable to find pipeline ${c.ids[1]}`);
}

function stageOf(c: Call) {
  const i = DEAL_STAGES.findIndex((s) => s.id === c.ids[2]);
  if (i < 0) throw notFound(`Unable to find stage ${c.ids[2]} in pipeline ${c.ids[1]}`);
  return stageJson(DEAL_STAGES[i]!, i);
}

export async function pipelines(c: Call): Promise<Result> {
  dealPipeline(c);
  return { status: 200, body: { results: [pipelineJson()] } };
}
export async function pipeline(c: Call): Promise<Result> {
  dealPipeline(c);
  return { status: 200, body: pipelineJson() };
}
export async function pipelineAudit(c: Call): Promise<Result> {
  dealPipeline(c);
  return { status: 200, body: audit('default') };
}
export async function stages(c: Call): Promise<Result> {
  dealPipeline(c);
  return { status: 200, body: { results: DEAL_STAGES.map(stageJson) } };
}
export async function stage(c: Call): Promise<Result> {
  dealPipeline(c);
  return { status: 200, body: stageOf(c) };
}
export async function stageAudit(c: Call): Promise<Result> {
  dealPipeline(c);
  return { status: 200, body: audit(stageOf(c).id) };
}
