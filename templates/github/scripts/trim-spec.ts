/**
 * Writes src/verify/schemas/github.json: for every implemented operation in
 * operations.json, the success status and its response schema from GitHub's own OpenAPI
 * description, dereferenced and trimmed to the keywords the conformance validator reads
 * (type, properties, required, items, nullable, enum, oneOf/anyOf/allOf, format).
 * The spec package (@octokit/openapi, 385 MB) is never a dependency: install it outside
 * the repository once and pass its file.
 *
 *   mkdir -p /tmp/ghspec && (cd /tmp/ghspec && npm install @octokit/openapi@23.0.2)
 *   bun templates/github/scripts/trim-spec.ts /tmp/ghspec/node_modules/@octokit/openapi/generated/api.github.com.json
 */
import { join } from 'node:path';

type Json = Record<string, unknown>;

const specPath = process.argv[2];
if (!specPath) {
  process.stderr.write('usage: bun templates/github/scripts/trim-spec.ts <api.github.com.json>\n');
  process.exit(2);
}
const root = join(import.meta.dir, '..');
const spec = (await Bun.file(specPath).json()) as Json;
const ops = (await Bun.file(join(root, 'operations.json')).json()) as Array<{ method: string; path: string; implemented: boolean }>;

const KEEP = new Set(['type', 'properties', 'required', 'items', 'nullable', 'enum', 'oneOf', 'anyOf', 'allOf', 'format']);

function resolveRef(ref: string): Json {
  let node: unknown = spec;
  for (const part of ref.replace(/^#\//, '').split('/')) node = (node as Json)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  return node as Json;
}

/** Dereference and keep only validator keywords; `seen` breaks reference cycles. */
function trim(schema: Json, seen: string[] = []): Json {
  if (typeof schema.$ref === 'string') {
    const ref = schema.$ref;
    if (seen.includes(ref)) return {};
    return trim(resolveRef(ref), [...seen, ref]);
  }
  const out: Json = {};
  for (const [k, v] of Object.entries(schema)) {
    if (!KEEP.has(k)) continue;
    if (k === 'properties') {
      out.properties = Object.fromEntries(Object.entries(v as Record<string, Json>).map(([p, s]) => [p, trim(s, seen)]));
    } else if (k === 'items') {
      out.items = trim(v as Json, seen);
    } else if (k === 'oneOf' || k === 'anyOf' || k === 'allOf') {
      out[k] = (v as Json[]).map((s) => trim(s, seen));
    } else if (k === 'format') {
      if (v === 'date-time') out.format = v;
    } else {
      out[k] = v;
    }
  }
  return out;
}

const paths = spec.paths as Record<string, Record<string, Json>>;
const result: Record<string, { status: number; schema: Json | null }> = {};
for (const op of ops.filter((o) => o.implemented)) {
  const operation = paths[op.path]?.[op.method.toLowerCase()];
  if (!operation) {
    process.stderr.write(`not in the spec: ${op.method} ${op.path}\n`);
    continue;
  }
  const responses = operation.responses as Record<string, Json>;
  const code = Object.keys(responses).filter((c) => /^2\d\d$/.test(c)).sort()[0];
  if (!code) continue;
  let response = responses[code] as Json;
  if (typeof response.$ref === 'string') response = resolveRef(response.$ref);
  const content = response.content as Record<string, { schema?: Json }> | undefined;
  const schema = content?.['application/json']?.schema;
  result[`${op.method} ${op.path}`] = { status: Number(code), schema: schema ? trim(schema) : null };
}

const out = join(root, '..', '..', 'src', 'verify', 'schemas', 'github.json');
const text = `${JSON.stringify(result)}\n`;
await Bun.write(out, text);
process.stdout.write(`src/verify/schemas/github.json: ${Object.keys(result).length} operations, ${(text.length / 1024).toFixed(0)} KiB\n`);
