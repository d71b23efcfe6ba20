/**
 * The Swarm engine (ASYM_ENGINE=swarm, `asym serve --engine swarm`): the same clones, placed
 * by Docker Swarm instead of Compose. The Docker CLI talks to a swarm manager (DOCKER_HOST).
 *
 * - A clone is a stack (`docker stack deploy`) made from the same compose model as a local
 *   clone (cloneModel), translated here: service and container labels (asym.clone, asym.home),
 *   `deploy` (one replica, restart on any exit, placement left to Swarm), long-form published
 *   ports. Its services join the cluster's overlay network (attachable, labelled infra).
 * - The infra is one stack too: one Postgres and one Redis per cluster, pinned to a manager
 *   (their volumes are that node's), published on fixed ports the control plane reaches at
 *   the manager's address. Reset, snapshot and restore stay server-side SQL on that Postgres.
 * - Routing (ASYM_SWARM_ROUTING): `mesh` (default) publishes through the ingress routing mesh
 *   (any node's address reaches any clone) with VIP service discovery; `host` publishes on the
 *   node that runs the task and resolves services by DNS round robin (endpoint_mode dnsrr),
 *   for kernels without IPVS (CONFIG_IP_VS), where the mesh and VIPs cannot work. In `host`
 *   routing a clone's endpoints are at the address of the node its API task runs on, found
 *   after placement and again whenever status or start looks (a rescheduled clone moves).
 *
 * This module is selected per process by ASYM_ENGINE; compose.ts, infra.ts, steps.ts,
 * clone-resources.ts and logs.ts hand over to it when swarmEngine() is true.
 */
import { AsymmetricError } from '../contract/errors.ts';
import type { CloneRecord } from '../contract/clone.ts';
import type { ComposeModel, ComposeService } from './compose-model.ts';
import { CLONE_LABEL, HOME_LABEL, INFRA_LABEL_VALUE } from './labels.ts';
import { docker, lastLines } from './spawn.ts';
import type { PsEntry } from './compose.ts';

export function swarmEngine(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.ASYM_ENGINE?.trim() === 'swarm';
}

export type SwarmRouting = 'mesh' | 'host';

export function swarmRouting(env: NodeJS.ProcessEnv = process.env): SwarmRouting {
  const r = env.ASYM_SWARM_ROUTING?.trim() || 'mesh';
  if (r !== 'mesh' && r !== 'host') throw new AsymmetricError('INVALID_INPUT', `ASYM_SWARM_ROUTING=${r} is not mesh or host`);
  return r;
}

/** The ports the cluster's Postgres and Redis are published on (fixed: one infra per cluster). */
export function swarmInfraPorts(env: NodeJS.ProcessEnv = process.env): { pg: number; redis: number } {
  return { pg: Number(env.ASYM_SWARM_PG_PORT || 15432), redis: Number(env.ASYM_SWARM_REDIS_PORT || 16379) };
}

interface SwarmInfo {
  nodeAddr: string;
  nodeId: string;
  manager: boolean;
}

let info: Promise<SwarmInfo> | undefined;

/** The manager this CLI talks to: it must be an active swarm manager. */
export function swarmInfo(): Promise<SwarmInfo> {
  info ??= (async () => {
    const res = await docker(['info', '--format', '{{json .Swarm}}'], { allowFailure: true });
    const s = res.code === 0 ? (JSON.parse(res.stdout || '{}') as { LocalNodeState?: string; NodeAddr?: string; NodeID?: string; ControlAvailable?: boolean }) : {};
    if (s.LocalNodeState !== 'active' || !s.ControlAvailable) {
      info = undefined;
      throw new AsymmetricError('NOT_SUPPORTED', `ASYM_ENGINE=swarm needs a swarm manager; the engine at ${process.env.DOCKER_HOST || 'the default socket'} is ${s.LocalNodeState ?? 'not answering'}${s.LocalNodeState === 'active' ? ' (a worker)' : ''}`, {
        hint: 'point DOCKER_HOST at a manager (docker swarm init makes one)',
      });
    }
    return { nodeAddr: s.NodeAddr ?? '127.0.0.1', nodeId: s.NodeID ?? '', manager: true };
  })();
  return info;
}

