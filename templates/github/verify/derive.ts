/**
 * GitHub's shapes (scripts/derive-shapes.ts): for every implemented operation of
 * operations.json, the success status and its response schema from GitHub's own OpenAPI
 * description, dereferenced and trimmed to the keywords the conformance validator reads
 * (type, properties, required, items, nullable, enum, oneOf/anyOf/allOf, format date-time).
 * The description (@octokit/openapi, 385 MB) is never a dependency: GITHUB_OPENAPI names its
 * api.github.com.json (see scripts/derive-shapes.ts).
 */
import { existsSync } from 'node:fs';
import type { DeriveInput } from '../../../scripts/derive-shapes.ts';
import { resolvePointer, walkSchema, type Json } from '../../../scripts/shapes/refs.ts';
import ops from '../operations.json';

const specFile = () => process.env.GITHUB_OPENAPI;
/**
 * An older description (@octokit/openapi 17.0.0) for the operations GitHub has since dropped
 * from it but the SDK still calls (the previous billing platform's product endpoints).
 */
const legacyFile = () => process.env.GITHUB_OPENAPI_LEGACY;
export const unavailable = (_i: DeriveInput): string | undefined => {
  const f = specFile();
  const l = legacyFile();
  if (!f || !existsSync(f)) return "GitHub's OpenAPI description is not here (set GITHUB_OPENAPI to its api.github.com.json)";
  return l && existsSync(l) ? undefined : 'the older description for retired operations is not here (set GITHUB_OPENAPI_LEGACY to @octokit/openapi 17.0.0\'s api.github.com.json)';
};

const KEEP = new Set(['type', 'properties', 'required', 'items', 'nullable', 'enum', 'oneOf', 'anyOf', 'allOf', 'format']);

/** A schema with its references (into `spec`) inlined; one already being inlined on this path becomes {} (a cycle). */
function trimmer(spec: Json): (schema: unknown) => unknown {
  const path: string[] = [];
  const trim = (schema: unknown): unknown =>
    walkSchema(schema, {
      keep: (k, v) => KEEP.has(k) && (k !== 'format' || v === 'date-time'),
      ref: (ref) => {
        if (path.includes(ref)) return {};
        path.push(ref);
        const out = trim(resolvePointer(spec, ref));
        path.pop();
        return out;
      },
    });
  return trim;
}

export async function derive(_i: DeriveInput): Promise<unknown> {
  const specs = [(await Bun.file(specFile()!).json()) as Json];
  const legacy = legacyFile();
  if (legacy && existsSync(legacy)) specs.push((await Bun.file(legacy).json()) as Json);
  const trims = specs.map(trimmer);
  const result: Record<string, { status: number; also?: number[]; schema: unknown }> = {};
  for (const op of (ops as Array<{ method: string; path: string; implemented: boolean }>).filter((o) => o.implemented)) {
    // The current description first; the older one only for what it no longer has.
    const at = specs.findIndex((s) => (s.paths as Record<string, Record<string, Json>>)[op.path]?.[op.method.toLowerCase()]);
    if (at < 0) {
      process.stderr.write(`github: not in the spec: ${op.method} ${op.path}\n`);
      continue;
    }
    const spec = specs[at]!;
    const operation = (spec.paths as Record<string, Record<string, Json>>)[op.path]![op.method.toLowerCase()]!;
    const responses = operation.responses as Record<string, Json>;
    // An operation whose only success is a redirect (a migration archive: 302) keeps that.
    const all = Object.keys(responses).sort();
    const ok = all.filter((c) => /^2\d\d$/.test(c));
    const codes = ok.length ? ok : all.filter((c) => /^30[12378]$/.test(c));
    const code = codes[0];
    if (!code) continue;
    let response = responses[code] as Json;
    if (typeof response.$ref === 'string') response = resolvePointer(spec, response.$ref) as Json;
    const content = response.content as Record<string, { schema?: Json }> | undefined;
    const schema = content?.['application/json']?.schema;
    // More than one success status (a reaction: 201 created, 200 already there): all are kept.
    result[`${op.method} ${op.path}`] = { status: Number(code), ...(codes.length > 1 ? { also: codes.slice(1).map(Number) } : {}), schema: schema ? trims[at]!(schema) : null };
  }
  return result;
}
