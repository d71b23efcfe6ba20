/**
 * Runs a template's verification scenario against a live clone through a recording proxy
 * and scores it. The proxy is what makes this SDK-agnostic: axios (Slack), node:http
 * (Stripe) and fetch (Octokit) all just see a base URL.
 */
import type { CloneInstance } from '../contract/clone.ts';
import { AsymmetricError } from '../contract/errors.ts';
import type { AdminClient } from '../docker/admin-client.ts';
import type { Exchange, OperationResult, ScenarioContext, TemplateVerifier, VerifyReport } from './types.ts';

const HOP_BY_HOP = ['host', 'connection', 'content-length', 'accept-encoding', 'transfer-encoding', 'keep-alive'];

export interface Recorder {
  url: string;
  exchanges: Exchange[];
  stop(): void;
}

/** A loopback proxy to `target` that keeps every exchange (method, path, status, JSON body). */
export function startRecorder(target: string): Recorder {
  const exchanges: Exchange[] = [];
  const base = target.replace(/\/$/, '');
  const server = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    async fetch(req) {
      const url = new URL(req.url);
      const headers = new Headers(req.headers);
      for (const h of HOP_BY_HOP) headers.delete(h);
      const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
      const sent = hasBody ? await req.arrayBuffer() : undefined;
      const res = await fetch(`${base}${url.pathname}${url.search}`, {
        method: req.method,
        headers,
        body: sent,
        redirect: 'manual',
      });
      const bytes = await res.arrayBuffer();
      let body: unknown;
      if ((res.headers.get('content-type') ?? '').includes('json') && bytes.byteLength) {
        try {
          body = JSON.parse(new TextDecoder().decode(bytes));
        } catch {
          body = undefined;
        }
      }
      exchanges.push({ method: req.method, path: `${url.pathname}${url.search}`, status: res.status, body, requestBody: sent?.byteLength ? new TextDecoder().decode(sent) : undefined });
      const out = new Headers(res.headers);
      // fetch already decoded the body; the length and encoding headers no longer describe it.
      for (const h of ['content-encoding', 'content-length', 'transfer-encoding', 'connection']) out.delete(h);
      return new Response(res.status === 204 || res.status === 304 ? null : bytes, { status: res.status, statusText: res.statusText, headers: out });
    },
  });
  return { url: `http://127.0.0.1:${server.port}`, exchanges, stop: () => void server.stop(true) };
}

export interface RunOptions {
  onProgress?: (message: string) => void;
}

export async function runVerification(verifier: TemplateVerifier, clone: CloneInstance, admin: AdminClient, opts: RunOptions = {}): Promise<VerifyReport> {
  const started = performance.now();
  const tokens = clone.tokens;
  if (!tokens) throw new AsymmetricError('CLONE_NOT_RUNNING', `clone ${clone.id} has no tokens: it was never provisioned`, { hint: 'spin a new clone, or let asym verify spin a throwaway one' });
  const recorder = startRecorder(clone.endpoints.api);
  const failedSteps: { step: string; error: string }[] = [];
  const ctx: ScenarioContext = {
    apiUrl: recorder.url,
    clone: { ...clone, tokens },
    unique: `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`,
    async step(name, fn) {
      opts.onProgress?.(`${verifier.template}: ${name}`);
      try {
        await fn();
      } catch (e) {
        failedSteps.push({ step: name, error: describe(e) });
      }
    },
    admin: (path, body, method = 'POST') => admin.call(path, body ?? {}, 60_000, method) as Promise<{ status: number; json: any }>,
  };
  try {
    await verifier.scenario(ctx);
  } finally {
    recorder.stop();
  }
  const operations = score(verifier, recorder.exchanges);
  const theirs = operations.length;
  const ours = operations.filter((o) => o.implemented).length;
  const matched = operations.filter((o) => o.matched).length;
  return {
    template: verifier.template,
    clone: clone.id,
    fidelity: {
      score: theirs ? Math.round((matched / theirs) * 10_000) / 10_000 : 0,
      operations: { ours, theirs, matched },
      checkedAt: new Date().toISOString(),
      source: `asym verify: ${verifier.sdk} against a live clone; bodies checked against ${verifier.shapes}`,
    },
    operations,
    failedSteps,
    ms: Math.round(performance.now() - started),
  };
}

/** Per operation: matched when the SDK got at least one success and every success conforms. */
export function score(verifier: TemplateVerifier, exchanges: Exchange[]): OperationResult[] {
  const results = new Map<string, OperationResult>();
  for (const op of verifier.operations()) results.set(op.id, { id: op.id, implemented: op.implemented, calls: 0, matched: false, problems: [] });
  for (const ex of exchanges) {
    // A GraphQL request can call several operations (root fields) at once.
    const ids = verifier.operationsOf ? verifier.operationsOf(ex) : [verifier.operationOf(ex.method, ex.path)];
    for (const id of ids) {
      const r = id ? results.get(id) : undefined;
      if (!r || !verifier.succeeded(ex)) continue;
      r.calls++;
      for (const p of verifier.validate(r.id, ex)) if (r.problems.length < 10 && !r.problems.includes(p)) r.problems.push(p);
    }
  }
  for (const r of results.values()) {
    r.matched = r.implemented && r.calls > 0 && r.problems.length === 0;
    if (r.implemented && r.calls === 0) r.problems.push('never answered successfully during the run');
  }
  return [...results.values()];
}

function describe(e: unknown): string {
  const any = e as { message?: string; data?: { error?: string }; status?: number; code?: string };
  const detail = any?.data?.error ?? any?.code;
  return `${any?.message ?? String(e)}${detail && !String(any?.message).includes(detail) ? ` (${detail})` : ''}`.slice(0, 300);
}
