/** Every contract shape survives JSON (what the registry and --json output do) unchanged. */
import { describe, expect, test } from 'bun:test';
import * as v from 'valibot';
import { CloneInstanceSchema, CloneRecordSchema, CloneSpecSchema, PortRangeSchema } from '../../src/contract/clone.ts';
import { AiSeedSpecSchema, SeedResultSchema, SeedSpecSchema } from '../../src/contract/seed.ts';
import { CloneStatusSchema, LogLineSchema, LogOptionsSchema, ServiceStatusSchema } from '../../src/contract/status.ts';
import { EnvironmentResultSchema, EnvironmentSchema, EnvironmentStateSchema } from '../../src/contract/environment.ts';
import { REGISTRY_VERSION, RegistryFileSchema } from '../../src/contract/registry-file.ts';
import { FidelityScoreSchema } from '../../src/contract/fidelity.ts';
import { TemplateManifestSchema } from '../../src/contract/manifest.ts';
import { CloneStateSchema } from '../../src/contract/state.ts';
import { AsymmetricError, isAsymmetricError, toAsymmetricError } from '../../src/contract/errors.ts';
import { sampleRecord } from '../support/records.ts';

function roundTrip<S extends v.GenericSchema>(schema: S, value: v.InferInput<S>) {
  const parsed = v.parse(schema, value);
  const again = v.parse(schema, JSON.parse(JSON.stringify(parsed)));
  expect(again).toEqual(parsed);
  expect(again).toEqual(value as never);
}

const record = sampleRecord('round-trip', {
  seed: { fixture: 'acme', ai: { entities: ['users'], volume: 'small', model: 'claude-haiku-4-5', prompt: 'a bank' } },
  imageDigest: 'ghcr.io/asymmetric-ai/asymmetric-slack-backend@sha256:' + 'a'.repeat(64),
  tokens: { appId: 'A1', workspaceId: 'T1', botUserId: 'U1', adminUserId: 'U2', botToken: 'xoxb-1', userToken: 'xoxp-1' },
});
const manifest = {
  name: 'slack',
  realProduct: 'slack',
  version: '0.1.0',
  description: 'Slack',
  modes: [{ name: 'api', services: ['api'] }],
  services: { api: { image: 'ghcr.io/x/y:latest', build: { dockerfile: 'slack/Dockerfile' }, port: 8080, endpoint: 'api' as const, health: '/__asym/health' } },
  database: { migrations: 'migrations' },
  redis: { prefix: 'slack' },
  seed: { fixtures: 'fixtures', ai: { entities: ['users'], defaultModel: 'claude-haiku-4-5' } },
};

