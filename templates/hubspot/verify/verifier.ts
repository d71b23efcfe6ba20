/** HubSpot for `asym verify`: REST operations, bodies checked against the @hubspot/api-client models. */
import operations from '../operations.json';
import { restVerifier } from '../../../src/verify/define.ts';
import { badToken, bodyField, notFound } from '../../../src/verify/probes.ts';
import type { Scenario, TemplateVerifier } from '../../../src/verify/types.ts';
import { hubspotShapeErrors } from './shapes.ts';

export const verifier = (scenario: Scenario): TemplateVerifier =>
  restVerifier(operations, {
    template: 'hubspot',
    sdk: '@hubspot/api-client',
    shapes: 'the @hubspot/api-client models',
    validate: (op, ex) => hubspotShapeErrors(op, ex.status, ex.body),
    errorCode: (ex) => bodyField(ex, 'category'),
    // HubSpot documents archive (DELETE) with 204 and a default error only, no not-found answer: not probed.
    probes: [badToken({ status: 401, code: 'INVALID_AUTHENTICATION' }), notFound({ status: 404, code: 'OBJECT_NOT_FOUND' }, undefined, ['GET', 'PATCH', 'PUT', 'POST'])],
    scenario,
  });
