/**
 * Generates operations.json: the Notion SDK operations in this template's scope (users,
 * databases, data sources, pages, blocks, comments, search), marked implemented when the
 * clone's router serves them. Deterministic: same inputs, same bytes.
 *
 *   bun templates/notion/scripts/operations.ts <notion_ops.txt>
 */
import { join } from 'node:path';
import { ROUTES } from '../src/api.ts';

const [opsFile] = process.argv.slice(2);
if (!opsFile) {
  process.stderr.write('usage: bun templates/notion/scripts/operations.ts <notion_ops.txt>\n');
  process.exit(2);
}
const SCOPE = /^\/v1\/(users|databases|data_sources|pages|blocks\/\{block_id\}|comments|search)(\/|$)/;
const LINE = /^(GET|POST|PATCH|DELETE) (\S+)\s+(\S+)$/;
const ops: Array<{ method: string; path: string; sdk: string[]; implemented: boolean }> = [];
const implemented = new Set(ROUTES.map((r) => `${r.method} ${r.path}`));
for (const l of (await Bun.file(opsFile).text()).split('\n')) {
  const m = LINE.exec(l.trim());
  if (!m || !SCOPE.test(m[2]!)) continue;
  const [, method, path, sdk] = m as unknown as [string, string, string, string];
  const prev = ops.find((o) => o.method === method && o.path === path);
  if (prev) prev.sdk.push(sdk);
  else ops.push({ method, path, sdk: [sdk], implemented: implemented.has(`${method} ${path}`) });
}
ops.sort((a, b) => (a.path === b.path ? a.method.localeCompare(b.method) : a.path.localeCompare(b.path)));
const extra = [...implemented].filter((k) => !ops.some((o) => `${o.method} ${o.path}` === k));
if (extra.length) process.stderr.write(`routes not in the SDK list: ${extra.join(', ')}\n`);
await Bun.write(join(import.meta.dir, '..', 'operations.json'), `${JSON.stringify(ops, null, 2)}\n`);
process.stdout.write(`operations.json: ${ops.length} in scope, ${ops.filter((o) => o.implemented).length} implemented\n`);
