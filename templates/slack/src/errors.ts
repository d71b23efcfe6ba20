import { KitError } from '../../_kit/errors.ts';
import { json } from '../../_kit/http.ts';
import type { InputProblem } from '../../_kit/input.ts';

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

/**
 * Slack's answer to input the kit refused before routing: invalid_arguments (HTTP 200, as
 * every Slack API error) with the offending argument in response_metadata.messages.
 */
export function inputErrorResponse(problem: InputProblem): Response {
  const message =
    problem.kind === 'nul'
      ? `[ERROR] must not contain a null character [json-pointer:/${problem.field.replace(/^query\./, '').replace(/\./g, '/')}]`
      : `[ERROR] the request body exceeds ${problem.limit} bytes`;
  return json({ ok: false, error: 'invalid_arguments', response_metadata: { messages: [message] } });
}

/** Slack's service_unavailable: the clone's database cannot be reached. */
export function unavailableResponse(): Response {
  return json({ ok: false, error: 'service_unavailable' }, 503, { 'retry-after': '1' });
}
