/**
 * The only module that starts processes. Everything Docker goes through `docker()` so that
 * a missing binary, a dead daemon and a failed command each become a named error in one
 * place.
 */
import { AsymmetricError } from '../contract/errors.ts';
import { onInterrupt } from '../process/interrupt.ts';

export interface RunOptions {
  input?: string;
  /** Read stdin from this file (large inputs such as a database dump) instead of `input`. */
  stdinFile?: string;
  /** Write stdout to this file instead of collecting it (result.stdout is then empty). */
  stdoutFile?: string;
  cwd?: string;
  env?: Record<string, string | undefined>;
  timeoutMs?: number;
  /** Called with each stderr chunk (progress of builds and pulls). */
  onStderr?: (chunk: string) => void;
  /** Stop the command when Ctrl-C / SIGTERM arrives (a step the verb will undo anyway). */
  interruptible?: boolean;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function run(cmd: string[], opts: RunOptions = {}): Promise<RunResult> {
  let proc: Bun.Subprocess<'pipe' | 'ignore', 'pipe', 'pipe'>;
  // A file as stdin/stdout: Bun's typings name those streams by kind; the shape we use is the same.
  try {
    proc = Bun.spawn(cmd, {
      cwd: opts.cwd,
      env: { ...process.env, ...opts.env },
      stdin: opts.stdinFile ? Bun.file(opts.stdinFile) : opts.input === undefined ? 'ignore' : 'pipe',
      stdout: opts.stdoutFile ? Bun.file(opts.stdoutFile) : 'pipe',
      stderr: 'pipe',
    }) as unknown as Bun.Subprocess<'pipe' | 'ignore', 'pipe', 'pipe'>;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new AsymmetricError('DOCKER_UNAVAILABLE', `${cmd[0]} is not installed or not on PATH`, {
        hint: 'install Docker (https://docs.docker.com/get-docker/) or run scripts/ensure-docker.sh on Debian',
        cause: e,
      });
    }
    throw new AsymmetricError('INTERNAL', `cannot start ${cmd[0]}: ${(e as Error).message}`, { cause: e });
  }
  if (opts.input !== undefined && !opts.stdinFile && proc.stdin && typeof proc.stdin !== 'number') {
    proc.stdin.write(opts.input);
    proc.stdin.end();
  }
  const timer = opts.timeoutMs ? setTimeout(() => proc.kill('SIGKILL'), opts.timeoutMs) : undefined;
  const unsubscribe = opts.interruptible ? onInterrupt(() => proc.kill('SIGTERM')) : undefined;
  const stderrChunks: string[] = [];
  const stderrDone = (async () => {
    const decoder = new TextDecoder();
    for await (const chunk of proc.stderr) {
      const text = decoder.decode(chunk, { stream: true });
      stderrChunks.push(text);
      opts.onStderr?.(text);
    }
  })();
  const [stdout, code] = await Promise.all([opts.stdoutFile ? Promise.resolve('') : new Response(proc.stdout).text(), proc.exited, stderrDone]);
  if (timer) clearTimeout(timer);
  unsubscribe?.();
  return { code, stdout, stderr: stderrChunks.join('') };
}

/** Spawn with streaming stdout/stderr, for `logs --follow`. */
export function spawnStreaming(cmd: string[], env?: Record<string, string | undefined>) {
  try {
    return Bun.spawn(cmd, { env: { ...process.env, ...env }, stdin: 'ignore', stdout: 'pipe', stderr: 'pipe' });
  } catch (e) {
    throw new AsymmetricError('DOCKER_UNAVAILABLE', `cannot start ${cmd[0]}: ${(e as Error).message}`, { cause: e });
  }
}

const DAEMON_DOWN = /Cannot connect to the Docker daemon|Is the docker daemon running|error during connect|docker\.sock.*(no such file|connection refused)/i;

export function daemonDownError(detail: string): AsymmetricError {
  return new AsymmetricError('DOCKER_UNAVAILABLE', 'the Docker engine is not running', {
    hint: 'start Docker (Docker Desktop, colima, or `sudo systemctl start docker`) and retry; asym doctor checks it',
    details: { detail: detail.trim().slice(0, 500) },
  });
}

/** Run `docker …`; a non-zero exit becomes DOCKER_FAILED (or DOCKER_UNAVAILABLE). */
export async function docker(args: string[], opts: RunOptions & { allowFailure?: boolean } = {}): Promise<RunResult> {
  const res = await run(['docker', ...args], opts);
  if (res.code !== 0 && DAEMON_DOWN.test(res.stderr)) throw daemonDownError(res.stderr);
  if (res.code !== 0 && args[0] === 'compose' && /'compose' is not a docker command|unknown command "compose"/i.test(res.stderr)) {
    throw composeMissingError();
  }
  if (res.code !== 0 && !opts.allowFailure) {
    throw new AsymmetricError('DOCKER_FAILED', `docker ${args.slice(0, 3).join(' ')} failed: ${lastLines(res.stderr || res.stdout, 6)}`, {
      details: { args, code: res.code },
    });
  }
  return res;
}

export function composeMissingError(): AsymmetricError {
  return new AsymmetricError('COMPOSE_UNAVAILABLE', 'Docker Compose v2 (`docker compose`) is not installed', {
    hint: 'install the docker-compose-plugin package (or Docker Desktop); on Debian, scripts/ensure-docker.sh installs it',
  });
}

export function lastLines(text: string, n: number): string {
  return text.trim().split('\n').slice(-n).join('\n');
}
