import { describe, expect, test } from 'bun:test';
import { cloneModel, infraModel } from '../../src/docker/compose-model.ts';
import { parseLogLine, composeLogsArgs } from '../../src/docker/logs.ts';
import { parseJsonLines } from '../../src/docker/engine.ts';
import { allocatePorts, portFree } from '../../src/docker/ports.ts';
import { CLONE_PROJECT, composeProjectName, databaseName, namesOf, redisPrefixFor } from '../../src/docker/names.ts';
import type { TemplateManifest } from '../../src/contract/manifest.ts';
import { sampleRecord } from '../support/records.ts';

const manifest: TemplateManifest = {
  name: 'slack',
  realProduct: 'slack',
  version: '0.1.0',
  description: 'x',
  modes: [{ name: 'api', services: ['api'] }, { name: 'full', services: ['api', 'web'] }],
  services: {
    api: { image: 'ghcr.io/a/b:latest', port: 8080, endpoint: 'api', health: '/__asym/health' },
    web: { build: { dockerfile: 'slack/web/Dockerfile' }, port: 3000, endpoint: 'web', optional: true },
  },
  database: { migrations: 'migrations' },
  redis: { prefix: 'slack' },
  seed: { fixtures: 'fixtures', ai: { entities: ['users'], defaultModel: 'm' } },
};

describe('compose models', () => {
  test('a clone: only its mode’s services, labelled, on 127.0.0.1, joined to the infra network', () => {
    const record = sampleRecord('model-a', { ports: { api: 41001 } });
    const m = cloneModel({ record, manifest, images: { api: 'img:1' }, network: 'asym-infra', databaseUrl: 'postgres://x', redisUrl: 'redis://y', adminSecret: 's' });
    expect(Object.keys(m.services)).toEqual(['api']);
    const api = m.services.api!;
    expect(api.labels['asym.clone']).toBe('model-a');
    expect(api.ports).toEqual(['127.0.0.1:41001:8080']);
    expect(api.environment).toMatchObject({ PORT: '8080', REDIS_PREFIX: 'asym:model-a:', ASYM_PUBLIC_URL: 'http://127.0.0.1:41001', ASYM_ADMIN_SECRET: 's' });
    expect(m.networks.infra).toEqual({ name: 'asym-infra', external: true });
    expect(m.name).toBe('asym-model-a');
  });

  test('clone services run no Docker exec health check (asym probes over HTTP; an idle clone costs nothing)', () => {
    const record = sampleRecord('model-h', { mode: 'full', ports: { api: 41004, web: 41005 } });
    const m = cloneModel({ record, manifest, images: { api: 'a', web: 'w' }, network: 'n', databaseUrl: '', redisUrl: '', adminSecret: '' });
    // disable (not just omitted): the images' own HEALTHCHECK must be switched off too.
    for (const s of Object.values(m.services)) expect(s.healthcheck).toEqual({ disable: true });
  });

  test('expose binds on all interfaces; full mode adds the optional service', () => {
    const record = sampleRecord('model-b', { mode: 'full', expose: true, ports: { api: 41002, web: 41003 } });
    const m = cloneModel({ record, manifest, images: { api: 'a', web: 'w' }, network: 'n', databaseUrl: '', redisUrl: '', adminSecret: '' });
    expect(Object.keys(m.services)).toEqual(['api', 'web']);
    expect(m.services.web!.ports).toEqual(['0.0.0.0:41003:3000']);
    // Each service has an alias unique to its clone on the shared network, and every service
    // is told where the clone's API is inside it.
    expect(m.services.api!.networks).toEqual({ infra: { aliases: ['asym-model-b-api'] } });
    expect(m.services.web!.environment!.ASYM_API_URL).toBe('http://asym-model-b-api:8080');
  });

  test('the infra: every service, network and volume labelled with the reserved value', () => {
    const m = infraModel({ project: 'asym-infra', network: 'asym-infra', postgresImage: 'pg', redisImage: 'r', password: 'p' });
    for (const s of Object.values(m.services)) expect(s.labels['asym.clone']).toBe('__infra__');
    for (const n of Object.values(m.networks)) expect(n.labels?.['asym.clone']).toBe('__infra__');
    for (const vol of Object.values(m.volumes ?? {})) expect(vol.labels['asym.clone']).toBe('__infra__');
    expect(m.services.postgres!.ports).toEqual(['127.0.0.1::5432']);
    // Idle costs nothing: no exec probes; the CLI probes on demand (infra.ts).
    for (const s of Object.values(m.services)) expect(s.healthcheck).toEqual({ disable: true });
  });
});

