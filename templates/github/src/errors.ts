import { KitError, isKitError } from '../../_kit/errors.ts';
import { json } from '../../_kit/http.ts';
import type { InputProblem } from '../../_kit/input.ts';
import type { Envelope } from '../../_kit/pipeline.ts';

/**
 * GitHub's error envelope: {message, documentation_url, status} plus, for 422, an
 * `errors` array of {resource, code, field}. Thrown from handlers, rendered by the envelope below.
 */
export const DOCS = 'https://docs.github.com/rest';

export interface FieldError {
  resource: string;
  code: string;
  field?: string;
  value?: unknown;
  message?: string;
}

export class GitHubError extends KitError {
  readonly errors: Array<FieldError | string> | undefined;
  readonly documentationUrl: string;

  constructor(status: number, message: string, opts: { errors?: Array<FieldError | string>; documentationUrl?: string } = {}) {
    super(`github_${status}`, message, { status });
    this.errors = opts.errors;
    this.documentationUrl = opts.documentationUrl ?? DOCS;
  }
}

export function errorBody(status: number, message: string, errors?: Array<FieldError | string>, documentationUrl = DOCS): Record<string, unknown> {
  return { message, ...(errors ? { errors } : {}), documentation_url: documentationUrl, status: String(status) };
}

export function errorResponse(e: GitHubError): Response {
  return json(errorBody(e.status, e.message, e.errors, e.documentationUrl), e.status);
}

export const notFound = (): never => {
  throw new GitHubError(404, 'Not Found');
};

export const forbidden = (message: string): never => {
  throw new GitHubError(403, message);
};

export function invalid(resource: string, code: string, field?: string, extra: Partial<FieldError> = {}): never {
  throw new GitHubError(422, 'Validation Failed', { errors: [{ resource, code, ...(field ? { field } : {}), ...extra }] });
}

export const requiresAuth = (): never => {
  throw new GitHubError(401, 'Requires authentication');
};

/**
 * GitHub's envelope for the kit's pipeline: GitHubErrors as thrown, a malformed JSON body
 * as 400 "Problems parsing JSON", anything else 500 "Server Error".
 */
export const envelope: Envelope = {
  render(e) {
    if (e instanceof GitHubError) return { status: e.status, body: errorBody(e.status, e.message, e.errors, e.documentationUrl) };
    if (isKitError(e) && e.code === 'invalid_json') return { status: 400, body: errorBody(400, 'Problems parsing JSON') };
    return { status: 500, body: errorBody(500, 'Server Error') };
  },
  notEmulated: (method, path) => new GitHubError(404, `Not Found: ${method} ${path} is not emulated by this asym clone (github template)`),
  /** A NUL is a 422 Validation Failed on the field; a body over the kit's cap a 413 (GitHub documents no overall limit). */
  badInput(problem: InputProblem) {
    if (problem.kind === 'nul') {
      const field = problem.field.replace(/^query\./, '');
      return new GitHubError(422, 'Validation Failed', { errors: [{ resource: 'Request', code: 'invalid', field, message: `${field} contains a null character (\\u0000), which is not allowed` }] });
    }
    return new GitHubError(413, 'Payload Too Large');
  },
  unavailable: () => new GitHubError(503, 'Service Unavailable'),
  unavailableHeaders: { 'retry-after': '1' },
};

/** GitHub's documented limit for issue, pull request and comment bodies. */
export const MAX_BODY_CHARS = 65_536;

/** 422 "body is too long (maximum is 65536 characters)", as GitHub answers it. */
export function checkBodyLength(resource: string, body: unknown): void {
  if (typeof body === 'string' && body.length > MAX_BODY_CHARS) {
    invalid(resource, 'custom', 'body', { message: `body is too long (maximum is ${MAX_BODY_CHARS} characters)` });
  }
}

/** GitHub's other 422 form (reviews): "Unprocessable Entity" with plain-string errors. */
export function unprocessable(...errors: string[]): never {
  throw new GitHubError(422, 'Unprocessable Entity', { errors });
}
