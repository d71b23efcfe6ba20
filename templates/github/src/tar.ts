/**
 * A gzipped POSIX (ustar) tar of in-memory files: what a migration archive download holds.
 * Each file is a 512-byte header (octal sizes, checksum over the header with its own field
 * as spaces) and its bytes padded to 512; two zero blocks end the archive.
 */
export interface TarFile {
  name: string;
  data: Uint8Array;
}

const BLOCK = 512;

function header(name: string, size: number, mtime: Date): Uint8Array {
  const h = new Uint8Array(BLOCK);
  const put = (offset: number, length: number, value: string) => h.set(new TextEncoder().encode(value).subarray(0, length), offset);
  const octal = (n: number, length: number) => n.toString(8).padStart(length - 1, '0');
  put(0, 100, name);
  put(100, 8, octal(0o644, 8));
  put(108, 8, octal(0, 8));
  put(116, 8, octal(0, 8));
  put(124, 12, octal(size, 12));
  put(136, 12, octal(Math.floor(mtime.getTime() / 1000), 12));
  put(148, 8, '        ');
  put(156, 1, '0');
  put(257, 6, 'ustar');
  put(263, 2, '00');
  const sum = h.reduce((a, b) => a + b, 0);
  put(148, 8, `${octal(sum, 7)}\0`);
  return h;
}

export function tarGz(files: TarFile[], mtime: Date): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const f of files) {
    parts.push(header(f.name, f.data.length, mtime), f.data);
    const pad = (BLOCK - (f.data.length % BLOCK)) % BLOCK;
    if (pad) parts.push(new Uint8Array(pad));
  }
  parts.push(new Uint8Array(BLOCK * 2));
  return Bun.gzipSync(Buffer.concat(parts));
}
