/**
 * AI seeding: an LLM proposes records through tool use; each record is validated against
 * the template's entity schema, invalid ones are rejected and counted (never fatal), and
 * the valid ones are written by the clone's seed hook in one call. Generation happens
 * entirely before any write, so a missing key, a bad key or an unknown model fails
 * cleanly with nothing written.
 */
import * as v from 'valibot';
import { toJsonSchema } from '@valibot/to-json-schema';
import { AsymmetricError } from '../contract/errors.ts';
import type { CloneRecord } from '../contract/clone.ts';
import type { AiSeedSpec, SeedResult, SeedSpec } from '../contract/seed.ts';
import type { AdminClient } from '../admin/client.ts';
import { getTemplate } from '../templates/catalog.ts';
import { anthropicFromEnv, createMessage, type AnthropicClientOptions } from './anthropic.ts';
import { aiEntitiesFor, planEntities, refOf, VOLUMES, type AiEntity } from './entities.ts';

export interface Rejection {
  entity: string;
  index: number;
  reason: string;
}

export interface AiSeedOutcome extends SeedResult {
  rejections: Rejection[];
  usage: { inputTokens: number; outputTokens: number };
}

const BATCH = 25;
const CONCURRENCY = 3;

export function targetCount(e: AiEntity, volume: AiSeedSpec['volume']): number {
  if (typeof volume === 'number') return volume;
  return Math.max(1, Math.round(VOLUMES[volume ?? 'small'] * e.scale));
}

/** Run tasks with at most `n` in flight. */
async function pool<T>(tasks: (() => Promise<T>)[], n: number): Promise<T[]> {
  const out: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(n, tasks.length) }, async () => {
    while (next < tasks.length) {
      const i = next++;
      out[i] = await tasks[i]!();
    }
  }));
  return out;
}

function describeIssue(issues: v.BaseIssue<unknown>[]): string {
  const i = issues[0]!;
  const path = v.getDotPath(i);
  return `${path ? `${path}: ` : ''}${i.message}`;
}

/** A text progress bar for the spinner line: [██████░░░░] 12/20 */
export function bar(done: number, total: number, width = 16): string {
  const filled = total ? Math.round((done / total) * width) : width;
  return `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${done}/${total}`;
}

export interface GenerateOptions {
  template: string;
  spec: AiSeedSpec;
  client: AnthropicClientOptions;
  progress?: (msg: string) => void;
}

