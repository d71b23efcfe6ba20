/**
 * Runs a template's verification scenario against a live clone through a recording proxy
 * and scores it. The proxy is what makes this SDK-agnostic: axios (Slack), node:http
 * (Stripe) and fetch (Octokit) all just see a base URL.
 */
import type { CloneInstance } from '../contract/clone.ts';
import { AsymmetricError } from '../contract/errors.ts';
import type { AdminClient } from '../admin/client.ts';
import type { FidelityScore } from '../contract/fidelity.ts';
import { excludedFamilies } from './scope.ts';
import type { Exchange, OperationResult, ScenarioContext, TemplateVerifier, VerifyReport } from './types.ts';

const HOP_BY_HOP = ['host', 'connection', 'content-length', 'accept-encoding', 'transfer-encoding', 'keep-alive'];

export interface Recorder {
  url: string;
  exchanges: Exchange[];
  /** Tags the exchanges that follow with this step name. */
  step: string | undefined;
  stop(): void;
}

/** A loopback proxy to `target` that keeps every exchange (method, path, status, JSON body, the request). */
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
      const sent = hasBody ? new Uint8Array(await req.arrayBuffer()) : undefined;
      const step = recorder.step;
      const res = await fetch(`${base}${url.pathname}${url.search}`, { method: req.method, headers, body: sent, redirect: 'manual' });
      const bytes = await res.arrayBuffer();
      let body: unknown;
      if ((res.headers.get('content-type') ?? '').includes('json') && bytes.byteLength) {
        try {
          body = JSON.parse(new TextDecoder().decode(bytes));
        } catch {
          body = undefined;
        }
      }
      exchanges.push({ method: req.method, path: `${url.pathname}${url.search}`, status: res.status, body, step, request: { headers: Object.fromEntries(headers), body: sent }, requestBody: sent?.byteLength ? new TextDecoder().decode(sent) : undefined });
      const out = new Headers(res.headers);
      // fetch already decoded the body; the length and encoding headers no longer describe it.
      for (const h of ['content-encoding', 'content-length', 'transfer-encoding', 'connection']) out.delete(h);
      return new Response(res.status === 204 || res.status === 304 ? null : bytes, { status: res.status, statusText: res.statusText, headers: out });
    },
  });
  const recorder: Recorder = { url: `http://127.0.0.1:${server.port}`, exchanges, step: undefined, stop: () => void server.stop(true) };
  return recorder;
}

export interface RunOptions {
  onProgress?: (message: string) => void;
}

/** Evidence gathered while a scenario runs, before it is scored per operation. */
export interface Gathered {
  exchanges: Exchange[];
  checks: { ops: string[]; name: string; ok: boolean; detail?: string }[];
  failedSteps: { step: string; error: string; covers: string[] }[];
}

