/**
 * AI-seed entities per template, as valibot schemas. The model is asked for records
 * through tool use with JSON Schemas derived from these (@valibot/to-json-schema), and every
 * record is validated against the same schema before it is sent to the clone, whose own
 * seed hook checks what only it can (references, uniqueness). Each template declares its own
 * (templates/<t>/seed/entities.ts, the manifest's seed.ai.schemas).
 */
import type * as v from 'valibot';
import { TEMPLATE_MODULES } from '../templates/generated-index.ts';

export interface AiEntity {
  name: string;
  /** Entities whose generated records this one refers to (generated first). */
  dependsOn: string[];
  /** What to tell the model about one record. */
  brief: string;
  schema: v.GenericSchema;
  /** Records per volume step (small / medium / large) before scaling. */
  scale: number;
  /** How later entities refer to a record (default: its `name`), shown to the model. */
  ref?: (record: Record<string, unknown>) => string | undefined;
}

export function refOf(entity: AiEntity, record: unknown): string | undefined {
  const r = (record ?? {}) as Record<string, unknown>;
  return entity.ref ? entity.ref(r) : typeof r.name === 'string' ? r.name : undefined;
}

const registry: Record<string, AiEntity[]> = Object.fromEntries(
  Object.entries(TEMPLATE_MODULES).flatMap(([name, m]) => (m.entities ? [[name, m.entities]] : [])),
);

export function registerAiEntities(template: string, entities: AiEntity[]): void {
  registry[template] = entities;
}

export function aiEntitiesFor(template: string): AiEntity[] | undefined {
  return registry[template];
}

/** The requested entities plus what they depend on, in dependency order. */
export function planEntities(all: AiEntity[], requested: string[] | undefined): AiEntity[] {
  const byName = new Map(all.map((e) => [e.name, e]));
  const want = new Set<string>();
  const add = (n: string) => {
    const e = byName.get(n);
    if (!e || want.has(n)) return;
    e.dependsOn.forEach(add);
    want.add(n);
  };
  (requested ?? all.map((e) => e.name)).forEach(add);
  return all.filter((e) => want.has(e.name));
}

export const VOLUMES = { small: 8, medium: 25, large: 80 } as const;
