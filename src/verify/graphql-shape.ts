/**
 * Checks a GraphQL answer against the schema, independently of the server's executor: each
 * value the SDK asked for (its exact selection, fragments and aliases included) is walked
 * against the field's declared type: non-null fields present, lists as arrays, scalars of
 * their kind, enum values among the enum's, objects carrying the fields selected on them.
 */
import {
  getNamedType, isEnumType, isListType, isNonNullType, isObjectType, isScalarType, Kind, parse,
  type DocumentNode, type FragmentDefinitionNode, type GraphQLObjectType, type GraphQLOutputType, type GraphQLSchema,
  type OperationDefinitionNode, type SelectionSetNode,
} from 'graphql';

const docs = new Map<string, DocumentNode | null>();
export function parsedQuery(query: string): DocumentNode | null {
  if (!docs.has(query)) {
    try {
      docs.set(query, parse(query));
    } catch {
      docs.set(query, null);
    }
  }
  return docs.get(query) ?? null;
}

export function operationOf(doc: DocumentNode): OperationDefinitionNode | undefined {
  return doc.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
}

/** Root fields an operation calls: [field name, response key]. */
export function rootFields(doc: DocumentNode): Array<[string, string]> {
  const op = operationOf(doc);
  if (!op) return [];
  return op.selectionSet.selections.filter((s) => s.kind === Kind.FIELD).map((s) => [s.name.value, s.alias?.value ?? s.name.value] as [string, string]);
}

function scalarOk(name: string, v: unknown): boolean {
  switch (name) {
    case 'Int': return Number.isInteger(v);
    case 'Float': return typeof v === 'number';
    case 'Boolean': return typeof v === 'boolean';
    case 'String':
    case 'ID': return typeof v === 'string';
    case 'DateTime': return typeof v === 'string' && !Number.isNaN(Date.parse(v));
    case 'TimelessDate': return typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v);
    default: return true;
  }
}

export function shapeErrors(schema: GraphQLSchema, doc: DocumentNode, type: GraphQLOutputType, value: unknown, sel: SelectionSetNode | undefined, path: string): string[] {
  const fragments = new Map(doc.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]));
  const errs: string[] = [];
  const walk = (t: GraphQLOutputType, v: unknown, s: SelectionSetNode | undefined, p: string): void => {
    if (errs.length >= 10) return;
    if (isNonNullType(t)) {
      if (v === null || v === undefined) errs.push(`${p}: null for non-null ${t}`);
      else walk(t.ofType, v, s, p);
      return;
    }
    if (v === null || v === undefined) return;
    if (isListType(t)) {
      if (!Array.isArray(v)) errs.push(`${p}: not a list`);
      else v.forEach((x, i) => walk(t.ofType, x, s, `${p}[${i}]`));
      return;
    }
    if (isScalarType(t)) {
      if (!scalarOk(t.name, v)) errs.push(`${p}: ${JSON.stringify(v)} is not a ${t.name}`);
      return;
    }
    if (isEnumType(t)) {
      if (!t.getValues().some((e) => e.value === v)) errs.push(`${p}: ${JSON.stringify(v)} is not a ${t.name}`);
      return;
    }
    if (typeof v !== 'object') {
      errs.push(`${p}: not an object`);
      return;
    }
    const obj = v as Record<string, unknown>;
    const declared = getNamedType(t);
    const named = typeof obj.__typename === 'string' ? schema.getType(obj.__typename) : declared;
    const fits = isObjectType(declared) ? named === declared : isObjectType(named) && schema.isSubType(declared as never, named);
    if (!fits) {
      errs.push(`${p}.__typename: ${String(obj.__typename)}, expected ${declared.name}`);
      return;
    }
    if (!isObjectType(named)) {
      if (s) errs.push(`${p}: no concrete type (__typename ${String(obj.__typename)})`);
      return;
    }
    visit(named as GraphQLObjectType, obj, s, p);
  };
  const applies = (concrete: GraphQLObjectType, cond: string | undefined) =>
    !cond || cond === concrete.name || concrete.getInterfaces().some((i) => i.name === cond) || schema.getPossibleTypes(schema.getType(cond) as never).some?.((x) => x.name === concrete.name);
  const visit = (concrete: GraphQLObjectType, obj: Record<string, unknown>, s: SelectionSetNode | undefined, p: string): void => {
    for (const item of s?.selections ?? []) {
      if (item.kind === Kind.FIELD) {
        const name = item.name.value;
        const key = item.alias?.value ?? name;
        if (name === '__typename') {
          if (obj[key] !== concrete.name) errs.push(`${p}.__typename: ${String(obj[key])}, expected ${concrete.name}`);
          continue;
        }
        const def = concrete.getFields()[name];
        if (!def) {
          errs.push(`${p}.${key}: ${concrete.name} has no field ${name}`);
          continue;
        }
        if (!(key in obj)) {
          errs.push(`${p}.${key}: missing`);
          continue;
        }
        walk(def.type, obj[key], item.selectionSet, `${p}.${key}`);
      } else if (item.kind === Kind.INLINE_FRAGMENT) {
        if (applies(concrete, item.typeCondition?.name.value)) visit(concrete, obj, item.selectionSet, p);
      } else {
        const f = fragments.get(item.name.value);
        if (f && applies(concrete, f.typeCondition.name.value)) visit(concrete, obj, f.selectionSet, p);
      }
    }
  };
  walk(type, value, sel, path);
  return errs;
}
