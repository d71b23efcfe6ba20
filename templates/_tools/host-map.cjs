/*
 * asym host-map preload, for Node tools that hard-code a vendor's host (the reference Slack
 * and GitHub MCP servers, the stripe SDK inside Stripe's agent toolkit):
 *
 *   NODE_OPTIONS="--require /path/to/host-map.cjs" ASYM_HOST_MAP="slack.com=http://127.0.0.1:41001" node tool.js
 *
 * ASYM_HOST_MAP is a comma-separated list of HOST=ORIGIN[/PATH]. A request to https://HOST/p
 * goes to ORIGIN/PATH/p instead, whatever the client: global fetch (undici), node:http and
 * node:https (request/get), and the npm `undici` package's fetch/request when required.
 * Nothing else changes: other hosts are untouched, headers and bodies pass through.
 * `asym tokens <id> --env --for TOOL` prints both variables. CommonJS on purpose: --require
 * loads it before the tool, ESM or not.
 */
'use strict';

const http = require('node:http');
const https = require('node:https');
const Module = require('node:module');

function parseMap(raw) {
  const map = new Map();
  for (const part of String(raw || '').split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const host = part.slice(0, eq).trim().toLowerCase();
    try {
      map.set(host, new URL(part.slice(eq + 1).trim()));
    } catch {
      process.emitWarning(`asym host-map: ignoring ${part} (not HOST=URL)`);
    }
  }
  return map;
}

const MAP = parseMap(process.env.ASYM_HOST_MAP);

/** The clone URL for a vendor URL, or null when its host is not mapped. */
function remap(input) {
  let url;
  try {
    url = new URL(String(input));
  } catch {
    return null;
  }
  const target = MAP.get(url.hostname.toLowerCase());
  if (!target) return null;
  const out = new URL(target.href);
  out.pathname = `${target.pathname.replace(/\/+$/, '')}${url.pathname}`;
  out.search = url.search;
  out.hash = url.hash;
  return out;
}

if (MAP.size) {
  // ---- fetch (Node's global fetch is undici's)
  const originalFetch = globalThis.fetch;
  if (typeof originalFetch === 'function') {
    globalThis.fetch = function asymFetch(input, init) {
      const raw = typeof input === 'string' || input instanceof URL ? input : input && input.url;
      const to = raw && remap(raw);
      if (!to) return originalFetch.call(this, input, init);
      if (typeof input === 'string' || input instanceof URL) return originalFetch.call(this, to, init);
      return originalFetch.call(this, new Request(to, input), init);
    };
  }

  // ---- node:http / node:https
  const originals = { http: { request: http.request, get: http.get }, https: { request: https.request, get: https.get } };

  /** request(url?, options?, cb?) → the same arguments aimed at the clone, and the module to use. */
  function rewriteArgs(defaultProto, args) {
    let url = null;
    let options = {};
    let cb;
    let i = 0;
    if (typeof args[0] === 'string' || args[0] instanceof URL) {
      url = new URL(String(args[0]));
      i = 1;
    }
    if (args[i] && typeof args[i] === 'object') options = args[i++];
    if (typeof args[i] === 'function') cb = args[i];
    const host = (url ? url.hostname : options.hostname || (options.host || '').replace(/:\d+$/, '')) || '';
    const target = MAP.get(host.toLowerCase());
    if (!target) return null;
    const proto = url ? url.protocol : options.protocol || defaultProto;
    const path = url ? `${url.pathname}${url.search}` : options.path || '/';
    const secure = target.protocol === 'https:';
    const headers = { ...(options.headers || {}) };
    for (const k of Object.keys(headers)) if (k.toLowerCase() === 'host') delete headers[k];
    const next = {
      ...options,
      protocol: target.protocol,
      hostname: target.hostname,
      host: undefined,
      port: target.port || (secure ? 443 : 80),
      path: `${target.pathname.replace(/\/+$/, '')}${path}`,
      headers,
      servername: secure ? target.hostname : undefined,
    };
    // An https Agent cannot carry a plain-http request (and the reverse): let the target module pick.
    if ((proto === 'https:') !== secure) delete next.agent;
    if (next.createConnection) delete next.createConnection;
    return { mod: secure ? 'https' : 'http', args: cb ? [next, cb] : [next] };
  }

  for (const name of ['http', 'https']) {
    const mod = name === 'http' ? http : https;
    const proto = `${name}:`;
    mod.request = function asymRequest(...args) {
      const r = rewriteArgs(proto, args);
      return r ? originals[r.mod].request.apply(null, r.args) : originals[name].request.apply(this, args);
    };
    mod.get = function asymGet(...args) {
      const r = rewriteArgs(proto, args);
      if (!r) return originals[name].get.apply(this, args);
      const req = originals[r.mod].request.apply(null, r.args);
      req.end();
      return req;
    };
  }

  // ESM named imports (import { request } from 'node:https') see the patched functions too.
  Module.syncBuiltinESMExports();

  // ---- the npm undici package (its own fetch and request, when a tool requires it)
  const load = Module._load;
  Module._load = function asymLoad(request, parent, isMain) {
    const exported = load.call(this, request, parent, isMain);
    if (request !== 'undici' || !exported || exported.__asymHostMap) return exported;
    const wrapped = Object.create(exported);
    if (typeof exported.fetch === 'function') {
      wrapped.fetch = (input, init) => {
        const raw = typeof input === 'string' || input instanceof URL ? input : input && input.url;
        const to = raw && remap(raw);
        return exported.fetch(to ? (typeof input === 'string' || input instanceof URL ? to : new exported.Request(to, input)) : input, init);
      };
    }
    if (typeof exported.request === 'function') {
      wrapped.request = (url, opts) => {
        const to = typeof url === 'string' || url instanceof URL ? remap(url) : null;
        return exported.request(to || url, opts);
      };
    }
    wrapped.__asymHostMap = true;
    return wrapped;
  };
}

module.exports = { remap, parseMap };
