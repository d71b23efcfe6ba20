/** Notion for `asym verify`: REST operations, bodies checked against the @notionhq/client response types. */
import operations from '../operations.json';
import { ok2xx, restEntries, sdkVersion } from '../../../src/verify/define.ts';
import { restMatcher } from '../../../src/verify/match.ts';
import { badToken, bodyField, notFound } from '../../../src/verify/probes.ts';
import type { Scenario, TemplateVerifier } from '../../../src/verify/types.ts';
import { notionShapeErrors } from './shapes.ts';

export const verifier = (scenario: Scenario): TemplateVerifier => {
  const ops = restEntries(operations as { method: string; path: string; implemented: boolean }[]);
  return {
    template: 'notion',
    sdk: sdkVersion('@notionhq/client'),
    shapes: "the @notionhq/client response types",
    operations: () => ops,
    operationOf: restMatcher(ops.map((o) => o.id)),
    succeeded: ok2xx,
    validate: (op, ex) => (ex.status === 200 ? notionShapeErrors(op, ex.body) : [`Notion answers 200, got ${ex.status}`]),
    errorCode: (ex) => bodyField(ex, 'code'),
    probes: [badToken({ status: 401, code: 'unauthorized' }), notFound({ status: 404, code: 'object_not_found' })],
    scenario,
  };
};
