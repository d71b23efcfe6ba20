/**
 * The portable snapshot file (`asym snapshot export`, `spin --from`, `restore --from`): one
 * clone's state in one file that any machine can bring back.
 *
 *   line 1   `ASYM-SNAPSHOT <format>`            the magic and the file format's version
 *   line 2   the header, one line of JSON         what the state is (SnapshotHeader below)
 *   rest     the payload: gzip of the database section (a plain-SQL pg_dump, --no-owner
 *            --no-privileges) followed by the Redis section (JSON: every key under the
 *            clone's prefix, with its type, value and TTL); the header gives both lengths
 *
 * `header.checksum` is the SHA-256 of the header line written without it (`"checksum":""`)
 * plus a newline plus the payload bytes, so a flipped bit anywhere (a version, a length, a
 * row) or a truncated copy is caught before anything is touched. The database section holds
 * no credential of the exporting clone: token hashes are replaced by role markers
 * (`asym:bot`, `asym:user`, `asym:revoked:…`) and signing secrets are blanked (see
 * portable.ts); the importing clone fills in its own.
 *
 * A reader refuses a format newer than it knows (SNAPSHOT_TOO_NEW), and any file that is not
 * exactly what its header says (SNAPSHOT_CORRUPT).
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import * as v from 'valibot';
import { AsymmetricError } from '../contract/errors.ts';
import { SeedSpecSchema } from '../contract/seed.ts';

export const SNAPSHOT_FORMAT = 1;
const MAGIC = 'ASYM-SNAPSHOT';

const WorldSchema = v.object({ seed: v.string(), start: v.string() });

export const SnapshotHeaderSchema = v.object({
  format: v.number(),
  template: v.string(),
  /** The template manifest's version the state was exported from. */
  templateVersion: v.string(),
  mode: v.string(),
  /** The migration level: every migration recorded in the database's asym_migrations, sorted. */
  migrations: v.array(v.string()),
  world: v.nullable(WorldSchema),
  /** The clone's clock as stored in the state (checkpointed at export). */
  clock: v.nullable(v.object({ at: v.string(), frozen: v.boolean() })),
  seed: v.nullable(SeedSpecSchema),
  /** The default app's ids (no secrets): what `asym tokens` shows besides the tokens. */
  ids: v.nullable(v.object({ appId: v.string(), workspaceId: v.string(), botUserId: v.string(), adminUserId: v.string() })),
  source: v.object({ clone: v.string(), snapshot: v.nullable(v.string()), home: v.string(), asym: v.string(), exportedAt: v.string() }),
  database: v.object({ bytes: v.number() }),
  redis: v.object({ bytes: v.number(), keys: v.number() }),
  payload: v.object({ bytes: v.number() }),
  checksum: v.string(),
});
export type SnapshotHeader = v.InferOutput<typeof SnapshotHeaderSchema>;

/** One Redis key, its name relative to the clone's prefix. */
export interface RedisEntry {
  key: string;
  type: 'string' | 'hash' | 'list' | 'set' | 'zset';
  /** Milliseconds left, or -1 for none. */
  ttl: number;
  value: string | string[] | Record<string, string> | [string, number][];
}

export interface SnapshotContents {
  header: SnapshotHeader;
  database: Buffer;
  redis: RedisEntry[];
}

function checksumOf(headerWithout: string, payload: Uint8Array): string {
  return createHash('sha256').update(headerWithout).update('\n').update(payload).digest('hex');
}

/** The file's bytes. `header` without the derived fields (lengths and checksum). */
export function encodeSnapshot(header: Omit<SnapshotHeader, 'format' | 'database' | 'redis' | 'payload' | 'checksum'>, database: Buffer, redis: RedisEntry[]): Buffer {
  const redisBytes = Buffer.from(JSON.stringify(redis));
  const payload = gzipSync(Buffer.concat([database, redisBytes]), { level: 6 });
  const full: SnapshotHeader = {
    format: SNAPSHOT_FORMAT,
    ...header,
    database: { bytes: database.length },
    redis: { bytes: redisBytes.length, keys: redis.length },
    payload: { bytes: payload.length },
    checksum: '',
  };
  full.checksum = checksumOf(JSON.stringify(full), payload);
  return Buffer.concat([Buffer.from(`${MAGIC} ${SNAPSHOT_FORMAT}\n${JSON.stringify(full)}\n`), payload]);
}

