/**
 * $ref handling shared by every template's shape derivation (templates/<t>/verify/derive.ts):
 * decoding a reference, resolving a JSON pointer, walking a schema with a keyword filter and a
 * rule for references, and collecting the definitions reached from a set of roots.
 */
export type Json = Record<string, unknown>;

/** "#/definitions/Foo%3CBar%3E" -> "Foo<Bar>". */
export const refName = (ref: string): string => decodeURIComponent(ref.replace('#/definitions/', ''));

/** The reference to definition `name` in a derived file (what src/verify/json-schema.ts resolves). */
export const defRef = (name: string): string => `#/definitions/${name}`;

/** The node `ref` ("#/a/b~1c") points at inside `doc`. */
export function resolvePointer(doc: unknown, ref: string): unknown {
  let node = doc;
  for (const part of ref.replace(/^#\//, '').split('/')) node = (node as Json | undefined)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  return node;
}

/** Follows `$ref`s (of `doc`) until a node that is not one. */
export function deref(doc: unknown, node: unknown): unknown {
  const seen = new Set<string>();
  while (node && typeof node === 'object' && typeof (node as Json).$ref === 'string') {
    const ref = (node as Json).$ref as string;
    if (seen.has(ref)) return undefined;
    seen.add(ref);
    node = resolvePointer(doc, ref);
  }
  return node;
}

// Keywords whose value is data (copied as is), not a schema or a list of schemas.
const DATA = new Set(['enum', 'const', 'required', 'type', 'default', 'examples']);

export interface Walk {
  /** Keywords kept; default all. */
  keep?: (key: string, value: unknown) => boolean;
  /**
   * What a node with `$ref` becomes: a schema (replaces the whole node) or, as a string, the
   * new `$ref` value, the node's other kept keywords walked as usual.
   */
  ref: (ref: string) => unknown;
  /** Filters the alternatives of anyOf / oneOf before they are walked. */
  alternatives?: (list: unknown[]) => unknown[];
}

/** A copy of `node` with only the kept keywords and every `$ref` rewritten by `w.ref`. */
export function walkSchema(node: unknown, w: Walk): unknown {
  if (Array.isArray(node)) return node.map((x) => walkSchema(x, w));
  if (!node || typeof node !== 'object') return node;
  const o = node as Json;
  let ref: string | undefined;
  if (typeof o.$ref === 'string') {
    const r = w.ref(o.$ref);
    if (typeof r !== 'string') return r;
    ref = r;
  }
  const out: Json = {};
  for (const [k, v] of Object.entries(o)) {
    if (w.keep && !w.keep(k, v)) continue;
    if (k === '$ref') out.$ref = ref;
    else if (k === 'properties') out.properties = Object.fromEntries(Object.entries(v as Json).map(([p, s]) => [p, walkSchema(s, w)]));
    else if (DATA.has(k)) out[k] = v;
    else if ((k === 'anyOf' || k === 'oneOf') && w.alternatives && Array.isArray(v)) out[k] = walkSchema(w.alternatives(v), w);
    else out[k] = walkSchema(v, w);
  }
  return out;
}

/**
 * The definitions reached from `roots`: each is cut by `cut`, which calls `reach(name)` for
 * every definition it refers to. Sorted by name. `missing` decides what an absent one does.
 */
export function reachDefinitions(
  source: Record<string, unknown>,
  roots: string[],
  cut: (def: unknown, reach: (name: string) => void) => unknown,
  missing: (name: string) => void,
): Record<string, unknown> {
  const out = new Map<string, unknown>();
  const queue = [...roots];
  const reach = (name: string) => {
    if (!out.has(name)) queue.push(name);
  };
  while (queue.length) {
    const name = queue.shift()!;
    if (out.has(name)) continue;
    if (!(name in source)) {
      missing(name);
      continue;
    }
    out.set(name, null);
    out.set(name, cut(source[name], reach));
  }
  return sortedByKey(Object.fromEntries(out));
}

export const sortedByKey = <T>(o: Record<string, T>): Record<string, T> => Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]!]));
