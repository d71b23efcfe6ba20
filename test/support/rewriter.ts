/**
 * A proxy that stands between `asym verify` and a clone and rewrites the clone's answers the
 * way a stub would: every list emptied, bare {"ok":true}, one constant body per operation,
 * random values with the ids kept, fields dropped, a wrong status. It records which
 * operations it actually changed, so the self-test knows what each rewrite touched.
 */
type Json = unknown;
export type Rewrite = 'empty-lists' | 'ok-true' | 'constant' | 'random' | 'drop-fields' | 'wrong-status';
export const REWRITES: Rewrite[] = ['empty-lists', 'ok-true', 'constant', 'random', 'drop-fields', 'wrong-status'];

// Keys that carry ids (kept by "random" and "drop-fields", so the SDK's flow goes on).
const ID = /^(id|ok|ts|thread_ts|channel|user|team|bot_id|app_id|user_id|team_id|channel_id|file_id|invite_id|scheduled_message_id|object|message_ts|upload_url)$|_id$|Id$/;

const isObj = (v: Json): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);
const map = (v: Json, f: (k: string, x: Json) => Json, key = ''): Json =>
  Array.isArray(v) ? v.map((x) => map(x, f, key)) : isObj(v) ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, map(f(k, x), f, k)])) : f(key, v);

export function rewriteBody(rule: Rewrite, body: Json, first: Json | undefined, seed = Math.random): Json {
  switch (rule) {
    case 'empty-lists':
      return map(body, (_k, x) => (Array.isArray(x) ? [] : x));
    case 'ok-true':
      // Slack's bare success; for a REST API the same stub answer (a success that says nothing).
      return isObj(body) ? { ok: true } : body;
    case 'constant':
      return first ?? body;
    case 'random':
      return map(body, (k, x) => {
        if (ID.test(k)) return x;
        if (typeof x === 'string') return `r${Math.floor(seed() * 1e9).toString(36)}`;
        if (typeof x === 'number') return Math.floor(seed() * 1e6);
        if (typeof x === 'boolean') return !x;
        return x;
      });
    case 'drop-fields': {
      const drop = (v: Json): Json => {
        if (Array.isArray(v)) return v.map(drop);
        if (!isObj(v)) return v;
        const keys = Object.keys(v);
        const victim = keys.find((k) => !ID.test(k));
        return Object.fromEntries(keys.filter((k) => k !== victim).map((k) => [k, drop(v[k])]));
      };
      return drop(body);
    }
    case 'wrong-status':
      return body;
  }
}

export interface Rewriter {
  url: string;
  /** Operation keys (Slack method, or "METHOD /path") whose answers were changed. */
  touched: Set<string>;
  stop(): void;
}

export function startRewriter(target: string, rule: Rewrite, opOf: (method: string, path: string) => string | null): Rewriter {
  const touched = new Set<string>();
  const firsts = new Map<string, Json>();
  const server = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    async fetch(req) {
      const url = new URL(req.url);
      const headers = new Headers(req.headers);
      for (const h of ['host', 'connection', 'content-length', 'accept-encoding']) headers.delete(h);
      const body = req.method === 'GET' || req.method === 'HEAD' ? undefined : await req.arrayBuffer();
      const res = await fetch(`${target}${url.pathname}${url.search}`, { method: req.method, headers, body, redirect: 'manual' });
      const text = await res.text();
      const op = opOf(req.method, url.pathname);
      let json: Json;
      try {
        json = JSON.parse(text);
      } catch {
        return new Response(res.status === 204 ? null : text, { status: res.status, headers: { 'content-type': res.headers.get('content-type') ?? 'text/plain' } });
      }
      const success = res.status < 300 && (!isObj(json) || json.ok !== false);
      let out = json;
      let status = res.status;
      if (op && success) {
        if (rule === 'wrong-status') status = res.status === 200 ? 201 : 200;
        else {
          if (!firsts.has(op)) firsts.set(op, json);
          out = rewriteBody(rule, json, firsts.get(op));
        }
        if (status !== res.status || JSON.stringify(out) !== JSON.stringify(json)) touched.add(op);
      }
      return Response.json(out, { status });
    },
  });
  return { url: `http://127.0.0.1:${server.port}`, touched, stop: () => void server.stop(true) };
}
