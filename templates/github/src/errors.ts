import { KitError } from '../../_kit/errors.ts';
import { json } from '../../_kit/http.ts';

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
