import { KitError, isKitError } from '../../_kit/errors.ts';
import { json } from '../../_kit/http.ts';

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
  if (isKitError(e) && (e.details?.notion || e.status < 500)) {
    const code = e.details?.notion ? e.code : e.code === 'invalid_json' ? 'invalid_json' : 'validation_error';
    return { status: e.status, body: { object: 'error', status: e.status, code, message: e.message, request_id: requestId } };
  }
  return { status: 500, body: { object: 'error', status: 500, code: 'internal_server_error', message: 'Unexpected error in the asym Notion clone.', request_id: requestId } };
}

export function errorResponse(e: unknown, requestId: string = crypto.randomUUID()): Response {
  const { status, body } = errorBody(e, requestId);
  return json(body, status, { 'x-request-id': requestId });
}
