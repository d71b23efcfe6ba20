/**
 * Generates templates/github/operations.json: GitHub's in-scope operations (users,
 * repositories, issues and what hangs off them), each marked implemented or not from the
 * clone's own route table. Deterministic: same inputs, same bytes.
 *
 *   bun templates/github/scripts/operations.ts <dir holding github_openapi_ops.txt and github_inscope.txt>
 *
 * In scope = the reference in-scope list ∪ every issues/* and issue reactions operation ∪
 * every operation the clone implements.
 */
import { join } from 'node:path';
import { ROUTES } from '../src/routes.ts';

const dir = process.argv[2];
if (!dir) {
  process.stderr.write('usage: bun templates/github/scripts/operations.ts <operations dir>\n');
  process.exit(2);
}
const lines = (name: string) =>
  Bun.file(join(dir, name))
    .text()
    .then((t) => t.split('\n').map((l) => l.trim()).filter(Boolean));

// "GET /path  operation-id  [category/subcategory]"
const openapi = new Map<string, string>();
for (const l of await lines('github_openapi_ops.txt')) {
  const m = /^(\w+) (\S+)\s+(\S+)/.exec(l);
  if (m) openapi.set(`${m[1]} ${m[2]}`, m[3]!);
}
const inScope = new Set((await lines('github_inscope.txt')).map((l) => l.replace(/\{\?[^}]*\}$/, '')));
const implemented = new Map(ROUTES.map((r) => [`${r.method} ${r.path}`, r.operationId]));

const keys = new Set<string>(inScope);
for (const [key, id] of openapi) {
  if (id.startsWith('issues/') || /^reactions\/(list|create|delete)-for-issue/.test(id)) keys.add(key);
}
for (const key of implemented.keys()) keys.add(key);

const ops = [...keys]
  .map((key) => {
    const [method, path] = key.split(' ') as [string, string];
    const operationId = implemented.get(key) ?? openapi.get(key) ?? openapi.get(`${method} ${path.replace(/\{\?[^}]*\}$/, '')}`);
    return { method, path, ...(operationId ? { operationId } : {}), implemented: implemented.has(key) };
  })
  .sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));

for (const key of implemented.keys()) if (!openapi.has(key)) process.stderr.write(`warning: ${key} is not in GitHub's OpenAPI list\n`);

const root = join(import.meta.dir, '..');
await Bun.write(join(root, 'operations.json'), `${JSON.stringify(ops, null, 2)}\n`);
process.stdout.write(`operations.json: ${ops.length} in scope, ${ops.filter((o) => o.implemented).length} implemented\n`);
