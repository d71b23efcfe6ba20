import { afterAll, expect, test } from 'bun:test';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { caFiles, ensureCa, ensureCloneCert } from '../../src/tools/tls.ts';
import { tempHome } from '../support/home.ts';

/** The per-home CA and a clone certificate, made with the machine's openssl (no Docker). */
const home = tempHome('asym-tls-ca');
afterAll(() => home.restore());
const mode = (p: string) => statSync(p).mode & 0o777;
const openssl = (args: string[]) => Bun.spawnSync(['openssl', ...args], { stdout: 'pipe', stderr: 'pipe' });

test('the CA is made once per home; its key is 0600 in a 0700 directory; the bundle adds it to the system roots', async () => {
  const ca = await ensureCa();
  expect(ca.dir).toBe(join(home.dir, 'tls'));
  expect(mode(ca.dir)).toBe(0o700);
  expect(mode(ca.key)).toBe(0o600);
  const pem = readFileSync(ca.cert, 'utf8');
  expect(readFileSync(ca.bundle, 'utf8').endsWith(pem)).toBe(true);
  await ensureCa();
  expect(readFileSync(ca.cert, 'utf8')).toBe(pem); // not made again
  expect(openssl(['x509', '-in', ca.cert, '-noout', '-ext', 'basicConstraints']).stdout.toString()).toContain('CA:TRUE');
});

test('a clone certificate verifies against the CA, names localhost and 127.0.0.1, and its key is 0600', async () => {
  const c = await ensureCloneCert(join(home.dir, 'clones', 'tls-one'), 'tls-one');
  expect(mode(c.key)).toBe(0o600);
  expect(mode(c.dir)).toBe(0o700);
  const verified = openssl(['verify', '-CAfile', caFiles().cert, c.cert]);
  expect(verified.exitCode).toBe(0);
  const san = openssl(['x509', '-in', c.cert, '-noout', '-ext', 'subjectAltName']).stdout.toString();
  expect(san).toContain('DNS:localhost');
  expect(san).toContain('IP Address:127.0.0.1');
  const again = await ensureCloneCert(join(home.dir, 'clones', 'tls-one'), 'tls-one');
  expect(readFileSync(again.cert, 'utf8')).toBe(readFileSync(c.cert, 'utf8'));
});
