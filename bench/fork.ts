/**
 * Fork benchmark: prints figures, asserts nothing (kept out of the test suite).
 *   bun bench/fork.ts [sizes=1,10,30]
 * A Slack clone with the acme pack and a few hundred messages is forked N times; per-clone
 * cost = the fork's wall time / N, against a fresh `spin --fixture acme` of the same clone.
 * Each fork runs between two fresh spins and is compared with their mean (a shared machine's
 * load swings within a minute); small forks (N <= 3) run three times, medians printed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebClient } from '@slack/web-api';
import { LocalDockerProvider } from '../src/docker/provider.ts';
import { forkClone } from '../src/worlds/fork.ts';

const sizes = (process.argv[2] ?? '1,10,30').split(',').map(Number);
const home = mkdtempSync(join(tmpdir(), 'asym-bench-fork-'));
process.env.ASYM_HOME = home;
const p = new LocalDockerProvider();
const made: string[] = [];
try {
  const src = await p.create({ template: 'slack', name: `bf-${process.pid}`, seed: { fixture: 'acme' } });
  made.push(src.id);
  const slack = new WebClient(src.tokens!.botToken, { slackApiUrl: `${src.endpoints.api}/api/` });
  const channel = (await slack.conversations.create({ name: 'bench' })).channel!.id!;
  for (let i = 0; i < 300; i++) await slack.chat.postMessage({ channel, text: `message ${i}` });

  // A shared machine's load swings within a minute: each fork is measured between two fresh
  // spins and compared with their mean, so both sides of a ratio saw the same load.
  let spinNo = 0;
  const spin = async () => {
    const t = performance.now();
    const c = await p.create({ template: 'slack', name: `bf-${process.pid}-s${spinNo++}`, seed: { fixture: 'acme' } });
    const ms = performance.now() - t;
    await p.destroy(c.id);
    return ms;
  };
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log(`load average ${(await Bun.file('/proc/loadavg').text()).split(' ').slice(0, 3).join(' ')}, ${navigator.hardwareConcurrency} cores`);
  let before = await spin();
  for (const n of sizes) {
    const runs = n <= 3 ? 3 : 1;
    const forks: number[] = [];
    const spins: number[] = [];
    const ratios: number[] = [];
    for (let run = 0; run < runs; run++) {
      const t = performance.now();
      const r = await forkClone(p, src.id, n, { prefix: `bf-${process.pid}-n${n}r${run}` });
      const ms = performance.now() - t;
      for (const c of r.clones) await p.destroy(c.id);
      const after = await spin();
      forks.push(ms);
      spins.push((before + after) / 2);
      ratios.push(ms / n / ((before + after) / 2));
      before = after;
    }
    const ms = median(forks);
    console.log(
      `fork -n ${n}: ${(ms / 1000).toFixed(2)} s total, ${(ms / n / 1000).toFixed(2)} s per clone, ${(median(ratios) * 100).toFixed(0)}% of a fresh spin --fixture acme ` +
        `(${(median(spins) / 1000).toFixed(2)} s)${runs > 1 ? `; medians of ${runs}` : ''}`,
    );
  }
} finally {
  for (const id of made) await p.destroy(id).catch(() => {});
  rmSync(home, { recursive: true, force: true });
}
