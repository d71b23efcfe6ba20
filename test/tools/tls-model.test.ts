import { expect, test } from 'bun:test';
import { cloneModel, TLS_MOUNT } from '../../src/docker/compose-model.ts';
import { readEnv } from '../../templates/_kit/env.ts';
import type { TemplateManifest } from '../../src/contract/manifest.ts';
import { sampleRecord } from '../support/records.ts';

const manifest: TemplateManifest = {
  name: 'github',
  realProduct: 'github',
  version: '0.1.0',
  description: 'x',
  modes: [{ name: 'api', services: ['api'] }],
  services: { api: { image: 'ghcr.io/a/b:latest', port: 8080, endpoint: 'api', health: '/__asym/health' } },
  database: { migrations: 'migrations' },
  redis: { prefix: 'github' },
  seed: { fixtures: 'fixtures', ai: { entities: ['users'], defaultModel: 'm' } },
};

test('a --tls clone: its cert dir mounted read-only, the kit told where, the public URL https', () => {
  const record = sampleRecord('tls-a', { ports: { api: 41001 }, tls: true });
  const m = cloneModel({ record, manifest, images: { api: 'img:1' }, network: 'n', databaseUrl: 'postgres://x', redisUrl: 'redis://y', adminSecret: 's', tlsDir: '/h/clones/tls-a/tls' });
  const api = m.services.api!;
  expect(api.volumes).toEqual([`/h/clones/tls-a/tls:${TLS_MOUNT}:ro`]);
  expect(api.environment).toMatchObject({ ASYM_TLS_CERT: `${TLS_MOUNT}/cert.pem`, ASYM_TLS_KEY: `${TLS_MOUNT}/key.pem`, ASYM_PUBLIC_URL: 'https://127.0.0.1:41001' });
  // And the kit reads them back into its env.
  expect(readEnv('/app/github/src/server.ts', api.environment).tls).toEqual({ cert: `${TLS_MOUNT}/cert.pem`, key: `${TLS_MOUNT}/key.pem` });
});

test('a plain clone has no mount and no TLS variables', () => {
  const record = sampleRecord('tls-b', { ports: { api: 41002 } });
  const api = cloneModel({ record, manifest, images: { api: 'img:1' }, network: 'n', databaseUrl: 'postgres://x', redisUrl: '', adminSecret: 's' }).services.api!;
  expect(api.volumes).toBeUndefined();
  expect(api.environment?.ASYM_TLS_CERT).toBeUndefined();
  expect(readEnv('/app/github/src/server.ts', api.environment).tls).toBeUndefined();
});
