/**
 * Snapshot files through the control plane. An upload (spin --from, restore --from, seed
 * --pack) is written to `<home>/serve/uploads/` as it arrives, counted against the limit
 * (ASYM_SERVE_MAX_UPLOAD bytes, default 256 MiB; FILE_TOO_LARGE, 413, past it) and handed
 * to the engine only once it is whole: the engine then checks it exactly as it checks a
 * local file (checksum, template, version, migration level, world) before touching
 * anything. A client that goes away mid-upload leaves a part file, which is removed; the
 * engine never sees it. A download (snapshot export, seed --save-as) is written there by
 * the engine, read, removed, and sent whole.
 *
 * The engine's messages name the file it read; the client's own path is put back in their
 * place, so an error reads as it would on the client's machine.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, readdirSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { SNAPSHOT_MEDIA_TYPE } from '../contract/api.ts';
import { AsymmetricError, isAsymmetricError } from '../contract/errors.ts';
import { ensurePrivateDir, homePath } from '../registry/home.ts';

const DEFAULT_LIMIT = 256 * 1024 * 1024;

/** The largest file the server accepts, in bytes (ASYM_SERVE_MAX_UPLOAD). */
export function uploadLimit(): number {
  const n = Number(process.env.ASYM_SERVE_MAX_UPLOAD);
  return Number.isInteger(n) && n > 0 ? n : DEFAULT_LIMIT;
}

function uploadsDir(): string {
  return ensurePrivateDir(homePath('serve', 'uploads'));
}

/** A fresh path in the uploads folder (nothing is created yet). */
export function scratchFile(): string {
  return join(uploadsDir(), `${randomBytes(8).toString('hex')}.asym`);
}

/** Remove what a previous run left in the uploads folder (at start, nothing is in flight). */
export function clearUploads(): number {
  const dir = homePath('serve', 'uploads');
  if (!existsSync(dir)) return 0;
  const left = readdirSync(dir);
  for (const f of left) rmSync(join(dir, f), { force: true });
  return left.length;
}

/** Does this request carry a snapshot file (rather than a JSON body)? */
export function carriesFile(req: Request): boolean {
  const type = (req.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  return type === SNAPSHOT_MEDIA_TYPE || type === 'application/octet-stream';
}

function tooLarge(limit: number): AsymmetricError {
  return new AsymmetricError('FILE_TOO_LARGE', `the file is larger than this control plane accepts (${limit} bytes)`, {
    hint: 'nothing was changed; ask the operator for a larger ASYM_SERVE_MAX_UPLOAD, or bring the file back on the server\'s machine',
    details: { maxBytes: limit },
  });
}

/**
 * The request's body, whole, in a file of the uploads folder; `use` gets its path, and the
 * file is removed when `use` ends, whatever happened. Past the limit, or cut short (the
 * client went away), nothing is handed on.
 */
export async function withUpload<T>(req: Request, use: (file: string) => Promise<T>): Promise<T> {
  const limit = uploadLimit();
  const declared = req.headers.get('content-length');
  if (declared !== null && Number(declared) > limit) throw tooLarge(limit);
  if (!req.body) throw new AsymmetricError('INVALID_INPUT', 'the request has no file', { hint: `send the snapshot file as the body (content-type ${SNAPSHOT_MEDIA_TYPE})` });
  const file = scratchFile();
  const fd = openSync(file, 'wx', 0o600);
  let open = true;
  try {
    let bytes = 0;
    const reader = req.body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        bytes += value.length;
        if (bytes > limit) throw tooLarge(limit);
        writeSync(fd, value);
      }
    } catch (e) {
      if (isAsymmetricError(e)) throw e;
      throw new AsymmetricError('INTERRUPTED', `the upload broke off after ${bytes} bytes: ${(e as Error).message}`, { hint: 'nothing was changed; send the file again' });
    } finally {
      reader.releaseLock();
    }
    if (declared !== null && bytes !== Number(declared)) {
      throw new AsymmetricError('INTERRUPTED', `the upload ended after ${bytes} of ${declared} bytes`, { hint: 'nothing was changed; send the file again' });
    }
    closeSync(fd);
    open = false;
    return await use(file);
  } finally {
    if (open) closeSync(fd);
    rmSync(file, { force: true });
  }
}

/** The engine's error with the client's path where it names the server's copy. */
export function asClients(e: unknown, file: string, clientFile: string | null): unknown {
  if (!isAsymmetricError(e) || !clientFile) return e;
  const swap = (s: string) => s.split(file).join(clientFile);
  return new AsymmetricError(e.code, swap(e.message), { ...(e.hint ? { hint: swap(e.hint) } : {}), ...(e.details ? { details: e.details } : {}), cause: e });
}

/** A file as the answer: multipart/form-data, the verb's JSON document (`result`) and the file (`file`). */
export function fileResponse(bytes: Uint8Array, result: unknown, status = 200): Response {
  const form = new FormData();
  form.append('result', JSON.stringify(result));
  form.append('file', new Blob([bytes], { type: SNAPSHOT_MEDIA_TYPE }), 'snapshot.asym');
  return new Response(form, { status });
}

/** Run `make` with a scratch path it writes a file to; answer that file's bytes and remove it. */
export async function withDownload<T>(make: (file: string) => Promise<T>): Promise<{ bytes: Uint8Array; result: T }> {
  const file = scratchFile();
  try {
    const result = await make(file);
    return { bytes: await Bun.file(file).bytes(), result };
  } finally {
    rmSync(file, { force: true });
  }
}
