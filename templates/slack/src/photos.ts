import { deflateSync } from 'node:zlib';
import type { KitContext } from '../../_kit/types.ts';
import { str } from '../../_kit/http.ts';
import { fail } from './errors.ts';
import { nowSeconds } from './ids.ts';
import { photoUrl } from './render.ts';
import { getUser } from './store.ts';
import type { Handler } from './types.ts';

/**
 * Profile photos. users.setPhoto takes a multipart `image` (PNG, JPEG or GIF), keeps its
 * bytes in user_photos and points every profile.image_* at
 * <ASYM_PUBLIC_URL>/avatars/<user>/<hash>_<size>.<ext>, which this clone serves (the uploaded
 * image as is: the crop box is recorded, not applied). users.deletePhoto reverts to the
 * default avatar, <ASYM_PUBLIC_URL>/avatars/<id>/<size>.png, a generated square in the user's
 * colour.
 */

const MAX_BYTES = 10 * 1024 * 1024;
const MAX_SIDE = 8192;

export interface ImageInfo {
  type: 'png' | 'jpg' | 'gif';
  contentType: string;
  width: number;
  height: number;
}

/** Reads the format and dimensions from the header; null when it is not a PNG, JPEG or GIF. */
export function sniffImage(b: Uint8Array): ImageInfo | null {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (b.length >= 24 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47 && b[12] === 0x49 && b[13] === 0x48 && b[14] === 0x44 && b[15] === 0x52) {
    return { type: 'png', contentType: 'image/png', width: dv.getUint32(16), height: dv.getUint32(20) };
  }
  if (b.length >= 10 && b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x38 && (b[4] === 0x37 || b[4] === 0x39) && b[5] === 0x61) {
    return { type: 'gif', contentType: 'image/gif', width: dv.getUint16(6, true), height: dv.getUint16(8, true) };
  }
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xd8) {
    let i = 2;
    while (i + 9 < b.length) {
      if (b[i] !== 0xff) return null;
      const marker = b[i + 1] as number;
      if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
        i += 2;
        continue;
      }
      const len = dv.getUint16(i + 2);
      // SOF0..SOF15 carry the frame size, except DHT (C4), JPG (C8) and DAC (CC).
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        return { type: 'jpg', contentType: 'image/jpeg', height: dv.getUint16(i + 5), width: dv.getUint16(i + 7) };
      }
      i += 2 + len;
    }
  }
  return null;
}

function cropValue(v: unknown): number | null {
  const s = str(v);
  if (s === undefined || s === '') return null;
  const n = Number(s);
  return Number.isFinite(n) && n >= 0 ? Math.trunc(n) : null;
}

export const setPhoto: Handler = async (call) => {
  const file = call.files.image;
  if (!file) fail('bad_image');
  const bytes = new Uint8Array(await file.arrayBuffer());
  if (bytes.length > MAX_BYTES) fail('too_large');
  const img = sniffImage(bytes);
  if (!img || img.width === 0 || img.height === 0) fail('bad_image');
  if (img.width > MAX_SIDE || img.height > MAX_SIDE) fail('too_large');
  // The crop box is optional and square; one outside the image is clamped to it.
  let [x, y, w] = [cropValue(call.params.crop_x), cropValue(call.params.crop_y), cropValue(call.params.crop_w)];
  if (w !== null) {
    x = Math.min(x ?? 0, img.width - 1);
    y = Math.min(y ?? 0, img.height - 1);
    w = Math.max(1, Math.min(w, img.width - x, img.height - y));
  } else {
    x = null;
    y = null;
  }
  const hash = new Bun.CryptoHasher('sha1').update(bytes).update(call.caller.userId).digest('hex').slice(0, 12);
  const now = nowSeconds();
  const db = call.ctx.db;
  await db.tx(async (tx) => {
    await tx`insert into user_photos (user_id, content_type, bytes, width, height, crop_x, crop_y, crop_w, updated)
      values (${call.caller.userId}, ${img.contentType}, ${bytes}, ${img.width}, ${img.height}, ${x}, ${y}, ${w}, ${now})
      on conflict (user_id) do update set content_type = excluded.content_type, bytes = excluded.bytes, width = excluded.width,
        height = excluded.height, crop_x = excluded.crop_x, crop_y = excluded.crop_y, crop_w = excluded.crop_w, updated = excluded.updated`;
    await tx`update users set photo_hash = ${hash}, photo_ext = ${img.type}, updated = ${now} where id = ${call.caller.userId}`;
  });
  const publicUrl = call.ctx.env.publicUrl;
  const profile: Record<string, unknown> = {};
  for (const s of [24, 32, 48, 72, 192, 512, 1024]) profile[`image_${s}`] = photoUrl(publicUrl, call.caller.userId, hash, String(s), img.type);
  profile.image_original = photoUrl(publicUrl, call.caller.userId, hash, 'original', img.type);
  profile.avatar_hash = hash;
  return { profile };
};

