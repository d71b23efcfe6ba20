/** The families of each vendor's reference list left out of a template's scope (scripts/derive-operations.ts). */
import scopes from './scopes.json';

type Scope = { reference: string; filter: string; included: Record<string, number>; excluded: Record<string, number> };
const table = scopes as unknown as Record<string, Scope>;

export const scopeOf = (template: string): Scope | undefined => table[template];
export const excludedFamilies = (template: string): Record<string, number> => table[template]?.excluded ?? {};
