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
export const unavailable = (_i: DeriveInput): string | undefined => {
  const f = specFile();
  return f && existsSync(f) ? undefined : "GitHub's OpenAPI description is not here (set GITHUB_OPENAPI to its api.github.com.json)";
};

const KEEP = new Set(['type', 'properties', 'required', 'items', 'nullable', 'enum', 'oneOf', 'anyOf', 'allOf', 'format']);

export async function derive(_i: DeriveInput): Promise<unknown> {
  const spec = (await Bun.file(specFile()!).json()) as Json;
  // References are inlined; one already being inlined on this path becomes {} (a cycle).
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
  const paths = spec.paths as Record<string, Record<string, Json>>;
  const result: Record<string, { status: number; also?: number[]; schema: unknown }> = {};
  for (const op of (ops as Array<{ method: string; path: string; implemented: boolean }>).filter((o) => o.implemented)) {
    const operation = paths[op.path]?.[op.method.toLowerCase()];
    if (!operation) {
      process.stderr.write(`github: not in the spec: ${op.method} ${op.path}\n`);
      continue;
    }
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
    result[`${op.method} ${op.path}`] = { status: Number(code), ...(codes.length > 1 ? { also: codes.slice(1).map(Number) } : {}), schema: schema ? trim(schema) : null };
  }
  return result;
}
