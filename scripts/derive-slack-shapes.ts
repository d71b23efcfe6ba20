/**
 * Derives src/verify/schemas/slack.json from Slack's merged response samples
 * (../shared/reference/specs/slack-samples, 16 MB): for each in-scope method, a skeleton
 * that keeps every key and the JSON type of every value (arrays by their first element,
 * which is all the shape check reads), so the check needs no copy of the samples.
 *
 *   bun scripts/derive-slack-shapes.ts [samples-dir]
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import operations from '../templates/slack/operations.json';

const dir = process.argv[2] ?? join(import.meta.dir, '..', '..', 'shared', 'reference', 'specs', 'slack-samples');
if (!existsSync(dir)) {
  process.stderr.write(`no samples at ${dir}\n`);
  process.exit(1);
}

function skeleton(v: unknown): unknown {
  if (v === null) return null;
  if (Array.isArray(v)) return v.length ? [skeleton(v[0])] : [];
  switch (typeof v) {
    case 'string':
      return '';
    case 'number':
      return 0;
    case 'boolean':
      return false;
    case 'object':
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, skeleton(x)]));
    default:
      return null;
  }
}

// Samples that hold only Slack's error envelope get their success fields from the official
// SDK's response type (node_modules/@slack/web-api/dist/types/response/<Method>Response.d.ts).
// A message field takes the shape of chat.postMessage's message.
const SUCCESS_FIELDS: Record<string, Record<string, unknown>> = {
  // ChatStopStreamResponse: channel, ts, message
  'chat.stopStream': { channel: '', ts: '', message: 'chat.postMessage' },
};

const inScope = new Set((operations as { method: string }[]).map((o) => o.method));
const shapes: Record<string, unknown> = {};
for (const file of readdirSync(dir).sort()) {
  const method = file.replace(/\.json$/, '');
  if (!file.endsWith('.json') || !inScope.has(method)) continue;
  shapes[method] = skeleton(await Bun.file(join(dir, file)).json());
}
for (const [method, fields] of Object.entries(SUCCESS_FIELDS)) {
  const extra = Object.fromEntries(Object.entries(fields).map(([k, x]) => [k, k === 'message' ? (shapes[x as string] as { message: unknown }).message : x]));
  shapes[method] = { ...(shapes[method] as object), ...extra };
}

// Methods with no sample at all (files.*, search.*): a skeleton of the SDK's own response
// type, read with the TypeScript compiler API. Optional fields count as present; a union of
// different JSON kinds, an index signature (keys are ids) or any becomes null (unchecked).
const RESPONSE_TYPES = join(import.meta.dir, '..', 'node_modules', '@slack', 'web-api', 'dist', 'types', 'response');
const typeName = (method: string) => `${method.split('.').map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join('')}Response`;

function typeSkeleton(checker: ts.TypeChecker, type: ts.Type, seen: Set<ts.Type>): unknown {
  if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return null;
  if (type.isUnion()) {
    const parts = type.types.filter((t) => !(t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null | ts.TypeFlags.Void)));
    const shapes = parts.map((t) => typeSkeleton(checker, t, seen));
    const kinds = new Set(shapes.map((x) => (x === null ? 'null' : Array.isArray(x) ? 'array' : typeof x)));
    // true | false is boolean; 'a' | 'b' is string.
    return kinds.size === 1 && !kinds.has('null') ? (shapes[0] ?? null) : null;
  }
  if (type.flags & ts.TypeFlags.StringLike) return '';
  if (type.flags & ts.TypeFlags.NumberLike) return 0;
  if (type.flags & ts.TypeFlags.BooleanLike) return false;
  if (checker.isArrayType(type)) {
    const [elem] = checker.getTypeArguments(type as ts.TypeReference);
    return elem ? [typeSkeleton(checker, elem, seen)] : [];
  }
  if (type.flags & ts.TypeFlags.Object || type.isIntersection()) {
    if (checker.getIndexInfosOfType(type).length) return null;
    if (seen.has(type)) return null;
    seen.add(type);
    const out: Record<string, unknown> = {};
    for (const prop of checker.getPropertiesOfType(type)) {
      out[prop.name] = typeSkeleton(checker, checker.getTypeOfSymbol(prop), seen);
    }
    seen.delete(type);
    return out;
  }
  return null;
}

function sdkSkeleton(method: string): unknown {
  const file = join(RESPONSE_TYPES, `${typeName(method)}.d.ts`);
  if (!existsSync(file)) return undefined;
  const program = ts.createProgram([file], { strict: true, noEmit: true, skipLibCheck: true });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file);
  const alias = source?.statements.find((s): s is ts.TypeAliasDeclaration => ts.isTypeAliasDeclaration(s) && s.name.text === typeName(method));
  if (!alias) return undefined;
  return typeSkeleton(checker, checker.getTypeAtLocation(alias.name), new Set());
}

for (const method of [...inScope].sort()) {
  if (method in shapes) continue;
  const shape = sdkSkeleton(method);
  if (shape !== undefined) shapes[method] = shape;
}

// ---- To JSON Schema, for src/verify/json-schema.ts. The skeletons above give field names and
// JSON kinds; Slack's OpenAPI description (stale, 49 methods) adds which fields are required
// and which other fields its objects document. Every element of a sample array is merged into
// the array's item schema (a field seen in any element is known); null is allowed only where
// a sample or the description shows null; a field in neither the sample nor the description
// is reported. Nothing is exempt by name.
type S = { type?: string | string[]; properties?: Record<string, S>; required?: string[]; items?: S; additionalProperties?: boolean };
const kindOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'number' ? 'number' : typeof v);

function merge(a: S | undefined, b: S): S {
  if (!a) return b;
  const types = [...new Set([...[a.type ?? []].flat(), ...[b.type ?? []].flat()])];
  const out: S = { type: types.length === 1 ? types[0] : types };
  if (a.properties || b.properties) {
    out.properties = { ...(a.properties ?? {}) };
    for (const [k, x] of Object.entries(b.properties ?? {})) out.properties[k] = merge(out.properties[k], x);
    out.additionalProperties = (a.additionalProperties ?? false) || (b.additionalProperties ?? false);
  }
  if (a.items || b.items) out.items = a.items && b.items ? merge(a.items, b.items) : (a.items ?? b.items);
  return out;
}

/** A sample value to a schema; `raw` keeps every array element, `null` from an SDK type means unchecked. */
function fromSample(v: unknown, unchecked: boolean): S {
  if (v === null) return unchecked ? {} : { type: 'null' };
  if (Array.isArray(v)) {
    let items: S | undefined;
    for (const x of v) items = merge(items, fromSample(x, unchecked));
    return items ? { type: 'array', items } : { type: 'array' };
  }
  if (typeof v === 'object') {
    const props = Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, fromSample(x, unchecked)]));
    // An empty sample object says nothing about its keys (e.g. a map keyed by id).
    return Object.keys(props).length ? { type: 'object', properties: props, additionalProperties: false } : { type: 'object' };
  }
  return { type: kindOf(v) };
}

