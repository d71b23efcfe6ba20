import { KitError } from '../../_kit/errors.ts';

/**
 * A Slack API error: HTTP 200 with {ok:false, error:<code>} plus optional extra fields
 * (needed/provided for missing_scope, ...). Thrown from handlers, rendered by dispatch.
 */
export class SlackError extends KitError {
  readonly extra: Record<string, unknown>;
  readonly httpStatus: number;

  constructor(code: string, extra: Record<string, unknown> = {}, httpStatus = 200) {
    super(code, `slack error ${code}`, { status: httpStatus });
    this.extra = extra;
    this.httpStatus = httpStatus;
  }
}

export function fail(code: string, extra: Record<string, unknown> = {}): never {
  throw new SlackError(code, extra);
}
