import { clockNow } from '../../../_kit/clock.ts';
import { hsError, notFound, validation } from '../errors.ts';
import { PORTAL_ID } from '../provision.ts';
import { DEAL_STAGES, PIPELINE_CREATED, PROPERTIES, PROPERTY_GROUPS, type PropertyDef } from '../schema.ts';
import type { Call, Result } from '../types.ts';
import { typeParam } from './common.ts';

/**
 * Read-only schema of the portal: the deal pipeline ("Sales Pipeline", id `default`) and
 * the property definitions and groups of contacts, companies and deals.
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

// ---- properties

function propertyJson(d: PropertyDef, i: number) {
  return {
    name: d.name,
    label: d.label,
    type: d.type,
    fieldType: d.fieldType,
    description: d.description,
    groupName: d.groupName,
    options: (d.options ?? []).map((o, j) => ({ label: o.label, value: o.value, displayOrder: j, hidden: false })),
    displayOrder: i,
    calculated: d.name === 'hs_deal_stage_probability' || d.name === 'hs_is_closed',
    externalOptions: d.externalOptions === true,
    hasUniqueValue: d.hasUniqueValue === true,
    hidden: false,
    hubspotDefined: true,
    formField: !d.readOnly,
    modificationMetadata: { archivable: false, readOnlyDefinition: true, readOnlyValue: d.readOnly === true },
    createdAt: PIPELINE_CREATED,
    updatedAt: PIPELINE_CREATED,
    archived: false,
  };
}

export async function properties(c: Call): Promise<Result> {
  const t = typeParam(c.ids[0]);
  if (c.query.get('archived') === 'true') return { status: 200, body: { results: [] } };
  return { status: 200, body: { results: PROPERTIES[t].map(propertyJson) } };
}

export async function property(c: Call): Promise<Result> {
  const t = typeParam(c.ids[0]);
  const i = PROPERTIES[t].findIndex((d) => d.name === c.ids[1]);
  if (i < 0) throw notFound(`Unable to find property ${c.ids[1]} for object type ${t}`);
  return { status: 200, body: propertyJson(PROPERTIES[t][i]!, i) };
}

export async function batchReadProperties(c: Call): Promise<Result> {
  const t = typeParam(c.ids[0]);
  const startedAt = clockNow().toISOString();
  if (!Array.isArray(c.body.inputs)) throw validation('inputs is required and must be an array', [{ message: 'inputs is required', code: 'REQUIRED_FIELD', in: 'inputs' }]);
  const wanted = (c.body.inputs as Array<{ name?: unknown }>).map((x) => String(x?.name ?? ''));
  const results = c.body.archived === true ? [] : PROPERTIES[t].map(propertyJson).filter((p) => wanted.includes(p.name));
  return { status: 200, body: { status: 'COMPLETE', results, startedAt, completedAt: clockNow().toISOString() } };
}

const groupJson = (g: { name: string; label: string; displayOrder: number }) => ({ name: g.name, label: g.label, displayOrder: g.displayOrder, archived: false });

export async function groups(c: Call): Promise<Result> {
  return { status: 200, body: { results: PROPERTY_GROUPS[typeParam(c.ids[0])].map(groupJson) } };
}

export async function group(c: Call): Promise<Result> {
  const t = typeParam(c.ids[0]);
  const g = PROPERTY_GROUPS[t].find((x) => x.name === c.ids[1]);
  if (!g) throw notFound(`Unable to find property group ${c.ids[1]} for object type ${t}`);
  return { status: 200, body: groupJson(g) };
}
