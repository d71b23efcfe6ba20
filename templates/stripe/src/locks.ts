/**
 * Per-object serialisation of writes inside this process (the clone runs one server
 * process): two requests that read-modify-write the same object run one after the other,
 * so neither loses the other's change. Coordination only; no state outlives a request.
 */
const tails = new Map<string, Promise<void>>();

export async function withLock<T>(key: string | undefined, fn: () => Promise<T>): Promise<T> {
  if (!key) return fn();
  const prev = tails.get(key) ?? Promise.resolve();
  let release!: () => void;
  const mine = new Promise<void>((r) => {
    release = r;
  });
  const tail = prev.then(() => mine);
  tails.set(key, tail);
  await prev;
  try {
    return await fn();
  } finally {
    release();
    if (tails.get(key) === tail) tails.delete(key);
  }
}
