import { Octokit } from '@octokit/rest';

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

/** The official SDK as verify drives it: against the clone, no retries, no log noise; no token is anonymous. */
export function octokitAt(apiUrl: string, auth?: string): Octokit {
  return new Octokit({ ...(auth ? { auth } : {}), baseUrl: apiUrl, log: quiet, request: { retries: 0 } });
}

/** The HTTP status a call answered with (Octokit throws on 4xx; 0 without one). */
export const statusOf = (p: Promise<{ status: number }>): Promise<number> => p.then((r) => r.status, (e: { status?: number }) => e.status ?? 0);