export const deletePhoto: Handler = async (call) => {
  const db = call.ctx.db;
  await db.tx(async (tx) => {
    await tx`delete from user_photos where user_id = ${call.caller.userId}`;
    await tx`update users set photo_hash = null, photo_ext = null, updated = ${nowSeconds()} where id = ${call.caller.userId} and photo_hash is not null`;
  });
  return {};
};

// ---------------------------------------------------------------------------------------
// Serving avatars

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = (CRC_TABLE[(c ^ b) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, data.length);
  out.set(new TextEncoder().encode(type), 4);
  out.set(data, 8);
  dv.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** A size x size PNG filled with one colour (RGB hex like "9f69e7"). */
export function solidPng(size: number, hex: string): Uint8Array {
  const rgb = [0, 2, 4].map((i) => Number.parseInt(hex.slice(i, i + 2), 16) || 0x99);
  const row = new Uint8Array(1 + size * 3);
  for (let x = 0; x < size; x++) row.set(rgb, 1 + x * 3);
  const raw = new Uint8Array(row.length * size);
  for (let y = 0; y < size; y++) raw.set(row, y * row.length);
  const ihdr = new Uint8Array(13);
  const dv = new DataView(ihdr.buffer);
  dv.setUint32(0, size);
  dv.setUint32(4, size);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const parts = [new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', new Uint8Array(deflateSync(raw))), chunk('IEND', new Uint8Array())];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

const defaults = new Map<string, Uint8Array>();
const SIZES = new Set([24, 32, 34, 36, 44, 48, 68, 72, 88, 102, 132, 192, 230, 512, 1024]);

/** GET /avatars/...: custom photos by hash, default avatars for users, bots and teams. */
export async function serveAvatar(req: Request, url: URL, ctx: KitContext): Promise<Response | null> {
  if (!url.pathname.startsWith('/avatars/')) return null;
  if (req.method !== 'GET' && req.method !== 'HEAD') return new Response('method not allowed', { status: 405 });
  const custom = /^\/avatars\/([A-Z0-9]+)\/([0-9a-f]{12})_(\d+|original)\.(png|jpg|gif)$/.exec(url.pathname);
  if (custom) {
    const [, userId, hash] = custom as unknown as [string, string, string];
    const u = await getUser(ctx.db, userId);
    if (!u || u.photo_hash !== hash) return new Response('not found', { status: 404 });
    const rows = await ctx.db.q<{ content_type: string; bytes: Uint8Array }>`select content_type, bytes from user_photos where user_id = ${userId}`;
    if (!rows[0]) return new Response('not found', { status: 404 });
    return new Response(rows[0].bytes, { headers: { 'content-type': rows[0].content_type, 'cache-control': 'public, max-age=31536000, immutable' } });
  }
  const def = /^\/avatars\/([A-Z0-9]+)\/(\d+)\.png$/.exec(url.pathname);
  if (!def) return new Response('not found', { status: 404 });
  const [, id, sizeText] = def as unknown as [string, string, string];
  const size = Number(sizeText);
  if (!SIZES.has(size)) return new Response('not found', { status: 404 });
  const u = id.startsWith('U') || id.startsWith('W') ? await getUser(ctx.db, id) : null;
  const color = u?.color ?? '9e9ea6';
  const key = `${color}:${size}`;
  let png = defaults.get(key);
  if (!png) {
    png = solidPng(size, color);
    if (defaults.size < 500) defaults.set(key, png);
  }
  return new Response(png, { headers: { 'content-type': 'image/png', 'cache-control': 'public, max-age=3600' } });
}
