/**
 * Fork benchmark: prints figures, asserts nothing (kept out of the test suite).
 *   bun bench/fork.ts [sizes=1,10,30]
 * A Slack clone with the acme pack and a few hundred messages is forked N times; per-clone
 * cost = the fork's wall time / N, against a fresh `spin --fixture acme` of the same clone.
 * Small forks (N <= 3) take about a second, where a busy shared machine's noise is a good
 * part of the figure: they run three times and print the median.
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

  const spins: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    const c = await p.create({ template: 'slack', name: `bf-${process.pid}-s${i}`, seed: { fixture: 'acme' } });
    spins.push(performance.now() - t);
    await p.destroy(c.id);
  }
  const spin = spins.sort((a, b) => a - b)[1]!;
  console.log(`load average ${(await Bun.file('/proc/loadavg').text()).split(' ').slice(0, 3).join(' ')}, ${navigator.hardwareConcurrency} cores`);
  console.log(`fresh spin --fixture acme: ${(spin / 1000).toFixed(2)} s (median of 3)`);
  for (const n of sizes) {
    const runs = n <= 3 ? 3 : 1;
    const times: number[] = [];
    for (let run = 0; run < runs; run++) {
      const t = performance.now();
      const r = await forkClone(p, src.id, n, { prefix: `bf-${process.pid}-n${n}r${run}` });
      times.push(performance.now() - t);
      for (const c of r.clones) await p.destroy(c.id);
    }
    const ms = times.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
    console.log(`fork -n ${n}: ${(ms / 1000).toFixed(2)} s total${runs > 1 ? ` (median of ${runs})` : ''}, ${(ms / n / 1000).toFixed(2)} s per clone (${((ms / n / spin) * 100).toFixed(0)}% of a fresh spin)`);
  }
} finally {
  for (const id of made) await p.destroy(id).catch(() => {});
  rmSync(home, { recursive: true, force: true });
}
