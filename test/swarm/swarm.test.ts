/**
 * The Swarm engine behind the control plane: `asym serve --engine swarm` on a swarm of the
 * test's own making (private dockerds in network namespaces, test/support/swarm.ts; the
 * machine's engine never enters swarm mode), driven by the real CLI as a remote client and
 * by the Slack SDK against the clone's published port. First the lifecycle suite every engine
 * runs (test/support/lifecycle.ts, as test/providers/both.test.ts runs it locally and through a
 * loopback control plane), its clones placed by Swarm; then what only a cluster has:
 * placement over both nodes, drained and lost nodes, doctor reconciling against the cluster.
 *
 * This kernel has no IPVS (CONFIG_IP_VS is not set), so neither the ingress routing mesh nor
 * VIP service discovery can work here: the test runs with ASYM_SWARM_ROUTING=host (ports
 * published on the node that runs the task, services resolved by DNS round robin).
 *
 * Under CI=true this fails, never skips, when it cannot build its swarm (root, iproute2,
 * util-linux's nsenter/unshare, dockerd and iptables are needed; .ci/run's setup installs them).
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { historyTexts, postAndRead, slackClient } from '../support/clones.ts';
import { asym } from '../support/cli.ts';
import { dockerAvailable, inCI, uniqueName } from '../support/docker.ts';
import { serveHarness } from '../support/serve.ts';
import { lifecycleSuite, type Engine } from '../support/lifecycle.ts';
import { makeSwarm, swarmPrerequisites, type TestSwarm } from '../support/swarm.ts';
import { resolveServiceImage } from '../../src/docker/images.ts';
import { getTemplate } from '../../src/templates/catalog.ts';

const canBuild = dockerAvailable && swarmPrerequisites().length === 0;
const describeSwarm = describe.skipIf(!canBuild && !inCI);
const IMAGES = [process.env.ASYM_POSTGRES_IMAGE ?? 'asym-local/postgres:15', process.env.ASYM_REDIS_IMAGE ?? 'asym-local/redis:7', process.env.ASYM_BUN_IMAGE ?? 'asym-local/bun:1'];

function docker(host: string, args: string[]): string {
  const r = Bun.spawnSync(['docker', '-H', host, ...args], { stdout: 'pipe', stderr: 'pipe' });
  return r.stdout.toString() + r.stderr.toString();
}

/** One swarm and one control plane on it, made once for the file, shared by both suites. */
let swarm: TestSwarm | undefined;
let h: ReturnType<typeof serveHarness> | undefined;
let key: string;
let env: Record<string, string>;
let ready: Promise<void> | undefined;
const cluster = () =>
  (ready ??= (async () => {
    // Every node needs every image (there is no registry): the clone image is resolved (built
    // once per template version) on this machine's engine and loaded into each node with the
    // base images, as a registry would serve them. Without it, a task placed on the worker
    // fails with "No such image" and Swarm moves it to the manager, which built it.
    const slack = await resolveServiceImage(getTemplate('slack'), 'api');
    swarm = await makeSwarm(2, { images: [...IMAGES, slack.ref], log: (s) => console.log(`[swarm] ${s}`) });
    // The nodes reach no registry: pull=never, as on any air-gapped cluster (else `upgrade`
    // waits out a DNS timeout on each pull before it builds).
    env = { DOCKER_HOST: swarm.manager.host, ASYM_SWARM_ROUTING: 'host', ASYM_SWARM_PG_PORT: '15432', ASYM_SWARM_REDIS_PORT: '16379', ASYM_PULL: 'never' };
    h = serveHarness('swarm');
    await h.start(env, ['--engine', 'swarm']);
    key = await h.key('swarm');
  })());

afterAll(async () => {
  try {
    await h?.cleanup();
  } finally {
    await swarm?.teardown();
  }
}, 180_000);

/** Node addresses the lifecycle suite's clones were served from. */
const suiteNodes = new Set<string>();

