/** GitHub for `asym verify`: REST operations, bodies checked against GitHub's OpenAPI description. */
import operations from '../operations.json';
import { ok2xx, restVerifier } from '../../../src/verify/define.ts';
import { validate } from '../../../src/verify/json-schema.ts';
import { badToken, bodyField, notFound } from '../../../src/verify/probes.ts';
import type { Scenario, TemplateVerifier } from '../../../src/verify/types.ts';
import { githubResponse } from './shapes.ts';

/** Upserts whose path names what they create: a name that names nothing yet is not a 404 (GitHub documents 201 and 204 only). */
const UPSERTS = new Set(['PUT /user/codespaces/secrets/{secret_name}']);

export const verifier = (scenario: Scenario): TemplateVerifier =>
  restVerifier(operations, {
    template: 'github',
    sdk: '@octokit/rest',
    shapes: "GitHub's OpenAPI description",
    validate: (op, ex) => {
      const entry = githubResponse(op);
      if (!entry) return [`${op}: no response schema in GitHub's description`];
      if (ex.status !== entry.status && !entry.also?.includes(ex.status)) return [`${op}: GitHub answers ${[entry.status, ...(entry.also ?? [])].join(' or ')}, got ${ex.status}`];
      // The schema is the first status's; another documented one may be a 204 (a secret updated, not made).
      if (!entry.schema || (ex.status === 204 && ex.status !== entry.status)) return ex.body === undefined || ex.body === null || ex.body === '' ? [] : [`${op}: GitHub answers with no body`];
      return validate(entry.schema, ex.body);
    },
    // A documented 302 (a migration archive's download) is that operation's success.
    succeeded: (ex) => ok2xx(ex) || (ex.status === 302 && ex.path.endsWith('/archive')),
    errorCode: (ex) => bodyField(ex, 'message'),
    probes: [badToken({ status: 401, code: 'Bad credentials' }), notFound({ status: 404, code: 'Not Found' }, undefined, undefined, UPSERTS)],
    scenario,
  });
