/**
 * The Slack clone's web view: a small page that shows the workspace as a person of it sees
 * it (channels, DMs, messages, threads, reactions) and lets you post as them, so a human can
 * watch what an agent under test did. It holds no state: every read and write is a Slack
 * Web API call to the clone's api service, made with a user token minted through the admin
 * surface. Tokens never reach the browser.
 *
 * Env: PORT, ASYM_API_URL (the api service inside the clone's network), ASYM_ADMIN_SECRET.
 */
import { join } from 'node:path';

const port = Number(process.env.PORT || 3000);
const api = (process.env.ASYM_API_URL || 'http://127.0.0.1:8080').replace(/\/$/, '');
const secret = process.env.ASYM_ADMIN_SECRET || '';
const publicDir = join(import.meta.dir, 'public');

const tokens = new Map<string, string>();

class WebError {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly detail?: string,
  ) {}
}

async function mint(user: string): Promise<string> {
  const res = await fetch(`${api}/__asym/slack/user-token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-asym-admin': secret },
    body: JSON.stringify({ user }),
  }).catch((e: Error) => {
    throw new WebError(502, 'api_unreachable', e.message);
  });
  const body = (await res.json().catch(() => ({}))) as { ok?: boolean; token?: string; error?: string; message?: string };
  if (!res.ok || !body.token) throw new WebError(res.status === 404 ? 404 : 502, body.error ?? 'cannot_act_as_user', body.message ?? `cannot act as ${user}`);
  tokens.set(user, body.token);
  return body.token;
}

/** One Web API call as `user`; a token lost to a reset or restore is minted again once. */
async function call(method: string, params: Record<string, unknown>, user: string): Promise<unknown> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const token = tokens.get(user) ?? (await mint(user));
    const res = await fetch(`${api}/api/${method}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify(params),
    }).catch((e: Error) => {
      throw new WebError(502, 'api_unreachable', e.message);
    });
    const body = (await res.json()) as { ok?: boolean; error?: string };
    if (body.error === 'invalid_auth' || body.error === 'token_revoked') {
      tokens.delete(user);
      continue;
    }
    return body;
  }
  throw new WebError(502, 'invalid_auth', `no working token for ${user}`);
}

/** The Web API methods the page itself calls (public/app.js); the view forwards no other. */
export const VIEW_METHODS = new Set(['auth.test', 'team.info', 'users.list', 'conversations.list', 'conversations.history', 'conversations.replies', 'chat.postMessage']);

/** Hosts the view answers API calls for: loopback and IP literals, plus ASYM_WEB_HOSTS (comma-separated). */
const extraHosts = new Set((process.env.ASYM_WEB_HOSTS ?? '').split(',').map((h) => h.trim().toLowerCase()).filter(Boolean));

function hostAllowed(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  // A DNS name other than localhost could be rebound by an attacker to this machine.
  return h === 'localhost' || h.endsWith('.localhost') || /^[\d.]+$/.test(h) || h.includes(':') || extraHosts.has(h);
}

/**
 * Why a call to /api/* is refused, or null. The view acts as anyone without a token, so
 * only the page it serves may drive it: any other page open in the user's browser could
 * otherwise POST here. A cross-site form or text/plain POST needs no CORS preflight, so
 * JSON is required (a cross-origin JSON POST triggers a preflight this server never
 * grants), and Origin / Sec-Fetch-Site must say same-origin when the browser sends them.
 */
export function refuseCall(req: Request, url: URL): string | null {
  if (!hostAllowed(url.hostname)) return `host ${url.hostname} is not served (set ASYM_WEB_HOSTS to allow it)`;
  const site = req.headers.get('sec-fetch-site');
  if (site && site !== 'same-origin' && site !== 'none') return `cross-site request (sec-fetch-site: ${site})`;
  const origin = req.headers.get('origin');
  if (origin && origin !== url.origin) return `cross-origin request from ${origin}`;
  const type = (req.headers.get('content-type') ?? '').toLowerCase();
  if (!type.startsWith('application/json')) return 'content-type must be application/json';
  return null;
}

const TYPES: Record<string, string> = { html: 'text/html; charset=utf-8', js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8' };

async function asset(name: string): Promise<Response> {
  const file = Bun.file(join(publicDir, name));
  if (!/^[\w-]+\.(html|js|css)$/.test(name) || !(await file.exists())) return new Response('not found', { status: 404 });
  return new Response(file, { headers: { 'content-type': TYPES[name.split('.').pop()!]!, 'cache-control': 'no-cache' } });
}

const server = Bun.serve({
  port,
  hostname: '0.0.0.0',
  async fetch(req) {
    const url = new URL(req.url);
    if (url.pathname === '/__asym/health') return Response.json({ ok: true, service: 'slack-web' });
    if (url.pathname === '/' || url.pathname === '/index.html') return asset('index.html');
    const m = /^\/api\/([\w.]+)$/.exec(url.pathname);
    if (m) {
      if (req.method !== 'POST') return Response.json({ ok: false, error: 'method_not_allowed' }, { status: 405 });
      const refused = refuseCall(req, url);
      if (refused) return Response.json({ ok: false, error: 'forbidden', detail: refused }, { status: 403 });
      if (!VIEW_METHODS.has(m[1]!)) return Response.json({ ok: false, error: 'not_allowed', detail: `the web view does not forward ${m[1]}` }, { status: 403 });
      const as = url.searchParams.get('as') || 'admin';
      try {
        const params = (await req.json().catch(() => ({}))) as Record<string, unknown>;
        return Response.json(await call(m[1]!, params && typeof params === 'object' ? params : {}, as));
      } catch (e) {
        if (e instanceof WebError) return Response.json({ ok: false, error: e.error, detail: e.detail }, { status: e.status });
        return Response.json({ ok: false, error: 'internal_error', detail: String(e) }, { status: 500 });
      }
    }
    return asset(url.pathname.slice(1));
  },
});

console.log(`slack web view on :${server.port}, api ${api}`);