describe('docker output parsing', () => {
  test('compose ps JSON: an array (old Compose) or one object per line (2.21+)', () => {
    const a = { Name: 'x', Service: 'api', State: 'running', Health: '' };
    expect(parseJsonLines(JSON.stringify([a, a]))).toHaveLength(2);
    expect(parseJsonLines(`${JSON.stringify(a)}\n${JSON.stringify(a)}\n`)).toHaveLength(2);
    expect(parseJsonLines('')).toEqual([]);
  });
  test('compose log lines', () => {
    expect(parseLogLine('api-1  | 2026-11-25T10:00:00.123456789Z POST /api/chat.postMessage 200', 'stdout', 'x')).toEqual({
      service: 'api', stream: 'stdout', timestamp: '2026-11-25T10:00:00.123456789Z', text: 'POST /api/chat.postMessage 200',
    });
    expect(parseLogLine('\x1b[2Kapi-1  | 2026-11-25T10:00:00Z hi', 'stdout', 'x')?.service).toBe('api');
    expect(parseLogLine('garbage', 'stderr', 'api')).toEqual({ service: 'api', stream: 'stderr', timestamp: null, text: 'garbage' });
    expect(composeLogsArgs('p', { follow: true, tail: 5, since: '10m', service: 'api' })).toEqual(['compose', '-p', 'p', 'logs', '--no-color', '--timestamps', '--follow', '--tail', '5', '--since', '10m', 'api']);
  });
});

describe('names and ports', () => {
  const rec = (id: string, home = '/h/one') => ({ id, database: databaseName(id, home), redisPrefix: redisPrefixFor(id, home) });
  const every = (id: string, home?: string) => {
    const n = namesOf(rec(id, home));
    return [n.database, n.pristine, n.incoming(n.database), n.outgoing(n.database), n.incoming(n.pristine), n.snapshotDb('before'), n.snapshotDb('x'.repeat(63))];
  };
  test('every database a clone owns is recognisable from its record, and only its', () => {
    const n = namesOf(rec('my-clone'));
    for (const db of every('my-clone')) expect(n.ownsDatabase(db)).toBe(true);
    for (const db of every('my-clone')) expect(db.length).toBeLessThanOrEqual(63);
    for (const db of every('a'.repeat(40))) expect(db.length).toBeLessThanOrEqual(63);
    expect(n.ownsDatabase(databaseName('my-clone-2', '/h/one'))).toBe(false);
  });
  test('names are injective in (home, id): `--` in a name never aliases another clone', () => {
    // Before: destroying `agent` dropped `agent--v2`'s database, and `o--pristine` was `o`'s pristine copy.
    const ids = ['agent', 'agent--v2', 'o', 'o--pristine', 'o--p', 'p-o', 'a-b', 'a--b', 'ab'];
    const homes = ['/h/one', '/h/two'];
    const all = homes.flatMap((h) => ids.flatMap((id) => every(id, h)));
    expect(new Set(all).size).toBe(all.length);
    for (const h of homes) {
      for (const a of ids) for (const b of ids) {
        if (a === b) continue;
        for (const db of every(b, h)) expect(namesOf(rec(a, h)).ownsDatabase(db)).toBe(false);
        expect(redisPrefixFor(b, h).startsWith(redisPrefixFor(a, h))).toBe(false);
        expect(composeProjectName(a, h)).not.toBe(composeProjectName(b, h));
      }
    }
    expect(composeProjectName('x', '/h/one')).not.toBe(composeProjectName('x', '/h/two'));
    expect(databaseName('x', '/h/one')).not.toBe(databaseName('x', '/h/two'));
  });
  test('no clone name reaches the infra project', () => {
    for (const id of ['infra', 'x', 'asym-infra']) {
      expect(composeProjectName(id)).not.toBe('asym-infra');
      expect(CLONE_PROJECT.test(composeProjectName(id))).toBe(true);
    }
    expect(CLONE_PROJECT.test('asym-infra')).toBe(false);
  });
  test('allocation skips taken and busy ports and fails with a named error when the range is full', () => {
    // The bind probe is injected: which ports are busy on a CI machine is not ours to know.
    const busy = new Set([44102]);
    const probe = (port: number) => !busy.has(port);
    const a = allocatePorts(['api', 'web'], { from: 44100, to: 44103 }, new Set([44101]), false, probe);
    expect(new Set(Object.values(a)).size).toBe(2);
    expect(Object.values(a).sort()).toEqual([44100, 44103]);
    expect(() => allocatePorts(['api'], { from: 44100, to: 44100 }, new Set([44100]), false, probe)).toThrow(/no free port/);
    try {
      allocatePorts(['api'], { from: 44102, to: 44102 }, new Set(), false, probe);
      throw new Error('expected PORTS_EXHAUSTED');
    } catch (e) {
      expect((e as { code?: string }).code).toBe('PORTS_EXHAUSTED');
    }
  });
  test('the real bind probe sees a port something else listens on', () => {
    // Port 0: the kernel picks a port that is free right now, so this holds on any machine.
    const blocker = Bun.listen({ hostname: '127.0.0.1', port: 0, socket: { data() {} } });
    try {
      expect(portFree(blocker.port, '127.0.0.1')).toBe(false);
      expect(() => allocatePorts(['api'], { from: blocker.port, to: blocker.port }, new Set(), false)).toThrow(/no free port/);
    } finally {
      blocker.stop(true);
    }
  });
});
