/** GitHub's response shapes (shapes.json, derived by scripts/derive-shapes.ts from GitHub's OpenAPI description). */
import type { Schema } from '../../../src/verify/json-schema.ts';
import shapes from './shapes.json';

const table = shapes as unknown as Record<string, { status: number; schema: Schema | null }>;

/** GitHub: the documented success status and body schema of "METHOD /path". */
export function githubResponse(key: string): { status: number; schema: Schema | null } | undefined {
  return table[key];
}
export const githubSchemaKeys = (): string[] => Object.keys(table);
