import { DB_UNAVAILABLE } from '../../_kit/db.ts';
import { KitError, isKitError } from '../../_kit/errors.ts';
import type { InputProblem } from '../../_kit/input.ts';
import type { Envelope } from '../../_kit/pipeline.ts';

/**
 * HubSpot's error envelope: `{status: "error", message, correlationId, category,
 * subCategory?, errors?, context?}`. Handlers throw `hsError(...)` (a KitError carrying the
 * envelope fields) and the router turns it into the response.
 */
export interface ErrorDetail {
  message: string;
  code?: string;
  in?: string;
  context?: Record<string, string[]>;
}

export interface HsErrorFields {
  category: string;
  subCategory?: string;
  errors?: ErrorDetail[];
  context?: Record<string, string[]>;
  links?: Record<string, string>;
}

export function hsError(status: number, category: string, message: string, extra: Omit<HsErrorFields, 'category'> = {}): KitError {
  return new KitError(category, message, { status, details: { hubspot: { category, ...extra } } });
}

export const notFound = (message = 'resource not found'): KitError => hsError(404, 'OBJECT_NOT_FOUND', message);

export function validation(message: string, errors?: ErrorDetail[], context?: Record<string, string[]>): KitError {
  return hsError(400, 'VALIDATION_ERROR', message, { ...(errors ? { errors } : {}), ...(context ? { context } : {}) });
}

/** A property write HubSpot refuses; the message embeds the per-property list as HubSpot does. */
export interface PropertyProblem {
  name: string;
  error: string;
  message: string;
}

export function invalidProperties(problems: PropertyProblem[]): KitError {
  const listed = problems.map((pr) => ({ isValid: false, message: pr.message, error: pr.error, name: pr.name, localizedErrorMessage: pr.message }));
  return validation(
    `Property values were not valid: ${JSON.stringify(listed)}`,
    problems.map((pr) => ({ message: pr.message, code: pr.error, context: { propertyName: [pr.name] } })),
  );
}

export function correlationId(): string {
  return crypto.randomUUID();
}

export function errorBody(e: unknown, correlation: string = correlationId()): { status: number; body: Record<string, unknown> } {
  if (isKitError(e) && e.code === DB_UNAVAILABLE) return errorBody(unavailableError(), correlation);
  if (isKitError(e)) {
    const h = (e.details?.hubspot ?? null) as HsErrorFields | null;
    if (h) {
      const body: Record<string, unknown> = { status: 'error', message: e.message, correlationId: correlation, category: h.category };
      if (h.subCategory) body.subCategory = h.subCategory;
      if (h.errors) body.errors = h.errors;
      if (h.context) body.context = h.context;
      if (h.links) body.links = h.links;
      return { status: e.status, body };
    }
    // Kit errors (a malformed JSON body, …) are the caller's fault.
    if (e.status < 500) return { status: e.status, body: { status: 'error', message: e.message, correlationId: correlation, category: 'VALIDATION_ERROR' } };
  }
  return { status: 500, body: { status: 'error', message: 'internal error in the asym HubSpot clone', correlationId: correlation, category: 'INTERNAL_ERROR' } };
}

/** HubSpot's VALIDATION_ERROR for input the kit refused before routing (NUL, oversized body). */
export function inputError(problem: InputProblem): KitError {
  if (problem.kind === 'nul') return validation(`Invalid input JSON: ${problem.field} contains a null character (\\u0000), which is not allowed.`);
  return hsError(413, 'VALIDATION_ERROR', `Request body too large: ${problem.size} bytes exceeds the limit of ${problem.limit} bytes.`);
}

/** HubSpot's 503 envelope: the clone's database cannot be reached. */
export function unavailableError(): KitError {
  return hsError(503, 'SERVICE_UNAVAILABLE', 'The service is temporarily unavailable. Please try again later.');
}

/** HubSpot's envelope for the kit's pipeline; the correlation id is the request's (header and body agree). */
export const envelope: Envelope = {
  render: (e, requestId) => errorBody(e, requestId),
  notEmulated: (method, path, listed) =>
    listed
      ? hsError(501, 'NOT_EMULATED', `${method} ${listed} is part of HubSpot's CRM API but is not emulated by this asym HubSpot clone (see operations.json).`)
      : hsError(404, 'NOT_EMULATED', `${method} ${path} is not emulated by this asym HubSpot clone. It emulates /crm/v3/objects/{contacts,companies,deals,tickets}, /crm/v4 associations, the deal and ticket pipelines and property definitions and groups (see operations.json).`),
  badInput: inputError,
  unavailable: unavailableError,
  unavailableHeaders: { 'retry-after': '1' },
};
