/**
 * A real `asym serve` in a child process, on a loopback port it picks itself, with its own
 * ASYM_HOME; clients are the real CLI with ASYM_REMOTE and a key of that server.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asym, CLI, type CliResult } from './cli.ts';

export interface ServeProcess {
  url: string;
  proc: Bun.Subprocess<'ignore', 'pipe', 'pipe'>;
  log(): string;
}

/** Start `asym serve --listen 127.0.0.1:0` in `home`, resolved once it says where it listens. */
export async function startServe(home: string, env: Record<string, string> = {}, args: string[] = []): Promise<ServeProcess> {
  const proc = Bun.spawn(['bun', CLI, 'serve', '--listen', '127.0.0.1:0', ...args], {
    env: { ...process.env, NO_COLOR: '1', ASYM_HOME: home, ASYM_REMOTE: '', ...env },
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: 'pipe',
  });
  let text = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`asym serve did not start: ${text}`)), 60_000);
    void (async () => {
      const dec = new TextDecoder();
      for await (const chunk of proc.stderr) {
        text += dec.decode(chunk);
        const m = /listening on (\S+)/.exec(text);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      }
      clearTimeout(timer);
      reject(new Error(`asym serve exited: ${text}`));
    })();
  });
  return { url, proc, log: () => text };
}

export function serveHarness(label: string) {
  const home = mkdtempSync(join(tmpdir(), `asym-serve-${label}-`));
  const clientHome = mkdtempSync(join(tmpdir(), `asym-client-${label}-`));
  let server: ServeProcess | null = null;
  const h = {
    home,
    clientHome,
    get url(): string {
      return server!.url;
    },
    get server(): ServeProcess {
      return server!;
    },
    async start(env: Record<string, string> = {}, args: string[] = []): Promise<ServeProcess> {
      server = await startServe(home, env, args);
      return server;
    },
    /** SIGTERM (a clean stop) or SIGKILL (a crash), and wait for the process to end. */
    async stop(signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<number> {
      if (!server) return 0;
      server.proc.kill(signal);
      const code = await server.proc.exited;
      server = null;
      return code;
    },
    /** `asym serve keys create` on the server's home; returns the key. */
    async key(name: string, maxClones?: number): Promise<string> {
      const r = await asym(['serve', 'keys', 'create', '--name', name, ...(maxClones === undefined ? [] : ['--max-clones', String(maxClones)]), '--json'], { ASYM_HOME: home, ASYM_REMOTE: '' });
      if (r.code !== 0) throw new Error(`keys create failed: ${r.stdout} ${r.stderr}`);
      return r.json.key;
    },
    /** The real CLI as a remote client with this key (its own, empty home). */
    run(key: string, args: string[], extra: Record<string, string> = {}): Promise<CliResult> {
      return asym(args, { ASYM_HOME: clientHome, ASYM_REMOTE: server!.url, ASYM_REMOTE_TOKEN: key, ...extra });
    },
    /** Straight to the API. */
    api(key: string | null, method: string, path: string, body?: unknown): Promise<Response> {
      return fetch(`${server!.url}${path}`, {
        method,
        headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    },
    /** Destroy every clone of the server's home (as a local asym there), stop it, remove both homes. */
    async cleanup(): Promise<void> {
      await h.stop('SIGTERM').catch(() => {});
      const local = { ASYM_HOME: home, ASYM_REMOTE: '' };
      if (existsSync(join(home, 'registry.json'))) {
        const ls = await asym(['ls', '--json'], local);
        for (const c of (ls.json ?? []) as { id: string }[]) await asym(['destroy', c.id, '--yes', '--json'], local);
      }
      rmSync(home, { recursive: true, force: true });
      rmSync(clientHome, { recursive: true, force: true });
    },
  };
  return h;
}