function corrupt(file: string, why: string): AsymmetricError {
  return new AsymmetricError('SNAPSHOT_CORRUPT', `${file} is not a complete asym snapshot: ${why}`, {
    hint: 'nothing was changed; export the snapshot again (asym snapshot export) or copy the whole file',
  });
}

/** Read the magic line and header only (cheap: `asym snapshot inspect`, compatibility checks). */
export function readHeaderOnly(file: string): { header: SnapshotHeader; offset: number; size: number } {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (e) {
    throw new AsymmetricError('INVALID_INPUT', `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { hint: 'pass the path of a file written by asym snapshot export' });
  }
  try {
    const size = statSync(file).size;
    const head = Buffer.alloc(Math.min(size, 1 << 20));
    readSync(fd, head, 0, head.length, 0);
    const first = head.indexOf(10);
    const magic = first > 0 ? head.subarray(0, first).toString('utf8') : '';
    const m = /^ASYM-SNAPSHOT (\d+)$/.exec(magic);
    if (!m) throw corrupt(file, 'it does not start with an asym snapshot header');
    const format = Number(m[1]);
    if (format > SNAPSHOT_FORMAT) {
      throw new AsymmetricError('SNAPSHOT_TOO_NEW', `${file} is snapshot format ${format}; this asym reads format ${SNAPSHOT_FORMAT} and older`, { hint: 'upgrade asym on this machine; nothing was changed' });
    }
    const second = head.indexOf(10, first + 1);
    if (second < 0) throw corrupt(file, 'its header is cut off');
    let raw: unknown;
    try {
      raw = JSON.parse(head.subarray(first + 1, second).toString('utf8'));
    } catch {
      throw corrupt(file, 'its header is not JSON');
    }
    const parsed = v.safeParse(SnapshotHeaderSchema, raw);
    if (!parsed.success) throw corrupt(file, `its header is malformed (${v.getDotPath(parsed.issues[0]!) ?? ''} ${parsed.issues[0]!.message})`);
    return { header: parsed.output, offset: second + 1, size };
  } finally {
    closeSync(fd);
  }
}

/** Read and check the whole file: every byte accounted for, the checksum right. */
export function readSnapshot(file: string): SnapshotContents {
  const { header, offset, size } = readHeaderOnly(file);
  if (size - offset !== header.payload.bytes) {
    throw corrupt(file, `${size - offset < header.payload.bytes ? 'it is truncated' : 'it has extra bytes'} (payload ${size - offset} bytes, header says ${header.payload.bytes})`);
  }
  const bytes = readFileSync(file);
  const payload = bytes.subarray(offset);
  const headerLine = bytes.subarray(bytes.indexOf(10) + 1, offset - 1).toString('utf8');
  const without = headerLine.replace(`"checksum":"${header.checksum}"`, '"checksum":""');
  if (checksumOf(without, payload) !== header.checksum) throw corrupt(file, 'its checksum does not match (the file was changed or damaged)');
  let body: Buffer;
  try {
    body = gunzipSync(payload);
  } catch {
    throw corrupt(file, 'its payload does not decompress');
  }
  if (body.length !== header.database.bytes + header.redis.bytes) throw corrupt(file, 'its sections do not add up');
  let redis: RedisEntry[];
  try {
    redis = JSON.parse(body.subarray(header.database.bytes).toString('utf8')) as RedisEntry[];
  } catch {
    throw corrupt(file, 'its Redis section is not JSON');
  }
  return { header, database: body.subarray(0, header.database.bytes), redis };
}

/** Compare dotted versions numerically: -1, 0, 1. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.+-]/).map((x) => Number.parseInt(x, 10) || 0);
  const pb = b.split(/[.+-]/).map((x) => Number.parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d) return d < 0 ? -1 : 1;
  }
  return 0;
}
