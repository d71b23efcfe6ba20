import type { KitContext } from '../../_kit/types.ts';
import { ENTITIES, type EntityName } from './tables.ts';

/**
 * Per-request state handed to every resolver: the caller, and a batching loader so that a
 * page of 50 issues asking for their state, team and assignee costs one query per table,
 * not one per issue (ids requested in the same tick are fetched together).
 */
export type Row = Record<string, any> & { id: string };

export interface Rc {
  ctx: KitContext;
  viewerId: string;
  load(entity: EntityName, id: string | null | undefined): Promise<Row | null>;
  forget(entity: EntityName, id: string): void;
  /** Webhook events queued by mutations, sent once the response is computed. */
  events: Array<{ type: string; action: 'create' | 'update' | 'remove'; entity: EntityName; id: string; data?: Row; updatedFrom?: Record<string, unknown> }>;
}

export function requestContext(ctx: KitContext, viewerId: string): Rc {
  const cache = new Map<string, Promise<Row | null>>();
  const pending = new Map<EntityName, Map<string, Array<(r: Row | null) => void>>>();
  let scheduled = false;
  const flush = async () => {
    scheduled = false;
    const batches = [...pending];
    pending.clear();
    await Promise.all(batches.map(async ([entity, waiting]) => {
      const ids = [...waiting.keys()];
      try {
        const rows = await ctx.db.unsafe<Row>(`select ${ENTITIES[entity].select('a')} where a.id = any($1::uuid[])`, [ids]);
        const by = new Map(rows.map((r) => [r.id, r]));
        for (const [id, fns] of waiting) for (const fn of fns) fn(by.get(id) ?? null);
      } catch (e) {
        for (const [id, fns] of waiting) {
          cache.delete(`${entity}:${id}`);
          for (const fn of fns) fn(null);
        }
        ctx.log(`load ${entity} failed: ${(e as Error).message}`);
      }
    }));
  };
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  return {
    ctx,
    viewerId,
    events: [],
    load(entity, id) {
      if (!id || !uuid.test(id)) return Promise.resolve(null);
      const key = `${entity}:${id}`;
      let found = cache.get(key);
      if (!found) {
        found = new Promise<Row | null>((resolve) => {
          const m = pending.get(entity) ?? new Map<string, Array<(r: Row | null) => void>>();
          pending.set(entity, m);
          const fns = m.get(id) ?? [];
          fns.push(resolve);
          m.set(id, fns);
        });
        cache.set(key, found);
        if (!scheduled) {
          scheduled = true;
          setTimeout(() => void flush(), 0);
        }
      }
      return found;
    },
    forget(entity, id) {
      cache.delete(`${entity}:${id}`);
    },
  };
}
