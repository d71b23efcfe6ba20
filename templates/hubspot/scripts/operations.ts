/**
 * Generates operations.json: the HubSpot SDK operations in this template's scope (from the
 * SDK's operation list with expected status codes), marked implemented when the clone's
 * router serves them. Deterministic: same inputs, same bytes.
 *
 *   bun templates/hubspot/scripts/operations.ts <hubspot_ops_codes.txt>
 *
 * Scope: /crm/v3/objects/{contacts,companies,deals}… and the generic /crm/v3/objects/{objectType}…,
 * every /crm/v4 associations operation, and the read operations of /crm/v3/pipelines and
 * /crm/v3/properties.
 */
import { join } from 'node:path';
import { ROUTES } from '../src/router.ts';

const [opsFile] = process.argv.slice(2);
if (!opsFile) {
  process.stderr.write('usage: bun templates/hubspot/scripts/operations.ts <hubspot_ops_codes.txt>\n');
  process.exit(2);
}

function inScope(method: string, path: string): boolean {
  if (/^\/crm\/v3\/objects\/(contacts|companies|deals|\{objectType\})(\/|$)/.test(path)) return true;
  if (path.startsWith('/crm/v4/')) return true;
  if (/^\/crm\/v3\/(pipelines|properties)\//.test(path)) return method === 'GET' || path.endsWith('/batch/read');
  return false;
}

const LINE = /^(GET|POST|PUT|PATCH|DELETE) (\S+) -> (\d+) \((.+)\)$/;
const byKey = new Map<string, { method: string; path: string; status: number; sdk: string[] }>();
for (const l of (await Bun.file(opsFile).text()).split('\n')) {
  const m = LINE.exec(l.trim());
  if (!m) continue;
  const [, method, path, status, sdk] = m as unknown as [string, string, string, string, string];
  if (!inScope(method, path)) continue;
  const key = `${method} ${path}`;
  const entry = byKey.get(key) ?? { method, path, status: Number(status), sdk: [] };
  entry.sdk.push(sdk);
  byKey.set(key, entry);
}
const implemented = new Set(ROUTES.map((r) => `${r.method} ${r.path}`));
const ops = [...byKey.values()]
  .sort((a, b) => (a.path === b.path ? a.method.localeCompare(b.method) : a.path.localeCompare(b.path)))
  .map((o) => ({ method: o.method, path: o.path, status: o.status, sdk: o.sdk.sort(), implemented: implemented.has(`${o.method} ${o.path}`) }));

const extra = [...implemented].filter((k) => !byKey.has(k));
if (extra.length) process.stderr.write(`routes not in the SDK list: ${extra.join(', ')}\n`);
await Bun.write(join(import.meta.dir, '..', 'operations.json'), `${JSON.stringify(ops, null, 2)}\n`);
process.stdout.write(`operations.json: ${ops.length} in scope, ${ops.filter((o) => o.implemented).length} implemented\n`);
