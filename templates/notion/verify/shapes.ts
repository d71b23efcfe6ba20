/** Notion's response shapes (shapes.json, derived by scripts/derive-shapes.ts): each operation's @notionhq/client response type. */
import { validate, type Definitions } from '../../../src/verify/json-schema.ts';
import shapes from './shapes.json';

const table = shapes as unknown as { operations: Record<string, string>; definitions: Definitions };

export function notionShapeErrors(op: string, body: unknown): string[] {
  const type = table.operations[op];
  if (!type) return [`${op}: no response type in @notionhq/client`];
  return validate({ $ref: `#/definitions/${type}` }, body, '$', table.definitions).map((e) => `${type} ${e}`);
}
