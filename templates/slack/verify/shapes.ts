/**
 * Slack's response shapes (shapes.json, derived by scripts/derive-shapes.ts from Slack's merged
 * response samples and its OpenAPI description): required fields, kinds, null only where Slack
 * shows it, every array element checked, fields neither source knows reported.
 */
import { validate, type Schema } from '../../../src/verify/json-schema.ts';
import shapes from './shapes.json';

const table = shapes as unknown as { shapes: Record<string, Schema>; errors: Record<string, string[]> };

export const hasSlackShape = (method: string): boolean => method in table.shapes;

/** Slack: problems of a response to `method` against Slack's published shape. */
export function slackShapeErrors(method: string, response: unknown): string[] {
  const s = table.shapes[method];
  if (s === undefined) return [`${method}: no published response shape`];
  return validate(s, response, method);
}

/** The error codes Slack's description documents for `method` (47 methods have a list). */
export const slackErrors = (method: string): string[] | undefined => table.errors[method];
