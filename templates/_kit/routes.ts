/**
 * Route tables for REST templates: path templates like /crm/v3/objects/{objectType}/{id}
 * compiled once; a literal segment beats a parameter (/objects/contacts/search over
 * /objects/contacts/{id}), whatever the order routes are listed in.
 */
export interface RouteLike {
  /** An HTTP method, or '*' for any. */
  method: string;
  path: string;
}

interface Compiled<R> {
  route: R;
  re: RegExp;
  literals: number;
  names: string[];
}

function compile(path: string): { re: RegExp; literals: number; names: string[] } {
  const segs = path.split('/').filter(Boolean);
  return {
    re: new RegExp(`^/${segs.map((s) => (/^\{.+\}$/.test(s) ? '([^/]+)' : s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('/')}$`),
    literals: segs.filter((s) => !s.startsWith('{')).length,
    names: segs.filter((s) => /^\{.+\}$/.test(s)).map((s) => s.slice(1, -1)),
  };
}

/** A malformed escape (`%E0%A4`) stays as sent: the handler answers it as an unknown id. */
function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export interface RouteMatch<R> {
  route: R;
  /** Path parameters in order. */
  ids: string[];
  /** Path parameters by their name in the template. */
  params: Record<string, string>;
}

/** The best route for a request, with its path parameters decoded. */
export function routeTable<R extends RouteLike>(routes: R[]): (method: string, path: string) => RouteMatch<R> | null {
  const compiled: Compiled<R>[] = routes.map((route) => ({ route, ...compile(route.path) }));
  return (method, path) => {
    let best: { c: Compiled<R>; m: RegExpExecArray } | null = null;
    for (const c of compiled) {
      if (c.route.method !== method && c.route.method !== '*') continue;
      const m = c.re.exec(path);
      if (m && (!best || c.literals > best.c.literals)) best = { c, m };
    }
    if (!best) return null;
    const ids = best.m.slice(1).map(decode);
    return { route: best.c.route, ids, params: Object.fromEntries(best.c.names.map((n, i) => [n, ids[i] as string])) };
  };
}

/** The operations.json entry (path template) of an in-scope operation the clone does not emulate, if the request is one. */
export function unemulatedTable(operations: Array<RouteLike & { implemented: boolean }>): (method: string, path: string) => string | null {
  const ops = operations.filter((o) => !o.implemented).map((o) => ({ method: o.method, path: o.path, ...compile(o.path) }));
  return (method, path) => ops.find((o) => o.method === method && o.re.test(path))?.path ?? null;
}
