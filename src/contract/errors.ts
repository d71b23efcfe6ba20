/**
 * Named errors. Every failure that crosses a module boundary is an AsymmetricError with a
 * code from a closed union, so the CLI (and a future control plane) can switch on it and
 * render a message and a hint instead of a stack trace.
 *
 * `isAsymmetricError` checks a brand registered with Symbol.for rather than instanceof,
 * so an error still counts when this module was loaded twice (a bundled binary plus a
 * template kit, or two copies in node_modules).
 */
export const ERROR_CODES = [
  'INVALID_INPUT',
  'DOCKER_UNAVAILABLE',
  'COMPOSE_UNAVAILABLE',
  'DOCKER_FAILED',
  'TEMPLATE_NOT_FOUND',
  'TEMPLATE_INVALID',
  'MODE_NOT_FOUND',
  'CLONE_NOT_FOUND',
  'ENVIRONMENT_NOT_FOUND',
  'NAME_TAKEN',
  'PORT_IN_USE',
  'PORTS_EXHAUSTED',
  'IMAGE_UNAVAILABLE',
  'BUILD_FAILED',
  'UNHEALTHY',
  'INFRA_UNHEALTHY',
  'PROVISION_FAILED',
  'CLONE_NOT_RUNNING',
  'ILLEGAL_TRANSITION',
  'REGISTRY_CORRUPT',
  'REGISTRY_LOCKED',
  'SETTINGS_CORRUPT',
  'SEED_FAILED',
  'FIXTURE_NOT_FOUND',
  'ALREADY_SEEDED',
  'AI_KEY_MISSING',
  'AI_AUTH_FAILED',
  'AI_MODEL_UNKNOWN',
  'AI_REQUEST_FAILED',
  'SNAPSHOT_NOT_FOUND',
  'SNAPSHOT_EXISTS',
  'SNAPSHOT_CORRUPT',
  'SNAPSHOT_TOO_NEW',
  'SNAPSHOT_INCOMPATIBLE',
  'VERIFY_STEP_FAILED',
  'NOT_SUPPORTED',
  'PREREQUISITE_MISSING',
  'CANCELLED',
  'INTERRUPTED',
  'CLONE_BUSY',
  'CLONE_INTERRUPTED',
  'NOT_OWNED',
  'UNAUTHORIZED',
  'QUOTA_EXCEEDED',
  'REMOTE_UNAVAILABLE',
  'REMOTE_NOT_FOUND',
  /** A file sent to a control plane is larger than it accepts (asym serve, ASYM_SERVE_MAX_UPLOAD). */
  'FILE_TOO_LARGE',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

const BRAND = Symbol.for('asymmetric.error');

export interface AsymmetricErrorOptions {
  hint?: string;
  cause?: unknown;
  /** Extra machine-readable context (e.g. the logs of an unhealthy service). */
  details?: Record<string, unknown>;
}

export class AsymmetricError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly details: Record<string, unknown> | undefined;
  readonly [BRAND] = true;

  constructor(code: ErrorCode, message: string, opts: AsymmetricErrorOptions = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'AsymmetricError';
    this.code = code;
    this.hint = opts.hint;
    this.details = opts.details;
  }

  toJSON(): { code: ErrorCode; message: string; hint?: string; details?: Record<string, unknown> } {
    return {
      code: this.code,
      message: this.message,
      ...(this.hint ? { hint: this.hint } : {}),
      ...(this.details ? { details: this.details } : {}),
    };
  }
}

export function isAsymmetricError(e: unknown): e is AsymmetricError {
  return typeof e === 'object' && e !== null && (e as Record<symbol, unknown>)[BRAND] === true;
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

/** Wrap anything thrown into an AsymmetricError, keeping named ones as they are. */
export function toAsymmetricError(e: unknown, fallback: ErrorCode = 'INTERNAL'): AsymmetricError {
  if (isAsymmetricError(e)) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new AsymmetricError(fallback, message, { cause: e });
}
