import { clockNow } from '../../../_kit/clock.ts';
import { associate, dissociate } from '../association-writes.ts';
import { validation } from '../errors.ts';
import { isId, loadById, type Exec } from '../lookup.ts';
import type { AssocType, ObjectType } from '../schema.ts';
import type { Call, Result } from '../types.ts';
import { typeParam } from './common.ts';

/**
 * Associations v3 (`crm.associations.batchApi`, `crm.associations.schema.typesApi`): the
 * same association rows as v4 (one per direction, src/association-writes.ts), named by v3's
 * type names (`contact_to_company`, …: schema.ts ASSOC_TYPES `v3`) instead of type ids. What
 * v3 writes, v4 reads, and the other way round.
 */

const byV3 = (c: Call, from: ObjectType, to: ObjectType, name: unknown): AssocType | undefined => c.catalog.assoc.between(from, to).find((a) => a.v3 === name);

function inputs(c: Call): any[] {
  if (!Array.isArray(c.body.inputs)) throw validation('inputs is required and must be an array', [{ message: 'inputs is required', code: 'REQUIRED_FIELD', in: 'inputs' }]);
  if (c.body.inputs.length > 2000) throw validation('at most 2000 inputs per batch');
  return c.body.inputs;
}

const batch = (startedAt: string, results: unknown[], errors: unknown[]) => ({
  status: 'COMPLETE',
  results,
  ...(errors.length ? { numErrors: errors.length, errors } : {}),
  startedAt,
  completedAt: clockNow().toISOString(),
});

const notFoundError = (type: ObjectType, ref: string) => ({
  status: 'error',
  category: 'OBJECT_NOT_FOUND',
  message: `No ${type} with id ${ref} exists`,
  context: { id: [ref] },
  errors: [],
  links: {},
});

/** The pairs of a create or archive: `{from: {id}, to: {id}, type}`, the type a v3 name between the two object types. */
function pairs(c: Call, from: ObjectType, to: ObjectType) {
  return inputs(c).map((i, n) => {
    const def = byV3(c, from, to, i?.type);
    if (!def) {
      const valid = c.catalog.assoc.between(from, to).map((a) => a.v3);
      throw validation(`${JSON.stringify(i?.type ?? null)} is not a valid association type from ${from} to ${to}; valid types: ${valid.join(', ')}`, [{ message: `valid types: ${valid.join(', ')}`, code: 'INVALID_ASSOCIATION_TYPE', in: `inputs[${n}].type` }]);
    }
    return { fromRef: String(i?.from?.id ?? ''), toRef: String(i?.to?.id ?? ''), def };
  });
}

async function live(db: Exec, type: ObjectType, ref: string): Promise<number | null> {
  const o = isId(ref) ? await loadById(db, type, Number(ref)) : null;
  return o && !o.archived ? o.id : null;
}

export async function batchCreate(c: Call): Promise<Result> {
  const from = typeParam(c.ids[0]);
  const to = typeParam(c.ids[1]);
  const list = pairs(c, from, to);
  const startedAt = clockNow().toISOString();
  const { results, errors } = await c.ctx.db.tx(async (tx) => {
    const db = tx as unknown as Exec;
    const results: unknown[] = [];
    const errors: unknown[] = [];
    for (const p of list) {
      const fromId = await live(db, from, p.fromRef);
      const toId = await live(db, to, p.toRef);
      if (fromId === null) errors.push(notFoundError(from, p.fromRef));
      else if (toId === null) errors.push(notFoundError(to, p.toRef));
      else {
        await associate(db, c.catalog.assoc, from, fromId, toId, [p.def.id], startedAt);
        results.push({ from: { id: String(fromId) }, to: { id: String(toId) }, type: p.def.v3 });
      }
    }
    return { results, errors };
  });
  return { status: errors.length ? 207 : 201, body: batch(startedAt, results, errors) };
}

export async function batchArchive(c: Call): Promise<Result> {
  const from = typeParam(c.ids[0]);
  const to = typeParam(c.ids[1]);
  const list = pairs(c, from, to);
  await c.ctx.db.tx(async (tx) => {
    const db = tx as unknown as Exec;
    for (const p of list) {
      if (!isId(p.fromRef) || !isId(p.toRef)) continue;
      await dissociate(db, c.catalog.assoc, Number(p.fromRef), Number(p.toRef), [p.def.id]);
    }
  });
  return { status: 204 };
}

export async function batchRead(c: Call): Promise<Result> {
  const from = typeParam(c.ids[0]);
  const to = typeParam(c.ids[1]);
  const refs = inputs(c).map((i) => String(i?.id ?? ''));
  const startedAt = clockNow().toISOString();
  const results: unknown[] = [];
  const errors: unknown[] = [];
  for (const ref of refs) {
    const id = await live(c.ctx.db, from, ref);
    if (id === null) {
      errors.push(notFoundError(from, ref));
      continue;
    }
    const rows = await c.ctx.db.unsafe(
      `select a.to_id, a.type_id from associations a join crm_objects o on o.id = a.to_id and not o.archived
        where a.from_id = $1 and a.from_type = $2 and a.to_type = $3 order by a.to_id, a.type_id`,
      [id, from, to],
    );
    if (!rows.length) {
      errors.push({ status: 'error', category: 'OBJECT_NOT_FOUND', message: `No ${to} is associated with ${from} ${ref}.`, context: { fromId: [ref] }, errors: [], links: {} });
      continue;
    }
    results.push({ from: { id: String(id) }, to: rows.map((r) => ({ id: String(r.to_id), type: c.catalog.assoc.get(Number(r.type_id))?.v3 ?? String(r.type_id) })) });
  }
  return { status: errors.length ? 207 : 200, body: batch(startedAt, results, errors) };
}

export async function types(c: Call): Promise<Result> {
  const from = typeParam(c.ids[0]);
  const to = typeParam(c.ids[1]);
  return { status: 200, body: { results: c.catalog.assoc.between(from, to).map((a) => ({ id: String(a.id), name: a.v3 })) } };
}
