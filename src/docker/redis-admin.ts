import { AsymmetricError } from '../contract/errors.ts';
import type { Infra } from './infra.ts';

/** Delete every key under a clone's prefix (SCAN + UNLINK: never blocks Redis like KEYS). */
export async function deleteRedisPrefix(infra: Infra, prefix: string): Promise<number> {
  if (!prefix || prefix.length < 4) throw new AsymmetricError('INTERNAL', `refusing to delete Redis prefix ${JSON.stringify(prefix)}`);
  const client = new Bun.RedisClient(`redis://127.0.0.1:${infra.redisPort}`);
  let deleted = 0;
  try {
    let cursor = '0';
    const pattern = `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`;
    do {
      const [next, keys] = (await client.send('SCAN', [cursor, 'MATCH', pattern, 'COUNT', '1000'])) as [string, string[]];
      cursor = next;
      if (keys.length) deleted += Number(await client.send('UNLINK', keys));
    } while (cursor !== '0');
  } catch (e) {
    throw new AsymmetricError('INFRA_UNHEALTHY', `Redis refused: ${(e as Error).message}`, { cause: e });
  } finally {
    client.close();
  }
  return deleted;
}

export async function countRedisPrefix(infra: Infra, prefix: string): Promise<number> {
  const client = new Bun.RedisClient(`redis://127.0.0.1:${infra.redisPort}`);
  try {
    let cursor = '0';
    let n = 0;
    do {
      const [next, keys] = (await client.send('SCAN', [cursor, 'MATCH', `${prefix}*`, 'COUNT', '1000'])) as [string, string[]];
      cursor = next;
      n += keys.length;
    } while (cursor !== '0');
    return n;
  } finally {
    client.close();
  }
}
