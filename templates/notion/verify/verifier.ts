/** Notion for `asym verify`: REST operations, bodies checked against the @notionhq/client response types. */
import operations from '../operations.json';
import { restVerifier } from '../../../src/verify/define.ts';
import { badToken, bodyField, notFound } from '../../../src/verify/probes.ts';
import type { Scenario, TemplateVerifier } from '../../../src/verify/types.ts';
import { notionShapeErrors } from './shapes.ts';

/** "Delete a view query" is idempotent: an id that names nothing still succeeds, so the not-found replay does not apply. */
const IDEMPOTENT = new Set(['DELETE /v1/views/{view_id}/queries/{query_id}']);

export const verifier = (scenario: Scenario): TemplateVerifier =>
  restVerifier(operations, {
    template: 'notion',
    sdk: '@notionhq/client',
    shapes: 'the @notionhq/client response types',
    validate: (op, ex) => (ex.status === 200 ? notionShapeErrors(op, ex.body) : [`Notion answers 200, got ${ex.status}`]),
    errorCode: (ex) => bodyField(ex, 'code'),
    probes: [badToken({ status: 401, code: 'unauthorized' }), notFound({ status: 404, code: 'object_not_found' }, undefined, undefined, IDEMPOTENT)],
    scenario,
  });
