import {
  execute, getNamedType, GraphQLError, GraphQLScalarType, isAbstractType, isEnumType, isListType, isNonNullType,
  isObjectType, isScalarType, parse, specifiedRules, validate,
  type DocumentNode, type GraphQLFieldResolver, type GraphQLOutputType, type GraphQLSchema, type GraphQLTypeResolver,
} from 'graphql';
import baseSdl from '../schema/linear.graphql' with { type: 'text' };
import extensionSdl from '../schema/sdk-extension.graphql' with { type: 'text' };
import { connectionOf } from './connection.ts';
import { linearError } from './errors.ts';
import type { Rc } from './request.ts';
import { buildLinearSchema } from './schema.ts';

/**
 * The executor: graphql-js over Linear's schema. Resolution order for a field: the type's
 * resolver (handlers/*), a property of the source (camelCase, or the snake_case column of
 * a database row), else a value derived from the field's declared type, so a field the
 * clone does not model still answers type-correctly: null where nullable; where not, an
 * empty list or connection, false, 0, "", the first enum value, the row's timestamps, or
 * an object whose own fields follow the same rule.
 */
export type Resolver = (source: any, args: any, rc: Rc, info: any) => unknown;
export type TypeResolvers = Record<string, Record<string, Resolver>>;

let schema: GraphQLSchema | null = null;
export function linearSchema(): GraphQLSchema {
  if (!schema) {
    // The SDL is checked in full by the tests (test/linear); at startup that check costs 160 ms.
    schema = buildLinearSchema(baseSdl, extensionSdl, { assumeValid: true });
    const timeless = schema.getType('TimelessDate');
    if (timeless instanceof GraphQLScalarType) {
      timeless.serialize = (v: unknown) => (v instanceof Date ? v.toISOString().slice(0, 10) : v);
    }
    const dt = schema.getType('DateTime');
    if (dt instanceof GraphQLScalarType) dt.serialize = (v: unknown) => (v instanceof Date ? v.toISOString() : v);
  }
  return schema;
}

const snake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const EPOCH = '1970-01-01T00:00:00.000Z';

export function defaultFor(type: GraphQLOutputType, source: any, field: string): unknown {
  if (!isNonNullType(type)) return null;
  const inner = type.ofType;
  if (isListType(inner)) return [];
  if (isEnumType(inner)) return inner.getValues()[0]?.value ?? null;
  if (isScalarType(inner)) {
    switch (inner.name) {
      case 'Boolean': return false;
      case 'Int':
      case 'Float':
      case 'Duration': return 0;
      case 'ID': return source?.id ? `${source.id}` : crypto.randomUUID();
      case 'DateTime':
      case 'DateTimeOrDuration': return source?.created_at ?? source?.createdAt ?? EPOCH;
      case 'TimelessDate': return '1970-01-01';
      case 'JSON':
      case 'JSONObject': return {};
      default: return '';
    }
  }
  if (isObjectType(inner) && inner.name.endsWith('Connection') && inner.getFields().nodes) return connectionOf([]);
  if (isAbstractType(inner)) return { __typename: null, __parent: source, __field: field };
  return { __parent: source, __field: field };
}

export function makeFieldResolver(types: TypeResolvers): GraphQLFieldResolver<any, Rc> {
  return (source, args, rc, info) => {
    const own = types[info.parentType.name]?.[info.fieldName];
    if (own) return own(source, args, rc, info);
    // A mutation the clone does not emulate must not pretend to have written anything;
    // an unmodelled query or field answers its type's empty value.
    if (info.parentType.name === 'Mutation') {
      throw linearError('invalid input', `${info.fieldName} is part of Linear's API but is not emulated by this asym Linear clone (see operations.json).`, { code: 'NOT_EMULATED' });
    }
    if (source && typeof source === 'object') {
      let v = source[info.fieldName];
      if (v === undefined) v = source[snake(info.fieldName)];
      if (typeof v === 'function') return v.call(source, args, rc, info);
      if (v !== undefined && !(v === null && isNonNullType(info.returnType))) return v;
    }
    return defaultFor(info.returnType, source, info.fieldName);
  };
}

export const typeResolver: GraphQLTypeResolver<any, Rc> = (value, _rc, info, abstract) => {
  if (value?.__typename) return value.__typename;
  const possible = info.schema.getPossibleTypes(abstract);
  return possible[0]?.name;
};

const parsed = new Map<string, DocumentNode>();

export interface GqlResult {
  body: { data?: unknown; errors?: unknown[] };
  status: number;
}

function formatError(e: GraphQLError): Record<string, unknown> {
  const ext = e.extensions ?? {};
  const out: Record<string, unknown> = { message: e.message };
  if (e.locations) out.locations = e.locations;
  if (e.path) out.path = e.path;
  if (ext.type) out.extensions = ext;
  else if (e.originalError && !(e.originalError instanceof GraphQLError)) {
    out.message = 'Internal server error';
    out.extensions = { type: 'internal error', code: 'INTERNAL_ERROR', statusCode: 500, userError: false, userPresentableMessage: 'An unexpected error happened.' };
  } else out.extensions = { type: 'graphql error', code: 'GRAPHQL_VALIDATION_FAILED', statusCode: 400, userError: true, userPresentableMessage: e.message };
  return out;
}

export async function runGraphql(rc: Rc, query: string, variables: Record<string, unknown> | undefined, operationName: string | undefined, types: TypeResolvers): Promise<GqlResult> {
  const s = linearSchema();
  let doc = parsed.get(query);
  if (!doc) {
    try {
      doc = parse(query);
    } catch (e) {
      return { status: 400, body: { errors: [formatError(e as GraphQLError)] } };
    }
    const errors = validate(s, doc, specifiedRules);
    if (errors.length) return { status: 400, body: { errors: errors.map(formatError) } };
    if (parsed.size > 2000) parsed.clear();
    parsed.set(query, doc);
  }
  const result = await execute({ schema: s, document: doc, variableValues: variables, operationName, contextValue: rc, fieldResolver: makeFieldResolver(types), typeResolver });
  for (const e of result.errors ?? []) if (e.originalError && !(e.originalError instanceof GraphQLError)) rc.ctx.log(`resolver error at ${e.path?.join('.')}: ${e.originalError.stack}`);
  const errors = result.errors?.map(formatError);
  // Linear answers 400 when an operation fails outright (no data), 200 for partial data.
  const status = errors?.length && (result.data == null || Object.values(result.data).every((v) => v == null)) ? 400 : 200;
  return { status, body: errors?.length ? { data: result.data ?? null, errors } : { data: result.data } };
}

export { linearError, getNamedType };
