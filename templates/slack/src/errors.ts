import { KitError } from '../../_kit/errors.ts';
import type { InputProblem } from '../../_kit/input.ts';
import type { Envelope } from '../../_kit/pipeline.ts';
import allMethods from '../methods.all.json' with { type: 'json' };

/**
 * A Slack API error: HTTP 200 with {ok:false, error:<code>} plus optional extra fields
 * (needed/provided for missing_scope, ...). Thrown from handlers, rendered by the envelope below.
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
 * Methods Slack has retired (gone from its method list): calls get Slack's method_deprecated
 * with a pointer to the replacement instead of unknown_method.
 */
const RETIRED: Record<string, string> = {
  'files.upload': 'files.upload was retired on 2025-11-12: use files.getUploadURLExternal, POST the bytes to upload_url, then files.completeUploadExternal (the SDK\'s filesUploadV2)',
};
const KNOWN = new Set<string>(allMethods as string[]);

/**
 * Slack's envelope for the kit's pipeline. Slack answers HTTP 200 for API errors, so every
 * outcome is {ok:false,error,...} (429 ratelimited, 503 service_unavailable, 500
 * internal_error aside). Methods Slack has but the clone does not emulate say so
 * (not_emulated); unknown names get unknown_method, never a 404.
 */
export const envelope: Envelope = {
  render(e) {
    if (e instanceof SlackError) return { status: e.httpStatus, body: { ok: false, error: e.code, ...e.extra } };
    return { status: 500, body: { ok: false, error: 'internal_error' } };
  },
  notEmulated(_method, path) {
    const method = path.replace(/^\/api\/?/, '');
    const retired = RETIRED[method];
    if (retired) return new SlackError('method_deprecated', { warning: retired, response_metadata: { warnings: ['method_deprecated'] } });
    if (KNOWN.has(method)) return new SlackError('not_emulated', { warning: `${method} is not emulated by this clone`, response_metadata: { warnings: ['not_emulated'] } });
    return new SlackError('unknown_method', { req_method: method });
  },
  /** invalid_arguments (HTTP 200, as every Slack API error) with the offending argument in response_metadata.messages. */
  badInput(problem: InputProblem) {
    const message =
      problem.kind === 'nul'
        ? `[ERROR] must not contain a null character [json-pointer:/${problem.field.replace(/^query\./, '').replace(/\./g, '/')}]`
        : `[ERROR] the request body exceeds ${problem.limit} bytes`;
    return new SlackError('invalid_arguments', { response_metadata: { messages: [message] } });
  },
  unavailable: () => new SlackError('service_unavailable', {}, 503),
  unavailableHeaders: { 'retry-after': '1' },
};
