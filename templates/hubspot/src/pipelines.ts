import { validation } from './errors.ts';
import type { Exec } from './lookup.ts';
import { DEAL_STAGES, PIPELINE_CREATED, TICKET_STAGES, type ObjectType } from './schema.ts';

/**
 * The portal's deal and ticket pipelines: HubSpot's defaults (deals `default` "Sales
 * Pipeline", tickets `0` "Support Pipeline") overlaid by the rows of the `pipelines` table,
 * where created, changed and deleted (archived) pipelines are kept. The catalog loads them
 * with the property definitions, so a deal's `pipeline`/`dealstage` (a ticket's
 * `hs_pipeline`/`hs_pipeline_stage`) take the live pipelines' ids as their options.
 */

export type PipelineType = 'deals' | 'tickets';
export const PIPELINE_TYPES: PipelineType[] = ['deals', 'tickets'];
export const isPipelineType = (t: ObjectType): t is PipelineType => t === 'deals' || t === 'tickets';

/** The properties that hold a record's pipeline and stage. */
export const PIPELINE_PROPS: Record<PipelineType, { pipeline: string; stage: string }> = {
  deals: { pipeline: 'pipeline', stage: 'dealstage' },
  tickets: { pipeline: 'hs_pipeline', stage: 'hs_pipeline_stage' },
};

export interface StageJson {
  id: string;
  label: string;
  displayOrder: number;
  metadata: Record<string, string>;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
  writePermissions: string;
}

export interface PipelineJson {
  id: string;
  label: string;
  displayOrder: number;
  stages: StageJson[];
  createdAt: string;
  updatedAt: string;
  archived: boolean;
  archivedAt?: string;
}

export function stageJson(id: string, label: string, displayOrder: number, metadata: Record<string, string>, at: string): StageJson {
  return { id, label, displayOrder, metadata, createdAt: at, updatedAt: at, archived: false, writePermissions: 'CRM_PERMISSIONS_ENFORCEMENT' };
}

const builtin = (id: string, label: string, stages: StageJson[]): PipelineJson => ({ id, label, displayOrder: 0, stages, createdAt: PIPELINE_CREATED, updatedAt: PIPELINE_CREATED, archived: false });

export const BUILTIN_PIPELINES: Record<PipelineType, PipelineJson> = {
  deals: builtin('default', 'Sales Pipeline', DEAL_STAGES.map((s, i) => stageJson(s.id, s.label, i, { isClosed: String(s.isClosed), probability: s.probability }, PIPELINE_CREATED))),
  tickets: builtin('0', 'Support Pipeline', TICKET_STAGES.map((s, i) => stageJson(s.id, s.label, i, { ticketState: s.ticketState, isClosed: String(s.ticketState === 'CLOSED') }, PIPELINE_CREATED))),
};

/** HubSpot's order: displayOrder, then label. */
const byOrder = <T extends { displayOrder: number; label: string }>(a: T, b: T) => a.displayOrder - b.displayOrder || a.label.localeCompare(b.label);

export interface Pipelines {
  /** Live pipelines of a type, in display order. */
  list(t: PipelineType): PipelineJson[];
  get(t: PipelineType, id: string): PipelineJson | undefined;
  /** Where a stage id is, among the live pipelines. */
  stage(t: PipelineType, stageId: string): { pipeline: PipelineJson; stage: StageJson } | undefined;
  /** The pipeline a record gets when it names none: HubSpot's default while it lives, else the first. */
  fallback(t: PipelineType): PipelineJson | undefined;
}

export function buildPipelines(rows: Array<{ type: PipelineType; body: PipelineJson }>): Pipelines {
  const all = new Map(PIPELINE_TYPES.map((t) => [t, new Map([[BUILTIN_PIPELINES[t].id, BUILTIN_PIPELINES[t]]])]));
  for (const r of rows) all.get(r.type)!.set(r.body.id, r.body);
  const live = new Map(PIPELINE_TYPES.map((t) => [t, [...all.get(t)!.values()].filter((p) => !p.archived).map((p) => ({ ...p, stages: [...p.stages].sort(byOrder) })).sort(byOrder)]));
  const list = (t: PipelineType) => live.get(t)!;
  return {
    list,
    get: (t, id) => list(t).find((p) => p.id === id),
    stage(t, stageId) {
      for (const pipeline of list(t)) {
        const stage = pipeline.stages.find((s) => s.id === stageId);
        if (stage) return { pipeline, stage };
      }
      return undefined;
    },
    fallback: (t) => list(t).find((p) => p.id === BUILTIN_PIPELINES[t].id) ?? list(t)[0],
  };
}

export async function loadPipelineRows(db: Exec): Promise<Array<{ type: PipelineType; body: PipelineJson }>> {
  const rows = await db.unsafe('select object_type, body from pipelines order by object_type, id');
  return rows.map((r: { object_type: PipelineType; body: unknown }) => ({ type: r.object_type, body: (typeof r.body === 'string' ? JSON.parse(r.body) : r.body) as PipelineJson }));
}

export async function savePipeline(db: Exec, t: PipelineType, p: PipelineJson): Promise<void> {
  await db.unsafe(
    `insert into pipelines (object_type, id, body) values ($1, $2, $3::text::jsonb)
       on conflict (object_type, id) do update set body = excluded.body`,
    [t, p.id, JSON.stringify(p)],
  );
}

export async function nextPipelineId(db: Exec): Promise<string> {
  const rows = await db.unsafe("select nextval('pipeline_ids') as id");
  return String(rows[0].id);
}