export async function runVerification(verifier: TemplateVerifier, clone: CloneInstance, admin: AdminClient, opts: RunOptions = {}): Promise<VerifyReport> {
  const started = performance.now();
  const tokens = clone.tokens;
  if (!tokens) throw new AsymmetricError('CLONE_NOT_RUNNING', `clone ${clone.id} has no tokens: it was never provisioned`, { hint: 'spin a new clone, or let asym verify spin a throwaway one' });
  const target = clone.endpoints.api.replace(/\/$/, '');
  const recorder = startRecorder(target);
  const got: Gathered = { exchanges: recorder.exchanges, checks: [], failedSteps: [] };
  const ctx: ScenarioContext = {
    apiUrl: recorder.url,
    clone: { ...clone, tokens },
    unique: `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`,
    async step(name, fn, covers = []) {
      opts.onProgress?.(`${verifier.template}: ${name}`);
      recorder.step = name;
      try {
        await fn();
      } catch (e) {
        got.failedSteps.push({ step: name, error: describe(e), covers });
      } finally {
        recorder.step = undefined;
      }
    },
    async check(ops, name, fn) {
      const list = Array.isArray(ops) ? ops : [ops];
      try {
        const r = await fn();
        if (r === false) throw new AsymmetricError('VERIFY_STEP_FAILED', 'the check does not hold');
        got.checks.push({ ops: list, name, ok: true });
        return true;
      } catch (e) {
        got.checks.push({ ops: list, name, ok: false, detail: describe(e) });
        return false;
      }
    },
    async errorCase(op, name, expected, call) {
      const from = recorder.exchanges.length;
      await call().catch(() => undefined);
      const ex = recorder.exchanges.slice(from).find((x) => opsOf(verifier, x).includes(op));
      const code = ex && verifier.errorCode(ex);
      const ok = !!ex && ex.status === expected.status && code === expected.code;
      got.checks.push({ ops: [op], name: `error: ${name}`, ok, detail: ok ? undefined : `expected ${expected.status} ${expected.code}, got ${ex ? `${ex.status} ${code ?? '(no code)'}` : 'no request'}` });
    },
    admin: (path, body, method = 'POST') => admin.call(path, body ?? {}, 60_000, method) as Promise<{ status: number; json: any }>,
  };
  try {
    await verifier.scenario(ctx);
  } finally {
    recorder.stop();
  }
  // Generic error probes: each operation's first successful request replayed with one thing
  // changed (a bad token, a missing id), straight to the clone, after the scenario's writes.
  const probed = new Set<string>();
  for (const ex of [...recorder.exchanges]) {
    if (!verifier.succeeded(ex)) continue;
    // GraphQL: one exchange can call several operations; each is probed from its first success.
    for (const op of opsOf(verifier, ex)) {
      if (probed.has(op)) continue;
      probed.add(op);
      for (const probe of verifier.probes) {
        const req = probe.apply(op, ex);
        if (!req) continue;
        const res = await fetch(`${target}${req.path}`, { method: ex.method, headers: req.headers, body: req.body, redirect: 'manual' }).catch(() => null);
        const text = res ? await res.text() : '';
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          body = undefined;
        }
        const answer: Exchange = { method: ex.method, path: req.path, status: res?.status ?? 0, body };
        const code = verifier.errorCode(answer);
        const ok = answer.status === req.expected.status && code === req.expected.code;
        got.checks.push({ ops: [op], name: `error: ${probe.name}`, ok, detail: ok ? undefined : `expected ${req.expected.status} ${req.expected.code}, got ${answer.status} ${code ?? '(no code)'}` });
      }
    }
  }
  const operations = score(verifier, got);
  return {
    template: verifier.template,
    clone: clone.id,
    endpoint: target,
    fidelity: fidelityOf(verifier, operations),
    operations,
    failedSteps: got.failedSteps.map(({ step, error }) => ({ step, error })),
    excluded: excludedFamilies(verifier.template),
    ms: Math.round(performance.now() - started),
  };
}

/**
 * The operations one exchange calls. GraphQL verifiers answer operationOf with null (the path
 * is always /graphql), so error cases and probes must ask operationsOf, or they find nothing.
 */
const opsOf = (verifier: TemplateVerifier, ex: Exchange): string[] => {
  if (verifier.operationsOf) return verifier.operationsOf(ex);
  const op = verifier.operationOf(ex.method, ex.path);
  return op ? [op] : [];
};

const round = (x: number) => Math.round(x * 10_000) / 10_000;

/** The template's score: per-operation evidence averaged over the vendor's operations (see FidelityScore). */
export function fidelityOf(verifier: TemplateVerifier, operations: OperationResult[]): FidelityScore {
  const theirs = operations.length;
  const mean = (f: (o: OperationResult) => number) => (theirs ? round(operations.reduce((a, o) => a + f(o), 0) / theirs) : 0);
  const part = (k: 'shape' | 'behaviour' | 'errors') => ({ score: mean((o) => o[k]), passed: operations.filter((o) => o[k] === 1).length });
  const excluded = excludedFamilies(verifier.template);
  return {
    score: mean((o) => o.score),
    operations: { ours: operations.filter((o) => o.implemented).length, theirs, matched: operations.filter((o) => o.matched).length },
    parts: { shape: part('shape'), behaviour: part('behaviour'), errors: part('errors') },
    ...(Object.keys(excluded).length ? { excluded } : {}),
    checkedAt: new Date().toISOString(),
    source: `asym verify: ${verifier.sdk} against a live clone; bodies checked against ${verifier.shapes}; score = mean of shape × behaviour × errors per operation`,
  };
}

