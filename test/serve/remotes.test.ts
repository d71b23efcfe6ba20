/**
 * Named control planes: `asym remote add NAME URL --token-stdin`, `use`, `ls`, `rm`, stored in
 * the client's settings (the key in a 0600 file of its own), and ASYM_REMOTE over all of them.
 * The client runs with no ASYM_REMOTE at all, so only the context can send it to the server.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, type CliResult } from '../support/cli.ts';
import { describeDocker, labelled, uniqueName } from '../support/docker.ts';
import { serveHarness } from '../support/serve.ts';

const h = serveHarness('ctx');
afterAll(() => h.cleanup(), 240_000);

/** The CLI in the client's home with no ASYM_REMOTE* in its environment; `stdin` is piped in. */
async function client(args: string[], opts: { stdin?: string; env?: Record<string, string> } = {}): Promise<CliResult> {
  const env: Record<string, string> = {};
  for (const [k, val] of Object.entries(process.env)) if (val !== undefined && !k.startsWith('ASYM_REMOTE')) env[k] = val;
  const proc = Bun.spawn(['bun', CLI, ...args], {
    env: { ...env, NO_COLOR: '1', ASYM_HOME: h.clientHome, ...opts.env },
    stdin: opts.stdin === undefined ? 'ignore' : new Blob([opts.stdin]),
    stdout: 'pipe',
    stderr: 'pipe',
  });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  let json: unknown;
  try {
    json = JSON.parse(stdout);
  } catch {
    json = undefined;
  }
  return { code, stdout, stderr, json };
}

describeDocker('asym remote (named control planes)', () => {
  let key: string;
  const id = uniqueName('ctx');

  beforeAll(async () => {
    await h.start();
    key = await h.key('ctx-team');
  }, 120_000);

  test('add stores the URL in settings and the key in a 0600 file; ls never prints it', async () => {
    const r = await client(['remote', 'add', 'prod', `${h.url}/ignored/path`, '--token-stdin', '--json'], { stdin: `${key}\n` });
    expect(r.code).toBe(0);
    expect(r.json).toEqual({ name: 'prod', url: h.url, ca: null, current: false });
    const settings = readFileSync(join(h.clientHome, 'settings.json'), 'utf8');
    expect(settings).not.toContain(key);
    expect(JSON.parse(settings).remotes.prod.url).toBe(h.url);
    const tokenFile = join(h.clientHome, 'remotes', 'prod.token');
    expect(readFileSync(tokenFile, 'utf8').trim()).toBe(key);
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
    expect(statSync(join(h.clientHome, 'remotes')).mode & 0o777).toBe(0o700);
    const ls = await client(['remote', 'ls', '--json']);
    expect(ls.code).toBe(0);
    expect(ls.json).toEqual([
      { name: 'local', url: null, ca: null, current: true },
      { name: 'prod', url: h.url, ca: null, current: false },
    ]);
    expect(ls.stdout).not.toContain(key);
    const human = await client(['remote', 'ls']);
    expect(human.stdout).toContain(h.url);
    expect(human.stdout + human.stderr).not.toContain(key);
  });

  test('bad input is a named error, and nothing is written', async () => {
    const cases: [string[], string | undefined, string][] = [
      [['remote', 'use', 'nope'], undefined, 'REMOTE_NOT_FOUND'],
      [['remote', 'rm', 'nope'], undefined, 'REMOTE_NOT_FOUND'],
      [['remote', 'add', 'p2', 'ftp://example.com', '--token-stdin'], key, 'INVALID_INPUT'],
      [['remote', 'add', 'p2', 'not a url', '--token-stdin'], key, 'INVALID_INPUT'],
      [['remote', 'add', 'Bad_Name', h.url, '--token-stdin'], key, 'INVALID_INPUT'],
      [['remote', 'add', 'local', h.url, '--token-stdin'], key, 'INVALID_INPUT'],
      [['remote', 'add', 'p2', h.url], key, 'INVALID_INPUT'],
      [['remote', 'add', 'p2', h.url, '--token-stdin'], '', 'INVALID_INPUT'],
      [['remote', 'add', 'p2', h.url, '--token-stdin', '--ca', '/no/such/ca.pem'], key, 'INVALID_INPUT'],
      [['remote', 'add', 'prod', h.url, '--token-stdin'], key, 'NAME_TAKEN'],
    ];
    for (const [args, stdin, code] of cases) {
      const r = await client([...args, '--json'], stdin === undefined ? {} : { stdin });
      expect([args.join(' '), r.code, r.json?.error?.code]).toEqual([args.join(' '), 1, code]);
    }
    expect((await client(['remote', 'ls', '--json'])).json.map((r: any) => r.name)).toEqual(['local', 'prod']);
    expect(existsSync(join(h.clientHome, 'remotes', 'p2.token'))).toBe(false);
  });

  test('use NAME: commands go to that control plane with its key', async () => {
    const u = await client(['remote', 'use', 'prod', '--json']);
    expect(u.code).toBe(0);
    expect(u.json).toMatchObject({ name: 'prod', url: h.url, current: true });
    const spin = await client(['spin', 'slack', '--name', id, '--json']);
    expect(spin.code).toBe(0);
    expect(spin.json.id).toBe(id);
    expect(existsSync(join(h.clientHome, 'registry.json'))).toBe(false);
    expect((await client(['ls', '--json'])).json.map((c: any) => c.id)).toEqual([id]);
    expect((await client(['env', 'ls', '--json'])).json).toEqual([]);
    expect((await client(['remote', 'ls', '--json'])).json.find((r: any) => r.current).name).toBe('prod');
    // Local-only verbs refuse, naming the way back.
    const doc = await client(['doctor', '--json']);
    expect(doc.json.error.code).toBe('NOT_SUPPORTED');
  }, 180_000);

  test('ASYM_REMOTE overrides the context: empty is this machine, a URL is that server', async () => {
    const local = await client(['ls', '--json'], { env: { ASYM_REMOTE: '' } });
    expect(local.code).toBe(0);
    expect(local.json).toEqual([]);
    const other = await client(['ls', '--json'], { env: { ASYM_REMOTE: 'http://127.0.0.1:1', ASYM_REMOTE_TOKEN: key } });
    expect(other.json.error.code).toBe('REMOTE_UNAVAILABLE');
    expect(other.json.error.message).toContain('127.0.0.1:1');
    const warned = await client(['remote', 'ls'], { env: { ASYM_REMOTE: '' } });
    expect(warned.stderr).toContain('ASYM_REMOTE is set');
  });

  test('use local goes back to this machine; rm forgets the key', async () => {
    const u = await client(['remote', 'use', 'local', '--json']);
    expect(u.code).toBe(0);
    expect((await client(['ls', '--json'])).json).toEqual([]);
    expect((await client(['remote', 'use', 'prod', '--json'])).code).toBe(0);
    const rm = await client(['remote', 'rm', 'prod', '--json']);
    expect(rm.code).toBe(0);
    expect(rm.json).toEqual({ name: 'prod', removed: true, current: 'local' });
    expect(existsSync(join(h.clientHome, 'remotes', 'prod.token'))).toBe(false);
    expect((await client(['remote', 'ls', '--json'])).json).toEqual([{ name: 'local', url: null, ca: null, current: true }]);
    expect((await client(['ls', '--json'])).json).toEqual([]);
    // The clone stays on the server.
    expect((await h.run(key, ['destroy', id, '--yes', '--json'])).code).toBe(0);
    expect((await labelled(id)).containers).toEqual([]);
  }, 120_000);
});