/** Live records of the type in a pipeline (or, with stageIds, in those of its stages). */
export async function recordsIn(db: Exec, t: PipelineType, pipelineId: string, stageIds?: string[]): Promise<number> {
  const { pipeline, stage } = PIPELINE_PROPS[t];
  const rows = await db.unsafe(
    `select count(*)::int as n from crm_objects where type = $1 and not archived and properties->>$2 = $3 and ($5::text[] is null or properties->>$4 = any($5::text[]))`,
    [t, pipeline, pipelineId, stage, stageIds ?? null],
  );
  return Number(rows[0].n);
}

/**
 * After a stage's metadata changed: the records in it take the new calculated values, as
 * HubSpot's calculated properties follow the stage (deals: probability and closed flag;
 * tickets: a close date when the stage became CLOSED, none when it became OPEN).
 */
export async function recalculateStage(db: Exec, t: PipelineType, pipelineId: string, stage: StageJson, at: string): Promise<void> {
  const { pipeline, stage: stageProp } = PIPELINE_PROPS[t];
  const where = `type = $1 and not archived and properties->>'${pipeline}' = $2 and properties->>'${stageProp}' = $3`;
  if (t === 'deals') {
    await db.unsafe(`update crm_objects set properties = properties || jsonb_build_object('hs_deal_stage_probability', $4::text, 'hs_is_closed', $5::text) where ${where}`, [t, pipelineId, stage.id, stage.metadata.probability ?? '0.0', stage.metadata.isClosed ?? 'false']);
  } else if (stage.metadata.ticketState === 'CLOSED') {
    await db.unsafe(`update crm_objects set properties = properties || jsonb_build_object('closed_date', $4::text) where ${where} and properties->>'closed_date' is null`, [t, pipelineId, stage.id, at]);
  } else {
    await db.unsafe(`update crm_objects set properties = properties - 'closed_date' where ${where}`, [t, pipelineId, stage.id]);
  }
}

// ---- input validation (400 VALIDATION_ERROR, as HubSpot answers a malformed pipeline input)

/** Pipelines hold up to 100 stages (HubSpot's pipelines guide). */
export const MAX_STAGES = 100;

export interface StageInput {
  stageId?: string;
  label?: string;
  displayOrder?: number;
  metadata?: Record<string, string>;
}

function field(ok: boolean, message: string, name: string): void {
  if (!ok) throw validation(message, [{ message, code: 'INVALID_INPUT', in: name }]);
}

/** `label` and `displayOrder` of a pipeline or stage: required unless `partial` (PATCH). */
export function checkLabelOrder(body: Record<string, unknown>, what: string, partial: boolean): { label?: string; displayOrder?: number } {
  const out: { label?: string; displayOrder?: number } = {};
  if (body.label !== undefined || !partial) {
    field(typeof body.label === 'string' && body.label.trim() !== '', `${what} label is required and must be a non-empty string`, 'label');
    out.label = (body.label as string).trim();
  }
  if (body.displayOrder !== undefined || !partial) {
    field(Number.isInteger(body.displayOrder), `${what} displayOrder is required and must be an integer`, 'displayOrder');
    out.displayOrder = body.displayOrder as number;
  }
  return out;
}

/**
 * A stage's metadata as HubSpot stores it (string values). Deal stages need `probability`,
 * a number from 0.0 to 1.0 ("For deals pipelines, the probability field is required");
 * `isClosed` defaults to whether it is 0 or 1 (closed lost, closed won). Ticket stages take
 * `ticketState` OPEN (the default) or CLOSED, and `isClosed` follows it.
 */
export function stageMetadata(t: PipelineType, raw: unknown, previous?: Record<string, string>): Record<string, string> {
  field(raw === undefined || (typeof raw === 'object' && raw !== null && !Array.isArray(raw)), 'metadata must be an object of string values', 'metadata');
  const given = (raw ?? {}) as Record<string, unknown>;
  const m: Record<string, string> = { ...(previous ?? {}) };
  for (const [k, v] of Object.entries(given)) m[k] = String(v);
  // A new probability or state recomputes isClosed unless it is given too.
  if (('probability' in given || 'ticketState' in given) && !('isClosed' in given)) delete m.isClosed;
  if (t === 'deals') {
    const p = m.probability === undefined || m.probability.trim() === '' ? NaN : Number(m.probability);
    field(m.probability !== undefined, 'metadata.probability is required for deal stages (a number from 0.0 to 1.0)', 'metadata.probability');
    field(Number.isFinite(p) && p >= 0 && p <= 1, `metadata.probability must be a number from 0.0 to 1.0, got ${m.probability}`, 'metadata.probability');
    m.probability = p % 1 === 0 ? p.toFixed(1) : String(p);
    m.isClosed ??= String(p === 0 || p === 1);
  } else {
    m.ticketState = (m.ticketState ?? 'OPEN').toUpperCase();
    field(m.ticketState === 'OPEN' || m.ticketState === 'CLOSED', `metadata.ticketState must be OPEN or CLOSED, got ${m.ticketState}`, 'metadata.ticketState');
    m.isClosed = String(m.ticketState === 'CLOSED');
  }
  field(m.isClosed === 'true' || m.isClosed === 'false', `metadata.isClosed must be true or false, got ${m.isClosed}`, 'metadata.isClosed');
  return m;
}

/** Each stage label is unique within its pipeline (HubSpot's stage reference). */
export function checkStageLabels(stages: Array<{ label: string }>): void {
  const seen = new Set<string>();
  for (const s of stages) {
    const key = s.label.toLowerCase();
    field(!seen.has(key), `Each pipeline stage's label must be unique within that pipeline: ${s.label} is used twice`, 'label');
    seen.add(key);
  }
}
