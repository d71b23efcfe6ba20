/**
 * Derives src/verify/schemas/notion.json from ../shared/reference/specs/notion.sdk-types.json
 * (JSON Schema generated from @notionhq/client 5.26.0's TypeScript types): for every
 * operation of templates/notion/operations.json, the SDK's response type, and every
 * definition reached from those, with $refs decoded to plain definition names and only
 * the keywords src/verify/json-schema.ts understands kept. The SDK's response unions admit
 * "partial" objects ({object, id} only); the clone always answers full objects, so those
 * alternatives are dropped and the full shape is what gets checked.
 *
 *   bun scripts/derive-notion-shapes.ts [path/to/notion.sdk-types.json]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dir, '..');
const specFile = process.argv[2] ?? join(ROOT, '..', 'shared', 'reference', 'specs', 'notion.sdk-types.json');
type S = Record<string, any>;
const spec = JSON.parse(readFileSync(specFile, 'utf8')) as { endpoints: Array<{ method: string; path: string; responseType: string }>; definitions: Record<string, S> };
const ops = JSON.parse(readFileSync(join(ROOT, 'templates', 'notion', 'operations.json'), 'utf8')) as Array<{ method: string; path: string }>;

const KEEP = new Set(['type', 'properties', 'required', 'items', 'enum', 'const', 'anyOf', 'oneOf', 'allOf', '$ref', 'additionalProperties', 'format']);
const definitions: Record<string, S> = {};
const refName = (ref: string) => decodeURIComponent(ref.replace('#/definitions/', ''));
const PARTIAL = new Set(['PartialBlockObjectResponse', 'PartialCommentObjectResponse', 'PartialDataSourceObjectResponse', 'PartialDatabaseObjectResponse', 'PartialPageObjectResponse']);
const isPartial = (x: S) => typeof x?.$ref === 'string' && PARTIAL.has(refName(x.$ref));

function clean(s: unknown): unknown {
  if (Array.isArray(s)) return s.map(clean);
  if (!s || typeof s !== 'object') return s;
  const out: S = {};
  for (const [k, v] of Object.entries(s as S)) {
    if (!KEEP.has(k)) continue;
    if (k === '$ref') {
      const name = refName(v as string);
      reach(name);
      out.$ref = `#/definitions/${name}`;
    } else if (k === 'properties') out.properties = Object.fromEntries(Object.entries(v as S).map(([pk, pv]) => [pk, clean(pv)]));
    else if (k === 'enum' || k === 'const' || k === 'required' || k === 'type') out[k] = v;
    else if (k === 'anyOf' || k === 'oneOf') {
      const alts = (v as S[]).filter((x) => !isPartial(x));
      out[k] = clean(alts.length ? alts : v);
    } else out[k] = clean(v);
  }
  return out;
}

function reach(name: string): void {
  if (name in definitions) return;
  const def = spec.definitions[name];
  if (!def) throw new Error(`no definition ${name}`);
  definitions[name] = {};
  definitions[name] = clean(def) as S;
}

const operations: Record<string, string> = {};
for (const o of ops) {
  const ep = spec.endpoints.find((e) => e.method === o.method && e.path === o.path);
  if (!ep) continue;
  operations[`${o.method} ${o.path}`] = ep.responseType;
  reach(ep.responseType);
}
const sorted = Object.fromEntries(Object.keys(definitions).sort().map((k) => [k, definitions[k]]));
writeFileSync(join(ROOT, 'src', 'verify', 'schemas', 'notion.json'), `${JSON.stringify({ source: '@notionhq/client 5.26.0 TypeScript types (notion.sdk-types.json)', operations, definitions: sorted }, null, 1)}\n`);
process.stdout.write(`notion.json: ${Object.keys(operations).length} operations, ${Object.keys(sorted).length} definitions\n`);
