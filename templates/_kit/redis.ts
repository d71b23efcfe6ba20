import { RedisClient } from 'bun';
import { KitError } from './errors.ts';

/**
 * Redis scoped to the clone's prefix: callers pass bare keys, every key written is
 * `<prefix>:<key>`, so destroying or resetting a clone can clear exactly its keys. The
 * client connects on first use; if Redis is briefly unavailable (it may start after us)
 * a command fails with a KitError and the next one tries a fresh connection.
 */
export class PrefixedRedis {
  readonly prefix: string;
  readonly #url: string | null;
  #client: RedisClient | null = null;
  #connecting: Promise<void> | null = null;

  constructor(url: string | null, prefix: string) {
    this.#url = url;
    // The CLI hands out prefixes ending in ':' (asym:<id>:); don't double the separator.
    this.prefix = prefix.replace(/:+$/, '');
  }

  get configured(): boolean {
    return this.#url !== null;
  }

  key(k: string): string {
    return `${this.prefix}:${k}`;
  }

  async get(k: string): Promise<string | null> {
    return this.#do((c) => c.get(this.key(k)));
  }

  async set(k: string, value: string, ttlSeconds?: number): Promise<void> {
    await this.#do((c) =>
      ttlSeconds ? c.send('SET', [this.key(k), value, 'EX', String(Math.max(1, Math.ceil(ttlSeconds)))]) : c.set(this.key(k), value),
    );
  }

  async incr(k: string): Promise<number> {
    return this.#do((c) => c.incr(this.key(k)));
  }

  async decr(k: string): Promise<number> {
    return this.#do((c) => c.decr(this.key(k)));
  }

  async expire(k: string, seconds: number): Promise<void> {
    await this.#do((c) => c.expire(this.key(k), Math.max(1, Math.ceil(seconds))));
  }

  /**
   * A fixed-window counter (by 1, or by a budget's amount) in one round trip: INCRBY and
   * `EXPIRE … NX` (Redis 7) sent together, so the TTL is set by the first increment and never
   * pushed back by later ones.
   */
  async incrWindow(k: string, ttlSeconds: number, by = 1): Promise<number> {
    const key = this.key(k);
    const ttl = String(Math.max(1, Math.ceil(ttlSeconds)));
    return this.#do(async (c) => {
      const [n] = await Promise.all([c.send('INCRBY', [key, String(Math.trunc(by))]), c.send('EXPIRE', [key, ttl, 'NX'])]);
      return Number(n);
    });
  }

  /** SET if absent, with a TTL: true when this call set it (a lock taken). */
  async setIfAbsent(k: string, value: string, ttlSeconds: number): Promise<boolean> {
    const r = await this.#do((c) => c.send('SET', [this.key(k), value, 'NX', 'EX', String(Math.max(1, Math.ceil(ttlSeconds)))]));
    return r === 'OK';
  }

  async del(k: string): Promise<void> {
    await this.#do((c) => c.del(this.key(k)));
  }

  /** Deletes every key under `<prefix>:<sub>` (whole prefix when sub is empty) via SCAN, never KEYS. */
  async delByPrefix(sub = ''): Promise<number> {
    const pattern = `${this.prefix}:${sub.replace(/([*?[\]\\])/g, '\\$1')}*`;
    let cursor = '0';
    let deleted = 0;
    do {
      const [next, keys] = (await this.#do((c) => c.send('SCAN', [cursor, 'MATCH', pattern, 'COUNT', '500']))) as [string, string[]];
      cursor = next;
      if (keys.length) deleted += Number(await this.#do((c) => c.send('DEL', keys)));
    } while (cursor !== '0');
    return deleted;
  }

  close(): void {
    this.#client?.close();
    this.#client = null;
    this.#connecting = null;
  }

  async #do<T>(fn: (c: RedisClient) => Promise<T>): Promise<T> {
    if (!this.#url) throw new KitError('redis_unavailable', 'REDIS_URL is not set');
    try {
      if (!this.#client) {
        const client = new RedisClient(this.#url, { autoReconnect: true, enableOfflineQueue: false, connectionTimeout: 2000 });
        this.#client = client;
        this.#connecting = client.connect();
      }
      // Without an offline queue a command before the handshake fails; wait for it instead.
      await this.#connecting;
      return await fn(this.#client);
    } catch (e) {
      // Drop the client so the next call reconnects rather than reusing a dead socket.
      this.#client?.close();
      this.#client = null;
      this.#connecting = null;
      throw new KitError('redis_unavailable', `redis: ${(e as Error).message}`, { cause: e });
    }
  }
}
