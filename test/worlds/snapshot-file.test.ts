/**
 * The snapshot file format on its own: a round trip keeps every byte, and any change to the
 * file (a header field, a payload byte, its length) is caught. Redis sections keep every key
 * type with its TTL through the real shared Redis.
 */
import { afterAll, describe, expect, test } from 'bun:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareVersions, encodeSnapshot, readHeaderOnly, readSnapshot, type RedisEntry } from '../../src/worlds/snapshot-file.ts';
import { readRedis, writeRedis } from '../../src/worlds/portable.ts';
import { ensureInfra } from '../../src/docker/infra.ts';
import { deleteRedisPrefix } from '../../src/docker/redis-admin.ts';
import { describeDocker } from '../support/docker.ts';

const dir = mkdtempSync(join(tmpdir(), 'asym-snapfile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const header = {
  template: 'slack', templateVersion: '0.1.0', mode: 'api', migrations: ['001_init.sql'],
  world: { seed: 'asym', start: '2026-01-01T00:00:00.000Z' }, clock: { at: '2026-01-02T00:00:00.000Z', frozen: true },
  seed: { fixture: 'acme' }, ids: null,
  source: { clone: 'c', snapshot: 's', home: 'h', asym: '0.1.0', exportedAt: '2026-12-01T00:00:00.000Z' },
};
const redis: RedisEntry[] = [{ key: 'a', type: 'string', ttl: -1, value: 'x' }];

describe('snapshot file', () => {
  test('a round trip gives back the header, the database bytes and the Redis keys', () => {
    const db = Buffer.from('create table t (id int);\n\\.\nübung\n');
    const file = join(dir, 'ok.asym');
    writeFileSync(file, encodeSnapshot(header, db, redis));
    const c = readSnapshot(file);
    expect(c.header).toMatchObject({ ...header, format: 1, database: { bytes: db.length }, redis: { keys: 1 } });
    expect(c.database.equals(db)).toBe(true);
    expect(c.redis).toEqual(redis);
    expect(readHeaderOnly(file).header.checksum).toMatch(/^[0-9a-f]{64}$/);
  });

  test('every kind of damage is SNAPSHOT_CORRUPT', () => {
    const good = encodeSnapshot(header, Buffer.from('select 1;\n'), redis);
    const damaged: Buffer[] = [
      good.subarray(0, good.length - 1),
      Buffer.concat([good, Buffer.from('x')]),
      Buffer.from(good.toString('latin1').replace('"0.1.0"', '"0.1.1"'), 'latin1'),
      Buffer.from('not a snapshot at all'),
      Buffer.from('ASYM-SNAPSHOT 1\n{"format":1}\n'),
      Buffer.from('ASYM-SNAPSHOT 1\n{"format":1'),
    ];
    for (const [i, bytes] of damaged.entries()) {
      const file = join(dir, `bad${i}.asym`);
      writeFileSync(file, bytes);
      expect(() => readSnapshot(file)).toThrow(expect.objectContaining({ code: 'SNAPSHOT_CORRUPT' }));
    }
    const flipped = Buffer.from(good);
    flipped[flipped.length - 3] = flipped[flipped.length - 3]! ^ 0xff;
    writeFileSync(join(dir, 'flip.asym'), flipped);
    expect(() => readSnapshot(join(dir, 'flip.asym'))).toThrow(expect.objectContaining({ code: 'SNAPSHOT_CORRUPT' }));
  });

  test('a newer format is SNAPSHOT_TOO_NEW; versions compare numerically', () => {
    const file = join(dir, 'v2.asym');
    writeFileSync(file, 'ASYM-SNAPSHOT 2\n{}\n');
    expect(() => readSnapshot(file)).toThrow(expect.objectContaining({ code: 'SNAPSHOT_TOO_NEW' }));
    expect(compareVersions('0.10.0', '0.9.1')).toBe(1);
    expect(compareVersions('0.1.0', '0.1.0')).toBe(0);
    expect(compareVersions('0.1', '0.1.2')).toBe(-1);
  });
});

describeDocker('snapshot file: Redis section', () => {
  test('strings, hashes, lists, sets and sorted sets come back with their TTLs', async () => {
    const infra = await ensureInfra();
    const from = `asym-snapfile-test:${process.pid}:a:`;
    const to = `asym-snapfile-test:${process.pid}:b:`;
    const client = new Bun.RedisClient(`redis://127.0.0.1:${infra.redisPort}`);
    try {
      await client.send('SET', [`${from}s`, 'välue', 'PX', '600000']);
      await client.send('HSET', [`${from}h`, 'f', '1', 'g', '2']);
      await client.send('RPUSH', [`${from}l`, 'x', 'y', 'x']);
      await client.send('SADD', [`${from}set`, 'm', 'n']);
      await client.send('ZADD', [`${from}z`, '1.5', 'q', '2', 'r']);
      const read = await readRedis(infra, from);
      expect(read.map((e) => [e.key, e.type])).toEqual([['h', 'hash'], ['l', 'list'], ['s', 'string'], ['set', 'set'], ['z', 'zset']]);
      await writeRedis(infra, to, JSON.parse(JSON.stringify(read)));
      const back = await readRedis(infra, to);
      expect(back.map(({ ttl, ...e }) => e)).toEqual(read.map(({ ttl, ...e }) => e));
      const ttl = back.find((e) => e.key === 's')!.ttl;
      expect(ttl).toBeGreaterThan(500_000);
      expect(back.find((e) => e.key === 'h')!.ttl).toBe(-1);
    } finally {
      client.close();
      await deleteRedisPrefix(infra, `asym-snapfile-test:${process.pid}:`);
    }
  });
});