/** Ask the model for every planned entity; validate each record. Writes nothing. */
export async function generateRecords(o: GenerateOptions): Promise<{ records: Record<string, unknown[]>; rejections: Rejection[]; usage: AiSeedOutcome['usage']; warnings: string[] }> {
  const all = aiEntitiesFor(o.template);
  if (!all?.length) throw new AsymmetricError('NOT_SUPPORTED', `template ${o.template} has no AI seed entities yet`, { hint: 'seed it with a fixture pack' });
  const known = new Set(all.map((e) => e.name));
  const unknown = (o.spec.entities ?? []).filter((e) => !known.has(e));
  if (unknown.length) throw new AsymmetricError('INVALID_INPUT', `unknown AI entities for ${o.template}: ${unknown.join(', ')}`, { hint: `entities: ${[...known].join(', ')}` });
  const manifest = getTemplate(o.template).manifest;
  const model = o.spec.model ?? manifest.seed.ai.defaultModel;
  const plan = planEntities(all, o.spec.entities);
  const records: Record<string, unknown[]> = {};
  const rejections: Rejection[] = [];
  const warnings: string[] = [];
  const usage = { inputTokens: 0, outputTokens: 0 };

  for (const entity of plan) {
    const want = targetCount(entity, o.spec.volume);
    const itemSchema = toJsonSchema(entity.schema, { errorMode: 'ignore' }) as Record<string, unknown>;
    delete itemSchema.$schema;
    const context = entity.dependsOn
      .map((d) => {
        const dep = all.find((e) => e.name === d)!;
        return `${d}: ${(records[d] ?? []).map((r) => refOf(dep, r)).filter(Boolean).join(', ') || '(none)'}`;
      })
      .join('\n');
    const batches = Array.from({ length: Math.ceil(want / BATCH) }, (_, b) => Math.min(BATCH, want - b * BATCH));
    let done = 0;
    const results = await pool(batches.map((n, b) => async () => {
      const res = await createMessage(o.client, {
        model,
        max_tokens: 8192,
        system: `You generate realistic, internally consistent test data for a ${manifest.realProduct} workspace clone used to test AI agents. Always answer by calling the tool.${o.spec.prompt ? `\nBrief from the user: ${o.spec.prompt}` : ''}`,
        messages: [{
          role: 'user',
          content: `Generate ${n} ${entity.name} (batch ${b + 1} of ${batches.length}). Each is ${entity.brief}.${context ? `\nExisting records you may refer to by name:\n${context}` : ''}\nAvoid repeating records of earlier batches: vary names.`,
        }],
        tools: [{ name: `write_${entity.name}`, description: `Write ${entity.name} records`, input_schema: { type: 'object', properties: { records: { type: 'array', items: itemSchema } }, required: ['records'] } }],
        tool_choice: { type: 'tool', name: `write_${entity.name}` },
      });
      usage.inputTokens += res.usage?.input_tokens ?? 0;
      usage.outputTokens += res.usage?.output_tokens ?? 0;
      done += n;
      o.progress?.(`generating ${entity.name} ${bar(Math.min(done, want), want)}`);
      const call = res.content.find((c) => c.type === 'tool_use');
      const list = call && typeof call.input === 'object' && call.input ? (call.input as { records?: unknown }).records : undefined;
      if (!Array.isArray(list)) {
        warnings.push(`${entity.name} batch ${b + 1}: the model returned no records`);
        return [];
      }
      return list;
    }), CONCURRENCY);

    const valid: unknown[] = [];
    let index = 0;
    for (const rec of results.flat()) {
      const parsed = v.safeParse(entity.schema, rec);
      if (parsed.success) valid.push(parsed.output);
      else rejections.push({ entity: entity.name, index, reason: describeIssue(parsed.issues) });
      index++;
    }
    records[entity.name] = valid;
  }
  return { records, rejections, usage, warnings };
}

export async function runAiSeed(admin: AdminClient, record: CloneRecord, spec: SeedSpec, progress: (s: string) => void, force = false): Promise<AiSeedOutcome> {
  const aiSpec: AiSeedSpec = spec.ai === true || spec.ai === undefined || spec.ai === false ? {} : spec.ai;
  const client = { ...anthropicFromEnv(), onRetry: (n: number, status: number, ms: number) => progress(`model answered ${status}; retry ${n} in ${Math.round(ms)} ms`) };
  const gen = await generateRecords({ template: record.template, spec: aiSpec, client, progress });
  let fixture: SeedResult | undefined;
  if (spec.fixture) {
    fixture = await admin.seed({ fixture: spec.fixture, ...(force ? { force: true } : {}) });
  }
  progress('writing records');
  const written = await admin.seed({ records: gen.records, source: 'ai' });
  const hookRejections = written.rejections ?? [];
  const aiWritten = written.written;
  const aiRejected = gen.rejections.length + written.rejected;
  return {
    written: aiWritten + (fixture?.written ?? 0),
    rejected: aiRejected + (fixture?.rejected ?? 0),
    bySource: { ...(fixture ? { fixture: { written: fixture.written, rejected: fixture.rejected } } : {}), ai: { written: aiWritten, rejected: aiRejected } },
    warnings: [...gen.warnings, ...written.warnings, `model used ${gen.usage.inputTokens} input and ${gen.usage.outputTokens} output tokens`],
    rejections: [...gen.rejections, ...hookRejections],
    usage: gen.usage,
  };
}
