/**
 * Redis administration on the shared Redis, over its 127.0.0.1 port. Every operation on a
 * clone's keys walks its prefix with SCAN (never KEYS, which blocks the server).
 */
import { AsymmetricError } from '../contract/errors.ts';
import type { Infra } from './infra.ts';

/** Call `fn` with each batch of keys under `prefix` (glob characters in it escaped). */
async function scanPrefix(infra: Infra, prefix: string, fn: (client: Bun.RedisClient, keys: string[]) => Promise<void>): Promise<void> {
  const client = new Bun.RedisClient(`redis://${infra.host ?? '127.0.0.1'}:${infra.redisPort}`);
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

/**
 * Make the keys under `to` exactly a copy of those under `from`, in one Lua script: Redis
 * runs it atomically, so no reader (and no crash) ever sees half a restore. Clone key
 * spaces are small (rate-limit windows, caches), so one script is cheap.
 */
export async function replaceRedisPrefix(infra: Infra, from: string, to: string): Promise<number> {
  if (!to || to.length < 4) throw new AsymmetricError('INTERNAL', `refusing to replace Redis prefix ${JSON.stringify(to)}`);
  const esc = (p: string) => `${p.replace(/[*?[\]\\]/g, '\\$&')}*`;
  const script = `
    local function each(pattern, fn)
      local cursor = '0'
      repeat
        local r = redis.call('SCAN', cursor, 'MATCH', pattern, 'COUNT', 1000)
        cursor = r[1]
        for _, k in ipairs(r[2]) do fn(k) end
      until cursor == '0'
    end
    local old = {}
    each(ARGV[2], function(k) table.insert(old, k) end)
    for _, k in ipairs(old) do redis.call('UNLINK', k) end
    local n = 0
    each(ARGV[1], function(k)
      redis.call('COPY', k, ARGV[4] .. string.sub(k, string.len(ARGV[3]) + 1), 'REPLACE')
      n = n + 1
    end)
    return n`;
  const client = new Bun.RedisClient(`redis://${infra.host ?? '127.0.0.1'}:${infra.redisPort}`);
  try {
    return Number(await client.send('EVAL', [script, '0', esc(from), esc(to), from, to]));
  } catch (e) {
    throw new AsymmetricError('INFRA_UNHEALTHY', `Redis refused: ${(e as Error).message}`, { cause: e });
  } finally {
    client.close();
  }
}

/** The distinct key segments right after `prefix` (clone ids under a home, snapshot names under a clone). */
export async function segmentsUnder(infra: Infra, prefix: string): Promise<Set<string>> {
  const out = new Set<string>();
  await scanPrefix(infra, prefix, async (_client, keys) => {
    for (const k of keys) {
      const rest = k.slice(prefix.length);
      const end = rest.indexOf(':');
      if (end > 0) out.add(rest.slice(0, end));
    }
  });
  return out;
}
