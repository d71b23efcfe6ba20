import { DB_UNAVAILABLE } from '../../_kit/db.ts';
import { KitError, isKitError } from '../../_kit/errors.ts';
import type { InputLimits, InputProblem } from '../../_kit/input.ts';
import type { Envelope } from '../../_kit/pipeline.ts';

/**
 * Notion's error envelope: `{object: "error", status, code, message, request_id}`. Handlers
 * throw `notionError(...)` (a KitError whose code is Notion's) and the router renders it.
 */
export function notionError(status: number, code: string, message: string): KitError {
  return new KitError(code, message, { status, details: { notion: true } });
}

export const validation = (message: string): KitError => notionError(400, 'validation_error', message);
export const notFound = (kind: string, id: string): KitError =>
  notionError(404, 'object_not_found', `Could not find ${kind} with ID: ${id}. Make sure the relevant pages and databases are shared with your integration.`);

export function errorBody(e: unknown, requestId: string): { status: number; body: Record<string, unknown> } {
  if (isKitError(e) && e.code === DB_UNAVAILABLE) return errorBody(unavailableError(), requestId);
  if (isKitError(e) && (e.details?.notion || e.status < 500)) {
    const code = e.details?.notion ? e.code : e.code === 'invalid_json' ? 'invalid_json' : 'validation_error';
    return { status: e.status, body: { object: 'error', status: e.status, code, message: e.message, request_id: requestId } };
  }
  return { status: 500, body: { object: 'error', status: 500, code: 'internal_server_error', message: 'Unexpected error in the asym Notion clone.', request_id: requestId } };
}

/** Notion's request limits: "the maximum size of a payload is ... 500KB overall" (Request limits). */
export const NOTION_LIMITS: InputLimits = { maxBodyBytes: 500 * 1000 };

/** A request over any documented size limit is a 400 validation_error, as Notion documents. */
export function inputError(problem: InputProblem): KitError {
  if (problem.kind === 'nul') return validation(`body failed validation: body.${problem.field} should not contain a null character (\\u0000).`);
  return validation(`body failed validation: the request body should be at most \`${problem.limit}\` bytes, instead was \`${problem.size}\`.`);
}

/**
 * Notion's 503 service_unavailable. Notion also documents database_connection_unavailable,
 * but the official SDK (5.x) knows only service_unavailable: it turns the other into an
 * unknown-response error and does not retry it.
 */
export function unavailableError(): KitError {
  return notionError(503, 'service_unavailable', 'Notion is unavailable. Try again later.');
}

/** Notion's envelope for the kit's pipeline. */
export const envelope: Envelope = {
  render: errorBody,
  notEmulated: (method, path, listed) =>
    listed
      ? notionError(501, 'invalid_request', `${method} ${listed} is part of Notion's API but is not emulated by this asym Notion clone (see operations.json).`)
      : notionError(400, 'invalid_request_url', `Invalid request URL: ${method} ${path} is not emulated by this asym Notion clone. It emulates users, databases, data sources, pages, blocks, comments and search under /v1 (see operations.json).`),
  badInput: inputError,
  unavailable: unavailableError,
};
