/**
 * Route tables for REST templates: path templates like /crm/v3/objects/{objectType}/{id}
 * compiled once; a literal segment beats a parameter (/objects/contacts/search over
 * /objects/contacts/{id}), whatever the order routes are listed in.
 */
export interface RouteLike {
  method: string;
  path: string;
}

interface Compiled<R> {
  route: R;
  re: RegExp;
  literals: number;
}

function compile(path: string): { re: RegExp; literals: number } {
  const segs = path.split('/').filter(Boolean);
  return {
    re: new RegExp(`^/${segs.map((s) => (/^\{.+\}$/.test(s) ? '([^/]+)' : s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('/')}$`),
    literals: segs.filter((s) => !s.startsWith('{')).length,
  };
}

/** The best route for a request, with its path parameters decoded in order. */
export function routeTable<R extends RouteLike>(routes: R[]): (method: string, path: string) => { route: R; ids: string[] } | null {
  const compiled: Compiled<R>[] = routes.map((route) => ({ route, ...compile(route.path) }));
  return (method, path) => {
    let best: { route: R; ids: string[]; literals: number } | null = null;
    for (const c of compiled) {
      if (c.route.method !== method) continue;
      const m = c.re.exec(path);
      if (m && (!best || c.literals > best.literals)) best = { route: c.route, ids: m.slice(1).map((s) => decodeURIComponent(s)), literals: c.literals };
    }
    return best && { route: best.route, ids: best.ids };
  };
}

/** The operations.json entry (path template) of an in-scope operation the clone does not emulate, if the request is one. */
export function unemulatedTable(operations: Array<RouteLike & { implemented: boolean }>): (method: string, path: string) => string | null {
  const ops = operations.filter((o) => !o.implemented).map((o) => ({ method: o.method, path: o.path, ...compile(o.path) }));
  return (method, path) => ops.find((o) => o.method === method && o.re.test(path))?.path ?? null;
}
