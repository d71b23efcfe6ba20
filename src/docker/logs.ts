import type { LogLine, LogOptions } from '../contract/status.ts';
import { spawnStreaming } from './spawn.ts';
import { swarmEngine } from './swarm.ts';

// `docker compose logs --timestamps` prints `api-1  | 2026-11-25T10:00:00.123456789Z text`.
const LINE = /^(?<svc>[^\s|]+?)(?:-\d+)?\s+\|\s(?:(?<ts>\d{4}-\d{2}-\d{2}T\S+)\s)?(?<text>.*)$/;

// Compose writes terminal control sequences (e.g. ESC[2K) even with --no-color.
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;

export function parseLogLine(input: string, stream: 'stdout' | 'stderr', fallbackService: string): LogLine | null {
  const raw = input.replace(ANSI, '').replace(/\r$/, '');
  if (!raw) return null;
  const m = LINE.exec(raw);
  if (!m?.groups) return { service: fallbackService, stream, timestamp: null, text: raw };
  return { service: m.groups.svc!.replace(/^.*?_([^_.]+)\.\d+@.*$/, '$1'), stream, timestamp: m.groups.ts ?? null, text: m.groups.text ?? '' };
}

export function composeLogsArgs(project: string, opts: LogOptions): string[] {
  if (swarmEngine()) {
    // One service of the stack (the provider names the API when none is asked for).
    const args = ['service', 'logs', '--no-task-ids', '--timestamps'];
    if (opts.follow) args.push('--follow');
    if (opts.tail !== undefined) args.push('--tail', String(opts.tail));
    if (opts.since) args.push('--since', opts.since);
    return [...args, `${project}_${opts.service ?? 'api'}`];
  }
  const args = ['compose', '-p', project, 'logs', '--no-color', '--timestamps'];
  if (opts.follow) args.push('--follow');
  if (opts.tail !== undefined) args.push('--tail', String(opts.tail));
  if (opts.since) args.push('--since', opts.since);
  if (opts.service) args.push(opts.service);
  return args;
}

/** Stream a project's logs; ends when docker does, or when opts.signal aborts (Ctrl-C). */
export async function* streamLogs(project: string, opts: LogOptions): AsyncGenerator<LogLine> {
  const proc = spawnStreaming(['docker', ...composeLogsArgs(project, opts)]);
  const stop = () => proc.kill('SIGTERM');
  opts.signal?.addEventListener('abort', stop, { once: true });
  const queue: LogLine[] = [];
  let wake: (() => void) | undefined;
  let open = 2;
  const fallback = opts.service ?? 'clone';
  // Once we stop compose, what it says about being stopped ("canceled") is not a log line.
  const keep = (line: LogLine | null): line is LogLine =>
    line !== null && !(opts.signal?.aborted && line.stream === 'stderr' && line.timestamp === null);
  const pump = async (stream: ReadableStream<Uint8Array>, name: 'stdout' | 'stderr') => {
    const decoder = new TextDecoder();
    let buf = '';
    for await (const chunk of stream) {
      buf += decoder.decode(chunk, { stream: true });
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = parseLogLine(buf.slice(0, nl), name, fallback);
        buf = buf.slice(nl + 1);
        if (keep(line)) queue.push(line);
      }
      wake?.();
    }
    const last = parseLogLine(buf, name, fallback);
    if (keep(last)) queue.push(last);
    open--;
    wake?.();
  };
  void pump(proc.stdout, 'stdout');
  void pump(proc.stderr, 'stderr');
  try {
    while (true) {
      while (queue.length) yield queue.shift()!;
      if (open === 0) break;
      await new Promise<void>((r) => (wake = r));
      wake = undefined;
    }
  } finally {
    opts.signal?.removeEventListener('abort', stop);
    stop();
    await proc.exited;
  }
}
