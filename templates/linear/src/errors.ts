import { GraphQLError } from 'graphql';
import { KitError } from '../../_kit/errors.ts';
import type { Envelope } from '../../_kit/pipeline.ts';

/**
 * Linear's GraphQL errors: `extensions` carries `type` (the SDK maps it to its error
 * classes: "authentication error", "invalid input", "forbidden", "ratelimited", ...),
 * `code`, `statusCode`, `userError` and `userPresentableMessage` (which the SDK shows as the
 * error's message). The HTTP status of a response carrying them is 400, as Linear answers
 * GraphQL-level failures; the intended status is in extensions.statusCode.
 */
export type LinearErrorType = 'authentication error' | 'invalid input' | 'forbidden' | 'ratelimited' | 'graphql error' | 'internal error' | 'entity not found';

export interface LinearErrorOptions {
  code?: string;
  statusCode?: number;
  userPresentableMessage?: string;
  meta?: Record<string, unknown>;
}

export function linearError(type: LinearErrorType, message: string, opts: LinearErrorOptions = {}): GraphQLError {
  return new GraphQLError(message, {
    extensions: {
      type,
      code: opts.code ?? type.toUpperCase().replace(/ /g, '_'),
      statusCode: opts.statusCode ?? 400,
      userError: type !== 'internal error',
      userPresentableMessage: opts.userPresentableMessage ?? message,
      ...(opts.meta ? { meta: opts.meta } : {}),
    },
  });
}

export const notFound = (entity: string): GraphQLError =>
  linearError('invalid input', 'Entity not found', { code: 'INPUT_ERROR', userPresentableMessage: `Could not find referenced ${entity}.`, meta: { entity } });

export const invalidInput = (message: string): GraphQLError =>
  linearError('invalid input', 'Argument Validation Error', { code: 'INPUT_ERROR', userPresentableMessage: message });

export const authError = (): GraphQLError =>
  linearError('authentication error', 'Authentication required, not authenticated', {
    code: 'AUTHENTICATION_ERROR',
    statusCode: 401,
    userPresentableMessage: 'You need to authenticate to access this operation.',
  });

/** A Linear error answered outside graphql-js (auth, a malformed request), with its HTTP status and headers. */
export class LinearHttpError extends KitError {
  readonly error: GraphQLError;
  readonly headers: Record<string, string>;

  constructor(status: number, error: GraphQLError, headers: Record<string, string> = {}) {
    super('linear_http', error.message, { status });
    this.error = error;
    this.headers = headers;
  }
}

const errorBody = (e: GraphQLError) => ({ errors: [{ message: e.message, extensions: e.extensions }] });

/**
 * Linear's envelope for the kit's pipeline. Linear has no documented answers for the kit's
 * input refusals or a database outage: those stay the kit's plain ones.
 */
export const envelope: Envelope = {
  render(e) {
    if (e instanceof LinearHttpError) return { status: e.status, body: errorBody(e.error), headers: e.headers };
    return { status: 500, body: errorBody(linearError('internal error', 'Internal server error', { code: 'INTERNAL_ERROR', statusCode: 500, userPresentableMessage: 'An unexpected error happened.' })) };
  },
  notEmulated: () => new LinearHttpError(404, linearError('graphql error', 'Not found. The Linear API is served at POST /graphql.', { code: 'NOT_FOUND', statusCode: 404, userPresentableMessage: 'Not found' })),
};
