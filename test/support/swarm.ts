/**
 * A Docker Swarm of the test's own making: each node a private dockerd in a network
 * namespace of its own (own data root, exec root, containerd namespaces, socket, hostname),
 * linked to the host by a veth pair on a bridge of the test's own; the first node inits the
 * swarm, the others join it. The machine's own engine is never put into swarm mode.
 * `teardown()` removes everything it made (processes, mounts, netns, links, the iptables
 * rule, data roots) and is safe to call after any partial failure.
 *
 * Nodes run with DOCKER_SERVICE_PREFER_OFFLINE_IMAGE=1: with no registry, a task otherwise
 * tries to pull its image first (here a 20 s DNS timeout) before using the local copy.
 */
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export interface SwarmNode {
  name: string;
  addr: string;
  /** DOCKER_HOST for this node's engine. */
  host: string;
  dir: string;
}

export interface TestSwarm {
  nodes: SwarmNode[];
  /** The manager (first node). */
  manager: SwarmNode;
  /** The node's machine is gone: its dockerd and its containers' processes are killed, without warning. */
  lose(node: SwarmNode): void;
  teardown(): Promise<void>;
}

function sh(cmd: string[], opts: { env?: Record<string, string>; allowFailure?: boolean; stdin?: Blob } = {}): { code: number; out: string; err: string } {
  const r = Bun.spawnSync(cmd, { env: { ...process.env, ...opts.env }, stdout: 'pipe', stderr: 'pipe', ...(opts.stdin ? { stdin: opts.stdin } : {}) });
  const res = { code: r.exitCode ?? -1, out: r.stdout.toString(), err: r.stderr.toString() };
  if (res.code !== 0 && !opts.allowFailure) throw new Error(`${cmd.join(' ')} failed (${res.code}): ${res.err || res.out}`);
  return res;
}

async function shAsync(cmd: string[], env: Record<string, string> = {}): Promise<string> {
  const p = Bun.spawn(cmd, { env: { ...process.env, ...env }, stdout: 'pipe', stderr: 'pipe' });
  const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
  if (code !== 0) throw new Error(`${cmd.join(' ')} failed (${code}): ${err || out}`);
  return out;
}

/** What a swarm of private dockerds needs on this machine; named so a CI failure says what is missing. */
export function swarmPrerequisites(): string[] {
  const missing: string[] = [];
  for (const bin of ['ip', 'nsenter', 'unshare', 'dockerd', 'iptables']) if (sh(['sh', '-c', `command -v ${bin}`], { allowFailure: true }).code !== 0) missing.push(bin);
  if (process.getuid?.() !== 0) missing.push('root');
  return missing;
}

/** A free 10.231.X.0/24 for this swarm's bridge (another run may hold one). */
function freeSubnet(): number {
  const routes = sh(['ip', '-4', 'route'], { allowFailure: true }).out;
  for (let tries = 0; tries < 50; tries++) {
    const x = 100 + Math.floor(Math.random() * 150);
    if (!routes.includes(`10.231.${x}.`)) return x;
  }
  throw new Error('no free 10.231.X.0/24 subnet');
}

/**
 * Build a swarm of `count` nodes (1 manager, the rest workers). `images` are loaded into every
 * node from the machine's engine (docker save | docker load), as a registry would serve them.
 */