/** The control plane on the swarm as an engine of the shared lifecycle suite; clones land on either node. */
async function swarmEngine(): Promise<Engine> {
  await cluster();
  const nodes = swarm!.nodes.map((n) => n.addr.replaceAll('.', '\\.')).join('|');
  const run = async (args: string[]) => {
    const r = await h!.run(key, args);
    // Where Swarm placed each clone the suite made (spin, spin --from, fork, env up).
    const made = [r.json, ...((r.json?.clones as unknown[]) ?? [])].filter((c: any) => c?.endpoints?.api);
    for (const c of made) suiteNodes.add(new URL((c as any).endpoints.api).hostname);
    return r;
  };
  return {
    run,
    env: { ASYM_HOME: h!.clientHome, ASYM_REMOTE: h!.url, ASYM_REMOTE_TOKEN: key },
    api: new RegExp(`^http://(${nodes}):\\d+$`),
    async leftovers(id) {
      const q = (what: string) => docker(swarm!.manager.host, [what, 'ls', '--filter', `label=asym.clone=${id}`, '--format', '{{.Name}}']).split('\n').filter(Boolean);
      return [...q('service'), ...q('network')];
    },
    async cleanup() {
      // The control plane stays up for the swarm's own suite: remove only what this suite left.
      for (const c of ((await run(['ls', '--json'])).json ?? []) as { id: string }[]) await run(['destroy', c.id, '--yes', '--json']);
    },
  };
}

lifecycleSuite('swarm (two nodes)', swarmEngine, describeSwarm);

describeSwarm('the lifecycle suite on the swarm', () => {
  test('its clones were placed by Swarm and served from swarm nodes', () => {
    // Swarm's spread puts each clone's task on the node with the fewest tasks: the worker
    // first (the manager runs the infra), then either; which one is Swarm's to choose.
    console.log(`[swarm] lifecycle suite served from: ${[...suiteNodes].join(', ')}`);
    expect(suiteNodes.size).toBeGreaterThan(0);
    expect([...suiteNodes].every((a) => swarm!.nodes.some((n) => n.addr === a))).toBe(true);
  });
});

