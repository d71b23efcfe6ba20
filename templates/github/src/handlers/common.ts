import { str } from '../../../_kit/http.ts';
import { GitHubError, invalid, requiresAuth } from '../errors.ts';
import type { Gh, UserRow } from '../types.ts';

export function me(g: Gh): UserRow {
  return g.viewer ?? requiresAuth();
}

export const ok = (body: unknown, status = 200) => ({ status, body });
export const noContent = () => ({ status: 204 });

/** A string body field, or undefined; a non-string value is GitHub's 422 "invalid". */
export function text(g: Gh, field: string, resource: string): string | undefined {
  const v = g.body[field];
  if (v === undefined) return undefined;
  if (v === null) return undefined;
  if (typeof v !== 'string') return invalid(resource, 'invalid', field);
  return v;
}

export function flag(g: Gh, field: string): boolean | undefined {
  const v = g.body[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 'false') return v === 'true';
  throw new GitHubError(422, `Invalid request.\n\nFor '${field}', ${JSON.stringify(v)} is not a boolean.`);
}

/** Query enums: an unknown value is ignored (GitHub falls back to the default). */
export function choice<T extends string>(v: unknown, allowed: readonly T[], fallback: T): T {
  const s = str(v);
  return s !== undefined && (allowed as readonly string[]).includes(s) ? (s as T) : fallback;
}

export function sinceOf(v: unknown): Date | null {
  const s = str(v);
  if (!s) return null;
  const d = new Date(s);
  if (Number.isNaN(d.getTime())) throw new GitHubError(422, 'Validation Failed', { errors: [{ resource: 'Search', code: 'invalid', field: 'since' }] });
  return d;
}

/** Names from `labels` / `assignees` bodies: strings, or objects carrying a name/login. */
export function names(v: unknown, key = 'name'): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  const list = Array.isArray(v) ? v : [v];
  return list
    .map((x) => (typeof x === 'string' ? x : x && typeof x === 'object' ? String((x as Record<string, unknown>)[key] ?? '') : String(x)))
    .filter((s) => s.length > 0);
}
