import { createHash } from 'node:crypto';

/**
 * Just enough OpenPGP (RFC 4880) to read an ASCII-armored public key as GitHub's GPG key
 * objects show it: the primary key and its subkeys (v4 packets: key id from the SHA-1
 * fingerprint, creation time, algorithm), the user ids' email addresses, and from the
 * self-signatures the key flags and expiry. Signatures are read, not verified.
 */

export interface PgpKey {
  keyId: string;
  /** base64 of the whole key packet, as GitHub's `public_key` ("xsBN..."). */
  publicKey: string;
  createdAt: Date;
  expiresAt: Date | null;
  canSign: boolean;
  canCertify: boolean;
  canEncryptComms: boolean;
  canEncryptStorage: boolean;
}

export interface PgpPublicKey extends PgpKey {
  emails: string[];
  subkeys: PgpKey[];
}

export class PgpError extends Error {}

const fail = (why: string): never => {
  throw new PgpError(why);
};

function crc24(data: Uint8Array): number {
  let crc = 0xb704ce;
  for (const b of data) {
    crc ^= b << 16;
    for (let i = 0; i < 8; i++) {
      crc <<= 1;
      if (crc & 0x1000000) crc ^= 0x1864cfb;
    }
  }
  return crc & 0xffffff;
}

/** The armored block's bytes (armor headers skipped, the CRC-24 checksum checked when present). */
export function dearmor(text: string): Buffer {
  const m = /-----BEGIN PGP PUBLIC KEY BLOCK-----\r?\n([\s\S]*?)-----END PGP PUBLIC KEY BLOCK-----/.exec(text);
  if (!m) return fail('not an armored public key block');
  const lines = m[1]!.split(/\r?\n/).map((l) => l.trim());
  const blank = lines.indexOf('');
  const body = lines.slice(blank >= 0 && lines.slice(0, blank).every((l) => l.includes(':')) ? blank + 1 : 0).filter(Boolean);
  const sum = body.length && /^=[A-Za-z0-9+/]{4}$/.test(body[body.length - 1]!) ? body.pop()!.slice(1) : null;
  const b64 = body.join('');
  if (!b64 || !/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) return fail('bad base64');
  const bytes = Buffer.from(b64, 'base64');
  if (sum !== null && Buffer.from(sum, 'base64').readUIntBE(0, 3) !== crc24(bytes)) return fail('bad checksum');
  return bytes;
}

interface Packet {
  tag: number;
  body: Buffer;
  raw: Buffer;
}

function packets(bytes: Buffer): Packet[] {
  const out: Packet[] = [];
  let i = 0;
  while (i < bytes.length) {
    const start = i;
    const h = bytes[i++]!;
    if (!(h & 0x80)) return fail('bad packet header');
    let tag: number;
    let len: number;
    if (h & 0x40) {
      tag = h & 0x3f;
      const o1 = bytes[i++] ?? fail('truncated');
      if (o1 < 192) len = o1;
      else if (o1 < 224) len = ((o1 - 192) << 8) + (bytes[i++] ?? fail('truncated')) + 192;
      else if (o1 === 255) {
        if (i + 4 > bytes.length) return fail('truncated');
        len = bytes.readUInt32BE(i);
        i += 4;
      } else return fail('partial lengths are not allowed in keys');
    } else {
      tag = (h >> 2) & 0x0f;
      const type = h & 3;
      if (type === 3) len = bytes.length - i;
      else {
        const n = [1, 2, 4][type]!;
        if (i + n > bytes.length) return fail('truncated');
        len = bytes.readUIntBE(i, n);
        i += n;
      }
    }
    if (i + len > bytes.length) return fail('truncated');
    out.push({ tag, body: bytes.subarray(i, i + len), raw: bytes.subarray(start, i + len) });
    i += len;
  }
  return out;
}

