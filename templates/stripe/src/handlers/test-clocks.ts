import type { Call, Route } from '../api.ts';
import { paramInvalid, paramMissing, stripeError } from '../errors.ts';
import { newId, nowSeconds } from '../ids.ts';
import { LIST_KEYS, checkKeys, optString, pageParams, toInt } from '../params.ts';
import { all, getRow, insert, listPage, save, tombstone, type Obj } from '../store.ts';
import { autoFinalize } from './invoice-lifecycle.ts';

/**
 * Stripe's test clocks (/v1/test_helpers/test_clocks), on top of the clone's own clock.
 *
 * A test clock is a frozen time of its own: customers created with `test_clock` carry it and
 * are created at its frozen_time, not at the clone's time. Advancing only moves forward
 * (Stripe: "Must be after the test clock's current frozen time"; with no subscriptions, "it
 * cannot be more than two years in the future"). Stripe advances asynchronously: the advance
 * call answers `advancing` with status_details.advancing.target_frozen_time, and the clock is
 * `ready` at the target once the work is done. Here there is no billing work to run (no
 * subscriptions), so the advance is done when it is answered: the next read is `ready`.
 * What advancing moves, without subscriptions: the clock's customers' auto-advancing draft
 * invoices finalize once the clock passes their automatically_finalizes_at (an hour after
 * creation), stamped at that time, as Stripe's automatic finalization would.
 * Deleting a clock deletes the customers attached to it, as Stripe does. A clock is deleted
 * automatically seven days after creation (deletes_after), on the clone's clock.
 */

const KIND = 'test_helpers.test_clock';
const WEEK = 7 * 86_400;
const TWO_YEARS = 2 * 366 * 86_400;

function view(clock: Obj): Obj {
  if (clock.status !== 'advancing') return clock;
  return { ...clock, status: 'ready', status_details: {} };
}

/** A live clock, or Stripe's 404; a clock past deletes_after reads as gone. */
async function liveClock(c: Call, id: string, param = 'test_clock'): Promise<Obj> {
  const row = id ? await getRow(c.ctx, id) : null;
  if (!row || row.kind !== KIND || row.deleted || Number(row.data.deletes_after) <= nowSeconds()) unknownClock(id, param);
  return row.data;
}

/** Used by customers.create: the clock a new customer joins (its frozen time is the customer's `created`). */
export async function clockForCustomer(c: Call, id: string): Promise<Obj> {
  return view(await liveClock(c, id, 'test_clock'));
}

function frozenTimeParam(c: Call): number {
  const raw = c.params.frozen_time;
  if (raw === undefined || raw === '') throw paramMissing('frozen_time');
  return toInt(raw, 'frozen_time');
}

async function create(c: Call): Promise<Obj> {
  checkKeys(c.params, ['expand', 'frozen_time', 'name']);
  const frozen = frozenTimeParam(c);
  const created = nowSeconds();
  const clock: Obj = {
    id: newId('clock'),
    object: KIND,
    created,
    deletes_after: created + WEEK,
    frozen_time: frozen,
    livemode: false,
    name: optString(c.params, 'name') ?? null,
    status: 'ready',
    status_details: {},
  };
  await insert(c.ctx, KIND, clock);
  return clock;
}

async function retrieve(c: Call): Promise<Obj> {
  checkKeys(c.params, ['expand']);
  const clock = await liveClock(c, c.ids[0] as string, 'id');
  if (clock.status === 'advancing') await save(c.ctx, view(clock));
  return view(clock);
}

async function list(c: Call): Promise<Obj> {
  checkKeys(c.params, [...LIST_KEYS]);
  const page = await listPage(c.ctx, KIND, (w) => w.add(`(data->>'deletes_after')::bigint > ?`, nowSeconds()), pageParams(c.params), '/v1/test_helpers/test_clocks');
  return { ...page, data: page.data.map(view) };
}

async function advance(c: Call): Promise<Obj> {
  checkKeys(c.params, ['expand', 'frozen_time']);
  const clock = view(await liveClock(c, c.ids[0] as string, 'id'));
  const target = frozenTimeParam(c);
  if (target <= Number(clock.frozen_time)) {
    throw paramInvalid('frozen_time', `The frozen_time must be after the test clock's current frozen time (${clock.frozen_time}).`);
  }
  if (target > Number(clock.frozen_time) + TWO_YEARS) {
    throw paramInvalid('frozen_time', 'A test clock with no subscriptions cannot be advanced more than two years past its current frozen time.');
  }
  const next: Obj = { ...clock, frozen_time: target, status: 'advancing', status_details: { advancing: { target_frozen_time: target } } };
  await save(c.ctx, next);
  const due = await all(c.ctx, 'invoice', (w) =>
    w
      .add(`data->>'test_clock' = ?`, String(clock.id))
      .raw(`data->>'status' = 'draft' and (data->>'auto_advance')::boolean and data->>'automatically_finalizes_at' is not null`)
      .add(`(data->>'automatically_finalizes_at')::bigint <= ?`, target),
  );
  due.sort((a, b) => Number(a.automatically_finalizes_at) - Number(b.automatically_finalizes_at));
  for (const inv of due) await autoFinalize(c, inv);
  return next;
}

async function del(c: Call): Promise<Obj> {
  checkKeys(c.params, []);
  const id = c.ids[0] as string;
  await liveClock(c, id, 'id');
  for (const cus of await all(c.ctx, 'customer', (w) => w.add(`data->>'test_clock' = ?`, id))) await tombstone(c.ctx, String(cus.id), 'customer');
  return tombstone(c.ctx, id, KIND);
}

export const testClockRoutes: Route[] = [
  { method: 'POST', path: '/v1/test_helpers/test_clocks', handler: create },
  { method: 'GET', path: '/v1/test_helpers/test_clocks', handler: list },
  { method: 'GET', path: '/v1/test_helpers/test_clocks/{id}', handler: retrieve },
  { method: 'POST', path: '/v1/test_helpers/test_clocks/{id}/advance', handler: advance },
  { method: 'DELETE', path: '/v1/test_helpers/test_clocks/{id}', handler: del },
];

/** Stripe's 404 for a clock that does not exist (or was deleted). */
function unknownClock(id: string, param: string): never {
  throw stripeError(404, `No such test clock: '${id}'`, { code: 'resource_missing', param });
}