const spec = JSON.parse(await Bun.file(join(dir, '..', 'slack.openapi.json')).text()) as { paths: Record<string, Record<string, any>>; definitions: Record<string, any> };
const deref = (x: any): any => (x?.$ref ? deref(spec.definitions[x.$ref.replace('#/definitions/', '')]) : x);

/** Adds the description's required fields and documented extra fields to a sample schema. */
function annotate(s: S, doc: any, depth = 0): void {
  doc = deref(doc);
  if (!doc || depth > 6) return;
  if (s.properties && doc.properties) {
    if (doc.required?.length) s.required = [...new Set([...(s.required ?? []), ...doc.required])].sort();
    for (const [k, d] of Object.entries<any>(doc.properties)) {
      const dd = deref(d);
      if (!(k in s.properties)) {
        // Documented but absent from the sample: known, its kind from the description.
        const t = dd?.type;
        s.properties[k] = typeof t === 'string' ? { type: t === 'integer' ? 'number' : t } : {};
      } else annotate(s.properties[k]!, d, depth + 1);
    }
  }
  if (s.items && doc.items && !Array.isArray(doc.items)) annotate(s.items, doc.items, depth + 1);
}

const schemas: Record<string, S> = {};
for (const [method, shape] of Object.entries(shapes)) {
  const raw = existsSync(join(dir, `${method}.json`)) && !(method in SUCCESS_FIELDS) ? await Bun.file(join(dir, `${method}.json`)).json() : shape;
  const s = fromSample(raw, raw === shape && !existsSync(join(dir, `${method}.json`)));
  if (method in SUCCESS_FIELDS) Object.assign(s.properties!, fromSample(shape, false).properties);
  // Samples merge success and error answers; a success is ok: true without error.
  if (s.properties) {
    delete s.properties.error;
    delete s.properties.errors;
    s.properties.ok = { type: 'boolean' };
    s.required = ['ok'];
  }
  const op = spec.paths[`/${method}`];
  const doc = op && (op.get ?? op.post)?.responses?.['200']?.schema;
  if (doc) annotate(s, doc);
  schemas[method] = s;
}

// The error codes each method documents (its OpenAPI error schema's enum), for the error probes.
const errors: Record<string, string[]> = {};
for (const method of Object.keys(schemas)) {
  const op = spec.paths[`/${method}`];
  const codes = deref((op?.get ?? op?.post)?.responses?.default?.schema)?.properties?.error?.enum;
  if (Array.isArray(codes)) errors[method] = [...codes].sort();
}

const out = join(import.meta.dir, '..', 'src', 'verify', 'schemas', 'slack.json');
const text = `${JSON.stringify({ $comment: 'derived by scripts/derive-slack-shapes.ts from Slack response samples and its OpenAPI description', shapes: schemas, errors })}\n`;
await Bun.write(out, text);
process.stdout.write(`${out}: ${Object.keys(schemas).length} methods, ${(text.length / 1024).toFixed(0)} KiB\n`);
