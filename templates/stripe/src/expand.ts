import type { KitContext } from '../../_kit/types.ts';
import { stripeError } from './errors.ts';
import { kindOfId } from './ids.ts';
import { getRow, type Obj } from './store.ts';

/**
 * `expand[]`: each path walks the response (`data.` steps into lists) and replaces an id
 * string at its end, and at every string it passes on the way, with the object it names.
 * Objects whose stored form is not their API form (invoices gain `lines`) render through
 * the renderer their resource registers.
 */
type Renderer = (ctx: KitContext, data: Obj) => Promise<Obj>;
const renderers = new Map<string, Renderer>();

export function registerRenderer(kind: string, fn: Renderer): void {
  renderers.set(kind, fn);
}

/**
 * Includable properties: absent from an object's answer until `expand[]` names them (an
 * invoice's `payments` list). Each is built by the function its object registers.
 */
type Includer = (ctx: KitContext, obj: Obj) => Promise<unknown>;
const includables = new Map<string, Includer>();

export function registerIncludable(object: string, property: string, fn: Includer): void {
  includables.set(`${object}.${property}`, fn);
}

// Kinds whose ids carry no prefix (coupon ids are chosen by the merchant).
const UNPREFIXED = ['coupon'];

async function load(ctx: KitContext, id: string): Promise<Obj | null> {
  const kind = kindOfId(id);
  const row = await getRow(ctx, id);
  if (!row || (kind ? row.kind !== kind : !UNPREFIXED.includes(row.kind))) return null;
  if (row.deleted) return row.data;
  const r = renderers.get(row.kind);
  return r ? r(ctx, row.data) : row.data;
}

function cannot(path: string): never {
  throw stripeError(400, `This property cannot be expanded (${path}).`, { param: 'expand' });
}

async function walk(ctx: KitContext, node: unknown, segs: string[], path: string): Promise<void> {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const x of node) await walk(ctx, x, segs, path);
    return;
  }
  const obj = node as Obj;
  const [head, ...rest] = segs;
  if (head === undefined) return;
  if (!(head in obj)) {
    const include = includables.get(`${obj.object}.${head}`);
    if (!include) cannot(path);
    obj[head] = await include(ctx, obj);
  }
  let v = obj[head];
  if (typeof v === 'string') {
    const loaded = await load(ctx, v);
    if (!loaded) cannot(path);
    obj[head] = v = loaded;
  } else if (Array.isArray(v) && v.some((x) => typeof x === 'string')) {
    // A list of ids (an invoice's `discounts`): each id becomes its object.
    for (const [i, x] of v.entries()) {
      if (typeof x !== 'string') continue;
      const loaded = await load(ctx, x);
      if (!loaded) cannot(path);
      v[i] = loaded;
    }
  } else if (rest.length === 0 && v !== null && typeof v !== 'object') {
    cannot(path);
  }
  if (rest.length > 0) await walk(ctx, v, rest, path);
}

export async function expand(ctx: KitContext, body: Obj, paths: string[]): Promise<Obj> {
  for (const path of paths) {
    const segs = path.split('.');
    // Stripe's limit is four levels; stepping into a list's `data` is not a level.
    if (segs.filter((s) => s !== 'data').length > 4) throw stripeError(400, `You cannot expand more than 4 levels of a property. Property: ${path}`, { param: 'expand' });
    await walk(ctx, body, segs, path);
  }
  return body;
}
