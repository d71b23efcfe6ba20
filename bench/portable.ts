/**
 * Export/import benchmark: prints figures, asserts nothing (kept out of the test suite).
 *   bun bench/portable.ts [messages=3000] [runs=3]
 * A Slack clone with the acme pack and N messages is snapshotted and exported; the file is
 * brought back with `spin --from` in a second ASYM_HOME and with `restore --from` into an
 * existing clone there. Medians of `runs`, next to a fresh `spin --fixture acme`.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebClient } from '@slack/web-api';
import { LocalDockerProvider } from '../src/docker/provider.ts';
import { readHeaderOnly } from '../src/worlds/snapshot-file.ts';

const messages = Number(process.argv[2] ?? 3000);
const runs = Number(process.argv[3] ?? 3);
const homeA = mkdtempSync(join(tmpdir(), 'asym-bench-portable-a-'));
const homeB = mkdtempSync(join(tmpdir(), 'asym-bench-portable-b-'));
const files = mkdtempSync(join(tmpdir(), 'asym-bench-portable-f-'));
const at = (home: string) => {
  process.env.ASYM_HOME = home;
};
const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const t0 = performance.now();
const p = new LocalDockerProvider(process.env.BENCH_STEPS ? { onProgress: (step) => console.error(`${((performance.now() - t0) / 1000).toFixed(2)} ${step}`) } : {});
const made: [string, string][] = [];
try {
  at(homeA);
  const src = await p.create({ template: 'slack', name: `bp-${process.pid}`, seed: { fixture: 'acme' } });
  made.push([homeA, src.id]);
  const slack = new WebClient(src.tokens!.botToken, { slackApiUrl: `${src.endpoints.api}/api/` });
  const channel = (await slack.conversations.create({ name: 'bench' })).channel!.id!;
  for (let i = 0; i < messages; i += 50) await Promise.all(Array.from({ length: Math.min(50, messages - i) }, (_, j) => slack.chat.postMessage({ channel, text: `message ${i + j}` })));
  await p.snapshot(src.id, 'bench');

  const file = join(files, 'bench.asym');
  const exports: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await p.exportSnapshot(src.id, 'bench', file);
    exports.push(performance.now() - t);
  }
  const spins: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const c = await p.create({ template: 'slack', name: `bp-${process.pid}-s${i}`, seed: { fixture: 'acme' } });
    spins.push(performance.now() - t);
    await p.destroy(c.id);
  }

  at(homeB);
  const froms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const c = await p.createFrom({ name: `bp-${process.pid}-f${i}` }, file);
    froms.push(performance.now() - t);
    if (i < runs - 1) await p.destroy(c.id);
    else made.push([homeB, c.id]);
  }
  const target = made.at(-1)![1];
  const restores: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await p.restoreFrom(target, file);
    restores.push(performance.now() - t);
  }
  const check = new WebClient((await p.get(target)).tokens!.botToken, { slackApiUrl: `${p.instance(await p.get(target)).endpoints.api}/api/` });
  const seen = (await check.conversations.history({ channel, limit: 1 })).messages?.length ?? 0;

  console.log(`Slack clone: acme pack + ${messages} messages; medians of ${runs}`);
  const { header } = readHeaderOnly(file);
  console.log(`file size:             ${(statSync(file).size / 1024).toFixed(0)} KiB (gzip of a ${(header.database.bytes / 1024).toFixed(0)} KiB plain-SQL dump + ${header.redis.keys} Redis keys)`);
  console.log(`snapshot export:       ${s(median(exports))}`);
  console.log(`spin --from (2nd home): ${s(median(froms))}   (fresh spin --fixture acme: ${s(median(spins))})`);
  console.log(`restore --from:        ${s(median(restores))}`);
  if (!seen) console.log('warning: the restored clone showed no message');
} finally {
  for (const [home, id] of made.reverse()) {
    at(home);
    await p.destroy(id).catch(() => {});
  }
  for (const d of [homeA, homeB, files]) rmSync(d, { recursive: true, force: true });
}
