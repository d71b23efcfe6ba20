/**
 * At most N creates at a time on the engine. Fifty clones starting at once on a small
 * machine all miss their health deadline (seen: 50 of 50 UNHEALTHY on 2 cores); queued,
 * each starts on a machine that can serve it. The rest wait their turn, in order.
 */
export class Slots {
  private busy = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly size: number) {}

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.busy >= this.size) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.busy++;
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next) next(); // the slot passes straight to the next in line
      else this.busy--;
    }
  }
}

/** ASYM_SERVE_PARALLEL, default: one create per core, at least 2. */
export function createSlots(): Slots {
  const n = Number(process.env.ASYM_SERVE_PARALLEL);
  const cores = navigator.hardwareConcurrency || 2;
  return new Slots(Number.isInteger(n) && n > 0 ? n : Math.max(2, cores));
}
