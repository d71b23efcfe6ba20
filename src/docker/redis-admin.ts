/**
 * Redis administration on the shared Redis, over its 127.0.0.1 port. Every operation on a
 * clone's keys walks its prefix with SCAN (never KEYS, which blocks the server).
 */
import { AsymmetricError } from '../contract/errors.ts';
import type { Infra } from './infra.ts';

/** Call `fn` with each batch of keys under `prefix` (glob characters in it escaped). */
async function scanPrefix(infra: Infra, prefix: string, fn: (client: Bun.RedisClient, keys: string[]) => Promise<void>): Promise<void> {
  const client = new Bun.RedisClient(`redis://127.0.0.1:${infra.redisPort}`);
  const pattern = `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`;
  try {
    let cursor = '0';
    do {
      const [next, keys] = (await client.send('SCAN', [cursor, 'MATCH', pattern, 'COUNT', '1000'])) as [string, string[]];
      cursor = next;
      if (keys.length) await fn(client, keys);
    } while (cursor !== '0');
  } catch (e) {
    throw new AsymmetricError('INFRA_UNHEALTHY', `Redis refused: ${(e as Error).message}`, { cause: e });
  } finally {
    client.close();
  }
}

/** Delete every key under a clone's prefix (UNLINK: freed in the background). */
export async function deleteRedisPrefix(infra: Infra, prefix: string): Promise<number> {
  if (!prefix || prefix.length < 4) throw new AsymmetricError('INTERNAL', `refusing to delete Redis prefix ${JSON.stringify(prefix)}`);
  let deleted = 0;
  await scanPrefix(infra, prefix, async (client, keys) => {
    deleted += Number(await client.send('UNLINK', keys));
  });
  return deleted;
}

export async function countRedisPrefix(infra: Infra, prefix: string): Promise<number> {
  let n = 0;
  await scanPrefix(infra, prefix, async (_client, keys) => {
    n += keys.length;
  });
  return n;
}

/** Replace everything under `to` with a copy of what is under `from` (COPY keeps types and TTLs). */
export async function copyRedisPrefix(infra: Infra, from: string, to: string): Promise<number> {
  await deleteRedisPrefix(infra, to);
  let n = 0;
  await scanPrefix(infra, from, async (client, keys) => {
    for (const key of keys) await client.send('COPY', [key, to + key.slice(from.length), 'REPLACE']);
    n += keys.length;
  });
  return n;
}
