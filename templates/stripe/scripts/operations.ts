/**
 * Generates operations.json: every Stripe SDK operation on customers, products, prices,
 * invoices and invoice items (from the SDK's operation list), marked implemented when the
 * clone's router serves it. Deterministic: same inputs, same bytes.
 *
 *   bun templates/stripe/scripts/operations.ts <stripe_ops.txt>
 */
import { join } from 'node:path';
import { ROUTES } from '../src/router.ts';

const [opsFile] = process.argv.slice(2);
if (!opsFile) {
  process.stderr.write('usage: bun templates/stripe/scripts/operations.ts <stripe_ops.txt>\n');
  process.exit(2);
}
const IN_SCOPE = /^\/v1\/(customers|products|prices|invoices|invoiceitems)(\/|$)/;
const lines = (await Bun.file(opsFile).text()).split('\n').map((l) => l.trim()).filter(Boolean);
const implemented = new Set(ROUTES.map((r) => `${r.method} ${r.path}`));
const ops = lines
  .map((l) => {
    const [method, path] = l.split(/\s+/) as [string, string];
    return { method, path };
  })
  .filter((o) => IN_SCOPE.test(o.path))
  .sort((a, b) => (a.path === b.path ? a.method.localeCompare(b.method) : a.path.localeCompare(b.path)))
  .map((o) => ({ method: o.method, path: o.path, implemented: implemented.has(`${o.method} ${o.path}`) }));

const extra = [...implemented].filter((k) => !ops.some((o) => `${o.method} ${o.path}` === k));
if (extra.length) process.stderr.write(`routes not in the SDK list: ${extra.join(', ')}\n`);
await Bun.write(join(import.meta.dir, '..', 'operations.json'), `${JSON.stringify(ops, null, 2)}\n`);
process.stdout.write(`operations.json: ${ops.length} in scope, ${ops.filter((o) => o.implemented).length} implemented\n`);
