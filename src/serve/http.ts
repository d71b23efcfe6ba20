/** How the control plane answers: JSON documents, and named errors with a fitting status. */
import { AsymmetricError, toAsymmetricError, type ErrorCode } from '../contract/errors.ts';

const STATUS: Partial<Record<ErrorCode, number>> = {
  INVALID_INPUT: 400,
  TEMPLATE_NOT_FOUND: 400,
  MODE_NOT_FOUND: 400,
  FIXTURE_NOT_FOUND: 400,
  UNAUTHORIZED: 401,
  QUOTA_EXCEEDED: 403,
  NOT_OWNED: 403,
  CLONE_NOT_FOUND: 404,
  ENVIRONMENT_NOT_FOUND: 404,
  SNAPSHOT_NOT_FOUND: 404,
  SNAPSHOT_CORRUPT: 400,
  SNAPSHOT_TOO_NEW: 400,
  SNAPSHOT_INCOMPATIBLE: 409,
  FILE_TOO_LARGE: 413,
  NAME_TAKEN: 409,
  SNAPSHOT_EXISTS: 409,
  CLONE_BUSY: 409,
  CLONE_INTERRUPTED: 409,
  CLONE_NOT_RUNNING: 409,
  ILLEGAL_TRANSITION: 409,
  ALREADY_SEEDED: 409,
  PORT_IN_USE: 409,
  NOT_SUPPORTED: 501,
  UNHEALTHY: 502,
  PROVISION_FAILED: 502,
  SEED_FAILED: 502,
  IMAGE_UNAVAILABLE: 502,
  BUILD_FAILED: 502,
  DOCKER_FAILED: 502,
  AI_AUTH_FAILED: 502,
  AI_MODEL_UNKNOWN: 400,
  AI_REQUEST_FAILED: 502,
  DOCKER_UNAVAILABLE: 503,
  COMPOSE_UNAVAILABLE: 503,
  INFRA_UNHEALTHY: 503,
  PORTS_EXHAUSTED: 503,
  REGISTRY_LOCKED: 503,
  PREREQUISITE_MISSING: 503,
  AI_KEY_MISSING: 503,
  INTERRUPTED: 503,
  CANCELLED: 503,
};

export function statusFor(code: ErrorCode): number {
  return STATUS[code] ?? 500;
}

export function json(data: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(`${JSON.stringify(data)}\n`, { status, headers: { 'content-type': 'application/json', ...headers } });
}

export function errorResponse(e: unknown): Response {
  const err = toAsymmetricError(e);
  const { code, message, hint, details } = err.toJSON();
  const headers: Record<string, string> = code === 'UNAUTHORIZED' ? { 'www-authenticate': 'Bearer realm="asym"' } : {};
  return json({ error: { code, message, hint: hint ?? null, ...(details ? { details } : {}) } }, statusFor(code), headers);
}

/** The same answer for an id that does not exist and for another tenant's: nothing leaks. */
export function notFound(id: string): AsymmetricError {
  return new AsymmetricError('CLONE_NOT_FOUND', `no clone named ${id}`, { hint: 'asym ls lists your clones' });
}

export function envNotFound(name: string): AsymmetricError {
  return new AsymmetricError('ENVIRONMENT_NOT_FOUND', `no environment named ${name}`, { hint: 'asym env ls lists your environments' });
}
