/**
 * Generic error probes: an operation's first successful request replayed with one thing
 * changed, and the answer each vendor documents for it. They give every operation the clone
 * serves error evidence without a hand-written case; scenarios add the specific ones.
 */
import type { ErrorProbe, Exchange, ExpectedError } from './types.ts';

const BAD_TOKEN = 'asym-verify-not-a-token';

// A replay is a new request: the SDK's idempotency key would make it a replay of the original instead.
const replayHeaders = (ex: Exchange): Record<string, string> => {
  const h = { ...(ex.request?.headers ?? {}) };
  delete h['idempotency-key'];
  return h;
};

/** Every vendor here rejects an unknown bearer token (Slack with HTTP 200 and invalid_auth). */
export function badToken(expected: ExpectedError): ErrorProbe {
  return {
    name: 'bad token',
    apply: (_op, ex) => {
      const headers = replayHeaders(ex);
      if (!('authorization' in headers)) return null;
      headers.authorization = `Bearer ${BAD_TOKEN}`;
      return { path: ex.path, headers, body: ex.request?.body, expected };
    },
  };
}

/** Linear: a personal API key goes in Authorization as it is (no Bearer); one that names no key. */
export function linearBadKey(expected: ExpectedError): ErrorProbe {
  return {
    name: 'bad API key',
    apply: (_op, ex) => {
      const headers = replayHeaders(ex);
      if (!('authorization' in headers)) return null;
      headers.authorization = `lin_api_${BAD_TOKEN.replace(/-/g, '')}`;
      return { path: ex.path, headers, body: ex.request?.body, expected };
    },
  };
}

// A value of the same form that names nothing: numbers stay numbers, UUIDs stay UUIDs,
// prefixed ids (cus_…) keep their prefix, so the clone's answer is "not found", not "malformed".
export function missingLike(value: string): string {
  const v = decodeURIComponent(value);
  if (/^\d+$/.test(v)) return String(9_000_000 + (Number(v.slice(-3)) || 0));
  if (/^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i.test(v)) {
    const tail = v.slice(-12).toLowerCase() === '000000000000' ? 'ffffffffffff' : '000000000000';
    return `${v.slice(0, -12)}${tail}`;
  }
  const m = /^([a-z]+_)/i.exec(v);
  return m ? `${m[1]}asymMissing0000` : `asym-missing-${v.length}`;
}

/**
 * REST: the last path parameter that names a record (not a type or a kind) replaced by one
 * that names nothing: `expected` (404 and the vendor's code) when the operation has one.
 * `unless`: operations where a name that names nothing is not an error (idempotent deletes,
 * upserts whose path names what they create).
 */
export function notFound(expected: ExpectedError, skip: RegExp = /type$|Type$|^objectType$/, methods?: string[], unless: ReadonlySet<string> = new Set()): ErrorProbe {
  return {
    name: 'not found',
    apply: (op, ex) => {
      if ((methods && !methods.includes(ex.method)) || unless.has(op)) return null;
      const template = op.split(' ')[1]!.split('/');
      const [pathname, query] = ex.path.split('?') as [string, string | undefined];
      const actual = pathname.split('/');
      if (actual.length !== template.length) return null;
      let at = -1;
      template.forEach((seg, i) => {
        if (/^\{.+\}$/.test(seg) && !skip.test(seg.slice(1, -1))) at = i;
      });
      if (at < 0) return null;
      actual[at] = encodeURIComponent(missingLike(actual[at]!));
      return { path: `${actual.join('/')}${query ? `?${query}` : ''}`, headers: replayHeaders(ex), body: ex.request?.body, expected };
    },
  };
}

/** Slack: a form or JSON argument replaced by an id that names nothing, where Slack's description lists the error for the method. */
export function slackArgument(arg: string, missing: string, code: string, documented: (method: string) => string[] | undefined): ErrorProbe {
  return {
    name: `${arg} not found`,
    apply: (op, ex) => {
      const docs = documented(op);
      if (!docs?.includes(code)) return null;
      const headers = replayHeaders(ex);
      const raw = ex.request?.body ? new TextDecoder().decode(ex.request.body) : '';
      const json = (headers['content-type'] ?? '').includes('json');
      let body: string;
      if (json) {
        const o = JSON.parse(raw || '{}') as Record<string, unknown>;
        if (typeof o[arg] !== 'string') return null;
        o[arg] = missing;
        body = JSON.stringify(o);
      } else {
        const form = new URLSearchParams(raw);
        if (!form.get(arg)) return null;
        form.set(arg, missing);
        body = form.toString();
      }
      return { path: ex.path, headers, body: new TextEncoder().encode(body), expected: { status: 200, code } };
    },
  };
}

export const bodyField = (ex: Exchange, ...path: string[]): string | undefined => {
  let v: unknown = ex.body;
  for (const k of path) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
  return typeof v === 'string' ? v : undefined;
};

/**
 * GraphQL (Linear): the request's `id` variable replaced by a UUID that names nothing. Linear
 * answers an unknown id with "Entity not found", code INPUT_ERROR (HTTP 400 with no data).
 */
export function graphqlMissingId(expected: ExpectedError): ErrorProbe {
  return {
    name: 'unknown id',
    apply: (_op, ex) => {
      if (!ex.requestBody) return null;
      let req: { query?: unknown; variables?: Record<string, unknown> };
      try {
        req = JSON.parse(ex.requestBody);
      } catch {
        return null;
      }
      const id = req.variables?.id;
      if (typeof id !== 'string' || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return null;
      const body = JSON.stringify({ ...req, variables: { ...req.variables, id: missingLike(id) } });
      return { path: ex.path, headers: replayHeaders(ex), body: new TextEncoder().encode(body), expected };
    },
  };
}
