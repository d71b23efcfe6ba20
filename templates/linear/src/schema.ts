import { KitError } from '../../_kit/errors.ts';
import {
  buildASTSchema, parse, Kind,
  type DefinitionNode, type DocumentNode, type GraphQLSchema, type TypeDefinitionNode,
} from 'graphql';

/**
 * The served schema: Linear's SDL (schema/linear.graphql, as of @linear/sdk 88.3.0) merged
 * with schema/sdk-extension.graphql, which adds what the pinned SDK (98.0.0) asks for and
 * the SDL lacks (see schema/README.md). `extend` blocks merge by field name: a field the
 * extension names replaces the base one (that is how an argument is added or relaxed, which
 * plain GraphQL extensions cannot do); anything else is appended.
 */
type Mergeable = { fields?: readonly { name: { value: string } }[]; values?: readonly { name: { value: string } }[]; interfaces?: readonly { name: { value: string } }[]; types?: readonly { name: { value: string } }[] };

function mergeList<T extends { name: { value: string } }>(base: readonly T[] | undefined, add: readonly T[] | undefined): T[] {
  const out = [...(base ?? [])];
  for (const item of add ?? []) {
    const at = out.findIndex((x) => x.name.value === item.name.value);
    if (at >= 0) out[at] = item;
    else out.push(item);
  }
  return out;
}

const EXTENSION_KINDS = new Set<string>([Kind.OBJECT_TYPE_EXTENSION, Kind.INPUT_OBJECT_TYPE_EXTENSION, Kind.ENUM_TYPE_EXTENSION, Kind.INTERFACE_TYPE_EXTENSION, Kind.UNION_TYPE_EXTENSION]);

export function mergeDocuments(base: DocumentNode, ext: DocumentNode): DocumentNode {
  const defs = new Map<string, DefinitionNode>();
  const rest: DefinitionNode[] = [];
  for (const d of base.definitions) {
    if ('name' in d && d.name && d.kind !== Kind.DIRECTIVE_DEFINITION) defs.set(d.name.value, d);
    else rest.push(d);
  }
  for (const d of ext.definitions) {
    if (!EXTENSION_KINDS.has(d.kind)) {
      if ('name' in d && d.name) defs.set(d.name.value, d);
      else rest.push(d);
      continue;
    }
    const name = (d as TypeDefinitionNode).name.value;
    const target = defs.get(name) as (TypeDefinitionNode & Mergeable) | undefined;
    if (!target) throw new KitError('schema_invalid', `sdk-extension.graphql extends ${name}, which the SDL lacks`);
    const e = d as unknown as Mergeable;
    const merged: Record<string, unknown> = { ...target };
    if (e.fields) merged.fields = mergeList(target.fields, e.fields);
    if (e.values) merged.values = mergeList(target.values, e.values);
    if (e.interfaces) merged.interfaces = mergeList(target.interfaces, e.interfaces);
    if (e.types) merged.types = mergeList(target.types, e.types);
    defs.set(name, merged as unknown as DefinitionNode);
  }
  return { kind: Kind.DOCUMENT, definitions: [...rest, ...defs.values()] };
}

export function buildLinearSchema(baseSdl: string, extensionSdl: string, opts: { assumeValid?: boolean } = {}): GraphQLSchema {
  const base = parse(baseSdl, { noLocation: true });
  const doc = /\S/.test(extensionSdl.replace(/#.*$/gm, '')) ? mergeDocuments(base, parse(extensionSdl, { noLocation: true })) : base;
  return buildASTSchema(doc, { assumeValidSDL: opts.assumeValid ?? false });
}
