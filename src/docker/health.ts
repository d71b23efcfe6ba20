/**
 * Health of a clone's services, read from the host: the API through its admin client, other
 * services (a web view) on their own health path, and Docker's view of the containers. Used
 * while a spin, start or upgrade waits, and by `status`.
 */
import { AsymmetricError } from '../contract/errors.ts';
import type { CloneRecord } from '../contract/clone.ts';
import type { CloneStatus, ServiceStatus } from '../contract/status.ts';
import type { CloneState } from '../contract/state.ts';
import type { AdminClient } from '../admin/client.ts';
import { healthTimeoutMs } from '../config.ts';
import { sleepInterruptible } from '../process/interrupt.ts';
import type { Template } from '../templates/catalog.ts';
import { publicUrl, servicesForMode } from './compose-model.ts';
import { composePs, type PsEntry } from './compose.ts';
import { apiService, now } from './plan.ts';
import { docker, lastLines } from './spawn.ts';
import { swarmEngine } from './swarm.ts';

/** Poll the health endpoints on the host ports; fail fast if a container exits. */
export async function waitHealthy(record: CloneRecord, t: Template, admin: AdminClient): Promise<void> {
  const deadline = Date.now() + healthTimeoutMs();
  // Services other than the API (e.g. Slack's web view) are probed on their own health path.
  const apiSvc = apiService(t, record.mode);
  const others = servicesForMode(t.manifest, record.mode).filter((n) => n !== apiSvc && t.manifest.services[n]!.health && record.ports[n]);
  let lastPs = 0;
  while (Date.now() < deadline) {
    if ((await admin.health(500)) && (await Promise.all(others.map((n) => probeService(record, t, n, 500)))).every(Boolean)) return;
    if (Date.now() - lastPs > 1000) {
      lastPs = Date.now();
      const ps = await composePs(record.composeProject);
      const dead = ps.find((p) => p.State === 'exited' || p.State === 'dead');
      if (dead) throw await unhealthyError(record, dead.Service, `service ${dead.Service} exited`);
    }
    await sleepInterruptible(25);
  }
  const slow = [];
  for (const n of others) if (!(await probeService(record, t, n, 500))) slow.push(n);
  throw await unhealthyError(record, (await admin.health(500)) && slow[0] ? slow[0] : (apiSvc ?? 'api'), `not healthy within ${healthTimeoutMs() / 1000}s`);
}

/** UNHEALTHY with the failing service's last log lines. */
export async function unhealthyError(record: CloneRecord, service: string, why: string): Promise<AsymmetricError> {
  const logs = await docker(swarmEngine() ? ['service', 'logs', '--no-task-ids', '--tail', '40', `${record.composeProject}_${service}`] : ['compose', '-p', record.composeProject, 'logs', '--no-color', '--tail', '40', service], { allowFailure: true });
  const text = lastLines(logs.stdout + logs.stderr, 40);
  return new AsymmetricError('UNHEALTHY', `clone ${record.id}: ${why}`, {
    hint: 'the service’s recent logs are below; the clone was cleaned up',
    details: { service, logs: text },
  });
}

/** A service's own health path on its host port (the API is probed through its admin client). */
export async function probeService(record: CloneRecord, t: Template, name: string, timeoutMs: number): Promise<boolean> {
  const port = record.ports[name];
  const path = t.manifest.services[name]?.health;
  if (!port || !path) return false;
  try {
    const res = await fetch(`${publicUrl(port, false, record.host)}${path}`, { signal: AbortSignal.timeout(timeoutMs) });
    await res.body?.cancel();
    return res.ok;
  } catch {
    return false;
  }
}

/** Every service of the clone's mode has a running container. */
export async function containersUp(record: CloneRecord, t: Template): Promise<boolean> {
  const ps = await composePs(record.composeProject);
  return servicesForMode(t.manifest, record.mode).every((n) => ps.some((p) => p.Service === n && p.State === 'running'));
}

/**
 * Live status: each service's container and probe, and the state the record should move to
 * (`gone` when every container is missing, `unhealthy` ⇄ `running` as probes say). The
 * caller writes the state back; `gone` is reported, never stored.
 */
export async function liveStatus(record: CloneRecord, t: Template, admin: () => AdminClient): Promise<CloneStatus> {
  const ps = await composePs(record.composeProject);
  const names = servicesForMode(t.manifest, record.mode);
  const apiSvc = apiService(t, record.mode);
  const probe = record.adminSecret && apiSvc && ps.some((p) => p.Service === apiSvc && p.State === 'running') ? await admin().health(1000) : false;
  const running = (name: string) => ps.some((p) => p.Service === name && p.State === 'running');
  const probes = await Promise.all(names.map((name) => (name === apiSvc ? probe : running(name) && t.manifest.services[name]!.health ? probeService(record, t, name, 1000) : undefined)));
  const services: ServiceStatus[] = names.map((name, i) => serviceStatus(name, ps.find((p) => p.Service === name), record.ports[name] ?? null, probes[i]));
  const healthy = services.length > 0 && services.every((s) => s.healthy);
  let state: CloneState = record.state;
  if ((record.state === 'running' || record.state === 'unhealthy' || record.state === 'stopped') && services.every((s) => s.state === 'missing')) {
    state = 'gone';
  } else if (record.state === 'running' && !healthy) {
    state = 'unhealthy';
  } else if (record.state === 'unhealthy' && healthy) {
    state = 'running';
  }
  return { id: record.id, state, healthy, services, checkedAt: now() };
}

function serviceStatus(name: string, entry: PsEntry | undefined, port: number | null, probe: boolean | undefined): ServiceStatus {
  if (!entry) return { name, state: 'missing', port, healthy: false };
  if (entry.State !== 'running') return { name, state: 'exited', port, healthy: false };
  // Our own probe is fresher than Docker's health status, which lags by an interval.
  if (probe !== undefined) return { name, state: probe || entry.Health !== 'unhealthy' ? 'running' : 'unhealthy', port, healthy: probe };
  if (entry.Health === 'unhealthy') return { name, state: 'unhealthy', port, healthy: false };
  return { name, state: 'running', port, healthy: entry.Health === 'healthy' || entry.Health === '' };
}
