/**
 * CloudProvider: the thin client of a control plane (asym serve). Every verb is one HTTP
 * call to /v1; a named error the server answers is rethrown here with its code, message
 * and hint, so a command prints (and exits) exactly as it would for a local clone. The
 * registry lives on the server; this side keeps only ASYM_REMOTE and ASYM_REMOTE_TOKEN
 * (and ASYM_REMOTE_CA, a PEM file to trust for a server with a private certificate).
 */
import { readFileSync } from 'node:fs';
import { AdminClient } from '../admin/client.ts';
import type { CloneInstance, CloneRecord, CloneSpec } from '../contract/clone.ts';
import type { DiffOptions, SnapshotMeta, StateDiff } from '../contract/diff.ts';
import { AsymmetricError, isErrorCode } from '../contract/errors.ts';
import type { CliProvider, TokensResult, UpgradeResult } from '../contract/provider.ts';
import type { ClockOp, ClockReading } from '../contract/clock.ts';
import type { CloneSpec as Spec } from '../contract/clone.ts';
import type { ExportResult, ImportResult } from '../worlds/portable.ts';
import type { SeedResult, SeedSpec } from '../contract/seed.ts';
import type { CloneStatus, LogLine, LogOptions } from '../contract/status.ts';
import { onInterrupt } from '../process/interrupt.ts';
import { remoteOrigin } from '../settings/remotes.ts';

export interface CloudProviderOptions {
  onProgress?: (step: string) => void;
  /** A PEM file to trust (a context's --ca; default ASYM_REMOTE_CA). */
  ca?: string;
  /** Where the URL came from, for messages: ASYM_REMOTE or `remote NAME`. */
  what?: string;
}

const enc = encodeURIComponent;

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

  private async fetch(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<Response> {
    // Ctrl-C ends the wait, not the operation: the server finishes or rolls it back on its own.
    const controller = new AbortController();
    const off = onInterrupt(() => controller.abort());
    signal?.addEventListener('abort', () => controller.abort());
    try {
      return await fetch(`${this.base}${path}`, {
        method,
        headers: { authorization: `Bearer ${this.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: controller.signal,
        ...this.tls(),
      });
    } catch (e) {
      if (controller.signal.aborted) {
        throw new AsymmetricError('INTERRUPTED', `interrupted while waiting for ${this.base}; the control plane finishes or rolls back the operation on its own`, {
          hint: 'asym ls shows where it stands',
          cause: e,
        });
      }
      throw new AsymmetricError('REMOTE_UNAVAILABLE', `the control plane at ${this.base} did not answer: ${(e as Error).message}`, {
        hint: `check ${this.opts.what ?? 'ASYM_REMOTE'} (asym remote ls) and that asym serve runs there (GET /v1/health)`,
        cause: e,
      });
    } finally {
      off();
    }
  }

  /** The answer's JSON, or the server's named error rethrown (also for CloudEnvironments). */
  async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.fetch(method, path, body);
    return (await this.read(res)) as T;
  }

  private async read(res: Response): Promise<unknown> {
    const text = await res.text();
    let doc: any;
    try {
      doc = JSON.parse(text);
    } catch {
      throw new AsymmetricError('REMOTE_UNAVAILABLE', `the control plane answered HTTP ${res.status} without JSON: ${text.slice(0, 200)}`, { hint: 'is ASYM_REMOTE an asym serve?' });
    }
    if (!res.ok || (doc && typeof doc === 'object' && 'error' in doc && doc.error && typeof doc.error === 'object')) {
      const e = doc?.error ?? {};
      throw new AsymmetricError(isErrorCode(e.code) ? e.code : 'INTERNAL', typeof e.message === 'string' ? e.message : `HTTP ${res.status}`, {
        ...(typeof e.hint === 'string' ? { hint: e.hint } : {}),
        ...(e.details && typeof e.details === 'object' ? { details: e.details } : {}),
      });
    }
    return doc;
  }

  async clock(id: string, op: ClockOp): Promise<ClockReading> {
    return op.op === 'show' ? this.call('GET', `/v1/clones/${enc(id)}/clock`) : this.call('POST', `/v1/clones/${enc(id)}/clock`, op);
  }

  /** Portable files live on the machine that reads or writes them; a control plane does not move them yet. */
  private filesLocalOnly(verb: string): never {
    throw new AsymmetricError('NOT_SUPPORTED', `${verb} reads or writes a file on this machine, and a control plane (${this.base}) does not carry files yet`, {
      hint: 'run it on the control plane\'s machine, or unset ASYM_REMOTE for a local clone',
    });
  }

  async exportSnapshot(_id: string, _name: string, _file: string): Promise<ExportResult> {
    return this.filesLocalOnly('snapshot export');
  }

  async createFrom(_spec: Omit<Spec, 'template' | 'seed' | 'world'> & { template?: string }, _file: string): Promise<CloneInstance> {
    return this.filesLocalOnly('spin --from');
  }

  async restoreFrom(_id: string, _file: string): Promise<ImportResult> {
    return this.filesLocalOnly('restore --from');
  }

  async create(spec: CloneSpec): Promise<CloneInstance> {
    this.opts.onProgress?.(`creating on ${this.base}`);
    return this.call('POST', '/v1/clones', spec);
  }

  async start(id: string): Promise<void> {
    await this.ensureRunning(id);
  }

  async ensureRunning(id: string): Promise<boolean> {
    return (await this.call<{ changed: boolean }>('POST', `/v1/clones/${enc(id)}/start`)).changed;
  }

  async stop(id: string): Promise<void> {
    await this.call('POST', `/v1/clones/${enc(id)}/stop`);
  }

  async destroy(id: string): Promise<void> {
    await this.call('DELETE', `/v1/clones/${enc(id)}`);
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
      res = await this.fetch('GET', `/v1/clones/${enc(id)}/logs?${q}`, undefined, opts.signal);
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

  async seed(id: string, spec: SeedSpec, opts: { force?: boolean; saveAs?: string } = {}): Promise<SeedResult> {
    if (opts.saveAs) this.filesLocalOnly('seed --save-as');
    if (spec.pack) this.filesLocalOnly('seed --pack');
    return this.call('POST', `/v1/clones/${enc(id)}/seed`, { spec, ...(opts.force ? { force: true } : {}) });
  }

  async reset(id: string): Promise<void> {
    await this.call('POST', `/v1/clones/${enc(id)}/reset`);
  }

  async snapshot(id: string, name: string): Promise<void> {
    await this.call('POST', `/v1/clones/${enc(id)}/snapshot`, { name });
  }

  async restore(id: string, name: string): Promise<void> {
    await this.call('POST', `/v1/clones/${enc(id)}/restore`, { name });
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
    return this.call('POST', `/v1/clones/${enc(id)}/upgrade`);
  }

  async diff(id: string, opts: DiffOptions = {}): Promise<StateDiff> {
    return this.call('POST', `/v1/clones/${enc(id)}/diff`, JSON.parse(JSON.stringify(opts)));
  }

  async fork(id: string, n: number, opts: { prefix?: string } = {}): Promise<{ source: string; clones: CloneInstance[]; ms: number }> {
    return this.call('POST', `/v1/clones/${enc(id)}/fork`, { n, ...(opts.prefix ? { prefix: opts.prefix } : {}) });
  }
}
