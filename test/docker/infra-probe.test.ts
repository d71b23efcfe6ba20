import { expect, test } from 'bun:test';
import { ensureInfra, probeInfra } from '../../src/docker/infra.ts';
import { describeDocker } from '../support/docker.ts';

/**
 * The shared infra has no Docker health checks (each exec probe cost CPU every second on an
 * idle machine); the CLI probes Postgres and Redis itself, on demand. The probe must tell a
 * live infra from one that does not answer.
 */

async function closedPort(): Promise<number> {
  const s = Bun.listen({ hostname: '127.0.0.1', port: 0, socket: { data() {} } });
  const port = s.port;
  s.stop(true);
  return port;
}

test('a probe of ports nothing answers on names both services, within its timeout', async () => {
  const infra = { project: 'none', network: 'none', password: 'x', pgPort: await closedPort(), redisPort: await closedPort() };
  const t = performance.now();
  const problem = await probeInfra(infra, 500);
  expect(problem).toContain('Postgres');
  expect(problem).toContain('Redis');
  expect(performance.now() - t).toBeLessThan(5000);
});

describeDocker('the running infra', () => {
  test('answers the probe', async () => {
    expect(await probeInfra(await ensureInfra())).toBeNull();
  }, 120_000);
});
