import { GraphQLError } from 'graphql';

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
