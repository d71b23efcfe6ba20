import { clockNow } from '../../../_kit/clock.ts';
import { dropCatalog } from '../catalog.ts';
import { hsError, notFound, validation } from '../errors.ts';
import {
  MAX_STAGES,
  checkLabelOrder,
  checkStageLabels,
  isPipelineType,
  nextPipelineId,
  recalculateStage,
  recordsIn,
  savePipeline,
  stageJson,
  stageMetadata,
  type PipelineJson,
  type PipelineType,
  type StageJson,
} from '../pipelines.ts';
import { PORTAL_ID } from '../provision.ts';
import type { Call, Result } from '../types.ts';
import { boolParam, typeParam } from './common.ts';

/**
 * /crm/v3/pipelines/{objectType}: the deal and ticket pipelines and their stages, read and
 * written (src/pipelines.ts holds the model). A record's pipeline and stage properties take
 * the live pipelines' ids, so a pipeline created here is at once usable on deals or tickets.
 */

function typeOf(c: Call): PipelineType {
  const t = typeParam(c.ids[0]);
  if (!isPipelineType(t)) throw hsError(400, 'VALIDATION_ERROR', `Pipelines are not supported for ${t}; this clone has deal and ticket pipelines`);
  return t;
}

function pipelineOf(c: Call): { t: PipelineType; p: PipelineJson } {
  const t = typeOf(c);
  // @hubspot/api-client's stage-audit call has no pipeline argument and sends the
  // placeholder itself (/pipelines/deals/{pipelineId}/stages/…/audit): read it as the stage's pipeline.
  if (c.ids[1] === '{pipelineId}' && c.path.endsWith('/audit')) c.ids[1] = (c.catalog.pipelines.stage(t, c.ids[2] ?? '')?.pipeline ?? c.catalog.pipelines.fallback(t))?.id ?? '';
  const p = c.catalog.pipelines.get(t, c.ids[1] ?? '');
  if (!p) throw notFound(`Unable to find pipeline ${c.ids[1]}`);
  return { t, p };
}

function stageOf(c: Call): { t: PipelineType; p: PipelineJson; s: StageJson } {
  const { t, p } = pipelineOf(c);
  const s = p.stages.find((x) => x.id === c.ids[2]);
  if (!s) throw notFound(`Unable to find stage ${c.ids[2]} in pipeline ${p.id}`);
  return { t, p, s };
}

const audit = (portalId: number, x: { id: string; createdAt: string; updatedAt: string }) => ({
  results: [
    ...(x.updatedAt !== x.createdAt ? [{ portalId, identifier: x.id, action: 'UPDATE', timestamp: x.updatedAt, message: 'Updated through the API' }] : []),
    { portalId, identifier: x.id, action: 'CREATE', timestamp: x.createdAt, message: 'Created' },
  ],
});

export async function pipelines(c: Call): Promise<Result> {
  return { status: 200, body: { results: c.catalog.pipelines.list(typeOf(c)) } };
}
export async function pipeline(c: Call): Promise<Result> {
  return { status: 200, body: pipelineOf(c).p };
}
export async function pipelineAudit(c: Call): Promise<Result> {
  return { status: 200, body: audit(PORTAL_ID, pipelineOf(c).p) };
}
export async function stages(c: Call): Promise<Result> {
  return { status: 200, body: { results: pipelineOf(c).p.stages } };
}
export async function stage(c: Call): Promise<Result> {
  return { status: 200, body: stageOf(c).s };
}
export async function stageAudit(c: Call): Promise<Result> {
  return { status: 200, body: audit(PORTAL_ID, stageOf(c).s) };
}

// ---- writes

const now = () => clockNow().toISOString();

/** The stages of a create or replace input; a stage that names an existing stage's id (stageId) or label keeps its id. */
async function stagesInput(c: Call, t: PipelineType, raw: unknown, existing: StageJson[], at: string): Promise<StageJson[]> {
  if (!Array.isArray(raw) || raw.length === 0) throw validation('stages is required: a pipeline has at least one stage', [{ message: 'stages is required', code: 'INVALID_INPUT', in: 'stages' }]);
  if (raw.length > MAX_STAGES) throw validation(`A pipeline has at most ${MAX_STAGES} stages; got ${raw.length}`);
  const out: StageJson[] = [];
  for (const s of raw as Array<Record<string, unknown>>) {
    if (typeof s !== 'object' || s === null) throw validation('each stage must be an object with label, displayOrder and metadata');
    const { label, displayOrder } = checkLabelOrder(s, 'Stage', false);
    const old = existing.find((x) => (s.stageId !== undefined && x.id === String(s.stageId)) || x.label.toLowerCase() === label!.toLowerCase());
    const metadata = stageMetadata(t, s.metadata);
    out.push(old ? { ...old, label: label!, displayOrder: displayOrder!, metadata, updatedAt: at } : stageJson(await nextPipelineId(c.ctx.db), label!, displayOrder!, metadata, at));
  }
  checkStageLabels(out);
  return out;
}

/**
 * HubSpot's v3 `validateReferencesBeforeDelete` (and, for deals,
 * `validateDealStageUsagesBeforeDelete`), both false by default: when one is true, removing a
 * pipeline or stage that records are in is refused.
 */