describeSwarm('asym serve --engine swarm (two nodes, host routing)', () => {
  const ids = [uniqueName('sw-a'), uniqueName('sw-b'), uniqueName('sw-c')];
  const clones: any[] = [];
  /** Every node address a clone was seen served from, across the run. */
  const seen = new Set<string>();
  const where = (c: any) => seen.add(new URL(c.endpoints.api).hostname);

  beforeAll(() => cluster(), 180_000);

  test('spin through the control plane: a running clone, its services on the swarm', async () => {
    const t0 = Date.now();
    const r = await h!.run(key, ['spin', 'slack', '--name', ids[0]!, '--json']);
    if (r.code !== 0) console.log(r.stdout, r.stderr, h!.server.log().slice(-3000));
    expect(r.code).toBe(0);
    console.log(`[swarm] first spin: ${Date.now() - t0} ms`);
    clones[0] = r.json;
    where(clones[0]);
    expect(clones[0]).toMatchObject({ id: ids[0], template: 'slack', state: 'running' });
    // Host routing: the endpoint is on a swarm node's address, not this machine's loopback.
    expect(swarm!.nodes.map((n) => `http://${n.addr}`)).toContain(clones[0].endpoints.api.replace(/:\d+$/, ''));
    const services = docker(swarm!.manager.host, ['service', 'ls', '--filter', `label=asym.clone=${ids[0]}`, '--format', '{{.Name}} {{.Replicas}}']);
    expect(services).toMatch(/_api 1\/1/);
    const labels = docker(swarm!.manager.host, ['service', 'inspect', '--format', '{{json .Spec.Labels}}', `${clones[0].composeProject}_api`]);
    expect(JSON.parse(labels)).toMatchObject({ 'asym.clone': ids[0], 'asym.service': 'api', 'asym.template': 'slack' });
    expect(JSON.parse(labels)['asym.home']).toMatch(/^[0-9a-f]+$/);
  }, 240_000);

  test('ls and status: health from the service tasks and the probe', async () => {
    const ls = await h!.run(key, ['ls', '--json']);
    expect(ls.json.map((c: any) => c.id)).toEqual([ids[0]]);
    const st = await h!.run(key, ['status', ids[0]!, '--json']);
    expect(st.code).toBe(0);
    expect(st.json).toMatchObject({ id: ids[0], state: 'running', healthy: true });
    expect(st.json.services.map((s: any) => [s.name, s.state])).toEqual([['api', 'running']]);
  }, 60_000);

  test('the SDK writes; snapshot, restore and reset (exact) are database operations on the cluster Postgres', async () => {
    const slack = slackClient(clones[0]);
    const channel = await postAndRead(slack, 'swarm', 'hello swarm');
    expect((await h!.run(key, ['snapshot', ids[0]!, 'one', '--json'])).code).toBe(0);
    await slack.chat.postMessage({ channel, text: 'after the snapshot' });
    const t0 = performance.now();
    expect((await h!.run(key, ['restore', ids[0]!, 'one', '--json'])).code).toBe(0);
    console.log(`[swarm] restore through the control plane: ${(performance.now() - t0).toFixed(0)} ms`);
    const texts = await historyTexts(slack, channel);
    expect(texts).toContain('hello swarm');
    expect(texts).not.toContain('after the snapshot');
    const t1 = performance.now();
    expect((await h!.run(key, ['reset', ids[0]!, '--json'])).code).toBe(0);
    console.log(`[swarm] reset through the control plane: ${(performance.now() - t1).toFixed(0)} ms`);
    // Exact: back to the pristine state, no channel of this test left.
    const after = await slack.conversations.info({ channel }).catch((err: { data?: { error?: string } }) => err.data?.error);
    expect(after).toBe('channel_not_found');
    expect((await h!.run(key, ['diff', ids[0]!, '--json'])).json.summary.tables).toBe(0);
  }, 120_000);

  test('stop scales the services to zero, start brings them back with the data', async () => {
    const slack = slackClient(clones[0]);
    const channel = await postAndRead(slack, 'kept', 'kept across stop');
    expect((await h!.run(key, ['stop', ids[0]!, '--json'])).json).toEqual({ id: ids[0], state: 'stopped' });
    expect(docker(swarm!.manager.host, ['service', 'ls', '--filter', `label=asym.clone=${ids[0]}`, '--format', '{{.Replicas}}']).trim()).toBe('0/0');
    expect((await h!.run(key, ['start', ids[0]!, '--json'])).json).toEqual({ id: ids[0], state: 'running' });
    const listed = (await h!.run(key, ['ls', '--json'])).json.find((c: any) => c.id === ids[0]);
    const again = { ...clones[0], endpoints: listed.endpoints };
    where(again);
    expect(await historyTexts(slackClient(again), channel)).toContain('kept across stop');
    clones[0] = again;
  }, 120_000);

  test('a second clone, placed by Swarm (its spread strategy), answers on its node', async () => {
    const r = await h!.run(key, ['spin', 'slack', '--name', ids[1]!, '--json']);
    expect(r.code).toBe(0);
    clones[1] = r.json;
    where(clones[1]);
    await postAndRead(slackClient(clones[1]), 'second', 'on the swarm');
    // Placement is Swarm's (its spread strategy; the manager already runs the infra's two
    // tasks): both clones answer wherever they landed, and their endpoints say where.
    const nodes = ids.slice(0, 2).map((id) => docker(swarm!.manager.host, ['service', 'ps', `${(clones[ids.indexOf(id)] as any).composeProject}_api`, '--filter', 'desired-state=running', '--format', '{{.Node}}']).trim());
    console.log(`[swarm] placement: ${ids.slice(0, 2).map((id, i) => `${id} on ${nodes[i]}`).join(', ')}`);
    expect(nodes.every((n) => swarm!.nodes.some((x) => x.name === n))).toBe(true);
  }, 180_000);

  test('a drained node: Swarm reschedules the clone, its state survives in the cluster Postgres, status follows it', async () => {
    // Drain the worker if a clone is on it (the manager holds the infra, pinned there).
    const worker = swarm!.nodes[1]!;
    const onWorker = clones.findIndex((c) => c.endpoints.api.includes(`//${worker.addr}:`));
    expect(onWorker).toBeGreaterThanOrEqual(0);
    const c = clones[onWorker];
    const slack = slackClient(c);
    const channel = await postAndRead(slack, 'moves', 'before the drain');
    docker(swarm!.manager.host, ['node', 'update', '--availability', 'drain', worker.name]);
    try {
      // Draining is asynchronous: the old task runs until Swarm has stopped it, then a new one
      // starts on the manager. Meanwhile status says what it sees (unhealthy while no task runs).
      const deadline = Date.now() + 90_000;
      const states = new Set<string>();
      let moved: any;
      for (;;) {
        const st = (await h!.run(key, ['status', c.id, '--json'])).json;
        states.add(`${st.state}/${st.healthy}`);
        const listed = (await h!.run(key, ['ls', '--json'])).json.find((x: any) => x.id === c.id);
        moved = { ...c, endpoints: listed.endpoints };
        if (st.state === 'running' && st.healthy && moved.endpoints.api.includes(`//${swarm!.manager.addr}:`)) break;
        if (Date.now() > deadline) throw new Error(`not rescheduled: ${JSON.stringify(st)} ${JSON.stringify(listed.endpoints)}`);
        await Bun.sleep(300);
      }
      console.log(`[swarm] status seen while draining: ${[...states].join(', ')}`);
      expect(moved.endpoints.api).toContain(`//${swarm!.manager.addr}:`);
      expect(await historyTexts(slackClient(moved), channel)).toContain('before the drain');
      clones[onWorker] = moved;
      where(moved);
      // Across the run, clones were served from both nodes of the swarm.
      expect([...seen].sort()).toEqual(swarm!.nodes.map((n) => n.addr).sort());
    } finally {
      docker(swarm!.manager.host, ['node', 'update', '--availability', 'active', worker.name]);
    }
  }, 150_000);

  test('a lost node: its engine and containers killed, Swarm reschedules the clone once the node is down; its state survives', async () => {
    const worker = swarm!.nodes[1]!;
    const r = await h!.run(key, ['spin', 'slack', '--name', ids[2]!, '--json']);
    expect(r.code).toBe(0);
    // The worker runs nothing since the drain (and is active again): Swarm's spread puts the new clone there.
    expect(r.json.endpoints.api).toContain(`//${worker.addr}:`);
    clones[2] = r.json;
    const channel = await postAndRead(slackClient(clones[2]), 'lost', 'before the node was lost');
    const t0 = Date.now();
    swarm!.lose(worker);
    const deadline = Date.now() + 120_000;
    const states = new Set<string>();
    let moved: any;
    for (;;) {
      const st = (await h!.run(key, ['status', ids[2]!, '--json'])).json;
      states.add(`${st.state}/${st.healthy}`);
      const listed = (await h!.run(key, ['ls', '--json'])).json.find((x: any) => x.id === ids[2]);
      moved = { ...clones[2], endpoints: listed.endpoints };
      if (st.state === 'running' && st.healthy && moved.endpoints.api.includes(`//${swarm!.manager.addr}:`)) break;
      if (Date.now() > deadline) throw new Error(`not rescheduled: ${JSON.stringify(st)} ${JSON.stringify(listed.endpoints)}`);
      await Bun.sleep(1000);
    }
    console.log(`[swarm] lost node: clone answering on the manager after ${((Date.now() - t0) / 1000).toFixed(1)} s; status seen: ${[...states].join(', ')}`);
    expect(await historyTexts(slackClient(moved), channel)).toContain('before the node was lost');
  }, 180_000);

  test('doctor on the control plane: a clone whose service was removed behind its back is found and --fix deploys it again; an orphan of this home is removed, another home\'s is left', async () => {
    const denv = { ASYM_HOME: h!.home, ASYM_REMOTE: '', ASYM_ENGINE: 'swarm', ...env };
    const slack = slackClient(clones[0]);
    const channel = await postAndRead(slack, 'doctored', 'before the service was removed');
    const api = `${clones[0].composeProject}_api`;
    const home = JSON.parse(docker(swarm!.manager.host, ['service', 'inspect', '--format', '{{json .Spec.Labels}}', api]))['asym.home'];
    const ours = uniqueName('ghost');
    const theirs = uniqueName('foreign');
    const image = IMAGES[2]!;
    try {
      docker(swarm!.manager.host, ['service', 'rm', api]);
      for (const [name, owner] of [[ours, home], [theirs, 'f00dfeed']]) {
        docker(swarm!.manager.host, ['service', 'create', '--detach', '--name', name, '--label', `asym.clone=${name}`, '--label', `asym.home=${owner}`, '--constraint', `node.id==${docker(swarm!.manager.host, ['info', '--format', '{{.Swarm.NodeID}}']).trim()}`, image, 'sleep', '3600']);
      }
      const found = await asym(['doctor', '--json'], denv);
      const kinds = (found.json.findings as any[]).map((f) => `${f.kind} ${f.target}`);
      expect(kinds).toContain(`orphan-service ${ours}`);
      expect(kinds.some((k) => k.endsWith(` ${ids[0]}`))).toBe(true);
      expect(kinds.some((k) => k.includes(theirs))).toBe(false);
      const fixed = await asym(['doctor', '--fix', '--json'], denv);
      if (fixed.code !== 0) console.log(fixed.stdout, fixed.stderr);
      expect((fixed.json.findings as any[]).filter((f) => f.target === ours || f.target === ids[0]).every((f) => f.fixed)).toBe(true);
      const services = docker(swarm!.manager.host, ['service', 'ls', '--format', '{{.Name}}']);
      expect(services).toContain(api);
      expect(services).not.toContain(ours);
      expect(services).toContain(theirs);
      // Deployed again from its stack file: same ports; its data was in the cluster Postgres all along.
      const deadline = Date.now() + 60_000;
      let texts: string[] = [];
      for (;;) {
        const listed = (await h!.run(key, ['ls', '--json'])).json.find((c: any) => c.id === ids[0]);
        texts = await historyTexts(slackClient({ ...clones[0], endpoints: listed.endpoints }), channel).catch(() => []);
        if (texts.length || Date.now() > deadline) break;
        await Bun.sleep(500);
      }
      expect(texts).toContain('before the service was removed');
      expect((await asym(['doctor', '--json'], denv)).json.findings.filter((f: any) => f.target !== theirs)).toEqual([]);
    } finally {
      docker(swarm!.manager.host, ['service', 'rm', ours, theirs]);
    }
  }, 150_000);

  test('destroy removes every stack; doctor on the control plane finds nothing left on the cluster', async () => {
    for (const id of ids) expect((await h!.run(key, ['destroy', id, '--yes', '--json'])).json).toEqual({ id, destroyed: true });
    expect((await h!.run(key, ['ls', '--json'])).json).toEqual([]);
    const left = docker(swarm!.manager.host, ['service', 'ls', '--filter', 'label=asym.clone', '--format', '{{.Name}} {{json .}}']);
    // Only the cluster infra (asym.clone=__infra__) stays.
    expect(left.split('\n').filter((l) => l && !l.startsWith('asym-infra_'))).toEqual([]);
    const doctor = await asym(['doctor', '--json'], { ASYM_HOME: h!.home, ASYM_REMOTE: '', ASYM_ENGINE: 'swarm', ...env });
    if (doctor.code !== 0) console.log(doctor.stdout, doctor.stderr);
    expect(doctor.json.findings).toEqual([]);
    expect(doctor.json.checks.find((x: any) => x.name === 'swarm')).toMatchObject({ ok: true });
  }, 120_000);
});
