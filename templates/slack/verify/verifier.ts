/** Slack for `asym verify`: operations are Web API methods; a success is 200 with ok: true. */
import operations from '../operations.json';
import { sdkVersion } from '../../../src/verify/define.ts';
import { badToken, bodyField, slackArgument } from '../../../src/verify/probes.ts';
import type { Scenario, TemplateVerifier } from '../../../src/verify/types.ts';
import { slackErrors, slackShapeErrors } from './shapes.ts';

export const verifier = (scenario: Scenario): TemplateVerifier => {
  const ops = (operations as { method: string; implemented: boolean }[]).map((o) => ({ id: o.method, implemented: o.implemented }));
  const known = new Set(ops.map((o) => o.id));
  return {
    template: 'slack',
    sdk: sdkVersion('@slack/web-api'),
    shapes: "Slack's response samples",
    operations: () => ops,
    operationOf: (_method, path) => {
      const m = /^\/api\/([\w.]+)/.exec(path);
      return m && known.has(m[1]!) ? m[1]! : null;
    },
    succeeded: (ex) => ex.status === 200 && (ex.body as { ok?: unknown } | undefined)?.ok === true,
    validate: (op, ex) => slackShapeErrors(op, ex.body),
    errorCode: (ex) => bodyField(ex, 'error'),
    // The argument probes run only where Slack's description documents the error code.
    probes: [
      badToken({ status: 200, code: 'invalid_auth' }),
      slackArgument('channel', 'C0ASYMMISS', 'channel_not_found', slackErrors),
      slackArgument('user', 'U0ASYMMISS', 'user_not_found', slackErrors),
    ],
    scenario,
  };
};
