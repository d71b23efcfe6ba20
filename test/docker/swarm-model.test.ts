/**
 * The Swarm engine's stack file is the compose model translated (pure; no Docker): what
 * Swarm does not take is left out, labels go on the service and its containers, ports in
 * long form with the routing's publish mode, one replica restarted on any exit.
 */
import { describe, expect, test } from 'bun:test';
import { cloneModel, infraModel, publicUrl } from '../../src/docker/compose-model.ts';
import { composeLogsArgs, parseLogLine } from '../../src/docker/logs.ts';
import { isPortConflict } from '../../src/docker/plan.ts';
import { stackModel, swarmEngine, swarmRouting } from '../../src/docker/swarm.ts';
import { AsymmetricError } from '../../src/contract/errors.ts';
import type { TemplateManifest } from '../../src/contract/manifest.ts';
import { sampleRecord } from '../support/records.ts';

const manifest: TemplateManifest = {
  name: 'slack',
  realProduct: 'slack',
  version: '0.1.0',
  description: 'x',
  modes: [{ name: 'api', services: ['api'] }],
  services: { api: { image: 'img', port: 8080, endpoint: 'api', health: '/__asym/health' } },
  database: { migrations: 'migrations' },
  redis: { prefix: 'slack' },
  seed: { fixtures: 'fixtures', ai: { entities: ['users'], defaultModel: 'm' } },
};

describe('swarm stack model', () => {
  const record = { ...sampleRecord('sw-a', { ports: { api: 41001 } }), host: '10.0.0.7' };
  const model = cloneModel({ record, manifest, images: { api: 'img:1' }, network: 'asym-infra', databaseUrl: 'postgres://x', redisUrl: 'redis://y', adminSecret: 's', homeId: 'abc' });

  test('a clone: labels on service and containers, long-form ports, no compose-only keys, the external overlay network', () => {
    const stack = stackModel(model, { routing: 'mesh' }) as any;
    const api = stack.services.api;
    expect(api.ports).toEqual([{ target: 8080, published: 41001, protocol: 'tcp', mode: 'ingress' }]);
    expect(api.labels).toMatchObject({ 'asym.clone': 'sw-a', 'asym.home': 'abc' });
    expect(api.deploy).toMatchObject({ replicas: 1, labels: { 'asym.clone': 'sw-a', 'asym.home': 'abc' }, endpoint_mode: 'vip', restart_policy: { condition: 'any' } });
    for (const k of ['restart', 'extra_hosts', 'shm_size']) expect(api[k]).toBeUndefined();
    expect(stack.networks.infra).toEqual({ name: 'asym-infra', external: true });
    // The clone's own public URL is at the record's host, not this machine's loopback.
    expect(api.environment.ASYM_PUBLIC_URL).toBe('http://10.0.0.7:41001');
  });

  test('host routing: ports on the task\'s node, services by DNS round robin (no IPVS needed)', () => {
    const api = (stackModel(model, { routing: 'host' }) as any).services.api;
    expect(api.ports[0].mode).toBe('host');
    expect(api.deploy.endpoint_mode).toBe('dnsrr');
  });

  test('the infra: an attachable overlay network, pinned placement, its volumes kept', () => {
    const infra = infraModel({ project: 'asym-infra', network: 'asym-infra', postgresImage: 'pg', redisImage: 'rd', password: 'p' });
    infra.services.postgres!.ports = ['15432:5432'];
    const stack = stackModel(infra, { routing: 'mesh', placement: ['node.id == N1'] }) as any;
    expect(stack.networks.infra).toMatchObject({ name: 'asym-infra', driver: 'overlay', attachable: true, labels: { 'asym.clone': '__infra__' } });
    expect(stack.services.postgres.deploy.placement).toEqual({ constraints: ['node.id == N1'] });
    expect(stack.services.postgres.ports).toEqual([{ target: 5432, published: 15432, protocol: 'tcp', mode: 'ingress' }]);
    expect(stack.volumes.pgdata.name).toBe('asym-infra-pgdata');
  });

  test('engine, routing and endpoints are chosen by the environment; loopback stays the default', () => {
    expect(swarmEngine({ ASYM_ENGINE: 'swarm' })).toBe(true);
    expect(swarmEngine({})).toBe(false);
    expect(swarmRouting({})).toBe('mesh');
    expect(() => swarmRouting({ ASYM_SWARM_ROUTING: 'other' })).toThrow('not mesh or host');
    expect(publicUrl(41001)).toBe('http://127.0.0.1:41001');
    expect(publicUrl(41001, true, '10.0.0.7')).toBe('https://10.0.0.7:41001');
  });

  test('a published port another service holds is a port conflict (retried with other ports)', () => {
    expect(isPortConflict(new AsymmetricError('DOCKER_FAILED', "port '41001' is already in use by service 'x_api' (abc) as an ingress port"))).toBe(true);
  });

  test('service logs: one service of the stack, its lines named by service', () => {
    const prev = process.env.ASYM_ENGINE;
    process.env.ASYM_ENGINE = 'swarm';
    try {
      expect(composeLogsArgs('asym-1-p', { tail: 5, service: 'api' })).toEqual(['service', 'logs', '--no-task-ids', '--timestamps', '--tail', '5', 'asym-1-p_api']);
    } finally {
      if (prev === undefined) delete process.env.ASYM_ENGINE;
      else process.env.ASYM_ENGINE = prev;
    }
    expect(parseLogLine('asym-1-p_api.1@node1    | 2026-12-03T10:00:00.000Z hello', 'stdout', 'x')).toEqual({ service: 'api', stream: 'stdout', timestamp: '2026-12-03T10:00:00.000Z', text: 'hello' });
  });
});
