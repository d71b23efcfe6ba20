/**
 * Linear's verifier: operations are GraphQL root fields (templates/linear/operations.json);
 * an exchange calls the root fields of its query; a successful answer (200, no errors) is
 * checked against Linear's schema (the SDL of @linear/sdk 88.3.0 with the fields SDK 98
 * asks for) for exactly the selection the SDK sent.
 */
import { Kind, type FieldNode, type GraphQLSchema } from 'graphql';
import linearOps from '../operations.json';
import baseSdl from '../schema/linear.graphql' with { type: 'text' };
import extensionSdl from '../schema/sdk-extension.graphql' with { type: 'text' };
import { buildLinearSchema } from '../src/schema.ts';
import { operationOf, parsedQuery, rootFields, shapeErrors } from '../../../src/verify/graphql-shape.ts';
import type { Exchange, OperationEntry } from '../../../src/verify/types.ts';

let schema: GraphQLSchema | null = null;
const linearSchema = () => (schema ??= buildLinearSchema(baseSdl, extensionSdl));

export function linearEntries(): OperationEntry[] {
  // "query projectUpdate" and "mutation projectUpdate" are two operations of one name.
  return (linearOps as Array<{ operation: string; kind: string; implemented: boolean }>).map((o) => ({ id: `${o.kind} ${o.operation}`, implemented: o.implemented }));
}

const queryOf = (ex: Exchange): string | null => {
  try {
    const q = JSON.parse(ex.requestBody ?? '{}').query;
    return typeof q === 'string' ? q : null;
  } catch {
    return null;
  }
};

export function linearOperationsOf(ex: Exchange): string[] {
  const q = queryOf(ex);
  const doc = q ? parsedQuery(q) : null;
  const kind = doc ? (operationOf(doc)?.operation ?? 'query') : 'query';
  return doc ? rootFields(doc).map(([name]) => `${kind} ${name}`) : [];
}

export const linearSucceeded = (ex: Exchange): boolean => {
  const b = ex.body as { data?: unknown; errors?: unknown[] } | undefined;
  return ex.status === 200 && !!b?.data && !b.errors?.length;
};

export function linearShapeErrors(id: string, ex: Exchange): string[] {
  const op = id.split(' ')[1] ?? id;
  const q = queryOf(ex);
  const doc = q ? parsedQuery(q) : null;
  const opDef = doc ? operationOf(doc) : undefined;
  if (!doc || !opDef) return [`${op}: the request is not a GraphQL document`];
  const s = linearSchema();
  const root = opDef.operation === 'mutation' ? s.getMutationType() : s.getQueryType();
  const field = opDef.selectionSet.selections.find((x): x is FieldNode => x.kind === Kind.FIELD && x.name.value === op);
  const def = root?.getFields()[op];
  if (!field || !def) return [`${op}: not a root field of Linear's schema`];
  const data = (ex.body as { data: Record<string, unknown> }).data;
  return shapeErrors(s, doc, def.type, data[field.alias?.value ?? op], field.selectionSet, op);
}
