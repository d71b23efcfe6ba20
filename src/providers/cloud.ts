/**
 * CloudProvider: the thin client of a control plane (asym serve). Every verb is one HTTP
 * call to /v1; a named error the server answers is rethrown here with its code, message
 * and hint, so a command prints (and exits) exactly as it would for a local clone. The
 * registry lives on the server; this side keeps only ASYM_REMOTE and ASYM_REMOTE_TOKEN
 * (and ASYM_REMOTE_CA, a PEM file to trust for a server with a private certificate).
 *
 * Verbs that report steps locally (spin, start, stop, destroy, reset, seed, snapshot,
 * restore, upgrade, fork, env up/down/reset) are asked for a stream (NDJSON
 * ProgressEvents), so their steps print here as they happen on the server. Files
 * live on this machine: a snapshot file is sent as the request's body (spin --from,
 * restore --from, and the packs of this home: seed --pack) or comes back as the answer's
 * (snapshot export, seed --save-as, written whole or not at all).
 */
import { existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { AdminClient } from '../admin/client.ts';
import type { CloneInstance, CloneRecord, CloneSpec } from '../contract/clone.ts';
import type { DiffOptions, SnapshotMeta, StateDiff } from '../contract/diff.ts';
import { SNAPSHOT_MEDIA_TYPE, type ProgressEvent } from '../contract/api.ts';
import { AsymmetricError, isErrorCode } from '../contract/errors.ts';
import type { CliProvider, SeedOptions, TokensResult, UpgradeResult } from '../contract/provider.ts';
import type { ClockOp, ClockReading } from '../contract/clock.ts';
import type { CloneSpec as Spec } from '../contract/clone.ts';
import type { ExportResult, ImportResult } from '../worlds/portable.ts';
import type { SeedResult, SeedSpec } from '../contract/seed.ts';
import type { CloneStatus, LogLine, LogOptions } from '../contract/status.ts';
import { onInterrupt } from '../process/interrupt.ts';
import { ensurePrivateDir, homePath } from '../registry/home.ts';
import { remoteOrigin } from '../settings/remotes.ts';
import { getTemplate } from '../templates/catalog.ts';
import { checkPackName, listPacks, packExists, packPath } from '../worlds/packs.ts';
import { readHeaderOnly, readSnapshot } from '../worlds/snapshot-file.ts';

export interface CloudProviderOptions {
  onProgress?: (step: string) => void;
  /** A PEM file to trust (a context's --ca; default ASYM_REMOTE_CA). */
  ca?: string;
  /** Where the URL came from, for messages: ASYM_REMOTE or `remote NAME`. */
  what?: string;
}

const enc = encodeURIComponent;

/** What a request sends: a JSON body, or a file (its path on this machine) as the body. */
interface Send {
  json?: unknown;
  file?: string;
  accept?: string;
  signal?: AbortSignal;
}

/** Write `bytes` to `file` through a temporary sibling and a rename: never a half file. */
function writeWhole(file: string, bytes: Uint8Array, check?: (tmp: string) => void): void {
  const dir = dirname(file);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new AsymmetricError('INVALID_INPUT', `folder ${dir} does not exist`, { hint: 'create it first, or pass -o with an existing folder' });
  const tmp = join(dir, `.${basename(file)}.${process.pid}.tmp`);
  try {
    writeFileSync(tmp, bytes, { mode: 0o600 });
    check?.(tmp);
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    if (e instanceof AsymmetricError) throw e;
    throw new AsymmetricError('INVALID_INPUT', `cannot write ${file}: ${(e as Error).message}`, { cause: e });
  }
}

/** A file to send: readable, and an asym snapshot by its first lines (the server checks the rest). */
function fileToSend(file: string): string {
  const path = resolve(file);
  readHeaderOnly(path);
  return path;
}

export class CloudProvider implements CliProvider {
  readonly kind = 'cloud' as const;
  private readonly base: string;

  constructor(url: string, private readonly token: string, private readonly opts: CloudProviderOptions = {}) {
    this.base = remoteOrigin(url, opts.what ?? 'ASYM_REMOTE');
  }

  private tls(): { tls?: { ca: string } } {
    const ca = this.opts.ca ?? process.env.ASYM_REMOTE_CA?.trim();
    return ca ? { tls: { ca: readFileSync(ca, 'utf8') } } : {};
  }

  private async fetch(method: string, path: string, send: Send = {}): Promise<Response> {
    // Ctrl-C ends the wait, not the operation: the server finishes or rolls it back on its own.
    const controller = new AbortController();
    const off = onInterrupt(() => controller.abort());
    send.signal?.addEventListener('abort', () => controller.abort());
    const headers: Record<string, string> = { authorization: `Bearer ${this.token}` };
    if (send.json !== undefined) headers['content-type'] = 'application/json';
    if (send.file !== undefined) headers['content-type'] = SNAPSHOT_MEDIA_TYPE;
    if (send.accept) headers.accept = send.accept;
    try {
      return await fetch(`${this.base}${path}`, {
        method,
        headers,
        body: send.file !== undefined ? Bun.file(send.file) : send.json === undefined ? undefined : JSON.stringify(send.json),
        signal: controller.signal,
        ...this.tls(),
      });
    } catch (e) {
      if (controller.signal.aborted) throw this.interruptedWait(e);
      throw new AsymmetricError('REMOTE_UNAVAILABLE', `the control plane at ${this.base} did not answer: ${(e as Error).message}`, {
        hint: `check ${this.opts.what ?? 'ASYM_REMOTE'} (asym remote ls) and that asym serve runs there (GET /v1/health)`,
        cause: e,
      });
    } finally {
      off();
    }
  }

  private interruptedWait(cause?: unknown): AsymmetricError {
    return new AsymmetricError('INTERRUPTED', `interrupted while waiting for ${this.base}; the control plane finishes or rolls back the operation on its own`, {
      hint: 'asym ls shows where it stands',
      ...(cause === undefined ? {} : { cause }),
    });
  }

  /**
   * `read` over an answer whose body is the wait (a stream, a file): Ctrl-C ends it as it
   * ends the wait for headers in fetch, not only once the server has finished.
   */
  private async interruptible<T>(read: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    const off = onInterrupt(() => controller.abort());
    try {
      return await read(controller.signal);
    } catch (e) {
      if (controller.signal.aborted) throw this.interruptedWait(e);
      throw e;
    } finally {
      off();
    }
  }

  /** The answer's JSON, or the server's named error rethrown (also for CloudEnvironments). */
  async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.fetch(method, path, { json: body });
    return (await this.read(res)) as T;
  }

  /**
   * A long verb as a stream: each step and member event goes to `onEvent` as the server
   * sends it, and the last line's answer is returned (or its named error thrown).
   */
  async streamed<T>(method: string, path: string, send: Send, onEvent: (ev: Exclude<ProgressEvent, { event: 'result' }>) => void): Promise<T> {
    return this.interruptible(async (signal) => {
      const res = await this.fetch(method, path, { ...send, accept: 'application/x-ndjson', signal });
      // Refused before it began (unknown key, another tenant's clone): one plain JSON answer.
      if (!(res.headers.get('content-type') ?? '').startsWith('application/x-ndjson')) return (await this.read(res)) as T;
      let last: Extract<ProgressEvent, { event: 'result' }> | null = null;
      try {
        for await (const line of ndjsonLines(res)) {
          const ev = JSON.parse(line) as ProgressEvent;
          if (ev.event === 'result') last = ev;
          else onEvent(ev);
        }
      } catch (e) {
        if (e instanceof AsymmetricError || signal.aborted) throw e;
        throw new AsymmetricError('REMOTE_UNAVAILABLE', `the answer from ${this.base} broke off: ${(e as Error).message}`, { hint: 'the control plane finishes or rolls back the operation on its own; asym ls shows where it stands', cause: e });
      }
      if (!last) throw new AsymmetricError('REMOTE_UNAVAILABLE', `the answer from ${this.base} ended before its result`, { hint: 'the control plane finishes or rolls back the operation on its own; asym ls shows where it stands' });
      return this.answer(last.status, last.body) as T;
    });
  }

  private async read(res: Response): Promise<unknown> {
    const text = await res.text();
    let doc: any;
    try {
      doc = JSON.parse(text);
    } catch {
      throw new AsymmetricError('REMOTE_UNAVAILABLE', `the control plane answered HTTP ${res.status} without JSON: ${text.slice(0, 200)}`, { hint: 'is ASYM_REMOTE an asym serve?' });
    }
    return this.answer(res.status, doc);
  }

  /** The document, or the named error it carries. */
  private answer(status: number, doc: any): unknown {
    if (status >= 400 || (doc && typeof doc === 'object' && 'error' in doc && doc.error && typeof doc.error === 'object')) {
      const e = doc?.error ?? {};
      throw new AsymmetricError(isErrorCode(e.code) ? e.code : 'INTERNAL', typeof e.message === 'string' ? e.message : `HTTP ${status}`, {
        ...(typeof e.hint === 'string' ? { hint: e.hint } : {}),
        ...(e.details && typeof e.details === 'object' ? { details: e.details } : {}),
      });
    }
    return doc;
  }

  /** A file as the answer (multipart/form-data): the file's bytes and the verb's document. */
  private async download<T>(method: string, path: string, send: Send = {}): Promise<{ bytes: Uint8Array; result: T }> {
    return this.interruptible((signal) => this.downloadOnce<T>(method, path, { ...send, signal }));
  }

  private async downloadOnce<T>(method: string, path: string, send: Send): Promise<{ bytes: Uint8Array; result: T }> {
    const res = await this.fetch(method, path, { ...send, accept: 'multipart/form-data' });
    if (!(res.headers.get('content-type') ?? '').startsWith('multipart/form-data')) {
      await this.read(res);
      throw new AsymmetricError('REMOTE_UNAVAILABLE', `${this.base} answered ${path} without a file`, { hint: 'is the control plane as new as this asym?' });
    }
    let form: Awaited<ReturnType<Response["formData"]>>;
    try {
      form = await res.formData();
    } catch (e) {
      if (send.signal?.aborted) throw e;
      throw new AsymmetricError('REMOTE_UNAVAILABLE', `the file from ${this.base} broke off: ${(e as Error).message}`, { hint: 'nothing was written; run it again', cause: e });
    }
    const result = form.get('result');
    const file = form.get('file');
    if (typeof result !== 'string' || !(file instanceof Blob)) throw new AsymmetricError('REMOTE_UNAVAILABLE', `${this.base} answered ${path} without its result and file parts`);
    return { bytes: new Uint8Array(await file.arrayBuffer()), result: JSON.parse(result) as T };
  }

  /** The server's steps as this command's progress lines. */
  private progress = (ev: Exclude<ProgressEvent, { event: 'result' }>): void => {
    if (ev.event === 'progress') this.opts.onProgress?.(ev.step);
  };

  async clock(id: string, op: ClockOp): Promise<ClockReading> {
    return op.op === 'show' ? this.call('GET', `/v1/clones/${enc(id)}/clock`) : this.call('POST', `/v1/clones/${enc(id)}/clock`, op);
  }

  /** `snapshot export`: the server writes the file, this side keeps it (checked whole before it takes the name). */
  async exportSnapshot(id: string, name: string, file: string): Promise<ExportResult> {
    const path = resolve(file);
    const dir = dirname(path);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new AsymmetricError('INVALID_INPUT', `folder ${dir} does not exist`, { hint: 'create it first, or pass -o with an existing folder' });
    this.opts.onProgress?.(`exporting on ${this.base}`);
    const { bytes, result } = await this.download<ExportResult>('GET', `/v1/clones/${enc(id)}/snapshots/${enc(name)}/file?file=${enc(path)}`);
    writeWhole(path, bytes, (tmp) => void readSnapshot(tmp));
    return { ...result, file: path, bytes: bytes.length };
  }

  /** `spin --from`: the file goes to the server, which checks it as a local spin --from does. */
  async createFrom(spec: Omit<Spec, 'template' | 'seed' | 'world'> & { template?: string }, file: string): Promise<CloneInstance> {
    const path = fileToSend(file);
    this.opts.onProgress?.(`sending ${basename(path)} to ${this.base}`);
    const q = new URLSearchParams({ spec: JSON.stringify(spec), file: path });
    return this.streamed('POST', `/v1/clones?${q}`, { file: path }, this.progress);
  }

  /** `restore --from`: the file goes to the server; the clone is restored whole or not at all. */
  async restoreFrom(id: string, file: string): Promise<ImportResult> {
    const path = fileToSend(file);
    this.opts.onProgress?.(`sending ${basename(path)} to ${this.base}`);
    return this.streamed('POST', `/v1/clones/${enc(id)}/restore?${new URLSearchParams({ file: path })}`, { file: path }, this.progress);
  }

  async create(spec: CloneSpec): Promise<CloneInstance> {
    if (spec.seed?.pack) return this.createWithPack(spec, spec.seed.pack);
    this.opts.onProgress?.(`creating on ${this.base}`);
    return this.streamed('POST', '/v1/clones', { json: spec }, this.progress);
  }

  async start(id: string): Promise<void> {
    await this.ensureRunning(id);
  }

  async ensureRunning(id: string): Promise<boolean> {
    return (await this.streamed<{ changed: boolean }>('POST', `/v1/clones/${enc(id)}/start`, {}, this.progress)).changed;
  }

  async stop(id: string): Promise<void> {
    await this.streamed('POST', `/v1/clones/${enc(id)}/stop`, {}, this.progress);
  }

  async destroy(id: string): Promise<void> {
    await this.streamed('DELETE', `/v1/clones/${enc(id)}`, {}, this.progress);
  }

  async status(id: string): Promise<CloneStatus> {
    return this.call('GET', `/v1/clones/${enc(id)}/status`);
  }

  async *logs(id: string, opts: LogOptions = {}): AsyncIterable<LogLine> {
    const q = new URLSearchParams();
    if (opts.follow) q.set('follow', 'true');
    if (opts.tail !== undefined) q.set('tail', String(opts.tail));
    if (opts.since) q.set('since', opts.since);
    if (opts.service) q.set('service', opts.service);
    let res: Response;
    try {
      res = await this.fetch('GET', `/v1/clones/${enc(id)}/logs?${q}`, { signal: opts.signal });
    } catch (e) {
      if (opts.signal?.aborted) return;
      throw e;
    }
    if (!res.ok) {
      await this.read(res);
      return;
    }
    const reader = res.body!.getReader();
    const dec = new TextDecoder();
    let buf = '';
    try {
      for (;;) {
        let chunk: Awaited<ReturnType<typeof reader.read>>;
        try {
          chunk = await reader.read();
        } catch (e) {
          if (opts.signal?.aborted) return;
          throw new AsymmetricError('REMOTE_UNAVAILABLE', `the log stream from ${this.base} broke: ${(e as Error).message}`);
        }
        if (chunk.done) break;
        buf += dec.decode(chunk.value, { stream: true });
        let nl: number;
        while ((nl = buf.indexOf('\n')) !== -1) {
          const line = buf.slice(0, nl).trim();
          buf = buf.slice(nl + 1);
          if (line) yield JSON.parse(line) as LogLine;
        }
      }
      if (buf.trim()) yield JSON.parse(buf) as LogLine;
    } finally {
      reader.releaseLock();
    }
  }

  /** This home's pack of that name, or FIXTURE_NOT_FOUND as a local spin or seed answers. */
  private localPack(template: string, name: string): string {
    if (!packExists(template, name)) {
      const packs = listPacks(template);
      throw new AsymmetricError('FIXTURE_NOT_FOUND', `this home has no saved ${template} pack ${name}`, {
        hint: packs.length ? `saved packs: ${packs.join(', ')}` : 'save one: asym seed <id> --ai … --save-as NAME',
      });
    }
    return packPath(template, name);
  }

  /**
   * spin --pack: the pack is this home's, so the clone is spun, then seeded with the pack
   * sent from here; if the seed fails the clone is destroyed, as a local spin is undone.
   */
  private async createWithPack(spec: CloneSpec, pack: string): Promise<CloneInstance> {
    this.localPack(spec.template, pack);
    const { seed: _, ...bare } = spec;
    const inst = await this.create(bare);
    try {
      await this.seed(inst.id, { pack });
    } catch (e) {
      await this.destroy(inst.id).catch(() => {});
      throw e;
    }
    return this.get(inst.id) as Promise<CloneInstance>;
  }

  /**
   * Packs are this home's, as for a local clone: `--pack NAME` sends this home's pack to the
   * server, `--save-as NAME` brings the seeded state back into this home's packs (the name
   * checked here before the seed runs, so a taken one costs no model call).
   */
  async seed(id: string, spec: SeedSpec, opts: SeedOptions = {}): Promise<SeedResult> {
    if (spec.pack) {
      const file = this.localPack((await this.get(id)).template, spec.pack);
      this.opts.onProgress?.(`sending pack ${spec.pack} to ${this.base}`);
      return this.streamed('POST', `/v1/clones/${enc(id)}/seed?${new URLSearchParams({ pack: spec.pack, file })}`, { file }, this.progress);
    }
    const body = { spec, ...(opts.force ? { force: true } : {}) };
    if (!opts.saveAs) return this.streamed('POST', `/v1/clones/${enc(id)}/seed`, { json: body }, this.progress);
    const template = (await this.get(id)).template;
    checkPackName(getTemplate(template), opts.saveAs);
    this.opts.onProgress?.(`seeding on ${this.base}`);
    const { bytes, result } = await this.download<SeedResult>('POST', `/v1/clones/${enc(id)}/seed`, { json: { ...body, savePack: true } });
    const file = packPath(template, opts.saveAs);
    ensurePrivateDir(homePath('packs', template));
    writeWhole(file, bytes, (tmp) => void readSnapshot(tmp));
    return { ...result, warnings: [...result.warnings, `saved as pack ${opts.saveAs} (${file}); replay it with --pack ${opts.saveAs}`] };
  }

  async reset(id: string): Promise<void> {
    await this.streamed('POST', `/v1/clones/${enc(id)}/reset`, {}, this.progress);
  }

  async snapshot(id: string, name: string): Promise<void> {
    await this.streamed('POST', `/v1/clones/${enc(id)}/snapshot`, { json: { name } }, this.progress);
  }

  async restore(id: string, name: string): Promise<void> {
    await this.streamed('POST', `/v1/clones/${enc(id)}/restore`, { json: { name } }, this.progress);
  }

  async listSnapshots(id: string): Promise<SnapshotMeta[]> {
    return this.call('GET', `/v1/clones/${enc(id)}/snapshots`);
  }

  async removeSnapshot(id: string, name: string): Promise<void> {
    await this.call('DELETE', `/v1/clones/${enc(id)}/snapshots/${enc(name)}`);
  }

  async list(): Promise<CloneRecord[]> {
    return this.call('GET', '/v1/clones');
  }

  async get(id: string): Promise<CloneRecord> {
    return this.call('GET', `/v1/clones/${enc(id)}`);
  }

  /** Records from the server already carry their endpoints (at its public host). */
  instance(record: CloneRecord): CloneInstance {
    const r = record as CloneRecord & { endpoints?: CloneInstance['endpoints'] };
    if (!r.endpoints) throw new AsymmetricError('INTERNAL', `record ${record.id} came without endpoints`);
    return r as CloneInstance;
  }

  admin(record: CloneRecord): AdminClient {
    const inst = this.instance(record);
    if (!record.adminSecret || !inst.endpoints.api) throw new AsymmetricError('CLONE_NOT_RUNNING', `clone ${record.id} has no admin endpoint`);
    return new AdminClient(inst.endpoints.api, record.adminSecret);
  }

  async tokens(id: string): Promise<TokensResult> {
    return this.call('GET', `/v1/clones/${enc(id)}/tokens`);
  }

  async userToken(id: string, user: string): Promise<unknown> {
    return this.call('POST', `/v1/clones/${enc(id)}/tokens`, { user });
  }

  async config(id: string, patch?: Record<string, unknown>): Promise<unknown> {
    return patch && Object.keys(patch).length ? this.call('POST', `/v1/clones/${enc(id)}/config`, { patch }) : this.call('GET', `/v1/clones/${enc(id)}/config`);
  }

  async upgrade(id: string): Promise<UpgradeResult> {
    return this.streamed('POST', `/v1/clones/${enc(id)}/upgrade`, {}, this.progress);
  }

  async diff(id: string, opts: DiffOptions = {}): Promise<StateDiff> {
    return this.call('POST', `/v1/clones/${enc(id)}/diff`, JSON.parse(JSON.stringify(opts)));
  }

  async fork(id: string, n: number, opts: { prefix?: string } = {}): Promise<{ source: string; clones: CloneInstance[]; ms: number }> {
    return this.streamed('POST', `/v1/clones/${enc(id)}/fork`, { json: { n, ...(opts.prefix ? { prefix: opts.prefix } : {}) } }, this.progress);
  }
}

/** The lines of an NDJSON answer as they arrive. */
async function* ndjsonLines(res: Response): AsyncIterable<string> {
  const reader = res.body!.getReader();
  const dec = new TextDecoder();
  let buf = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      buf += dec.decode(value, { stream: true });
      let nl: number;
      while ((nl = buf.indexOf('\n')) !== -1) {
        const line = buf.slice(0, nl).trim();
        buf = buf.slice(nl + 1);
        if (line) yield line;
      }
    }
    if (buf.trim()) yield buf.trim();
  } finally {
    reader.releaseLock();
  }
}
