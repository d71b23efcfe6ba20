/**
 * The kit's one named error. Templates never throw a bare Error: a KitError carries a
 * machine code (and an HTTP status for the admin surface) so handlers can map it to the
 * vendor's envelope instead of a stack trace.
 */
export class KitError extends Error {
  readonly code: string;
  readonly status: number;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: string, message: string, opts: { status?: number; details?: Record<string, unknown>; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'KitError';
    this.code = code;
    this.status = opts.status ?? 500;
    this.details = opts.details;
  }
}

export function isKitError(e: unknown): e is KitError {
  return e instanceof KitError;
}
