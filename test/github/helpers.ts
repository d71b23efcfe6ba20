/** Shared by the GitHub suites: a spun clone, Octokit clients on it, and a response recorder. */
import { Octokit } from '@octokit/rest';
import { cloneHarness } from '../support/clones.ts';
import { validate, type Schema } from '../../src/verify/json-schema.ts';
import { restMatcher } from '../../src/verify/match.ts';
import { githubResponse, githubSchemaKeys } from '../../templates/github/verify/shapes.ts';

export function responseSchema(key: string): { status: number; schema: Schema | null } {
  const entry = githubResponse(key);
  if (!entry) throw new TypeError(`no response schema for ${key}; regenerate with bun scripts/derive-shapes.ts github`);
  return entry;
}

export interface Clone {
  id: string;
  endpoints: { api: string };
  tokens: { botToken: string; userToken: string; workspaceId: string; botUserId: string; adminUserId: string; appId: string };
  adminSecret: string;
}

export interface Recorded {
  key: string;
  status: number;
  data: unknown;
}

/** Follow-up pages arrive with absolute URLs; map them back to the operation's path template. */
const operationOf = restMatcher(githubSchemaKeys());
function routeKey(method: string, url: string): string {
  // Templates may end in a query part (`/restore{?token}`): the operation's key has none.
  if (!/^https?:/.test(url)) return `${method} ${url.replace(/\{\?[^}]*\}$/, '')}`;
  const path = new URL(url).pathname;
  return operationOf(method, path) ?? `${method} ${path}`;
}

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

export function octokit(clone: Clone, token: string | undefined, recorder?: Recorded[]): Octokit {
  const o = new Octokit({ ...(token ? { auth: token } : {}), baseUrl: clone.endpoints.api, log: quiet, request: { retries: 0 } });
  if (recorder) {
    o.hook.after('request', (res, opts) => {
      recorder.push({ key: routeKey(opts.method, opts.url), status: res.status, data: structuredClone(res.data) });
    });
  }
  return o;
}

export async function admin(clone: Clone, path: string, body: unknown): Promise<any> {
  const res = await fetch(`${clone.endpoints.api}/__asym/github/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-asym-admin': clone.adminSecret },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new TypeError(`admin ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** A fresh user with a token (optionally an org member). */
export async function newUser(clone: Clone, login: string, org?: { org: string; role?: 'admin' | 'member' }): Promise<{ login: string; token: string; id: number }> {
  const made = await admin(clone, 'users', { login, ...(org ?? {}) });
  const t = await admin(clone, 'user-token', { user: login });
  return { login, token: t.token, id: made.user.id };
}

export function schemaErrors(rec: Recorded): string[] {
  const { schema, status } = responseSchema(rec.key);
  // The schema is the first documented status's; another may be a bodiless 204 (a secret updated, not made).
  if (!schema || (rec.status === 204 && status !== 204)) return rec.data === undefined || rec.data === '' || rec.data === null ? [] : [`${rec.key}: expected no body`];
  return validate(schema, rec.data);
}

export async function spinGithub(label: string) {
  const h = cloneHarness(label);
  const clone = (await h.spin('github')) as Clone;
  return { h, clone };
}

export const unique = (p: string) => `${p}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

/** The HTTP status of an Octokit call, whether it resolved or threw (a non-HTTP error is rethrown). */
export async function statusOf(p: Promise<unknown>): Promise<number> {
  return (await answerOf(p)).status;
}

/** An Octokit call's status, body and headers, whether it resolved or threw (a non-HTTP error is rethrown). */
export async function answerOf(p: Promise<unknown>): Promise<{ status: number; data: any; headers: Record<string, string> }> {
  try {
    return (await p) as { status: number; data: any; headers: Record<string, string> };
  } catch (e) {
    const err = e as { status?: number; response?: { data: unknown; headers: Record<string, string> } };
    if (typeof err.status !== 'number') throw e;
    return { status: err.status, data: err.response?.data, headers: err.response?.headers ?? {} };
  }
}
