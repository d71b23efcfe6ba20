/**
 * Host port allocation. Callers hold the registry lock, so clones never collide with each
 * other; a bind probe catches ports taken by anything else on the machine.
 */
import { AsymmetricError } from '../contract/errors.ts';
import type { PortRange } from '../contract/clone.ts';

export function portFree(port: number, hostname: string): boolean {
  try {
    const server = Bun.listen({ hostname, port, socket: { data() {} } });
    server.stop(true);
    return true;
  } catch {
    return false;
  }
}

/**
 * Picks one free host port per service. `isFree` is the bind probe; tests pass their own so
 * they do not depend on which ports happen to be busy on the machine.
 */
export function allocatePorts(
  services: string[],
  range: PortRange,
  taken: Set<number>,
  expose: boolean,
  isFree: (port: number, hostname: string) => boolean = portFree,
): Record<string, number> {
  const size = range.to - range.from + 1;
  const hostname = expose ? '0.0.0.0' : '127.0.0.1';
  const out: Record<string, number> = {};
  // Start at a random offset so concurrent asym processes on other homes rarely race.
  const start = Math.floor(Math.random() * size);
  let i = 0;
  for (const svc of services) {
    let found: number | undefined;
    for (; i < size; i++) {
      const port = range.from + ((start + i) % size);
      if (taken.has(port)) continue;
      if (!isFree(port, hostname)) continue;
      found = port;
      i++;
      break;
    }
    if (found === undefined) {
      throw new AsymmetricError('PORTS_EXHAUSTED', `no free port in ${range.from}-${range.to} for ${svc}`, {
        hint: 'destroy unused clones (asym ls) or pass a wider --port-range',
      });
    }
    out[svc] = found;
    taken.add(found);
  }
  return out;
}
