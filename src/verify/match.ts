/** Maps a REST request to the operations.json entry it calls ("METHOD /path/{param}"). */

interface Compiled {
  id: string;
  method: string;
  re: RegExp;
  /** Literal segments: a literal beats a parameter (/v1/customers/search over /v1/customers/{id}). */
  literals: number;
}

export function restMatcher(ids: string[]): (method: string, path: string) => string | null {
  const compiled: Compiled[] = ids.map((id) => {
    const [method, template] = id.split(' ') as [string, string];
    const segments = template.split('/').filter(Boolean);
    const re = new RegExp(`^/${segments.map((s) => (/^\{.+\}$/.test(s) ? '[^/]+' : s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('/')}/?$`);
    return { id, method: method.toUpperCase(), re, literals: segments.filter((s) => !s.startsWith('{')).length };
  });
  return (method, path) => {
    const pathname = path.split('?')[0]!;
    let best: Compiled | null = null;
    for (const c of compiled) {
      if (c.method !== method.toUpperCase() || !c.re.test(pathname)) continue;
      if (!best || c.literals > best.literals) best = c;
    }
    return best?.id ?? null;
  };
}