/** Where the control plane (and, in mesh routing, everyone) reaches the cluster's published ports. */
export async function clusterHost(): Promise<string> {
  return process.env.ASYM_SWARM_HOST?.trim() || (await swarmInfo()).nodeAddr;
}

type StackService = Record<string, unknown>;

/**
 * A compose model (local form) as a stack file: what Swarm does not take is left out
 * (restart: deploy.restart_policy instead; shm_size, extra_hosts' host-gateway, host-IP
 * port bindings), labels go on the service and its containers, ports in long form.
 */
export function stackModel(model: ComposeModel, opts: { routing: SwarmRouting; placement?: string[]; attachable?: boolean }): Record<string, unknown> {
  const services: Record<string, StackService> = {};
  for (const [name, svc] of Object.entries(model.services)) services[name] = stackService(svc, opts);
  const networks: Record<string, unknown> = {};
  for (const [k, n] of Object.entries(model.networks)) {
    networks[k] = n.external ? { name: n.name, external: true } : { name: n.name, driver: 'overlay', attachable: opts.attachable ?? true, labels: n.labels ?? {} };
  }
  return { version: '3.8', services, networks, ...(model.volumes ? { volumes: model.volumes } : {}) };
}

function stackService(svc: ComposeService, opts: { routing: SwarmRouting; placement?: string[] }): StackService {
  const ports = (svc.ports ?? []).map((p) => {
    const parts = p.split(':');
    const target = Number(parts.at(-1));
    const published = parts.length >= 2 && parts.at(-2) ? Number(parts.at(-2)) : undefined;
    return { target, ...(published ? { published } : {}), protocol: 'tcp', mode: opts.routing === 'host' ? 'host' : 'ingress' };
  });
  return {
    image: svc.image,
    ...(svc.command ? { command: svc.command } : {}),
    ...(svc.environment ? { environment: svc.environment } : {}),
    ...(ports.length ? { ports } : {}),
    labels: svc.labels,
    networks: svc.networks,
    ...(svc.volumes ? { volumes: svc.volumes } : {}),
    ...(svc.healthcheck ? { healthcheck: svc.healthcheck } : {}),
    ...(svc.stop_grace_period ? { stop_grace_period: svc.stop_grace_period } : {}),
    deploy: {
      replicas: 1,
      labels: svc.labels,
      endpoint_mode: opts.routing === 'host' ? 'dnsrr' : 'vip',
      restart_policy: { condition: 'any', delay: '1s' },
      update_config: { order: 'stop-first' },
      ...(opts.placement ? { placement: { constraints: opts.placement } } : {}),
    },
  };
}

/** Deploy (or update) a stack from its file; images by local tag, never resolved on a registry. */
export async function stackDeploy(project: string, file: string): Promise<void> {
  const res = await docker(['stack', 'deploy', '--resolve-image', 'never', '--prune', '-c', file, project], { allowFailure: true });
  if (res.code !== 0) {
    throw new AsymmetricError('DOCKER_FAILED', `docker stack deploy for ${project} failed: ${lastLines(res.stderr || res.stdout, 8)}`, { details: { project } });
  }
}

interface ServiceInfo {
  name: string;
  service: string;
  running: number;
  desired: number;
  labels: Record<string, string>;
}

/** The stack's services with running/desired task counts (from `docker stack services`). */
export async function stackServices(project: string): Promise<ServiceInfo[]> {
  const res = await docker(['service', 'ls', '--filter', `label=com.docker.stack.namespace=${project}`, '--format', '{{.Name}}\t{{.Replicas}}'], { allowFailure: true });
  if (res.code !== 0) return [];
  const rows = res.stdout.split('\n').filter(Boolean).map((l) => l.split('\t'));
  if (!rows.length) return [];
  const labels = await serviceLabels(rows.map((r) => r[0]!));
  return rows.map(([name, replicas]) => {
    const [running, desired] = (replicas ?? '0/0').split(' ')[0]!.split('/').map(Number);
    return { name: name!, service: name!.slice(project.length + 1), running: running ?? 0, desired: desired ?? 0, labels: labels.get(name!) ?? {} };
  });
}

async function serviceLabels(names: string[]): Promise<Map<string, Record<string, string>>> {
  const out = new Map<string, Record<string, string>>();
  if (!names.length) return out;
  const res = await docker(['service', 'inspect', '--format', '{{.Spec.Name}}\t{{json .Spec.Labels}}', ...names], { allowFailure: true });
  for (const l of res.stdout.split('\n').filter(Boolean)) {
    const [name, json] = l.split('\t');
    out.set(name!, JSON.parse(json || '{}') ?? {});
  }
  return out;
}

