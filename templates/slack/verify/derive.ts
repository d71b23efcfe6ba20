/**
 * Slack's shapes (scripts/derive-shapes.ts): JSON Schemas of each in-scope method's answer,
 * from Slack's merged response samples (specs/slack-samples, 16 MB), the official SDK's
 * response types where a method has no usable sample, and Slack's OpenAPI description
 * (specs/slack.openapi.json) for required fields, documented extra fields and error codes.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import type { DeriveInput } from '../../../scripts/derive-shapes.ts';
import { deref } from '../../../scripts/shapes/refs.ts';
import operations from '../operations.json';

const samplesDir = (i: DeriveInput) => join(i.reference, 'specs', 'slack-samples');

export const unavailable = (i: DeriveInput): string | undefined => (existsSync(samplesDir(i)) ? undefined : `no samples at ${samplesDir(i)}`);

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

// Methods with no sample at all (files.*, search.*): a skeleton of the SDK's own response
// type, read with the TypeScript compiler API. Optional fields count as present; a union of
// different JSON kinds, an index signature (keys are ids) or any becomes null (unchecked).
const typeName = (method: string) => `${method.split('.').map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join('')}Response`;

// A type's skeleton is the same wherever it appears unless a cycle cut it short there: those
// are computed again, the rest once (Block Kit's unions recur all over the response types).
interface Walk {
  checker: ts.TypeChecker;
  seen: Set<ts.Type>;
  done: Map<ts.Type, unknown>;
  cuts: number;
}

function typeSkeleton(w: Walk, type: ts.Type): unknown {
  const checker = w.checker;
  if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return null;
  if (type.isUnion()) {
    const parts = type.types.filter((t) => !(t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null | ts.TypeFlags.Void)));
    const shapes = parts.map((t) => typeSkeleton(w, t));
    const kinds = new Set(shapes.map((x) => (x === null ? 'null' : Array.isArray(x) ? 'array' : typeof x)));
    // true | false is boolean; 'a' | 'b' is string.
    return kinds.size === 1 && !kinds.has('null') ? (shapes[0] ?? null) : null;
  }
  if (type.flags & ts.TypeFlags.StringLike) return '';
  if (type.flags & ts.TypeFlags.NumberLike) return 0;
  if (type.flags & ts.TypeFlags.BooleanLike) return false;
  if (checker.isArrayType(type)) {
    const [elem] = checker.getTypeArguments(type as ts.TypeReference);
    return elem ? [typeSkeleton(w, elem)] : [];
  }
  if (type.flags & ts.TypeFlags.Object || type.isIntersection()) {
    if (checker.getIndexInfosOfType(type).length) return null;
    if (w.done.has(type)) return w.done.get(type);
    if (w.seen.has(type)) {
      w.cuts++;
      return null;
    }
    const cuts = w.cuts;
    w.seen.add(type);
    const out: Record<string, unknown> = {};
    for (const prop of checker.getPropertiesOfType(type)) {
      out[prop.name] = typeSkeleton(w, checker.getTypeOfSymbol(prop));
    }
    w.seen.delete(type);
    if (w.cuts === cuts) w.done.set(type, out);
    return out;
  }
  return null;
}

/** Skeletons of the SDK response types of `methods` (those that have one), read in one program. */
function sdkSkeletons(root: string, methods: string[]): Record<string, unknown> {
  const dir = join(root, 'node_modules', '@slack', 'web-api', 'dist', 'types', 'response');
  const files = new Map(methods.map((m) => [m, join(dir, `${typeName(m)}.d.ts`)] as const).filter(([, f]) => existsSync(f)));
  if (!files.size) return {};
  const program = ts.createProgram([...files.values()], { strict: true, noEmit: true, skipLibCheck: true, types: [], lib: ['lib.es5.d.ts'] });
  const w: Walk = { checker: program.getTypeChecker(), seen: new Set(), done: new Map(), cuts: 0 };
  const out: Record<string, unknown> = {};
  for (const [method, file] of files) {
    const alias = program.getSourceFile(file)?.statements.find((s): s is ts.TypeAliasDeclaration => ts.isTypeAliasDeclaration(s) && s.name.text === typeName(method));
    if (alias) out[method] = typeSkeleton(w, w.checker.getTypeAtLocation(alias.name));
  }
  return out;
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

/** A sample value to a schema; every array element kept; `unchecked`: a null from an SDK type means anything. */
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

type Spec = { paths: Record<string, Record<string, any>>; definitions: Record<string, any> };

const allowNull = (s: S): void => {
  const types = [s.type ?? []].flat();
  if (types.length && !types.includes('null')) s.type = [...types, 'null'];
};

/**
 * Adds the description's required fields and documented extra fields to a sample schema.
 * The description writes "one of" as a list under `items`: on a node that is no array
 * (pins.list's answer, conversations.history's channel_actions_ts) the node is one of them,
 * on an array each element is; every alternative documents fields, but what one requires
 * (at any depth: users.identity's user has an email only under identity.email) is required
 * by none, and a null alternative lets the node be null.
 */
function annotate(spec: Spec, s: S, doc: any, depth = 0, alternative = false): void {
  doc = deref(spec, doc);
  if (!doc || depth > 6) return;
  if (Array.isArray(doc.items) && doc.type !== 'array' && !s.items) {
    for (const alt of doc.items) {
      const d = deref(spec, alt) as any;
      if (d?.type === 'null') allowNull(s);
      else annotate(spec, s, d, depth + 1, true);
    }
    return;
  }
  if (s.properties && doc.properties) {
    if (doc.required?.length && !alternative) s.required = [...new Set([...(s.required ?? []), ...doc.required])].sort();
    for (const [k, d] of Object.entries<any>(doc.properties)) {
      const dd = deref(spec, d) as any;
      if (!(k in s.properties)) {
        // Documented but absent from the sample: known, its kind from the description.
        const t = dd?.type;
        s.properties[k] = typeof t === 'string' ? { type: t === 'integer' ? 'number' : t } : {};
      } else annotate(spec, s.properties[k]!, d, depth + 1, alternative);
    }
  }
  if (s.items && doc.items) {
    const alts: unknown[] = Array.isArray(doc.items) ? doc.items : [doc.items];
    for (const alt of alts) annotate(spec, s.items, alt, depth + 1, alternative || alts.length > 1);
  }
}

// Fields a method's reference page (docs.slack.dev/reference/methods/<method>) shows in its
// example answer, or its usage notes document, that neither the samples nor the description
// have: the docs' own JSON, null where the docs show null. Where these and the other sources
// differ, the docs win (a field the samples type as a string and the docs show null may be either).
const channelDoc = { parent_conversation: null }; // conversations.info's example; Slack's conversation type page
const bookmarkDoc = { entity_id: null, shortcut_id: null, app_id: null }; // bookmarks.add's example
const usergroupDoc = { auto_type: null, deleted_by: null }; // usergroups.create's example
const DOCUMENTED: Record<string, Record<string, unknown>> = {
  'auth.revoke': { revoked: true },
  'bookmarks.add': { bookmark: bookmarkDoc },
  'bookmarks.edit': { bookmark: bookmarkDoc },
  'bookmarks.list': { bookmarks: [bookmarkDoc] },
  'conversations.create': { channel: channelDoc },
  'conversations.info': { channel: channelDoc },
  'conversations.invite': { channel: channelDoc },
  'conversations.join': { channel: channelDoc },
  'conversations.list': { channels: [channelDoc] },
  'conversations.rename': { channel: channelDoc },
  'conversations.setPurpose': { channel: channelDoc },
  'conversations.setTopic': { channel: channelDoc },
  'users.conversations': { channels: [channelDoc] },
  // "This method uses cursor-based pagination": the next_cursor of its response_metadata.
  'conversations.requestSharedInvite.list': { response_metadata: { next_cursor: '' } },
  'usergroups.create': { usergroup: usergroupDoc },
  'usergroups.disable': { usergroup: usergroupDoc },
  'usergroups.enable': { usergroup: usergroupDoc },
  'usergroups.list': { usergroups: [usergroupDoc] },
  'usergroups.update': { usergroup: usergroupDoc },
  'usergroups.users.update': { usergroup: usergroupDoc },
};

/** Adds documented fields to a schema: known, of the docs' kind, the others' kinds kept. */
function document(s: S, doc: unknown): void {
  const d = fromSample(doc, false);
  if (s.properties && d.properties) {
    for (const [k, x] of Object.entries(d.properties)) {
      if (!(k in s.properties)) s.properties[k] = x;
      else if (x.properties || x.items) document(s.properties[k]!, (doc as Record<string, unknown>)[k]);
      else s.properties[k] = merge(s.properties[k], x);
    }
  } else if (s.items && Array.isArray(doc) && doc.length) document(s.items, doc[0]);
}

export async function derive(i: DeriveInput): Promise<unknown> {
  const dir = samplesDir(i);
  const inScope = new Set((operations as { method: string }[]).map((o) => o.method));
  const samples: Record<string, unknown> = {};
  const shapes: Record<string, unknown> = {};
  for (const file of readdirSync(dir).sort()) {
    const method = file.replace(/\.json$/, '');
    if (!file.endsWith('.json') || !inScope.has(method)) continue;
    samples[method] = await Bun.file(join(dir, file)).json();
    shapes[method] = skeleton(samples[method]);
  }
  for (const [method, fields] of Object.entries(SUCCESS_FIELDS)) {
    const extra = Object.fromEntries(Object.entries(fields).map(([k, x]) => [k, k === 'message' ? (shapes[x as string] as { message: unknown }).message : x]));
    shapes[method] = { ...(shapes[method] as object), ...extra };
  }
  Object.assign(shapes, sdkSkeletons(i.root, [...inScope].sort().filter((m) => !(m in shapes))));

  const spec = (await Bun.file(join(dir, '..', 'slack.openapi.json')).json()) as Spec;
  const schemas: Record<string, S> = {};
  for (const [method, shape] of Object.entries(shapes)) {
    const sampled = method in samples;
    const raw = sampled && !(method in SUCCESS_FIELDS) ? samples[method] : shape;
    const s = fromSample(raw, !sampled);
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
    if (doc) annotate(spec, s, doc);
    if (method in DOCUMENTED) document(s, DOCUMENTED[method]);
    schemas[method] = s;
  }

  // The error codes each method documents (its OpenAPI error schema's enum), for the error probes.
  const errors: Record<string, string[]> = {};
  for (const method of Object.keys(schemas)) {
    const op = spec.paths[`/${method}`];
    const codes = (deref(spec, (op?.get ?? op?.post)?.responses?.default?.schema) as any)?.properties?.error?.enum;
    if (Array.isArray(codes)) errors[method] = [...codes].sort();
  }
  return { $comment: 'derived by scripts/derive-shapes.ts (templates/slack/verify/derive.ts) from Slack response samples and its OpenAPI description', shapes: schemas, errors };
}
