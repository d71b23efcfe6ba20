/** One-line renderings of a FidelityScore, shared by `verify`, `templates` and the spin wizard. */
import type { FidelityScore } from '../contract/fidelity.ts';

const pct = (x: number) => `${Math.round(x * 100)}%`;

/** "12% · shape 61% behaviour 20% errors 78% (3/90)"; a score cached before the parts existed shows only its score. */
export function fidelityLine(f: FidelityScore): string {
  const head = `${pct(f.score)} (${f.operations.matched}/${f.operations.theirs})`;
  if (!f.parts) return head;
  return `${head} · shape ${pct(f.parts.shape.score)} behaviour ${pct(f.parts.behaviour.score)} errors ${pct(f.parts.errors.score)}`;
}

/** "admin 96, apps 9, …": the families of the vendor's list left out of scope, largest first. */
export function excludedLine(excluded: Record<string, number> | undefined, max = 12): string {
  const rows = Object.entries(excluded ?? {}).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  if (!rows.length) return 'none';
  const shown = rows.slice(0, max).map(([f, n]) => `${f} ${n}`);
  return rows.length > max ? `${shown.join(', ')} and ${rows.length - max} more families (${rows.slice(max).reduce((a, [, n]) => a + n, 0)} operations)` : shown.join(', ');
}
