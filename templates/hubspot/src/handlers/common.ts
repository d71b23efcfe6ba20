import { hsError } from '../errors.ts';
import { objectTypeOf, type ObjectType } from '../schema.ts';

/** Multi-valued query params: repeated (`properties=a&properties=b`) or comma-separated. */
export function listParam(q: URLSearchParams, name: string): string[] | undefined {
  const all = q.getAll(name);
  if (!all.length) return undefined;
  return all.flatMap((v) => v.split(',')).map((s) => s.trim()).filter(Boolean);
}

export function boolParam(q: URLSearchParams, name: string): boolean {
  const v = q.get(name);
  return v === 'true' || v === '1';
}

/** An object type named in the path (contacts, 0-1, …). */
export function typeParam(name: string | undefined): ObjectType {
  const t = objectTypeOf(name ?? '');
  if (!t) throw hsError(400, 'VALIDATION_ERROR', `Unable to infer object type from: ${name}`);
  return t;
}
