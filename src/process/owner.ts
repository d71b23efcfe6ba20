/**
 * Who a process is, precisely enough to tell whether it is still alive: a pid alone is not
 * (pids are reused), so on Linux the kernel's boot id and the process' start time are
 * recorded too. A record or lock that names an owner which is not alive was left behind by
 * a process that died (kill -9, a crash, a reboot), and `doctor` may act on it at once.
 */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

export interface ProcessOwner {
  pid: number;
  host: string;
  /** /proc/sys/kernel/random/boot_id (Linux). */
  boot?: string;
  /** Start time of the process in clock ticks since boot (Linux /proc/<pid>/stat field 22). */
  start?: string;
}

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return undefined;
  }
}

export function bootId(): string | undefined {
  return read('/proc/sys/kernel/random/boot_id');
}

export function processStart(pid: number): string | undefined {
  const stat = read(`/proc/${pid}/stat`);
  if (!stat) return undefined;
  // The command name (field 2) is in parentheses and may contain spaces: count after it.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields[19];
}

export function selfOwner(): ProcessOwner {
  const boot = bootId();
  const start = processStart(process.pid);
  return { pid: process.pid, host: hostname(), ...(boot ? { boot } : {}), ...(start ? { start } : {}) };
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Alive, as far as this machine can tell. An owner on another host cannot be checked and
 * counts as alive (the caller decides how long to trust it).
 */
export function ownerAlive(o: ProcessOwner): boolean {
  if (o.host !== hostname()) return true;
  const boot = bootId();
  if (o.boot && boot && o.boot !== boot) return false;
  if (!pidAlive(o.pid)) return false;
  if (o.start) {
    const now = processStart(o.pid);
    if (now && now !== o.start) return false;
  }
  return true;
}

export function isSelf(o: ProcessOwner | undefined): boolean {
  return Boolean(o && o.pid === process.pid && o.host === hostname());
}
