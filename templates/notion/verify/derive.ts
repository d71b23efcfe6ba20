/**
 * Notion's shapes (scripts/derive-shapes.ts) from specs/notion.sdk-types.json (JSON Schema
 * generated from @notionhq/client 5.26.0's TypeScript types): for every operation of
 * operations.json, the SDK's response type, and every definition reached from those, with
 * only the keywords src/verify/json-schema.ts understands kept. The SDK's response unions
 * admit "partial" objects ({object, id} only); the clone always answers full objects, so those
 * alternatives are dropped and the full shape is what gets checked.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { DeriveInput } from '../../../scripts/derive-shapes.ts';
import { defRef, reachDefinitions, refName, walkSchema, type Json } from '../../../scripts/shapes/refs.ts';
import ops from '../operations.json';

const specFile = (i: DeriveInput) => join(i.reference, 'specs', 'notion.sdk-types.json');
export const unavailable = (i: DeriveInput): string | undefined => (existsSync(specFile(i)) ? undefined : `no ${specFile(i)}`);

const KEEP = new Set(['type', 'properties', 'required', 'items', 'enum', 'const', 'anyOf', 'oneOf', 'allOf', '$ref', 'additionalProperties', 'format']);
const PARTIAL = new Set(['PartialBlockObjectResponse', 'PartialCommentObjectResponse', 'PartialDataSourceObjectResponse', 'PartialDatabaseObjectResponse', 'PartialPageObjectResponse']);
const isPartial = (x: unknown) => typeof (x as Json)?.$ref === 'string' && PARTIAL.has(refName((x as Json).$ref as string));

export async function derive(i: DeriveInput): Promise<unknown> {
  const spec = (await Bun.file(specFile(i)).json()) as { endpoints: Array<{ method: string; path: string; responseType: string }>; definitions: Record<string, unknown> };
  const operations: Record<string, string> = {};
  for (const o of ops as Array<{ method: string; path: string }>) {
    const ep = spec.endpoints.find((e) => e.method === o.method && e.path === o.path);
    if (ep) operations[`${o.method} ${o.path}`] = ep.responseType;
  }
  const definitions = reachDefinitions(
    spec.definitions,
    Object.values(operations),
    (def, reach) =>
      walkSchema(def, {
        keep: (k) => KEEP.has(k),
        ref: (ref) => {
          reach(refName(ref));
          return defRef(refName(ref));
        },
        alternatives: (alts) => {
          const full = alts.filter((x) => !isPartial(x));
          return full.length ? full : alts;
        },
      }),
    (name) => {
      throw new Error(`no definition ${name} in notion.sdk-types.json`);
    },
  );
  return { source: '@notionhq/client 5.26.0 TypeScript types (notion.sdk-types.json)', operations, definitions };
}
