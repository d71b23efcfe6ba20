/**
 * What the CLI owes the other end of its stdout: JSON with no terminal escapes in it,
 * colour only for a terminal, and a quiet exit when the reader has gone (`| head -1`).
 */
import { stripVTControlCharacters } from 'node:util';

export const stripAnsi = (s: string): string => stripVTControlCharacters(s);

/**
 * The one JSON encoder for stdout. Escapes captured from compose, a service's logs or the
 * user's own input are terminal noise to a JSON reader, so every string loses them.
 */
export function toJson(data: unknown, indent?: number): string {
  return JSON.stringify(data, (_key, value) => (typeof value === 'string' ? stripAnsi(value) : value), indent);
}

/** Colour only for a terminal, and never when NO_COLOR is set to anything (no-color.org). */
export function colourOn(stream: { isTTY?: boolean } = process.stdout): boolean {
  return Boolean(stream.isTTY) && !process.env.NO_COLOR && process.env.TERM !== 'dumb';
}

const isBrokenPipe = (e: unknown): boolean => (e as { code?: unknown } | null)?.code === 'EPIPE';

/**
 * Bun throws EPIPE from the write itself (and Node emits it as an 'error' event), so the
 * guard wraps both. A closed stdout means nobody reads the result any more: exit, after
 * the current turn so an exit code being set right after the write is kept. A closed
 * stderr only silences progress: the work goes on, it must never be cut short by a log line.
 */
export function quietOnBrokenPipe(): void {
  if (guarded.has(process.stdout)) return;
  guard(process.stdout, () => setImmediate(() => process.exit(process.exitCode ?? 0)));
  guard(process.stderr, () => {});
}

const guarded = new WeakSet<NodeJS.WriteStream>();

function guard(stream: NodeJS.WriteStream, onBroken: () => void): void {
  guarded.add(stream);
  let broken = false;
  const fail = (e: unknown): boolean => {
    if (!isBrokenPipe(e)) throw e;
    if (!broken) {
      broken = true;
      onBroken();
    }
    return true;
  };
  const write = stream.write.bind(stream) as (...a: unknown[]) => boolean;
  stream.write = ((...a: unknown[]) => {
    if (broken) return true;
    try {
      return write(...a);
    } catch (e) {
      return fail(e);
    }
  }) as typeof stream.write;
  stream.on('error', fail);
}
