/** Linear for `asym verify`: operations are GraphQL root fields, answers walked for the SDK's selection. */
import { sdkVersion } from '../../../src/verify/define.ts';
import { graphqlMissingId, linearBadKey } from '../../../src/verify/probes.ts';
import type { Scenario, TemplateVerifier } from '../../../src/verify/types.ts';
import { linearEntries, linearOperationsOf, linearShapeErrors, linearSucceeded } from './shapes.ts';

export const verifier = (scenario: Scenario): TemplateVerifier => {
  const ops = linearEntries();
  return {
    template: 'linear',
    sdk: sdkVersion('@linear/sdk'),
    shapes: "Linear's GraphQL schema (SDL + the fields @linear/sdk asks for)",
    operations: () => ops,
    operationOf: () => null,
    operationsOf: linearOperationsOf,
    succeeded: linearSucceeded,
    validate: linearShapeErrors,
    // GraphQL errors: the code is in the first error's extensions.
    errorCode: (ex) => {
      const e = (ex.body as { errors?: { extensions?: { code?: string } }[] } | undefined)?.errors?.[0];
      return e?.extensions?.code;
    },
    probes: [linearBadKey({ status: 400, code: 'AUTHENTICATION_ERROR' }), graphqlMissingId({ status: 400, code: 'INPUT_ERROR' })],
    scenario,
  };
};