/**
 * The stack as `compose ps` would show it: a service with all its tasks running is
 * `running`; one that wants a task but has none running yet (starting, or being rescheduled
 * off a lost node) is `created`; one scaled to zero (a stopped clone) is `exited`.
 */
export async function stackPs(project: string): Promise<PsEntry[]> {
  return (await stackServices(project)).map((s) => ({
    Name: s.name,
    Service: s.service,
    State: s.desired === 0 ? 'exited' : s.running >= s.desired ? 'running' : 'created',
    Health: '',
    Labels: Object.entries(s.labels).map(([k, v]) => `${k}=${v}`).join(','),
    Publishers: null,
  }));
}

/** Stop: every service of the stack scaled to zero (the stack file stays; deploy brings it back). */
export async function stackStop(project: string): Promise<void> {
  const services = await stackServices(project);
  if (!services.length) throw new AsymmetricError('DOCKER_FAILED', `stack ${project} has no services`);
  await docker(['service', 'scale', '--detach=false', ...services.map((s) => `${s.name}=0`)]);
}

/**
 * `docker stack rm`, after checking that every service in the stack carries this home's
 * stamp: a stack name never reaches the infra or another home's clone (NOT_OWNED).
 */
export async function stackRemoveOwned(project: string, infraProject: string, homeId: string): Promise<void> {
  if (project === infraProject) throw new AsymmetricError('NOT_OWNED', `refusing to remove stack ${project}: it is the shared infra`);
  const services = await stackServices(project);
  const foreign = services.filter((s) => s.labels[HOME_LABEL] !== homeId);
  if (foreign.length) {
    throw new AsymmetricError('NOT_OWNED', `stack ${project} has services of another asym home (${foreign.map((f) => f.name).join(', ')}); they were left alone`, {
      hint: 'nothing was removed; asym only removes what carries its own stamp',
    });
  }
  if (services.length) await docker(['stack', 'rm', project], { allowFailure: true });
}

/** The address of the node running the service's task, once one runs (host routing). */
export async function taskNodeAddr(serviceName: string, withinMs: number): Promise<string | null> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const res = await docker(['service', 'ps', serviceName, '--filter', 'desired-state=running', '--format', '{{.Node}}\t{{.CurrentState}}'], { allowFailure: true });
    // A task on a node that went down still reads Running (its last report): only a ready node counts.
    for (const [node, state] of res.stdout.split('\n').map((l) => l.split('\t'))) {
      if (!node || !state?.startsWith('Running')) continue;
      const [status, addr] = (await docker(['node', 'inspect', node, '--format', '{{.Status.State}} {{.Status.Addr}}'], { allowFailure: true })).stdout.trim().split(' ');
      if (status === 'ready' && addr) return addr;
    }
    if (Date.now() >= deadline) return null;
    await Bun.sleep(100);
  }
}

/** Swarm's view of every resource this home labelled: services (with task counts), networks, volumes on the manager. */
export async function labelledServices(homeId: string): Promise<{ name: string; clone: string; state: string }[]> {
  const res = await docker(['service', 'ls', '--filter', `label=${HOME_LABEL}=${homeId}`, '--format', '{{.Name}}\t{{.Replicas}}'], { allowFailure: true });
  const rows = res.stdout.split('\n').filter(Boolean).map((l) => l.split('\t'));
  const labels = await serviceLabels(rows.map((r) => r[0]!));
  return rows.map(([name, replicas]) => {
    const [running, desired] = (replicas ?? '0/0').split(' ')[0]!.split('/').map(Number);
    return { name: name!, clone: labels.get(name!)?.[CLONE_LABEL] ?? '', state: desired === 0 ? 'exited' : (running ?? 0) >= (desired ?? 1) ? 'running' : 'pending' };
  });
}

export const SWARM_INFRA_LABELS = { [CLONE_LABEL]: INFRA_LABEL_VALUE };

/** A clone's record carries where its endpoints are (the cluster's address, or its API node's). */
export function recordHost(record: Pick<CloneRecord, 'host'>): string {
  return record.host ?? '127.0.0.1';
}
