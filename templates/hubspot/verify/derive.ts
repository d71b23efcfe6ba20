/**
 * HubSpot's shapes (scripts/derive-shapes.ts) from the official SDK (@hubspot/api-client):
 * for every operation of operations.json, the model the SDK deserializes each success status
 * into (read from the generated *Api.js response processors), and a JSON Schema of every model
 * reached from those (from the models' attributeTypeMap, with required fields from the .d.ts:
 * a field without `?` is required). Optional fields may be null (HubSpot sends null for unset
 * optional fields). Models are closed (additionalProperties: false), except string maps.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { DeriveInput } from '../../../scripts/derive-shapes.ts';
import { defRef, sortedByKey } from '../../../scripts/shapes/refs.ts';
import type { Schema } from '../../../src/verify/json-schema.ts';
import ops from '../operations.json';

const MODULES = ['contacts', 'companies', 'deals', 'tickets', 'objects', 'objects/deal_splits', 'associations', 'associations/schema', 'associations/v4', 'associations/v4/schema', 'pipelines', 'properties'];
const codegen = (i: DeriveInput) => join(i.root, 'node_modules', '@hubspot', 'api-client', 'lib', 'codegen', 'crm');
export const unavailable = (i: DeriveInput): string | undefined => (existsSync(codegen(i)) ? undefined : `no @hubspot/api-client in ${i.root}/node_modules`);

function enumValues(dts: string, name: string): string[] | null {
  const m = new RegExp(`export declare enum ${name} \\{([\\s\\S]*?)\\}`).exec(dts);
  return m ? [...m[1]!.matchAll(/= "([^"]*)"/g)].map((x) => x[1]!) : null;
}

export async function derive(i: DeriveInput): Promise<unknown> {
  const CODEGEN = codegen(i);
  const require = createRequire(join(i.root, 'package.json'));
  const wanted = new Set((ops as Array<{ method: string; path: string }>).map((o) => `${o.method} ${o.path}`));
  /** "METHOD path" -> status -> "module:Model" (null: no body). */
  const operations: Record<string, Record<string, string | null>> = {};
  const definitions: Record<string, Schema> = {};

  function typeSchema(module: string, type: string, dts: string): Schema {
    const t = type.trim();
    if (t === 'string') return { type: 'string' };
    if (t === 'number') return { type: 'number' };
    if (t === 'boolean') return { type: 'boolean' };
    if (t === 'Date') return { type: 'string', format: 'date-time' };
    if (t === 'any') return {};
    if (t === 'string | null') return { type: ['string', 'null'] };
    const arr = /^Array<(.+)>$/.exec(t);
    if (arr) return { type: 'array', items: typeSchema(module, arr[1]!, dts) };
    const map = /^\{ \[key: string\]: (.+); \}$/.exec(t);
    if (map) return { type: 'object', additionalProperties: typeSchema(module, map[1]!, dts) };
    const values = enumValues(dts, t);
    if (values) return { type: 'string', enum: values };
    return { $ref: defRef(model(module, t)) };
  }

  /** Adds module:Name (and what it reaches) to definitions; returns its key. */
  function model(module: string, name: string): string {
    const key = `${module}:${name}`;
    if (definitions[key]) return key;
    const base = join(CODEGEN, module, 'models', name);
    if (!existsSync(`${base}.js`)) throw new Error(`no model ${key}`);
    definitions[key] = {};
    const cls = require(`${base}.js`)[name] as { attributeTypeMap: Array<{ name: string; baseName: string; type: string }> };
    const dts = readFileSync(`${base}.d.ts`, 'utf8');
    const properties: Record<string, Schema> = {};
    const required: string[] = [];
    for (const a of cls.attributeTypeMap) {
      const optional = new RegExp(`'${a.name}'\\?:`).test(dts);
      const s = typeSchema(module, a.type, dts);
      properties[a.baseName] = !optional ? s : s.$ref ? { anyOf: [s, { type: 'null' }] } : { ...s, nullable: true };
      if (!optional) required.push(a.baseName);
    }
    definitions[key] = { type: 'object', properties, required, additionalProperties: false };
    return key;
  }

  function parseApi(module: string, file: string): void {
    const text = readFileSync(join(CODEGEN, module, 'apis', file), 'utf8');
    const split = text.search(/class \w+ResponseProcessor \{/);
    const factory = text.slice(0, split);
    const processor = text.slice(split);
    const requests = new Map<string, string>();
    for (const m of factory.matchAll(/\n {4}(\w+)\([^)]*\) \{[\s\S]*?const localVarPath = '([^']+)'[\s\S]*?HttpMethod\.(\w+)\)/g)) {
      requests.set(m[1]!, `${m[3]} ${m[2]}`);
    }
    for (const m of processor.matchAll(/\n {4}(\w+)WithHttpInfo\(response\) \{([\s\S]*?)\n {4}\}/g)) {
      const key = requests.get(m[1]!);
      if (!key || !wanted.has(key)) continue;
      const codes: Record<string, string | null> = {};
      for (const b of m[2]!.matchAll(/isCodeInRange\)\("(\d+)", response\.httpStatusCode\)\) \{([\s\S]*?)\n {12}\}/g)) {
        const code = b[1]!;
        if (code === '0' || !code.startsWith('2')) continue;
        const type = /deserialize\([\s\S]*?, "([^"]+)", ""\)/.exec(b[2]!)?.[1];
        codes[code] = type && type !== 'void' ? `${module}:${type}` : null;
        if (type && type !== 'void') model(module, type);
      }
      operations[key] ??= codes;
    }
  }

  for (const module of MODULES) {
    for (const f of readdirSync(join(CODEGEN, module, 'apis')).filter((n) => /Api\.js$/.test(n)).sort()) parseApi(module, f);
  }
  const missing = [...wanted].filter((k) => !operations[k]);
  if (missing.length) process.stderr.write(`hubspot: no SDK response model for: ${missing.join(', ')}\n`);
  return { source: '@hubspot/api-client 14.0.1 generated models (attributeTypeMap + .d.ts)', operations: sortedByKey(operations), definitions: sortedByKey(definitions) };
}
