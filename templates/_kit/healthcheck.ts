/**
 * Docker HEALTHCHECK command: `bun /app/_kit/healthcheck.ts`. Exits 0 when the clone's
 * own health endpoint answers 200 within 2 s, 1 otherwise.
 */
const port = process.env.PORT || '8080';
try {
  const res = await fetch(`http://127.0.0.1:${port}/__asym/health`, { signal: AbortSignal.timeout(2000) });
  process.exit(res.status === 200 ? 0 : 1);
} catch {
  process.exit(1);
}

export {};
