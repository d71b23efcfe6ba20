/**
 * Reads the pinned @linear/sdk's published files: the wire documents it sends
 * (`LinearDocument`) and its generated TypeScript declarations, parsed just far enough
 * to recover each GraphQL type, field, argument and nullability the SDL lacks.
 * Dev-only (the SDK is a devDependency); the output is committed.
 */
import { LinearDocument } from '@linear/sdk';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface TsField { name: string; type: string; optional: boolean }
export interface TsType { name: string; kind: 'object' | 'input' | 'enum' | 'union'; implements: string[]; fields: TsField[]; values: string[]; members: string[] }

/** Every query and mutation document the SDK can send (fragments included), by export name. */
export function sdkDocuments(): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const [k, d] of Object.entries(LinearDocument as Record<string, unknown>)) {
    if ((d as object | null)?.constructor?.name !== 'TypedDocumentString' || k.endsWith('FragmentDoc')) continue;
    out.push([k, String(d)]);
  }
  return out;
}

export async function sdkDeclarations(): Promise<Map<string, TsType>> {
  const dist = join(dirname(Bun.resolveSync('@linear/sdk', import.meta.dir)));
  const file = readdirSync(dist).find((f) => /^index-.*\.d\.mts$/.test(f));
  const text = await Bun.file(join(dist, file!)).text();
  const types = new Map<string, TsType>();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    let m = /^declare enum (\w+) \{$/.exec(line);
    if (m) {
      const t: TsType = { name: m[1]!, kind: 'enum', implements: [], fields: [], values: [], members: [] };
      for (i++; lines[i] !== '}'; i++) {
        const v = /^\s+\w+ = "([^"]+)",?$/.exec(lines[i]!);
        if (v) t.values.push(v[1]!);
      }
      types.set(t.name, t);
      continue;
    }
    m = /^type (\w+) = ((?:\w+ \| )+\w+);$/.exec(line);
    if (m) {
      types.set(m[1]!, { name: m[1]!, kind: 'union', implements: [], fields: [], values: [], members: m[2]!.split(' | ') });
      continue;
    }
    m = /^type (\w+) = ((?:\w+ & )*)\{$/.exec(line);
    if (!m) continue;
    const t: TsType = { name: m[1]!, kind: 'input', implements: m[2] ? m[2].split(' & ').map((s) => s.trim()).filter(Boolean) : [], fields: [], values: [], members: [] };
    let depth = 1;
    for (i++; i < lines.length && depth > 0; i++) {
      const l = lines[i]!;
      if (depth === 1) {
        const f = /^  (\w+)(\??): (.+);$/.exec(l);
        if (f) {
          if (f[1] === '__typename') t.kind = 'object';
          else t.fields.push({ name: f[1]!, optional: f[2] === '?', type: f[3]! });
          continue;
        }
      }
      depth += (l.match(/\{/g)?.length ?? 0) - (l.match(/\}/g)?.length ?? 0);
    }
    i--;
    types.set(t.name, t);
  }
  return types;
}

/** A TypeScript field type of the codegen (`Maybe<Array<Scalars["String"]>>`) as GraphQL (`[String!]`). */
export function gqlType(ts: string, optional: boolean): string {
  const inner = (s: string): [string, boolean] => {
    const maybe = /^(?:Input)?Maybe<(.+)>$/.exec(s);
    if (maybe) return [inner(maybe[1]!)[0], true];
    const arr = /^Array<(.+)>$/.exec(s);
    if (arr) {
      const [t, nullable] = inner(arr[1]!);
      return [`[${t}${nullable ? '' : '!'}]`, false];
    }
    const scalar = /^Scalars\["(\w+)"\]$/.exec(s);
    if (scalar) return [scalar[1]!, false];
    return [s, false];
  };
  const [t, nullable] = inner(ts);
  return nullable || optional ? t : `${t}!`;
}
