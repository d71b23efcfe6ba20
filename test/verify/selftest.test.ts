/**
 * verify must be able to fail: `asym verify slack` runs through a proxy that rewrites a real
 * clone's answers the way a stub would, and every operation a rewrite touched must lose shape
 * or behaviour against the honest run. One Slack clone serves the whole matrix (each run
 * uses its own names), so this stays a few seconds.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import type { CloneInstance } from '../../src/contract/clone.ts';
import type { AdminClient } from '../../src/admin/client.ts';
import { LocalDockerProvider, toInstance } from '../../src/docker/provider.ts';
import { getClone } from '../../src/registry/registry.ts';
import { runVerification } from '../../src/verify/runner.ts';
import type { OperationResult, TemplateVerifier } from '../../src/verify/types.ts';
import { loadVerifier } from '../../src/verify/verifiers.ts';
import { describeDocker, uniqueName } from '../support/docker.ts';
import { tempHome } from '../support/home.ts';
import { REWRITES, startRewriter } from '../support/rewriter.ts';

for (const template of ['slack', 'stripe']) describeDocker(`verify self-test (${template}): a rewritten clone scores lower`, () => {
  const home = tempHome('asym-selftest');
  const provider = new LocalDockerProvider();
  let id = '';
  let clone: CloneInstance;
  let admin: AdminClient;
  let verifier: TemplateVerifier;
  let honest: Map<string, OperationResult>;

  beforeAll(async () => {
    id = (await provider.create({ template, name: uniqueName('selftest') })).id;
    const record = getClone(id);
    clone = toInstance(record);
    admin = provider.admin(record);
    verifier = (await loadVerifier(template))!;
    honest = new Map((await runVerification(verifier, clone, admin)).operations.map((o) => [o.id, o]));
  }, 180_000);
  afterAll(async () => {
    if (id) await provider.destroy(id);
    home.restore();
  }, 60_000);

  for (const rule of REWRITES) {
    test(`${rule}: every touched operation loses shape or behaviour`, async () => {
      const rw = startRewriter(clone.endpoints.api, rule, verifier.operationOf);
      try {
        const report = await runVerification(verifier, { ...clone, endpoints: { ...clone.endpoints, api: rw.url } }, admin);
        const by = new Map(report.operations.map((o) => [o.id, o]));
        const touched = [...rw.touched].filter((op) => honest.get(op)?.implemented);
        expect(touched.length).toBeGreaterThan(0);
        // An operation whose honest run already fails every behaviour check (a gap of the
        // clone's, e.g. Stripe's payments expansion) has no behaviour left to lose: not counted.
        const escaped = touched.filter((op) => {
          const before = honest.get(op)!;
          const after = by.get(op)!;
          return before.behaviour > 0 && !(after.shape < before.shape || after.behaviour < before.behaviour);
        });
        expect([rule, escaped]).toEqual([rule, []]);
        expect(report.fidelity.score).toBeLessThan([...honest.values()].reduce((a, o) => a + o.score, 0) / honest.size);
      } finally {
        rw.stop();
      }
    }, 60_000);
  }
});
