/** asym serve's own options: HTTPS with a private CA, --public-host, a taken port; tokens --env through a remote. */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asym } from '../support/cli.ts';
import { slackClient } from '../support/clones.ts';
import { describeDocker, labelled, uniqueName } from '../support/docker.ts';
import { serveHarness } from '../support/serve.ts';

describe('asym serve over HTTPS', () => {
  const h = serveHarness('tls');
  const dir = mkdtempSync(join(tmpdir(), 'asym-serve-tls-'));
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  let k: string;
  beforeAll(async () => {
    const gen = Bun.spawnSync(['openssl', 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stderr: 'pipe' });
    if (gen.exitCode !== 0) throw new Error(gen.stderr.toString());
    await h.start({}, ['--tls-cert', cert, '--tls-key', key]);
    k = await h.key('tls');
  }, 60_000);
  afterAll(async () => {
    await h.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  test('an https:// ASYM_REMOTE works with ASYM_REMOTE_CA, and is refused (REMOTE_UNAVAILABLE) without it', async () => {
    expect(h.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const ok = await h.run(k, ['ls', '--json'], { ASYM_REMOTE_CA: cert });
    expect(ok.code).toBe(0);
    expect(ok.json).toEqual([]);
    const untrusted = await h.run(k, ['ls', '--json']);
    expect(untrusted.code).toBe(1);
    expect(untrusted.json.error.code).toBe('REMOTE_UNAVAILABLE');
  });

  test('a port in use is PORT_IN_USE, and a missing certificate file INVALID_INPUT', async () => {
    const port = new URL(h.url).port;
    const taken = await asym(['serve', '--listen', `127.0.0.1:${port}`, '--json'], { ASYM_HOME: h.home, ASYM_REMOTE: '' });
    expect(taken.code).toBe(1);
    expect(taken.json.error.code).toBe('PORT_IN_USE');
    const nofile = await asym(['serve', '--listen', '127.0.0.1:0', '--tls-cert', join(dir, 'nope.pem'), '--tls-key', key, '--json'], { ASYM_HOME: h.home, ASYM_REMOTE: '' });
    expect(nofile.code).toBe(1);
    expect(nofile.json.error.code).toBe('INVALID_INPUT');
    const half = await asym(['serve', '--tls-cert', cert, '--json'], { ASYM_HOME: h.home, ASYM_REMOTE: '' });
    expect(half.json.error.code).toBe('INVALID_INPUT');
  }, 60_000);
});

describeDocker('asym serve --public-host', () => {
  const h = serveHarness('pub');
  let k: string;
  beforeAll(async () => {
    await h.start({}, ['--public-host', 'localhost']);
    k = await h.key('pub');
  }, 60_000);
  afterAll(() => h.cleanup(), 120_000);

  test('clones are advertised at the public host; the SDK and tokens --env use it', async () => {
    const id = uniqueName('pub');
    const r = await h.run(k, ['spin', 'slack', '--name', id, '--json']);
    expect(r.code).toBe(0);
    expect(r.json.endpoints.api).toMatch(/^http:\/\/localhost:\d+$/);
    expect((await slackClient(r.json).auth.test()).ok).toBe(true);
    const ls = await h.run(k, ['ls', '--json']);
    expect(ls.json[0].endpoints.api).toBe(r.json.endpoints.api);
    const env = await h.run(k, ['tokens', id, '--env', '--json']);
    expect(env.code).toBe(0);
    expect(JSON.stringify(env.json)).toContain(r.json.endpoints.api);
    expect(JSON.stringify(env.json)).toContain(r.json.tokens.botToken);
    // asym verify --clone through the remote: the record and endpoint are the server's (at the public host).
    const ver = await h.run(k, ['verify', 'slack', '--clone', id, '--json']);
    expect(ver.code).toBe(0);
    expect(ver.json.clone).toBe(id);
    expect(ver.json.endpoint).toBe(r.json.endpoints.api);
    expect(ver.json.fidelity.operations.matched).toBeGreaterThan(10);
    const wrong = await h.run(k, ['verify', 'stripe', '--clone', id, '--json']);
    expect(wrong.code).toBe(1);
    expect(wrong.json.error.code).toBe('INVALID_INPUT');
    const missing = await h.run(k, ['verify', 'slack', '--clone', 'no-such-clone', '--json']);
    expect(missing.json.error.code).toBe('CLONE_NOT_FOUND');
    expect(existsSync(join(h.clientHome, 'registry.json'))).toBe(false);
    expect((await h.run(k, ['destroy', id, '--yes', '--json'])).code).toBe(0);
    // Without --clone: the throwaway clone is spun and destroyed on the server.
    const throwaway = await h.run(k, ['verify', 'slack', '--json']);
    expect(throwaway.code).toBe(0);
    expect(throwaway.json.clone).toMatch(/^verify-slack-/);
    expect(throwaway.json.endpoint).toMatch(/^http:\/\/localhost:\d+$/);
    expect((await h.run(k, ['ls', '--json'])).json).toEqual([]);
    expect((await labelled(throwaway.json.clone)).containers).toEqual([]);
  }, 300_000);
});
