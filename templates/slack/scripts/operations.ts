/**
 * Generates operations.json (the in-scope Slack methods, whether the clone implements
 * each, and its rate tier) and methods.all.json (every Web API method name, so the clone
 * can tell "not emulated" from "unknown"). Deterministic: same inputs, same bytes.
 *
 *   bun templates/slack/scripts/operations.ts <slack_methods.txt> [slack.rate_limit_tiers.json]
 */
import { dirname, join } from 'node:path';
import { METHODS } from '../src/methods/index.ts';

const [methodsFile, tiersFile] = process.argv.slice(2);
if (!methodsFile) {
  process.stderr.write('usage: bun scripts/operations.ts <slack_methods.txt> [slack.rate_limit_tiers.json]\n');
  process.exit(2);
}
const all = (await Bun.file(methodsFile).text()).split('\n').map((l) => l.trim()).filter((l) => /^[a-z][A-Za-z0-9.]+$/.test(l));
const tiersPath = tiersFile ?? join(dirname(methodsFile), '..', 'specs', 'slack.rate_limit_tiers.json');
const tiers = (await Bun.file(tiersPath).exists()) ? ((await Bun.file(tiersPath).json()) as Record<string, string>) : {};

const IN_SCOPE = /^(chat|conversations|users|reactions|pins|search)\.|^(auth\.test|team\.info|bots\.info)$|^files\.(getUploadURLExternal|completeUploadExternal|info|list|delete)$/;
const ops = all
  .filter((m) => IN_SCOPE.test(m))
  .sort()
  .map((method) => ({ method, implemented: method in METHODS, tier: tiers[method] ?? 'Tier3' }));

const root = join(import.meta.dir, '..');
await Bun.write(join(root, 'operations.json'), `${JSON.stringify(ops, null, 2)}\n`);
await Bun.write(join(root, 'methods.all.json'), `${JSON.stringify([...new Set(all)].sort(), null, 0)}\n`);
const implemented = ops.filter((o) => o.implemented).length;
process.stdout.write(`operations.json: ${ops.length} in scope, ${implemented} implemented; methods.all.json: ${all.length} methods\n`);