/**
 * Per operation. Shape: 1 when it answered successfully at least once and every success had
 * the documented status and body. Behaviour and errors: the share of their checks that held
 * (0 without any). A failed step fails, as behaviour, every operation it called or declared.
 * Score: shape × behaviour × errors.
 */
export function score(verifier: TemplateVerifier, got: Gathered | Exchange[]): OperationResult[] {
  const g: Gathered = Array.isArray(got) ? { exchanges: got, checks: [], failedSteps: [] } : got;
  const empty = () => ({ passed: 0, total: 0, failures: [] as string[] });
  const results = new Map<string, OperationResult & { shapeProblems: string[] }>();
  for (const op of verifier.operations()) {
    results.set(op.id, { id: op.id, implemented: op.implemented, calls: 0, shape: 0, behaviour: 0, errors: 0, score: 0, matched: false, problems: [], shapeProblems: [], evidence: { behaviour: empty(), errors: empty() } });
  }
  const stepOps = new Map<string, Set<string>>();
  for (const ex of g.exchanges) {
    // A GraphQL request can call several operations (root fields) at once.
    const ids = verifier.operationsOf ? verifier.operationsOf(ex) : [verifier.operationOf(ex.method, ex.path)];
    for (const id of ids) {
      const r = id ? results.get(id) : undefined;
      if (!r) continue;
      if (ex.step) stepOps.set(ex.step, (stepOps.get(ex.step) ?? new Set()).add(r.id));
      if (!verifier.succeeded(ex)) continue;
      r.calls++;
      for (const p of verifier.validate(r.id, ex)) if (r.shapeProblems.length < 10 && !r.shapeProblems.includes(p)) r.shapeProblems.push(p);
    }
  }
  const add = (op: string, kind: 'behaviour' | 'errors', ok: boolean, why: string) => {
    const e = results.get(op)?.evidence[kind];
    if (!e) return;
    e.total++;
    if (ok) e.passed++;
    else if (e.failures.length < 10) e.failures.push(why);
  };
  for (const c of g.checks) {
    const kind = c.name.startsWith('error: ') ? 'errors' : 'behaviour';
    for (const op of c.ops) add(op, kind, c.ok, `${c.name}: ${c.detail ?? 'failed'}`);
  }
  for (const f of g.failedSteps) {
    for (const op of new Set([...(stepOps.get(f.step) ?? []), ...f.covers])) add(op, 'behaviour', false, `step "${f.step}" failed: ${f.error}`);
  }
  const out: OperationResult[] = [];
  for (const { shapeProblems, ...r } of results.values()) {
    if (r.implemented && r.calls === 0) shapeProblems.push('never answered successfully during the run');
    r.shape = r.calls > 0 && shapeProblems.length === 0 ? 1 : 0;
    const frac = (e: { passed: number; total: number }) => (e.total ? round(e.passed / e.total) : 0);
    r.behaviour = frac(r.evidence.behaviour);
    r.errors = frac(r.evidence.errors);
    r.score = round(r.shape * r.behaviour * r.errors);
    r.matched = r.implemented && r.score === 1;
    r.problems = [...shapeProblems, ...r.evidence.behaviour.failures, ...r.evidence.errors.failures];
    if (r.implemented && !r.evidence.behaviour.total) r.problems.push('no behaviour check');
    if (r.implemented && !r.evidence.errors.total) r.problems.push('no error case');
    out.push(r);
  }
  return out;
}

function describe(e: unknown): string {
  const any = e as { message?: string; data?: { error?: string }; status?: number; code?: string };
  const detail = any?.data?.error ?? any?.code;
  return `${any?.message ?? String(e)}${detail && !String(any?.message).includes(detail) ? ` (${detail})` : ''}`.slice(0, 300);
}
