/**
 * Maps a REST request to the operations.json entry it calls ("METHOD /path/{param}"), with
 * the same matcher the clones route with (templates/_kit/routes.ts: a literal segment beats
 * a parameter, /v1/customers/search over /v1/customers/{id}), so verify attributes a call to
 * the operation the clone served it as.
 */
import { routeTable } from '../../templates/_kit/routes.ts';

export function restMatcher(ids: string[]): (method: string, path: string) => string | null {
  const table = routeTable(
    ids.map((id) => {
      const [method, path] = id.split(' ') as [string, string];
      return { id, method: method.toUpperCase(), path };
    }),
  );
  return (method, path) => {
    // A trailing slash names the same operation (/v1/customers/ is /v1/customers).
    const pathname = path.split('?')[0]!.replace(/(.)\/+$/, '$1');
    return table(method.toUpperCase(), pathname)?.route.id ?? null;
  };
}
