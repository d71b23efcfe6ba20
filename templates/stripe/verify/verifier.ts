/** Stripe for `asym verify`: REST operations, bodies checked against the stripe SDK's types. */
import operations from '../operations.json';
import { restVerifier } from '../../../src/verify/define.ts';
import { badToken, bodyField, notFound } from '../../../src/verify/probes.ts';
import type { Scenario, TemplateVerifier } from '../../../src/verify/types.ts';
import { stripeObjectErrors } from './shapes.ts';

export const verifier = (scenario: Scenario): TemplateVerifier =>
  restVerifier(operations, {
    template: 'stripe',
    sdk: 'stripe',
    shapes: "the stripe SDK's types",
    validate: (_op, ex) => (ex.status === 200 ? stripeObjectErrors(ex.body) : [`Stripe answers 200, got ${ex.status}`]),
    // Stripe's error has a code for most errors; an invalid API key has only its type.
    errorCode: (ex) => bodyField(ex, 'error', 'code') ?? bodyField(ex, 'error', 'type'),
    probes: [badToken({ status: 401, code: 'invalid_request_error' }), notFound({ status: 404, code: 'resource_missing' })],
    scenario,
  });