async function refuseInUse(c: Call, t: PipelineType, p: PipelineJson, stageIds?: string[]): Promise<void> {
  const validate = boolParam(c.query, 'validateReferencesBeforeDelete') || (t === 'deals' && boolParam(c.query, 'validateDealStageUsagesBeforeDelete'));
  if (!validate || (stageIds && stageIds.length === 0)) return;
  const n = await recordsIn(c.ctx.db, t, p.id, stageIds);
  const where = stageIds ? `stage${stageIds.length > 1 ? 's' : ''} ${stageIds.join(', ')} of pipeline ${p.id}` : `pipeline ${p.id}`;
  if (n > 0) throw validation(`Cannot remove ${where}: ${n} ${t} ${n === 1 ? 'is' : 'are'} in it. Move them to another ${stageIds ? 'stage' : 'pipeline'} first.`, [{ message: `${n} ${t} in ${where}`, code: 'PIPELINE_IN_USE' }]);
}

async function save(c: Call, t: PipelineType, p: PipelineJson): Promise<void> {
  await savePipeline(c.ctx.db, t, p);
  dropCatalog(c.ctx);
}

export async function createPipeline(c: Call): Promise<Result> {
  const t = typeOf(c);
  const at = now();
  const { label, displayOrder } = checkLabelOrder(c.body, 'Pipeline', false);
  const p: PipelineJson = { id: await nextPipelineId(c.ctx.db), label: label!, displayOrder: displayOrder!, stages: await stagesInput(c, t, c.body.stages, [], at), createdAt: at, updatedAt: at, archived: false };
  await save(c, t, p);
  return { status: 201, body: p };
}

export async function updatePipeline(c: Call): Promise<Result> {
  const { t, p } = pipelineOf(c);
  if (c.body.archived === true) throw validation('archived can only be false here (to restore a pipeline); delete a pipeline with DELETE');
  const next: PipelineJson = { ...p, ...checkLabelOrder(c.body, 'Pipeline', true), updatedAt: now() };
  await save(c, t, next);
  return { status: 200, body: next };
}

export async function replacePipeline(c: Call): Promise<Result> {
  const { t, p } = pipelineOf(c);
  const at = now();
  const { label, displayOrder } = checkLabelOrder(c.body, 'Pipeline', false);
  const stages = await stagesInput(c, t, c.body.stages, p.stages, at);
  await refuseInUse(c, t, p, p.stages.filter((s) => !stages.some((x) => x.id === s.id)).map((s) => s.id));
  const next: PipelineJson = { ...p, label: label!, displayOrder: displayOrder!, stages, updatedAt: at };
  await save(c, t, next);
  for (const s of stages.filter((x) => p.stages.some((old) => old.id === x.id))) await recalculateStage(c.ctx.db, t, p.id, s, at);
  return { status: 200, body: next };
}

export async function archivePipeline(c: Call): Promise<Result> {
  const { t, p } = pipelineOf(c);
  // HubSpot: "each account has at least one pipeline".
  if (c.catalog.pipelines.list(t).length === 1) throw validation(`Pipeline ${p.id} is the only ${t} pipeline; an account has at least one pipeline`);
  await refuseInUse(c, t, p);
  const at = now();
  await save(c, t, { ...p, archived: true, archivedAt: at, updatedAt: at });
  return { status: 204 };
}

export async function createStage(c: Call): Promise<Result> {
  const { t, p } = pipelineOf(c);
  if (p.stages.length >= MAX_STAGES) throw validation(`Pipeline ${p.id} has ${MAX_STAGES} stages, the most a pipeline holds`);
  const at = now();
  const { label, displayOrder } = checkLabelOrder(c.body, 'Stage', false);
  const s = stageJson(await nextPipelineId(c.ctx.db), label!, displayOrder!, stageMetadata(t, c.body.metadata), at);
  checkStageLabels([...p.stages, s]);
  await save(c, t, { ...p, stages: [...p.stages, s], updatedAt: at });
  return { status: 201, body: s };
}

/** PATCH merges metadata into the stage's; PUT replaces label, displayOrder and metadata whole. */
async function writeStage(c: Call, partial: boolean): Promise<Result> {
  const { t, p, s } = stageOf(c);
  if (partial && c.body.archived === true) throw validation('archived can only be false here (to restore a stage); delete a stage with DELETE');
  const at = now();
  const next: StageJson = { ...s, ...checkLabelOrder(c.body, 'Stage', partial), metadata: stageMetadata(t, c.body.metadata, partial ? s.metadata : undefined), updatedAt: at };
  const all = p.stages.map((x) => (x.id === s.id ? next : x));
  checkStageLabels(all);
  await save(c, t, { ...p, stages: all, updatedAt: at });
  await recalculateStage(c.ctx.db, t, p.id, next, at);
  return { status: 200, body: next };
}

export const updateStage = (c: Call) => writeStage(c, true);
export const replaceStage = (c: Call) => writeStage(c, false);

export async function archiveStage(c: Call): Promise<Result> {
  const { t, p, s } = stageOf(c);
  // HubSpot: "each pipeline always has at least one stage".
  if (p.stages.length === 1) throw validation(`Stage ${s.id} is the only stage of pipeline ${p.id}; a pipeline has at least one stage`);
  await refuseInUse(c, t, p, [s.id]);
  await save(c, t, { ...p, stages: p.stages.filter((x) => x.id !== s.id), updatedAt: now() });
  return { status: 204 };
}
