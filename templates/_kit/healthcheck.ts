/**
 * Docker HEALTHCHECK command: `bun /app/_kit/healthcheck.ts`. Exits 0 when the clone's
 * own health endpoint answers 200 within 2 s, 1 otherwise.
 */
const port = process.env.PORT || '8080';
try {
  // A --tls clone answers HTTPS only. This probe asks its own loopback whether it is alive, not
  // who it is, so it skips certificate checks (the CLI's own probes do check them).
  const tls = Boolean(process.env.ASYM_TLS_CERT);
  const res = await fetch(`${tls ? 'https' : 'http'}://127.0.0.1:${port}/__asym/health`, { signal: AbortSignal.timeout(2000), ...(tls ? { tls: { rejectUnauthorized: false } } : {}) });
  process.exit(res.status === 200 ? 0 : 1);
} catch {
  process.exit(1);
}

export {};
