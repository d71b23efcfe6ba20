import { hsError, notFound } from '../errors.ts';
import { PORTAL_ID } from '../provision.ts';
import { DEAL_STAGES, PIPELINE_CREATED, TICKET_STAGES } from '../schema.ts';
import type { Call, Result } from '../types.ts';
import { typeParam } from './common.ts';

/**
 * The portal's pipelines, read-only: deals have HubSpot's "Sales Pipeline" (id `default`),
 * tickets its "Support Pipeline" (id `0`). Property definitions and groups are in properties.ts.
 */

// ---- pipelines

interface StageJson {
  id: string;
  label: string;
  displayOrder: number;
  metadata: Record<string, string>;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
  writePermissions: string;
}

const stageJson = (id: string, label: string, i: number, metadata: Record<string, string>): StageJson => ({
  id,
  label,
  displayOrder: i,
  metadata,
  createdAt: PIPELINE_CREATED,
  updatedAt: PIPELINE_CREATED,
  archived: false,
  writePermissions: 'CRM_PERMISSIONS_ENFORCEMENT',
});

const PIPELINES: Record<string, { id: string; label: string; stages: StageJson[] }> = {
  deals: { id: 'default', label: 'Sales Pipeline', stages: DEAL_STAGES.map((s, i) => stageJson(s.id, s.label, i, { isClosed: String(s.isClosed), probability: s.probability })) },
  tickets: { id: '0', label: 'Support Pipeline', stages: TICKET_STAGES.map((s, i) => stageJson(s.id, s.label, i, { ticketState: s.ticketState, isClosed: String(s.ticketState === 'CLOSED') })) },
};

const pipelineJson = (p: (typeof PIPELINES)[string]) => ({
  id: p.id,
  label: p.label,
  displayOrder: 0,
  stages: p.stages,
  createdAt: PIPELINE_CREATED,
  updatedAt: PIPELINE_CREATED,
  archived: false,
});

const audit = (identifier: string) => ({ results: [{ portalId: PORTAL_ID, identifier, action: 'CREATE', timestamp: PIPELINE_CREATED, message: 'Created by HubSpot with the portal' }] });

function pipelineOf(c: Call) {
  const t = typeParam(c.ids[0]);
  const p = PIPELINES[t];
  if (!p) throw hsError(400, 'VALIDATION_ERROR', `Pipelines are not supported for ${t}; this clone has the deal and ticket pipelines`);
  // @hubspot/api-client's stage-audit call has no pipeline argument and sends the
  // placeholder itself (/pipelines/deals/{pipelineId}/stages/…/audit): read it as the default.
  if (c.ids[1] === '{pipelineId}' && c.path.endsWith('/audit')) c.ids[1] = p.id;
  if (c.ids[1] !== undefined && c.ids[1] !== p.id) throw notFound(`Unable to find pipeline ${c.ids[1]}`);
  return p;
}

function stageOf(c: Call) {
  const s = pipelineOf(c).stages.find((x) => x.id === c.ids[2]);
  if (!s) throw notFound(`Unable to find stage ${c.ids[2]} in pipeline ${c.ids[1]}`);
  return s;
}

export async function pipelines(c: Call): Promise<Result> {
  return { status: 200, body: { results: [pipelineJson(pipelineOf(c))] } };
}
export async function pipeline(c: Call): Promise<Result> {
  return { status: 200, body: pipelineJson(pipelineOf(c)) };
}
export async function pipelineAudit(c: Call): Promise<Result> {
  return { status: 200, body: audit(pipelineOf(c).id) };
}
export async function stages(c: Call): Promise<Result> {
  return { status: 200, body: { results: pipelineOf(c).stages } };
}
export async function stage(c: Call): Promise<Result> {
  return { status: 200, body: stageOf(c) };
}
export async function stageAudit(c: Call): Promise<Result> {
  return { status: 200, body: audit(stageOf(c).id) };
}