describe('contract schemas round-trip through JSON', () => {
  test('CloneSpec, PortRange, SeedSpec, AiSeedSpec', () => {
    roundTrip(CloneSpecSchema, { template: 'slack', mode: 'api', name: 'my-clone', group: 'evals', seed: { ai: true }, portRange: { from: 41000, to: 41999 }, expose: false });
    roundTrip(PortRangeSchema, { from: 2000, to: 2000 });
    roundTrip(SeedSpecSchema, { fixture: 'acme' });
    roundTrip(AiSeedSpecSchema, { volume: 25 });
  });
  test('CloneRecord and CloneInstance', () => {
    roundTrip(CloneRecordSchema, record);
    roundTrip(CloneInstanceSchema, { ...record, endpoints: { api: 'http://127.0.0.1:41000', web: null } });
  });
  test('SeedResult, CloneStatus, ServiceStatus, LogOptions, LogLine', () => {
    roundTrip(SeedResultSchema, { written: 3, rejected: 1, bySource: { ai: { written: 3, rejected: 1 } }, warnings: ['x'] });
    roundTrip(ServiceStatusSchema, { name: 'api', state: 'running', port: 41000, healthy: true });
    roundTrip(CloneStatusSchema, { id: 'c', state: 'gone', healthy: false, services: [{ name: 'api', state: 'missing', port: null, healthy: false }], checkedAt: '2026-11-25T10:00:00.000Z' });
    roundTrip(LogOptionsSchema, { follow: true, tail: 10, since: '10m', service: 'api' });
    roundTrip(LogLineSchema, { service: 'api', stream: 'stderr', timestamp: null, text: 'hi' });
  });
  test('Environment, EnvironmentState, EnvironmentResult, RegistryFile', () => {
    const env = { name: 'evals', members: ['a', 'b'], spec: null, state: 'partial' as const, createdAt: record.createdAt, updatedAt: record.updatedAt };
    roundTrip(EnvironmentSchema, env);
    roundTrip(EnvironmentStateSchema, 'failed');
    roundTrip(EnvironmentResultSchema, { clone: 'a', ok: false, error: { code: 'UNHEALTHY', message: 'x' } });
    roundTrip(RegistryFileSchema, { version: REGISTRY_VERSION, clones: [record], environments: [env] });
    expect(REGISTRY_VERSION).toBe(2);
  });
  test('FidelityScore, TemplateManifest, CloneState', () => {
    roundTrip(FidelityScoreSchema, { score: 0.5, operations: { ours: 10, theirs: 20, matched: 10 }, checkedAt: record.createdAt, source: 'operations.json' });
    roundTrip(TemplateManifestSchema, manifest);
    roundTrip(CloneStateSchema, 'unhealthy');
  });
});

describe('contract schemas reject bad input', () => {
  test('ports, names, ranges and persisted states', () => {
    expect(v.safeParse(PortRangeSchema, { from: 5000, to: 4000 }).success).toBe(false);
    expect(v.safeParse(PortRangeSchema, { from: 80, to: 90 }).success).toBe(false);
    expect(v.safeParse(CloneSpecSchema, { template: 'slack', name: 'Bad Name' }).success).toBe(false);
    expect(v.safeParse(CloneSpecSchema, { template: 'slack', extra: 1 }).success).toBe(false);
    expect(v.safeParse(CloneRecordSchema, { ...record, state: 'gone' }).success).toBe(false);
    expect(v.safeParse(AiSeedSpecSchema, { volume: 'huge' }).success).toBe(false);
  });
  test('a manifest whose mode names an undeclared service', () => {
    expect(v.safeParse(TemplateManifestSchema, { ...manifest, modes: [{ name: 'api', services: ['nope'] }] }).success).toBe(false);
    expect(v.safeParse(TemplateManifestSchema, { ...manifest, services: { api: { port: 8080 } } }).success).toBe(false);
  });
});

describe('AsymmetricError', () => {
  test('is recognised by brand, even across module copies', () => {
    const e = new AsymmetricError('CLONE_NOT_FOUND', 'no clone x', { hint: 'asym ls' });
    expect(isAsymmetricError(e)).toBe(true);
    const foreign = Object.assign(new Error('x'), { [Symbol.for('asymmetric.error')]: true });
    expect(isAsymmetricError(foreign)).toBe(true);
    expect(isAsymmetricError(new Error('plain'))).toBe(false);
    expect(e.toJSON()).toEqual({ code: 'CLONE_NOT_FOUND', message: 'no clone x', hint: 'asym ls' });
    expect(toAsymmetricError(new Error('boom')).code).toBe('INTERNAL');
  });
});

describe('named errors only', () => {
  test('nothing under src/ throws a bare Error', async () => {
    const offenders: string[] = [];
    for await (const file of new Bun.Glob('src/**/*.ts').scan({ cwd: `${import.meta.dir}/../..` })) {
      const text = await Bun.file(`${import.meta.dir}/../../${file}`).text();
      text.split('\n').forEach((line, i) => {
        if (/new (Type|Range|Syntax)?Error\(/.test(line)) offenders.push(`${file}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(offenders).toEqual([]);
  });
});
