import { KitError } from '../../_kit/errors.ts';
import { json } from '../../_kit/http.ts';
import type { InputProblem } from '../../_kit/input.ts';

/**
 * GitHub's error envelope: {message, documentation_url, status} plus, for 422, an
 * `errors` array of {resource, code, field}. Thrown from handlers, rendered by dispatch.
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
  readonly errors: FieldError[] | undefined;
  readonly documentationUrl: string;

  constructor(status: number, message: string, opts: { errors?: FieldError[]; documentationUrl?: string } = {}) {
    super(`github_${status}`, message, { status });
    this.errors = opts.errors;
    this.documentationUrl = opts.documentationUrl ?? DOCS;
  }
}

export function errorBody(status: number, message: string, errors?: FieldError[], documentationUrl = DOCS): Record<string, unknown> {
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
 * GitHub's answer to input the kit refused before routing: a NUL is a 422 Validation Failed
 * on the field; a body over the kit's cap a 413 (GitHub documents no overall limit).
 */
export function inputErrorResponse(problem: InputProblem): Response {
  if (problem.kind === 'nul') {
    const field = problem.field.replace(/^query\./, '');
    return json(errorBody(422, 'Validation Failed', [{ resource: 'Request', code: 'invalid', field, message: `${field} contains a null character (\\u0000), which is not allowed` }]), 422);
  }
  return json(errorBody(413, 'Payload Too Large'), 413);
}

/** GitHub's 503 envelope: the clone's database cannot be reached. */
export function unavailableResponse(): Response {
  return json(errorBody(503, 'Service Unavailable'), 503, { 'retry-after': '1' });
}

/** GitHub's documented limit for issue, pull request and comment bodies. */
export const MAX_BODY_CHARS = 65_536;

/** 422 "body is too long (maximum is 65536 characters)", as GitHub answers it. */
export function checkBodyLength(resource: string, body: unknown): void {
  if (typeof body === 'string' && body.length > MAX_BODY_CHARS) {
    invalid(resource, 'custom', 'body', { message: `body is too long (maximum is ${MAX_BODY_CHARS} characters)` });
  }
}
