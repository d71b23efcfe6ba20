/** GitHub's response shapes (shapes.json, derived by scripts/derive-shapes.ts from GitHub's OpenAPI description). */
import type { Schema } from '../../../src/verify/json-schema.ts';
import shapes from './shapes.json';

const table = shapes as unknown as Record<string, GithubResponse>;

export interface GithubResponse {
  status: number;
  /** Other documented success statuses (a reaction: 201 created, 200 when it already existed). */
  also?: number[];
  schema: Schema | null;
}

/** GitHub: the documented success status and body schema of "METHOD /path". */
export function githubResponse(key: string): GithubResponse | undefined {
  return table[key];
}
export const githubSchemaKeys = (): string[] => Object.keys(table);
