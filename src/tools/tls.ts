/**
 * HTTPS for clones: a local certificate authority per ASYM_HOME, created once, and a
 * certificate per clone signed by it.
 *
 * Invariant: every private key is created empty with mode 0600 in a 0700 directory of the
 * home before openssl writes it (and chmod-ed again after); no key ever leaves the home except the
 * clone's own, bind-mounted read-only into that clone's container. The CA key never leaves.
 *
 * openssl (Debian's `openssl` package, on every machine we support) does the X.509 work;
 * node:crypto can make keys but not certificates.
 */
import { chmodSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { AsymmetricError } from '../contract/errors.ts';
import { run } from '../docker/spawn.ts';
import { ensureHome, ensurePrivateDir, homePath } from '../registry/home.ts';

export interface CaFiles {
  dir: string;
  /** The CA certificate (public): NODE_EXTRA_CA_CERTS. */
  cert: string;
  /** System roots + the CA: SSL_CERT_FILE (OpenSSL, Go and curl replace their roots with it). */
  bundle: string;
  key: string;
}

export function caFiles(): CaFiles {
  const dir = homePath('tls');
  return { dir, cert: join(dir, 'ca.pem'), bundle: join(dir, 'ca-bundle.pem'), key: join(dir, 'ca.key') };
}

/** Where a clone's certificate and key live; mounted at /run/asym-tls in its container. */
export function cloneTlsDir(cloneDir: string): string {
  return join(cloneDir, 'tls');
}

const SYSTEM_ROOTS = ['/etc/ssl/certs/ca-certificates.crt', '/etc/pki/tls/certs/ca-bundle.crt', '/etc/ssl/cert.pem'];

/**
 * openssl creates -out files with the umask's mode; a key is made as an empty 0600 file
 * first, so it is never readable by others even for an instant (openssl truncates, keeping the mode).
 */
function privateFile(path: string): void {
  writeFileSync(path, '', { mode: 0o600 });
  chmodSync(path, 0o600);
}

async function openssl(args: string[], what: string): Promise<void> {
  if (!Bun.which('openssl')) {
    throw new AsymmetricError('NOT_SUPPORTED', 'openssl is not installed; it makes the certificates of --tls clones', { hint: 'apt-get install openssl (or brew install openssl)' });
  }
  const r = await run(['openssl', ...args], { timeoutMs: 60_000 });
  if (r.code !== 0) throw new AsymmetricError('INTERNAL', `openssl could not ${what}: ${r.stderr.trim().slice(-300)}`);
}

/** Create the home's CA if it does not exist yet; idempotent. */
export async function ensureCa(): Promise<CaFiles> {
  const f = caFiles();
  if (existsSync(f.cert) && existsSync(f.key)) {
    if (!existsSync(f.bundle)) writeBundle(f);
    return f;
  }
  ensureHome();
  ensurePrivateDir(f.dir);
  // Written under temporary names and renamed, so a crash never leaves a cert without its key.
  const tmpKey = `${f.key}.${process.pid}.tmp`;
  const tmpCert = `${f.cert}.${process.pid}.tmp`;
  try {
    privateFile(tmpKey);
    await openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', tmpKey], 'make the CA key');
    chmodSync(tmpKey, 0o600);
    await openssl(
      ['req', '-x509', '-new', '-key', tmpKey, '-sha256', '-days', '3650', '-subj', `/O=asym/CN=asym local CA (${hostname()})`,
        '-addext', 'basicConstraints=critical,CA:TRUE,pathlen:0', '-addext', 'keyUsage=critical,keyCertSign,cRLSign', '-out', tmpCert],
      'make the CA certificate',
    );
    renameSync(tmpKey, f.key);
    renameSync(tmpCert, f.cert);
  } finally {
    rmSync(tmpKey, { force: true });
    rmSync(tmpCert, { force: true });
  }
  writeBundle(f);
  return f;
}

function writeBundle(f: CaFiles): void {
  const system = SYSTEM_ROOTS.find((p) => existsSync(p));
  const roots = system ? readFileSync(system, 'utf8') : '';
  writeFileSync(f.bundle, `${roots.trimEnd()}\n${readFileSync(f.cert, 'utf8')}`, { mode: 0o644 });
}

/**
 * The clone's key and certificate (valid for localhost, 127.0.0.1, host.docker.internal and
 * this machine's name, so --expose clones work by name too). Made once per clone.
 */
export async function ensureCloneCert(cloneDir: string, cloneId: string): Promise<{ dir: string; cert: string; key: string }> {
  const ca = await ensureCa();
  const dir = ensurePrivateDir(cloneTlsDir(cloneDir));
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  if (existsSync(cert) && existsSync(key)) return { dir, cert, key };
  const csr = join(dir, 'req.csr');
  const ext = join(dir, 'ext.cnf');
  try {
    privateFile(key);
    await openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', key], 'make the clone key');
    chmodSync(key, 0o600);
    await openssl(['req', '-new', '-key', key, '-subj', `/O=asym/CN=${cloneId}`, '-out', csr], 'make the certificate request');
    const names = [...new Set(['localhost', 'host.docker.internal', hostname()])].map((n) => `DNS:${n}`);
    writeFileSync(ext, `subjectAltName=${[...names, 'IP:127.0.0.1', 'IP:::1'].join(',')}\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n`);
    await openssl(['x509', '-req', '-in', csr, '-CA', ca.cert, '-CAkey', ca.key, '-CAcreateserial', '-CAserial', join(ca.dir, 'ca.srl'), '-days', '825', '-sha256', '-extfile', ext, '-out', cert], 'sign the clone certificate');
  } catch (e) {
    rmSync(cert, { force: true });
    rmSync(key, { force: true });
    throw e;
  } finally {
    rmSync(csr, { force: true });
    rmSync(ext, { force: true });
  }
  return { dir, cert, key };
}
