/**
 * HubSpot's response shapes (shapes.json, derived by scripts/derive-shapes.ts from
 * @hubspot/api-client): each operation's success status maps to the model the SDK
 * deserializes it into; bodies are checked against that model's schema.
 */
import { validate, type Definitions, type Schema } from '../../../src/verify/json-schema.ts';
import shapes from './shapes.json';

const table = shapes as unknown as { operations: Record<string, Record<string, string | null>>; definitions: Definitions };

export function hubspotShapeErrors(op: string, status: number, body: unknown): string[] {
  const codes = table.operations[op];
  if (!codes) return [`${op}: no response model in @hubspot/api-client`];
  if (!(String(status) in codes)) return [`${op}: the SDK expects ${Object.keys(codes).join(' or ')}, got ${status}`];
  const model = codes[String(status)];
  if (!model) return body === undefined || body === null || body === '' ? [] : [`${op}: the SDK expects no body with ${status}`];
  const schema: Schema = { $ref: `#/definitions/${model}` };
  return validate(schema, body, '$', table.definitions).map((e) => `${model.split(':')[1]} ${e}`);
}