export async function makeSwarm(count: number, opts: { images?: string[]; log?: (s: string) => void } = {}): Promise<TestSwarm> {
  const log = opts.log ?? (() => {});
  const missing = swarmPrerequisites();
  if (missing.length) throw new Error(`cannot build a test swarm: missing ${missing.join(', ')}`);
  const tag = `as${Date.now().toString(36).slice(-4)}${Math.random().toString(36).slice(2, 4)}`;
  const subnet = freeSubnet();
  const bridge = `${tag}br`;
  const base = join('/tmp', `asym-swarm-${tag}`);
  const nodes: SwarmNode[] = [];
  const made = { bridge: false, rule: false, netns: [] as string[], links: [] as string[] };
  const rule = ['FORWARD', '-i', bridge, '-o', bridge, '-j', 'ACCEPT'];

  const teardown = async () => {
    for (const n of [...nodes].reverse()) {
      const pidFile = join(n.dir, 'pid');
      const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').trim()) : 0;
      if (pid > 0) {
        try {
          process.kill(pid, 'SIGTERM');
        } catch {}
        for (let i = 0; i < 100 && alive(pid); i++) await Bun.sleep(100);
        if (alive(pid)) {
          try {
            process.kill(pid, 'SIGKILL');
          } catch {}
          await Bun.sleep(300);
        }
      }
      // Containers' shims and mounts of a killed dockerd: end the shims it started, unmount what is left.
      killShims(n);
      const mounts = readFileSync('/proc/mounts', 'utf8').split('\n').map((l) => l.split(' ')[1] ?? '').filter((m) => m.startsWith(n.dir)).sort().reverse();
      for (const m of mounts) sh(['umount', '-l', m], { allowFailure: true });
    }
    for (const ns of made.netns) sh(['ip', 'netns', 'del', ns], { allowFailure: true });
    for (const l of made.links) sh(['ip', 'link', 'del', l], { allowFailure: true });
    if (made.rule) sh(['iptables', '-D', ...rule], { allowFailure: true });
    if (made.bridge) sh(['ip', 'link', 'del', bridge], { allowFailure: true });
    rmSync(base, { recursive: true, force: true });
  };

  try {
    mkdirSync(base, { recursive: true });
    sh(['ip', 'link', 'add', bridge, 'type', 'bridge']);
    made.bridge = true;
    sh(['ip', 'addr', 'add', `10.231.${subnet}.1/24`, 'dev', bridge]);
    sh(['ip', 'link', 'set', bridge, 'up']);
    // Docker's FORWARD policy is DROP, and bridged frames go through iptables here.
    sh(['iptables', '-I', ...rule]);
    made.rule = true;
    for (let i = 0; i < count; i++) {
      const name = `${tag}n${i}`;
      const dir = join(base, `n${i}`);
      const addr = `10.231.${subnet}.${i + 2}`;
      mkdirSync(join(dir, 'root'), { recursive: true });
      mkdirSync(join(dir, 'exec'), { recursive: true });
      sh(['ip', 'netns', 'add', name]);
      made.netns.push(name);
      sh(['ip', 'link', 'add', `${name}h`, 'type', 'veth', 'peer', 'name', `${name}c`]);
      made.links.push(`${name}h`);
      sh(['ip', 'link', 'set', `${name}c`, 'netns', name]);
      sh(['ip', 'link', 'set', `${name}h`, 'master', bridge]);
      sh(['ip', 'link', 'set', `${name}h`, 'up']);
      const inNs = (args: string[]) => sh(['nsenter', `--net=/var/run/netns/${name}`, ...args]);
      inNs(['ip', 'addr', 'add', `${addr}/24`, 'dev', `${name}c`]);
      inNs(['ip', 'link', 'set', `${name}c`, 'up']);
      inNs(['ip', 'link', 'set', 'lo', 'up']);
      inNs(['ip', 'route', 'add', 'default', 'via', `10.231.${subnet}.1`]);
      const sock = join(dir, 'sock');
      const node: SwarmNode = { name, addr, host: `unix://${sock}`, dir };
      nodes.push(node);
      // `ip netns exec` fails here ("Devices cgroup isn't mounted"); nsenter does not. A UTS
      // namespace of its own gives each node its own host name in `docker node ls`.
      const script = `hostname ${name}; exec dockerd --data-root ${dir}/root --exec-root ${dir}/exec --host unix://${sock} --pidfile ${dir}/pid --containerd-namespace ${name} --containerd-plugins-namespace ${name}p --bip 172.31.${i + 1}.1/24 >${dir}/log 2>&1`;
      Bun.spawn(['nsenter', `--net=/var/run/netns/${name}`, 'unshare', '--uts', 'sh', '-c', script], {
        env: { ...process.env, DOCKER_SERVICE_PREFER_OFFLINE_IMAGE: '1' },
        stdin: 'ignore',
        stdout: 'ignore',
        stderr: 'ignore',
      }).unref();
    }
    for (const n of nodes) {
      const deadline = Date.now() + 30_000;
      while (sh(['docker', '-H', n.host, 'version', '--format', '{{.Server.Version}}'], { allowFailure: true }).code !== 0) {
        if (Date.now() > deadline) throw new Error(`node ${n.name}'s dockerd did not answer: ${existsSync(join(n.dir, 'log')) ? readFileSync(join(n.dir, 'log'), 'utf8').slice(-2000) : ''}`);
        await Bun.sleep(200);
      }
    }
    const manager = nodes[0]!;
    sh(['docker', '-H', manager.host, 'swarm', 'init', '--advertise-addr', manager.addr]);
    if (nodes.length > 1) {
      const token = sh(['docker', '-H', manager.host, 'swarm', 'join-token', '-q', 'worker']).out.trim();
      for (const n of nodes.slice(1)) sh(['docker', '-H', n.host, 'swarm', 'join', '--token', token, '--advertise-addr', n.addr, `${manager.addr}:2377`]);
    }
    if (opts.images?.length) {
      const t0 = Date.now();
      // One save, streamed to every node's load at once.
      await Promise.all(nodes.map((n) => shAsync(['sh', '-c', `docker save ${opts.images!.join(' ')} | docker -H ${n.host} load -q`])));
      log(`loaded ${opts.images.length} image(s) into ${nodes.length} node(s) in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
    }
    const lose = (n: SwarmNode) => {
      // Its containers' processes first (init of each pid namespace: the rest go with it), then the engine.
      const ids = sh(['docker', '-H', n.host, 'ps', '-q'], { allowFailure: true }).out.split('\n').filter(Boolean);
      const pids = ids.length ? sh(['docker', '-H', n.host, 'inspect', '--format', '{{.State.Pid}}', ...ids], { allowFailure: true }).out.split('\n').map(Number).filter((x) => x > 0) : [];
      for (const p of pids) {
        try {
          process.kill(p, 'SIGKILL');
        } catch {}
      }
      killShims(n);
    };
    return { nodes, manager, lose, teardown };
  } catch (e) {
    await teardown();
    throw e;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Every process of a node: its dockerd, the containerd it started and their shims (each named
 * by the node's directory), and the shims' children (a container's init outlives its shim).
 */
function killShims(n: SwarmNode): void {
  const own = sh(['pgrep', '-f', n.dir], { allowFailure: true }).out.split('\n').filter(Boolean).map(Number);
  const children = own.flatMap((p) => sh(['pgrep', '-P', String(p)], { allowFailure: true }).out.split('\n').filter(Boolean).map(Number));
  for (const s of [...children, ...own]) {
    if (s === process.pid) continue;
    try {
      process.kill(s, 'SIGKILL');
    } catch {}
  }
}
