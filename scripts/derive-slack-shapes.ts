/**
 * Derives src/verify/schemas/slack.json from Slack's merged response samples
 * (../shared/reference/specs/slack-samples, 16 MB): for each in-scope method, a skeleton
 * that keeps every key and the JSON type of every value (arrays by their first element,
 * which is all the shape check reads), so the check needs no copy of the samples.
 *
 *   bun scripts/derive-slack-shapes.ts [samples-dir]
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import operations from '../templates/slack/operations.json';

const dir = process.argv[2] ?? join(import.meta.dir, '..', '..', 'shared', 'reference', 'specs', 'slack-samples');
if (!existsSync(dir)) {
  process.stderr.write(`no samples at ${dir}\n`);
  process.exit(1);
}

function skeleton(v: unknown): unknown {
  if (v === null) return null;
  if (Array.isArray(v)) return v.length ? [skeleton(v[0])] : [];
  switch (typeof v) {
    case 'string':
      return '';
    case 'number':
      return 0;
    case 'boolean':
      return false;
    case 'object':
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, skeleton(x)]));
    default:
      return null;
  }
}

// Samples that hold only Slack's error envelope get their success fields from the official
// SDK's response type (node_modules/@slack/web-api/dist/types/response/<Method>Response.d.ts).
// A message field takes the shape of chat.postMessage's message.
const SUCCESS_FIELDS: Record<string, Record<string, unknown>> = {
  // ChatStopStreamResponse: channel, ts, message
  'chat.stopStream': { channel: '', ts: '', message: 'chat.postMessage' },
};

const inScope = new Set((operations as { method: string }[]).map((o) => o.method));
const shapes: Record<string, unknown> = {};
for (const file of readdirSync(dir).sort()) {
  const method = file.replace(/\.json$/, '');
  if (!file.endsWith('.json') || !inScope.has(method)) continue;
  shapes[method] = skeleton(await Bun.file(join(dir, file)).json());
}
for (const [method, fields] of Object.entries(SUCCESS_FIELDS)) {
  const extra = Object.fromEntries(Object.entries(fields).map(([k, x]) => [k, k === 'message' ? (shapes[x as string] as { message: unknown }).message : x]));
  shapes[method] = { ...(shapes[method] as object), ...extra };
}
const out = join(import.meta.dir, '..', 'src', 'verify', 'schemas', 'slack.json');
const text = `${JSON.stringify({ $comment: 'derived by scripts/derive-slack-shapes.ts from Slack response samples', shapes })}\n`;
await Bun.write(out, text);
process.stdout.write(`${out}: ${Object.keys(shapes).length} methods, ${(text.length / 1024).toFixed(0)} KiB\n`);