/** Key flags (subpacket 27) and key expiry in seconds (subpacket 9) of a v4 signature's hashed area. */
function signatureInfo(body: Buffer): { type: number; flags: number | null; expiresIn: number | null } {
  if (body[0] !== 4 || body.length < 6) return { type: -1, flags: null, expiresIn: null };
  const type = body[1]!;
  const end = Math.min(body.length, 6 + body.readUInt16BE(4));
  let flags: number | null = null;
  let expiresIn: number | null = null;
  let i = 6;
  while (i < end) {
    const o1 = body[i++]!;
    let len: number;
    if (o1 < 192) len = o1;
    else if (o1 < 255) len = ((o1 - 192) << 8) + body[i++]! + 192;
    else {
      len = body.readUInt32BE(i);
      i += 4;
    }
    const sub = body[i]! & 0x7f;
    const data = body.subarray(i + 1, i + len);
    if (sub === 27 && data.length) flags = data[0]!;
    if (sub === 9 && data.length === 4) expiresIn = data.readUInt32BE(0);
    i += len;
  }
  return { type, flags, expiresIn };
}

// Capabilities by algorithm when no self-signature carries key flags.
const BY_ALGORITHM: Record<number, number> = { 1: 0x0f, 2: 0x0c, 3: 0x03, 16: 0x0c, 17: 0x03, 18: 0x0c, 19: 0x03, 22: 0x03 };

function key(p: Packet, sigs: Packet[]): PgpKey {
  if (p.body[0] !== 4 || p.body.length < 6) return fail('only version 4 keys are read');
  const created = p.body.readUInt32BE(1);
  const algorithm = p.body[5]!;
  const fingerprint = createHash('sha1').update(Buffer.from([0x99, p.body.length >> 8, p.body.length & 0xff])).update(p.body).digest();
  // Self-signatures: certifications (0x10-0x13) on the primary key, binding (0x18) on a subkey, direct (0x1f).
  const infos = sigs.map((s) => signatureInfo(s.body)).filter((s) => (s.type >= 0x10 && s.type <= 0x13) || s.type === 0x18 || s.type === 0x1f);
  const flags = infos.find((s) => s.flags !== null)?.flags ?? BY_ALGORITHM[algorithm] ?? 0;
  const expiresIn = infos.find((s) => s.expiresIn !== null)?.expiresIn ?? null;
  return {
    keyId: fingerprint.subarray(12).toString('hex').toUpperCase(),
    publicKey: p.raw.toString('base64'),
    createdAt: new Date(created * 1000),
    expiresAt: expiresIn ? new Date((created + expiresIn) * 1000) : null,
    canCertify: !!(flags & 0x01),
    canSign: !!(flags & 0x02),
    canEncryptComms: !!(flags & 0x04),
    canEncryptStorage: !!(flags & 0x08),
  };
}

/** Reads an armored public key; throws PgpError when it is not one. */
export function readPublicKey(armored: string): PgpPublicKey {
  const list = packets(dearmor(armored));
  if (list[0]?.tag !== 6) return fail('the block does not start with a public key');
  if (list.slice(1).some((p) => p.tag === 6)) return fail('one key per block');
  // Each key packet owns the signatures after it, up to the next key or subkey.
  const groups: Array<{ key: Packet; sigs: Packet[] }> = [];
  const emails: string[] = [];
  for (const p of list) {
    if (p.tag === 6 || p.tag === 14) groups.push({ key: p, sigs: [] });
    else if (p.tag === 2) groups[groups.length - 1]!.sigs.push(p);
    else if (p.tag === 13) {
      const email = /<([^<>\s]+@[^<>\s]+)>/.exec(p.body.toString('utf8'))?.[1];
      if (email && !emails.includes(email)) emails.push(email);
    }
  }
  const [primary, ...subs] = groups;
  return { ...key(primary!.key, primary!.sigs), emails, subkeys: subs.map((s) => key(s.key, s.sigs)) };
}
